"""The journal: one small TinyDB file per session, and an index of them, in a private folder
(the layout is in folder.py).

Saving a turn rewrites only that session's file (a few kB), so it costs the same after ten years
as on the first night; the index changes only when a session starts or ends. The session files
are the truth: the index is derived from them, so it can be checked and rebuilt (recovery.py).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Table

from assistant.base.errors import BadInputError, JournalError
from assistant.journal import encryption, recovery
from assistant.journal.files import atomic_write, private_dir, private_subdir, sync_dir
from assistant.journal.folder import (
    AUDIO,
    BACKUPS,
    OURS,
    REPAIR_HINT,
    SESSIONS,
    SETTINGS,
    JournalFolder,
    session_name,
)
from assistant.journal.owner import process_token
from assistant.journal.records import Concern, SessionRecord, Status, Summary, Turn
from assistant.journal.session_file import (
    insert_summary,
    live,
    load,
    meta,
    turns,
    update_meta,
    write_session,
)
from assistant.journal.storage import DamagedFile
from assistant.journal.validate import check_legacy, check_session, check_settings

Clock = Callable[[], datetime]
Passphrase = Callable[[], str]


def local_now() -> datetime:
    return datetime.now().astimezone()


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Journal:
    def __init__(
        self,
        data_dir: Path,
        clock: Clock = local_now,
        create: bool = True,
        passphrase: Passphrase | None = None,
        warn: Callable[[str], None] = lambda message: None,
        repair: bool = False,
    ) -> None:
        """Open the journal in `data_dir`. With create=False (reading commands) a folder that does
        not exist yet is left uncreated and the journal is simply empty. `passphrase` is asked
        only if the journal is locked; `warn` hears of damaged session files skipped in listings.
        `repair` puts a damaged index aside (a copy goes to backups/) and rebuilds it.
        """
        self.dir = data_dir
        self.warn = warn
        self._clock = clock
        self._folder = JournalFolder(data_dir, warn)
        self._exists = create or data_dir.exists()
        self.finished = ""  # "locking" or "unlocking" when this open finished one cut short
        if not self._exists:
            return
        private_dir(data_dir, OURS)
        self.finished = encryption.open_lock(self._folder, passphrase)
        with self._folder.writing():
            if repair:
                recovery.put_index_aside(self._folder)
            recovery.tidy(self._folder)

    @property
    def codec(self):
        return self._folder.codec

    @property
    def _index(self) -> Table:
        return self._folder.index

    # -- writing a session -------------------------------------------------------------------
    def start(self, script: str) -> str:
        with self._folder.writing():
            index = self._index
            taken = {doc["id"] for doc in index.all()} | self._folder.session_ids()
            sid = secrets.token_hex(4)
            while sid in taken:
                sid = secrets.token_hex(4)
            record = SessionRecord(
                id=sid, script=script, started_at=stamp(self._clock()), owner=process_token()
            )
            private_subdir(self.dir / SESSIONS)
            write_session(self._folder, record)  # first: the index follows it
            insert_summary(index, record.listed(0))
        return sid

    def add_turn(self, sid: str, turn: Turn) -> int:
        """Save one answer (stamped with the time now); returns once it is on disk, with the
        turn's id in the session (for `refine_turn`). Touches only this session's file."""
        record = replace(turn, at=stamp(self._clock())).to_dict()
        with self._folder.writing():
            if not (self.dir / session_name(sid)).exists():
                raise JournalError(f"session {sid} is not in the journal")
            return self._folder.session_db(sid).table("turns", cache_size=0).insert(record)

    def refine_turn(self, sid: str, turn_id: int, answer: str, live: str) -> None:
        """The second pass's transcript becomes the answer of a turn, the live one kept beside it
        (`heard_live`); a turn corrected meanwhile (`heard` set) keeps its correction."""
        with self._folder.writing():
            if not (self.dir / session_name(sid)).exists():
                raise JournalError(f"session {sid} is not in the journal")
            table = self._folder.session_db(sid).table("turns", cache_size=0)
            doc = table.get(doc_id=turn_id)
            if doc is None:
                raise JournalError(f"session {sid} has no turn {turn_id}")
            turn = Turn.from_dict(doc)
            if turn.heard is not None:  # corrected: the person's words win
                turn = replace(turn, heard_live=live)
            else:
                turn = replace(turn, answer=answer, heard_live=None if answer == live else live)
            table.update(turn.to_dict(), doc_ids=[turn_id])

    def extend_turn(self, sid: str, text: str, end_s: float | None = None) -> None:
        """Add what the person went on to say to the last answer (it had ended too early);
        returns once it is on disk."""
        with self._folder.writing():
            if not (self.dir / session_name(sid)).exists():
                raise JournalError(f"session {sid} is not in the journal")
            table = self._folder.session_db(sid).table("turns", cache_size=0)
            last = max(table.all(), key=lambda d: d.doc_id)
            turn = Turn.from_dict(last)
            turn = replace(turn, answer=f"{turn.answer} {text}".strip())
            if end_s:
                turn = replace(turn, end_s=round(end_s, 2))
            table.update(turn.to_dict(), doc_ids=[last.doc_id])

    def finish(
        self,
        sid: str,
        status: Status,
        *,
        safety: Sequence[str] = (),
        concerns: Sequence[Concern] = (),
        strong: bool = False,
        summary: str | None = None,
    ) -> None:
        """End a session. `safety` names the categories of concern not cleared (the status is
        then "safety"); `concerns` holds every concern with its level and outcome; `strong` marks
        a session whose answers showed strong insecurity. A session that ends with no answer at
        all (an accidental start, empty input, silence) is not kept: it would only clutter
        `reflect history`."""
        status = Status(status)  # a word that is no Status is refused too (ValueError)
        if status is Status.RUNNING:
            raise ValueError(status)
        with self._folder.writing():
            ended = replace(
                meta(self._folder, sid),  # still there
                status=Status.SAFETY if safety else status,
                ended_at=stamp(self._clock()),
                owner=None,
                safety=tuple(dict.fromkeys(safety)),
                concerns=tuple(concerns),
                strong=strong,
                summary=summary,
            )
            answers = len(turns(self._folder, sid))
            if not answers and not safety and not concerns:
                self._erase({sid})
                return
            update_meta(self._folder, sid, ended)  # first: the index follows it
            self._index.update(ended.listed(answers).to_dict(), Query().id == sid)

    def correct(
        self,
        sid: str,
        answers: dict[int, str],
        rating: Callable[[str], int | None] | None = None,
    ) -> int:
        """Replace the answers of turns (numbered from 1, in spoken order) with corrected text,
        in one atomic write of the session's file. The transcript as first heard is kept beside
        each, as `heard`; a rating answer's number is read again from the correction by
        `rating` (none read: the rating is dropped). Returns how many turns changed."""
        with self._folder.writing():
            if any(live(doc) for doc in self._index.search(Query().id == sid)):
                raise BadInputError(f"session {sid} is still running; end it first, then edit it")
            db = self._folder.session_db(sid)
            table = db.table("turns", cache_size=0)
            docs = sorted(table.all(), key=lambda d: d.doc_id)
            for number, text in answers.items():
                if not 1 <= number <= len(docs):
                    raise BadInputError(
                        f"session {sid} has {len(docs)} answers; there is no answer {number}"
                    )
                if not text.strip():
                    raise BadInputError(
                        f"answer {number} would be empty; give its text (to delete a session, "
                        "use `reflect forget`)"
                    )
            changes = []
            for number, text in sorted(answers.items()):
                turn = Turn.from_dict(docs[number - 1])
                text = text.strip()
                if text == turn.answer:
                    continue
                heard = turn.heard if turn.heard is not None else turn.answer
                # corrected back to what was heard: nothing to keep beside it
                turn = replace(turn, answer=text, heard=None if text == heard else heard)
                if rating is not None and turn.rating is not None:  # the corrected number counts
                    turn = replace(turn, rating=rating(text))
                changes.append((docs[number - 1].doc_id, turn))
            if changes:
                data = db.storage.read() or {}
                for doc_id, turn in changes:
                    data["turns"][str(doc_id)] = turn.to_dict()
                problem = check_session(data)
                if problem:  # never write a file the journal would then refuse to read
                    raise BadInputError(f"the corrected session would be damaged: {problem}")
                db.storage.write(data)  # every correction in one atomic replace
        return len(changes)

    def save_audio(self, sid: str, wav: bytes) -> Path | None:
        """Keep a session's audio (only ever asked for with --keep-audio); None when the session
        is not kept (nothing was said)."""
        name = f"{AUDIO}/{sid}.wav"
        with self._folder.writing():
            if not (self.dir / session_name(sid)).exists():
                return None
            private_subdir(self.dir / AUDIO)
            try:
                atomic_write(self.dir / name, self.codec.encode(wav, name))
            except OSError as exc:
                raise JournalError(f"cannot write {self.dir / name}: {exc.strerror}") from None
        return self.dir / name

    def import_sessions(self, sessions: Sequence[dict[str, Any]]) -> None:
        """Add whole sessions in their stored form (as `export` shows them, with their turns) in
        one go; they are checked first, like any file the journal reads."""
        problem = check_legacy({"sessions": {str(i): s for i, s in enumerate(sessions)}})
        if problem:
            raise BadInputError(f"cannot import: {problem}")
        with self._folder.writing():
            recovery.import_sessions(self._folder, sessions)

    # -- reading -----------------------------------------------------------------------------
    def summaries(self) -> list[Summary]:
        """Every session without its answers, oldest first."""
        if not self._exists:
            return []
        self._folder.check_lock()
        try:
            docs = self._index.all()
        except DamagedFile as exc:
            raise self._folder.damaged(exc, REPAIR_HINT) from None
        out = []
        for doc in sorted(docs, key=lambda d: d["started_at"]):
            summary = Summary.from_dict(doc)
            if summary.status is Status.RUNNING:  # its index entry is updated only at the end
                with contextlib.suppress(DamagedFile, JournalError):
                    summary = replace(summary, answers=len(turns(self._folder, summary.id)))
            out.append(summary)
        return out

    def sessions(self) -> list[SessionRecord]:
        """Every session with its turns, oldest first; damaged ones are reported and skipped."""
        out = []
        for summary in self.summaries():
            try:
                out.append(load(self._folder, summary.id))
            except DamagedFile as exc:
                self._folder.warn(
                    f"{self._folder.damaged(exc)}; session {summary.id} is not included"
                )
        return out

    def damaged(self) -> dict[str, str]:
        """The listed sessions whose file cannot be read, each with why (a copy of each goes to
        backups/, as for any damaged file). Reads every session file."""
        out = {}
        for summary in self.summaries():
            try:
                load(self._folder, summary.id)
            except DamagedFile as exc:
                out[summary.id] = str(self._folder.damaged(exc))
            except JournalError:  # forgotten meanwhile
                continue
        return out

    def resolve(self, id_prefix: str) -> str:
        """The id of the one session whose id starts with `id_prefix` (listed or on disk)."""
        ids = {s.id for s in self.summaries()} | self._folder.session_ids()
        matches = [sid for sid in ids if sid.startswith(id_prefix.lower())]
        if not matches or not id_prefix:
            raise BadInputError(f"no session {id_prefix!r}; `reflect history` lists them")
        if len(matches) > 1:
            raise BadInputError(
                f"{id_prefix!r} matches {len(matches)} sessions; give more of the id"
            )
        return matches[0]

    def find(self, id_prefix: str) -> SessionRecord:
        sid = self.resolve(id_prefix)
        try:
            return load(self._folder, sid)
        except DamagedFile as exc:
            raise self._folder.damaged(exc) from None

    # -- settings and flags ------------------------------------------------------------------
    def _settings(self, table: str) -> Table:
        return self._folder.table(SETTINGS, table, check_settings)

    def _setting(self, table: str) -> dict[str, Any]:
        if not self._exists:
            return {}
        try:
            docs = self._settings(table).all()
        except DamagedFile as exc:
            raise self._folder.damaged(exc) from None
        return dict(docs[0]) if docs else {}

    def _put(self, table: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Change the one record of a settings table in a single write."""
        with self._folder.writing():
            settings = self._settings(table)
            if settings.all():
                settings.update(change)
            else:
                record: dict[str, Any] = {}
                change(record)
                settings.insert(record)

    def flag(self, name: str) -> Any:
        """A value remembered across sessions (e.g. that the first-run notice was shown)."""
        return self._setting("flags").get(name)

    def set_flag(self, name: str, value: Any) -> None:
        self._put("flags", lambda record: record.update({name: value}))

    def config(self) -> dict[str, Any]:
        """The user's settings (`reflect setup`), {} until set."""
        return self._setting("config")

    def set_config(self, values: dict[str, Any]) -> None:
        """Replace the user's settings."""

        def replace(record: dict[str, Any]) -> None:
            record.clear()
            record.update(values)

        self._put("config", replace)

    # -- deleting ----------------------------------------------------------------------------
    def forget(self, sid: str) -> None:
        with self._folder.writing():
            if any(live(doc) for doc in self._index.search(Query().id == sid)):
                raise BadInputError(
                    f"session {sid} is still running; end it first (say stop), then forget it"
                )
            self._erase({sid})

    def forget_all(self) -> tuple[int, int]:
        """Delete every session but those still running; returns (deleted, kept running)."""
        if not self._exists:
            return 0, 0
        with self._folder.writing():
            docs = self._index.all()
            running = {doc["id"] for doc in docs if live(doc)}
            # every session file, also a damaged one the index could not list
            gone = ({doc["id"] for doc in docs} | self._folder.session_ids()) - running
            self._erase(gone)
            if (self.dir / BACKUPS).is_dir():  # copies of a damaged index or settings too
                for copy in (self.dir / BACKUPS).iterdir():
                    copy.unlink()
        return len(gone), len(running)

    def _erase(self, sids: set[str]) -> None:
        """Delete sessions from disk: recording and copies first, the session file last (the
        index follows it, and recovery finishes a deletion that was cut short)."""
        for sid in sids:
            copies = (self.dir / BACKUPS).glob(f"{SESSIONS}-{sid}.json.*.damaged")
            for path in (self.dir / AUDIO / f"{sid}.wav", *copies):
                path.unlink(missing_ok=True)
            (self.dir / session_name(sid)).unlink(missing_ok=True)
        for name in (SESSIONS, AUDIO, BACKUPS):
            if (self.dir / name).is_dir():
                sync_dir(self.dir / name)
        self._index.remove(lambda doc: doc["id"] in sids)

    # -- locking -----------------------------------------------------------------------------
    def lock(self, new_passphrase: str) -> int:
        """Seal every file with a key from `new_passphrase`; returns how many were sealed."""
        private_dir(self.dir, OURS)
        self._exists = True
        return encryption.lock(self._folder, new_passphrase)

    def unlock(self) -> int:
        """Store every file in plain text again and drop the lock; returns how many changed."""
        return encryption.unlock(self._folder)

    def close(self) -> None:
        """Nothing is held open between calls; kept so callers can treat it as a resource."""
