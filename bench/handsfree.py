"""Benchmark: how hands-free is the company lookup, and is it ever wrong?

    .venv/bin/python bench/handsfree.py [--fixtures DIR] [--threshold T] [--margin M] [--markdown]

Runs search_companies and the ``auto_evidence`` policy (``on_no_match: none``) for every restaurant of
a fixture set (default: the built-in one) against an in-process sandbox serving that set, and judges
each answer against the set's own truth (the register entry marked ``right: true`` for the
restaurant, or none). Prints one row per restaurant — the answer, the company, right or wrong, and the
evidence that decided it — then: decisions left to a person per restaurant, auto-picks, wrong
auto-picks, automatic "none of these". Target on the built-in fixtures: ≤ 0.1 decisions per
restaurant and 0 wrong auto-picks (docs/review.md shows the table).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from handsfree_support import POLICY, Outcome, run

from regctl.sandbox.fixtures import FIXTURE_DIR


def _verdict(o: Outcome) -> str:
    if o.asked:
        return "asks"
    return "WRONG" if o.wrong else "right"


def _row(o: Outcome) -> list[str]:
    answer = {"company": f"company {o.chosen}", "none": "none of these", "ask": "ask a person"}[o.choice]
    why = ", ".join(o.decided_by) if o.choice == "company" else o.reason
    return [o.restaurant, answer, o.right or "—", _verdict(o), why]


def _print(rows: list[list[str]], markdown: bool) -> None:
    head = ["restaurant", "answer", "right company", "verdict", "decided by / why asked"]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
        return
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes)
    return {"restaurants": n, "decisions_per_restaurant": round(sum(o.asked for o in outcomes) / n, 3),
            "auto_picks": sum(o.choice == "company" for o in outcomes),
            "wrong_auto_picks": sum(o.wrong and o.choice == "company" for o in outcomes),
            "auto_none": sum(o.choice == "none" for o in outcomes),
            "wrong_none": sum(o.wrong and o.choice == "none" for o in outcomes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURE_DIR, help="a fixture directory")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--margin", type=float, default=None)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    policy = dict(POLICY)
    for key, value in (("threshold", args.threshold), ("margin", args.margin)):
        if value is not None:
            policy[key] = value
    outcomes = run(args.fixtures, policy)
    _print([_row(o) for o in outcomes], args.markdown)
    print()
    for key, value in summary(outcomes).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
