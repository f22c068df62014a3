"""describe_event: headline, summary, place, participants, sources, quotes and framing."""

from __future__ import annotations

import re
from dataclasses import replace

from storyline.records import Descriptor, Enrichment, Event, EventDetails, Mention, Published
from storyline.tell.describe import describe_event, outlet_name, storyline_title
from storyline.tell.summary import Sentence, choose_headline, clean_title, summarize

from .conftest import Corpus


def _describe(corpus: Corpus, event_id: str) -> Event:
    event = next(e for e in corpus.events if e.id == event_id)
    return describe_event(
        event,
        articles=corpus.articles,
        enrichments=corpus.enrichments,
        entity_ids=corpus.entity_ids,
        entity_names=corpus.entity_names,
    )


def test_clean_title_drops_outlet_suffixes() -> None:
    assert clean_title("Varga survives vote - Daily Ledger") == "Varga survives vote"
    assert clean_title("Premier Varga wins  vote | Northern Herald") == "Premier Varga wins vote"
    assert clean_title("Talks resume — news.example.com") == "Talks resume"
    assert clean_title("Reis speaks - again", outlet="Coast Wire") == "Reis speaks - again"
    assert clean_title("Budget: what changes") == "Budget: what changes"


def test_headline_is_the_most_central_title() -> None:
    sentences = [
        Sentence("a", 0, 60, "Prime Minister Varga survived a confidence vote in Parliament.", 0),
        Sentence("b", 0, 50, "Varga won the confidence vote after protests.", 0),
    ]
    titles = {"a": "Live updates: the day in pictures", "b": "Varga survives confidence vote"}
    assert choose_headline(titles, sentences) == ("b", "Varga survives confidence vote")
    assert choose_headline({}, sentences) is None


def test_event_headline_comes_from_its_articles_cleaned(corpus: Corpus) -> None:
    event = _describe(corpus, "ev-vote")
    assert event.headline in {
        "Varga survives confidence vote",
        "Premier Varga wins confidence vote",
    }
    assert event.details.headline_from in {"a1", "a2"}


def test_summary_is_short_central_and_free_of_repeats(corpus: Corpus) -> None:
    event = _describe(corpus, "ev-vote")
    picked = event.details.summary
    assert 2 <= len(picked) <= 3
    texts = [p.text for p in picked]
    assert event.summary == " ".join(texts)
    assert texts[0].startswith("Prime Minister Ilona Varga survived")
    # a2 restates a1's lead almost word for word, and opens with a looser restatement
    assert not any(
        t.startswith(("Prime Minister Ilona Varga survived the", "Varga, the")) for t in texts
    )
    assert not any("Subscribe" in t or t.startswith("“") for t in texts)
    for p in picked:
        assert corpus.articles[p.article].text[p.start : p.end] == p.text


def test_summary_skips_quotes_and_boilerplate() -> None:
    sentences = [
        Sentence("a", 0, 40, "“We will fight on and we will win this,” she said.", 0),
        Sentence("a", 41, 90, "Click here to subscribe to our newsletter for more news.", 1),
        Sentence(
            "a", 91, 150, "The council approved the new harbour budget after a long debate.", 2
        ),
        Sentence("a", 151, 160, "More soon.", 3),
    ]
    picked = summarize(sentences, quotes={})
    assert [s.position for s in picked] == [2]


def test_sources_list_every_article_with_outlet_or_file_name(corpus: Corpus) -> None:
    sources = _describe(corpus, "ev-vote").details.sources
    assert [s.article for s in sources] == ["a1", "a2"]
    assert [s.outlet for s in sources] == ["Daily Ledger", "northern_herald.xml"]
    assert sources[0].title == "Varga survives confidence vote"
    assert sources[0].published == "2024-03-05"
    assert sources[1].url == "https://news.example/a2"
    assert outlet_name(corpus.articles["a2"]) == "northern_herald.xml"


def test_place_participants_and_quotes(corpus: Corpus) -> None:
    reis = _describe(corpus, "ev-reis")
    assert reis.place == "Port Sel"
    assert reis.participants[0] == "Anton Reis"
    vote = _describe(corpus, "ev-vote")
    assert vote.place == "Lunda"  # "in Lunda" in the lead, and the dateline
    evidence = vote.details.place
    assert evidence is not None
    assert corpus.articles[evidence.article].text[evidence.start : evidence.end] == "Lunda"
    assert vote.participants[0] == "Ilona Varga"
    assert "Marek Doll" in vote.participants
    quotes = {q.speaker: q.quotes for q in vote.details.quotes}
    assert set(quotes) == {"Ilona Varga", "Marek Doll"}
    q = quotes["Marek Doll"][0]
    assert corpus.articles[q.article].text[q.start : q.end] == q.text


