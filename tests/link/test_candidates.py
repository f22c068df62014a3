"""Blocking keys: what an article is filed and searched under."""

from __future__ import annotations

from storyline.link.candidates import blocking_keys
from storyline.link.features import DocFreq, keys_of, profile, vectors
from tests.link.helpers import make


def test_name_words_other_articles_share_are_keys_across_languages() -> None:
    english = make("a", "The leaders met in the capital", places=("Velden",), people=("Ilves",))
    foreign = make("b", "Die Staatschefs trafen sich", places=("Velden",), people=("Ostrakov",))
    foreign[0].language = "de"
    pa, pb = profile(*english, {}), profile(*foreign, {})
    df = DocFreq()
    for p in (pa, pb):
        df.add(keys_of(p))
    keys = blocking_keys(pb, vectors(pb, df), df)
    assert "n:velden" in keys  # shared with the English report
    assert "n:ostrakov" not in keys  # no other article names it
    assert "n:velden" in blocking_keys(pa, vectors(pa, df), df)
