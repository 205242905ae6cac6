"""Every command is acknowledged at once, on the audio clock (--audio-in ... --duplex
--audio-out): "stop" in a break (the pause rule) and in a script is answered within 1 s of the
word's end, measured in samples of the out file; a first-run notice cut by "stop" was not heard,
so it is said again next time, and the closing lines agree that nothing was kept."""

from __future__ import annotations

import numpy as np

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.notices import NOTICE_FLAG
from assistant.speech.commands import load_commands

from audio_helpers import RATE, silence, sound_spans, speak
from flows import run_wav

REPLIES = load_commands(DIALOGS_DIR / "commands.yaml").replies


def stop_at(seconds: float, after_s: float) -> tuple[np.ndarray, float]:
    """The word stop said `seconds` in, then `after_s` of quiet; and where the word ends (s)."""
    word = speak("stop")
    return np.concatenate([silence(seconds), word, silence(after_s)]), seconds + len(word) / RATE


def reply_after(done, word_end_s: float) -> float:
    """Seconds from the command's end to the start of the assistant's next sound after the cut
    (or after the word, when nothing was playing)."""
    assert done.audio_out is not None
    cuts = [at for _, at in done.listener.barge_ins]
    since = max([word_end_s] + [at / RATE for at in cuts])
    start = next((a for a, _ in sound_spans(done.audio_out.samples, gap_s=0.3) if a > since), None)
    assert start is not None, "no reply at all"
    return start - word_end_s


def test_stop_in_a_break_is_answered_within_a_second(tmp_path, model):
    samples, word_end = stop_at(20.0, 6.0)  # after the break's opening lines
    done = run_wav("pause", samples, data_dir=tmp_path / "d", model=model, duplex=True,
                   audio_out=tmp_path / "out.wav", minutes="5")  # fmt: skip
    assert done.said.texts()[-1] == REPLIES["stopped"]
    assert done.session["status"] == "stopped"
    late = reply_after(done, word_end)
    assert 0 <= late <= 1.0, f"acknowledged {late:.2f} s after the word"


def test_stop_over_the_first_question_is_answered_within_a_second_and_nothing_is_kept(
    tmp_path, model
):
    samples, word_end = stop_at(8.0, 5.0)  # over the first question
    done = run_wav("evening", samples, data_dir=tmp_path / "d", model=model, duplex=True,
                   audio_out=tmp_path / "out.wav")  # fmt: skip
    assert done.listener.barge_ins, "the question was not cut"
    # Nothing was answered: the spoken line agrees with the note that nothing was kept.
    assert done.said.texts()[-1] == REPLIES["stopped_empty"]
    assert done.session == {} and done.outcome.answers == 0
    late = reply_after(done, word_end)
    assert 0 <= late <= 1.0, f"acknowledged {late:.2f} s after the word"


def test_a_first_run_notice_cut_by_stop_is_said_again_next_time(tmp_path, model):
    from assistant.journal.store import Journal

    data = tmp_path / "d"
    samples, _ = stop_at(6.0, 3.0)
    done = run_wav("evening", samples, data_dir=data, model=model, duplex=True,
                   audio_out=tmp_path / "cut.wav", first_run=True)  # fmt: skip
    notice = done.said[0]
    assert notice[0] == "slow" and "not therapy" in notice[1]  # the notice, said first
    assert done.listener.barge_ins, "the notice was not cut"
    assert done.said.texts()[-1] == REPLIES["stopped_empty"]
    journal = Journal(data)
    assert not journal.flag(NOTICE_FLAG)  # not heard to the end: not counted as shown
    journal.close()
    # The next time, the notice is said again and, heard whole, counts as shown.
    again = run_wav("evening", silence(1.0), data_dir=data, model=model, first_run=True)
    assert again.said[0] == notice
    journal = Journal(data)
    assert journal.flag(NOTICE_FLAG)
    journal.close()
