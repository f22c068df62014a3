"""API read latency on the example corpus store, idle and while an ingest writes to it.

The example corpus is ingested into a fresh SQLite store, `storyline serve` answers on
127.0.0.1, and a bounded loop of API reads (listings, one event, one article, search) is
timed twice: with the store idle, then while a second `storyline ingest` process adds a
batch of other articles (ECB+ dev when the shared data is there) to the same store. The
writer's transactions are short (one per article, one per enrichment, one per linking
step) and readers use WAL snapshots, so reads should not wait on it.

    python benchmarks/reads_under_load.py [--requests 400] [--most 20000] [--load FILE]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STORYLINE = str(Path(sys.executable).with_name("storyline"))
DEFAULT_LOAD = REPO.parent / "shared" / "data" / "ecbplus" / "dev.jsonl"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> float:
    """Seconds to fetch one URL (the body read whole); raises on an error status."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return time.perf_counter() - start


def _paths(base: str) -> list[str]:
    """The reads to cycle through, with ids taken from the store's own listings."""
    with urllib.request.urlopen(f"{base}/api/events?limit=5", timeout=30) as r:
        events = json.loads(r.read())["items"]
    with urllib.request.urlopen(f"{base}/api/articles?limit=5", timeout=30) as r:
        articles = json.loads(r.read())["items"]
    return [
        "/api/events?limit=20",
        "/api/articles?limit=20",
        "/api/storylines",
        "/api/entities?limit=20",
        "/api/quotes?limit=20",
        "/api/search?q=bank",
        f"/api/events/{events[0]['id']}",
        f"/api/articles/{articles[0]['id']}",
    ]


def _loop(
    base: str, paths: list[str], requests: int, until: subprocess.Popen[str] | None
) -> list[float]:
    """Up to `requests` reads, round robin; with `until`, only while that process runs."""
    times = []
    for i in range(requests):
        if until is not None and until.poll() is not None:
            break
        times.append(_get(base + paths[i % len(paths)]))
    return times


def _row(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return f"| {name} | {len(ms)} | {q[49]:.0f} | {q[94]:.0f} | {q[98]:.0f} | {ms[-1]:.0f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="Reads while idle.")
    parser.add_argument(
        "--most", type=int, default=20_000, help="Most reads while the ingest runs."
    )
    parser.add_argument("--load", type=Path, default=DEFAULT_LOAD, help="What the writer ingests.")
    args = parser.parse_args()
    if not args.load.exists():
        print(f"no load corpus at {args.load}; give one with --load", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="storyline-reads-") as tmp:
        db = str(Path(tmp) / "s.db")
        subprocess.run(
            [STORYLINE, "--db", db, "ingest", str(REPO / "examples" / "corpus")],
            check=True,
            capture_output=True,
        )
        port = _port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [STORYLINE, "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(200):
                try:
                    _get(base + "/api/events?limit=1")
                    break
                except OSError:
                    time.sleep(0.1)
            paths = _paths(base)
            _loop(base, paths, len(paths), None)  # warm up
            idle = _loop(base, paths, args.requests, None)
            writer = subprocess.Popen(
                [STORYLINE, "--db", db, "ingest", str(args.load)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            start = time.perf_counter()
            loaded = _loop(base, paths, args.most, writer)
            _, err = writer.communicate()
            took = time.perf_counter() - start
            if writer.returncode not in (0, 1):
                print(f"the ingest failed: {err[-500:]}", file=sys.stderr)
                return 1
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"writer: `storyline ingest {args.load.name}` took {took:.0f} s")
    print("| phase | reads | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(_row("idle", idle))
    print(_row("during an ingest", loaded))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
