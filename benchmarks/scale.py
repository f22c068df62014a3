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
    python benchmarks/scale.py --sizes 0,1000,100000 --batch 1000 # and peak RSS of 1,000 more

Built stores are kept in --work (SQLite files, PostgreSQL databases `storyline_scale_base_*`),
named by pipeline version, and copied for each run, so a second run measures without building.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import shutil
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
    from storyline.records import details_data, details_from

    articles = pool.articles()
    enrichments = {e.article_id: e for e in pool.enrichments()}
    links = pool.entity_links()
    events = pool.events()
    subjects = pool.event_subjects(e.id for e in events)
    storylines = pool.storylines()
    bands = {a.id: band_keys(a.text) for a in articles}
    made = 0
    copy = 0
    while made < size:
        wanted = articles[: size - made]
        kept = {a.id for a in wanted}
        ids = {a.id: f"{a.id[:10]}-{copy:05d}" for a in wanted}
        years = copy % 13
        batch: dict[str, Any] = {
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
                details=details_from(
                    _rename(details_data(e.details), {a: ids[a] for a in e.articles})
                ),
            )
            for e in chosen
        ]
        batch["subjects"] = {f"{e.id}-{copy}": subjects[e.id] for e in chosen if e.id in subjects}
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
            # Filed for the linker as the articles would have been (blocking keys, document
            # frequencies, each event's subject and core participants), so the ingest measured
            # links and rebuilds storylines against this store's state.
            link = filing(((a, e, entity_ids[a.id]) for (a, _), e in pairs if a.id in placed), df)
            link.events, link.subjects = batch["events"], batch["subjects"]
            store.bulk_load(
                batch["articles"],
                enrichments=batch["enrichments"],
                links=batch["links"],
                storylines=batch["storylines"],
                link=link,
            )
    return time.perf_counter() - start


def _pg_url() -> str:
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "postgres.sh"), "url"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _pg(sql: str) -> None:
    """One statement on the server's maintenance connection (databases are made and dropped)."""
    import psycopg

    with psycopg.connect(_pg_url(), autocommit=True) as conn:
        conn.execute(sql.encode())


