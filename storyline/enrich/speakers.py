"""Who speaks a quotation: the cue around it, and what its subject refers to.

A cue is a speech verb ("said", "told", "added"...), "according to", "quoted X as saying",
or a dash or colon before a name. Its speaker may be a name, a pronoun ("he added": the last
speaker, unless another person has been named since) or a description ("the minister", "the
Russian president": the person the article gave that role, a matching qualifier deciding).
Every answer is an article-level key, so speakers join the entity index.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span

from storyline.enrich.cues import ADDRESSEE_VERBS, SPEECH_VERBS, forms
from storyline.enrich.names import HONORIFICS, ROLE_NOUNS, fold, role_match
from storyline.records import Mention

__all__ = [
    "SPEECH_VERBS",
    "Attribution",
    "SpeakerFinder",
    "left_words",
    "unnamed",
    "unnamed_words",
]


# Forms that are never nouns, so the tagger's opinion is not needed.
_ALWAYS_VERBS = frozenset(["say", "says", "said", "saying", "tell", "tells", "told", "telling"])
_QUOTING = frozenset(forms("quote"))
_PRONOUNS = frozenset({"he", "she"})
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "to",
        "with",
        "on",
        "at",
        "by",
        "its",
        "his",
        "her",
        "their",
        "this",
        "that",
        "also",
    ]
)
_CONNECTORS = frozenset({",", "–", "—", "-", "'s", "’s"})
_SPEAKING_LABELS = ("PERSON", "ORG")
# Subjects that stand for no one: "it is said that", "there are fears that".
_EXPLETIVE = frozenset({"it", "there", "this", "that"})
# How far after a quote its cue may come, in words; a shorter reach after a finished sentence.
_REACH = 8
_REACH_AFTER_SENTENCE = 4
# A "sentence" longer than this is a run-on the parser could not split, not an introduction.
_LONGEST_SENTENCE = 150
# How many earlier person mentions a pronoun or a description is matched against.
_LOOKBACK = 60
# How many words an apposition between a speaker's name and the cue verb may have.
_LONGEST_APPOSITION = 20
_QUOTE_MARKS = frozenset('"“”«»„')
# A pronoun refers to someone named in its paragraph or the ones just before.
_PARAGRAPHS_BACK = 2
# Words before or after a name that tell a person's gender.
_GENDER_WORDS = {
    **dict.fromkeys(
        [
            "mr",
            "sir",
            "lord",
            "king",
            "prince",
            "father",
            "son",
            "husband",
            "brother",
            "uncle",
            "spokesman",
            "chairman",
            "congressman",
            "businessman",
            "actor",
            "nephew",
            "grandfather",
            "boyfriend",
        ],
        "he",
    ),
    **dict.fromkeys(
        [
            "mrs",
            "ms",
            "miss",
            "dame",
            "lady",
            "queen",
            "princess",
            "mother",
            "daughter",
            "wife",
            "sister",
            "aunt",
            "spokeswoman",
            "chairwoman",
            "congresswoman",
            "businesswoman",
            "actress",
            "niece",
            "grandmother",
            "girlfriend",
            "widow",
        ],
        "she",
    ),
}


@dataclass(frozen=True)
class Attribution:
    """A speaker's key, the character span of the words naming them, and the cue that said so."""

    speaker: str
    start: int
    end: int
    cue: str
    # Where the speaker was named: a pronoun's antecedent; -1 where the words above name them.
    named: int = -1


@dataclass(frozen=True)
class _Person:
    position: int
    key: str
    roles: frozenset[str]
    subject: bool


def _stem(word: str) -> str:
    return word[:5]


