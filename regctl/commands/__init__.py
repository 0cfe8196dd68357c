"""One module per command family. Each exposes ``COMMANDS``; regctl.cli loads them lazily.

:data:`COMMAND_MODULES` maps each command name to its module so that ``regctl status`` imports only
what ``status`` needs (alembic, questionary, Playwright and the sandbox stay unloaded). A test checks
that the map and the modules' ``COMMANDS`` agree, so a new command is one module plus one line here.
"""

COMMAND_MODULES: dict[str, str] = {
    "cancel": "cancel",
    "completion": "completion",
    "complete": "manual",
    "db": "db",
    "decide": "decide",
    "doctor": "doctor",
    "export": "export",
    "plan": "plan",
    "resume": "resume",
    "retry": "retry",
    "review": "review",
    "run": "run",
    "sandbox": "sandbox",
    "show": "show",
    "skip": "manual",
    "status": "status",
    "steps": "steps",
    "supervise": "supervise",
    "validate": "validate",
}
