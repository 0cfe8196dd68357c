"""Shared fixtures, one plugin module per area (each owned by that area's work).

Test files are named ``test_<area>_*.py`` and must have unique basenames across tests/.
"""

pytest_plugins = [
    "fixtures_db",  # database_url / store: every test runs on SQLite and PostgreSQL
    "fixtures_sandbox",  # sandbox: an in-process sandbox server and its URLs
    "fixtures_browser",  # browser: a headless Chromium through Playwright
    "fixtures_procs",  # procs: processes a test starts, killed and reaped afterwards
]
