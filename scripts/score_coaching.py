"""Score the coaching detectors on a labelled YAML list (keys text, blame, i_statement, feeling,
faux_feeling, request): per label precision, recall and errors, with the rules alone and with the
rules and the learned text model (as a rehearsal uses them), then each error of the latter.

    .venv/bin/python scripts/score_coaching.py FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.base.errors import ReflectError
from assistant.base.settings import DIALOGS_DIR
from assistant.coach.rules import load_coaching
from assistant.coach.score import load_labelled, score


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: score_coaching.py FILE", file=sys.stderr)
        return 2
    try:
        items = load_labelled(Path(argv[0]))
        rules = load_coaching(DIALOGS_DIR / "coaching.yaml")
        alone = score(items, rules, model=False)
        scores = score(items, rules)
    except ReflectError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    print(f"{argv[0]}: {len(items)} sentences")
    for name, result in (("rules alone", alone), ("rules + model", scores)):
        print(f" {name}:")
        for s in result.values():
            print("  " + s.line())
    for s in scores.values():
        for wrong in s.wrong or []:
            print(f"  {s.label}: {wrong}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
