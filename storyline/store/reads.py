"""Listings and pages answered by indexed queries, with the filters and the paging in SQL.

Written once for both backends: the SQL here is portable (`?` placeholders, which the
PostgreSQL backend turns into its own), so a page costs what it shows on either.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

from storyline.records import (
    Article,
    Entity,
    Event,
    Failure,
    QuoteRecord,
    Speaker,
    Storyline,
)
from storyline.store import rows
from storyline.store.base import Scope, Store

__all__ = ["SQLReads"]

# Appended to a date's first day so that "2024" overlaps a range starting "2024-03-01".
_TOP = "\uffff"
_EVENT_ORDER = "(e.date_value IS NULL), e.date_value, e.id"


def _marks(values: Sequence[Any]) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


def _dates(column: str, scope: Scope) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if scope.start:
        clauses.append(f"substr({column}, 1, 10) || ? >= ?")
        params += [_TOP, scope.start]
    if scope.end:
        clauses.append(f"substr({column}, 1, 10) <= ?")
        params.append(scope.end)
    return clauses, params


def _ids(column: str, values: tuple[str, ...] | None, inner: str) -> tuple[list[str], list[Any]]:
    """`column` among the rows `inner` selects for these ids; none given matches nothing."""
    if values is None:
        return [], []
    if not values:
        return ["0 = 1"], []
    return [f"{column} IN ({inner.format(marks=_marks(values))})"], list(values)


def article_where(scope: Scope, a: str = "a") -> tuple[list[str], list[Any]]:
    """The article-level filters: outlet, publication date, storyline, entity, ids."""
    clauses, params = _dates(f"{a}.published_date", scope)
    if scope.outlet:
        clauses.append(f"lower({a}.outlet) = ?")
        params.append(scope.outlet.lower())
    if scope.storyline:
        clauses.append(
            f"{a}.id IN (SELECT ea.article_id FROM event_articles ea"
            " JOIN events ev ON ev.id = ea.event_id WHERE ev.storyline_id = ?)"
        )
        params.append(scope.storyline)
    more, extra = _ids(
        f"{a}.id", scope.entities, "SELECT article_id FROM entity_links WHERE entity_id IN {marks}"
    )
    clauses += more
    params += extra
    if scope.articles is not None:
        clauses.append(f"{a}.id IN {_marks(scope.articles)}" if scope.articles else "0 = 1")
        params += list(scope.articles)
    return clauses, params


def event_where(
    scope: Scope, e: str = "e", *, events: Sequence[str] | None = None
) -> tuple[list[str], list[Any]]:
    """The event-level filters: its date, storyline, outlets and entities; `events` are the
    ids the scope's articles lead to, looked up first so a few ids are read by key."""
    clauses, params = _dates(f"{e}.date_value", scope)
    if events is not None:
        clauses.append(f"{e}.id IN {_marks(events)}" if events else "0 = 1")
        params += list(events)
    if scope.storyline:
        clauses.append(f"{e}.storyline_id = ?")
        params.append(scope.storyline)
    if scope.outlet:
        clauses.append(
            f"{e}.id IN (SELECT ea.event_id FROM articles a JOIN event_articles ea"
            " ON ea.article_id = a.id WHERE lower(a.outlet) = ?)"
        )
        params.append(scope.outlet.lower())
    more, extra = _ids(
        f"{e}.id",
        scope.entities,
        "SELECT ea.event_id FROM entity_links l JOIN event_articles ea"
        " ON ea.article_id = l.article_id WHERE l.entity_id IN {marks}",
    )
    return clauses + more, params + extra


