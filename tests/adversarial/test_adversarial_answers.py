"""Hostile decision answers, restaurant CSVs, manual outcomes on cancelled jobs and piped output:
one line and exit 2 with nothing written, or safe output (issue 14 item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adversarial_support import HEAD, STEPS, assert_refused, run_refused, snapshot, write
from cli_support import regctl
from review_helpers import waiting_batch

from regctl.db.store import Store

PERMISSIVE = """pipeline:
  name: approvals
  steps:
    - {key: approve, uses: builtin.wait, with: {schema: {type: object}}}
    - {key: publish, uses: builtin.noop, needs: [approve]}"""

ANSWERS: dict[str, tuple[bytes, str]] = {
    "2 MiB answer": (b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}', "larger than 1024 KiB"),
    "NaN": (b'{"ok": NaN}', "NaN"),
    "Infinity": (b'{"ok": -Infinity}', "Infinity"),
    "NUL": (b'{"ok": "a\\u0000b"}', "U+0000"),
    "lone surrogate": (b'{"ok": "a\\ud800b"}', "U+D800"),
    "5,000-digit number": (b'{"n": ' + b"9" * 5000 + b"}", "digits"),
    "deep nesting": (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested"),
    "nesting past the bound": (b'{"a": ' + b"[" * 30 + b"]" * 30 + b"}", "nested more than 20"),
    "not UTF-8": (b'{"ok": "\xff"}', "utf-8"),
}


@pytest.fixture
def waiting_job(store: Store, tmp_path: Path) -> int:
    batch_id = waiting_batch(store, tmp_path, count=1, pipeline=PERMISSIVE)
    return int(store.waiting_steps(batch_id=batch_id)[0]["job_id"])


@pytest.mark.parametrize("probe", sorted(ANSWERS))
def test_a_hostile_answer_is_refused_with_nothing_written(probe: str, waiting_job: int, database_url: str,
                                                          tmp_path: Path) -> None:
    content, says = ANSWERS[probe]
    answer = tmp_path / "answer.json"
    answer.write_bytes(content)
    before = snapshot(database_url)
    assert_refused(regctl("decide", str(waiting_job), "approve", "--json", str(answer), db=database_url),
                   says=says)
    assert snapshot(database_url) == before


def test_a_fair_answer_is_still_taken(waiting_job: int, database_url: str, tmp_path: Path) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"ok": True, "note": "fine", "n": 10**18}))
    result = regctl("decide", str(waiting_job), "approve", "--json", str(answer), db=database_url)
    assert result.code == 0, result.output


@pytest.mark.parametrize("verb", ["complete", "skip"])
def test_complete_and_skip_are_refused_on_a_cancelled_job(verb: str, waiting_job: int,
                                                           database_url: str) -> None:
    assert regctl("cancel", f"job:{waiting_job}", db=database_url).code == 0
    before = snapshot(database_url)
    result = regctl(verb, str(waiting_job), "approve", "--note", "by hand", db=database_url)
    assert_refused(result, says="was cancelled")
    assert snapshot(database_url) == before


CSV_HEAD = "name,address,city,opening_hours\n"
CSVS: dict[str, tuple[str, str]] = {
    "a cell over 128 KiB": (CSV_HEAD + f"Big,\"{'x' * (140 * 1024)}\",Auckland,\n", "CSV"),
    "a cell over 64 KiB": (CSV_HEAD + f"Big,\"{'x' * (70 * 1024)}\",Auckland,\n", "characters"),
    "a NUL byte": (CSV_HEAD + "Nul\x00Cafe,1 Road,Auckland,\n", "U+0000"),
    "an escape sequence": (CSV_HEAD + "\x1b[2JCafe,1 Road,Auckland,\n", "U+001B"),
    "deep opening_hours JSON": (CSV_HEAD + 'Deep,1 Road,Auckland,"' + "[" * 10_000 + "]" * 10_000 + '"\n',
                                "nested"),
    "NaN in opening_hours": (CSV_HEAD + 'NaN,1 Road,Auckland,"[{""day"": NaN}]"\n', "NaN"),
    "too many columns": (",".join(f"c{i}" for i in range(300)) + "\n" + ",".join("x" * 300) + "\n",
                         "columns"),
}


@pytest.mark.parametrize("probe", sorted(CSVS))
def test_a_hostile_csv_is_refused_with_nothing_written(probe: str, database_url: str,
                                                       tmp_path: Path) -> None:
    text, says = CSVS[probe]
    write(tmp_path, text, "restaurants.csv")
    manifest = write(tmp_path, HEAD + STEPS + "restaurants_from: restaurants.csv\n")
    run_refused(database_url, manifest, says=says)


def test_control_characters_are_escaped_in_plain_output(store: Store, database_url: str,
                                                        tmp_path: Path) -> None:
    """A name that came from elsewhere (a website, an older database) cannot drive the terminal."""
    import sqlalchemy as sa

    from regctl.db.schema import restaurants

    batch_id = waiting_batch(store, tmp_path, count=1, pipeline=PERMISSIVE)
    with store.engine.begin() as conn:
        conn.execute(sa.update(restaurants).values(name="Evil\x1b[2J\x1b]0;owned\x07\u202eCafe"))
    job = store.waiting_steps(batch_id=batch_id)[0]["job_id"]
    for args in (("status", str(batch_id)), ("show", str(job)), ("export", str(batch_id))):
        result = regctl(*args, db=database_url)
        assert result.code in (0, 3), result.output
        assert "Evil" in result.out
        assert not any(c in result.output for c in "\x1b\x07\u202e"), (args, result.output)


def test_a_long_actor_name_is_refused_in_one_line(waiting_job: int, database_url: str,
                                                  tmp_path: Path) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text('{"ok": true}')
    before = snapshot(database_url)
    result = regctl("decide", str(waiting_job), "approve", "--json", str(answer), "--as", "n" * 500,
                    db=database_url)
    assert_refused(result, says="--as")
    assert snapshot(database_url) == before
    assert_refused(regctl("complete", str(waiting_job), "approve", "--note", "x", "--as", "\x1b[2J",
                          db=database_url), says="--as")
