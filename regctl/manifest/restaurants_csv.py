"""``restaurants_from: FILE.csv`` — a lead-scrape export, one row per restaurant.

Header names are restaurant fields; unknown columns are kept in the restaurant's ``extra``. Empty
cells are absent values. ``opening_hours`` may be JSON (``[{"day": …, "open": …, "close": …}]``);
``cuisines`` is a comma- or semicolon-separated list. Errors name the CSV file, its line and column.
"""

from __future__ import annotations

import csv
import json
import re
import stat
from pathlib import Path
from typing import Any

from regctl.bounds import MAX_CSV_BYTES, MAX_CSV_CELL, MAX_CSV_COLUMNS, MAX_CSV_ROWS, find_problem, parse_json
from regctl.errors import ManifestError
from regctl.manifest.located_yaml import Located, Path_
from regctl.manifest.models import RESTAURANT_FIELDS

__all__ = ["read_restaurants_csv"]


def read_restaurants_csv(path: Path) -> Located:
    """The rows as restaurant dicts, located: ``lines[("restaurants", i, column)]`` is the CSV line."""
    file = str(path)
    text = _read(path, file)
    reader = csv.reader(text.splitlines())
    try:
        header = _header(next(reader, None), file)
        rows: list[dict[str, Any]] = []
        lines: dict[Path_, int] = {("restaurants",): 1}
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            where: Path_ = ("restaurants", len(rows))
            if len(rows) == MAX_CSV_ROWS:
                raise ManifestError(f"more than {MAX_CSV_ROWS:,} restaurants in one CSV", file=file,
                                    line=line)
            rows.append(_row(header, cells, Located(file, None, {where: line}), where))
            lines[where] = line
            lines.update({(*where, col): line for col in rows[-1]})
    except csv.Error as exc:  # e.g. a cell over the csv module's own limit
        raise ManifestError(f"not a CSV the reader accepts: {exc}", file=file, line=reader.line_num) from None
    if not rows:
        raise ManifestError("the CSV has a header but no restaurants", file=file, line=1,
                            field="restaurants_from")
    return Located(file=file, value=rows, lines=lines)


def _read(path: Path, file: str) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CSV_BYTES:
            raise ManifestError(f"not a regular file of at most {MAX_CSV_BYTES // 2**20} MiB", file=file)
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not UTF-8 text ({exc.reason})", file=file, line=1) from None
    except OSError as exc:
        raise ManifestError(f"cannot read the CSV: {exc.strerror}", file=file) from None


def _header(cells: list[str] | None, file: str) -> list[str]:
    if not cells:
        raise ManifestError("the CSV is empty: it needs a header row naming restaurant fields", file=file,
                            line=1, field="restaurants_from")
    if len(cells) > MAX_CSV_COLUMNS:
        raise ManifestError(f"more than {MAX_CSV_COLUMNS} columns", file=file, line=1,
                            field="restaurants_from")
    header = [c.strip() for c in cells]
    problem = find_problem(header, max_string=200)
    if problem:
        raise ManifestError(f"a column name: {problem[1]}", file=file, line=1, field="restaurants_from")
    for i, name in enumerate(header):
        if not name:
            raise ManifestError(f"column {i + 1} has no name in the header", file=file, line=1,
                                field="restaurants_from")
        if header.index(name) != i:
            raise ManifestError(f"column {name!r} appears twice in the header", file=file, line=1,
                                field=name)
    if "name" not in header:
        raise ManifestError("the CSV has no 'name' column", file=file, line=1, field="name")
    return header


def _row(header: list[str], cells: list[str], located: Located, where: Path_) -> dict[str, Any]:
    if len(cells) != len(header):
        raise located.error(f"row has {len(cells)} cells but the header has {len(header)} columns", where)
    row: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for column, raw in zip(header, cells, strict=True):
        value = raw.strip()
        problem = find_problem(value, max_string=MAX_CSV_CELL)
        if problem:
            raise located.error(problem[1], (*where, column))
        if not value:
            continue
        if column in RESTAURANT_FIELDS:
            row[column] = _field(column, value, located, (*where, column))
        else:
            extra[column] = value
    row["extra"] = extra
    return row


def _field(column: str, value: str, located: Located, path: Path_) -> Any:
    if column == "opening_hours":
        try:
            return parse_json(value)
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise located.error(f"opening_hours must be JSON like "
                                f'[{{"day": "Monday", "open": "10:00", "close": "22:00"}}] ({reason})',
                                path) from None
    if column == "cuisines":
        return [c.strip() for c in re.split(r"[;,]", value) if c.strip()]
    return value
