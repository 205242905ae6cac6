"""Work started on a thread at start-up and waited for where it is first needed, so the first
prompt is not held up by loading (the Vosk model, the compiled safety rules)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work()` running on a daemon thread; `result()` waits for it and re-raises what it raised
    (a one-line ReflectError stays one line, on the thread that asks)."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._work = work
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc
        finally:
            self._done.set()

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
