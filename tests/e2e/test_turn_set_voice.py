"""The turn-taking test set said by the assistant's neural voice (turn_set.generated("joe")), for
the turn-taking work that follows: every answer is real speech, and each marked thinking pause
is quiet, with speech on both sides of it, where it is marked. Slow (ten answers rendered by
the neural voice), so it runs with the end-to-end tests."""

from __future__ import annotations

from itertools import pairwise

from assistant.speech.vad import VadSettings, speech_segments

from turn_set import GENERATED, generated


def test_the_turn_set_renders_with_the_neural_voice_its_pauses_where_marked():
    answers = generated("joe")
    assert len(answers) == len(GENERATED)
    for answer in answers:
        segments = speech_segments(answer.audio, VadSettings(min_silence_ms=96))
        assert segments, answer.name
        # The quiet stretches the VAD hears between speech (its edges lag by up to 0.3 s).
        gaps = [(a[1], b[0]) for a, b in pairwise(segments)]
        for pause in answer.pauses:
            end = pause.at_s + pause.length_s
            found = [(a, b) for a, b in gaps if abs(a - pause.at_s) < 0.4 and abs(b - end) < 0.4]
            assert len(found) == 1, (answer.name, pause, gaps)
        assert segments[0][0] < 0.4 and segments[-1][1] > answer.seconds - 0.4  # speech to the ends
