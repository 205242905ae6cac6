"""Encryption at rest: a key from the passphrase (scrypt, per-journal salt), files sealed with
AES-256-GCM (the `cryptography` library; nothing home-made).

A locked journal folder holds `lock.json` (the salt, the scrypt cost and a sealed check value, so
a wrong passphrase is told apart from a damaged file) and every other file sealed: MAGIC, a fresh
96-bit nonce, then the ciphertext with its tag. The file's name inside the folder is bound to it
as associated data, so sealed files cannot be swapped for one another unnoticed.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from assistant.base.errors import JournalError, PassphraseError

MAGIC = b"reflect-sealed-1\n"
LOCK_FILE = "lock.json"
CHECK = b"reflect journal key check"
MIN_PASSPHRASE = 8
#: scrypt cost: n=2**17, r=8 takes 128 MiB and about 0.3 s here (OWASP's minimum for scrypt).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1


class Undecryptable(Exception):
    """A sealed file whose tag does not verify: damaged, or sealed under another key."""


@dataclass(frozen=True)
class Codec:
    """Turns file contents into what is stored on disk and back; `key` None means plain text.

    `salt` names the lock the key belongs to, so a process holding a key from before an
    unlock-and-lock elsewhere notices. `accept_plain`: a plain file in a locked journal is
    only legitimate while `lock` or `unlock` is part way (anything else is a swapped file).
    """

    key: bytes | None = None
    salt: str | None = None
    accept_plain: bool = True

    @property
    def locked(self) -> bool:
        return self.key is not None

    def encode(self, data: bytes, name: str) -> bytes:
        if self.key is None:
            return data
        nonce = os.urandom(12)
        return MAGIC + nonce + AESGCM(self.key).encrypt(nonce, data, name.encode())

    def decode(self, stored: bytes, name: str) -> bytes:
        if not is_sealed(stored):
            if self.accept_plain:
                return stored
            raise Undecryptable("not encrypted, in a locked journal")
        if self.key is None:
            raise Undecryptable("encrypted, but the journal has no lock file")
        body = stored[len(MAGIC) :]
        try:
            return AESGCM(self.key).decrypt(body[:12], body[12:], name.encode())
        except (InvalidTag, ValueError):
            raise Undecryptable("it does not decrypt: damaged") from None


PLAIN = Codec()


def is_sealed(stored: bytes) -> bool:
    return stored.startswith(MAGIC)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same passphrase typed on another keyboard or system gives the same key
    text = unicodedata.normalize("NFC", passphrase)
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(text.encode("utf-8"))


def new_lock(passphrase: str) -> tuple[dict[str, Any], Codec]:
    """A fresh salt and check value for `lock`: the lock file's contents and the codec."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(
            f"the passphrase is too short; use at least {MIN_PASSPHRASE} characters"
        )
    salt = os.urandom(16)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    nonce = os.urandom(12)
    record = {
        "version": 1,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": "AES-256-GCM",
        "check": _b64(nonce + AESGCM(key).encrypt(nonce, CHECK, None)),
    }
    return record, Codec(key, record["kdf"]["salt"], accept_plain=False)


def read_lock(path: Path) -> dict[str, Any] | None:
    """The lock file's record, None when the journal is not locked."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror}") from None
    try:
        record = json.loads(raw)
        kdf = record["kdf"]
        salt, n, r, p = base64.b64decode(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        base64.b64decode(record["check"])
        sane = 2**14 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16
        if record.get("version") != 1 or kdf.get("name") != "scrypt" or len(salt) < 16 or not sane:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        raise Undecryptable("the lock file is damaged") from None
    return record


def open_lock(record: dict[str, Any], passphrase: str) -> Codec:
    """The codec for a locked journal; PassphraseError if `passphrase` is not its passphrase."""
    kdf = record["kdf"]
    salt = base64.b64decode(kdf["salt"])
    key = _derive(passphrase, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    check = base64.b64decode(record["check"])
    try:
        if AESGCM(key).decrypt(check[:12], check[12:], None) != CHECK:
            raise InvalidTag
    except (InvalidTag, ValueError):
        raise PassphraseError("wrong passphrase; nothing was read or changed") from None
    return Codec(key, kdf["salt"], accept_plain="state" in record)


def lock_salt(record: dict[str, Any] | None) -> str | None:
    return record["kdf"]["salt"] if record else None


def dump_lock(record: dict[str, Any]) -> bytes:
    return json.dumps(record, indent=2).encode("ascii")