def _where(clauses: Sequence[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


class SQLReads(Store):
    """The read side shared by the backends; each supplies `_select`."""

    @abstractmethod
    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a query written with `?` placeholders."""

    def _limit(self, limit: int | None) -> int | None:
        """What a backend passes for no limit (SQLite -1, PostgreSQL NULL)."""
        return -1 if limit is None else limit

    def _count(self, sql: str, params: Sequence[Any], cap: int | None = None) -> int:
        """The rows `sql` selects, counted up to `cap` (the rows past it are never read)."""
        if cap is not None:
            sql, params = f"{sql} LIMIT ?", [*params, cap]
        return int(self._select(f"SELECT COUNT(*) AS n FROM ({sql}) counted", params)[0]["n"])

    # -- articles ---------------------------------------------------------------------------
    def failed_articles(self, article_id: str | None = None) -> list[Failure]:
        clauses, params = (["f.article_id = ?"], [article_id]) if article_id else ([], [])
        found = self._select(
            "SELECT f.* FROM article_failures f JOIN articles a ON a.id = f.article_id"
            f"{_where(clauses)} ORDER BY a.seq, f.stage",
            params,
        )
        return [rows.failure_from(r) for r in found]

    def articles_page(self, scope: Scope, *, limit: int | None, offset: int = 0) -> list[Article]:
        """Articles passing the scope, in arrival order."""
        clauses, params = article_where(scope)
        # The page's ids first, from the ordering index; only those rows are then read whole.
        page = f"SELECT a.id FROM articles a{_where(clauses)} ORDER BY a.seq LIMIT ? OFFSET ?"
        found = self._select(
            f"SELECT a.* FROM ({page}) page JOIN articles a ON a.id = page.id ORDER BY a.seq",
            [*params, self._limit(limit), offset],
        )
        return [rows.article_from(r) for r in found]

    def articles_of_entity(self, entity_id: str, *, limit: int) -> list[Article]:
        """Up to `limit` articles naming the entity, read along its links' index (no sort)."""
        found = self._select(
            "SELECT a.* FROM entity_links l JOIN articles a ON a.id = l.article_id"
            " WHERE l.entity_id = ? LIMIT ?",
            [entity_id, limit],
        )
        return [rows.article_from(r) for r in found]

    def count_articles_in(self, scope: Scope, *, cap: int | None = None) -> int:
        clauses, params = article_where(scope)
        return self._count(f"SELECT a.id FROM articles a{_where(clauses)}", params, cap)

    # -- events -----------------------------------------------------------------------------
    def events_page(
        self,
        scope: Scope,
        *,
        limit: int | None,
        offset: int = 0,
        newest: bool = False,
        undated: bool = False,
    ) -> list[Event]:
        """Events passing the scope in date order (undated last), the dated ones newest first,
        or the undated ones only."""
        clauses, params = event_where(scope, events=self._events_of(scope))
        order = _EVENT_ORDER
        if undated:
            clauses.append("e.date_value IS NULL")
        elif newest:
            clauses.append("e.date_value IS NOT NULL")
            order = "e.date_value DESC, e.id DESC"
        # The page's ids sorted on their own, so a filter matching many events sorts keys,
        # not whole rows; only the page's rows are then read.
        page = f"SELECT e.id FROM events e{_where(clauses)} ORDER BY {order} LIMIT ? OFFSET ?"
        found = self._select(
            f"SELECT e.data, e.updated FROM ({page}) page JOIN events e ON e.id = page.id"
            f" ORDER BY {order}",
            [*params, self._limit(limit), offset],
        )
        return [rows.event_from(r) for r in found]

    def _events_of(self, scope: Scope) -> list[str] | None:
        if scope.articles is None:
            return None
        if not scope.articles:
            return []
        found = self._select(
            "SELECT DISTINCT event_id FROM event_articles"
            f" WHERE article_id IN {_marks(scope.articles)} ORDER BY event_id",
            list(scope.articles),
        )
        return [r["event_id"] for r in found]

    def count_events(self, scope: Scope, *, cap: int | None = None) -> int:
        clauses, params = event_where(scope, events=self._events_of(scope))
        return self._count(f"SELECT e.id FROM events e{_where(clauses)}", params, cap)

    def event(self, event_id: str) -> Event | None:
        found = self._select("SELECT data, updated FROM events WHERE id = ?", [event_id])
        return rows.event_from(found[0]) if found else None

    def events_of_articles(self, ids: Iterable[str]) -> list[Event]:
        """The events reporting any of these articles, in date order."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        return self.events_page(Scope(articles=tuple(wanted)), limit=None)

    def common_cores(self, entity_ids: Iterable[str], *, limit: int) -> set[str]:
        return {
            entity
            for entity in sorted(set(entity_ids))
            if self._count(
                "SELECT event_id FROM event_cores WHERE entity_id = ?", [entity], limit + 1
            )
            > limit
        }

    # -- storylines -------------------------------------------------------------------------
    def storylines_page(
        self, scope: Scope, *, limit: int | None, offset: int = 0
    ) -> list[Storyline]:
        """Storylines one of whose events passes the scope, by id."""
        sql, params = self._storylines_sql(scope)
        found = self._select(
            f"{sql} ORDER BY s.id LIMIT ? OFFSET ?", [*params, self._limit(limit), offset]
        )
        return [rows.storyline_from(r) for r in found]

    def count_storylines(self, scope: Scope, *, cap: int | None = None) -> int:
        sql, params = self._storylines_sql(scope)
        return self._count(sql, params, cap)

    def _storylines_sql(self, scope: Scope) -> tuple[str, list[Any]]:
        if not scope.given:
            return "SELECT s.id, s.data FROM storylines s", []
        clauses, params = event_where(scope, events=self._events_of(scope))
        return (
            "SELECT s.id, s.data FROM storylines s WHERE s.id IN"
            f" (SELECT e.storyline_id FROM events e{_where(clauses)})",
            params,
        )

    def storylines_by_id(self, ids: Iterable[str]) -> dict[str, Storyline]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        found = self._select(f"SELECT data FROM storylines WHERE id IN {_marks(wanted)}", wanted)
        return {s.id: s for s in (rows.storyline_from(r) for r in found)}

    # -- entities ---------------------------------------------------------------------------
    def entities_page(self, scope: Scope, *, limit: int | None, offset: int = 0) -> list[Entity]:
        """Entities named in an article passing the scope, most mentioned first."""
        sql, params = self._entities_sql(scope)
        found = self._select(
            f"{sql} ORDER BY x.mentions DESC, x.name LIMIT ? OFFSET ?",
            [*params, self._limit(limit), offset],
        )
        return [rows.entity_from(r) for r in found]

    def count_entities_in(self, scope: Scope, *, cap: int | None = None) -> int:
        sql, params = self._entities_sql(scope)
        return self._count(sql, params, cap)

    def _entities_sql(self, scope: Scope) -> tuple[str, list[Any]]:
        if not scope.given:
            return "SELECT x.* FROM entities x", []
        clauses, params = article_where(scope)
        return (
            "SELECT x.* FROM entities x WHERE x.id IN (SELECT l.entity_id FROM entity_links l"
            f" JOIN articles a ON a.id = l.article_id{_where(clauses)})",
            params,
        )

    # -- quotes -----------------------------------------------------------------------------
    def quotes_page(
        self,
        scope: Scope,
        *,
        speaker: str | None = None,
        speaker_entity: str | None = None,
        kind: str | None = None,
        limit: int | None,
        offset: int = 0,
    ) -> list[QuoteRecord]:
        """Quotes in articles passing the scope, in arrival order; `speaker` is part of the
        speaker's name, `speaker_entity` the speaker's entity id, `kind` direct or indirect."""
        sql, params = self._quotes_sql(scope, speaker, speaker_entity, kind)
        found = self._select(
            f"{sql} ORDER BY q.seq, q.start LIMIT ? OFFSET ?",
            [*params, self._limit(limit), offset],
        )
        return [_quote(r) for r in found]

    def count_quotes(
        self,
        scope: Scope,
        *,
        speaker: str | None = None,
        speaker_entity: str | None = None,
        kind: str | None = None,
        cap: int | None = None,
    ) -> int:
        if not (scope.given or speaker or speaker_entity):
            clauses, params = (["q.kind = ?"], [kind]) if kind else ([], [])
            return self._count(f"SELECT q.start FROM quotes q{_where(clauses)}", params, cap)
        sql, params = self._quotes_sql(scope, speaker, speaker_entity, kind)
        return self._count(sql, params, cap)

    def _quotes_sql(
        self, scope: Scope, speaker: str | None, speaker_entity: str | None, kind: str | None
    ) -> tuple[str, list[Any]]:
        clauses, params = article_where(scope)
        if kind:
            clauses.append("q.kind = ?")
            params.append(kind)
        if speaker:
            clauses.append("lower(COALESCE(x.name, q.speaker)) LIKE ?")
            params.append(f"%{speaker.lower()}%")
        if speaker_entity:
            clauses.append("l.entity_id = ?")
            params.append(speaker_entity)
        return (
            "SELECT q.data, q.article_id, q.seq, q.start, a.source, l.entity_id, x.name AS entity_name"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN entity_links l ON l.article_id = q.article_id AND l.key = q.speaker"
            f" LEFT JOIN entities x ON x.id = l.entity_id{_where(clauses)}",
            params,
        )


def _quote(row: Any) -> QuoteRecord:
    data = rows.loads(row["data"])
    said = data.get("speaker")
    name = row["entity_name"] or said
    return QuoteRecord(
        id=f"{row['article_id']}:{data['start']}",
        article=row["article_id"],
        source=row["source"],
        text=data["text"],
        speaker=Speaker(name, row["entity_id"]) if name else None,
        cue=data.get("cue"),
        kind=data["kind"],
        start=int(data["start"]),
        end=int(data["end"]),
        evidence=data.get("speaker_evidence"),
    )
