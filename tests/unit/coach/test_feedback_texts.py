"""coach/feedback_texts.py: the `texts` section of dialogs/coaching.yaml, read with the
placeholders each text may use, in the order of preference, and its mistakes named by file,
line, key and fix (the real file, with one thing changed)."""

from __future__ import annotations

import pytest

from assistant.base.datafile import Reader, load_yaml
from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.coach.feedback_texts import TRY_KINDS, WORKED_KINDS, Texts, read_texts
from assistant.coach.findings import Kind

COACHING = DIALOGS_DIR / "coaching.yaml"
TEXT = COACHING.read_text(encoding="utf-8")
KINDS = {kind.value for kind in Kind}


def read(path=COACHING) -> Texts:
    return read_texts(Reader(path), load_yaml(path), KINDS)


def test_the_real_texts():
    texts = read()
    assert texts.max_spoken_words == 30
    assert set(texts.findings) == KINDS
    assert tuple(texts.worked) == WORKED_KINDS  # the order of preference, not the file's
    assert tuple(texts.tries) == TRY_KINDS
    assert texts.tries["faux_feeling"] == (
        'Instead of "{words}", try the feeling underneath, like {under}.'
    )


def test_folded_texts_are_one_line():
    texts = read()
    assert "\n" not in texts.findings["faux_feeling"] and "  " not in texts.findings["hesitation"]
    assert texts.findings["faux_feeling"].startswith('"{words}" says more about what they did')


def test_the_changed_texts():
    changed = read().changed
    assert changed.counted["blame"] == ("blame phrase", "blame phrases")
    assert set(changed.counted) <= KINDS
    assert set(changed.gained) == {"i_statement", "feeling", "request"}
    assert changed.none_now.format(many="blame phrases", before=2) == (
        "No blame phrases this time, down from 2."
    )
    assert "{now}" in changed.calmer and "{before}" in changed.calmer


def write(tmp_path, old: str, new: str):
    assert TEXT.count(old) == 1, old
    path = tmp_path / "coaching.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a placeholder this text is not given
        ("like {under}.'", "like {needs}.'", "unknown placeholder {needs}; use {under}, {words}"),
        (
            "    no_blame: 'There was",
            "    no_blame: '{under} There was",
            "unknown placeholder {under}",
        ),
        ("  max_spoken_words: 30", "  max_spoken_words: 300", "texts.max_spoken_words"),
        ("      blame: [blame phrase, blame phrases]", "      blame: [one]", "two names"),
        ("      blame: [blame phrase, blame phrases]", "      blaming: [a, b]", "unknown kind"),
        ("    none: 'Say it once more", "    nothing: 'Say it once more", "texts.try"),
        ("    calmer: 'A calmer pace", "    calm: 'A calmer pace", "texts.changed"),
        ("    none_now: 'No {many}", "    none_now: 'No {now}", "unknown placeholder {now}"),
    ],
)
def test_mistakes_name_file_line_key_and_fix(tmp_path, old, new, message):
    path = write(tmp_path, old, new)
    with pytest.raises(BadScriptError) as caught:
        read(path)
    text = str(caught.value)
    where, _, rest = text.partition(": ")
    assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit(), text
    assert message in rest and "\n" not in text, text


def test_a_missing_text_is_asked_for(tmp_path):
    path = write(tmp_path, "    slow: 'Next time, let it flow a little more.'\n", "")
    with pytest.raises(BadScriptError, match=r"texts\.try: missing key 'slow'; add its text"):
        read(path)
