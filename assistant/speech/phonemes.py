"""Text -> IPA phonemes with libespeak-ng (the library of the espeak-ng program the assistant
already needs), called in process through ctypes: 0.1 ms a sentence, where starting the
espeak-ng program per clause cost 0.2 s. The neural voice reads these phonemes.

espeak_TextToPhonemes returns one clause per call and drops its punctuation, which the voice
uses for its intonation and pauses; so the text is cut into clauses here and each clause's
punctuation is put back after its phonemes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import threading
import unicodedata

from assistant.base.errors import ModelMissingError

_AUDIO_OUTPUT_SYNCHRONOUS = 2  # no sound device is opened
_ESPEAK_INITIALIZE_DONT_EXIT = 0x8000  # a missing data folder raises, it does not exit()
_CHARS_UTF8 = 1
_PHONEMES_IPA = 0x02
#: A clause and the punctuation that ends it (none at the end of the text).
_CLAUSE = re.compile(r"([^.,;:!?]+)([.,;:!?]*)")

_lock = threading.Lock()  # the library keeps one global state
_library: ctypes.CDLL | None = None
_voice = ""


def _open() -> ctypes.CDLL:
    global _library
    if _library is None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            lib = ctypes.CDLL(name)
        except OSError as exc:
            raise ModelMissingError(
                f"libespeak-ng is missing ({exc}); install the espeak-ng package"
            ) from None
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int,
        ]  # fmt: skip
        if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None,
                                 _ESPEAK_INITIALIZE_DONT_EXIT) <= 0:  # fmt: skip
            raise ModelMissingError("libespeak-ng could not start (is espeak-ng-data installed?)")
        _library = lib
    return _library


def _clause_ipa(lib: ctypes.CDLL, text: str) -> str:
    buffer = ctypes.create_string_buffer(text.encode("utf-8"))
    pointer = ctypes.c_void_p(ctypes.addressof(buffer))
    parts = []
    while pointer.value:  # espeak may cut a long clause further: it moves the pointer on
        found = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
        if found:
            parts.append(found.decode("utf-8").strip())
    return " ".join(p for p in parts if p)


def ipa(text: str, voice: str = "en-us") -> str:
    """The IPA of `text` as espeak-ng says it with `voice`, its punctuation kept, in NFD form
    (how the neural voice's phoneme table spells accents and stress marks)."""
    global _voice
    out = []
    with _lock:
        lib = _open()
        if voice != _voice:  # another user of the library (pyttsx3) may have changed it too
            if lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ModelMissingError(f"espeak-ng has no voice {voice!r}")
            _voice = voice
        for clause, punctuation in _CLAUSE.findall(text):
            if clause.strip():
                out.append(_clause_ipa(lib, clause) + punctuation.strip()[:1])
            elif out and punctuation.strip():
                out[-1] += punctuation.strip()[:1]
    return unicodedata.normalize("NFD", " ".join(p for p in out if p))
