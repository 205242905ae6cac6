"""The listener on real speech (espeak-ng, made now from our own sentences) with the real model.

Everything runs in audio time: 30 s of conversation is heard in well under a second of CPU time.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.sources import WavSource
from assistant.audio.wav import Audio
from assistant.base.settings import ListenSettings
from assistant.events import Answer, Command, EndOfInput, NoAnswer
from assistant.speech.listener import SpeechListener

from audio_helpers import RATE, conversation, speak

FIRST = "Yesterday my partner did not reply to my messages for the whole evening."
SECOND = "I kept checking my phone and felt more and more anxious."


DEFAULT = ListenSettings()


def hear(parts, model, commands, settings=DEFAULT):
    listener = SpeechListener(WavSource(Audio(conversation(parts), RATE)), model, commands)
    events = []
    while not isinstance(event := listener.listen(settings), EndOfInput):
        events.append(event)
        assert len(events) < 20
    return events


def words(event) -> set[str]:
    assert isinstance(event, Answer), event
    return set(event.text.split())


def test_a_thinking_pause_does_not_split_an_answer(model, commands):
    [answer] = hear([0.5, FIRST, 2.5, SECOND, 4.0], model, commands)
    assert {"partner", "messages", "evening"} <= words(answer)
    assert {"checking", "phone", "anxious"} <= words(answer)


def test_a_longer_silence_ends_the_answer(model, commands):
    first, second = hear([0.5, FIRST, 3.6, SECOND, 4.0], model, commands)
    assert "partner" in words(first) and "phone" not in words(first)
    assert "phone" in words(second)
    assert 0.4 < first.start_s < 0.7  # times are positions in the input audio
    assert second.start_s > first.end_s + 3.5


def test_end_silence_is_a_setting(model, commands):
    patient = ListenSettings(end_silence_s=5.0)
    [answer] = hear([0.5, FIRST, 4.0, SECOND, 5.5], model, commands, patient)
    assert {"partner", "phone"} <= words(answer)


def test_commands_said_alone_end_at_once(model, commands):
    said = [
        ("skip", "skip"),
        ("repeat that", "repeat"),
        ("repeat", "repeat"),
        ("go back", "back"),
        ("pause", "pause"),
        ("stop", "stop"),
        ("next question", "skip"),
    ]
    parts: list[str | float] = [0.5]
    for phrase, _ in said:
        parts += [phrase, 1.5]  # gaps shorter than the end silence: each must end at once
    *heard, answer = hear([*parts, FIRST, 4.0], model, commands)
    # Compared by name: Vosk sometimes hears "repeat that" as "repeat", the same command.
    assert [(type(e), getattr(e, "name", None)) for e in heard] == [
        (Command, name) for _, name in said
    ]
    assert {"partner", "evening"} <= words(answer)  # and the answer after them is whole


@pytest.mark.parametrize(
    "sentence",
    [
        "I wanted to stop texting him.",
        "I want to skip the part where we argued.",
        "Please repeat that you love me.",
        "I stopped eating dinner with my parents on Sundays.",
        "Stop, I have the pills here.",  # in the safety flow: an answer, never the choice "stop"
    ],
)
def test_a_sentence_containing_a_command_word_is_an_answer(model, commands, sentence):
    [answer] = hear([0.5, sentence, 4.0], model, commands)
    assert len(answer.text.split()) >= 4


def test_a_closing_phrase_ends_the_answer_at_once(model, commands):
    # Without the closing phrase, 1.5 s gaps would make this one answer.
    first, second = hear([0.5, FIRST, 1.0, "that's all", 1.5, SECOND, 4.0], model, commands)
    assert "partner" in words(first) and "phone" not in words(first)
    assert not {"that's", "all"} & words(first)
    assert "phone" in words(second)


def test_a_closing_phrase_inside_a_sentence_is_kept(model, commands):
    [answer] = hear([0.5, "I told him that I am done with guessing.", 4.0], model, commands)
    assert {"told", "guessing"} <= words(answer)


def test_silence_is_no_answer_after_the_timeout(model, commands):
    events = hear([25.0], model, commands, ListenSettings(no_answer_s=10))
    assert [type(e) for e in events] == [NoAnswer, NoAnswer]
    assert events[0].waited_s == pytest.approx(10, abs=0.3)


def test_input_ending_mid_answer_keeps_the_answer(model, commands):
    [answer] = hear([0.5, FIRST], model, commands)
    assert "partner" in words(answer)


def test_while_paused_speech_is_heard_and_only_continue_or_stop_resume(model, commands):
    # Speech while paused is an answer (the session saves and checks it); "skip" is passed
    # over; "continue" said soon after the speech is kept for the next call, not lost.
    audio = conversation([0.5, "skip", 1.5, FIRST, 2.0, "continue", 1.0, SECOND, 4.0])
    listener = SpeechListener(WavSource(Audio(audio, RATE)), model, commands)
    said = listener.wait_for_command(("continue", "stop"), DEFAULT)
    assert "partner" in words(said) and "skip" not in words(said) and "continue" not in words(said)
    assert listener.wait_for_command(("continue", "stop"), DEFAULT) == Command(
        "continue", "continue"
    )
    assert "phone" in words(listener.listen(ListenSettings()))


def test_while_paused_speech_ends_at_a_silence_like_an_answer(model, commands):
    danger = "He is coming home and I am scared of him."
    audio = conversation([1.0, danger, 4.0, "stop", 2.0])
    listener = SpeechListener(WavSource(Audio(audio, RATE)), model, commands)
    said = listener.wait_for_command(("continue", "stop"), DEFAULT)
    assert {"coming", "home", "scared"} <= words(said) and said.start_s == pytest.approx(1, abs=0.3)
    assert listener.wait_for_command(("continue", "stop"), DEFAULT) == Command("stop", "stop")
    assert isinstance(listener.wait_for_command(("continue", "stop"), DEFAULT), EndOfInput)


def test_speech_right_after_a_closing_phrase_is_kept(model, commands):
    # "That's all... actually, one more thing": the answer goes on, nothing is dropped.
    more = "Actually one more thing, he forgot my birthday."
    [answer] = hear([0.5, FIRST, 1.0, "that's all", 0.4, more, 4.0], model, commands)
    assert {"partner", "forgot", "birthday"} <= words(answer)


def test_a_command_at_the_very_end_of_the_input(model, commands):
    first, command = hear([0.5, FIRST, 4.0, "stop", 0.3], model, commands)
    assert "partner" in words(first)
    assert command == Command("stop", "stop")


def test_partial_transcripts_are_reported_while_speaking(model, commands):
    partials: list[str] = []
    audio = conversation([0.5, FIRST, 2.5, SECOND, 4.0])
    listener = SpeechListener(WavSource(Audio(audio, RATE)), model, commands, partials.append)
    answer = listener.listen(DEFAULT)
    assert len(partials) >= 6  # updated as the words come, not only at the end
    assert partials[-1] == answer.text
    assert any("partner" in p and "phone" not in p for p in partials)  # before the pause


def hissing(parts, seed: int = 3) -> np.ndarray:
    """A conversation under a microphone's hiss (about -60 dBFS), not digital silence."""
    clean = conversation(parts)
    noise = np.random.default_rng(seed).standard_normal(len(clean)) * 30
    return np.clip(clean + noise, -32768, 32767).astype(np.int16)


