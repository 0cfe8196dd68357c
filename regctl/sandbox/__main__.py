"""``python -m regctl.sandbox [--host H] [--port N] [--faults FILE] [--seed N] [--fixtures DIR]``: serve
the sandbox.

The same as ``regctl sandbox serve`` without loading the rest of the CLI (database, engine), so it
starts in a fraction of the time — what CI jobs and benchmarks that only need the sandbox use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regctl.errors import RegctlError
from regctl.sandbox.server import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regctl.sandbox", description="Serve the regctl sandbox.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--faults", default=None, help="YAML/JSON fault file")
    parser.add_argument("--seed", type=int, default=None, help="seed for the faults' random choices")
    parser.add_argument("--fixtures", type=Path, default=None, help="a fixture directory (docs/sandbox.md)")
    args = parser.parse_args(argv)
    try:
        serve(host=args.host, port=args.port, faults=args.faults, seed=args.seed, fixtures=args.fixtures,
              on_ready=lambda url: print(f"regctl sandbox on {url}", flush=True))
    except RegctlError as exc:
        print(f"regctl sandbox: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
