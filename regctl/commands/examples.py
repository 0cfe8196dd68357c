"""``--help`` examples for the commands whose modules do not write their own (``epilog``).

Kept in one table so every command's help ends with examples without each command module carrying
them; a command that sets its own ``epilog`` keeps it. :func:`regctl.cli.LazyGroup` attaches these
when it loads a command.
"""

from __future__ import annotations

__all__ = ["EXAMPLES", "epilog"]

EXAMPLES: dict[str, str] = {
    "run": """regctl run manifests/demo.yaml                  create or resume the batch; live view
  regctl run batch.yaml --detach                  hand it to a background supervisor
  regctl run batch.yaml --accept-changes          apply edited execution/policies to its batch
  regctl run batch.yaml --no-progress | tee run.log""",
    "plan": """regctl plan batch.yaml               what running it would change, writing nothing
  regctl plan batch.yaml --db postgresql://regctl@db/regctl""",
    "resume": """regctl resume demo                   run what is left of one batch
  regctl resume --all                  the nightly job: every batch with work left""",
    "retry": """regctl retry 12                      a failed job's failed and blocked steps
  regctl retry job:12 --from import_menu
  regctl retry demo --failed           every failed job of the batch""",
    "cancel": """regctl cancel demo                   the whole batch (asks first on a terminal)
  regctl cancel job:12 --yes           one job, without asking""",
    "review": """regctl review demo                   answer every decision the batch waits on
  regctl review --list                 what waits, without asking
  regctl review demo --job 12 --step select_company""",
    "decide": """regctl decide 12 approve --json answer.json
  echo '{"ok": true}' | regctl decide job:12 approve --json -""",
    "supervise": """regctl supervise -c 8                a long-running worker for every batch
  regctl supervise --until-idle --batch demo""",
    "doctor": """regctl doctor                        database, browser, secret key, credentials
  regctl doctor --target prod-nz --json""",
    "complete": """regctl complete 12 configure_payment --note "set up by phone with the owner" """,
    "skip": """regctl skip 12 add_item_tags --note "the restaurant has no tags" """,
    "db": """regctl db upgrade
  regctl --db postgresql://regctl@127.0.0.1/regctl db upgrade""",
    "sandbox": """regctl sandbox serve --port 8700
  regctl sandbox manifest > sandbox.yaml""",
}


def epilog(name: str) -> str | None:
    """The ``Examples:`` block of command ``name`` (click keeps ``\\b`` paragraphs unwrapped)."""
    text = EXAMPLES.get(name)
    return f"\b\nExamples:\n  {text}" if text else None
