"""The only callbacks a script may name, resolved by name through one table: `answered` and
`skipped` choose a branch from what the person did; anything else is refused on load."""

from __future__ import annotations

import pytest

from assistant.base.errors import BadScriptError
from assistant.dialog.callbacks import REGISTRY
from assistant.dialog.machine import Dialog
from assistant.dialog.script import load_script

BRANCHING = """\
description: Branches on whether the first question was answered.
machine:
  initial: first
  states:
    - {name: first, prompt: What happened?}
    - {name: more, prompt: Tell me more about it?}
    - {name: other, prompt: Another time then. What helped today?}
    - {name: end, final: true}
  transitions:
    - {trigger: next, source: first, dest: more, conditions: answered}
    - {trigger: next, source: first, dest: other, conditions: skipped}
    - {trigger: next, source: [more, other], dest: end}
"""


def dialog(tmp_path) -> Dialog:
    path = tmp_path / "branching.yaml"
    path.write_text(BRANCHING)
    return Dialog(load_script(path))


@pytest.mark.parametrize(
    ("answer", "state"), [("a late reply", "more"), (None, "other"), ("", "other")]
)
def test_an_answer_and_a_skip_take_their_own_branch(tmp_path, answer, state):
    machine = dialog(tmp_path)
    machine.advance(answer)
    assert machine.state == state
    machine.advance(None)
    assert machine.finished


def test_the_table_holds_exactly_the_two_documented_names():
    assert sorted(REGISTRY) == ["answered", "skipped"]


def test_a_name_outside_the_table_is_never_imported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BRANCHING.replace("conditions: skipped", "conditions: builtins.exit"))
    with pytest.raises(BadScriptError) as caught:
        load_script(path)
    where, _, message = str(caught.value).partition(": ")
    assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit()  # file:line
    assert "unknown callback 'builtins.exit'; known callbacks are ['answered', 'skipped']" in (
        message
    )
