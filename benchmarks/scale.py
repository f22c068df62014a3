"""Storyline at scale: ingesting 20 articles and reading pages in stores of 1k to 100k articles.

Stores are built from realistic synthetic articles: sentences of ECB+ train recombined within
a topic, outlets and publication dates spread over thirteen years. A pool of them is read by
the real pipeline once (NLP, entities, events); each store is the pool cloned with new ids
and shifted years until it holds N articles, loaded through the store's bulk method. For each
store the script measures, in fresh processes, the wall time and peak RSS of
`storyline ingest` of the same 20 new articles, then the p50/p95 latency of every page and
API listing over a bounded loop against `storyline serve` on 127.0.0.1.

    python benchmarks/scale.py                                 # SQLite 1k, 10k, 100k; PG 1k, 100k
    python benchmarks/scale.py --sizes 1000,10000 --pg-sizes ""   # a quick run while developing
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ECB_TRAIN = REPO.parent / "shared" / "data" / "ecbplus" / "train.jsonl"
STORYLINE = str(Path(sys.executable).with_name("storyline"))
PAGES = [
    "/",
    "/events/{event}",
    "/articles/{article}",
    "/entities/{entity}",
    "/search?q={word}",
    "/api/articles",
    "/api/events",
    "/api/storylines",
    "/api/entities",
    "/api/quotes",
    "/api/search?q={word}",
    "/api/events?entity={entity}",
    "/api/articles?outlet=Outlet%203",
]
# Runs a command and prints the peak RSS (KiB) of its process tree: one child, one figure.
_RSS = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


# -- synthetic articles -------------------------------------------------------------------------
def _sentences() -> dict[int, list[str]]:
    """ECB+ train lines by topic, headlines and date lines left out."""
    by_topic: dict[int, list[str]] = collections.defaultdict(list)
    with ECB_TRAIN.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            lines = [x.strip() for x in doc["text"].split("\n")[1:]]
            by_topic[int(doc["topic"])] += [x for x in lines if len(x.split()) >= 6]
    return by_topic


def synthetic(count: int, seed: int) -> list[dict[str, Any]]:
    """Feed records recombining sentences of one topic, with an outlet and a date."""
    rng = random.Random(seed)
    by_topic = _sentences()
    topics = sorted(by_topic)
    out = []
    for i in range(count):
        pool = by_topic[rng.choice(topics)]
        body = rng.sample(pool, min(len(pool), rng.randint(6, 12)))
        day = rng.randint(0, 13 * 365 - 1)
        published = time.strftime("%Y-%m-%d", time.gmtime(1325376000 + day * 86400))
        outlet = rng.randint(1, 12)
        out.append(
            {
                "title": " ".join(body[0].split()[:10]).rstrip(",.;:"),
                "text": "\n\n".join(body),
                "outlet": f"Outlet {outlet}",
                "published": published,
                "url": f"https://outlet{outlet}.example/{seed}/{i}",
            }
        )
    return out


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- stores -----------------------------------------------------------------------------------
def _shift(value: str | None, years: int) -> str | None:
    """A date value with its year moved, kept within the thirteen years the pool spans."""
    if not value or not re.match(r"\d{4}", value):
        return value
    year = 2012 + (int(value[:4]) - 2012 + years) % 13
    shifted = f"{year}{value[4:]}"
    return shifted if not shifted.endswith("-02-29") else shifted[:-2] + "28"


def _rename(data: Any, ids: dict[str, str]) -> Any:
    """Article ids inside an event's details, replaced by the clone's."""
    text = json.dumps(data)
    for old, new in ids.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


def clones(pool: Any, size: int) -> Iterator[dict[str, Any]]:
    """The pool again and again with new ids and shifted years, until `size` articles."""
    from storyline.read.duplicates import band_keys

    articles = pool.articles()
    enrichments = {e.article_id: e for e in pool.enrichments()}
    links = pool.entity_links()
    events = pool.events()
    storylines = pool.storylines()
    bands = {a.id: band_keys(a.text) for a in articles}
    made = 0
    copy = 0
    while made < size:
        wanted = articles[: size - made]
        kept = {a.id for a in wanted}
        ids = {a.id: f"{a.id[:10]}-{copy:05d}" for a in wanted}
        years = copy % 13
        batch = {
            "articles": [
                (
                    replace(
                        a,
                        id=ids[a.id],
                        url=f"{a.url}/{copy}",
                        duplicate_of=None,
                        published=replace(a.published, date=_shift(a.published.date, years)),
                    ),
                    bands[a.id],
                )
                for a in wanted
            ],
            "enrichments": [replace(enrichments[a.id], article_id=ids[a.id]) for a in wanted],
            "links": [(ids[a], k, e, 1) for (a, k), e in links.items() if a in kept],
        }
        chosen = [e for e in events if set(e.articles) <= kept]
        story_ids = {e.storyline for e in chosen if e.storyline}
        batch["storylines"] = [
            replace(s, id=f"{s.id}-{copy}", events=[f"{x}-{copy}" for x in s.events])
            for s in storylines
            if s.id in story_ids
        ]
        batch["events"] = [
            replace(
                e,
                id=f"{e.id}-{copy}",
                articles=[ids[a] for a in e.articles],
                storyline=f"{e.storyline}-{copy}" if e.storyline else None,
                date=replace(e.date, value=_shift(e.date.value, years) or e.date.value)
                if e.date
                else None,
                details=_rename(e.details, {a: ids[a] for a in e.articles}),
            )
            for e in chosen
        ]
        yield batch
        made += len(wanted)
        copy += 1


def build(pool: Any, target: str, size: int) -> float:
    """A store of `size` articles at `target`, loaded in batches; returns the seconds taken."""
    import storyline
    from storyline.enrich.entity_keys import entity_keys
    from storyline.enrich.names import fold
    from storyline.link.cluster import Linker
    from storyline.link.incremental import filing

    start = time.perf_counter()
    entities = [replace(e, articles=0, mentions=0) for e in pool.entities()]
    keys = sorted(
        (k, e.id)
        for e in entities
        for k in entity_keys(
            {fold(n) for n in [e.name, *e.aliases]},
            person=e.type == "PERSON",
            place=e.type in ("GPE", "LOC", "FAC"),
        )
    )
    df = Linker().df
    with storyline.open_store(target) as store:
        store.replace_entities(entities, [], keys=keys)
        for batch in clones(pool, size):
            placed = {a for e in batch["events"] for a in e.articles}
            entity_ids: dict[str, dict[str, str]] = collections.defaultdict(dict)
            for aid, key, eid, _ in batch["links"]:
                entity_ids[aid][key] = eid
            pairs = zip(batch["articles"], batch["enrichments"], strict=True)
            store.bulk_load(
                batch["articles"],
                enrichments=batch["enrichments"],
                links=batch["links"],
                events=batch["events"],
                storylines=batch["storylines"],
                # Filed for the linker as the articles would have been, so the ingest
                # measured links against this store's state rather than all of it anew.
                link=filing(
                    ((a, e, entity_ids[a.id]) for (a, _), e in pairs if a.id in placed), df
                ),
            )
    return time.perf_counter() - start


def _pg_target(name: str) -> str:
    """A fresh schema on the project's PostgreSQL server, as the store tests make them."""
    import psycopg

    url = subprocess.run(
        ["bash", str(REPO / "scripts" / "postgres.sh"), "url"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'.encode())
        conn.execute(f'CREATE SCHEMA "{name}"'.encode())
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"


# -- measurements ---------------------------------------------------------------------------------
def ingest(target: str, feed: Path) -> tuple[float, float]:
    """Seconds and peak MiB of `storyline ingest` of the new articles, in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RSS, STORYLINE, "--db", target, "ingest", str(feed)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed: {done.stderr[-2000:]}")
    return seconds, int(done.stdout.strip().splitlines()[-1]) / 1024


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _samples(target: str) -> dict[str, list[str]]:
    """Ids to ask pages for, and a word the articles use, read once before timing."""
    import storyline
    from storyline.store.base import Scope

    with storyline.open_store(target) as store:
        events = store.events_page(Scope(), limit=20, offset=store.count_events(Scope()) // 2)
        articles = store.articles_page(Scope(), limit=20, offset=store.count_articles() // 2)
        entities = store.entities(limit=20)
        words = collections.Counter(
            w.lower() for a in articles for w in re.findall(r"[A-Za-z]{6,}", a.title or "")
        )
    return {
        "event": [e.id for e in events],
        "article": [a.id for a in articles],
        "entity": [e.id for e in entities],
        "word": [w for w, _ in words.most_common(5)] or ["police"],
    }


def pages(target: str, requests: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 milliseconds of each page over `requests` requests against a live server."""
    port = _port()
    server = subprocess.Popen(
        [STORYLINE, "--db", target, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/events?limit=1", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        samples = _samples(target)
        out = {}
        for template in PAGES:
            times = []
            for i in range(requests):
                values = {k: urllib.parse.quote(v[i % len(v)]) for k, v in samples.items() if v}
                path = template.format(**values)
                start = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            out[template] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the run ------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="SQLite store sizes.")
    parser.add_argument("--pg-sizes", default="1000,100000", help="PostgreSQL store sizes.")
    parser.add_argument("--pool", type=int, default=300, help="Articles read by the pipeline.")
    parser.add_argument("--requests", type=int, default=40, help="Requests per page.")
    parser.add_argument("--work", type=Path, default=Path("/tmp/storyline-scale"))
    parser.add_argument(
        "--no-ingest", action="store_true", help="Pages only (while developing the read side)."
    )
    args = parser.parse_args()
    import storyline

    args.work.mkdir(parents=True, exist_ok=True)
    new = write_jsonl(synthetic(20, seed=2), args.work / "new.jsonl")
    pool_db = args.work / f"pool-{args.pool}.db"
    if not pool_db.exists():
        feed = write_jsonl(synthetic(args.pool, seed=1), args.work / "pool.jsonl")
        start = time.perf_counter()
        with storyline.open_store(pool_db) as pool:
            storyline.ingest([str(feed)], store=pool)
        print(f"pool of {args.pool} read in {time.perf_counter() - start:.0f} s", flush=True)
    runs = [("sqlite", int(n)) for n in args.sizes.split(",") if n]
    runs += [("postgres", int(n)) for n in args.pg_sizes.split(",") if n]
    results = []
    with storyline.open_store(pool_db) as pool:
        for backend, size in runs:
            if backend == "sqlite":
                target = str(args.work / f"store-{size}.db")
                for suffix in ("", "-wal", "-shm"):
                    Path(target + suffix).unlink(missing_ok=True)
            else:
                target = _pg_target(f"scale_{size}")
            built = build(pool, target, size)
            seconds, peak = ingest(target, new) if not args.no_ingest else (0.0, 0.0)
            latency = pages(target, args.requests)
            results.append((backend, size, built, seconds, peak, latency))
            print(f"{backend} {size}: built {built:.0f} s, ingest {seconds:.1f} s", flush=True)
    print("\n| backend | articles | build s | ingest 20 s | peak MiB | worst page p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend, size, built, seconds, peak, latency in results:
        worst = max(p95 for _, p95 in latency.values())
        print(f"| {backend} | {size:,} | {built:.0f} | {seconds:.1f} | {peak:.0f} | {worst:.0f} |")
    header = " | ".join(f"{b} {s:,}" for b, s, *_ in results)
    print(f"\np50 / p95 ms per page\n\n| page | {header} |")
    print("|---|" + "---:|" * len(results))
    for template in PAGES:
        cells = " | ".join(f"{r[5][template][0]:.0f} / {r[5][template][1]:.0f}" for r in results)
        print(f"| `{template}` | {cells} |")


if __name__ == "__main__":
    main()
