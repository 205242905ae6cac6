"""The one reader for data files: a YAML file loaded so that every value remembers the line it
came from, and Reader, the typed reads every file in dialogs/ goes through (text, texts,
phrases, number, flag, choice, mapping). Each mistake is one line that names the file, the line,
the key path and the fix: `dialogs/evening.yaml:12: machine.states[1].prompt: ...`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from assistant.base.errors import BadScriptError
from assistant.base.text import normalize


class Lines(dict):
    """A mapping that also knows the line of each key (1-based), in `.lines`."""

    lines: dict[Any, int]
    line: int


class LineList(list):
    lines: list[int]
    line: int


#: libyaml's parser when PyYAML was built with it (10x faster on the 1,000-line rule file).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = Lines()
        out.lines = {}
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):  # a list or mapping as a key
                raise yaml.MarkedYAMLError(
                    problem="a key must be plain text", problem_mark=key_node.start_mark
                )
            if key in out:
                raise yaml.MarkedYAMLError(
                    problem=f"key {key!r} appears twice", problem_mark=key_node.start_mark
                )
            out[key] = _convert(value_node, loader)
            out.lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LineList(_convert(child, loader) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        items.line = node.start_mark.line + 1
        return items
    return loader.construct_object(node, deep=True)


def load_yaml(path: Path) -> Lines:
    """Parse a YAML mapping; errors name the file and line."""
    data = _parse(path)
    if not isinstance(data, Lines):
        raise BadScriptError(f"{path}: expected a mapping of keys at the top level")
    return data


def load_list(path: Path) -> LineList:
    """Parse a YAML list (a labelled corpus); errors name the file and line."""
    data = _parse(path)
    if not isinstance(data, LineList):
        raise BadScriptError(f"{path}: expected a list (lines starting with -) at the top level")
    return data


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadScriptError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BadScriptError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = _convert(node, loader) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise BadScriptError(f"{path}{line}: not valid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # a control character: find its line
        line = text.count("\n", 0, exc.position) + 1
        raise BadScriptError(
            f"{path}:{line}: not valid YAML: control character {exc.character!r}; remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise BadScriptError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data


def line_of(container: Any, key: Any) -> int | None:
    """The line of `key` inside a loaded mapping or list, when known."""
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, getattr(container, "line", None))
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(container, "line", None)


class Where:
    """Builds one-line errors `file:line: key.path: message` for a loaded data file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, container: Any, key: Any, keypath: str, message: str) -> BadScriptError:
        line = line_of(container, key)
        return BadScriptError(f"{self.path}{f':{line}' if line else ''}: {keypath}: {message}")


def unknown_keys(where: Where, mapping: dict, allowed: set[str], keypath: str) -> None:
    """Refuse keys outside `allowed`, suggesting the closest known one."""
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"expected one of {sorted(allowed)}"
            name = f"{keypath}.{key}" if keypath else str(key)
            raise where.error(mapping, key, name, f"unknown key; {hint}")


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: What text() says about a value that is not a line of text, unless told otherwise.
NOT_TEXT = "expected a line of text (in quotes if it has ':')"
NOT_A_LIST = "expected a list with at least one entry"


def _get(container: Any, key: Any) -> Any:
    """The value at `key` of a mapping, or at index `key` of a list (None when absent)."""
    if isinstance(container, list):
        return container[key] if isinstance(key, int) and 0 <= key < len(container) else None
    return container.get(key) if isinstance(container, dict) else None


