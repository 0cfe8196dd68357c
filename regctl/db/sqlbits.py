"""Small SQL building blocks shared by the store's modules.

A list of ids is ONE array parameter on PostgreSQL (``= ANY(:ids)``: the statement text never
changes with the list's length, so nothing is re-rendered or re-prepared) and an expanding
``IN (…)`` on SQLite. Hot statements are built once per dialect with :func:`per_dialect`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

__all__ = ["InIds", "in_array", "in_list", "per_dialect"]

InIds = Callable[[ColumnElement[Any]], ColumnElement[bool]]


def in_list(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return column.in_(bindparam("ids", expanding=True))


def in_array(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return column == any_(bindparam("ids", type_=ARRAY(BigInteger)))


def per_dialect(build: Callable[[InIds], Any]) -> dict[bool, Any]:
    """``{is_postgres: statement}``, each built with that dialect's way of matching ``:ids``."""
    return {False: build(in_list), True: build(in_array)}
