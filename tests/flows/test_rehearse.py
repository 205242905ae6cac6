"""`reflect rehearse`: the person says the hard sentence, is coached, hears the partner answer in
a second voice, and tries again; each attempt a turn with its feedback and the partner's reply."""

from __future__ import annotations

from assistant.base.settings import DIALOGS_DIR
from assistant.coach.rehearsal import find_rehearsal
from assistant.conversation.rehearse import NO_COACHING

from audio_helpers import conversation
from flows import cli, run_typed, run_wav

WORRY = find_rehearsal("worry", DIALOGS_DIR / "rehearsals")
HARSH = "you never listen to me and it is your fault"
GENTLE = (
    "I feel lonely when we do not talk in the evening. Could we have ten minutes together "
    "after dinner?"
)


def test_rehearse_lists_the_rehearsals():
    listed = cli("rehearse")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert len(names) >= 7 and "worry" in names and "pause" in names


def test_typed_attempts_are_coached_and_the_partner_answers_how_it_was_said(tmp_path):
    data = tmp_path / "d"
    done = run_typed("worry", [HARSH, "yes", GENTLE, "no"], data_dir=data, rehearsal="worry")
    said = "\n".join(done.said.texts())
    session = done.session
    assert session["script"] == "worry" and session["status"] == "completed"
    harsh, gentle = session["turns"]
    blamed = [f["words"] for f in harsh["feedback"]["findings"] if f["kind"] == "blame"]
    assert "you never listen to me" in blamed
    assert harsh["partner"] in WORRY.replies.defensive
    kinds = {f["kind"] for f in gentle["feedback"]["findings"]}
    assert {"i_statement", "feeling"} <= kinds and "blame" not in kinds
    assert gentle["partner"] in WORRY.replies.open
    assert "No blame phrases this time, down from two." in said  # what changed
    assert harsh["pace_wpm"] is None  # typed: no word times
    shown = cli("show", session["id"], "--data-dir", str(data)).stdout
    assert harsh["partner"] in shown and "sounds like an absolute" in shown


def test_no_coaching_after_an_abuse_concern(tmp_path):
    attempt = "he hit me last night when I tried to talk to him"
    done = run_typed("worry", [attempt, "continue"], data_dir=tmp_path / "d", rehearsal="worry")
    said = "\n".join(done.said.texts())
    assert NO_COACHING in said
    assert "What worked" not in said
    session = done.session
    assert session["safety"] == ["abuse"]
    assert session["turns"][0]["answer"].startswith("he hit me")
    assert not any(t.get("partner") and t["partner"] in said for t in session["turns"])


def test_two_spoken_attempts_from_a_file(tmp_path, model):
    attempts = conversation([1.0, "You never listen to me.", 4.0, "yes", 4.0,
                             "I feel lonely in the evenings. I would like us to talk after dinner.",
                             4.0, "no", 3.0])  # fmt: skip
    out = tmp_path / "out.wav"
    done = run_wav(
        "worry", attempts, data_dir=tmp_path / "d", model=model, audio_out=out, rehearsal="worry"
    )
    first, second = done.session["turns"]
    assert {"never", "listen"} <= set(first["answer"].split())
    assert any(f["kind"] == "blame" for f in first["feedback"]["findings"])
    assert first["partner"] in WORRY.replies.defensive
    assert second["partner"] and "lonely" in second["answer"].split()
    assert all(isinstance(t["pace_wpm"], (int, float)) for t in (first, second))
    assert out.stat().st_size > 100_000  # both voices were rendered into the file


def _pitch_hz(audio) -> float:
    """The median pitch of loud 40 ms frames (autocorrelation)."""
    import numpy as np

    x, rate = audio.samples.astype(float), audio.rate_hz
    n, found = int(0.04 * rate), []
    for i in range(0, len(x) - n, n):
        frame = x[i : i + n] - x[i : i + n].mean()
        if np.abs(frame).max() < 2000:
            continue
        ac = np.correlate(frame, frame, "full")[n - 1 :]
        lo, hi = rate // 400, rate // 70
        found.append(rate / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(found))


PARTNER_TEXT = "You've been quiet tonight. Is something on your mind?"


def test_the_partner_speaks_in_a_voice_clearly_different_from_the_guides():
    """With --voice espeak: espeak-ng's female variant."""
    from assistant.base.settings import PARTNER_VOICE, VoiceSettings
    from assistant.speech.voice import EspeakCliSynth

    guide = EspeakCliSynth(VoiceSettings()).render(PARTNER_TEXT)
    partner = EspeakCliSynth(VoiceSettings(voice=PARTNER_VOICE)).render(PARTNER_TEXT)
    guide_hz, partner_hz = _pitch_hz(guide), _pitch_hz(partner)
    print(f"guide {guide_hz:.0f} Hz, partner {partner_hz:.0f} Hz")
    assert partner_hz > 1.5 * guide_hz


def test_the_neural_partner_is_higher_than_the_neural_guide_at_the_same_pace():
    """The default voice: the same model read slower and played faster (speech/neural_voice.py,
    PARTNER): pitch and formants up by 1.3 together (4.5 semitones), the pace unchanged."""
    from assistant.speech.voices import render_with

    guide = render_with(PARTNER_TEXT, "joe")
    partner = render_with(PARTNER_TEXT, "joe", partner=True)
    guide_hz, partner_hz = _pitch_hz(guide), _pitch_hz(partner)
    print(f"guide {guide_hz:.0f} Hz, partner {partner_hz:.0f} Hz")
    # 1.20-1.33 times over 8 renders here: the voice varies a little from one render to the next
    assert partner_hz > 1.15 * guide_hz
    assert abs(partner.duration_s / guide.duration_s - 1) < 0.15
