"""The evening's closing rating, typed (spoken: tests/flows/test_session_wav.py). A number is
kept on the turn, an unclear reply is asked once more, a skip keeps none, and the script key is
validated like every other."""

from __future__ import annotations

import textwrap

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.dialog.script import find_script, load_script

from flows import cli, run_typed

EVENING = find_script("evening", DIALOGS_DIR)
SECURE = EVENING.states["secure"]
FIVE = ["a late reply", "that he is losing interest", "my parents were distant",
        "to hear that he still cares", "call a friend"]  # fmt: skip


def evening_typed(data_dir, lines: list[str]) -> tuple[str, dict]:
    """What was said (one text a line) and the session stored."""
    done = run_typed("evening", lines, data_dir=data_dir)
    return "\n".join(done.said.texts()), done.session


def secure_turns(session: dict) -> list[dict]:
    return [t for t in session["turns"] if t["state"] == "secure"]


def test_seven_is_kept_as_7(tmp_path):
    out, session = evening_typed(tmp_path / "j", [*FIVE, "seven"])
    assert session["status"] == "completed"
    [turn] = secure_turns(session)
    assert turn["rating"] == 7 and turn["answer"] == "seven" and turn["prompt"] == SECURE.prompt
    assert SECURE.reprompt not in out  # understood the first time


def test_an_unclear_reply_is_asked_once_more(tmp_path):
    out, session = evening_typed(tmp_path / "j", [*FIVE, "hard to say really", "about a six"])
    assert out.count(SECURE.reprompt) == 1 and session["status"] == "completed"
    first, second = secure_turns(session)
    assert "rating" not in first and first["answer"] == "hard to say really"  # kept, as said
    assert second["rating"] == 6


def test_only_once_more_then_the_evening_ends(tmp_path):
    out, session = evening_typed(tmp_path / "j", [*FIVE, "not sure", "six or seven"])
    assert out.count(SECURE.reprompt) == 1 and session["status"] == "completed"
    assert [t.get("rating") for t in secure_turns(session)] == [None, None]


@pytest.mark.parametrize("reply", ["skip", "pass"])
def test_skip_keeps_no_rating(tmp_path, reply):
    out, session = evening_typed(tmp_path / "j", [*FIVE, reply])
    assert session["status"] == "completed" and secure_turns(session) == []
    assert SECURE.reprompt not in out  # a skip is not an unclear reply
    assert not any("rating" in t for t in session["turns"])


def test_the_rating_shows_in_insights(tmp_path):
    evening_typed(tmp_path / "j", [*FIVE, "8 out of 10"])
    shown = cli("show", "last", "--data-dir", str(tmp_path / "j"))
    assert shown.returncode == 0 and "8" in shown.stdout
    report = tmp_path / "r.html"
    made = cli("report", "--html", str(report), "--data-dir", str(tmp_path / "j"))
    assert made.returncode == 0, made.stderr
    assert "rated 8" in report.read_text()


BAD = """\
description: A test script.
machine:
  initial: first
  states:
    - name: first
      prompt: How secure do you feel, from one to ten?
      rating: yes please
    - name: end
      final: true
  transitions:
    - {trigger: next, source: first, dest: end}
"""


def test_the_rating_key_is_validated(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(BAD))
    with pytest.raises(BadScriptError, match=r"bad\.yaml:7: machine\.states\[0\]\.rating: "
                       r"expected true or false"):  # fmt: skip
        load_script(path)
    path.write_text(BAD.replace("rating: yes please", "rating: true"))
    assert load_script(path).states["first"].rating
    path.write_text(
        BAD.replace("yes please", "true").replace("final: true", "final: true\n      rating: true")
    )
    with pytest.raises(BadScriptError, match=r"states\[1\]\.rating: a final state asks nothing"):
        load_script(path)