def test_framing_sets_outlets_side_by_side(corpus: Corpus) -> None:
    framing = _describe(corpus, "ev-vote").details.framing
    varga = framing["Ilona Varga"]
    assert [d.text for d in varga["Daily Ledger"]] == ["Prime Minister"]
    assert [d.text for d in varga["northern_herald.xml"]] == [
        "embattled premier",
        "Prime Minister",
    ]
    assert [d.text for d in framing["Marek Doll"]["northern_herald.xml"]] == ["Opposition leader"]
    reis = _describe(corpus, "ev-reis").details.framing["Anton Reis"]
    assert [(d.text, d.kind) for d in reis["Coast Wire"]] == [
        ("self-styled governor", "title"),
        ("former army colonel", "apposition"),
    ]
    assert [d.text for d in reis["Daily Ledger"]] == ["Separatist leader"]
    for found in reis.values():
        for d in found:
            text = corpus.articles[d.article].text
            assert text[d.start : d.end] == d.text
            assert d.sentence_start is not None and d.sentence_end is not None
            assert " ".join(text[d.sentence_start : d.sentence_end].split()) == d.evidence
            assert d.sentence_start <= d.start < d.end <= d.sentence_end


def test_framing_counts_a_phrase_once_per_outlet(corpus: Corpus) -> None:
    text = corpus.articles["a1"].text
    start = text.index("Varga thanked")
    extra = Descriptor("Ilona Varga", "prime minister", "title", start, start + 5, 0, len(text))
    enrichments = dict(corpus.enrichments)
    a1 = enrichments["a1"]
    enrichments["a1"] = replace(a1, descriptors=[*a1.descriptors, extra])
    event = next(e for e in corpus.events if e.id == "ev-vote")
    described = describe_event(
        event,
        articles=corpus.articles,
        enrichments=enrichments,
        entity_ids=corpus.entity_ids,
        entity_names=corpus.entity_names,
    )
    [listed] = described.details.framing["Ilona Varga"]["Daily Ledger"]
    assert (listed.text, listed.count) == ("Prime Minister", 2)


def test_participants_take_the_type_decided_over_the_store(corpus: Corpus) -> None:
    event = next(e for e in corpus.events if e.id == "ev-vote")
    described = describe_event(
        event,
        articles=corpus.articles,
        enrichments=corpus.enrichments,
        entity_ids=corpus.entity_ids,
        entity_names=corpus.entity_names,
        entity_types={"e-doll": "GPE"},
    )
    assert "Marek Doll" not in described.participants
    assert "Marek Doll" not in described.details.framing


def test_describe_keeps_the_event_and_fills_a_copy(corpus: Corpus) -> None:
    original = corpus.events[0]
    described = _describe(corpus, original.id)
    assert original.headline is None and original.details == EventDetails()
    assert described.id == original.id and described.date == original.date
    assert described.storyline == "s1"


def test_event_without_enrichment_still_gets_headline_and_sources(corpus: Corpus) -> None:
    event = describe_event(
        Event("lonely", ["a5", "missing"]),
        articles=corpus.articles,
        enrichments={},
        entity_ids={},
        entity_names={},
    )
    assert event.headline == "Rates held"
    assert [s.article for s in event.details.sources] == ["a5"]
    assert event.participants == [] and event.details.framing == {}


def test_storyline_title_names_shared_participants(corpus: Corpus) -> None:
    events = [_describe(corpus, "ev-vote"), _describe(corpus, "ev-reis")]
    assert storyline_title(events) == "Ilona Varga and Anton Reis"
    assert storyline_title([Event("x", [], headline="Only a headline")]) == "Only a headline"
    assert storyline_title([]) == "Untitled storyline"


def test_place_beats_countries_named_everywhere(corpus: Corpus) -> None:
    text = (
        "Kestria and Oria traded blame again. Kestria said Oria broke the deal, and Oria said"
        " Kestria did. Envoys met in Port Sel to talk."
    )
    article = replace(corpus.articles["a5"], id="p", text=text, title="Talks", dateline=None)
    places = [
        Mention(m.start(), m.end(), m[0], "GPE", m[0])
        for m in re.finditer(r"Kestria|Oria|Port Sel", text)
    ]
    enrichment = Enrichment("p", "test", mentions=places)
    event = describe_event(
        Event("p", ["p"]),
        articles={"p": article},
        enrichments={"p": enrichment},
        entity_ids={},
        entity_names={},
    )
    assert event.place == "Port Sel"
    datelined = replace(article, dateline="LUNDA, Kestria")
    event = describe_event(
        Event("p", ["p"]), articles={"p": datelined}, enrichments={}, entity_ids={}, entity_names={}
    )
    assert event.place == "Lunda"
    assert event.details.place is not None and event.details.place.how == "dateline"


