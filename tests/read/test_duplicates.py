"""Near-duplicates: copies share band keys and shingles, different stories do not."""

from __future__ import annotations

from storyline.read.duplicates import band_keys, resemblance

STORY = (
    "The port authority of Halvik said on Thursday that dock workers would return to work "
    "after a two-day strike over pay ended with an agreement on overtime rates and safety "
    "rules. The union leader told reporters the deal was a fair compromise for both sides, "
    "and that ships waiting outside the harbour could begin unloading on Friday morning."
)
COPY = STORY.replace("told reporters", "told the wire service") + " Wire staff contributed."
OTHER = (
    "The central bank left its main interest rate unchanged on Wednesday, saying inflation "
    "had eased over the summer months while wages kept rising faster than expected by markets."
)


def test_copy_shares_keys_and_resembles() -> None:
    assert set(band_keys(STORY)) & set(band_keys(COPY))
    assert resemblance(STORY, COPY) > 0.7
    assert resemblance(STORY, OTHER) < 0.1
    assert not set(band_keys(STORY)) & set(band_keys(OTHER))


def test_empty_text_has_no_keys() -> None:
    assert band_keys("") == []
    assert resemblance("", STORY) == 0.0
