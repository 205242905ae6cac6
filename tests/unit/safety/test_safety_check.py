"""The safety check: a labelled corpus (tests/data/safety_corpus.yaml) and a frozen held-out set
(tests/data/safety_heldout.yaml) run both as typed and as the speech model writes it, the behaviour
other code relies on, and rule-file mistakes named by file:line and key."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
import yaml

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
from assistant.dialog.script import script_paths
from assistant.safety.check import CATEGORIES, Concern, Level, SafetyCheck, load_safety

from paths import DATA

CORPUS = DATA / "safety_corpus.yaml"
HELDOUT = DATA / "safety_heldout.yaml"
TUNING_BLIND1 = DATA / "safety_tuning_blind1.yaml"
DIALOGS_SAFETY = DIALOGS_DIR / "safety.yaml"
RECALL_MIN = 0.95
FALSE_ALARMS_MAX = 0.03
RIGHT_PERSON_MIN = 0.95
# The held-out set, measured once when it was added (both forms): recall 76/104 = 0.731, false
# alarms 2/100; after the rule families (issue 13, not tuned on it) 84/104 = 0.808, 2/100;
# after general rules written from the spent blind set and own paraphrases (not from this one)
# 90/104 = 0.865, 2/100.
# These bounds sit just past those figures, so any regression fails.
HELDOUT_RECALL_MIN = 0.86
HELDOUT_FALSE_ALARMS_MAX = 0.025
# The first blind set of issue 13 (160 concerning, 121 ordinary, spoken style), scored once after
# the rules were frozen at commit bfd17ac (both forms): recall 70/160 = 0.438 (self-harm 13/52,
# abuse 34/61, eating 23/47; ask level counted as caught), false alarms 8/121 = 0.066. That score
# is spent: the set is now TUNING data (tests/data/safety_tuning_blind1.yaml), like the corpus, and
# says nothing more about how the rules generalise (a new blind set, kept away from helpers, does).
# Tuned on since (general rules per framework item): 159/160 = 0.994, false alarms 0/121.
# The bounds sit just past the figures so a regression fails.
TUNING_BLIND1_RECALL_MIN = 0.98
TUNING_BLIND1_FALSE_ALARMS_MAX = 0.01


@pytest.fixture(scope="module")
def safety() -> SafetyCheck:
    return load_safety(DIALOGS_DIR / "safety.yaml")


def corpus(path: Path = CORPUS) -> tuple[list[tuple[str, Concern]], list[str]]:
    """The labelled concerning sentences and the ordinary ones of a corpus file (the blind set
    names only the category: its sentences count as the speaker's own)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "concerning" in data:
        concerning = [
            (text, Concern(category, False))
            for category in CATEGORIES
            for text in data["concerning"][category] or []
        ]
        return concerning, data["ordinary"]
    concerning = [
        (text, Concern(category, who == "reported"))
        for category in CATEGORIES
        for who in ("me", "reported")
        for text in data[category][who] or []
    ]
    return concerning, data["ordinary"]


Result = tuple[str, Concern, Concern | None]  # sentence, label, what the check returned


@dataclasses.dataclass
class Measured:
    """A labelled set's figures in one form, with the sentences behind them."""

    summary: str
    recall: float
    false_alarms: float
    right_person: float  # of those caught, the share about the right person
    missed: list[Result]
    alarms: list[tuple[str, Concern]]
    wrong_person: list[Result]
    details: str = ""  # per category and per family: caught, asked, false alarms


def _details(caught: list[Result], concerning: list, alarms: list[tuple[str, Concern]]) -> str:
    """Per category: recall (and how many of those at the ASK level) and false alarms raised in
    it; per family: the concerns it was the reason for, and the false alarms."""
    rows = []
    for c in CATEGORIES:
        mine = [got for _, want, got in caught if want.category == c]
        asked = sum(got.level is Level.ASK for got in mine)
        total = sum(w.category == c for _, w in concerning)
        fa = sum(got.category == c for _, got in alarms)
        rows.append(f"  {c}: recall {len(mine)}/{total} (ask {asked}), false alarms {fa}")
    families: dict[str, list[int]] = {}
    for _, _, got in caught:
        families.setdefault(got.family, [0, 0])[0] += 1
    for _, got in alarms:
        families.setdefault(got.family, [0, 0])[1] += 1
    rows.append(
        "  by family (caught/false alarms): "
        + ", ".join(f"{f} {n}/{a}" for f, (n, a) in sorted(families.items()))
    )
    return "\n".join(rows)


def measure(safety: SafetyCheck, path: Path, form: str) -> Measured:
    """Recall (the right category), who it is about, and false alarms, in one form."""
    concerning, ordinary = corpus(path)
    shape = FORMS[form]
    results = [(text, want, safety.check(shape(text))) for text, want in concerning]
    caught = [(t, want, got) for t, want, got in results if got and got.category == want.category]
    right_person = [r for r in caught if r[2].reported == r[1].reported]
    alarms = [(text, got) for text in ordinary if (got := safety.check(shape(text)))]
    recall = len(caught) / len(concerning)
    false_alarms = len(alarms) / len(ordinary)
    by_category = ", ".join(
        f"{c} {sum(w.category == c for _, w, _ in caught)}/"
        f"{sum(w.category == c for _, w in concerning)}"
        for c in CATEGORIES
    )
    summary = (
        f"recall {recall:.3f} ({len(caught)}/{len(concerning)}: {by_category}); about the right "
        f"person {len(right_person)}/{len(caught)}; false alarms {false_alarms:.3f} "
        f"({len(alarms)}/{len(ordinary)})"
    )
    missed = [r for r in results if not r[2] or r[2].category != r[1].category]
    wrong = [r for r in caught if r[2].reported != r[1].reported]
    share = len(right_person) / len(caught) if caught else 0.0
    details = _details(caught, concerning, alarms)
    return Measured(summary, recall, false_alarms, share, missed, alarms, wrong, details)


def spoken(text: str) -> str:
    """What the Vosk small model writes: lower case, no punctuation, apostrophes kept."""
    return normalize(text)


FORMS = {"as written": str, "as spoken": spoken}


# --- the corpus -------------------------------------------------------------------------------


def test_corpus_is_large_and_covers_every_category():
    concerning, ordinary = corpus()
    assert len(concerning) >= 150
    assert len(ordinary) >= 150
    for category in CATEGORIES:
        mine = [c for _, c in concerning if c.category == category]
        assert len(mine) >= 40, category
        assert sum(c.reported for c in mine) >= 5, category
    texts = [t for t, _ in concerning] + ordinary
    assert len(set(texts)) == len(texts), "a sentence is listed twice"


@pytest.mark.parametrize("form", FORMS)
def test_corpus_recall_and_false_alarms(safety, capsys, form):
    m = measure(safety, CORPUS, form)
    with capsys.disabled():
        print(f"\nsafety corpus, {form}: {m.summary}\n{m.details}")
    assert m.recall >= RECALL_MIN, m.missed
    assert m.false_alarms <= FALSE_ALARMS_MAX, m.alarms
    assert m.right_person >= RIGHT_PERSON_MIN, m.wrong_person


@pytest.mark.parametrize("form", FORMS)
def test_heldout_recall_and_false_alarms(safety, capsys, form):
    """HELD OUT: tests/data/safety_heldout.yaml was written by someone who never saw the rules, read
    once after the rules were final (copied verbatim), and is never used to tune them: do not
    add phrases for its misses, or its figures stop saying how the rules generalise. Improve the
    rules from other sentences; if they then catch more here, raise the bounds."""
    m = measure(safety, HELDOUT, form)
    with capsys.disabled():
        print(f"\nsafety held-out set, {form}: {m.summary}\n{m.details}")
    assert m.recall >= HELDOUT_RECALL_MIN, m.missed
    assert m.false_alarms <= HELDOUT_FALSE_ALARMS_MAX, m.alarms


@pytest.mark.parametrize("form", FORMS)
def test_tuning_blind1_recall_and_false_alarms(safety, capsys, form):
    """TUNING: tests/data/safety_tuning_blind1.yaml was the first blind set of issue 13, written by
    someone who never saw the rules and scored once (figures above). Spent, it is tuning data
    now: write general rules for its misses (by framework item), not per-sentence patches.
    The ASK level counts as caught: the flow asks."""
    m = measure(safety, TUNING_BLIND1, form)
    with capsys.disabled():
        print(f"\nsafety tuning set (spent blind 1), {form}: {m.summary}\n{m.details}")
    assert m.recall >= TUNING_BLIND1_RECALL_MIN, m.missed
    assert m.false_alarms <= TUNING_BLIND1_FALSE_ALARMS_MAX, m.alarms


# --- behaviour --------------------------------------------------------------------------------


def test_the_interface():
    assert CATEGORIES == ("self-harm", "abuse", "eating")
    concern = Concern("abuse", reported=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        concern.reported = True  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(Concern)] == [
        "category",
        "reported",
        "level",
        "family",
    ]
    assert concern.level is Level.HELP  # the default: a strong signal
    # the family says why, not what: it does not change which concern it is
    assert Concern("abuse", False, family="strangulation") == concern
    assert Concern("abuse", False, Level.ASK) != concern


def test_nothing_to_check(safety):
    assert safety.check("") is None
    assert safety.check("   ...  ") is None
    assert safety.check_all("Today was a good day.") == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I stopped eating and last night he hit me and I just want to die", "self-harm"),
        ("He hits me when he's drunk and I've stopped eating.", "abuse"),
        ("I make myself sick after dinner.", "eating"),
    ],
)
def test_the_most_urgent_concern_comes_first(safety, text, category):
    assert safety.check(text) == Concern(category, reported=False)