def test_web_page_furniture_and_credited_sources_stay_out_of_the_description() -> None:
    from storyline.records import Article

    text = (
        "Skip to main content\n"
        "HARBOURTOWN (Coast Wire) - Mayor Ilse Varga opened the new harbour bridge on Monday "
        "after two years of work, the city said.\n"
        "Your support can help us keep reporting on the city.\n"
        "Tomas Reis/Coast Wire\n"
        "Varga thanked the engineers and said traffic would flow over the bridge by evening.\n"
    )
    article = Article("a", "a.html", text, text, outlet="Harbour Daily")
    names = [("Coast Wire", "ORG"), ("Ilse Varga", "PERSON"), ("Tomas Reis", "PERSON")]
    names += [("Harbour Daily", "ORG"), ("Varga", "PERSON")]
    mentions = []
    for name, label in names:
        for found in re.finditer(re.escape(name), text):
            key = "Ilse Varga" if name == "Varga" else name
            mentions.append(Mention(found.start(), found.end(), name, label, key))
    text_with_outlet = text + "Harbour Daily reporters watched the opening.\n"
    article = replace(article, text=text_with_outlet)
    start = text_with_outlet.index("Harbour Daily reporters")
    mentions.append(Mention(start, start + 13, "Harbour Daily", "ORG", "Harbour Daily"))
    # One parser sentence running over several lines, as spaCy gives on scraped pages.
    enrichment = Enrichment("a", "test", mentions=mentions, sentences=[(0, len(text_with_outlet))])
    event = describe_event(
        Event("ev", ["a"]),
        articles={"a": article},
        enrichments={"a": enrichment},
        entity_ids={},
        entity_names={},
    )
    assert event.participants == ["Ilse Varga"]
    summary = event.summary or ""
    assert "Mayor Ilse Varga opened the new harbour bridge" in summary
    assert "Skip to" not in summary and "support" not in summary and "/" not in summary
    assert "\n" not in (event.headline or "") and "Skip" not in (event.headline or "")


def test_an_unlinked_surname_speaker_is_the_events_one_person_so_named(corpus: Corpus) -> None:
    enrichments = dict(corpus.enrichments)
    a1 = enrichments["a1"]
    enrichments["a1"] = replace(a1, quotes=[replace(q, speaker="PM Varga") for q in a1.quotes])
    event = next(e for e in corpus.events if e.id == "ev-vote")

    def speakers(found: dict[str, Enrichment]) -> dict[str, list[str | None]]:
        described = describe_event(
            event,
            articles=corpus.articles,
            enrichments=found,
            entity_ids=corpus.entity_ids,
            entity_names=corpus.entity_names,
        )
        return {s.speaker: [q.written for q in s.quotes] for s in described.details.quotes}

    assert speakers(enrichments)["Ilona Varga"] == ["PM Varga"]
    # With a second Varga in the event the surname names no one person: it stays as written.
    a2 = enrichments["a2"]
    start = a2.mentions[-1].end
    other = Mention(start, start, "Ede Varga", "PERSON", "Ede Varga")
    enrichments["a2"] = replace(a2, mentions=[*a2.mentions, other])
    assert speakers(enrichments)["PM Varga"] == [None]


def test_an_event_reported_in_several_languages_is_told_in_the_main_one(corpus: Corpus) -> None:
    """The Italian page still counts as a source, but its words make no headline and the
    English model's misreadings of it ("Dopo" as a person) no participant."""
    from storyline.records import Article

    italian = Article(
        id="it1",
        source="/feeds/it1.txt",
        text="Dopo il voto, Varga ha vinto la fiducia del parlamento.",
        raw="",
        title="Varga vince la fiducia",
        outlet="Gazzetta Esempio",
        language="it",
        published=Published(date="2024-03-04", precision="day"),
    )
    articles = {a: replace(corpus.articles[a], language="en") for a in ("a1", "a2")}
    articles["it1"] = italian
    enrichments = {**corpus.enrichments}
    enrichments["it1"] = Enrichment(
        "it1", "test", mentions=[Mention(0, 4, "Dopo", "PERSON", "Dopo")]
    )
    event = describe_event(
        Event("ev", ["a1", "a2", "it1"]),
        articles=articles,
        enrichments=enrichments,
        entity_ids=corpus.entity_ids,
        entity_names=corpus.entity_names,
    )
    assert event.headline in {
        "Varga survives confidence vote",
        "Premier Varga wins confidence vote",
    }
    assert "Dopo" not in event.participants
    assert "it1" in {s.article for s in event.details.sources}


def test_an_outlet_the_store_reads_never_takes_part() -> None:
    from storyline.records import Article

    text = "Coast Wire reported that Ilse Varga opened the bridge. Coast Wire said more."
    member = Article("m", "m.txt", text, text, outlet="Harbour Daily")
    names = [("Coast Wire", "ORG", 0), ("Ilse Varga", "PERSON", 0), ("Coast Wire", "ORG", 1)]
    mentions = []
    for name, label, nth in names:
        start = [m.start() for m in re.finditer(name, text)][nth]
        mentions.append(Mention(start, start + len(name), name, label, name))
    enrichments = {"m": Enrichment("m", "test", mentions=mentions)}

    def participants(pool: dict[str, Article]) -> list[str]:
        return describe_event(
            Event("ev", ["m"]),
            articles=pool,
            enrichments=enrichments,
            entity_ids={},
            entity_names={},
        ).participants

    assert participants({"m": member}) == ["Coast Wire", "Ilse Varga"]
    other = Article("o", "o.txt", "Rates held.", "Rates held.", outlet="Coast Wire")
    assert participants({"m": member, "o": other}) == ["Ilse Varga"]
