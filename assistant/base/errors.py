"""One error hierarchy: each kind carries the exit code the CLI uses for it.

Messages are written to be shown as one line, so they say what went wrong and what to do.
"""

from __future__ import annotations


class ReflectError(Exception):
    """Base of every failure the user may see."""

    exit_code = 1


class BadInputError(ReflectError):
    """The user gave something unusable: a file that is not a WAV, an unknown script or id."""

    exit_code = 2


class BadScriptError(ReflectError):
    """A dialog script in dialogs/ is malformed; the message names file, key and fix."""

    exit_code = 2


class ModelMissingError(ReflectError):
    """The Vosk model is absent or incomplete."""

    exit_code = 3


class AudioDeviceError(ReflectError):
    """No usable microphone or speaker, or the device failed mid-session."""

    exit_code = 3


class JournalError(ReflectError):
    """The journal could not be read or written."""

    exit_code = 4


class PassphraseError(ReflectError):
    """The journal is locked and the passphrase is missing or wrong; nothing was changed."""

    exit_code = 5