def test_the_speakers_own_concern_comes_before_a_reported_one(safety):
    text = "My friend said she wanted to kill herself. And he checks my phone every night."
    assert safety.check(text) == Concern("abuse", reported=False)
    assert safety.check_all(text) == [Concern("abuse", False), Concern("self-harm", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said he would kill me.", Concern("abuse", False)),  # a threat against the speaker
        # a partner's suicide threat used to control: coercion of the speaker (and see below)
        ("He said he'd kill himself if I left.", Concern("abuse", False)),
        ("My brother said he wants to kill himself.", Concern("self-harm", True)),
        ("My friend said she wanted to kill herself.", Concern("self-harm", True)),
        ("My friend told me she hurts herself.", Concern("self-harm", True)),
        ("My sister's husband hits her.", Concern("abuse", True)),
        ("my sisters husband hits her", Concern("abuse", True)),
        # someone else's partner, with no "her" to tell: still someone else's concern
        ("My sister's husband is abusive.", Concern("abuse", True)),
        ("my sisters husband is abusive", Concern("abuse", True)),
        ("My ex boyfriend is abusive.", Concern("abuse", False)),
        ("My sister doesn't feel safe with her husband.", Concern("abuse", True)),
        ("My friend is scared of her husband.", Concern("abuse", True)),
        ("My brother said life isn't worth living.", Concern("self-harm", True)),
        ("I told him life isn't worth living.", Concern("self-harm", False)),
        ("He put spyware on my phone.", Concern("abuse", False)),
        ("My daughter stopped eating after her breakup.", Concern("eating", True)),
    ],
)
def test_whose_concern_it_is(safety, text, expected):
    assert safety.check(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal.",
        "I would never hurt myself.",
        "He has never hit me.",
        "He's never hit me, he's gentle.",
        "I'm not afraid of him.",
        "I'm not going to kill myself over a boy.",
        "I don't have an eating disorder.",
    ],
)
def test_a_plain_negation_cancels_what_it_governs(safety, text):
    assert safety.check(text) is None
    assert safety.check(spoken(text)) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I don't want to live anymore.", "self-harm"),
        ("I can't go on.", "self-harm"),
        ("I don't see the point of going on.", "self-harm"),
        ("No one would care if I died.", "self-harm"),
        ("I can't stop thinking about killing myself.", "self-harm"),
        ("I'm not suicidal but some nights I wish I wouldn't wake up.", "self-harm"),
        ("He never hit me but he threatens to leave me with nothing if I see my sister.", "abuse"),
        ("I don't know, I want to die.", "self-harm"),
        ("He doesn't just shout, he hits me.", "abuse"),
    ],
)
def test_negation_never_cancels_crisis_language_or_another_concern(safety, text, category):
    assert safety.check(text) == Concern(category, False)
    assert safety.check(spoken(text)) == Concern(category, False)


