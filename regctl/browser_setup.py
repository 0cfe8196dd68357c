"""Make sure a Chromium exists for Playwright: its own download, else Debian's ``chromium``.

Run by ``make install``. Prints what it found; exits non-zero only when no browser can be had.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

__all__ = ["find_chromium", "main"]

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """Path of a usable Chromium: ``REGCTL_CHROMIUM``, Playwright's own, else the system's."""
    explicit = os.environ.get("REGCTL_CHROMIUM")
    if explicit:
        return explicit
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
            if path and os.path.exists(path):
                return path
    except Exception:
        pass
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _try(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, check=False, timeout=300).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def main() -> int:
    path = find_chromium()
    if path:
        print(f"browser: {path}")
        return 0
    # Debian's package first: Playwright's own download needs a CDN this kind of machine cannot reach.
    if shutil.which("apt-get"):
        prefix = [] if os.geteuid() == 0 else ["sudo"]
        _try([*prefix, "apt-get", "update", "-qq"])
        _try([*prefix, "apt-get", "install", "-y", "-qq", "chromium"])
        if find_chromium():
            print(f"browser: {find_chromium()} (Debian's chromium)")
            return 0
    if _try([sys.executable, "-m", "playwright", "install", "chromium"]) and find_chromium():
        print(f"browser: {find_chromium()} (Playwright's download)")
        return 0
    print("browser: no Chromium found; install Debian's 'chromium' package or set REGCTL_CHROMIUM",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
