#!/usr/bin/env python3
"""The modules of assistant/ that no test imports (by `import` or `from ... import`, anywhere
under tests/): each should have tests of its own behaviour in tests/unit/<package>/.

    .venv/bin/python tests/support/untested_modules.py        # prints them, one a line
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules(root: Path = ROOT) -> list[str]:
    """Every module of the package, dotted (packages' __init__ left out)."""
    return sorted(
        ".".join(path.relative_to(root).with_suffix("").parts)
        for path in (root / "assistant").rglob("*.py")
        if path.name != "__init__.py"
    )


def imported(tests: Path) -> set[str]:
    """Every dotted name the test files import: modules, and `from` a package its modules."""
    names: set[str] = set()
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def untested(root: Path = ROOT) -> list[str]:
    seen = imported(root / "tests")
    return [name for name in modules(root) if name not in seen]


def main() -> int:
    names = untested()
    print("\n".join(names))
    print(f"{len(names)} of {len(modules())} modules imported by no test", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
