"""What is said around the sessions, once each: the first-run notice (what this is and is not,
and where help is) and, after several sessions of strong insecurity in a row, the gentle
suggestion of a counsellor. Both remember in the journal that they were said.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from assistant.events import Speaker
from assistant.journal.records import Status, Summary
from assistant.safety.resources import Resources
from assistant.safety.support import Support

NOTICE_FLAG = "notice_shown"
COUNSELLOR_FLAG = "counsellor_suggested"
#: The safety category after which couples work is never suggested.
ABUSE = "abuse"


class JournalState(Protocol):
    def flag(self, name: str) -> Any: ...

    def set_flag(self, name: str, value: Any) -> None: ...

    def summaries(self) -> list[Summary]: ...


def first_run_notice(
    journal: JournalState,
    voice: Speaker,
    support: Support,
    resources: Resources,
    cut: Callable[[], bool] = lambda: False,
) -> bool:
    """Before the very first session: what this is and is not, and where help is; slowly and
    set apart, like everything about where help is. `cut`: the person spoke over it (a command
    stopped it), so it was not heard to the end and is said again next time. True when it was
    heard whole now."""
    if journal.flag(NOTICE_FLAG):
        return False
    voice.say(support.help.fill(support.notice, resources), slow=True)
    if cut():
        return False
    journal.set_flag(NOTICE_FLAG, True)  # only once it has been heard to the end
    return True


def strong_session(signals: set[str], support: Support) -> bool:
    return len(signals) >= support.strong.min_signals


def counsellor_due(summaries: Sequence[Summary], support: Support) -> bool:
    """The last `counsellor.after_sessions` sessions with answers were all strong."""
    ended = [s for s in summaries if s.status is not Status.RUNNING and s.answers]
    after = support.counsellor.after_sessions
    recent = ended[-after:]
    return len(recent) == after and all(s.strong for s in recent)


def abuse_noticed(summaries: Sequence[Summary]) -> bool:
    """Any session in the journal noticed abuse, at either level (asked about too). The whole
    history, not only the sessions that made the row: couples counselling can put someone at risk
    wherever there has been abuse."""
    return any(ABUSE in s.safety or any(c.category == ABUSE for c in s.concerns) for s in summaries)


def suggest_counsellor(
    journal: JournalState, voice: Speaker, support: Support, resources: Resources
) -> bool:
    """Once ever, gently, after several strong sessions in a row. Returns True when said."""
    if journal.flag(COUNSELLOR_FLAG):
        return False
    summaries = journal.summaries()
    if not counsellor_due(summaries, support):
        return False
    if abuse_noticed(summaries):  # support of their own, and the abuse line: said slowly
        voice.say(support.help.fill(support.counsellor.say_after_abuse, resources), slow=True)
    else:
        voice.say(support.help.fill(support.counsellor.say, resources))
    journal.set_flag(COUNSELLOR_FLAG, True)
    return True