def _pg_database(name: str) -> str:
    return _pg_url().rsplit("/", 1)[0] + f"/{name}"


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(_pg_url(), autocommit=True) as conn:
        found = conn.execute(b"SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def base_store(pool: Any, backend: str, size: int, work: Path) -> tuple[str, float | None]:
    """The built store of `size` articles, kept between runs; the seconds its build took, or
    None when an earlier run built it. A store is kept only once its build finished; a kept
    one is opened once here, so a newer schema's migrations never run inside a measurement."""
    import storyline

    if backend == "sqlite":
        done = work / f"base-{size}.db"
        if done.exists():
            storyline.open_store(done).close()
            return str(done), None
        part = work / f"base-{size}.db.part"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        seconds = build(pool, str(part), size)
        part.rename(done)
        return str(done), seconds
    done_name = f"storyline_scale_base_{work.name}_{size}"
    if _pg_exists(done_name):
        storyline.open_store(_pg_database(done_name)).close()
        return _pg_database(done_name), None
    part_name = f"storyline_scale_part_{work.name}_{size}"
    _pg(f'DROP DATABASE IF EXISTS "{part_name}"')
    _pg(f'CREATE DATABASE "{part_name}"')
    seconds = build(pool, _pg_database(part_name), size)
    _pg(f'ALTER DATABASE "{part_name}" RENAME TO "{done_name}"')
    return _pg_database(done_name), seconds


def working_copy(backend: str, size: int, base: str, work: Path) -> str:
    """A copy of a built store to ingest into, so the built one stays as it was."""
    if backend == "sqlite":
        target = work / f"store-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(base, target)
        return str(target)
    name = f"storyline_scale_run_{size}"
    base = f"storyline_scale_base_{work.name}_{size}"
    _pg(f'DROP DATABASE IF EXISTS "{name}"')
    _pg(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    return _pg_database(name)


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


Snapshot = tuple[str, dict[str, Any], dict[str, Any]]


def snapshot(target: str) -> Snapshot:
    """The time before an ingest, and the storyline and entity rows as they stood."""
    import storyline
    from storyline.store.rows import now

    with storyline.open_store(target) as store:
        lines = {s.id: s for s in store.storylines()}
        entities = {e.id: e for e in store.entities()}
    return now(), lines, entities


def _events_written(target: str, stamp: str) -> tuple[int, int]:
    """Event rows an ingest wrote (their update time is after `stamp`), and all event rows."""
    sql = "SELECT COUNT(*), SUM(CASE WHEN updated >= ? THEN 1 ELSE 0 END) FROM events"
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            row = conn.execute(sql.replace("?", "%s").encode(), (stamp,)).fetchone()
        total, written = row if row else (0, 0)
    else:
        import sqlite3

        with sqlite3.connect(target) as db:
            total, written = db.execute(sql, (stamp,)).fetchone()
        db.close()
    return int(written or 0), int(total)


def touched(target: str, before: Snapshot) -> str:
    """Rows an ingest wrote, out of the rows the store holds: events, storylines, entities."""
    import storyline

    stamp, lines, entities = before
    with storyline.open_store(target) as store:
        lines_after = {s.id: s for s in store.storylines()}
        entities_after = {e.id: e for e in store.entities()}
    events, total = _events_written(target, stamp)
    changed_lines = set(lines) ^ set(lines_after)
    changed_lines |= {k for k, v in lines_after.items() if k in lines and lines[k] != v}
    changed = {k for k, v in entities_after.items() if entities.get(k) != v}
    return (
        f"{events}/{total} events, {len(changed_lines)}/{len(lines_after)} storylines,"
        f" {len(changed)}/{len(entities_after)} entities"
    )


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
def _store(pool: Any, backend: str, size: int, work: Path) -> tuple[str, float | None]:
    """A fresh copy of the built store of `size` articles (0: an empty one) and its build time."""
    if size == 0:
        if backend == "sqlite":
            target = work / "store-0.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            return str(target), 0.0
        _pg('DROP DATABASE IF EXISTS "storyline_scale_run_0"')
        _pg('CREATE DATABASE "storyline_scale_run_0"')
        return _pg_database("storyline_scale_run_0"), 0.0
    base, built = base_store(pool, backend, size, work)
    return working_copy(backend, size, base, work), built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="SQLite store sizes.")
    parser.add_argument("--pg-sizes", default="1000,100000", help="PostgreSQL store sizes.")
    parser.add_argument("--pool", type=int, default=300, help="Articles read by the pipeline.")
    parser.add_argument("--requests", type=int, default=40, help="Requests per page.")
    parser.add_argument(
        "--batch", type=int, default=0, help="Also ingest this many more articles (peak RSS)."
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/storyline-scale"))
    parser.add_argument("--no-ingest", action="store_true", help="Pages only.")
    parser.add_argument("--no-pages", action="store_true", help="Ingest only.")
    args = parser.parse_args()
    import storyline

    new = write_jsonl(synthetic(20, seed=2), args.work / "new.jsonl")
    more = write_jsonl(synthetic(args.batch, seed=3), args.work / "batch.jsonl")
    from storyline.enrich.pipeline import PIPELINE_VERSION

    # Kept stores are named by the pipeline that read them: after a version change an ingest
    # would read every stored article again, so they are built anew.
    tag = f"v{PIPELINE_VERSION}"
    (args.work / tag).mkdir(parents=True, exist_ok=True)
    pool_db = args.work / f"pool-{args.pool}-{tag}.db"
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
            target, built = _store(pool, backend, size, args.work / tag)
            load = Path("/proc/loadavg").read_text().split()[0]
            rows = ""
            seconds, peak = 0.0, 0.0
            if not args.no_ingest:
                before = snapshot(target)
                seconds, peak = ingest(target, new)
                rows = touched(target, before)
            skip = args.no_pages or size == 0
            latency = {} if skip else pages(target, args.requests)
            batch, batch_rows = (0.0, 0.0), ""
            if args.batch:
                before = snapshot(target)
                batch = ingest(target, more)
                batch_rows = touched(target, before)
            results.append((backend, size, built, load, seconds, peak, *batch, latency))
            print(
                f"{backend} {size}: built {built or 0:.0f} s, load {load}, ingest {seconds:.1f} s"
                f" {peak:.0f} MiB ({rows}); batch {batch[0]:.1f} s {batch[1]:.0f} MiB"
                f" ({batch_rows})",
                flush=True,
            )
    print(
        f"\n| backend | articles | build s | load | ingest 20 s | peak MiB "
        f"| ingest {args.batch} s | peak MiB | worst page p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, size, built, load, seconds, peak, b_s, b_peak, latency in results:
        worst = max((p95 for _, p95 in latency.values()), default=0.0)
        print(
            f"| {backend} | {size:,} | {'kept' if built is None else f'{built:.0f}'} | {load} "
            f"| {seconds:.1f} | {peak:.0f} | {b_s:.1f} | {b_peak:.0f} | {worst:.0f} |"
        )
    paged = [r for r in results if r[-1]]
    header = " | ".join(f"{r[0]} {r[1]:,}" for r in paged)
    print(f"\np50 / p95 ms per page\n\n| page | {header} |")
    print("|---|" + "---:|" * len(paged))
    for template in PAGES:
        cells = " | ".join(f"{r[-1][template][0]:.0f} / {r[-1][template][1]:.0f}" for r in paged)
        print(f"| `{template}` | {cells} |")


if __name__ == "__main__":
    main()
