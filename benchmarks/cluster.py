"""Time to add one article to stores of 1k, 10k and 100k articles (synthetic records).

Synthetic articles draw words, people, places and dates from fixed vocabularies, many
"events" sharing a core of each. A store of N articles is restored the way `storyline
ingest` restores it between runs (profiles and indexes rebuilt, no decisions re-made);
the figure that matters is the mean time of the next adds: it should stay about flat.

    python benchmarks/cluster.py [--sizes 1000 10000 100000] [--probe 200]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from storyline.link.cluster import Linker
from storyline.records import Article, Enrichment, Event, EventTime, Mention

__all__ = ["main", "synthetic"]

WORDS = [f"w{i}" for i in range(20_000)]
PEOPLE = [f"Person{i} Surname{i}" for i in range(5_000)]
PLACES = [f"Place{i}" for i in range(2_000)]


def _event_of(i: int, rng: random.Random) -> int:
    return rng.randrange(max(1, i // 5 + 1))


def synthetic(i: int, rng: random.Random, event: int | None = None) -> tuple[Article, Enrichment]:
    """Article `i`, reporting one of many events (its core words, people, place and day)."""
    event = _event_of(i, rng) if event is None else event
    core = random.Random(event)
    words = core.sample(WORDS, 30) + rng.sample(WORDS, 120)
    people = core.sample(PEOPLE, 2) + rng.sample(PEOPLE, 1)
    place = core.choice(PLACES)
    day = f"20{core.randrange(10, 24)}-{core.randrange(1, 13):02d}-{core.randrange(1, 29):02d}"
    text = " ".join(words) + ". " + ". ".join(people) + ". " + place + "."
    mentions = []
    for name, label in [*((p, "PERSON") for p in people), (place, "GPE")]:
        start = text.index(name)
        mentions.append(Mention(start, start + len(name), name, label, name))
    article = Article(id=f"a{i}", source="bench", text=text, raw=text)
    enrichment = Enrichment(
        article_id=article.id,
        pipeline="bench",
        mentions=mentions,
        event_time=EventTime(day, "day", day, 0, 1),
        sentences=[(0, len(text))],
    )
    return article, enrichment


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--probe", type=int, default=200)
    args = parser.parse_args(argv)
    rng = random.Random(0)
    linker = Linker()
    added = 0
    print(f"{'store size':>10}  {'ms per add':>10}  {'build s':>8}")
    for size in sorted(args.sizes):
        start = time.perf_counter()
        events: dict[int, list[str]] = {}
        pairs = []
        for i in range(added, size):
            event = _event_of(i, rng)
            pairs.append(synthetic(i, rng, event))
            events.setdefault(event, []).append(f"a{i}")
        stored = [Event(id=f"ev{e}", articles=ids) for e, ids in events.items()]
        linker.restore(stored, pairs, {})
        added = size
        built = time.perf_counter() - start
        probe = [synthetic(added + k, rng) for k in range(args.probe)]
        start = time.perf_counter()
        for article, enrichment in probe:
            linker.add(article, enrichment, {})
        per_add = (time.perf_counter() - start) / args.probe * 1000
        added += args.probe
        print(f"{size:>10}  {per_add:>10.2f}  {built:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
