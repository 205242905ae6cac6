import contextlib
import os
import sys

from assistant.cli.main import main

code = main()
if "vosk" in sys.modules:
    # A spoken session is over and everything is saved and closed. Freeing the Vosk model and
    # its recognisers (millions of small allocations) would take another 0.3-0.8 s before the
    # prompt comes back: the OS takes the memory back at once.
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)
raise SystemExit(code)
