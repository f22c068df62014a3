"""The words an article uses for a person, read from the parse: who the writer takes them to be.

"Ilona Varga, the unelected leader of Veloria," (an apposition), "authoritarian leader Tomas
Redlich" (a title before the name), "Redlich is a former army officer" (a predicate noun) and a
"president" in scare quotes each frame the person. Phrases are kept as written, whatever their
words: the dependency parse says where a phrase hangs and the parts of speech where it starts
and ends (determiners and possessive pronouns left out), so "unelected leader" stays apart from
"leader" and no list of role words decides what counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from storyline.enrich.entities import headline_ranges
from storyline.records import Descriptor, Mention

__all__ = ["APPOSITION", "PREDICATE", "TITLE", "find_descriptors"]

APPOSITION = "apposition"
TITLE = "title"
PREDICATE = "predicate"
MAX_TOKENS = 12
_NOUNS = frozenset({"NOUN", "PROPN"})
_TITLE_POS = frozenset({"ADJ", "NOUN", "PROPN"})
# Named-entity labels of amounts and times: "54" or "Tuesday" beside a name is no descriptor.
_NUMERIC = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# Parts of a phrase that say something else about it: a clause, a second apposition, a list.
_CUT = frozenset({"relcl", "appos", "advcl", "cc", "conj", "punct", "parataxis"})


def find_descriptors(
    doc: Doc, mentions: Sequence[Mention], *, title: str | None = None
) -> list[Descriptor]:
    """Every descriptor of every person mentioned, outside headline lines, once per span."""
    heads = headline_ranges(doc.text, title=title)
    named = {i for m in mentions for i in _token_range(doc, m.start, m.end)}
    people = [m for m in mentions if m.label == "PERSON"]
    found: dict[tuple[str, int, int], Descriptor] = {}
    for mention in people:
        if any(mention.start < hi and mention.end > lo for lo, hi in heads):
            continue
        tokens = _token_range(doc, mention.start, mention.end)
        if not tokens:
            continue
        first = _name_start(doc, tokens.start, mention.key)
        name = doc[first : tokens.stop]
        others = {
            i for m in people if m.key != mention.key for i in _token_range(doc, m.start, m.end)
        }
        for kind, phrase in _phrases(doc, name, named, others):
            descriptor = _descriptor(mention.key, kind, phrase)
            if descriptor is not None:
                found.setdefault((descriptor.key, descriptor.start, descriptor.end), descriptor)
    return sorted(found.values(), key=lambda d: (d.start, d.key))


def _token_range(doc: Doc, start: int, end: int) -> range:
    span = doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def _name_start(doc: Doc, first: int, key: str) -> int:
    """Where the name starts, taking in words of its full name the model left out ("Ilona")."""
    words = key.split()
    at = next((i for i, w in enumerate(words) if w == doc[first].text), None)
    while at and first > 0 and doc[first - 1].text == words[at - 1]:
        first, at = first - 1, at - 1
    return first


def _phrases(
    doc: Doc, name: Span, named: set[int], others: set[int]
) -> Iterable[tuple[str, list[Token]]]:
    root = name.root
    before = _title(doc, name.start, named, others)
    if before:
        yield TITLE, before
    own = set(range(name.start, name.end))
    for child in root.children:
        if child.dep_ == "appos" and _is_description(child, named):
            phrase = _phrase(child, own)
            if phrase and _adjacent(doc, name.end, phrase[0].i):  # not "X and Y, the ..."
                yield APPOSITION, phrase
    if root.dep_ == "appos":
        # "Veloria's leader, Ilona Varga,": the name stands in apposition to the phrase; in
        # "the president of the province, Name" the parse hangs it on the nearest noun, while
        # the phrase is what the noun the genitive "of" completes denotes ("a summit with his
        # counterpart, Name" stays with the counterpart).
        head = root.head
        while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ in _NOUNS:
            head = head.head.head
        if _is_description(head, named):
            phrase = _phrase(head, {t.i for t in root.subtree})
            if phrase and _adjacent(doc, phrase[-1].i + 1, name.start):
                yield APPOSITION, phrase
    for clause, subject in _clauses(root):
        if any(c.dep_ == "neg" for c in clause.children):
            continue
        # "X is a ..." (attr) and "X was elected ..." (oprd of a passive); the oprd of an
        # active verb ("X called the vote a farce") describes its object, not X.
        wanted = {"nsubj": "attr", "nsubjpass": "oprd"}.get(subject.dep_)
        for child in clause.children:
            if child.dep_ == wanted and _is_description(child, named):
                yield PREDICATE, _phrase(child, own)


def _adjacent(doc: Doc, start: int, end: int) -> bool:
    """Whether only a comma or dash stands between two parts: a phrase next to the name, not
    a note in brackets ("X (knee)")."""
    return all(t.is_punct and not (t.is_quote or t.is_bracket) for t in doc[start:end])


def _clauses(root: Token) -> Iterable[tuple[Token, Token]]:
    """(clause, its subject) where the name is the subject: "X is ...", "X, who is ..."."""
    yield root.head, root
    for child in root.children:
        if child.dep_ == "relcl":
            for subject in child.children:
                if subject.tag_ == "WP":
                    yield child, subject


def _is_name(token: Token, named: set[int]) -> bool:
    return token.i in named or (token.pos_ == "PROPN" and token.ent_type_ != "")


def _is_description(head: Token, named: set[int]) -> bool:
    """A common or title noun outside every name: not another name, a number or a date."""
    return head.pos_ in _NOUNS and not _is_name(head, named) and head.ent_type_ not in _NUMERIC


def _title(doc: Doc, first: int, named: set[int], others: set[int]) -> list[Token]:
    """The words written right before a name that describe it: "the illegitimate president"."""
    sentence = doc[first].sent.start
    i = first - 1
    while i >= sentence and _in_title(doc, i, others):
        i -= 1
    words = list(doc[i + 1 : first])
    if i >= sentence and doc[i].is_punct:
        # After a clause's comma a participle is the clause's verb: "X, ..., hosted President Y".
        while words and words[0].pos_ == "VERB":
            words = words[1:]
    for k in range(len(words) - 1, 0, -1):
        # A participle after a noun, not joined by a hyphen, is a clause's verb ("the team
        # placed rookie X"); a title's participles come first ("newly elected president").
        if words[k].pos_ == "VERB" and words[k - 1].pos_ in _NOUNS:
            words = words[k + 1 :]
            break
    if sum(t.is_quote for t in words) % 2:
        if not words[0].is_quote:
            return []  # the end of a quotation ("... did its job" Redlich said), not scare quotes
        words = words[1:]  # the close of a quotation before the title: '"...," union leader X'
    if not any(t.i not in named and t.pos_ in _TITLE_POS for t in words):
        return []  # only another name ("Veloria's Varga"), or nothing at all
    return words


def _in_title(doc: Doc, i: int, others: set[int]) -> bool:
    token = doc[i]
    if i in others or token.ent_type_ in _NUMERIC:
        return False
    if token.pos_ in _TITLE_POS or token.is_quote:
        return True
    if token.pos_ == "PART" and token.dep_ == "case":  # the possessive of "Veloria's premier"
        return True
    if token.pos_ == "VERB":  # "so-called", "jailed": a participle modifying what follows
        return token.dep_ in ("amod", "compound") and token.i < token.head.i
    if token.pos_ == "ADV":  # "democratically elected", "so-called"
        return token.head.pos_ in ("ADJ", "VERB") and token.i < token.head.i
    # A number or a hyphen inside one word ("54-year-old", "so-called").
    return not token.whitespace_ and (token.like_num or token.tag_ == "HYPH")


def _phrase(head: Token, exclude: set[int]) -> list[Token]:
    """The phrase a noun heads, without clauses, lists or the name itself; at most MAX_TOKENS,
    dropping its rightmost parts ("of Y in Z") first."""
    kept = [c for c in head.children if c.i not in exclude and (c.dep_ not in _CUT or c.is_quote)]
    while True:
        tokens = {head.i} | {t.i for c in kept for t in c.subtree} - exclude
        span = _run(head, tokens)
        if len(span) <= MAX_TOKENS or not any(c.i > head.i for c in kept):
            return span if len(span) <= MAX_TOKENS else []
        kept.remove(max((c for c in kept if c.i > head.i), key=lambda c: c.i))


def _run(head: Token, tokens: set[int]) -> list[Token]:
    """The unbroken stretch of `tokens` around the head."""
    start = end = head.i
    while start - 1 in tokens:
        start -= 1
    while end + 1 in tokens:
        end += 1
    return list(head.doc[start : end + 1])


def _descriptor(key: str, kind: str, tokens: list[Token]) -> Descriptor | None:
    """The phrase as written, without leading determiners, possessive pronouns, stray
    punctuation or an unpaired quote mark."""
    while tokens and (
        tokens[0].pos_ in ("DET", "PRON", "CCONJ", "ADP", "PART")
        or (tokens[0].is_punct and not tokens[0].is_quote)
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and not tokens[-1].is_quote:
        tokens = tokens[:-1]
    if sum(t.is_quote for t in tokens) % 2:
        edge = 0 if tokens[0].is_quote else -1 if tokens[-1].is_quote else None
        if edge is None:
            return None
        tokens = tokens[1:] if edge == 0 else tokens[:-1]
    if not any(t.pos_ in _TITLE_POS for t in tokens):
        return None
    doc, sentence = tokens[0].doc, tokens[0].sent
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return Descriptor(
        key=key,
        text=" ".join(doc.text[start:end].split()),
        kind=kind,
        start=start,
        end=end,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
        quoted=any(t.is_quote for t in tokens),
    )
