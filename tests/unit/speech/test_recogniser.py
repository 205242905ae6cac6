"""The recogniser side on real speech (espeak-ng, made now) with the real Vosk model and Silero VAD:
frames in, utterances, partials, grammar results and speech edges out, all on the audio clock."""

from __future__ import annotations

import pytest

from assistant.audio.duplex import HalfDuplex
from assistant.audio.sources import WavSource
from assistant.audio.wav import Audio
from assistant.speech.recogniser import FrameHeard, Recogniser
from assistant.speech.turns import alone_in
from assistant.speech.vad import VoiceActivity

from audio_helpers import RATE, conversation, speak

FIRST = "Yesterday my partner did not reply to my messages for the whole evening."
FIRST_S = len(speak(FIRST)) / RATE


def recogniser(parts, model, commands, vad: VoiceActivity | None = None) -> Recogniser:
    source = HalfDuplex(WavSource(Audio(conversation(parts), RATE), chunk_frames=640))
    return Recogniser(source, model, commands, vad=vad)


def hear_all(rec: Recogniser) -> list[FrameHeard]:
    heard = [rec.hear()]
    while heard[-1].more:
        heard.append(rec.hear())
    return heard


def words(heard: list[FrameHeard]) -> list[dict]:
    return [w for h in heard if h.utterance for w in h.utterance.get("result", [])]


def test_utterances_partials_and_commands_on_the_clock(model, commands):
    rec = recogniser([0.5, FIRST, 2.0, "skip", 2.0], model, commands)
    heard = hear_all(rec)
    skip_at = 0.5 + FIRST_S + 2.0
    said = [w for w in words(heard) if w["start"] < skip_at - 1.0]
    assert {"partner", "messages", "evening"} <= {w["word"] for w in said}
    assert said[0]["start"] == pytest.approx(0.5, abs=0.25)  # where it was said
    assert said[-1]["end"] == pytest.approx(0.5 + FIRST_S, abs=0.3)
    first_closed = next(i for i, h in enumerate(heard) if h.utterance and h.utterance["result"])
    assert any("partner" in (h.partial or "") for h in heard[:first_closed])  # as it came
    alone = [alone_in(h.grammar) for h in heard if alone_in(h.grammar)]
    assert [a[0] for a in alone] == ["skip"]
    assert alone[0][1] == pytest.approx(skip_at, abs=0.3)  # the grammar's times are the clock's
    assert not heard[-1].more and rec.ended
    assert rec.clock == len(conversation([0.5, FIRST, 2.0, "skip", 2.0]))
    assert not any(h.speaking for h in heard)  # no detector: the listener goes by partials


def test_the_voice_activity_detector_marks_speech_and_where_it_ended(model, commands):
    rec = recogniser([1.0, FIRST, 2.0], model, commands, VoiceActivity())
    heard = hear_all(rec)
    speaking = [h.now_s for h in heard if h.speaking]
    assert speaking[0] == pytest.approx(1.0, abs=0.3)
    assert speaking[-1] == pytest.approx(1.0 + FIRST_S, abs=0.5)
    ended = [at for h in heard for at in h.voice_ended]
    assert ended[-1] == pytest.approx(1.0 + FIRST_S, abs=0.3)
    assert rec.speech_since is None  # the speech is over


def test_a_continuation_heard_again_keeps_its_words_on_the_clock(model, commands):
    rec = recogniser([0.5, FIRST, 2.0], model, commands)
    while rec.now_s < 0.5 + FIRST_S / 2:  # half of it heard...
        rec.hear()
    rec.hear_again_from(int(0.5 * RATE))  # ...then heard again from where it began
    said = words(hear_all(rec))
    assert {"yesterday", "partner", "evening"} <= {w["word"] for w in said}
    assert [w["word"] for w in said].count("partner") == 1
    assert said[0]["start"] == pytest.approx(0.5, abs=0.25)  # not later by what was re-heard
    assert said[-1]["end"] == pytest.approx(0.5 + FIRST_S, abs=0.3)


def test_the_turn_audio_is_this_turn_up_to_a_time(model, commands):
    rec = recogniser([1.0, FIRST, 1.0], model, commands)
    audio = rec.audio_since(1.0)
    while rec.now_s < 3.0:
        rec.hear()
    assert len(audio(rec.now_s)) == round((rec.now_s - 1.0) * RATE)
    assert len(audio(2.0)) == RATE  # up to a time before now