def test_hiss_is_not_an_answer(model, commands):
    # Vosk closes 20 s of hiss as one long "huh" and glues the hiss before speech onto the first
    # word; neither may become an answer or swallow the real one.
    audio = hissing([28.0, "I want to talk about my evening with him.", 8.0])
    listener = SpeechListener(WavSource(Audio(audio, RATE)), model, commands)
    first = listener.listen(DEFAULT)
    assert isinstance(first, NoAnswer) and first.waited_s == pytest.approx(20, abs=0.3)
    answer = listener.listen(DEFAULT)
    assert {"want", "talk", "evening"} <= words(answer)
    assert "huh" not in words(answer) and answer.start_s > 27.5
    assert isinstance(listener.listen(DEFAULT), EndOfInput)


def test_the_length_cap_ends_at_a_pause_counted_from_the_question(model, commands):
    sentences = [FIRST, SECOND, "Then I went for a long walk by the river to calm down."] * 2
    parts: list[str | float] = [0.5]
    for sentence in sentences:
        parts += [sentence, 1.0]
    parts[2:2] = ["that's all", 0.4]  # a closing phrase with more after it: not the end
    starts, t = [], 0.0
    for part in parts:
        if isinstance(part, str):
            starts.append(t)
        t += part if isinstance(part, float) else len(speak(part)) / RATE
    capped = ListenSettings(max_answer_s=12.0)
    first, *rest = hear([*parts, 4.0], model, commands, capped)
    # The cap counts from the start of the listen, not from the closing phrase, and ends the
    # answer at a pause: the next answer starts where a sentence starts, not mid-word.
    assert first.end_s < 12.0 and 11.0 < rest[0].start_s < 12.0 + 5
    assert min(abs(rest[0].start_s - s) for s in starts) < 0.35


def test_continue_straight_into_speech_resumes(model, commands):
    audio = conversation([1.0, "continue", 0.5, "I felt anxious when he did not reply.", 4.0])
    listener = SpeechListener(WavSource(Audio(audio, RATE)), model, commands)
    assert listener.wait_for_command(("continue", "stop"), DEFAULT).name == "continue"


def test_an_early_end_takes_the_command_the_grammar_heard_while_the_free_text_was_busy(
    model, commands
):
    """Through the sound card "skip" was once stored as the answer "cape": the grammar had heard
    "skip" alone, but the free text was still writing "cape" when the turn model ended the
    answer early. Once the free text is closed the waiting command is taken. The timing race
    cannot be made on demand with real audio, so the recogniser's free-text close is stood in
    for here (the rest is the real listener and its rules)."""
    from assistant.events import Command
    from assistant.speech.turns import HeardTurn, TurnEnd

    listener = SpeechListener(WavSource(Audio(np.zeros(RATE, np.int16), RATE)), model, commands)
    cape = {"result": [{"word": "cape", "start": 1.0, "end": 1.3, "conf": 0.6}], "text": "cape"}
    listener._rec.close_text = lambda: cape  # the free text closes its utterance as "cape"
    turn = HeardTurn(0.0, partial="cape", last_voice_s=1.3)
    turn.pending = Command("skip", "skip")  # the grammar heard "skip" said on its own
    ended = listener._answer_ended(turn, TurnEnd.EARLY, 2.0, DEFAULT)
    assert ended == Command("skip", "skip")
    # Without a command waiting, the same end is the answer as written.
    turn = HeardTurn(0.0, partial="cape", last_voice_s=1.3)
    answer = listener._answer_ended(turn, TurnEnd.EARLY, 2.0, DEFAULT)
    assert isinstance(answer, Answer) and answer.text == "cape"
