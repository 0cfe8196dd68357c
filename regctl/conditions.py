"""The `when:` language: a tiny, safe expression language over a job's data.

An expression reads like Python and is parsed with :mod:`ast`, but only a whitelist of nodes is
accepted and it is interpreted here — never passed to ``eval``. What it may contain:

- dotted paths rooted at ``restaurant``, ``config``, ``results`` or ``params``
  (``config.menu.add_item_tags``, ``results.select_company.choice``); ``a["odd key"]`` also works.
  A path that does not exist is ``null`` (so a missing flag is simply false);
- literals: strings, numbers, ``true``/``false``/``null`` (or Python's spellings), lists of literals;
- ``and``, ``or``, ``not``, ``==``, ``!=``, ``in``, ``not in``, ``<``, ``<=``, ``>``, ``>=``
  (ordering against ``null`` or a mismatched type is false, never an error), and truthiness.

:func:`compile` validates an expression (the manifest loader calls it so a bad ``when:`` is reported
with its line); :func:`evaluate` answers it against ``{"restaurant", "config", "results", "params"}``.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from regctl.errors import UsageError

__all__ = ["ROOTS", "Condition", "ConditionError", "compile", "evaluate"]

MAX_LENGTH = 2000  # characters; deep nesting is refused too, so evaluation cannot recurse away
ROOTS = frozenset({"restaurant", "config", "results", "params"})
_LITERAL_NAMES: dict[str, Any] = {
    "true": True, "false": False, "null": None, "none": None,
    "True": True, "False": False, "None": None,
}
_ORDERINGS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}


class ConditionError(UsageError):
    """A `when:` expression is not valid; the message says what and where in the expression."""


@dataclass(frozen=True)
class Condition:
    """A validated expression, ready to evaluate many times."""

    source: str
    tree: ast.expr

    def __call__(self, data: Mapping[str, Any]) -> bool:
        return bool(_eval(self.tree, data))


@functools.lru_cache(maxsize=1024)
def compile(expr: str) -> Condition:
    """Parse and validate ``expr``; raises :class:`ConditionError` naming the offending part."""
    if not isinstance(expr, str) or not expr.strip():
        raise ConditionError("a condition must be a non-empty expression")
    if len(expr) > MAX_LENGTH:
        raise ConditionError(f"a condition may be at most {MAX_LENGTH} characters (got {len(expr)})")
    shown = expr if len(expr) <= 80 else expr[:77] + "..."
    try:
        tree = ast.parse(expr.strip(), mode="eval").body
        _check(tree, shown)
    except SyntaxError as exc:
        raise ConditionError(f"cannot parse {shown!r}: {exc.msg} (column {exc.offset})") from None
    except (RecursionError, MemoryError):
        raise ConditionError(f"{shown!r} is nested too deeply") from None
    return Condition(expr, tree)


def evaluate(expr: str, data: Mapping[str, Any]) -> bool:
    """True when ``expr`` holds for ``data`` (keys: restaurant, config, results, params)."""
    return compile(expr)(data)


# ---------------------------------------------------------------- validation ---------------------

def _check(node: ast.expr, source: str) -> None:
    checker = _CHECKS.get(type(node))
    if checker is None:
        raise ConditionError(f"{_describe(node)} is not allowed in a condition ({source!r})")
    checker(node, source)


def _check_boolop(node: Any, source: str) -> None:
    for value in node.values:
        _check(value, source)


def _check_unary(node: Any, source: str) -> None:
    if not isinstance(node.op, ast.Not | ast.USub):
        raise ConditionError(f"operator {type(node.op).__name__} is not allowed ({source!r})")
    _check(node.operand, source)


def _check_compare(node: Any, source: str) -> None:
    allowed: tuple[type[ast.cmpop], ...] = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, *_ORDERINGS)
    for op in node.ops:
        if not isinstance(op, allowed):
            raise ConditionError(f"comparison {type(op).__name__} is not allowed ({source!r})")
    for part in (node.left, *node.comparators):
        _check(part, source)


def _check_name(node: Any, source: str) -> None:
    if node.id not in ROOTS and node.id not in _LITERAL_NAMES:
        roots = ", ".join(sorted(ROOTS))
        raise ConditionError(f"unknown name {node.id!r} in {source!r}: paths start with one of {roots}")


def _check_attribute(node: Any, source: str) -> None:
    if node.attr.startswith("_"):
        raise ConditionError(f"private attribute {node.attr!r} is not allowed ({source!r})")
    _check_path_base(node.value, source)


def _check_subscript(node: Any, source: str) -> None:
    index = node.slice
    if not (isinstance(index, ast.Constant) and isinstance(index.value, str | int)):
        raise ConditionError(f"only a constant key may be used in [...] ({source!r})")
    _check_path_base(node.value, source)


def _check_path_base(node: ast.expr, source: str) -> None:
    if isinstance(node, ast.Name) and node.id not in ROOTS:
        raise ConditionError(f"unknown name {node.id!r} in {source!r}: paths start with one of "
                             f"{', '.join(sorted(ROOTS))}")
    if not isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
        raise ConditionError(f"{_describe(node)} cannot start a path ({source!r})")
    _check(node, source)


def _check_constant(node: Any, source: str) -> None:
    if not (node.value is None or isinstance(node.value, str | int | float | bool)):
        raise ConditionError(f"literal {node.value!r} is not allowed ({source!r})")


def _check_sequence(node: Any, source: str) -> None:
    for element in node.elts:
        _check(element, source)


_CHECKS: dict[type[ast.AST], Callable[[Any, str], None]] = {
    ast.BoolOp: _check_boolop, ast.UnaryOp: _check_unary, ast.Compare: _check_compare,
    ast.Name: _check_name, ast.Attribute: _check_attribute, ast.Subscript: _check_subscript,
    ast.Constant: _check_constant, ast.List: _check_sequence, ast.Tuple: _check_sequence,
}


def _describe(node: ast.AST) -> str:
    names = {ast.Call: "a function call", ast.Lambda: "a lambda", ast.BinOp: "arithmetic",
             ast.IfExp: "an if-expression", ast.Dict: "a dict literal"}
    return names.get(type(node), f"a {type(node).__name__} expression")


# ---------------------------------------------------------------- evaluation ---------------------

def _eval(node: ast.expr, data: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _LITERAL_NAMES[node.id] if node.id in _LITERAL_NAMES else data.get(node.id)
    if isinstance(node, ast.Attribute):
        return _step(_eval(node.value, data), node.attr)
    if isinstance(node, ast.Subscript):
        return _step(_eval(node.value, data), node.slice.value)  # type: ignore[attr-defined]
    if isinstance(node, ast.BoolOp):
        return _eval_boolop(node, data)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, data)
        return (not value) if isinstance(node.op, ast.Not) else _negate(value)
    if isinstance(node, ast.Compare):
        return _eval_compare(node, data)
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, data) for e in node.elts]
    raise ConditionError(f"{_describe(node)} is not allowed in a condition")  # unreachable after compile


def _step(value: Any, key: str | int) -> Any:
    """One path step; anything missing (or not a container) yields None instead of an error."""
    if isinstance(value, Mapping):
        return value.get(key)
    if isinstance(value, list | tuple) and isinstance(key, int) and -len(value) <= key < len(value):
        return value[key]
    return None


def _negate(value: Any) -> Any:
    return -value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _eval_boolop(node: ast.BoolOp, data: Mapping[str, Any]) -> Any:
    is_and = isinstance(node.op, ast.And)
    value: Any = is_and
    for part in node.values:
        value = _eval(part, data)
        if bool(value) != is_and:
            return value
    return value


def _eval_compare(node: ast.Compare, data: Mapping[str, Any]) -> bool:
    left = _eval(node.left, data)
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = _eval(right_node, data)
        if not _compare(op, left, right):
            return False
        left = right
    return True


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    if isinstance(op, ast.Eq):
        return bool(left == right)
    if isinstance(op, ast.NotEq):
        return bool(left != right)
    if isinstance(op, ast.In | ast.NotIn):
        found = _contains(right, left)
        return found if isinstance(op, ast.In) else not found
    try:
        return bool(_ORDERINGS[type(op)](left, right))
    except TypeError:  # null or mismatched types: the ordering simply does not hold
        return False


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, list | tuple):
        return item in container
    if isinstance(container, Mapping):
        try:
            return item in container
        except TypeError:  # an unhashable value (a mapping or list) is never a key
            return False
    return False
