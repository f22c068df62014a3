"""Which language an article is written in, by py3langid's shipped model (no download).

Linking weighs an article by its words, and a page in another language shares few of them
with English reports of the same happening, so the linker needs to know which pages those
are; readers see it too. Too little text, or a guess the model is unsure of, gives None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["detect_language", "main_language"]

# The opening of a page says its language; reading more only costs time.
_SAMPLE_CHARS = 4000
# Fewer letters than this (a headline, a caption) are not enough to tell a language by.
_MIN_LETTERS = 40
# Below this normalized probability the model is guessing between languages.
_MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None where it cannot be told."""
    sample = text[:_SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < _MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    return str(language) if confidence >= _MIN_CONFIDENCE else None


def main_language(languages: Iterable[str | None]) -> str | None:
    """The language most of a group of texts is in (unknown ones left out); None if none is
    known. Ties go to the first seen."""
    spoken = Counter(language for language in languages if language)
    return spoken.most_common(1)[0][0] if spoken else None
