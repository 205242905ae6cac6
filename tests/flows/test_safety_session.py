"""What happens when the safety check fires in a session: the real check, the real state machine,
real journal files in temporary folders, typed answers (through the flows harness and the CLI,
both in this process; what needs a child process: tests/e2e/test_safety_session_cli.py)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.sinks import WavSink
from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR, VoiceSettings
from assistant.breathe.patterns import find_pattern
from assistant.cli.console import typed_wording
from assistant.dialog.script import find_script
from assistant.journal.records import PAUSED_STATE, SAFETY_STATE
from assistant.journal.store import Journal
from assistant.safety.check import CATEGORIES, Level
from assistant.safety.notices import COUNSELLOR_FLAG
from assistant.safety.resources import Resources
from assistant.safety.respond import load_safeguards
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.voice import EspeakCliSynth, Voice, spoken

from flows import Said, cli, run_typed

SAFEGUARDS = load_safeguards(DIALOGS_DIR)
SUPPORT = SAFEGUARDS.support
HELP, CHOOSING, REPLIES = SUPPORT.help, SUPPORT.choosing, SUPPORT.replies
EVENING = find_script("evening", DIALOGS_DIR)
PROMPT = {name: state.prompt for name, state in EVENING.states.items()}


#: Someone else's concern told now, in a few words: the rules' reported variant (issue 22: a
#: friend's story told at length is read as someone else's and raises nothing; a short
#: present-tense one is never lowered as context).
FRIEND_NOW = "My friend wants to kill herself."


def help_for(category: str, reported: bool = False, resources: Resources | None = None) -> str:
    """What to do now, as said after a concern of this category."""
    return HELP.what_to_do(resources or Resources(), category=category, reported=reported)


DEFAULT_HELP = help_for("self-harm")
ABUSE_HELP = help_for("abuse")


def typed(text: str) -> str:
    """A text as said to someone who types: {say} is "type"."""
    return text.replace("{say}", SUPPORT.answering["typed"])


MENU = typed(CHOOSING.choice)  # in full, the first time in a session
SHORT = [typed(text) for text in CHOOSING.choice_short]
CONTINUING = typed(CHOOSING.continuing)
ACCEPTED = typed(REPLIES.fine_accepted)
ASK_SAFE = REPLIES.ask_safe


def again(n: int, category: str = "self-harm") -> str:
    """What to do now said once more in a flow: the n-th rewording of its first sentence."""
    return HELP.what_to_do(
        Resources(), category=category, reported=False, again=HELP.again[n % len(HELP.again)]
    )


DISCLOSURE = {
    "self-harm": "I want to die.",
    "abuse": "He hit me last night.",
    "eating": "I make myself sick after meals.",
}
#: A weaker sign (Level.ASK) per category, and a clear answer that all is well.
WEAKER = {
    "self-harm": ("I'm just a burden", "no, I just meant I'm tired"),
    "abuse": ("He makes all the decisions", "yes, I feel safe with him"),
    "eating": ("I haven't eaten since yesterday", "no, I was just busy at work"),
}
STRONG = "I was terrified he will leave me and I can't sleep."  # three signals
CALM = "a late reply, but we talked it through"


def run(
    lines: list[str],
    data_dir: Path,
    *,
    script=EVENING,
    notice_shown: bool = True,
    resources: Resources | None = None,
):
    done = run_typed(
        script, lines, data_dir=data_dir, first_run=not notice_shown, resources=resources
    )
    return done.outcome, done.said, done.session  # an empty session is not kept: {}


def number_again(n: int) -> str:
    """The n-th rewording alone: said once the whole line has been said twice in a flow."""
    return HELP.fill(HELP.again[n % len(HELP.again)], Resources())


def after(said: Said, text: str) -> list[str]:
    """Everything said after the first time `text` was said."""
    texts = said.texts()
    return texts[texts.index(text) + 1 :]


def turns(session: dict) -> list[tuple[str, str]]:
    return [(t["state"], t["answer"]) for t in session["turns"]]


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_disclosure_stops_the_script_and_says_slowly_where_help_is(category, data_dir):
    disclosure = DISCLOSURE[category]
    assert SAFEGUARDS.check.check(disclosure).level is Level.HELP  # a clear sign: help at once
    outcome, said, session = run(["a late reply", disclosure, "yes", "stop"], data_dir)
    opener = HELP.openers[category]["self"]
    expected = [opener, help_for(category)]
    if category == "abuse":
        expected.append(HELP.abuse_note["self"])
    # asked directly, at once; a yes, then the offer and the choice
    expected += [ASK_SAFE, REPLIES.safe_thanks, CHOOSING.offer, MENU]
    expected += [HELP.fill(CHOOSING.stopped, Resources())]
    if category == "abuse":
        expected.append(HELP.device_note)  # reflect lock and forget, at the very end
    # Right after the answer to the fear question: no further question, all of it said slowly.
    assert said.texts()[said.texts().index(PROMPT["fear"]) + 1 :] == expected
    assert said[-len(expected) :] == [("slow", text) for text in expected]
    assert "988" in DEFAULT_HELP and "local emergency number" in DEFAULT_HELP
    assert PROMPT["roots"] not in said.texts() and PROMPT["need"] not in said.texts()
    assert outcome.status == session["status"] == "safety"
    assert session["safety"] == [category]
    assert turns(session) == [
        ("today", "a late reply"),
        ("fear", disclosure),
        (SAFETY_STATE, "yes"),
    ]
    assert session["turns"][2]["prompt"] == ASK_SAFE
    assert session["concerns"] == [
        {"category": category, "level": "help", "outcome": "help", "reported": False}
    ]


def test_an_ordinary_evening_is_not_interrupted(data_dir):
    answers = [
        "He didn't text back for hours.",
        "That he is losing interest in me.",
        "My dad was often away when I was small.",
        "To hear that he still cares.",
        "I will call my sister tomorrow.",
        "six",
    ]
    outcome, said, session = run(answers, data_dir)
    assert outcome.status == session["status"] == "completed"
    assert said.texts()[-1] == EVENING.outro and not any(isinstance(t, tuple) for t in said)
    assert session["safety"] == [] and session["concerns"] == []


def test_a_concern_about_someone_else_uses_the_reported_variant(data_dir):
    _, said, session = run([FRIEND_NOW, "stop"], data_dir)
    texts = said.texts()
    assert HELP.openers["self-harm"]["reported"] in texts
    assert HELP.openers["self-harm"]["self"] not in texts
    assert help_for("self-harm", reported=True) in texts
    assert ASK_SAFE not in texts  # asked of the person's own concern only
    assert session["status"] == "safety" and session["safety"] == ["self-harm"]


def test_a_friends_story_told_at_length_raises_nothing(data_dir):
    """Issue 22 changed this on purpose: a friend's story (told, in the past, at length) is the
    hard look-alike "other people"; the text model reads it as someone else's and the rules'
    reported concern is lowered, so the evening goes on to its next question."""
    _, said, session = run(["My friend said she wanted to kill herself.", "stop"], data_dir)
    assert PROMPT["fear"] in said.texts()  # on to the next question
    assert not any(isinstance(t, tuple) for t in said)  # no help said slowly
    assert session["status"] != "safety"
    assert session["safety"] == [] and session["concerns"] == []


def test_after_abuse_relationship_tips_are_left_out(tmp_path):
    """A script with a boundaries tip: asked in an ordinary session, left out after abuse."""
    dialogs = tmp_path / "dialogs"
    dialogs.mkdir()
    (dialogs / "tips.yaml").write_text(
        """description: A question, then a tip about boundaries.
