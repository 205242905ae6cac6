"""The coaching rules (dialogs/coaching.yaml): each rule firing and not firing, the labelled
corpus (tests/data/coaching_corpus.yaml) scored per label, pace and hesitation from word times, the
partner's reply kind, the feedback text, and rule-file mistakes named by file:line and key.
The rules alone (model=False): with the learned text model: tests/unit/coach/test_coach_model.py."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.coach.analyse import assess as assess_with_model
from assistant.coach.feedback import feedback
from assistant.coach.findings import Kind, ReplyKind, StartUp
from assistant.coach.rules import load_coaching
from assistant.coach.score import LABELS, load_labelled, score
from assistant.coach.timing import WordTime, pace_wpm, voiced_s

from paths import DATA

COACHING = DIALOGS_DIR / "coaching.yaml"
CORPUS = DATA / "coaching_corpus.yaml"
ERRORS_MAX = 0.03


def assess(text: str, rules, times=None):
    return assess_with_model(text, rules, times, model=False)


@pytest.fixture(scope="module")
def rules():
    return load_coaching(COACHING)


def kinds(text: str, rules) -> set[Kind]:
    return {f.kind for f in assess(text, rules).findings}


def timed(words: str, start_s: float = 0.0, word_s: float = 0.4, gap_s: float = 0.0):
    """Word times for `words`, each word word_s long, gap_s apart; "|N" inserts N seconds."""
    out, t = [], start_s
    for w in words.split():
        if w.startswith("|"):
            t += float(w[1:])
            continue
        out.append({"word": w, "start": t, "end": t + word_s})
        t += word_s + gap_s
    return out


# --- each rule, firing and not ----------------------------------------------------------------

FIRES = {
    Kind.BLAME: [
        "You never listen to me.", "You always have to be right.", "You should call more.",
        "You must tell me.", "Why can't you just be on time?", "It's your fault.",
        "What's wrong with you?", "You're such an idiot.", "Oh great, thanks a lot.",
        "you never listen to me",
    ],
    Kind.I_STATEMENT: ["I feel scared.", "I worry about us.", "I would like a hug.", "I need it."],
    Kind.FEELING: ["I feel lonely.", "I'm really scared.", "It hurts when you leave.", "I worry."],
    Kind.FAUX_FEELING: ["I feel ignored.", "I felt so abandoned.", "You make me feel used."],
    Kind.REQUEST: ["Could you text me?", "I would like us to talk.", "Let's take a walk."],
    Kind.NEGATIVE_REQUEST: ["Could you stop shouting?", "Please don't do that."],
}  # fmt: skip
QUIET = {
    Kind.BLAME: [
        "I never want to lose you.", "You always make me laugh.", "You must be tired.",
        "It's not your fault.", "Whatever you decide is fine.", "I worry that you don't love me.",
        "You don't have to apologise.",
    ],
    Kind.I_STATEMENT: ["I feel like you never listen.", "You feel far away.", "We went out."],
    Kind.FEELING: ["I feel like you never listen.", "I feel ignored.", "You seem upset."],
    Kind.FAUX_FEELING: ["I ignored the phone.", "I'm used to it.", "They rejected my plan."],
    Kind.REQUEST: ["How could you?", "Can you believe it?", "Could you stop shouting?"],
    Kind.NEGATIVE_REQUEST: ["Could you call me?", "I would like us to talk."],
}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "text"), [(k, t) for k, texts in FIRES.items() for t in texts]
)  # fmt: skip
def test_rule_fires(rules, kind, text):
    assert kind in kinds(text, rules), text


@pytest.mark.parametrize(
    ("kind", "text"), [(k, t) for k, texts in QUIET.items() for t in texts]
)  # fmt: skip
def test_rule_does_not_fire(rules, kind, text):
    assert kind not in kinds(text, rules), text


def test_blame_is_quoted_back_with_a_rewording_in_the_i_feel_form(rules):
    found = assess("I feel hurt. You never listen to me.", rules).of(Kind.BLAME)
    assert [f.words for f in found] == ["you never listen to me"]
    assert (
        'Try: "I feel hurt when you don\'t listen to me. Could we talk about it?"'
        in found[0].suggestion
    )


def test_faux_feeling_names_the_feelings_and_needs_underneath(rules):
    (found,) = assess("I feel abandoned when you go out.", rules).of(Kind.FAUX_FEELING)
    assert found.words == "I feel abandoned"
    assert "scared, lonely or lost" in found.suggestion and "reassurance" in found.suggestion


def test_i_and_you_as_subjects(rules):
    said = assess("You never call. You forget. I miss you.", rules)
    assert said.subjects == {"i": 1, "you": 2}
    assert said.has(Kind.YOU_FOCUS)
    assert not assess("I miss you and I love you.", rules).has(Kind.YOU_FOCUS)


def test_length_of_a_start_up(rules):
    assert not assess("I feel lonely. I would like us to talk. Tonight?", rules).has(Kind.LONG)
    (long,) = assess("I feel lonely. It is hard. I miss you. Can we talk?", rules).of(Kind.LONG)
    assert long.words == "four sentences"


# --- the partner's reply follows the start-up --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start_up", "reply"),
    [
        ("You never listen and it's your fault.", StartUp.HARSH, ReplyKind.DEFENSIVE),
        ("I feel lonely, and I know you try.", StartUp.IN_BETWEEN, ReplyKind.HESITANT),
        ("I feel ignored. Could we talk tonight?", StartUp.IN_BETWEEN, ReplyKind.HESITANT),
        ("I feel lonely. Could we talk tonight?", StartUp.SOFT, ReplyKind.OPEN),
    ],
)
def test_start_up_picks_the_reply_kind(rules, text, start_up, reply):
    said = assess(text, rules)
    assert (said.start_up, said.reply) == (start_up, reply)


# --- the labelled corpus ----------------------------------------------------------------------


def test_corpus_errors_per_label(rules, capsys):
    items = load_labelled(CORPUS)
    assert len(items) >= 200
    scores = score(items, rules, model=False)
    with capsys.disabled():
        print(f"\ncoaching corpus, {len(items)} sentences:")
        for s in scores.values():
            print("  " + s.line())
    for label in LABELS:
        assert sum(bool(i.get(label)) for i in items) >= 20, f"too few {label} examples"
    bad = {label: s.wrong for label, s in scores.items() if s.error_rate > ERRORS_MAX}
    assert not bad


# --- pace and hesitation from word times ------------------------------------------------------


def test_pace_leaves_long_pauses_out(rules):
    # 11 words of 0.4 s: 4.4 s of speech; a 3 s pause in the middle does not count
    words = timed("i feel lonely when you are late |3 could we talk tonight")
    times = [WordTime(w["word"], w["start"], w["end"]) for w in words]
    assert voiced_s(times, 1.0) == pytest.approx(4.4)
    assert pace_wpm(times, 1.0) == pytest.approx(150)
    said = assess(" ".join(w["word"] for w in words), rules, words)
    assert said.pace_wpm == pytest.approx(150)
    assert said.has(Kind.CALM_PACE) and not said.has(Kind.FAST)
    assert said.sentences == 2  # the pause ends a sentence


def test_fast_and_slow_pace(rules):
    fast = timed("i feel lonely when you are late could we talk tonight", word_s=0.25)
    assert assess("", rules, fast).has(Kind.FAST)
    slow = timed("i feel lonely when you are late", word_s=0.5, gap_s=0.5)
    assert assess("", rules, slow).has(Kind.SLOW)


def test_hesitation_counts_model_fillers_and_mid_sentence_gaps_above_a_rate(rules):
    # the small model writes "uh" as "ah"; "like" in "would like" is not a filler
    words = timed("i ah feel ah lonely and like |1.5 i would like ah us to talk")
    (found,) = assess("", rules, words).of(Kind.HESITATION)
    assert found.words == 'three "ah"s, one "like" and one long pause mid-sentence'
    one = timed("i feel lonely ah when you are late and i would like us to talk tonight")
    assert not assess("", rules, one).has(Kind.HESITATION)  # one filler: never flagged


def test_you_know_is_a_filler_only_when_it_leads_nowhere(rules):
    assert not assess("you know that I love you", rules).hesitations
    assert assess("I just, you know, worry", rules).hesitations == 1


# --- feedback ---------------------------------------------------------------------------------

ATTEMPTS = [
    "You never listen to me. You always ignore my texts. It's your fault.",
    "I feel ignored when you're on your phone. Could you stop?",
    "Sometimes I worry that you don't want me anymore. I would like us to spend Sunday together.",
    "Whatever.",
    "",
    "I feel lonely. It is hard. I miss you. Can we talk? Please say yes, I need it so much.",
]


@pytest.mark.parametrize("before", [None, *ATTEMPTS])
@pytest.mark.parametrize("now", ATTEMPTS)
def test_spoken_feedback_is_short(rules, now, before):
    prev = None if before is None else assess(before, rules)
    said = feedback(assess(now, rules), rules.texts, prev)
    assert 5 <= len(said.spoken.split()) <= rules.texts.max_spoken_words, said.spoken
    assert said.printed.startswith("What worked:")


def test_feedback_says_what_worked_what_to_try_and_what_changed(rules):
    first = assess(ATTEMPTS[0], rules)
    said = feedback(first, rules.texts)
    assert 'Instead of "you never listen to me"' in said.spoken
    assert said.printed.count("sounds like") == 1  # three blame phrases: the first to try
    assert said.printed.count("\n  - ") - 1 == 2  # one thing that worked, two to try
    second = feedback(assess(ATTEMPTS[2], rules), rules.texts, first)
    assert second.spoken.startswith("No blame phrases this time, down from three.")
    assert "This time you asked for something clear." in second.printed
    again = feedback(first, rules.texts, assess(ATTEMPTS[2], rules))
    assert "Three blame phrases this time, up from none." in again.printed


# --- the rule file ----------------------------------------------------------------------------


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = COACHING.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "coaching.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  never:\n    what:", "  never:\n    waht:",
         r"blame\.never\.waht: unknown key; did you mean 'what'\?"),
        ('- "{you} never ever"', '- "{yuo} never ever"',
         r"blame\.never\.phrases\[1\]: unknown slot \{yuo\}"),
        ("  long_pause_s: 1.0", "  long_pause_s: soon", r"pace\.long_pause_s: expected a number"),
        ("when you don''t {rest}", "when you don''t {rset}", r"unknown placeholder \{rset\}"),
        ("    - i worry/worried\n", "    - i worry/\n", r"has an empty choice"),
        ("    - i fear\n", "    - i fear ...\n", r"a \.\.\. gap must stand between two words"),
    ],
)  # fmt: skip
def test_rule_file_mistakes_are_one_line_with_file_line_and_key(tmp_path, old, new, message):
    path = broken(tmp_path, old, new)
    with pytest.raises(BadScriptError, match=message) as err:
        load_coaching(path)
    text = str(err.value)
    assert "\n" not in text and text.startswith(f"{path}:")
    line = int(text.split(":")[1])
    changed = [part.strip().rstrip(":") for part in new.split("\n") if part.strip()][-1]
    assert changed in path.read_text().splitlines()[line - 1]


def test_rule_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "coaching.yaml"
    path.write_text(textwrap.dedent("spellings:\n  im: [i am\n"), encoding="utf-8")
    with pytest.raises(BadScriptError, match=r"coaching\.yaml:\d+: not valid YAML"):
        load_coaching(path)
