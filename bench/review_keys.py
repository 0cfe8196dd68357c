"""How many keys the demo's review takes: four company decisions, one Yolo mode edit applied to all.

The scenario (docs/review.md, "Keystrokes"): ``manifests/demo.yaml`` with
``configure_registration: review`` is run until it waits — twelve decisions: four company choices
(Spice Route, Te Whare Kai, Golden Dragon, Harbourside Eats) and eight Yolo mode settings. Then one
``regctl review demo`` on a 45-row pseudo-terminal: the first Yolo mode decision changes one field
(``website.item_layout`` → ``list``) and applies it to the seven others, each company decision gets
its right answer (the sandbox's ground truth), and the closing "continue now?" is declined.

Every key sent counts once (an arrow key is one key, a typed word one key per character). The
script checks the recorded answers, so a count is only printed for a review that did the job.

    .venv/bin/python bench/review_keys.py                  # prepares the batch (about a minute)
    .venv/bin/python bench/review_keys.py --state DB       # reuse a prepared SQLite file (copied)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
REGCTL = str(Path(sys.executable).with_name("regctl"))
DOWN, ENTER = "\x1b[B", "\r"
RIGHT_COMPANIES = {"Spice Route (Mount Eden)": "5103700", "Golden Dragon (Riccarton)": "5103848",
                   "Harbourside Eats (Nelson)": "5104033", "Te Whare Kai (Rotorua)": None}

# (what the screen shows before the keys, the keys). The review as it was asked before issue 15
# (commit 2e268f1): section by section, Enter through all fifteen website fields, a one-key
# apply-to-all, arrows to the right candidate (the cursor started on the first, a Removed company).
_WEBSITE_FIELDS = ("Theme", "Cuisines", "Primary Color", "Secondary Color", "Disable Gradients",
                   "Configure Header", "Header Image Source", "Header Logo Source", "Nav Logo Source",
                   "Header Logo Tint", "Nav Logo Tint", "Nav Text Color", "Card Text Color", "Favicon Source")
BEFORE_SCRIPT: list[tuple[str, list[str]]] = [
    ("Decision 1 of 12", []),
    ("How do you want", [DOWN, ENTER]),  # review section by section
    ("account:", [ENTER]), ("restaurant:", [ENTER]), ("menu:", [ENTER]),
    ("website:", [DOWN, ENTER]),  # edit this section
    *[(field, [ENTER]) for field in _WEBSITE_FIELDS],
    ("Item Layout", [DOWN, ENTER]),
    ("payment:", [DOWN, DOWN, ENTER]),  # keep this and every remaining section
    ("Apply these choices", ["y"]),
    ("Spice Route", []), ("Which", [DOWN, DOWN, ENTER]),
    ("Te Whare Kai", []), ("Which", [ENTER]),
    ("Golden Dragon", []), ("Which", [DOWN, ENTER]),
    ("Harbourside", []), ("Which", [ENTER]),
    ("Continue the batch", ["n", ENTER]),
]
# The review as the current code asks it: one field edited by (part of) its path, a diff before
# apply-to-all, the cursor already on the right company (the best registered candidate).
SCRIPT: list[tuple[str, list[str]]] = [
    ("Decision 1 of 12", []),
    ("Yolo mode settings: what now", ["e", ENTER]),  # edit one field
    ("Field path", [*"layout", ENTER]),  # website.item_layout, by a unique part of its path
    ("Item Layout", [DOWN, ENTER]),  # card → list
    ("Changed by you", []),
    ("Yolo mode settings: what now", ["o", ENTER]),  # accept, and apply to the 7 others
    ("website.item_layout card → list", []),  # the diff of what is copied
    ("apply to the 7 other", ["y", ENTER]),
    ("Decision 3 of 12", []), ("Which", [ENTER]),  # Spice Route
    ("Decision 5 of 12", []), ("Which", [ENTER]),  # Te Whare Kai: no candidate, the cursor on "none"
    ("Decision 7 of 12", []), ("Which", [ENTER]),  # Golden Dragon
    ("Decision 10 of 12", []), ("Which", [ENTER]),  # Harbourside Eats
    ("Continue the batch", ["n", ENTER]),
]


def prepare(workdir: Path) -> Path:
    """Run the demo (Yolo mode decisions asked) until it waits; the SQLite file."""
    manifest = workdir / "demo-review.yaml"
    text = (ROOT / "manifests" / "demo.yaml").read_text()
    asked = text.replace("configure_registration: accept_defaults", "configure_registration: review")
    manifest.write_text(asked)
    db = workdir / "prepared.db"
    env = {**os.environ, "REGCTL_DATA_DIR": str(workdir)}
    code = subprocess.run([REGCTL, "--db", f"sqlite:///{db}", "run", "--no-progress", str(manifest)],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False).returncode
    if code != 3:
        raise SystemExit(f"preparing the demo batch ended with exit {code}, not 3 (waiting)")
    return db


def review(db: Path, workdir: Path, script: list[tuple[str, list[str]]]) -> int:
    """Drive ``regctl review demo`` with ``script``; the number of keys sent."""
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "REGCTL_DATA_DIR": str(workdir),
           "REGCTL_ACTOR": "bench"}
    child = pexpect.spawn(REGCTL, ["--db", f"sqlite:///{db}", "review", "demo"], env=env, encoding="utf-8",
                          timeout=60, dimensions=(45, 120))
    keys = 0
    try:
        for shown, send in script:
            child.expect(shown)
            for key in send:
                child.send(key)
                keys += 1
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return keys


def check(db: Path) -> None:
    """Every company decision answered rightly; every Yolo mode answer has item_layout list."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT r.name, s.key, s.status, s.result, j.config "
                            "FROM registration_job_steps s JOIN registration_jobs j ON j.id = s.job_id "
                            "JOIN restaurants r ON r.id = j.restaurant_id "
                            "WHERE s.key IN ('select_company', 'configure_registration')").fetchall()
    configured = 0
    for name, key, status, result, config in rows:
        if key == "select_company" and name in RIGHT_COMPANIES:
            assert status == "completed", (name, status)
            assert json.loads(result).get("company_number") == RIGHT_COMPANIES[name], (name, result)
        if key == "configure_registration" and status == "completed":
            assert json.loads(config)["website"]["item_layout"] == "list", name
            configured += 1
    assert configured == 8, f"{configured} Yolo mode decisions answered, not 8"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, help="a prepared SQLite file (copied, not changed)")
    parser.add_argument("--before", action="store_true", help="the script of the review before issue 15 "
                        "(runs only on that code, e.g. a checkout of 2e268f1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regctl-keys-") as tmp:
        workdir = Path(tmp)
        prepared = args.state or prepare(workdir)
        db = workdir / "review.db"
        shutil.copy(prepared, db)
        keys = review(db, workdir, BEFORE_SCRIPT if args.before else SCRIPT)
        check(db)
    print(f"demo review (4 company decisions, 1 Yolo mode edit applied to 7 others): {keys} keys")


if __name__ == "__main__":
    main()