class Reader(Where):
    """Typed reads of a loaded data file: every data file in dialogs/ goes through these. Each
    mistake is one line naming the file, the line, the key path and the fix. `container` is a
    loaded mapping (or list, for an item), `key` the key (or index) in it, `keypath` its place
    in the file as errors show it ("blame.never.phrases[1]")."""

    def mapping(
        self,
        container: Any,
        key: Any,
        keypath: str,
        allowed: set[str] | None = None,
        required: Iterable[str] = (),
    ) -> dict:
        """A mapping; with `allowed`, other keys are refused (the closest known one suggested)."""
        value = _get(container, key)
        if not isinstance(value, dict):
            want = f"with keys {sorted(allowed)}" if allowed is not None else "of keys"
            raise self.error(container, key, keypath, f"expected a mapping {want}")
        if allowed is not None:
            unknown_keys(self, value, allowed, keypath)  # before a missing key: "reportd"
        for name in sorted(required):
            if name not in value:
                raise self.error(container, key, keypath, f"missing key {name!r}; add it")
        return value

    def text(
        self,
        container: Any,
        key: Any,
        keypath: str,
        placeholders: Iterable[str] = (),
        *,
        optional: bool = False,
        problem: str = NOT_TEXT,
    ) -> str:
        """A line of text, folded to single spaces; its {placeholders} must be among those named.
        Optional: "" when absent. `problem`: what to say when it is missing or not text."""
        value = _get(container, key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.error(container, key, keypath, problem)
        allowed = tuple(placeholders)
        for name in _PLACEHOLDER.findall(value):
            if name not in allowed:
                fix = f"use {', '.join('{' + a + '}' for a in allowed)}" if allowed else "remove it"
                raise self.error(container, key, keypath, f"unknown placeholder {{{name}}}; {fix}")
        return " ".join(value.split())

    def texts(
        self,
        container: Any,
        key: Any,
        keypath: str,
        placeholders: Iterable[str] = (),
        *,
        at_least: int = 1,
        too_few: str = NOT_A_LIST,
        problem: str = NOT_TEXT,
        repeated: str | None = None,
    ) -> tuple[str, ...]:
        """A list of at least `at_least` lines of text (see text()). With `repeated` (what to say
        then), no text may be said twice: variants said in turn."""
        value = _get(container, key)
        if not isinstance(value, list) or len(value) < max(at_least, 1):
            raise self.error(container, key, keypath, too_few)
        allowed = tuple(placeholders)
        out = tuple(
            self.text(value, i, f"{keypath}[{i}]", allowed, problem=problem)
            for i in range(len(value))
        )
        for i, text in enumerate(out):
            if repeated is not None and text in out[:i]:
                raise self.error(value, i, f"{keypath}[{i}]", repeated)
        return out

    def strings(
        self, container: Any, key: Any, keypath: str, *, optional: bool = False
    ) -> list[str]:
        """A non-empty list of phrases, as written (for a phrase compiler). Optional: [] when
        absent."""
        value = _get(container, key)
        if value is None and optional:
            return []
        if not isinstance(value, list) or not value:
            raise self.error(container, key, keypath, NOT_A_LIST)
        for i, item in enumerate(value):
            if isinstance(item, bool):  # yes/no/on/off without quotes
                raise self.error(
                    value,
                    i,
                    f"{keypath}[{i}]",
                    'YAML read this word as true/false; put it in quotes ("no")',
                )
            if not isinstance(item, str) or not item.strip():
                raise self.error(value, i, f"{keypath}[{i}]", "expected a phrase (text)")
        return value

    def phrases(
        self,
        container: Any,
        key: Any,
        keypath: str,
        *,
        noun: str = "phrase",
        distinct: bool = False,
    ) -> tuple[str, ...]:
        """A non-empty list of phrases (or words), normalized as they are compared
        (base/text.normalize); with `distinct`, none may be listed twice."""
        value = _get(container, key)
        if not isinstance(value, list) or not value:
            raise self.error(container, key, keypath, NOT_A_LIST)
        out: list[str] = []
        for i, item in enumerate(value):
            at = f"{keypath}[{i}]"
            if not isinstance(item, str):
                raise self.error(
                    value, i, at, f"{item!r} is not a {noun}; put it in quotes (YAML reads yes, "
                    "no, on and off as true or false)",
                )  # fmt: skip
            phrase = normalize(item)
            if not phrase:
                raise self.error(value, i, at, f"{item!r} has no words")
            if distinct and phrase in out:
                raise self.error(
                    value, i, at, f"{item!r} is already item {out.index(phrase)}; remove one"
                )
            out.append(phrase)
        return tuple(out)

    def number(
        self,
        container: Any,
        key: Any,
        keypath: str,
        low: float,
        high: float | None = None,
        *,
        whole: bool = False,
        unit: str = "",
        exact: bool = False,
    ) -> Any:
        """A number from `low` (to `high`): an int when `whole`; a Fraction when `exact` (5.45 is
        109/20, not a nearby binary float, so sums of them are exact); else a float. `unit`
        ("seconds") is named in the error."""
        value = _get(container, key)
        wrong = isinstance(value, bool) or not isinstance(value, (int, float))
        wrong = wrong or (whole and not isinstance(value, int)) or not math.isfinite(value)
        if wrong or value < low or (high is not None and value > high):
            what = "a whole number" if whole else "a number"
            what += f" of {unit}" if unit else ""
            span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            raise self.error(container, key, keypath, f"expected {what} {span}")
        if whole:
            return int(value)
        return Fraction(str(value)) if exact else float(value)

    def flag(self, container: Any, key: Any, keypath: str, default: bool | None = None) -> bool:
        """true or false; `default` when absent (None: it must be there)."""
        value = _get(container, key)
        if value is None and default is not None:
            return default
        if not isinstance(value, bool):
            raise self.error(container, key, keypath, "expected true or false")
        return value

    def choice(
        self,
        container: Any,
        key: Any,
        keypath: str,
        options: Iterable[str],
        problem: str | None = None,
    ) -> str:
        """One of `options` (in the order they are listed in the error)."""
        value = _get(container, key)
        known = list(options)
        if not isinstance(value, str) or value not in known:
            raise self.error(
                container, key, keypath, problem or f"expected one of {', '.join(known)}"
            )
        return value
