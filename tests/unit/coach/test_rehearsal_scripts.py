"""Rehearsal scripts (dialogs/rehearsals/): all load, each has varied replies of every kind, the
reply picker varies deterministically, and a broken script is one line naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.errors import BadInputError, BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.coach.findings import ReplyKind
from assistant.coach.rehearsal import (
    MIN_REPLIES,
    find_rehearsal,
    load_rehearsal,
    load_rehearsals,
    pick_reply,
)

FOLDER = DIALOGS_DIR / "rehearsals"
TOPICS = {"worry", "matter", "wanted", "hurt", "pause", "trigger", "checkin"}


def test_all_scripts_load_with_the_seven_topics():
    scripts = load_rehearsals(FOLDER)
    assert set(scripts) >= TOPICS
    for script in scripts.values():
        assert script.scene.count(".") == 1, f"{script.name}: the scene is one sentence"
        for kind in ReplyKind:
            replies = script.replies.of(kind)
            assert len(set(replies)) >= MIN_REPLIES
        assert script.partner_opening and script.ask and script.another_try and script.closing


def test_reply_picker_varies_and_is_deterministic():
    script = find_rehearsal("worry", FOLDER)
    picks = [pick_reply(script, ReplyKind.OPEN, attempt) for attempt in range(1, 4)]
    assert len(set(picks)) == 3  # three tries, three different replies
    assert picks == [pick_reply(script, ReplyKind.OPEN, a) for a in range(1, 4)]
    assert all(p in script.replies.open for p in picks)
    orders = {tuple(pick_reply(script, ReplyKind.DEFENSIVE, a, seed) for a in (1, 2, 3))
              for seed in range(8)}  # fmt: skip
    assert len(orders) > 1  # the seed changes the order


def test_unknown_rehearsal_names_the_known_ones():
    with pytest.raises(BadInputError, match=r"unknown rehearsal 'nope'; rehearsals: checkin, "):
        find_rehearsal("nope", FOLDER)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (FOLDER / "pause.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pause.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message", "on_line"),
    [
        ("partner_opening:", "partner_openin:", r"partner_openin: unknown key; did you mean "
         r"'partner_opening'\?", "partner_openin:"),
        ("  hesitant:\n", "  hesitent:\n", r"replies\.hesitent: unknown key; did you mean "
         r"'hesitant'\?", "hesitent:"),
        ("    - Yes. Twenty minutes, then we come back. I like that.\n", "",
         r"replies\.open: has 2; add at least 3 replies", "open:"),
        ("    - Maybe. How would we know when to come back?\n", "    - \n",
         r"replies\.hesitant\[1\]: expected the partner's words", "- "),
        ("    - That sounds like a way to never finish an argument.\n",
         "    - You're the one who started shouting, not me.\n",
         r"replies\.defensive\[2\]: the same reply twice; vary it", "started shouting"),
        ("closing: >-", "closing: ''\nx: >-", r"x: unknown key", "x:"),
    ],
)  # fmt: skip
def test_broken_script_is_one_line_with_file_line_and_key(tmp_path, old, new, message, on_line):
    path = broken(tmp_path, old, new)
    with pytest.raises(BadScriptError, match=message) as err:
        load_rehearsal(path)
    text = str(err.value)
    assert "\n" not in text and text.startswith(f"{path}:")
    line = int(text.split(":")[1])
    assert on_line in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_missing_text_and_bad_yaml(tmp_path):
    path = broken(tmp_path, "closing: >-", "closing_old: >-")
    with pytest.raises(BadScriptError, match=r"closing_old: unknown key; did you mean 'closing'"):
        load_rehearsal(path)
    path.write_text("description: [unclosed\n", encoding="utf-8")
    with pytest.raises(BadScriptError, match=r"pause\.yaml:\d+: not valid YAML"):
        load_rehearsal(path)
    path.write_text("description: ok\n", encoding="utf-8")
    with pytest.raises(BadScriptError, match=r"pause\.yaml:\d+: scene: missing or empty"):
        load_rehearsal(path)
