"""Ingestion throughput (articles/s) and peak memory, on examples/ and on ECB+ train.

Each measurement runs in a fresh process so peak RSS belongs to that run alone:

    python benchmarks/ingest.py                 # both corpora, reading+storing and the full job
    python benchmarks/ingest.py --corpus examples --stage read
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = {
    "examples": REPO / "examples" / "corpus",
    "ecb-train": REPO.parent / "shared" / "data" / "ecbplus" / "train.jsonl",
}


def measure(corpus: str, stage: str) -> dict[str, object]:
    """Ingest one corpus into a new store in this process; report rate and peak memory."""
    import storyline
    from storyline.read.reader import read_paths

    path = CORPORA[corpus]
    with tempfile.TemporaryDirectory() as tmp, storyline.open_store(Path(tmp) / "b.db") as store:
        start = time.perf_counter()
        if stage == "read":
            report = storyline.add_articles(store, read_paths([str(path)]))
        else:
            report = storyline.ingest([str(path)], store=store)
        seconds = time.perf_counter() - start
        count = store.count_articles()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "corpus": corpus,
        "stage": stage,
        "articles": count,
        "failed": len(report.problems),
        "seconds": round(seconds, 2),
        "articles_per_s": round(count / seconds, 1) if seconds else None,
        "peak_rss_mib": round(peak_mib, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA))
    parser.add_argument("--stage", choices=["read", "full"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.corpus, args.stage)))
        return
    rows = []
    for corpus in [args.corpus] if args.corpus else sorted(CORPORA):
        if not CORPORA[corpus].exists():
            print(f"skipping {corpus}: {CORPORA[corpus]} not found", file=sys.stderr)
            continue
        for stage in [args.stage] if args.stage else ["read", "full"]:
            cmd = [sys.executable, __file__, "--child", "--corpus", corpus, "--stage", stage]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(
        f"{'corpus':<10} {'stage':<5} {'articles':>8} {'seconds':>8} {'art/s':>8} {'peak MiB':>9}"
    )
    for r in rows:
        print(
            f"{r['corpus']:<10} {r['stage']:<5} {r['articles']:>8} {r['seconds']:>8} "
            f"{r['articles_per_s']:>8} {r['peak_rss_mib']:>9}"
        )


if __name__ == "__main__":
    main()