@pytest.mark.parametrize(
    "text",
    [
        "I could kill for a coffee.",
        "This fight is killing me.",
        "I'm dying to see him.",
        "I'd rather die than text him first.",
        "My mum would kill me if she knew.",
        "I keep checking whether he's read my message.",
        "I stopped eating dinner with my parents on Sundays.",
        "He pushed me to apply for the job.",
        "I binge-watched the whole series.",
    ],
)
def test_idioms_and_ordinary_insecurity_are_not_alarms(safety, text):
    assert safety.check(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "He threatens to kill himself whenever I want to see my friends.",
        "She says she'll hurt herself if I leave.",
        "If I leave him he says he'll kill himself.",
        "My boyfriend threatened suicide when I tried to break up.",
    ],
)
def test_a_partners_suicide_threat_is_coercion_and_a_risk_to_him(safety, text):
    """Abuse of the speaker first (the threat controls them), and his risk is raised as well."""
    assert safety.check_all(text) == [Concern("abuse", False), Concern("self-harm", True)]
    assert safety.check_all(spoken(text)) == [Concern("abuse", False), Concern("self-harm", True)]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("She gets really rough when she's angry.", "abuse"),
        ("He gets like, super violent.", "abuse"),
        ("He kind of controls everything I do.", "abuse"),
        ("I'm a burden on everyone.", "self-harm"),
        ("There's no reason for me to keep living.", "self-harm"),
        ("Tonight I feel like I could actually do it.", "self-harm"),
    ],
)
def test_filler_words_do_not_break_a_phrase(safety, text, category):
    assert safety.check(text) == Concern(category, False)
    assert safety.check(spoken(text)) == Concern(category, False)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("He hasn't hit me since last week.", "abuse"),
        ("He never hit me before last night.", "abuse"),
        ("He hasn't hurt me yet, but I think he will.", "abuse"),
        ("I haven't cut myself since March.", "self-harm"),
        ("I don't think I'll be here much longer.", "self-harm"),
    ],
)
def test_a_negation_bounded_in_time_still_counts(safety, text, category):
    assert safety.check(text) == Concern(category, False)
    assert safety.check(spoken(text)) == Concern(category, False)


