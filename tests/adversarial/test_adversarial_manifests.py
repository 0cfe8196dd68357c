"""Every bad manifest the review tried is one line and exit 2, with nothing written (issue 14 item 3,
issue 13 "bounded inputs"). Each probe ran to a traceback or was accepted before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from adversarial_support import HEAD, ONE, STEPS, assert_refused, run_refused, write
from cli_support import regctl

DEEP = 5000


def _restaurant(field: str) -> str:
    return f"restaurants:\n  - {{name: Probe Cafe, address: 1 Probe Road, {field}}}\n"


PROBES: dict[str, tuple[str, str]] = {
    # name: (manifest text, what the one line says)
    "deep YAML": (HEAD + STEPS + "defaults: " + "[" * DEEP + "]" * DEEP + "\n" + ONE, "nested"),
    "deep but parseable YAML": (HEAD + STEPS + "defaults: {menu: " + "[" * 40 + "]" * 40 + "}\n" + ONE,
                                "nested more than 20 levels"),
    "organisation longer than its column": (
        f"batch: probe\norganisation: {'o' * 150}\n" + STEPS + ONE, "at most 100 characters"),
    "max_parallel_restaurants 1e23 (a string to YAML)": (
        HEAD + STEPS + "execution: {max_parallel_restaurants: 1e23}\n" + ONE, "max_parallel_restaurants"),
    "max_parallel_restaurants 1.0e+23": (
        HEAD + STEPS + "execution: {max_parallel_restaurants: 1.0e+23}\n" + ONE, "max_parallel_restaurants"),
    "max_parallel_restaurants too many": (
        HEAD + STEPS + "execution: {max_parallel_restaurants: 1001}\n" + ONE, "less than or equal to 1000"),
    "retries 10**12": (HEAD + "pipeline:\n  steps:\n"
                       "    - {key: a, uses: builtin.noop, retries: 1000000000000}\n" + ONE,
                       "less than or equal to 100"),
    "slots out of range": (HEAD + STEPS + "execution: {limits: {browser: 100000}}\n" + ONE, "limits"),
    "rate limit capacity out of range": (
        HEAD + STEPS + "execution: {rate_limits: {x: {capacity: 10000000, window: 1s}}}\n" + ONE, "capacity"),
    "NaN timeout": (HEAD + "pipeline:\n  steps:\n    - {key: a, uses: builtin.noop, timeout: .nan}\n" + ONE,
                    "timeout"),
    "infinite window": (HEAD + STEPS + "execution: {rate_limits: {x: {capacity: 1, window: .inf}}}\n" + ONE,
                        "window"),
    "a year-long timeout": (HEAD + "pipeline:\n  steps:\n    - {key: a, uses: builtin.noop, timeout: 9000h}\n"
                            + ONE, "longer than 7 days"),
    "5,000-digit number": (HEAD + STEPS + f"execution: {{max_parallel_restaurants: {'7' * 5000}}}\n" + ONE,
                           "bad value"),
    "NUL in a name": (HEAD + STEPS + 'restaurants:\n  - {name: "Bad\\0Cafe"}\n', "U+0000"),
    "lone surrogate": (HEAD + STEPS + 'restaurants:\n  - {name: "Bad\\ud800Cafe"}\n', "U+D800"),
    "ANSI escape in a name": (HEAD + STEPS + 'restaurants:\n  - {name: "\\e[2JBad"}\n', "U+001B"),
    "a huge text": (HEAD + STEPS + _restaurant(f"extra: {{note: {'x' * 70_000}}}"), "characters"),
    "notify typo": (HEAD + STEPS + "notify: {webhok: https://hooks.example.com/x}\n" + ONE, "notify"),
    "ftp webhook": (HEAD + STEPS + "notify: {webhook: 'ftp://hooks.example.com/x'}\n" + ONE, "https://"),
    "file webhook": (HEAD + STEPS + "notify: {webhook: 'file:///etc/passwd'}\n" + ONE, "https://"),
    "http webhook": (HEAD + STEPS + "notify: {webhook: 'http://hooks.example.com/x'}\n" + ONE, "https://"),
    "metadata webhook": (HEAD + STEPS + "notify: {webhook: 'https://169.254.169.254/latest/meta-data'}\n"
                         + ONE, "link-local"),
    "private webhook": (HEAD + STEPS + "notify: {webhook: 'https://10.1.2.3/x'}\n" + ONE, "private"),
    "loopback webhook": (HEAD + STEPS + "notify: {webhook: 'https://127.0.0.1:8443/x'}\n" + ONE, "loopback"),
    "IPv6-mapped metadata webhook": (
        HEAD + STEPS + "notify: {webhook: 'https://[::ffff:169.254.169.254]/x'}\n" + ONE, "link-local"),
    "localhost webhook": (HEAD + STEPS + "notify: {webhook: 'https://localhost/x'}\n" + ONE, "local name"),
    "webhook with a password": (HEAD + STEPS + "notify: {webhook: 'https://u:p@hooks.example.com/x'}\n" + ONE,
                                "user name or password"),
    "menu_file /etc/passwd": (HEAD + STEPS + _restaurant("menu_file: /etc/passwd"), "outside"),
    "menu_file climbing out": (HEAD + STEPS + _restaurant("menu_file: ../../etc/passwd"), "outside"),
}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_a_bad_manifest_is_one_line_and_exit_2_with_nothing_written(probe: str, database_url: str,
                                                                    tmp_path: Path) -> None:
    text, says = PROBES[probe]
    run_refused(database_url, write(tmp_path, text), says=says)


def test_menu_file_must_be_a_bounded_regular_file(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "menus").mkdir()
    run_refused(database_url, write(tmp_path, HEAD + STEPS + _restaurant("menu_file: menus")), says="regular")
    zero = tmp_path / "zero.csv"
    os.symlink("/dev/zero", zero)
    run_refused(database_url, write(tmp_path, HEAD + STEPS + _restaurant("menu_file: zero.csv")),
                says="outside")  # the link leads out of the folder
    run_refused(database_url, write(tmp_path, HEAD + STEPS + _restaurant("menu_file: /dev/zero")),
                says="regular", extra=("--allow-path",))
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(16 * 1024 * 1024 + 1)
    run_refused(database_url, write(tmp_path, HEAD + STEPS + _restaurant("menu_file: big.csv")), says="MiB")
    run_refused(database_url, write(tmp_path, HEAD + STEPS + _restaurant("menu_file: missing.csv")),
                says="cannot be read")


def test_menu_file_outside_the_folder_with_allow_path_is_accepted(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "menu.csv").write_text("name,price\nBao,9\n")
    folder = tmp_path / "manifests"
    folder.mkdir()
    path = write(folder, HEAD + STEPS + _restaurant("menu_file: ../elsewhere/menu.csv"))
    assert_refused(regctl("validate", str(path)), says="--allow-path")
    assert regctl("validate", "--allow-path", str(path)).code == 0


def test_a_manifest_that_is_not_a_regular_file_or_too_big(tmp_path: Path) -> None:
    assert_refused(regctl("validate", "/dev/zero"), says="regular file")
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(16 * 1024 * 1024 + 1)
    assert_refused(regctl("validate", str(big)), says="larger than 16 MiB")


def test_integers_at_the_ends_of_their_ranges_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "pipeline:\n  steps:\n"
                 "    - {key: a, uses: builtin.noop, retries: 100, timeout: 168h}\n"
                 "execution: {max_parallel_restaurants: 1000, limits: {browser: 1000}, "
                 "rate_limits: {x: {capacity: 100000, window: 1h}}}\n" + ONE)
    result = regctl("validate", str(path))
    assert result.code == 0, result.output


def test_a_long_name_and_address_are_stored(database_url: str, tmp_path: Path) -> None:
    """Both within their own bounds; together longer than the old 300-character identity column."""
    path = write(tmp_path, HEAD + STEPS + f"restaurants:\n  - {{name: {'N' * 290}, address: {'A' * 1500}}}\n")
    result = regctl("run", "--no-progress", str(path), db=database_url)
    assert result.code == 0, result.output
