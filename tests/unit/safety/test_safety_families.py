"""Each rule family of dialogs/safety.yaml (an item of a published instrument: 988/AFSP warning
signs, the Columbia screener, the Duluth power and control wheel, the Danger Assessment, SCOFF,
EDE-Q) fires on its own sentences and stays quiet on look-alikes; the ASK level; the false
alarms the families invite (hyperbole with a laugh, denials, benign reasons, hypotheticals,
stories). Sentences here are written for these tests, not taken from the held-out sets."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
from assistant.safety.check import Concern, Level, SafetyCheck, load_safety

# family: (sentences it must catch, look-alikes that must raise nothing)
FAMILIES: dict[str, tuple[list[str], list[str]]] = {
    # --- self-harm: C-SSRS steps
    "wish-to-be-dead": (
        ["I wish I could go to sleep and never wake up."],
        ["I wish I could sleep in."],
    ),
    "thoughts": (["I keep having thoughts of killing myself."], ["I killed it at the gym today."]),
    "method": (
        ["I keep looking at the train tracks on my way home."],
        ["The train was late again."],
    ),
    "intent": (["I'm going to do it tonight."], ["I'm going to do the dishes tonight."]),
    "plan": (["I've worked out how I would do it."], ["I've worked out how to fix the sink."]),
    "preparation": (["I've been saving up my pills."], ["I've been saving up for a holiday."]),
    "behaviour": (["I burned my arm with a lighter on purpose."], ["I burned the toast again."]),
    # --- self-harm: 988/AFSP warning signs
    "burden": (["Everyone would be happier without me."], ["Everyone was happier after lunch."]),
    "no-reason-to-live": (["I have nothing left to live for."], ["I have nothing left to wear."]),
    "hopelessness": (
        ["I feel hopeless about everything."],
        ["I felt hopeless about the house hunting today but then we found a place we both love."],
    ),
    "trapped": (["I can't take it anymore."], ["I feel trapped in this routine at work."]),
    "researching-means": (["I googled painless ways last night."], ["I googled pasta recipes."]),
    "giving-away": (["I gave away my guitar and my records."], ["I gave my sister a lift."]),
    "goodbye": (["I wrote goodbye letters to my family."], ["I wrote a thank you card."]),
    "affairs-in-order": (["I've been putting my affairs in order."], ["I put my files in order."]),
    "reckless-risk": (
        ["I drive without a seatbelt now, I don't care if I crash."],
        ["I always wear my seatbelt."],
    ),
    "not-around-long": (
        ["Don't worry, I won't be a problem for much longer."],
        ["The problem won't last much longer."],
    ),
    # --- abuse: Duluth wheel
    "intimidation": (
        ["He keeps his knife on the table when we argue.", "He threw my phone at the wall."],
        ["He keeps his knife collection in a box."],
    ),
    "emotional-abuse": (
        ["He calls me worthless in front of my friends."],
        ["He calls me every night after work."],
    ),
    "isolation": (
        ["He sulks for days whenever I see my friends.", "He won't let me see my family."],
        ["He sees his friends on Fridays."],
    ),
    "minimising-blaming": (["He says it's my fault he hit me."], ["He says it's my turn to cook."]),
    "using-children": (["He uses the kids against me."], ["He takes the kids to football."]),
    "privilege": (["He treats me like a servant."], ["He treats me to dinner on Fridays."]),
    "economic-abuse": (
        ["I have to ask him for money for groceries."],
        ["I asked him to pay me back for the groceries."],
    ),
    "coercion-and-threats": (
        ["He won't take no for an answer.", "When I say no he gets angry."],
        ["He took the news well."],
    ),
    "partner-suicide-threat": (
        ["She says she'll hurt herself if I leave."],
        ["She says she'll leave early."],
    ),
    # --- abuse: Danger Assessment
    "physical-violence": (["He slapped me last night."], ["He slapped the table laughing."]),
    "strangulation": (["He put his hands around my throat."], ["He put a scarf around my neck."]),
    "gun-or-weapon": (["He pointed a gun at me."], ["He keeps a gun for hunting."]),
    "threats-to-kill": (
        ["He said he'd kill me if I ever left."],
        ["He'll kill me when he sees the dent in the car, haha."],
    ),
    "forced-sex": (["I told him to stop and he kept going."], ["I told him to stop the car."]),
    "controlling-daily-activities": (
        ["He decides what I wear every day."],
        ["He took my car keys because I had been drinking."],
    ),
    "monitoring-and-stalking": (["He put a tracker on my car."], ["He put a bike rack on my car."]),
    "fear-for-safety": (["I don't feel safe at home."], ["I feel safe at home."]),
    # --- eating: SCOFF and EDE-Q
    "restricting": (
        ["I haven't eaten since yesterday because I want to be thinner for him."],
        ["I haven't eaten since yesterday because of a stomach bug."],
    ),
    "earning-food": (["I have to earn my dinner by running first."], ["I earn my money."]),
    "compensatory-exercise": (
        ["I ran for two hours because I ate pizza."],
        ["I ran for two hours because it was sunny."],
    ),
    "self-induced-vomiting": (["I make myself sick after dinner."], ["I felt sick after dinner."]),
    "laxatives-diuretics-pills": (
        ["I've been taking diet pills and water pills."],
        ["I've been taking vitamins."],
    ),
    "weighing-and-body-checking": (
        ["I weigh myself before and after every meal."],
        ["I weighed the flour for the cake."],
    ),
    "loss-of-control-eating": (
        ["I lose control around food and eat until I feel sick."],
        ["I couldn't stop eating the chocolates at Christmas, haha."],
    ),
    "hiding-food": (["I hide snacks in my car so nobody sees."], ["I hid his birthday present."]),
    "physical-signs": (["My periods stopped after I lost weight."], ["My period came late."]),
    "fear-of-weight-gain": (["I'm terrified of gaining weight."], ["I'm terrified of spiders."]),
    "guilt-and-shape-concern": (["I feel disgusting every time I eat."], ["I feel great today."]),
    "food-dominates": (["I think about food all the time."], ["I think about him all the time."]),
    "named-disorder": (["I think I have anorexia."], ["I read an article about anorexia."]),
}


@pytest.fixture(scope="module")
def safety() -> SafetyCheck:
    return load_safety(DIALOGS_DIR / "safety.yaml")


def test_every_family_has_a_note_and_tests(safety):
    assert set(safety.rules.notes) == set(FAMILIES)
    assert all(len(note) > 15 for note in safety.rules.notes.values())


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_fires_on_its_item(safety, family):
    fires, _ = FAMILIES[family]
    for text in fires:
        for shaped in (text, normalize(text)):
            families = {hit.concern.family for hit in safety.explain(shaped)}
            assert family in families, (shaped, families)
            assert safety.check(shaped) is not None


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_is_quiet_on_look_alikes(safety, family):
    _, quiet = FAMILIES[family]
    for text in quiet:
        assert safety.check(text) is None, (text, safety.explain(text))
        assert safety.check(normalize(text)) is None


def test_the_family_of_the_concern_is_known(safety):
    concern = safety.check("He put his hands around my throat.")
    assert concern == Concern("abuse", False)
    assert concern.family == "strangulation"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I can't do this anymore.", "self-harm"),
        ("I'm just a burden.", "self-harm"),
        ("I can't live without him.", "self-harm"),
        ("He gets scary when he drinks.", "abuse"),
        ("I haven't eaten since yesterday.", "eating"),
    ],
)
def test_a_weaker_sign_asks(safety, text, category):
    assert safety.check(text) == Concern(category, False, Level.ASK)
    assert safety.check(normalize(text)) == Concern(category, False, Level.ASK)


@pytest.mark.parametrize(
    "text",
    [
        "I want to die.",
        "I'm a burden to everyone, they'd be happier if I was gone.",
        "He choked me.",
        "I make myself throw up.",
    ],
)
def test_a_strong_sign_asks_for_help(safety, text):
    assert safety.check(text).level is Level.HELP


def test_help_outranks_ask_in_one_answer(safety):
    text = "I can't do this anymore, I want to die."
    assert safety.check_all(text) == [Concern("self-harm", False, Level.HELP)]
    text = "I can't do this anymore and he choked me."
    assert safety.check_all(text) == [
        Concern("abuse", False, Level.HELP),
        Concern("self-harm", False, Level.ASK),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # hyperbole with a laugh or a resolution
        "He's going to murder me when he sees the bill, haha.",
        "My friends were bickering and she said she'd kill him, we all laughed.",
        "He called me an idiot for forgetting the keys, lol.",
        # denials that deny
        "No, he has never once laid a hand on me.",
        "Suicide has never crossed my mind.",
        "I'm not scared of him at all.",
        # benign reasons
        "He took my car keys because I had been drinking.",
        "I haven't eaten since yesterday because I was so nervous about the interview.",
        # hypotheticals
        "If he ever hit me I would leave that day.",
        "What if I had an eating disorder and didn't know?",
        "If I ever felt suicidal I would call my sister.",
        # stories
        "In the film the husband strangles his wife.",
        "We listened to a podcast where a woman's boyfriend threatens to kill her.",
        "The book is about a girl who starves herself.",
        "I watched a movie where she cuts herself.",
        "The book I'm reading has a character who starves herself.",
        # someone else's hyperbole turned on them, and rough play
        "Honestly I wanted to strangle him when he ate the last of the ice cream.",
        "He threw a pillow at me when I made a terrible pun.",
        "He said he was going to kill me for spoiling the ending of the show.",
        "He grabbed my arm to stop me stepping into the road when a bike came past.",
        "He read my phone because I asked him to look at a message from the landlord.",
    ],
)
def test_false_alarms_the_families_invite(safety, text):
    assert safety.check(text) is None, safety.explain(text)
    assert safety.check(normalize(text)) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a condition someone says is a threat, not a supposition (negation.hypothetical)
        ("He says if I ever leave he will take the kids and I'll never see them again.", "abuse"),
        ("He told me if I tell anyone he'll make sure I regret it.", "abuse"),
        # 988/AFSP signs in indirect words
        ("I won't be a problem for anyone much longer.", "self-harm"),
        ("My brother is giving away his guitar and says he won't be needing it.", "self-harm"),
        ("I keep standing on the balcony just looking down.", "self-harm"),
        # Duluth and Danger Assessment items in indirect words
        ("He takes my whole wage and gives me twenty pounds for the week.", "abuse"),
        ("He put his hands round my neck.", "abuse"),
        ("He cleans his rifle in the living room and just looks at me.", "abuse"),
        # EDE-Q behaviours
        ("I take water tablets before our dates so I look flatter.", "eating"),
        ("I do sit ups after every meal.", "eating"),
    ],
)
def test_indirect_signs_are_caught(safety, text, category):
    for shaped in (text, normalize(text)):
        concern = safety.check(shaped)
        assert concern is not None and concern.category == category, safety.explain(shaped)


@pytest.mark.parametrize(
    "text",
    [
        "He choked me last night, haha, it's fine.",  # a laugh after violence is minimising
        "I want to die lol.",  # self-harm is never softened
        "I watched a film and then I cut myself.",  # a film mentioned, not a story told
        "What if he hits me again?",  # fear that it happens again
    ],
)
def test_softening_stays_where_it_belongs(safety, text):
    assert safety.check(text) is not None