@pytest.mark.parametrize(
    "text",
    [
        "He's never hit me before and he never would.",
        "He hasn't texted me since last week.",
        "I'm not suicidal, I just feel lonely since he left.",
    ],
)
def test_time_words_keep_only_the_negation_they_follow(safety, text):
    assert safety.check(text) is None


@pytest.mark.parametrize(
    ("concerning", "ordinary"),
    [
        ("I don't feel safe at home.", "I don't feel safe driving in the snow."),
        ("I'm scared for my safety.", "I feel safe with him."),
        ("He held a knife to my throat.", "He has a knife collection from his grandad."),
        ("He says he'll hurt my dog if I leave.", "The dog was hurt at the vet."),
        (
            "He'll take the kids if I leave and I'll never see them.",
            "He'll take the kids to school.",
        ),
        ("He keeps sending me threatening messages.", "She makes threats to break up every week."),
        ("I cut myself again last night.", "I cut my hair."),
        (
            "I'm terrified of gaining even one pound.",
            "I gained a pound over Christmas and I don't mind.",
        ),
        ("I ate cake and then ran it off for two hours.", "I went for a run after work."),
    ],
)
def test_new_families_and_their_ordinary_look_alikes(safety, concerning, ordinary):
    assert safety.check(concerning) is not None
    assert safety.check(ordinary) is None


def test_monitoring_by_him_is_not_checking_on_him(safety):
    assert safety.check("I keep checking whether he's read my message") is None
    assert safety.check("I checked his phone once and felt terrible") is None
    text = "he checks my phone every night and gets angry if I delete anything"
    assert safety.check(text) == Concern("abuse", False)


def test_typed_forms_and_spoken_forms_agree(safety):
    forms = [
        "I\u2019m scared of him.",
        "I'm scared of him",
        "im scared of him",
        "i am scared of him",
    ]
    assert {safety.check(text) for text in forms} == {Concern("abuse", False)}
    forms = ["I don\u2019t want to live anymore", "i dont want to live", "I DON'T WANT TO LIVE"]
    assert {safety.check(text) for text in forms} == {Concern("self-harm", False)}


