"""Decoding bytes: UTF-8, legacy encodings, gzip, and refusing binary or empty input."""

from __future__ import annotations

import gzip
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.read.decode import ReadError, decode_bytes, gunzip

CYRILLIC = "Путин встретился с Бибиловым в Москве. Это текст статьи на русском языке."
FRENCH = "Le président a rencontré les délégués à Genève, où l'accord fut signé."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (FRENCH.encode("utf-8"), FRENCH),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH),
        (CYRILLIC.encode("cp1251"), CYRILLIC),
        (FRENCH.encode("latin-1"), FRENCH),
    ],
)
def test_decodes_text_in_its_encoding(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\t ", "empty"), (os.urandom(2048) + b"\x00", "binary")],
)
def test_refuses_what_is_not_text(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        decode_bytes(data)


def test_gunzip_within_and_over_limit() -> None:
    packed = gzip.compress(b"a" * 1000)
    assert gunzip(packed, limit=2000) == b"a" * 1000
    with pytest.raises(ReadError, match="limit"):
        gunzip(packed, limit=100)
    with pytest.raises(ReadError, match="gzip"):
        gunzip(b"\x1f\x8bnot really", limit=100)


def test_a_utf8_file_with_one_legacy_line_is_decoded_line_by_line() -> None:
    data = (
        "Café in Zürich, she said “yes”.\n".encode()
        + "Naïve résumé – déjà vu\n".encode("cp1252")
        + "Straße über\n".encode()
    )
    assert (
        decode_bytes(data)
        == "Café in Zürich, she said “yes”.\nNaïve résumé – déjà vu\nStraße über\n"
    )


def test_nul_characters_past_the_binary_check_are_dropped() -> None:
    assert decode_bytes(b"a" * 9000 + b"\x00b") == "a" * 9000 + "b"


@given(
    st.binary(max_size=400)
    | st.lists(st.sampled_from(["utf-8", "cp1252", "cp1251"]), max_size=6).map(
        lambda codecs: b"\n".join(
            f"Zeile {i}: Straße déjà «ok» – Президент".encode(c, "replace")
            for i, c in enumerate(codecs)
        )
    )
)
def test_any_bytes_decode_to_storable_text_or_a_read_error(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ReadError:
        return
    assert "\x00" not in text
    text.encode("utf-8")