intro: Hello.
outro: Goodbye, see you tomorrow.
machine:
  initial: today
  states:
    - name: today
      prompt: What happened today?
    - name: feel
      prompt: How did it feel?
    - name: tip
      prompt: Which boundary would you like to agree with your partner?
    - name: end
      final: true
  transitions:
    - {trigger: next, source: today, dest: feel}
    - {trigger: next, source: feel, dest: tip}
    - {trigger: next, source: tip, dest: end}
"""
    )
    tips = find_script("tips", dialogs)
    _, ordinary, _ = run(["a late reply", "lonely", "a check-in time"], tmp_path / "a", script=tips)
    assert tips.states["tip"].prompt in ordinary.texts()

    outcome, said, session = run(
        ["He checks my phone and won't let me see my friends.", "yes", "continue", "scared"],
        tmp_path / "b",
        script=tips,
    )
    texts = said.texts()
    note = HELP.abuse_note["self"]
    assert note in texts
    rest = after(said, note)
    assert rest[:6] == [
        ASK_SAFE,
        REPLIES.safe_thanks,
        CHOOSING.offer,
        MENU,
        CONTINUING,
        tips.states["feel"].prompt,
    ]
    assert tips.states["tip"].prompt not in texts  # the tip is never offered
    assert not any("boundar" in text.lower() for text in rest)
    # Not the script's outro: where help is, then how to keep the journal private.
    assert texts[-2:] == [HELP.fill(CHOOSING.closing, Resources()), HELP.device_note]
    assert tips.outro not in texts
    assert session["status"] == "safety" and session["safety"] == ["abuse"]
    assert turns(session)[-1] == ("feel", "scared")
    assert outcome.status == "safety"


@pytest.mark.parametrize("fine", ["I'm fine.", "im fine"])  # typed without the apostrophe too
def test_im_fine_is_met_with_one_more_gentle_check(data_dir, fine):
    """About someone else there is no direct question at once: a first "I'm fine" at the choice
    is checked once more, gently, and directly."""
    _, said, session = run(
        [FRIEND_NOW, fine, "yes", "my dad", "stop"],
        data_dir,
    )
    assert after(said, help_for("self-harm", reported=True))[:6] == [
        CHOOSING.offer,
        MENU,
        REPLIES.fine_check,
        ASK_SAFE,
        ACCEPTED,  # a yes to "Are you safe right now?": on with the next question
        PROMPT["fear"],
    ]
    assert ASK_SAFE == "Are you safe right now?"
    assert turns(session) == [
        ("today", FRIEND_NOW),
        (SAFETY_STATE, fine),
        (SAFETY_STATE, "yes"),  # saved as the answer to "are you safe", not taken as "breathe"
        ("fear", "my dad"),
    ]
    assert [t["prompt"] for t in session["turns"][1:3]] == [MENU, ASK_SAFE]
    assert session["status"] == "safety"


@pytest.mark.parametrize("taken_back", ["you misunderstood", "I was joking", "forget it"])
def test_taking_it_back_is_met_with_a_check_never_relief(data_dir, taken_back):
    """The failure the issue names: a chatbot accepting "you misunderstood" after a suicidal
    disclosure. Here it is checked, in words that are neither relieved nor dismissive."""
    _, said, _ = run(["I want to die.", taken_back, "stop"], data_dir)
    assert after(said, DEFAULT_HELP)[:3] == [ASK_SAFE, REPLIES.taken_back_check, ASK_SAFE]
    assert REPLIES.taken_back_check.startswith("I'd rather check than miss something")
    assert REPLIES.fine_check not in said.texts()
    for text in (REPLIES.fine_check, REPLIES.taken_back_check, ACCEPTED, REPLIES.safe_thanks):
        assert not {"glad", "good", "great", "relieved", "phew"} & set(text.lower().split())


def test_a_second_im_fine_goes_on_but_no_to_are_you_safe_does_not(data_dir):
    _, said, session = run(["I want to die.", "never mind", "no", "I'm fine", "stop"], data_dir)
    assert after(said, DEFAULT_HELP)[:9] == [
        ASK_SAFE,
        REPLIES.taken_back_check,
        ASK_SAFE,
        REPLIES.still_unsafe[0],  # "no" to "are you safe": what to do now, once more
        again(0),
        CHOOSING.offer,
        MENU,
        REPLIES.fine_check,  # the "no" set the count back: one "I'm fine" is checked again
        ASK_SAFE,
    ]
    assert ACCEPTED not in said.texts()
    assert session["status"] == "safety"


@pytest.mark.parametrize(
    "reply", ["stop i have the pills here", "i'm not fine", "no", "i need help", "I'm scared"]
)
def test_a_reply_saying_it_is_not_over_repeats_what_to_do_now(data_dir, reply):
    """Reproduced by the reviewer: these got "Thank you. I'm here, and there's no rush." and
    nothing more. A choice word with more after it is an answer, not the choice."""
    outcome, said, session = run(["I want to die.", reply, "stop"], data_dir)
    # The pills are a new disclosure to the learned layer: acknowledged, rather than "I hear you".
    lead = HELP.acknowledge["self"][0] if "pills" in reply else REPLIES.still_unsafe[0]
    assert after(said, ASK_SAFE)[:4] == [lead, again(0), CHOOSING.offer, MENU]
    assert REPLIES.says_unsafe(reply) and CHOOSING.choice_of(reply) is None
    assert turns(session) == [("today", "I want to die."), (SAFETY_STATE, reply)]
    assert said[-1] == ("slow", HELP.fill(CHOOSING.stopped, Resources()))  # the later "stop"
    assert outcome.status == "safety"


@pytest.mark.parametrize("fine", ["I'm fine.", "yes"])
def test_after_a_disclosure_are_you_safe_is_asked_directly(data_dir, fine):
    """The person's own disclosure: "Are you safe right now?" at once, not only after "I'm fine".
    A yes (or "I'm fine") to it, then "I'm fine" at the choice, goes on."""
    _, said, session = run(["I want to die.", fine, "im fine", "my dad", "stop"], data_dir)
    assert after(said, DEFAULT_HELP)[:6] == [
        ASK_SAFE,
        REPLIES.safe_thanks,
        CHOOSING.offer,
        MENU,
        ACCEPTED,  # asked directly, and a yes: the next "I'm fine" is not checked again
        PROMPT["fear"],
    ]
    assert REPLIES.fine_check not in said.texts()
    assert [t["prompt"] for t in session["turns"][1:3]] == [ASK_SAFE, MENU]


def test_no_and_i_dont_know_are_not_met_with_the_same_words(data_dir):
    """The newcomer's finding: "no" and "I don't know" got the same sentences word for word, and
    the four-line menu came after every reply. Now: other words each time, the menu in full once,
    then short forms, and no sentence of the choice said twice."""
    _, said, session = run(["I want to die.", "no", "I don't know", "not really", "stop"], data_dir)
    texts = said.texts()
    replies = after(said, ASK_SAFE)
    assert replies[:2] == [REPLIES.still_unsafe[0], again(0)]
    # the crisis line twice in the flow (help, then "no"), then the number alone
    assert replies[4:6] == [REPLIES.still_unsafe[1], number_again(1)]  # after "I don't know"
    assert replies[7:9] == [REPLIES.still_unsafe[2], number_again(2)]  # after "not really"
    assert sum("988" in t for t in texts) == 2
    menus = [t for t in texts if t == MENU or t in SHORT]
    assert menus == [MENU, SHORT[0], SHORT[1]]  # in full once, then short, never the same twice
    assert texts.count(CHOOSING.offer) == 1
    prompts = [t["prompt"] for t in session["turns"][1:]]
    assert prompts == [ASK_SAFE, MENU, SHORT[0]]
    spoken = Said()  # sentence by sentence, as printed: no sentence of a menu comes twice
    for text in menus:
        spoken.extend(text.split(". "))
    assert len(spoken) == len(set(spoken))


def test_a_second_disclosure_in_the_flow_is_acknowledged_briefly(data_dir):
    _, said, session = run(["I'm scared of him.", "and sometimes I want to die", "stop"], data_dir)
    texts = said.texts()
    assert after(said, HELP.abuse_note["self"])[:5] == [
        ASK_SAFE,
        HELP.acknowledge["self"][0],  # not the whole opener again
        again(0),  # what to do now, for self-harm: the crisis line
        CHOOSING.offer,
        MENU,  # "are you safe" was asked once in this flow already
    ]
    assert HELP.openers["self-harm"]["self"] not in texts
    assert texts.count(ABUSE_HELP) == 1 and texts.count(ASK_SAFE) == 1
    assert turns(session) == [
        ("today", "I'm scared of him."),
        (SAFETY_STATE, "and sometimes I want to die"),
    ]
    assert session["safety"] == ["abuse", "self-harm"]


def test_an_unclear_reply_repeats_what_to_do_now_gently(data_dir):
    _, said, session = run(["I want to die.", "my dad", "stop"], data_dir)
    assert after(said, ASK_SAFE)[:3] == [CHOOSING.unclear[0], again(0), CHOOSING.offer]
    assert turns(session)[-1] == (SAFETY_STATE, "my dad")
    # after abuse, the line repeated is the abuse line
    _, said, _ = run(["He hit me last night.", "my dad", "stop"], data_dir / "b")
    assert after(said, ASK_SAFE)[:3] == [CHOOSING.unclear[0], again(0, "abuse"), CHOOSING.offer]


def test_continue_goes_on_and_the_session_ends_gently(data_dir):
    outcome, said, session = run(
        [
            "a late reply",
            "I haven't eaten in three days.",
            "continue",
            "I know it",
            "rest",
            "a walk",
            "five",
        ],
        data_dir,
    )
    texts = said.texts()
    # The fear was answered, so "roots" follows: after eating, no question is left out.
    assert after(said, ASK_SAFE)[:2] == [CONTINUING, PROMPT["roots"]]
    states = ["today", "fear", "roots", "need", "kindness", "secure"]
    assert [t[0] for t in turns(session)] == states
    assert texts[-1] == HELP.fill(CHOOSING.closing, Resources()) and EVENING.outro not in texts
    assert said[-1][0] == "slow"
    assert outcome.status == session["status"] == "safety"  # completed, with a concern noticed
    assert session["safety"] == ["eating"]


def test_pause_after_a_concern_waits_then_goes_on(data_dir, commands):
    outcome, said, session = run(
        [
            "He hits me when he's drunk.",
            "pause",
            "I'm making tea",
            "continue",
            "that he'd leave",
            "stop",
        ],
        data_dir,
    )
    assert after(said, ASK_SAFE)[:3] == [
        commands.replies["paused"],
        commands.replies["resumed"],
        PROMPT["fear"],
    ]
    assert turns(session) == [
        ("today", "He hits me when he's drunk."),
        (PAUSED_STATE, "I'm making tea"),  # said while paused: saved, and checked
        ("fear", "that he'd leave"),
    ]
    # "stop" at a script question, after a concern: where help is, not only "stopping here"
    assert said.texts()[-2:] == [HELP.fill(CHOOSING.stopped, Resources()), HELP.device_note]
    assert commands.replies["stopped"] not in said.texts()
    assert session["status"] == "safety" and session["safety"] == ["abuse"]
    assert outcome.answers == 3


def test_what_is_typed_while_paused_is_saved_and_checked(data_dir, commands):
    """Reproduced by the reviewer: disclosure, "pause", then a line about being in danger was
    neither saved nor checked."""
    outcome, said, session = run(
        [
            "I want to die.",
            "pause",
            "skip",  # a command that does not end a pause: passed over, not saved
            "he is coming home and i am scared of him",
            "pause",
            "continue",
            "stop",
        ],
        data_dir,
    )
    texts = said.texts()
    paused = commands.replies["paused"]
    assert after(said, paused)[:3] == [
        HELP.openers["abuse"]["self"],
        ABUSE_HELP,
        HELP.abuse_note["self"],
    ]
    assert texts.count(paused) == 2  # the flow's "pause" after the new concern: paused again
    assert turns(session) == [
        ("today", "I want to die."),
        (PAUSED_STATE, "he is coming home and i am scared of him"),
    ]
    assert session["turns"][1]["prompt"] == paused
    assert session["safety"] == ["self-harm", "abuse"] and outcome.status == "safety"


def test_paused_from_the_script_a_disclosure_is_still_answered(data_dir, commands):
    _, said, session = run(
        ["a late reply", "pause", "I want to die.", "continue", "stop"], data_dir
    )
    assert after(said, commands.replies["paused"])[:2] == [
        HELP.openers["self-harm"]["self"],
        DEFAULT_HELP,
    ]
    # "continue" answered the safety flow's question: the script goes on, gently
    assert after(said, ASK_SAFE)[:2] == [CONTINUING, PROMPT["fear"]]
    assert turns(session)[-1] == (PAUSED_STATE, "I want to die.")
    assert session["safety"] == ["self-harm"]


def test_while_paused_after_a_concern_fear_is_heard_though_no_rule_matched(data_dir, commands):
    _, said, session = run(["I want to die.", "pause", "I'm so scared", "stop"], data_dir)
    assert SAFEGUARDS.check.check("I'm so scared") is None  # the flow's own phrases, not a rule
    assert after(said, commands.replies["paused"])[:4] == [
        REPLIES.still_unsafe[0],
        again(0),
        CHOOSING.offer,
        MENU,
    ]
    assert turns(session)[-1] == (PAUSED_STATE, "I'm so scared")


def test_stop_after_a_concern_ends_with_where_help_is(data_dir, commands):
    outcome, said, session = run(
        ["I want to die.", "stop"], data_dir, resources=Resources("112", "")
    )
    stopped = HELP.fill(CHOOSING.stopped, Resources("112", ""))
    assert said[-1] == ("slow", stopped) and "call 112" in stopped
    assert commands.replies["stopped"] not in said.texts()
    assert outcome.status == session["status"] == "safety"
    assert session["ended_at"]


def test_breathing_then_the_choice_again(data_dir):
    _, said, session = run(["I want to die.", "breathe", "continue", "stop"], data_dir)
    b = SUPPORT.breathing
    pattern = find_pattern(b.pattern)  # the same exercise as `reflect breathe`
    cues = [phase.say for _ in range(b.rounds) for phase in pattern.phases]
    exercise = [b.intro, *cues, b.outro]
    assert after(said, DEFAULT_HELP)[: len(exercise) + 4] == [
        ASK_SAFE,
        *exercise,
        MENU,  # just breathed: the exercise is not offered again
        CONTINUING,
        PROMPT["fear"],
    ]
    assert turns(session)[0] == ("today", "I want to die.")  # choices are not answers
    assert session["turns"][1]["breathing"]["rounds_done"] == b.rounds  # the exercise is kept


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_weaker_sign_is_asked_about_and_a_clear_answer_goes_back_to_the_script(
    category, data_dir, commands
):
    sign, all_right = WEAKER[category]
    concern = SAFEGUARDS.check.check(sign)
    assert concern and concern.level is Level.ASK and concern.category == category
    outcome, said, session = run(["a late reply", sign, all_right, "to be held", "stop"], data_dir)
    question = SUPPORT.asking.questions[category]
    assert after(said, PROMPT["fear"])[:3] == [
        question.ask,  # asked directly, in its own words, not the full help
        typed(SUPPORT.asking.cleared),  # warmly back, with a line that help is there
        PROMPT["roots"],
    ]
    texts = said.texts()
    assert not set(HELP.openers[category].values()) & set(texts)
    assert help_for(category) not in texts and ASK_SAFE not in texts and MENU not in texts
    assert texts[-1] == commands.replies["stopped"]  # the script's own "stop", as before
    assert turns(session) == [
        ("today", "a late reply"),
        ("fear", sign),
        (SAFETY_STATE, all_right),  # the answer to the question, saved like the flow's replies
        ("roots", "to be held"),
    ]
    assert session["turns"][2]["prompt"] == question.ask
    assert outcome.status == session["status"] == "stopped" and session["safety"] == []
    assert session["concerns"] == [
        {"category": category, "level": "ask", "outcome": "all-right", "reported": False}
    ]


@pytest.mark.parametrize(
    ("sign", "reply", "outcome"),
    [
        ("I'm just a burden", "yes", "confirmed"),
        ("I can't do this anymore", "I don't know", "unclear"),
        ("I'm just a burden", "no, but it's hard to explain", "unclear"),
        ("I'm just a burden", "I'm scared", "unclear"),  # no "no": not a clear answer
        ("He makes all the decisions", "no", "confirmed"),  # "no", not safe at home
        ("He makes all the decisions", "I am not", "confirmed"),  # not "I am"
    ],
)
def test_a_yes_or_an_unclear_answer_gets_the_full_help(data_dir, sign, reply, outcome):
    category = SAFEGUARDS.check.check(sign).category
    _, said, session = run([sign, reply, "stop"], data_dir)
    question = SUPPORT.asking.questions[category].ask
    expected = [question, HELP.openers[category]["self"], help_for(category)]
    assert said.texts()[said.texts().index(question) :][:3] == expected
    assert ASK_SAFE in after(said, help_for(category))  # then "Are you safe right now?"
    assert typed(SUPPORT.asking.cleared) not in said.texts()
    assert session["status"] == "safety" and session["safety"] == [category]
    assert session["concerns"] == [
        {"category": category, "level": "ask", "outcome": outcome, "reported": False}
    ]


def test_a_new_disclosure_in_answer_to_the_question_gets_its_help(data_dir):
    _, said, session = run(["I'm just a burden", "no, but he hit me last night", "stop"], data_dir)
    assert after(said, SUPPORT.asking.questions["self-harm"].ask)[:4] == [
        HELP.openers["abuse"]["self"],
        ABUSE_HELP,
        HELP.abuse_note["self"],
        ASK_SAFE,
    ]
    assert session["safety"] == ["self-harm", "abuse"]
    assert [(c["category"], c["level"], c["outcome"]) for c in session["concerns"]] == [
        ("self-harm", "ask", "disclosure"),
        ("abuse", "help", "help"),
    ]


def test_silence_at_the_question_asks_once_more_then_gives_the_help(data_dir):
    question = SUPPORT.asking.questions["self-harm"]
    _, said, session = run(["I'm just a burden", "", "", "stop"], data_dir)
    assert after(said, question.ask)[:4] == [
        question.again,  # gently, once more
        HELP.openers["self-harm"]["self"],
        DEFAULT_HELP,
        ASK_SAFE,
    ]
    assert [c["outcome"] for c in session["concerns"]] == ["unclear"]
    # stopped before any answer: not cleared, so where help is at the end
    _, said, session = run(["I'm just a burden", "stop"], data_dir / "b")
    assert said[-1] == ("slow", HELP.fill(CHOOSING.stopped, Resources()))
    assert session["safety"] == ["self-harm"]
    assert [c["outcome"] for c in session["concerns"]] == ["unanswered"]


def test_typists_are_told_to_type(data_dir):
    _, said, _ = run(["I want to die.", "yes", "continue", "stop"], data_dir)
    texts = said.texts()
    assert "You can type breathe" in MENU and MENU in texts
    assert CONTINUING == "We'll go gently. You can type stop at any time." and CONTINUING in texts
    flow = after(said, DEFAULT_HELP)
    assert not any("{say}" in text or " say " in f" {text} " for text in flow)


def test_the_levels_are_in_the_journal_the_export_and_history(tmp_path):
    data = tmp_path / "d"
    first = "a late reply\nI'm just a burden\nno, I just meant I'm tired\nstop\n"
    second = "He makes all the decisions\nno\nstop\n"
    for stdin in (first, second):
        result = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
        assert result.returncode == 0, result.stderr
    exported = cli("export", "--format", "json", "--data-dir", str(data))
    cleared, helped = json.loads(exported.stdout)["sessions"]
    assert cleared["status"] == "stopped" and cleared["safety"] == []
    assert cleared["concerns"] == [
        {"category": "self-harm", "level": "ask", "outcome": "all-right", "reported": False}
    ]
    assert helped["status"] == "safety" and helped["safety"] == ["abuse"]
    assert helped["concerns"][0]["outcome"] == "confirmed"
    diary = cli("export", "--format", "markdown", "--data-dir", str(data)).stdout
    assert "*Safety check: self-harm: asked, and all was well.*" in diary
    assert "*Safety check: abuse: asked, then help was offered.*" in diary
    history = cli("history", "--data-dir", str(data)).stdout.splitlines()
    assert "stopped (asked: self-harm)" in history[0] and "safety (abuse)" in history[1]
    assert "burden" not in "".join(history)  # the category, never the words


def test_silence_twice_in_the_safety_flow_waits_instead_of_asking_on(data_dir, commands):
    _, said, session = run(["I want to die.", "", "", "continue", "stop"], data_dir)
    assert after(said, DEFAULT_HELP)[:6] == [
        ASK_SAFE,
        CHOOSING.quiet[0],
        ASK_SAFE,
        commands.replies["paused"],
        commands.replies["resumed"],
        PROMPT["fear"],
    ]
    assert session["status"] == "safety"


def test_the_end_of_input_after_a_concern_is_still_stored_as_safety(data_dir):
    outcome, _, session = run(
        ["a late reply", "He said he would kill me if I ever left."], data_dir
    )
    assert outcome.status == session["status"] == "safety"
    assert session["safety"] == ["abuse"] and session["ended_at"]


def test_the_first_run_notice_is_said_once(tmp_path):
    _, first, _ = run(["stop"], tmp_path, notice_shown=False)
    notice = HELP.fill(SUPPORT.notice, Resources())
    assert first[:2] == [("slow", notice), EVENING.intro]  # slowly and set apart, like help
    assert "not therapy" in notice and "988" in notice
    assert "reflect setup" in notice  # outside the US: where to set one's own numbers
    _, second, _ = run(["stop"], tmp_path, notice_shown=False)
    assert notice not in second.texts() and second.texts()[0] == EVENING.intro


def test_the_counsellor_is_suggested_once_after_three_strong_sessions(tmp_path):
    def evening(first_answer: str) -> list[str]:
        return run([first_answer, "stop"], tmp_path)[1].texts()

    assert SUPPORT.strong.in_answer(STRONG) == {"terrified", "will leave me", "can't sleep"}
    assert SUPPORT.counsellor.after_sessions == 3
    said = [evening(STRONG), evening(STRONG), evening(CALM), evening(STRONG), evening(STRONG)]
    assert not any(SUPPORT.counsellor.say in texts for texts in said)  # the calm one broke the row
    third = evening(STRONG)
    assert third[-1] == SUPPORT.counsellor.say  # after it, once
    assert SUPPORT.counsellor.say not in evening(STRONG)
    journal = Journal(tmp_path)
    strong = [s.strong for s in journal.summaries()]
    assert journal.flag(COUNSELLOR_FLAG) is True
    journal.close()
    assert strong == [True, True, False, True, True, True, True]


def test_after_abuse_the_counsellor_suggestion_never_mentions_couples(tmp_path):
    """Couples counselling is not advised where there is abuse: support of one's own and the
    abuse line instead, whether abuse came up in the row of strong sessions or before it."""
    abused = "He hit me and I was terrified he will leave me and I can't sleep."
    assert SUPPORT.strong.in_answer(abused) == SUPPORT.strong.in_answer(STRONG)
    assert (
        "couple" in SUPPORT.counsellor.say
    )  # the usual text does, so the test can tell them apart

    def evenings(data: Path, first_answers: list[str]) -> list[str]:
        """What was said in the last of these sessions."""
        said = Said()
        for answer in first_answers:
            _, said, _ = run([answer, "stop"], data)
        return said.texts()

    in_the_row = evenings(tmp_path / "a", [STRONG, abused, STRONG])
    before_it = evenings(tmp_path / "b", [abused, CALM, STRONG, STRONG, STRONG])
    after_abuse = HELP.fill(SUPPORT.counsellor.say_after_abuse, Resources())
    for said in (in_the_row, before_it):
        assert said[-1] == after_abuse and SUPPORT.counsellor.say not in said
    assert "couple" not in after_abuse and "together" not in after_abuse
    assert "of your own" in after_abuse and "1-800-799-7233" in after_abuse
    # with an abuse line set in `reflect setup`, that line
    resources = Resources(abuse_line="Refuge, call 0808 2000 247")
    assert "Refuge, call 0808 2000 247" in HELP.fill(SUPPORT.counsellor.say_after_abuse, resources)


def test_after_a_serious_concern_questions_about_the_past_are_left_out(data_dir):
    """ "Where might that fear come from?" digs into the past: not after self-harm or abuse."""
    assert (
        SUPPORT.skips.probes_past(PROMPT["roots"])
        and "self-harm" in SUPPORT.skips.gentle_categories
    )
    _, said, session = run(
        ["a late reply", "I want to die.", "continue", "to be held", "stop"], data_dir
    )
    assert after(said, ASK_SAFE)[:2] == [CONTINUING, PROMPT["need"]]
    assert PROMPT["roots"] not in said.texts()
    assert [t[0] for t in turns(session)] == ["today", "fear", "need"]
    # a concern about someone else leaves the person's own questions as they were
    _, said, _ = run(
        ["a late reply", FRIEND_NOW, "continue", "stop"],
        data_dir / "b",
    )
    assert after(said, CONTINUING)[:1] == [PROMPT["roots"]]


def test_the_device_note_follows_only_the_persons_own_abuse(tmp_path):
    note = HELP.device_note
    assert "reflect lock" in note and "reflect forget" in note
    _, own, _ = run(["He hit me last night.", "stop"], tmp_path / "a")
    _, other, _ = run(["My sister's husband hits her.", "stop"], tmp_path / "b")
    _, harm, _ = run(["I want to die.", "stop"], tmp_path / "c")
    assert own[-1] == ("slow", note) and own.texts().count(note) == 1
    assert note not in other.texts() and note not in harm.texts()


def test_one_signal_is_not_a_strong_session(data_dir):
    _, _, session = run(["I can't sleep", "stop"], data_dir)
    assert session["strong"] is False


# -- through the command line ------------------------------------------------------------------
def test_setup_sets_shows_and_resets_where_help_is(tmp_path):
    data = tmp_path / "d"
    shown = cli("setup", "--data-dir", str(data))  # nothing set: the default text
    assert shown.returncode == 0, shown.stderr
    assert DEFAULT_HELP in shown.stdout and ABUSE_HELP in shown.stdout
    # the US National Domestic Violence Hotline, after abuse, by default
    assert "Call 1-800-799-7233, or text START to 88788." in ABUSE_HELP

    result = cli(
        "setup",
        "--emergency-number",
        "112",
        "--crisis-line",
        "Samaritans, call 116 123",
        "--abuse-line",
        "National Domestic Abuse Helpline, call 0808 2000 247",
        "--data-dir",
        str(data),
    )
    assert result.returncode == 0, result.stderr
    assert "emergency number: 112" in result.stdout
    assert "abuse line:       National Domestic Abuse Helpline" in result.stdout

    stdin = "I want to die.\nHe hit me last night.\nstop\n"
    session = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert session.returncode == 0, session.stderr
    lines = session.stdout.splitlines()
    assert "» If you are in danger or feel unsafe right now, please call 112." in lines
    assert "» To talk with someone now: Samaritans, call 116 123." in lines
    assert (
        "» For support with a partner's violence, threats or control: "
        "National Domestic Abuse Helpline, call 0808 2000 247." in lines
    )
    after_disclosure = session.stdout.split("you: I want to die.")[1]
    assert "988" not in after_disclosure and "1-800" not in after_disclosure
    assert "saved: safety" in session.stderr

    assert "Samaritans" in cli("setup", "--data-dir", str(data)).stdout  # kept
    reset = cli("setup", "--reset", "--data-dir", str(data))
    assert reset.returncode == 0 and DEFAULT_HELP in reset.stdout
    assert "Samaritans" not in cli("setup", "--data-dir", str(data)).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--emergency-number", "call the police"], "emergency number 'call the police'"),
        (["--crisis-line", "  "], "crisis line: give a name and how to reach it"),
        (["--abuse-line", "x"], "abuse line: give a name and how to reach it"),
        (["--abuse-line", "a\x07bc"], "abuse line: remove the control characters"),
        (["--reset", "--abuse-line", "Refuge, call 0808 2000 247"], "use it on its own"),
        (["--reset", "--emergency-number", "112"], "use it on its own"),
    ],
)
def test_setup_refuses_bad_input_in_one_line(tmp_path, args, message):
    result = cli("setup", *args, "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("reflect: ") and message in line


def test_history_shows_the_category_never_the_words(tmp_path):
    data = tmp_path / "d"
    stdin = "a late reply\nI make myself sick after meals.\nstop\n"
    result = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert result.returncode == 0, result.stderr
    history = cli("history", "--data-dir", str(data))
    assert history.returncode == 0, history.stderr
    [line] = history.stdout.splitlines()
    assert "safety (eating)" in line and "2 answers" in line
    assert "sick" not in history.stdout and "meals" not in history.stdout
    [session] = json.loads(cli("export", "--data-dir", str(data)).stdout)["sessions"]
    assert session["status"] == "safety"
    assert session["turns"][1]["answer"] == "I make myself sick after meals."  # kept for the user


def test_the_flow_through_the_cli_asks_directly_varies_and_speaks_of_typing(tmp_path):
    stdin = "a late reply\nI want to die.\nno\nI don't know\nnot really\nstop\n"
    data = tmp_path / "d"
    result = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert result.returncode == 0, result.stderr
    after_disclosure = result.stdout.split("you: I want to die.")[1]  # not the first-run notice
    flow = [line for line in after_disclosure.splitlines() if line.startswith("» ")]
    crisis_line = "» In the US, you can also call or text 988, the crisis line, day or night."
    assert flow[flow.index(crisis_line) + 1] == f"» {ASK_SAFE}"  # directly, after what to do
    assert "» You can type breathe, to breathe with me for a minute." in flow
    assert not any("say" in line.split() for line in flow)  # typed: "type", never "say"
    menus = [MENU, *SHORT]
    menu_lines = [line for line in flow if any(line[2:] in menu for menu in menus)]
    assert len(menu_lines) == len(set(menu_lines)) >= 6  # the full menu's four lines, two short
    comfort = [line for line in flow if line[2:] in " ".join(REPLIES.still_unsafe)]
    sentences = sum(len(text.split(". ")) for text in REPLIES.still_unsafe)  # each variant once
    assert len(comfort) == len(set(comfort)) == sentences  # "no", "I don't know", "not really"


def test_the_cli_shows_the_notice_on_the_first_run_only(tmp_path):
    data = tmp_path / "d"
    first = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin="stop\n")
    second = cli("evening", "--typed", "--silent", "--data-dir", str(data), stdin="stop\n")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    notice = HELP.fill(SUPPORT.notice, Resources())
    # Set apart like where help is: a blank line, then one sentence per line.
    lines = first.stdout.splitlines()
    assert lines[:3] == ["", "» Before we begin, one thing to know.", "» This is a reflection aid."]
    assert "» It is not therapy, and it is not an emergency service." in lines
    intro = typed_wording(EVENING.intro)  # typed: "You can type repeat, skip, ..."
    assert "not therapy" not in second.stdout and second.stdout.startswith(f"» {intro}")
    assert notice.startswith("Before we begin, one thing to know. This is a reflection aid.")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  eating:\n    self:", "  eating:\n    me:", "openers.eating.me: unknown key"),
        ("  rounds: 3", "  rounds: three", "breathing.rounds: expected a whole number"),
        ("  stop: [stop,", "  stop: [breathe, stop,", "'breathe' already chooses 'breathe'"),
        ("unclear:", "unclaer:", "unclaer: unknown key; did you mean 'unclear'?"),
        # a misspelled key would silently never be said: named, with the key it meant
        (
            "    reported: >-\n      That sounds frightening",
            "    reportd: >-\n      That sounds frightening",
            "openers.abuse.reportd: unknown key; did you mean 'reported'?",
        ),
        ("  accepted:", "  acepted:", "fine.acepted: unknown key; did you mean 'accepted'?"),
        # an "I'm fine" phrase that a reply would choose by, never be checked with
        (
            "    - i'm fine\n",
            "    - i'm fine\n    - go on\n",
            "fine.phrases[1]: 'go on' is already the choice 'continue'",
        ),
        (
            "    - never mind\n",
            "    - never mind\n    - repeat that\n",
            "fine.taken_back[1]: 'repeat that' is already the command 'repeat'",
        ),
        (
            "    - never mind\n",
            "    - never mind\n    - that's all\n",
            'fine.taken_back[1]: "that\'s all" is already a closing phrase',
        ),
        # compared as replies are heard, without apostrophes: "im fine" is "i'm fine"
        (
            "  stop: [stop,",
            "  stop: [im fine, stop,",
            "fine.phrases[0]: \"i'm fine\" is already the choice 'stop'",
        ),
        (
            "    - never mind\n",
            "    - never mind\n    - thats all\n",
            "fine.taken_back[1]: 'thats all' is already a closing phrase",
        ),
        # a "still not safe" phrase inside an "I'm fine" one: that one could never be heard
        ("    - pills\n", "    - pills\n    - ok\n", 'fine.phrases[2]: "i\'m ok" is always read'),
        ('  replies: ["no",', '  replies: ["yes", "no",', "'yes' is already a yes to"),
        # a skip marker that would leave out ordinary questions
        ("    - boundary\n", "    - boundary\n    - feel\n", "abuse.skip_prompts_with[1]: 'feel'"),
        ("    - come from\n", "    - come from\n    - past\n", "'past' would leave out ordinary"),
        ("categories: [self-harm, abuse]", "categories: [selfharm]", "gentle.categories[0]"),
        ('  abuse: "For support', '  abuse: "{crisis} For support', "unknown placeholder {crisis}"),
        # the new sections: asking first, variants said in turn, how answering is named
        (
            '      all_right: "no"\n    abuse:',
            '      all_right: "maybe"\n    abuse:',
            'ask_first.questions.self-harm.all_right: expected "no" or "yes"',
        ),
        ("  cleared: >-", "  cleard: >-", "ask_first.cleard: unknown key; did you mean 'cleared'?"),
        (
            '  - "Whenever you\'re ready: breathe, continue, pause or stop."\n'
            '  - "We can breathe, continue, pause or stop. It\'s up to you."\n',
            "",
            "choice_short: expected a list of at least two texts",
        ),
        (
            "  - I'm listening. We can take this slowly.\n",
            "  - I'm here, and there's no rush.\n",
            "unclear[1]: said twice in the list; vary it",
        ),
        ("  typed: type\n", "  typed: type\n  written: write\n", "answering.written: unknown key"),
        ('  "yes": ["yes", yeah,', '  "yes": ["yes", nope, yeah,', "'nope' is in ask_first.no too"),
        (
            "gently. You can {say} stop",
            "gently. You can {type} stop",
            "placeholder {type}; use {say}",
        ),
    ],
)
def test_support_file_mistakes_name_line_key_and_fix(tmp_path, commands, old, new, message):
    text = (DIALOGS_DIR / "support.yaml").read_text()
    assert text.count(old) == 1
    path = tmp_path / "support.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(BadScriptError) as caught:
        load_support(path, CATEGORIES, reserved_phrases(commands))
    where, _, rest = str(caught.value).partition(": ")
    assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit()
    assert message in rest and "\n" not in str(caught.value)


def test_what_to_do_now_says_each_thing_once():
    custom = Resources("112", "Samaritans, call 116 123", "Refuge, call 0808 2000 247")
    for resources in (Resources(), custom):
        for category in CATEGORIES:
            text = help_for(category, resources=resources)
            assert text.lower().count("talk with someone") <= 1
            sentences = text.split(". ")
            assert len(sentences) == len(set(sentences))
    assert "Refuge" in help_for("abuse", resources=custom)
    assert "Samaritans" not in help_for("abuse", resources=custom)  # the abuse line instead


def test_where_help_is_is_spoken_slower_and_numbers_digit_by_digit(tmp_path):
    """Real espeak-ng into a WAV: the slow rate, phone numbers, and breathing quiet in audio."""
    settings = VoiceSettings()
    assert settings.rate(slow=True) < settings.rate()
    assert VoiceSettings(rate_wpm=100).rate(slow=True) == 100  # never faster than asked for
    text = "If you are in danger right now, please call your local emergency number."
    normal = EspeakCliSynth(settings).render(text)
    slow = EspeakCliSynth(settings).render(text, slow=True)
    assert 1.15 < slow.duration_s / normal.duration_s < 1.5
    # Digit by digit, a pause (a comma) between the groups; espeak-ng says the dashes aloud
    assert spoken("call or text 988, or 116 123, at 10 pm") == (
        "call or text 9 8 8, or 1 1 6, 1 2 3, at 10 pm"
    )
    assert spoken(ABUSE_HELP).endswith("Call 1, 8 0 0, 7 9 9, 7 2 3 3, or text START to 8 8 7 8 8.")
    assert spoken("+44 20 7946 0958") == "plus 4 4, 2 0, 7 9 4 6, 0 9 5 8"
    sink = WavSink(tmp_path / "out.wav", gap_s=0)
    voice = Voice([EspeakCliSynth(settings)], sink, show=lambda text: None)
    voice.say("Breathe in.", slow=True)
    voice.pause(3.0)
    voice.say("Breathe out.", slow=True)
    voice.close()
    with wave.open(str(tmp_path / "out.wav")) as out:
        rate = out.getframerate()
        samples = np.frombuffer(out.readframes(out.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    longest_quiet_s = np.diff(loud).max() / rate
    assert 3.0 <= longest_quiet_s < 3.8  # the pause, plus espeak's own trailing quiet