class SpeakerFinder:
    """Reads cue windows of one article; knows its mentions, the roles of its people and pronouns."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention], *, quoted: Sequence[tuple[int, int]]):
        self.doc = doc
        # `Doc.text` is rebuilt from the tokens on every access: read it once.
        self.text = doc.text
        self.quoted = sorted(quoted)
        self.quoted_starts = [lo for lo, _ in self.quoted]
        self.sentence_starts = [s.start for s in doc.sents]
        self.labels = {m.key: m.label for m in mentions}
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.genders: dict[str, str] = {}
        self.people = [
            self._person(m)
            for m in self.mentions
            if m.label == "PERSON" and not self._inside(m.start)
        ]
        self.positions = [p.position for p in self.people]
        self.paragraphs = [0] + [
            i + 1
            for i, ch in enumerate(self.text)
            if ch == "\n" and self.text[i + 1 : i + 2].strip()
        ]
        for person in self.people:
            gender = _gender(person.key, person.roles)
            if gender is not None:
                self.genders.setdefault(person.key, gender)

    # -- the three windows -------------------------------------------------------------

    def after(
        self, lo: int, hi: int, *, ended: bool, previous: Attribution | None
    ) -> Attribution | None:
        """The cue in the clause right after a quote: "…," X said / said X / – X / X quoted Y."""
        tokens = self._tokens(lo, hi)
        head = self.text[lo:hi].lstrip(" ,")
        dash = head[:1] in "–—-"
        while tokens and (tokens[0].is_punct or tokens[0].is_space):
            tokens = tokens[1:]
        reach = _REACH_AFTER_SENTENCE if ended and not dash else _REACH
        for i, token in enumerate(tokens[:reach]):
            if token.text in ".!?;":
                break
            if _is_according(tokens, i):
                return self.candidate(_phrase(tokens[i + 2 :]), lo, previous, "according to")
            if not _is_cue(token):
                continue
            if _reports_a_clause(token) or (ended and _acts_on_object(token)):
                return None
            if token.lower_ in _QUOTING:
                return self.candidate(_phrase(tokens[i + 1 :]), lo, previous, token.text)
            before = [t for t in tokens[:i] if not (t.is_punct or t.pos_ == "ADV")]
            if before:
                said = self._own_subject(token, lo, previous)
                said = said or self.candidate(before, lo, previous, token.text)
                if said is None and before[0].is_alpha and len(before) <= _REACH:
                    # "the gambling tycoon told Reuters": a source the article does not name.
                    end = before[-1].idx + len(before[-1])
                    return Attribution("", before[0].idx, end, token.text)
                return said
            return self.candidate(_phrase(tokens[i + 1 :]), lo, previous, token.text)
        else:
            said = None if ended else self._far_cue(tokens, reach, lo, previous)
            if said is not None:
                return said
        if dash and tokens:
            return self.candidate(_phrase(tokens), lo, previous, "–", names_only=True)
        return None

    def _own_subject(self, verb: Any, lo: int, previous: Attribution | None) -> Attribution | None:
        """The cue verb's own subject when the parse puts it inside the window after the quote."""
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.idx >= lo:
                return self.candidate(left_words(child), lo, previous, verb.text)
        return None

    def _far_cue(
        self, tokens: Sequence[Any], reach: int, lo: int, previous: Attribution | None
    ) -> Attribution | None:
        """A cue beyond the reach whose subject starts within it: a name and a long apposition,
        "…," Chris Weston, chief market strategist in Melbourne at IG Ltd., said."""
        if not tokens or any(t.text in ".!?;" for t in tokens[:reach]):
            return None
        near = tokens[min(reach, len(tokens)) - 1].i
        for token in tokens[reach : reach + _LONGEST_APPOSITION]:
            if token.text in ".!?;" or token.text in _QUOTE_MARKS:
                return None
            if not _is_cue(token) or _reports_a_clause(token):
                continue
            for child in token.children:
                if child.dep_ == "nsubj" and child.left_edge.i <= near and child.idx >= lo:
                    return self.candidate(left_words(child), lo, previous, token.text)
            return None
        return None

    def before(self, lo: int, hi: int, *, previous: Attribution | None) -> Attribution | None:
        """The cue in the sentence before a quote: X said (that) / according to X / X:."""
        tokens = self._tokens(lo, hi)
        for i in range(len(tokens) - 1, -1, -1):
            token = tokens[i]
            if _is_according(tokens, i):
                return self.candidate(_phrase(tokens[i + 2 :]), hi, previous, "according to")
            if not _is_cue(token) or (
                i and tokens[i - 1].lower_ == "as" and _quoting_before(tokens, i)
            ):
                continue
            if token.lower_ in _QUOTING:
                return self.candidate(_phrase(tokens[i + 1 :]), hi, previous, token.text)
            said = self.subject(token, hi, previous)
            if said is None:
                said = self.candidate(tokens[max(0, i - 6) : i], hi, previous, token.text)
            if said is None:
                said = self.candidate(_phrase(tokens[i + 1 :]), hi, previous, token.text)
            if said is None and (said := unnamed(token)) is not None:
                said = Attribution("", said.start, said.end, token.text)
            return said
        if tokens and tokens[-1].text == ":":
            return self.candidate(tokens[-5:-1], hi, previous, ":", names_only=True)
        return None

    def context(self, lo: int, hi: int, *, previous: Attribution | None) -> Attribution | None:
        """For a quote standing alone: the subject of the sentence that introduces it."""
        if hi <= lo:
            return None
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        if span is None or not len(span):
            return None
        sentence = self.sentence(span.end - 1)
        if len(sentence) > _LONGEST_SENTENCE:
            return None
        for token in sentence:
            if _is_cue(token) and (said := self.subject(token, hi, previous)) is not None:
                return Attribution(said.speaker, said.start, said.end, "context")
        root = sentence.root
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            return None
        said = self.candidate(left_words(subjects[0]), hi, previous, "context")
        if said is None or self.labels.get(said.speaker) != "PERSON":
            return None
        return said

    # -- resolving what a cue points at -----------------------------------------------

    def subject(self, verb: Any, position: int, previous: Attribution | None) -> Attribution | None:
        """The verb's grammatical subject, climbing from "…, saying that" to the clause it hangs on."""
        token = verb
        for _ in range(4):
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return self.candidate(self._named(subjects[0]), position, previous, verb.text)
            if token.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp") or token.head is token:
                return None
            token = token.head
        return None

    def _named(self, subject: Any) -> list[Any]:
        """A subject's words, or the name in apposition to it: "the council's auditor, Lena
        Frisk," is Frisk."""
        for child in subject.children:
            if child.dep_ == "appos" and child.i > subject.i:
                words = left_words(child)
                lo, hi = words[0].idx, words[-1].idx + len(words[-1])
                if any(m.label == "PERSON" for m in self._mentions_in(lo, hi)):
                    return words
        return left_words(subject)

    def candidate(
        self,
        tokens: Sequence[Any],
        position: int,
        previous: Attribution | None,
        cue: str,
        *,
        names_only: bool = False,
    ) -> Attribution | None:
        """A name, pronoun or description among the tokens, resolved to a key."""
        if not tokens:
            return None
        found = self._mentions_in(tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        speaking = [m for m in found if m.label in _SPEAKING_LABELS]
        content = [t for t in tokens if t.is_alpha and t.lower_ not in _STOP]
        if not speaking and len(found) == 1 and found[0].label == "GPE":
            # A country speaks only as the whole subject: "Georgia said", not "the Georgian minister".
            speaking = found if all(found[0].start <= t.idx < found[0].end for t in content) else []
        if speaking:
            m = speaking[-1]
            return Attribution(m.key, m.start, m.end, cue)
        if names_only:
            return None
        for token in tokens:
            if token.lower_ in _PRONOUNS:
                found_person = self._pronoun(token.lower_, token.idx, previous)
                if found_person is None:
                    return None
                key, named = found_person
                return Attribution(key, token.idx, token.idx + len(token), cue, named)
        heads = [t for t in tokens if t.lower_ in ROLE_NOUNS and t.pos_ in ("NOUN", "PROPN")]
        if not heads:
            return self._unknown_name(tokens, cue)
        head = heads[-1]
        words = {fold(t.text) for t in tokens if t.is_alpha and t.i < head.i} - _STOP
        described = self._describe(head.lower_, words, position)
        if described is None:
            return None
        start = next((t.idx for t in tokens if t.is_alpha), head.idx)
        return Attribution(described, start, head.idx + len(head), cue)

    def _unknown_name(self, tokens: Sequence[Any], cue: str) -> Attribution | None:
        """A name the entity tagger missed: the last run of capitalised proper nouns, taken as
        the person of that surname where the article names one, else as written."""
        run: list[Any] = []
        for token in tokens:
            if token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha:
                run = [*run, token] if run and run[-1].i == token.i - 1 else [token]
        run = [t for t in run if fold(t.text) not in HONORIFICS and t.lower_ not in _STOP]
        if not run:
            return None
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        surname = fold(run[-1].text)
        for person in reversed(self.people):
            if person.key.split() and fold(person.key.split()[-1]) == surname:
                return Attribution(person.key, start, end, cue, person.position)
        return Attribution(self.text[start:end], start, end, cue)

    def _pronoun(
        self, pronoun: str, position: int, previous: Attribution | None
    ) -> tuple[str, int] | None:
        """He/she: the last speaker if nobody has been named since, else the last person named;
        only people of that gender (where known) named in this paragraph or the two before."""
        since = previous.end if previous is not None else -1
        paragraph = bisect_right(self.paragraphs, position) - 1
        floor = self.paragraphs[max(0, paragraph - _PARAGRAPHS_BACK)]
        recent = [
            p for p in self._before(position) if p.position >= floor and self._fits(p.key, pronoun)
        ]
        named = [p for p in recent if since <= p.position]
        found: tuple[str, int] | None = None
        if named:
            subjects = [p for p in named if p.subject]
            person = (subjects or named)[-1]
            found = person.key, person.position
        elif (
            previous is not None
            and self.labels.get(previous.speaker) == "PERSON"
            and self._fits(previous.speaker, pronoun)
        ):
            found = previous.speaker, previous.named if previous.named >= 0 else previous.start
        elif recent:
            found = recent[-1].key, recent[-1].position
        if found is not None:
            self.genders.setdefault(found[0], pronoun)
        return found

    def evidence(self, said: Attribution) -> str:
        """The sentence that names a speaker: for a pronoun, the one naming whom it stands for."""
        position = said.named if said.named >= 0 else said.start
        span = self.doc.char_span(position, position + 1, alignment_mode="expand")
        if span is None or not len(span):
            return ""
        sentence = self.sentence(span.start)
        return sentence.text.strip() if len(sentence) <= _LONGEST_SENTENCE else ""

    def _fits(self, key: str, pronoun: str) -> bool:
        return self.genders.get(key, pronoun) == pronoun

    def _describe(self, head: str, words: set[str], position: int) -> str | None:
        """The person a description means: role and qualifiers best matching, the latest on a tie."""
        stems = {_stem(w) for w in words}
        roles: dict[str, set[str]] = {}
        latest: dict[str, int] = {}
        for person in self._before(position):
            roles.setdefault(person.key, set()).update(person.roles)
            latest[person.key] = person.position
        best: tuple[float, int, str] | None = None
        for key, known in roles.items():
            fit = role_match(head, frozenset(known))
            if not fit:
                continue
            score = fit + len(stems & {_stem(w) for w in known})
            if best is None or (score, latest[key]) > best[:2]:
                best = (score, latest[key], key)
        return best[2] if best else None

    # -- reading the article ----------------------------------------------------------

    def _person(self, mention: Mention) -> _Person:
        """A person mention with the role words around it: "Russian President X", "X, minister of"."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        words: set[str] = set()
        if span is None:
            return _Person(mention.start, mention.key, frozenset(), False)
        sentence_start = self.sentence(span.start).start
        i = span.start - 1
        while i >= max(sentence_start, span.start - 7):
            token = self.doc[i]
            if token.tag_.startswith("VB") or (token.is_punct and token.text not in _CONNECTORS):
                break
            if token.ent_type_ == "PERSON":
                break
            if token.is_alpha or fold(token.text) in HONORIFICS:
                words.add(fold(token.text))
            i -= 1
        words.update(fold(t.text) for t in span if fold(t.text) in _GENDER_WORDS)
        if span.end < len(self.doc) and self.doc[span.end].text == ",":
            for token in self.doc[span.end + 1 : span.end + 9]:
                if token.is_punct or token.tag_.startswith("VB"):
                    break
                if token.is_alpha:
                    words.add(fold(token.text))
        subject = span.root.dep_ in ("nsubj", "nsubjpass")
        return _Person(mention.start, mention.key, frozenset(words - _STOP), subject)

    def _before(self, position: int) -> list[_Person]:
        """The latest person mentions before a position, oldest first."""
        i = bisect_left(self.positions, position)
        return self.people[max(0, i - _LOOKBACK) : i]

    def _inside(self, position: int) -> bool:
        i = bisect_left(self.quoted_starts, position) - 1
        return i >= 0 and self.quoted[i][0] < position < self.quoted[i][1]

    def sentence(self, token: int) -> Span:
        """The sentence holding a token, found by bisection: `Token.sent` walks the whole sentence."""
        i = bisect_right(self.sentence_starts, token) - 1
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.doc)
        return self.doc[self.sentence_starts[i] : end]

    def _mentions_in(self, lo: int, hi: int) -> list[Mention]:
        i = bisect_right(self.starts, lo - 1)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < hi:
            if self.mentions[i].end <= hi:
                found.append(self.mentions[i])
            i += 1
        return found

    def _tokens(self, lo: int, hi: int) -> list[Any]:
        span: Span | None = self.doc.char_span(lo, hi, alignment_mode="contract")
        return list(span) if span is not None else []


@lru_cache(maxsize=1)
def _first_names() -> Any:
    """The first-name dictionary of gender-guesser (Jörg Michael's name list), loaded once."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


def _gender(key: str, roles: frozenset[str]) -> str | None:
    """ "he" or "she" from a title or role word by the name, else from a first name the name list
    gives one gender only: "mostly" names (Bernie, Robin) differ by country and stay open."""
    told = {_GENDER_WORDS[w] for w in roles if w in _GENDER_WORDS}
    if len(told) == 1:
        return told.pop()
    words = key.split()
    if len(words) < 2 or not words[0].isalpha():
        return None
    guess = _first_names().get_gender(words[0])
    return {"male": "he", "female": "she"}.get(guess)


def _is_cue(token: Any) -> bool:
    word = token.lower_
    return word in _ALWAYS_VERBS or (word in SPEECH_VERBS and token.tag_.startswith("VB"))


def _reports_a_clause(verb: Any) -> bool:
    """Whether a cue after a quote reports a clause of its own that follows it: in "…" X said it
    would fail, "said" is not the quote's cue."""
    return any(
        c.dep_ == "ccomp" and c.i > verb.i and not verb.doc[verb.i + 1].is_punct
        for c in verb.children
    )


def _acts_on_object(verb: Any) -> bool:
    """Whether a cue in the sentence after a finished quote takes an object other than a hearer:
    in "…?" Her critics cited it as evidence, "cited" is not the quote's cue."""
    return verb.lower_ not in ADDRESSEE_VERBS and any(
        c.dep_ == "dobj" and c.i > verb.i for c in verb.children
    )


def _quoting_before(tokens: Sequence[Any], i: int) -> bool:
    """Whether "as saying" closes a "quoted X as saying", whose cue is the quoting verb."""
    return any(t.lower_ in _QUOTING for t in tokens[max(0, i - 8) : i])


def _is_according(tokens: Sequence[Any], i: int) -> bool:
    return tokens[i].lower_ == "according" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "to"


def _phrase(tokens: Iterable[Any]) -> list[Any]:
    """The words up to the next punctuation or verb: the noun phrase a cue names."""
    phrase = []
    for token in tokens:
        if (token.is_punct and token.text not in ("'s", "’s")) or token.tag_.startswith("VB"):
            break
        phrase.append(token)
    return phrase


def unnamed(verb: Any) -> Attribution | None:
    """A subject that names nobody the article knows ("a source", "critics"): its words only."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in _EXPLETIVE:
            return unnamed_words(list(verb.doc[child.left_edge.i : child.right_edge.i + 1]))
    return None


def unnamed_words(tokens: Sequence[Any]) -> Attribution | None:
    """Where a source nobody could be resolved to is named; the speaker key left empty."""
    if not tokens:
        return None
    return Attribution("", tokens[0].idx, tokens[-1].idx + len(tokens[-1]), "")


def left_words(subject: Any) -> list[Any]:
    """A subject with its left modifiers: "the South Ossetian leader", not its clauses."""
    return list(subject.doc[subject.left_edge.i : subject.i + 1])
