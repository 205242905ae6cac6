"""The journal: one small TinyDB file per session, and an index of them, in a private folder.

Layout of the folder (0700; every file 0600, written atomically, sealed when locked):
    index.json          one summary per session (what `reflect history` lists), no answers
    sessions/ID.json    one session: its summary and its turns
    settings.json       the user's settings (`reflect setup`) and small remembered flags
    audio/ID.wav        a session's microphone audio, only with --keep-audio
    backups/            copies of damaged files, made before reporting them
    lock.json           only when locked: salt and check value (see crypto.py)

Saving a turn rewrites only that session's file (a few kB), so it costs the same after ten years
as on the first night; the index changes only when a session starts or ends. The session files
are the truth: the index is derived from them, so it can be checked and rebuilt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from assistant.errors import BadInputError, JournalError
from assistant.journal import crypto
from assistant.journal.crypto import PLAIN, Codec
from assistant.journal.files import (
    atomic_write,
    is_temporary,
    private_dir,
    private_subdir,
    sync_dir,
)
from assistant.journal.owner import owner_alive, process_token
from assistant.journal.storage import DamagedFile, SealedJSONStorage
from assistant.journal.validate import (
    STATUSES,
    check_index,
    check_legacy,
    check_session,
    check_settings,
)

RUNNING = "running"
SAFETY = "safety"
#: What `summaries()` gives per session: enough for `reflect history`, no answers.
SUMMARY_KEYS = ("id", "script", "started_at", "ended_at", "status", "answers", "safety", "strong")
META_KEYS = ("id", "script", "started_at", "ended_at", "status", "owner", "safety", "strong")

INDEX, SETTINGS, LEGACY = "index.json", "settings.json", "journal.json"
SESSIONS, AUDIO, BACKUPS = "sessions", "audio", "backups"
#: Entries of a journal folder; a folder holding anything else is not taken over.
OURS = (INDEX, SETTINGS, LEGACY, crypto.LOCK_FILE, SESSIONS, AUDIO, BACKUPS)
SESSION_ID = re.compile(r"[0-9a-f]{8}")

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
        self._clock = clock
        self._warn = warn
        self._exists = create or data_dir.exists()
        self.codec = PLAIN
        self.finished = ""  # "locking" or "unlocking" when this open finished one cut short
        if not self._exists:
            return
        private_dir(data_dir, OURS)
        self.codec = self._open_lock(passphrase)
        with self._writing():
            if repair:
                self._put_index_aside()
            self._tidy()

    def _put_index_aside(self) -> None:
        try:
            self._index.all()
        except DamagedFile as exc:
            copied = self._backup(exc.path)
            if not copied.startswith("; a copy is in"):
                raise JournalError(
                    f"{exc}; not rebuilt, as no copy could be made{copied}"
                ) from None
            self._warn(f"{exc}{copied}; rebuilding it from the session files")
            (self.dir / INDEX).unlink()

    # -- files -------------------------------------------------------------------------------
    def _db(self, name: str, validate: Callable[[dict[str, Any]], str]) -> TinyDB:
        return TinyDB(
            self.dir / name,
            storage=SealedJSONStorage,
            name=name,
            codec=self.codec,
            validate=validate,
        )

    def _table(self, name: str, table: str, validate: Callable[[dict[str, Any]], str]) -> Table:
        return self._db(name, validate).table(table, cache_size=0)

    @property
    def _index(self) -> Table:
        return self._table(INDEX, "sessions", check_index)

    def _session_name(self, sid: str) -> str:
        if not SESSION_ID.fullmatch(sid):
            raise JournalError(f"{sid!r} is not a session id")
        return f"{SESSIONS}/{sid}.json"

    def _session_db(self, sid: str) -> TinyDB:
        return self._db(self._session_name(sid), check_session)

    def _session_ids_on_disk(self) -> set[str]:
        folder = self.dir / SESSIONS
        if not folder.is_dir():
            return set()
        return {
            p.stem for p in folder.iterdir() if p.suffix == ".json" and SESSION_ID.fullmatch(p.stem)
        }

    def _damaged(self, exc: DamagedFile, hint: str = "") -> JournalError:
        """The error for a damaged file, once a copy of it is safe in backups/."""
        return JournalError(f"{exc}; it was left untouched{self._backup(exc.path)}{hint}")

    def _backup(self, path: Path) -> str:
        """Copy a damaged file into backups/ (never touching it); says where the copy is."""
        try:
            stored = path.read_bytes()
            name = path.relative_to(self.dir).as_posix().replace("/", "-")
            folder = private_subdir(self.dir / BACKUPS)
            copy = folder / f"{name}.{hashlib.sha256(stored).hexdigest()[:12]}.damaged"
            if not copy.exists():  # the same damage seen again reuses its copy
                atomic_write(copy, self._sealed_copy(stored, path, copy))
        except (OSError, JournalError) as exc:
            return f"; no copy could be made ({getattr(exc, 'strerror', None) or exc})"
        return f"; a copy is in {copy}"

    def _sealed_copy(self, stored: bytes, path: Path, copy: Path) -> bytes:
        """What goes in the copy: in a locked journal, sealed under the copy's own name (so
        unlock can open it) unless it does not decrypt at all, when it is kept byte for byte."""
        if not self.codec.locked:
            return stored
        try:
            plain = dataclasses.replace(self.codec, accept_plain=True).decode(
                stored, path.relative_to(self.dir).as_posix()
            )
        except crypto.Undecryptable:
            return stored
        return self.codec.encode(plain, copy.relative_to(self.dir).as_posix())

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Each change is read-modify-write of a file; a lock on the folder keeps two processes
        (a session and `reflect forget`, or two sessions) from losing each other's writes."""
        try:
            fd = os.open(self.dir, os.O_RDONLY)
        except OSError as exc:
            raise JournalError(f"cannot open {self.dir}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._check_lock()
            yield
        except DamagedFile as exc:
            index = exc.path == self.dir / INDEX
            raise self._damaged(exc, _REPAIR_HINT if index else "") from None
        finally:
            os.close(fd)  # releases the lock

    def _check_lock(self) -> None:
        """The key in hand must belong to the lock on disk: another command may have locked,
        unlocked or locked again (a new salt) since this one opened the journal."""
        path = self.dir / crypto.LOCK_FILE
        try:
            salt = crypto.lock_salt(crypto.read_lock(path))
        except crypto.Undecryptable as exc:
            raise self._damaged(DamagedFile(path, str(exc))) from None
        if salt != self.codec.salt:
            raise JournalError(
                "the journal was locked or unlocked by another command meanwhile; nothing was "
                "changed; run this one again"
            )

    # -- opening -----------------------------------------------------------------------------
    def _open_lock(self, passphrase: Passphrase | None) -> Codec:
        path = self.dir / crypto.LOCK_FILE
        try:
            record = crypto.read_lock(path)
        except crypto.Undecryptable as exc:
            raise self._damaged(DamagedFile(path, str(exc))) from None
        if record is None:
            return PLAIN
        if passphrase is None:
            raise crypto.PassphraseError(
                "the journal is locked; give its passphrase (REFLECT_PASSPHRASE, or run on a "
                "terminal)"
            )
        codec = crypto.open_lock(record, passphrase())
        state = record.get("state")
        if state in ("locking", "unlocking"):  # `reflect lock` / `unlock` was cut short
            self.codec = codec
            with self._writing():
                self._convert(codec if state == "locking" else PLAIN, record)
            self.finished = state
            return self.codec
        return codec

    def _tidy(self) -> None:
        """Bring the folder to a consistent state after whatever happened last time: temporary
        files of killed writes, a journal from before the index, an index that lost track of a
        session file (killed between the two writes), sessions whose process died."""
        for folder in (self.dir, self.dir / SESSIONS, self.dir / AUDIO, self.dir / BACKUPS):
            if folder.is_dir():
                for entry in folder.iterdir():
                    if is_temporary(entry.name):
                        entry.unlink(missing_ok=True)
        if (self.dir / LEGACY).exists():
            self._migrate_legacy()
        index = self._index
        on_disk = self._session_ids_on_disk()
        listed = {doc["id"]: doc for doc in index.all()}
        for sid in sorted(on_disk - listed.keys()):  # start() killed after the session file
            try:
                meta = self._meta(sid)
                self._insert_summary(index, {**meta, "answers": len(self._turns(sid))})
            except DamagedFile as exc:
                self._warn(f"{self._damaged(exc)}; it is not listed")
        stale = listed.keys() - on_disk  # forget() was killed after deleting the session file
        if stale:
            index.remove(lambda doc: doc["id"] in stale)
        for audio in (self.dir / AUDIO).glob("*.wav"):  # forget() killed before the session file
            if audio.stem not in on_disk:
                audio.unlink()
        for doc in index.search(Query().status == RUNNING):
            if not self._live(doc):
                try:
                    self._settle(index, doc["id"])
                except DamagedFile as exc:
                    self._warn(str(self._damaged(exc)))

    def _settle(self, index: Table, sid: str) -> None:
        """An index entry still `running` whose process is gone: if the session file says how
        it ended (killed between the two writes of finish()), the index follows it; if not, the
        process died mid-session (crash, SIGKILL) and the session is `interrupted`."""
        meta, turns = self._meta(sid), self._turns(sid)
        if meta["status"] == RUNNING:
            ended = turns[-1]["at"] if turns else meta["started_at"]
            change = {"status": "interrupted", "ended_at": ended, "owner": None}
            self._session_db(sid).table("session", cache_size=0).update(change)
            meta.update(change)
        index.update({**_meta_of(meta), "answers": len(turns)}, Query().id == sid)

    def _migrate_legacy(self) -> None:
        """Journals written before the index (one journal.json) move to the per-session layout;
        journal.json goes only once everything is written, so a crash here just repeats it."""
        self._import(self._table(LEGACY, "sessions", check_legacy).all())
        (self.dir / LEGACY).unlink()
        sync_dir(self.dir)

    def import_sessions(self, sessions: Sequence[dict[str, Any]]) -> None:
        """Add whole sessions (as `sessions()` returns them, with their turns) in one go."""
        problem = check_legacy({"sessions": {str(i): s for i, s in enumerate(sessions)}})
        if problem:
            raise BadInputError(f"cannot import: {problem}")
        with self._writing():
            self._import(sessions)

    def _import(self, sessions: Sequence[dict[str, Any]]) -> None:
        """Each session file, then the index in one write (replacing entries of the same id)."""
        private_subdir(self.dir / SESSIONS)
        for doc in sessions:
            self._write_session(doc)
        index = self._index
        new = {doc["id"]: {**_meta_of(doc), "answers": len(doc["turns"])} for doc in sessions}
        kept = [dict(d) for d in sorted(index.all(), key=lambda d: d.doc_id) if d["id"] not in new]
        rows = [*kept, *new.values()]
        index.storage.write({"sessions": {str(i): row for i, row in enumerate(rows, 1)}})

    def _write_session(self, doc: dict[str, Any]) -> None:
        self._session_db(doc["id"]).storage.write(
            {
                "session": {"1": _meta_of(doc)},
                "turns": {str(i): t for i, t in enumerate(doc["turns"], 1)},
            }
        )

    @staticmethod
    def _insert_summary(index: Table, doc: dict[str, Any]) -> None:
        summary = {**_meta_of(doc), "answers": doc["answers"]}
        # The document number comes from the file as it is now, not from TinyDB's cached
        # counter, which another process may have used meanwhile.
        doc_id = max((d.doc_id for d in index.all()), default=0) + 1
        index.insert(Document(summary, doc_id=doc_id))

    def _meta(self, sid: str) -> dict[str, Any]:
        docs = self._session_db(sid).table("session", cache_size=0).all()
        if not docs:  # deleted meanwhile (`reflect forget` in another window)
            raise JournalError(f"session {sid} is no longer in the journal")
        return dict(docs[0])

    def _turns(self, sid: str) -> list[dict[str, Any]]:
        docs = self._session_db(sid).table("turns", cache_size=0).all()
        return [dict(d) for d in sorted(docs, key=lambda d: d.doc_id)]

    # -- writing a session -------------------------------------------------------------------
    def start(self, script: str) -> str:
        with self._writing():
            index = self._index
            taken = {doc["id"] for doc in index.all()} | self._session_ids_on_disk()
            sid = secrets.token_hex(4)
            while sid in taken:
                sid = secrets.token_hex(4)
            meta = {
                "id": sid,
                "script": script,
                "started_at": stamp(self._clock()),
                "ended_at": None,
                "status": RUNNING,
                "owner": process_token(),
                "safety": [],
                "strong": False,
            }
            private_subdir(self.dir / SESSIONS)
            self._write_session({**meta, "turns": []})  # first: the index is derived from it
            self._insert_summary(index, {**meta, "answers": 0})
        return sid

    def add_turn(self, sid: str, turn: dict[str, Any]) -> None:
        """Save one answer; returns once it is on disk. Touches only this session's file."""
        record = {**turn, "at": stamp(self._clock())}
        with self._writing():
            if not (self.dir / self._session_name(sid)).exists():
                raise JournalError(f"session {sid} is not in the journal")
            self._session_db(sid).table("turns", cache_size=0).insert(record)

    def finish(
        self, sid: str, status: str, *, safety: Sequence[str] = (), strong: bool = False
    ) -> None:
        """End a session. `safety` names the categories of concern noticed (the status is then
        "safety"); `strong` marks a session whose answers showed strong insecurity."""
        if status not in STATUSES or status == RUNNING:
            raise ValueError(status)
        change = {
            "status": SAFETY if safety else status,
            "ended_at": stamp(self._clock()),
            "owner": None,
            "safety": list(dict.fromkeys(safety)),
            "strong": strong,
        }
        with self._writing():
            self._meta(sid)  # still there
            self._session_db(sid).table("session", cache_size=0).update(change)
            answers = len(self._turns(sid))
            self._index.update({**change, "answers": answers}, Query().id == sid)

    def save_audio(self, sid: str, wav: bytes) -> Path:
        """Keep a session's audio (only ever asked for with --keep-audio)."""
        self._session_name(sid)  # checks the id
        name = f"{AUDIO}/{sid}.wav"
        with self._writing():
            private_subdir(self.dir / AUDIO)
            try:
                atomic_write(self.dir / name, self.codec.encode(wav, name))
            except OSError as exc:
                raise JournalError(f"cannot write {self.dir / name}: {exc.strerror}") from None
        return self.dir / name

    # -- reading -----------------------------------------------------------------------------
    def summaries(self) -> list[dict[str, Any]]:
        """Every session without its answers, oldest first (SUMMARY_KEYS)."""
        if not self._exists:
            return []
        self._check_lock()
        try:
            docs = self._index.all()
        except DamagedFile as exc:
            raise self._damaged(exc, _REPAIR_HINT) from None
        out = []
        for doc in sorted(docs, key=lambda d: d["started_at"]):
            summary = {k: doc.get(k) for k in SUMMARY_KEYS}
            if doc["status"] == RUNNING:  # its index entry is updated only at the end
                with contextlib.suppress(DamagedFile):
                    summary["answers"] = len(self._turns(doc["id"]))
            out.append(summary)
        return out

    def _load(self, sid: str) -> dict[str, Any]:
        return {**self._meta(sid), "turns": self._turns(sid)}

    def sessions(self) -> list[dict[str, Any]]:
        """Every session with its turns, oldest first; damaged ones are reported and skipped."""
        out = []
        for summary in self.summaries():
            try:
                out.append(self._load(summary["id"]))
            except DamagedFile as exc:
                self._warn(f"{self._damaged(exc)}; session {summary['id']} is not included")
        return out

    def resolve(self, id_prefix: str) -> str:
        """The id of the one session whose id starts with `id_prefix` (listed or on disk)."""
        ids = {s["id"] for s in self.summaries()} | self._session_ids_on_disk()
        matches = [sid for sid in ids if sid.startswith(id_prefix.lower())]
        if not matches or not id_prefix:
            raise BadInputError(f"no session {id_prefix!r}; `reflect history` lists them")
        if len(matches) > 1:
            raise BadInputError(
                f"{id_prefix!r} matches {len(matches)} sessions; give more of the id"
            )
        return matches[0]

    def find(self, id_prefix: str) -> dict[str, Any]:
        sid = self.resolve(id_prefix)
        try:
            return self._load(sid)
        except DamagedFile as exc:
            raise self._damaged(exc) from None

    # -- settings and flags ------------------------------------------------------------------
    def _settings_table(self, name: str) -> Table:
        return self._table(SETTINGS, name, check_settings)

    def _setting(self, table: str) -> dict[str, Any]:
        if not self._exists:
            return {}
        try:
            docs = self._settings_table(table).all()
        except DamagedFile as exc:
            raise self._damaged(exc) from None
        return dict(docs[0]) if docs else {}

    def _put(self, table: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Change the one record of a settings table in a single write."""
        with self._writing():
            records = self._settings_table(table)
            if records.all():
                records.update(change)
            else:
                record: dict[str, Any] = {}
                change(record)
                records.insert(record)

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
    @staticmethod
    def _live(doc: dict[str, Any]) -> bool:
        """Still being written by a session running in another window."""
        return doc.get("status") == RUNNING and owner_alive(doc.get("owner") or "")

    def _erase(self, sids: set[str]) -> None:
        """Delete sessions from disk: recording and copies first, the session file last (the
        index follows it, and _tidy finishes a deletion that was cut short)."""
        for sid in sids:
            for path in self._belongings(sid):
                path.unlink(missing_ok=True)
            (self.dir / self._session_name(sid)).unlink(missing_ok=True)
        for folder in (SESSIONS, AUDIO, BACKUPS):
            if (self.dir / folder).is_dir():
                sync_dir(self.dir / folder)
        self._index.remove(lambda doc: doc["id"] in sids)

    def _belongings(self, sid: str) -> list[Path]:
        """A session's files besides its own: its recording, copies of it if it was damaged."""
        audio = self.dir / AUDIO / f"{sid}.wav"
        return [audio, *(self.dir / BACKUPS).glob(f"{SESSIONS}-{sid}.json.*.damaged")]

    def forget(self, sid: str) -> None:
        with self._writing():
            for doc in self._index.search(Query().id == sid):
                if self._live(doc):
                    raise BadInputError(
                        f"session {sid} is still running; end it first (say stop), then forget it"
                    )
            self._erase({sid})

    def forget_all(self) -> tuple[int, int]:
        """Delete every session but those still running; returns (deleted, kept running)."""
        if not self._exists:
            return 0, 0
        with self._writing():
            docs = self._index.all()
            live = {doc["id"] for doc in docs if self._live(doc)}
            # every session file, also a damaged one the index could not list
            gone = ({doc["id"] for doc in docs} | self._session_ids_on_disk()) - live
            self._erase(gone)
            if (self.dir / BACKUPS).is_dir():  # copies of damaged index or settings files too
                for copy in (self.dir / BACKUPS).iterdir():
                    copy.unlink()
        return len(gone), len(live)

    # -- locking -----------------------------------------------------------------------------
    def _refuse_if_running(self, what: str) -> None:
        live = [doc["id"] for doc in self._index.all() if self._live(doc)]
        if live:
            raise BadInputError(
                f"session {live[0]} is still running; end it first (say stop), then {what}"
            )

    def _files(self) -> Iterator[Path]:
        for path in sorted(self.dir.rglob("*")):
            if path.is_file() and path.name != crypto.LOCK_FILE and not is_temporary(path.name):
                yield path

    def _convert(self, target: Codec, lock_record: dict[str, Any] | None = None) -> int:
        """Rewrite every file of the journal for `target` (sealed or plain); returns how many
        changed. Each file is replaced atomically, so a crash leaves every file whole and
        readable; the lock file's state says the work is unfinished and the next open ends it."""
        changed = 0
        for path in self._files():
            name = path.relative_to(self.dir).as_posix()
            stored = path.read_bytes()
            if crypto.is_sealed(stored) == target.locked:
                continue
            try:
                plain = self.codec.decode(stored, name)
            except crypto.Undecryptable as exc:
                if not name.startswith(f"{BACKUPS}/"):  # a copy of a damaged file stays as it is
                    self._warn(f"{self._damaged(DamagedFile(path, str(exc)))}; left as it was")
                continue
            atomic_write(path, target.encode(plain, name))
            changed += 1
        lock_path = self.dir / crypto.LOCK_FILE
        if target.locked:
            done = {k: v for k, v in (lock_record or {}).items() if k != "state"}
            atomic_write(lock_path, crypto.dump_lock(done))
            target = dataclasses.replace(target, accept_plain=False)
        else:
            lock_path.unlink(missing_ok=True)
            sync_dir(self.dir)
        self.codec = target
        return changed

    def lock(self, new_passphrase: str) -> int:
        """Seal every file with a key from `new_passphrase`; returns how many were sealed."""
        if self.codec.locked:
            raise BadInputError("the journal is already locked; `reflect unlock` opens it")
        record, codec = crypto.new_lock(new_passphrase)
        private_dir(self.dir, OURS)
        self._exists = True
        with self._writing():
            self._refuse_if_running("lock the journal")
            # The lock file comes first and says "locking" until every file is sealed.
            lock_path = self.dir / crypto.LOCK_FILE
            atomic_write(lock_path, crypto.dump_lock({**record, "state": "locking"}))
            return self._convert(codec, record)

    def unlock(self) -> int:
        """Store every file in plain text again and drop the lock; returns how many changed."""
        if not self.codec.locked:
            raise BadInputError("the journal is not locked")
        with self._writing():
            self._refuse_if_running("unlock the journal")
            lock_path = self.dir / crypto.LOCK_FILE
            record = crypto.read_lock(lock_path) or {}
            atomic_write(lock_path, crypto.dump_lock({**record, "state": "unlocking"}))
            return self._convert(PLAIN)

    def close(self) -> None:
        pass


def _meta_of(doc: dict[str, Any]) -> dict[str, Any]:
    """A session's record without its turns; fields older journals lack get their defaults."""
    meta = {k: doc.get(k) for k in META_KEYS}
    return {**meta, "safety": meta["safety"] or [], "strong": bool(meta["strong"])}


_REPAIR_HINT = "; `reflect repair` rebuilds the index from the session files"
