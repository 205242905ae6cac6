"""Work started on a thread at start-up and waited for where it is first needed, so the first
prompt is not held up by loading (the Vosk model, the compiled safety rules)."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


_running: set[Background] = set()


@atexit.register
def _finish_all() -> None:
    """At exit, let work still under way finish: a native library loading on a daemon thread
    while the interpreter ends crashes the process (onnxruntime aborts, OpenBLAS segfaults), as
    when a session stops at once on a bad input file."""
    for work in list(_running):
        work.wait()


class Background(Generic[T]):
    """`work()` running on a daemon thread; `result()` waits for it and re-raises what it raised
    (a one-line ReflectError stays one line, on the thread that asks). Waited for at exit."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._work = work
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        _running.add(self)
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc
        finally:
            self._done.set()
            _running.discard(self)

    @property
    def ready(self) -> bool:
        """Finished (with a value or an error): result() will not wait."""
        return self._done.is_set()

    def wait(self) -> None:
        """Until it has finished, without its result or error."""
        self._done.wait()

    def result(self) -> T:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