def test_what_is_quoted_is_reported(safety):
    assert safety.check('My friend texted me "I want to die".') == Concern("self-harm", True)
    typed = "She wrote \u201cI can\u2019t go on\u201d and logged off."
    assert safety.check(typed) == Concern("self-harm", True)
    # an unpaired quote mark is ignored rather than quoting the rest of the answer
    assert safety.check('I said "no and then: I want to die') == Concern("self-harm", False)


def test_explain_names_the_rule_and_its_line(safety):
    hits = safety.explain("He hits me.")
    assert hits
    lines = (DIALOGS_DIR / "safety.yaml").read_text(encoding="utf-8").splitlines()
    for hit in hits:
        assert hit.concern == Concern("abuse", False)
        assert hit.words in "he hits me"
        assert hit.rule in lines[hit.line - 1]


def test_long_answers_are_checked_whole(safety):
    """No timing asserts: this only shows a 2,000-word answer goes through, concern and all."""
    _, ordinary = corpus()
    words = " ".join(ordinary * 3).split()[:2000]
    safety.check(" ".join(words))
    answer = " ".join(
        [*words[:1000], "and honestly I don't want to be alive anymore", *words[1000:]]
    )
    assert Concern("self-harm", False) in safety.check_all(answer)
    assert Concern("self-harm", False) in safety.check_all(spoken(answer))


def test_start_up_compiles_no_phrase(tmp_path):
    """Compiling ~750 regular expressions took half a second at every start: a rule is compiled
    the first time an answer holds one of its words, so one answer compiles only a few."""
    check = load_safety(write(tmp_path, DIALOGS_SAFETY.read_text(encoding="utf-8")))

    def compiled() -> int:
        return sum("regex" in vars(rule) for rule in check.rules.rules)

    assert compiled() == 0
    check.check("He checks my phone every night.")
    assert 0 < compiled() < len(check.rules.rules) / 5


def test_safety_and_support_files_are_not_scripts():
    assert {"safety", "support"}.isdisjoint(script_paths(DIALOGS_DIR))


# --- the rule file ----------------------------------------------------------------------------

