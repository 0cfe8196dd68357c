"""Benchmark: how fast the sandbox starts and how many requests per second it serves on loopback.

    .venv/bin/python bench/sandbox.py [--seconds 3] [--threads 4]

Prints the start time (a fresh process, until /_sandbox/health answers) of `python -m regctl.sandbox`
and of `regctl sandbox serve` (which also imports the whole CLI), of the in-process
`running_sandbox()`, and requests/s served by the separate server process for a mix of API calls
(register search, Firecrawl json scrape, website page, CDN status, health) with one and with several
client threads. Targets (issue 3): start < 3 s, >= 200 requests/s. The machine is shared, so it
also prints load-independent figures read from /proc: the CPU seconds the server process used to
start, and its CPU time per request (hence the requests/s one core sustains).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from regctl.sandbox import credentials
from regctl.sandbox.server import running_sandbox

ROOT = Path(__file__).resolve().parent.parent
STORE = "https://www.ubereats.com/nz/store/kai-pai-kitchen-ponsonby/x"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(command: list[str]) -> tuple[subprocess.Popen[bytes], str, float]:
    """Spawn a sandbox server; return it, its URL and the seconds until its first healthy answer."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 60:
        try:
            if httpx.get(f"{url}/_sandbox/health", timeout=0.5).status_code == 200:
                return proc, url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.02)
    stop(proc)
    raise RuntimeError(f"{command} did not start within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(10)


def request_mix(base: str) -> list[Callable[[httpx.Client], httpx.Response]]:
    nzbn = {"Ocp-Apim-Subscription-Key": credentials.NZBN_SUBSCRIPTION_KEY}
    fc = {"Authorization": f"Bearer {credentials.FIRECRAWL_API_KEY}"}
    return [
        lambda c: c.get(f"{base}/nzbn/v5/entities", params={"search-term": "Spice Route"}, headers=nzbn),
        lambda c: c.post(f"{base}/firecrawl/v2/scrape", headers=fc,
                         json={"url": STORE, "formats": [{"type": "json", "prompt": "menu"}]}),
        lambda c: c.get(f"{base}/sites/kai-pai-kitchen-ponsonby/"),
        lambda c: c.get(f"{base}/cdn/from_url/status/", params={"token": "none"}),
        lambda c: c.get(f"{base}/_sandbox/health"),
    ]


def requests_per_second(base: str, seconds: float, threads: int) -> float:
    """Requests/s answered with a 2xx by ``threads`` keep-alive clients cycling through the mix."""
    mix = request_mix(base)
    counts = [0] * threads
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def worker(n: int) -> None:
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < deadline:
                try:
                    mix[counts[n] % len(mix)](client).raise_for_status()
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                counts[n] += 1

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[0]}")
    return (sum(counts) - len(failures)) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    proc, _, cli_start = start_server([str(Path(sys.executable).with_name("regctl")), "sandbox", "serve"])
    cli_cpu = cpu_seconds(proc.pid)
    stop(proc)
    print(f"regctl sandbox serve start:       {cli_start:.2f} s wall, {cli_cpu:.2f} s CPU"
          "   (includes importing the whole CLI)")
    began = time.perf_counter()
    with running_sandbox():
        print(f"running_sandbox() start:          {time.perf_counter() - began:.2f} s")
    proc, url, module_start = start_server([sys.executable, "-m", "regctl.sandbox"])
    print(f"python -m regctl.sandbox start:   {module_start:.2f} s wall, {cpu_seconds(proc.pid):.2f} s CPU"
          "   (target < 3 s)")
    try:
        requests_per_second(url, 0.5, 1)  # warm-up (lazy images, first imports)
        before = cpu_seconds(proc.pid)
        one = requests_per_second(url, args.seconds, 1)
        many = requests_per_second(url, args.seconds, args.threads)
        served = (one + many) * args.seconds
        per_request = (cpu_seconds(proc.pid) - before) / served
    finally:
        stop(proc)
    print(f"requests/s, 1 client thread:      {one:.0f}   (target >= 200)")
    print(f"requests/s, {args.threads} client threads:     {many:.0f}")
    print(f"server CPU per request:           {per_request * 1000:.2f} ms"
          f"  -> {1 / per_request:.0f} requests/s on one free core")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f} (the machine is shared)")


if __name__ == "__main__":
    main()
