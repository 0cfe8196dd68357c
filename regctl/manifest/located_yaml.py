"""YAML that remembers where each value came from, and `${ENV}` references.

:func:`load_located` parses a YAML document into plain Python values plus a map from each value's
path (``("restaurants", 2, "name")``) to its line, so any later validation error can name the line.
Duplicate mapping keys — which PyYAML silently lets the last one win — are errors here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from regctl.bounds import MAX_DEPTH, find_problem
from regctl.errors import ManifestError

__all__ = ["Located", "Path_", "expand_env", "format_path", "load_located"]

Path_ = tuple[str | int, ...]
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class Located:
    """A parsed document and where each of its values sits in the file."""

    file: str
    value: Any
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int | None:
        """Line of ``path``, else of its nearest ancestor that exists (a missing key → its parent)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def error(self, message: str, path: Path_) -> ManifestError:
        return ManifestError(message, file=self.file, line=self.line_of(path), field=format_path(path))


def format_path(path: Path_) -> str | None:
    """``("restaurants", 2, "name")`` → ``restaurants[2].name``; ``()`` → None."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


def load_located(text: str, file: str) -> Located:
    """Parse one YAML document; :class:`ManifestError` with the line for broken YAML."""
    try:
        node = _compose(text)
    except RecursionError:
        raise ManifestError(f"the YAML is nested more than {MAX_DEPTH} levels deep", file=file,
                            line=1) from None
    except yaml.MarkedYAMLError as exc:
        raise _broken(exc, text, file) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        line = text[: exc.position].count("\n") + 1
        raise ManifestError(f"broken YAML: character {exc.character!r} is not allowed", file=file,
                            line=line, field=_nearest_key(text, line)) from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"broken YAML: {exc}", file=file, line=1) from None
    if node is None:
        raise ManifestError("the manifest is empty (it needs batch, organisation and restaurants)",
                            file=file, line=1, field="batch")
    lines: dict[Path_, int] = {(): node.start_mark.line + 1}
    value = _Builder(file, lines).build(node, ())
    located = Located(file=file, value=value, lines=lines)
    problem = find_problem(value)
    if problem is not None:
        raise located.error(problem[1], problem[0])
    return located


def _compose(text: str) -> yaml.Node | None:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


MAX_VALUES = 500_000  # above any inline batch (10,000 restaurants ≈ 150,000 values); CSVs are not counted
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:")


def _broken(exc: yaml.MarkedYAMLError, text: str, file: str) -> ManifestError:
    """Broken YAML, located: the line where the problem started and the nearest key above it."""
    unterminated = exc.context_mark is not None and "end of stream" in str(exc.problem)
    mark = exc.context_mark if unterminated else (exc.problem_mark or exc.context_mark)
    line = mark.line + 1 if mark else None
    context = f" ({exc.context})" if exc.context and unterminated else ""
    return ManifestError(f"broken YAML: {exc.problem}{context}", file=file, line=line,
                         field=_nearest_key(text, line))


def _nearest_key(text: str, line: int | None) -> str | None:
    """The key written on ``line`` or the closest line above it: what the reader was parsing."""
    if line is None:
        return None
    for candidate in reversed(text.splitlines()[:line]):
        match = _KEY_LINE.match(candidate)
        if match:
            return match.group(1)
    return None


class _Builder:
    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.constructor = SafeConstructor()
        self.built = 0
        self.open: set[int] = set()  # collections being built: an alias to one of them is a loop

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.built += 1
        if self.built > MAX_VALUES:  # aliases can multiply a small file ("billion laughs")
            raise self._error(f"the manifest expands to more than {MAX_VALUES:,} values", node, path)
        if len(path) > MAX_DEPTH:
            raise self._error(f"nested more than {MAX_DEPTH} levels deep", node, path)
        if isinstance(node, yaml.CollectionNode):
            return self._collection(node, path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise self._error(f"bad value: {str(exc).splitlines()[0][:120]}", node, path) from None
        except yaml.YAMLError as exc:
            raise ManifestError(f"bad value: {exc}", file=self.file, line=node.start_mark.line + 1,
                                field=format_path(path)) from None

    def _error(self, message: str, node: yaml.Node, path: Path_) -> ManifestError:
        return ManifestError(message, file=self.file, line=node.start_mark.line + 1, field=format_path(path))

    def _collection(self, node: yaml.CollectionNode, path: Path_) -> Any:
        if id(node) in self.open:
            raise self._error("an alias refers to a value that contains it", node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return self._sequence(node, path)  # type: ignore[arg-type]
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._key(key_node, path, line)
            if key in result:
                first = self.lines[(*path, key)]
                raise ManifestError(f"duplicate key {key!r} (first at line {first})", file=self.file,
                                    line=line, field=format_path((*path, key)))
            self.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, node: yaml.Node, path: Path_, line: int) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:merge":
            raise ManifestError("keys must be plain words (no merge keys or complex keys)", file=self.file,
                                line=line, field=format_path(path))
        return str(self.constructor.construct_object(node))

    def _sequence(self, node: yaml.SequenceNode, path: Path_) -> list[Any]:
        items = []
        for i, item in enumerate(node.value):
            self.lines[(*path, i)] = item.start_mark.line + 1
            items.append(self.build(item, (*path, i)))
        return items


def expand_env(value: Any, located: Located, path: Path_ = (),
               env: Mapping[str, str] | None = None) -> Any:
    """A copy of ``value`` with every ``${NAME}`` / ``${NAME:-default}`` replaced from the environment.

    A reference to an unset variable without a default is a :class:`ManifestError` at its line.
    """
    env = os.environ if env is None else env
    if isinstance(value, dict):
        return {k: expand_env(v, located, (*path, k), env) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env(v, located, (*path, i), env) for i, v in enumerate(value)]
    if isinstance(value, str) and "${" in value:
        return _expand_string(value, located, path, env)
    return value


def _expand_string(value: str, located: Located, path: Path_, env: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise located.error(f"environment variable {name} is not set (referenced as ${{{name}}})", path)

    return _ENV_REF.sub(replace, value)
