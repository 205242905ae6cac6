"""The reading-back commands: insights, report, search, history, show, and the evening reminder.

Their rows are in cli/commands.py (the one table of commands), which takes each one's options and
runner from here. The heavy imports (rich, simplemma) happen only when one of them runs.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any


def _weeks(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 520:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of weeks from 1 to 520")
    return int(value)


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD") from None


def _limit(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number from 1")
    return int(value)


def options(name: str) -> Callable[[argparse.ArgumentParser], None]:
    """The options of one reading command, for its row in cli/commands.py."""
    return lambda p: _options(name, p)


def runner(name: str) -> Callable[[argparse.Namespace, Path, Path], int]:
    """What runs one reading command, for its row in cli/commands.py."""
    return lambda args, dialogs_dir, data_dir: _run(name, args, dialogs_dir, data_dir)


def _options(name: str, p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    from assistant.cli.options import data_dir_option as _data_dir_option
    from assistant.insights.settings import InsightSettings

    if name == "remind":
        p.description = "An evening notification inviting you to reflect; it starts nothing."
        what = p.add_mutually_exclusive_group()
        what.add_argument("--at", metavar="HH:MM", help="remind every evening at this time")
        what.add_argument("--off", action="store_true", help="remove the reminder")
        return p
    _data_dir_option(p)
    if name in ("insights", "report"):
        p.add_argument(
            "--weeks",
            type=_weeks,
            default=InsightSettings.weeks,
            help="how many weeks up to today (default %(default)s)",
        )
    if name == "insights":
        p.add_argument(
            "--explain", action="store_true", help="also say how each figure is worked out"
        )
    if name == "report":
        p.add_argument(
            "--html", type=Path, required=True, metavar="FILE", help="the HTML file to write"
        )
    elif name == "search":
        p.add_argument("words", nargs="+", help="words an answer must hold (any form of them)")
    elif name == "history":
        p.add_argument("--since", type=_since, metavar="YYYY-MM-DD", help="from this day on")
        p.add_argument("--limit", type=_limit, metavar="N", help="only the last N sessions")
    elif name == "show":
        p.add_argument("id", help="session id (or its first characters), or last")
    return p


def _run(name: str, args: argparse.Namespace, dialogs_dir: Path, folder: Path) -> int:
    if name == "remind":
        return _remind(args)
    from assistant.cli import passphrase
    from assistant.cli.console import Console
    from assistant.journal.store import Journal

    journal = Journal(folder, create=False, passphrase=passphrase.ask, warn=Console().note)
    try:
        if name == "history":
            return _history(journal, args)
        if name == "show":
            return _show(journal, args.id)
        if name == "search":
            return _search(journal, args.words)
        return _insights(journal, args, dialogs_dir, folder, html=name == "report")
    finally:
        journal.close()


def _history(journal: Any, args: argparse.Namespace) -> int:
    from assistant.base.text import plural
    from assistant.cli.pager import show

    sessions = journal.summaries()
    if args.since:
        sessions = [s for s in sessions if s.started_at[:10] >= args.since.isoformat()]
    if args.limit:
        sessions = sessions[-args.limit :]
    if not sessions:
        print("no sessions yet" if not args.since else "no sessions since then", file=sys.stderr)
    damaged = journal.damaged()
    for problem in damaged.values():
        journal.warn(problem)
    rows = []
    for s in sessions:
        answers = plural(s.answers, "answer")
        when = s.started_at[:16].replace("T", " ")
        # The category of a safety concern, never the words that raised it.
        status = f"{s.status.value} ({', '.join(s.safety)})" if s.safety else s.status.value
        asked = [c.category for c in s.concerns if c.outcome == "all-right"]
        if asked and not s.safety:  # asked about, and all was well
            status = f"{status} (asked: {', '.join(dict.fromkeys(asked))})"
        if s.id in damaged:  # what the index remembers, but the answers cannot be read
            status, answers = "damaged", "(see `reflect repair`)"
        if s.summary and s.id not in damaged:  # a breathing exercise or a break: what it was
            answers = s.summary.removesuffix(f", {s.status.value}")  # the status has its column
        rows.append((s.id, when, s.script, status, answers))
    width = max((len(row[3]) for row in rows), default=0)  # "safety (self-harm)" stays in line
    show("".join(f"{i}  {w}  {c:10s} {t:{width}s} {a}\n" for i, w, c, t, a in rows))
    return 0


def _show(journal: Any, which: str) -> int:
    from assistant.base.errors import BadInputError
    from assistant.cli.pager import show
    from assistant.journal.export import to_markdown

    if which.lower() == "last":
        summaries = journal.summaries()
        if not summaries:
            raise BadInputError("no sessions yet; `reflect evening` starts one")
        which = summaries[-1].id
    show(to_markdown([journal.find(which)]))
    return 0


def _search(journal: Any, words: Sequence[str]) -> int:
    from rich.text import Text

    from assistant.cli.pager import show
    from assistant.insights.words import lemmas, tokens

    wanted = [w for word in words for w in tokens(word)]
    signs = [word for word in words if word.strip() and not tokens(word)]  # "😔": as written
    if not wanted and not signs:
        from assistant.base.errors import BadInputError

        raise BadInputError("say which words to look for, e.g. reflect search late reply")
    console, buffer = _console()
    found = 0
    for session in journal.sessions():
        for turn in session.turns:
            said = turn.answer
            have = set(tokens(said)) | set(lemmas(tokens(said)))
            pairs = zip(wanted, lemmas(wanted), strict=True)
            if not all(word in have or lemma in have for word, lemma in pairs):
                continue
            if not all(sign in said for sign in signs):
                continue
            found += 1
            when = session.started_at[:16].replace("T", " ")
            console.print(f"{session.id}  {when}  {turn.prompt}", style="bold")
            text = Text(f"  {said}")
            text.highlight_words(words, style="reverse", case_sensitive=False)
            console.print(text)
    if not found:
        print(f"no answer holds {' '.join(words)!r}", file=sys.stderr)
    show(buffer.getvalue())
    return 0


def _console():
    from rich.console import Console

    width = shutil.get_terminal_size().columns
    buffer = io.StringIO()
    tty = sys.stdout.isatty()
    return Console(file=buffer, force_terminal=tty, width=width, highlight=False), buffer


def _insights(
    journal: Any, args: argparse.Namespace, dialogs_dir: Path, folder: Path, html: bool
) -> int:
    from assistant.cli.pager import show
    from assistant.insights.compute import compute
    from assistant.insights.settings import InsightSettings
    from assistant.insights.vocabulary import load_vocabulary
    from assistant.journal.crypto import LOCK_FILE
    from assistant.journal.store import local_now

    vocabulary = load_vocabulary(dialogs_dir / "themes.yaml")  # a broken file: before any read
    settings = replace(InsightSettings(), weeks=args.weeks)
    insights = compute(journal.sessions(), vocabulary, local_now().date(), settings)
    if html:
        return _write_report(insights, args.html, folder, (folder / LOCK_FILE).exists())
    from assistant.insights.terminal import print_insights

    console, buffer = _console()
    print_insights(insights, console, explain=args.explain)
    show(buffer.getvalue())
    return 0


def _write_report(insights: Any, target: Path, folder: Path, locked: bool) -> int:
    from assistant.base.errors import BadInputError
    from assistant.cli.console import Console
    from assistant.insights.report import render_html
    from assistant.journal.files import atomic_write

    target = target.expanduser().resolve()
    if target.is_dir():
        raise BadInputError(f"--html {target}: that is a folder; name a file, e.g. report.html")
    if folder.resolve() in target.parents:
        raise BadInputError(
            f"--html {target}: not inside the journal folder; write it somewhere of your own"
        )
    if not target.parent.is_dir():
        raise BadInputError(f"--html {target}: the folder {target.parent} does not exist")
    try:
        atomic_write(target, render_html(insights, locked).encode("utf-8"))  # 0600
    except OSError as exc:
        raise BadInputError(f"cannot write {target}: {exc.strerror}") from None
    note = Console().note
    if locked:
        note(
            f"warning: {target} is plain text, not encrypted like the journal; anyone who can "
            "open it can read your answers. Delete it when you are done."
        )
    note(f"wrote {target}")
    return 0


def _remind(args: argparse.Namespace) -> int:
    from assistant.cli.reminder import At, Reminder

    reminder = Reminder()
    if args.at:
        print(reminder.install(At.parse(args.at)))
    elif args.off:
        print(reminder.remove())
    else:
        print(reminder.describe())
    return 0
