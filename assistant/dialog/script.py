"""Dialog scripts: YAML data in dialogs/ shaped like transitions.Machine arguments, validated on
load. Every error names the file, the line and key, and what is expected."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.base.datafile import Reader, line_of, load_yaml, unknown_keys
from assistant.base.errors import BadInputError, BadScriptError
from assistant.base.settings import ListenSettings
from assistant.dialog.callbacks import REGISTRY

#: Data files in dialogs/ that are not scripts.
RESERVED = {
    "breathe",
    "coaching",
    "commands",
    "numbers",  # number words and rating fillers (assistant/base/numbers.py)
    "pause_rule",
    "safety",
    "text_model",  # the learned text model's heads and thresholds (assistant/understand)
    "support",
    "themes",
    "turn",
}
#: The one trigger the session fires: after an answer, a skip, or a second silence.
TRIGGERS = {"next"}
NAME = re.compile(r"^[a-z][a-z0-9]*$")  # no underscores: transitions uses them to nest states
CALLBACK_KEYS = ("conditions", "unless", "prepare", "before", "after")
TOP_KEYS = {"description", "intro", "outro", "listen", "machine"}
MACHINE_KEYS = {"initial", "states", "transitions"}
STATE_KEYS = {"name", "prompt", "reprompt", "listen", "final", "rating"}
TRANSITION_KEYS = {"trigger", "source", "dest", *CALLBACK_KEYS}
DEFAULT_REPROMPT = "Take your time. When you are ready, answer, or say skip to move on."


@dataclass(frozen=True)
class StateSpec:
    name: str
    prompt: str
    reprompt: str
    listen: ListenSettings
    final: bool
    rating: bool = False  #: the answer is a number from one to ten (dialog/rating.py)


@dataclass(frozen=True)
class Script:
    name: str
    path: Path
    description: str
    intro: str
    outro: str
    initial: str
    states: dict[str, StateSpec]
    #: transitions.Machine transition dicts with callback names already resolved to functions.
    transitions: tuple[dict[str, Any], ...]


def _names(where: Reader, spec: dict, key: str, keypath: str) -> list[str]:
    """A name or a list of names (state names, callback names)."""
    value = spec[key]
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(n, str) for n in names):
        raise where.error(spec, key, keypath, "expected a name or a list of names")
    return names


def _callbacks(where: Reader, spec: dict, keypath: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CALLBACK_KEYS:
        if key not in spec:
            continue
        names = _names(where, spec, key, f"{keypath}.{key}")
        for name in names:
            if name not in REGISTRY:
                raise where.error(
                    spec,
                    key,
                    f"{keypath}.{key}",
                    f"unknown callback {name!r}; known callbacks are {sorted(REGISTRY)}",
                )
        out[key] = [REGISTRY[name] for name in names]
    return out


def _load_states(where: Reader, states: Any, listen: ListenSettings) -> dict[str, StateSpec]:
    if not isinstance(states, list) or not states:
        raise where.error(states, None, "machine.states", "expected a list of states")
    out: dict[str, StateSpec] = {}
    for i, raw in enumerate(states):
        keypath = f"machine.states[{i}]"
        if not isinstance(raw, dict):
            raise where.error(states, i, keypath, "expected a mapping with name and prompt")
        unknown_keys(where, raw, STATE_KEYS, keypath)
        name = raw.get("name")
        if not isinstance(name, str) or not NAME.match(name):
            raise where.error(
                raw,
                "name",
                f"{keypath}.name",
                "expected a lower-case name of letters and digits (no underscores), e.g. 'fear'",
            )
        if name in out:
            raise where.error(raw, "name", f"{keypath}.name", f"state {name!r} is defined twice")
        final = where.flag(raw, "final", f"{keypath}.final", default=False)
        if final:
            if "rating" in raw:
                raise where.error(
                    raw, "rating", f"{keypath}.rating", "a final state asks nothing; remove it"
                )
            if "prompt" in raw:
                raise where.error(
                    raw,
                    "prompt",
                    f"{keypath}.prompt",
                    "a final state asks nothing; put closing words in 'outro'",
                )
            prompt = reprompt = ""
            rating = False
        else:
            rating = where.flag(raw, "rating", f"{keypath}.rating", default=False)
            prompt = where.text(raw, "prompt", f"{keypath}.prompt")
            reprompt = where.text(raw, "reprompt", f"{keypath}.reprompt", optional=True)
        state_listen = raw.get("listen")
        if state_listen is not None and not isinstance(state_listen, dict):
            raise where.error(raw, "listen", f"{keypath}.listen", "expected a mapping of settings")
        merged = listen.merged(
            state_listen, f"{where.path}:{line_of(raw, 'listen')}: {keypath}.listen"
        )
        out[name] = StateSpec(name, prompt, reprompt or DEFAULT_REPROMPT, merged, final, rating)
    return out


def _load_transitions(
    where: Reader, transitions: Any, states: dict[str, StateSpec]
) -> tuple[dict[str, Any], ...]:
    if not isinstance(transitions, list) or not transitions:
        raise where.error(
            transitions, None, "machine.transitions", "expected a list of transitions"
        )
    out = []
    for i, raw in enumerate(transitions):
        keypath = f"machine.transitions[{i}]"
        if not isinstance(raw, dict):
            raise where.error(transitions, i, keypath, "expected a mapping: trigger, source, dest")
        unknown_keys(where, raw, TRANSITION_KEYS, keypath)
        for key in ("trigger", "source", "dest"):
            if key not in raw:
                raise where.error(raw, None, keypath, f"missing {key!r}")
        if not isinstance(raw["trigger"], str) or raw["trigger"] not in TRIGGERS:
            raise where.error(
                raw,
                "trigger",
                f"{keypath}.trigger",
                f"unknown trigger {raw['trigger']!r}; scripts use {sorted(TRIGGERS)}",
            )
        sources = _names(where, raw, "source", f"{keypath}.source")
        if not isinstance(raw["dest"], str):
            raise where.error(raw, "dest", f"{keypath}.dest", "expected one state name")
        for key, names in (("source", sources), ("dest", [raw["dest"]])):
            for name in names:
                if name not in states:
                    close = difflib.get_close_matches(str(name), list(states), n=1)
                    hint = f"did you mean {close[0]!r}?" if close else f"states are {list(states)}"
                    raise where.error(raw, key, f"{keypath}.{key}", f"no state {name!r}; {hint}")
        for name in sources:
            if states[name].final:
                raise where.error(
                    raw,
                    "source",
                    f"{keypath}.source",
                    f"{name!r} is final; nothing leaves a final state",
                )
        out.append(
            {
                "trigger": raw["trigger"],
                "source": sources,
                "dest": raw["dest"],
                **_callbacks(where, raw, keypath),
            }
        )
    return tuple(out)


class _Probe:
    """Stands in for transitions' EventData to ask where `next` goes after an answer or a skip."""

    def __init__(self, answer: str | None) -> None:
        self.kwargs = {"answer": answer}


