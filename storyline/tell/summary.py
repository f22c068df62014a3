"""An event's headline and extractive summary, chosen by centrality so no model is needed.

Each sentence and title becomes a TF-IDF vector; the event's centroid is the mean of its
articles' mean vectors (so a long article does not outvote a short one). The title and the
sentences closest to that centroid say what most of the articles say.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from storyline.read.clean import is_page_furniture
from storyline.records import Article, Enrichment, Quote

__all__ = [
    "Sentence",
    "article_sentences",
    "choose_headline",
    "clean_title",
    "summarize",
]

Vector = dict[str, float]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)\]]*|$)")
# " - Outlet", " | Site", " — Outlet" at the end of a title.
_SUFFIX = re.compile(r"\s+(?P<sep>[-|–—:])\s+(?P<tail>[^-|–—:]{1,60})$")
_BOILERPLATE = re.compile(
    r"\b(?:subscribe|newsletter|click here|read more|all rights reserved|cookies?|sign up"
    r"|follow us|getty images|photo source|image source|share this|advertisement"
    r"|related articles|more on this topic|let us know|comments?)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_ENDS = re.compile(r"[.!?][\"'”’)\]]*$")

LEAD_BONUS = 0.12
DUPLICATE_COSINE = 0.5
DUPLICATE_OVERLAP = 0.5
QUOTED_SHARE = 0.6
MIN_WORDS, MAX_WORDS = 6, 70


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with its span and its index in the article."""

    article: str
    start: int
    end: int
    text: str
    position: int


def clean_title(title: str, *, outlet: str | None = None) -> str:
    """A title without the outlet or site name that feeds and pages append to it."""
    text = " ".join(title.split())
    for _ in range(2):
        match = _SUFFIX.search(text)
        if match is None:
            break
        head, tail = text[: match.start()].strip(), match["tail"].strip()
        named = bool(outlet) and tail.casefold() == (outlet or "").casefold()
        site_like = len(tail.split()) <= 4 and (tail[:1].isupper() or "." in tail)
        if len(head.split()) < 2 or not (named or (site_like and match["sep"] != ":")):
            break
        text = head
    return text


def article_sentences(article: Article, enrichment: Enrichment | None) -> list[Sentence]:
    """The article's sentences: the enrichment's spans, or a plain split when there are none."""
    spans: Iterable[tuple[int, int]]
    if enrichment is not None and enrichment.sentences:
        spans = enrichment.sentences
    else:
        spans = ((m.start(), m.end()) for m in _SENTENCE.finditer(article.text))
    out: list[Sentence] = []
    for start, end in _lines(article.text, spans):
        raw = article.text[start:end]
        stripped = raw.strip()
        if not stripped:
            continue
        lead = start + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(article.id, lead, lead + len(stripped), stripped, len(out)))
    return out


def _lines(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Each span cut at line breaks: a parser's sentence may run a headline or a menu line
    into the paragraph under it, and no sentence of a story crosses a line."""
    for start, end in spans:
        for piece in re.finditer(r"[^\n]+", text[start:end]):
            yield start + piece.start(), start + piece.end()


def _terms(text: str) -> list[str]:
    words = (w.casefold().replace("’", "'") for w in _WORD.findall(text))
    return [w for w in words if len(w) > 1 and w not in STOP_WORDS]


class _Space:
    """TF-IDF weights learned from an event's sentences and titles."""

    def __init__(self, documents: Sequence[str]) -> None:
        df = Counter(t for doc in documents for t in set(_terms(doc)))
        n = len(documents)
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}

    def vector(self, text: str) -> Vector:
        counts = Counter(_terms(text))
        vec = {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _mean(vectors: Sequence[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vec in vectors:
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v / len(vectors)
    return total


def _centroid(space: _Space, sentences: Sequence[Sentence]) -> Vector:
    by_article: dict[str, list[Vector]] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(space.vector(s.text))
    return _mean([_mean(vs) for vs in by_article.values()]) if by_article else {}


def choose_headline(
    titles: Mapping[str, str], sentences: Sequence[Sentence]
) -> tuple[str, str] | None:
    """(article id, title) of the cleaned title nearest the event's centroid; ties go to the first."""
    usable = {aid: t for aid, t in titles.items() if t.strip()}
    if not usable:
        return None
    space = _Space([s.text for s in sentences] + list(usable.values()))
    centroid = _centroid(space, sentences)
    best = max(usable.items(), key=lambda item: _cosine(space.vector(item[1]), centroid))
    return best


def _quoted_share(sentence: Sentence, quotes: Sequence[Quote]) -> float:
    inside = sum(max(0, min(sentence.end, q.end) - max(sentence.start, q.start)) for q in quotes)
    marked = sum(len(m.group()) for m in _QUOTED.finditer(sentence.text))
    return max(inside, marked) / max(1, len(sentence.text))


def _usable(sentence: Sentence, quotes: Sequence[Quote]) -> bool:
    """A whole, plain sentence: not boilerplate, a caption, a fragment or mostly a quotation."""
    text = sentence.text
    words = len(_WORD.findall(text))
    return (
        MIN_WORDS <= words <= MAX_WORDS
        and text[:1].isupper()
        and bool(_ENDS.search(text))
        and any(c.islower() for c in text)
        and not _BOILERPLATE.search(text)
        and not is_page_furniture(text)
        and _quoted_share(sentence, quotes) <= QUOTED_SHARE
    )


def _overlap(a: str, b: str) -> float:
    """Shared terms over the shorter sentence's terms: high when one restates the other."""
    sa, sb = set(_terms(a)), set(_terms(b))
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def summarize(
    sentences: Sequence[Sentence],
    *,
    quotes: Mapping[str, Sequence[Quote]],
    order: Sequence[str] = (),
    limit: int = 3,
    max_chars: int = 420,
) -> list[Sentence]:
    """The most central usable sentences, no two alike, in reading order.

    `quotes` holds each article's quotations (to skip quote-only sentences); `order` is the
    article order to print them in. Stops at two sentences once they pass `max_chars`.
    """
    space = _Space([s.text for s in sentences])
    centroid = _centroid(space, sentences)
    scored = []
    for s in sentences:
        if not _usable(s, quotes.get(s.article, ())):
            continue
        vec = space.vector(s.text)
        scored.append((_cosine(vec, centroid) + LEAD_BONUS / (1 + s.position), s, vec))
    scored.sort(key=lambda item: -item[0])
    chosen: list[tuple[Sentence, Vector]] = []
    for _, s, vec in scored:
        if len(chosen) >= limit:
            break
        if len(chosen) >= 2 and sum(len(c.text) for c, _ in chosen) > max_chars:
            break
        if any(
            _cosine(vec, v) > DUPLICATE_COSINE or _overlap(s.text, c.text) > DUPLICATE_OVERLAP
            for c, v in chosen
        ):
            continue
        chosen.append((s, vec))
    rank = {aid: i for i, aid in enumerate(order)}
    picked = [s for s, _ in chosen]
    picked.sort(key=lambda s: (rank.get(s.article, len(rank)), s.article, s.position))
    return picked
