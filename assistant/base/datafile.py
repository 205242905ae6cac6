"""Loading a YAML data file so that every value remembers the line it came from.

Validation errors can then say `dialogs/evening.yaml:12: machine.states[1].prompt: ...`.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from assistant.base.errors import BadScriptError


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


class Reader(Where):
    """Typed access to the values of a loaded data file, each mistake one line naming the file,
    line, key path and fix. Every data file in dialogs/ is read through these."""

    def mapping(self, container: dict, key: Any, keypath: str, allowed: set[str]) -> dict:
        value = container.get(key)
        if not isinstance(value, dict):
            raise self.error(
                container, key, keypath, f"expected a mapping with keys {sorted(allowed)}"
            )
        unknown_keys(self, value, allowed, keypath)  # before a missing key: "reportd"
        return value

    def text(
        self, container: dict, key: Any, keypath: str, placeholders: tuple[str, ...] = ()
    ) -> str:
        """A line of text (folded to single spaces); {placeholders} must be among those named."""
        value = container.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                container, key, keypath, "expected a line of text (in quotes if it has ':')"
            )
        for name in _PLACEHOLDER.findall(value):
            if name not in placeholders:
                fix = (
                    f"use {', '.join('{' + a + '}' for a in placeholders)}"
                    if placeholders
                    else "remove it"
                )
                raise self.error(container, key, keypath, f"unknown placeholder {{{name}}}; {fix}")
        return " ".join(value.split())

    def strings(self, container: dict, key: Any, keypath: str) -> list[str]:
        """A non-empty list of phrases (text)."""
        value = container.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(container, key, keypath, "expected a list with at least one entry")
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

    def number(
        self,
        container: dict,
        key: Any,
        keypath: str,
        kind: type,
        low: float,
        high: float | None = None,
    ) -> Any:
        """A whole number (kind int) or a number of seconds (kind float), from low (to high)."""
        value = container.get(key)
        wrong = isinstance(value, bool) or not isinstance(value, (int, float))
        wrong = wrong or (kind is int and not isinstance(value, int))
        if wrong or value < low or (high is not None and value > high):
            unit = "a whole number" if kind is int else "a number of seconds"
            span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            raise self.error(container, key, keypath, f"expected {unit} {span}")
        return kind(value)