MINIMAL = """\
slots:
  he: [he, she, "{partner}"]
  partner: [my partner, my boyfriend]
  i: [i, he, she]
  me: [me, her]
  myself: [myself, herself]
actors: [he]
gaps: {words: 3, never_across: [i, he, she], fillers: [really, kind of]}
people:
  me: [i, me, my, myself]
  others: [he, she, her, herself]
reporting:
  window: 6
  verbs: [told me]
  stop: [and, but]
  actor_categories: [abuse]
negation:
  cues: [not, never]
  except: [not just]
  between: [am, is, going, to]
  scope: 4
  unless_followed_by: [since]
softeners:
  jokes: {after: [haha], within: 5}
categories:
  self-harm:
    families:
      thoughts:
        note: C-SSRS 2, thoughts
        phrases: ["kill {myself}", "{i} ... want to die"]
        ask:
          phrases: ["can not go on"]
    except: [kill for]
  abuse:
    families:
      violence:
        note: Danger Assessment 1, violence
        phrases: ["{he} ... hits {me}"]
        near:
          - {first: checks my phone, then: angry, within: 8}
        softened_by: [jokes]
  eating:
    families:
      purging:
        note: SCOFF S, sick
        phrases: ["make {myself} sick"]
        patterns: ["[1-9][0-9]{2} calories"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "safety.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_small_rule_file_works(tmp_path):
    check = load_safety(write(tmp_path, MINIMAL))
    assert check.check("I want to die") == Concern("self-harm", False)
    assert check.check("she wants to die") is None  # "wants" is not in this small file
    assert check.check("she said she would kill herself") == Concern("self-harm", True)
    assert check.check("my boyfriend hits me") == Concern("abuse", False)
    assert check.check("he never hits me") is None
    assert check.check("he checks my phone and gets angry") == Concern("abuse", False)
    assert check.check("I am on 600 calories") == Concern("eating", False)
    assert check.check("I'd kill for a coffee") is None
    assert check.check("my boyfriend really kind of hits me") == Concern("abuse", False)
    assert check.check("he never hits me since May") == Concern("abuse", False)
    assert check.check("I can't go on") == Concern("self-harm", False, Level.ASK)
    assert check.check("I can't go on").family == "thoughts"
    assert check.check("my boyfriend hits me haha") is None  # softened: this family opts in
    assert check.check("I want to die haha") == Concern("self-harm", False)  # this one does not


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"kill {myself}"',
            '"kill {myslef}"',
            "categories.self-harm.families.thoughts.phrases[0]: unknown slot {myslef}; "
            "did you mean {myself}? slots are {he}, {partner}, {i}, {me}, {myself}",
        ),
        ("actors: [he]", "actor: [he]", "actor: unknown key; did you mean 'actors'?"),
        (
            'phrases: ["make {myself} sick"]',
            "phrases: []",
            "categories.eating.families.purging.phrases: expected a list with at least one entry",
        ),
        (
            '"[1-9][0-9]{2} calories"',
            '"[1-9"',
            "categories.eating.families.purging.patterns[0]: not a valid regular expression",
        ),
        (
            "  eating:\n",
            "  eatting:\n",
            "categories.eatting: unknown category; categories are self-harm, abuse, eating",
        ),
        (
            "then: angry, within: 8}",
            "then: angry}",
            "categories.abuse.families.violence.near[0].within: expected a whole number",
        ),
        (
            "partner: [my partner, my boyfriend]",
            'partner: ["{he}"]',
            "slots refer to each other in a loop",
        ),
        (
            '"{i} ... want to die"',
            '"{i} want to die ..."',
            "categories.self-harm.families.thoughts.phrases[1]: a ... gap must stand between",
        ),
        (
            '"kill {myself}"',
            '"kill (myself|herself)"',
            "categories.self-harm.families.thoughts.phrases[0]: '(myself|herself)' is not a plain",
        ),
        (
            "actor_categories: [abuse]",
            "actor_categories: [abus]",
            "reporting.actor_categories[0]: unknown category 'abus'",
        ),
        (
            "cues: [not, never]",
            "cues: [not, no]",
            "negation.cues[1]: YAML read this word as true/false; put it in quotes",
        ),
        ("  scope: 4\n", "  scope: lots\n", "negation.scope: expected a whole number"),
        (
            "fillers: [really, kind of]",
            "fillers: [really, never]",
            "gaps.fillers[1]: 'never' is a negation cue; a filler is skipped inside phrases",
        ),
        (
            "fillers: [really, kind of]",
            "fillers: [really, he]",
            "gaps.fillers[1]: 'he' is in never_across",
        ),
        (
            "fillers: [really, kind of]",
            'fillers: [really, "..."]',
            "gaps.fillers[1]: expected plain words",
        ),
        (
            "    except: [kill for]\n",
            "    except: []\n",
            "categories.self-harm.except: expected a list with at least one entry",
        ),
    ],
)
def test_rule_file_mistakes_name_file_line_key_and_fix(tmp_path, old, new, expected):
    assert MINIMAL.count(old) == 1
    text = MINIMAL.replace(old, new)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.strip() in row)
    path = write(tmp_path, text)
    with pytest.raises(BadScriptError) as err:
        load_safety(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert expected in message
    assert "\n" not in message


def test_a_missing_section_is_named(tmp_path):
    path = write(tmp_path, MINIMAL.replace("negation:", "negatoin:"))
    with pytest.raises(BadScriptError, match=r"negatoin: unknown key; did you mean 'negation'"):
        load_safety(path)
    text = MINIMAL[: MINIMAL.index("negation:")] + MINIMAL[MINIMAL.index("\ncategories:") + 1 :]
    with pytest.raises(BadScriptError, match=r"safety.yaml:1: negation: missing"):
        load_safety(write(tmp_path, text))


def test_the_shipped_rules_reload_when_edited(tmp_path):
    path = write(tmp_path, MINIMAL)
    assert load_safety(path).check("I want to die")
    path.write_text(MINIMAL.replace("want to die", "want to vanish"), encoding="utf-8")
    assert load_safety(path).check("I want to die") is None