def _taken(transition: dict[str, Any], probe: _Probe) -> bool:
    return all(c(probe) for c in transition.get("conditions", [])) and not any(
        u(probe) for u in transition.get("unless", [])
    )


def _check_graph(
    where: Reader,
    machine: dict,
    initial: str,
    states: dict[str, StateSpec],
    transitions: tuple[dict[str, Any], ...],
) -> None:
    for index, (name, state) in enumerate(states.items()):
        if state.final:
            continue
        for probe, case in ((_Probe("an answer"), "answers"), (_Probe(None), "skips")):
            if not any(name in t["source"] and _taken(t, probe) for t in transitions):
                raise where.error(
                    machine["states"],
                    index,
                    f"machine.states[{index}]",
                    f"nothing leaves state {name!r} when the person {case}; add a 'next' "
                    "transition from it (without conditions, or with the opposite ones)",
                )

    def reach(start: set[str], forward: bool) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            here = todo.pop()
            for t in transitions:
                src, dst = (t["source"], [t["dest"]]) if forward else ([t["dest"]], t["source"])
                if here in src:
                    for other in dst:
                        if other not in seen:
                            seen.add(other)
                            todo.append(other)
        return seen

    reachable = reach({initial}, forward=True)
    finishing = reach({n for n, st in states.items() if st.final}, forward=False)
    for index, name in enumerate(states):
        if name not in reachable:
            problem = f"state {name!r} can never be reached from {initial!r}"
        elif name not in finishing:
            problem = f"from state {name!r} no path leads to a state with 'final: true'"
        else:
            continue
        raise where.error(machine["states"], index, f"machine.states[{index}]", problem)


def load_script(path: Path, defaults: ListenSettings | None = None) -> Script:
    where = Reader(path)
    data = load_yaml(path)
    unknown_keys(where, data, TOP_KEYS, "")
    description = where.text(data, "description", "description")
    listen_raw = data.get("listen")
    if listen_raw is not None and not isinstance(listen_raw, dict):
        raise where.error(data, "listen", "listen", "expected a mapping of settings")
    listen = (defaults or ListenSettings()).merged(
        listen_raw, f"{path}:{line_of(data, 'listen')}: listen"
    )
    machine = data.get("machine")
    if not isinstance(machine, dict):
        raise where.error(
            data, "machine", "machine", "expected a mapping with initial, states and transitions"
        )
    unknown_keys(where, machine, MACHINE_KEYS, "machine")
    states = _load_states(where, machine.get("states"), listen)
    initial = machine.get("initial")
    if not isinstance(initial, str) or initial not in states:
        raise where.error(
            machine,
            "initial",
            "machine.initial",
            f"expected the name of a state, one of {list(states)}",
        )
    transitions = _load_transitions(where, machine.get("transitions"), states)
    _check_graph(where, machine, initial, states, transitions)
    return Script(
        name=path.stem,
        path=path,
        description=description,
        intro=where.text(data, "intro", "intro", optional=True),
        outro=where.text(data, "outro", "outro", optional=True),
        initial=initial,
        states=states,
        transitions=transitions,
    )


def command_clash(path: Path, commands: tuple[str, ...]) -> BadScriptError | None:
    """A script named like a command (`history.yaml`) could never be run: the command wins."""
    if path.stem not in commands:
        return None
    return BadScriptError(
        f"{path}: a script cannot be named like the command `reflect {path.stem}`; rename the "
        f"file, e.g. to my-{path.stem}.yaml"
    )


def script_paths(dialogs_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(dialogs_dir.glob("*.yaml")) if p.stem not in RESERVED}


def find_script(name: str, dialogs_dir: Path) -> Script:
    paths = script_paths(dialogs_dir)
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise BadInputError(f"unknown script or command {name!r}; scripts: {known}")
    return load_script(paths[name])
