"""Turning a file's bytes into text: gzip, legacy encodings, and refusing what is not text."""

from __future__ import annotations

import gzip
import io
import zlib

from charset_normalizer import from_bytes

__all__ = ["ReadError", "decode_bytes", "gunzip", "plain_string"]

# Bytes that never appear in text files; more than a few means the file is binary.
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}

# Legacy code pages in order of how much of the web's legacy text they carry.
_COMMON = ("cp1252", "cp1251", "latin_1", "cp1250", "gb18030", "shift_jis", "euc_kr", "big5")


class ReadError(Exception):
    """A file or record that cannot be read; the message names the reason, the caller the place."""


def gunzip(data: bytes, *, limit: int) -> bytes:
    """Unpack gzip data, refusing archives that expand past the size limit."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ReadError(f"broken gzip data ({exc})") from None
    if len(out) > limit:
        raise ReadError(f"gzip content larger than the {limit // (1024 * 1024)} MiB limit")
    return out


def decode_bytes(data: bytes) -> str:
    """Text from bytes: UTF-8 first, then the encoding the bytes best support (cp1251, latin-1...).

    A UTF-8 file with a few legacy lines (pasted from elsewhere) is decoded line by line, so
    its UTF-8 lines are not turned into mojibake by a guess made for the whole file.
    """
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise ReadError("binary data, not text")
    try:
        return plain_string(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    utf8 = [_utf8(line) for line in lines]
    if any(text and not text.isascii() for text in utf8):
        bad = b"\n".join(b for b, text in zip(lines, utf8, strict=True) if text is None)
        legacy = iter(_legacy(bad))
        return plain_string("\n".join(next(legacy) if t is None else t for t in utf8))
    return plain_string("\n".join(_legacy(data)))


def _utf8(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _legacy(data: bytes) -> list[str]:
    """The lines of `data` in the legacy encoding its bytes best support."""
    matches = list(from_bytes(data))
    if not matches:
        raise ReadError("bytes that no text encoding explains")
    # Short samples fit several code pages equally well; the most used one then wins.
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    match = min(tied, key=lambda m: _COMMON.index(m.encoding) if m.encoding in _COMMON else 99)
    text = str(match)
    if _control_share(text.encode("utf-8", "replace")) > 0.01 or "\ufffd" in text:
        raise ReadError("bytes that no text encoding explains")
    lines = text.split("\n")
    if len(lines) != data.count(b"\n") + 1:
        raise ReadError("bytes that no text encoding explains")
    return lines


def plain_string(text: str) -> str:
    """Text any store accepts: no NUL characters, no unpaired surrogates (from JSON escapes)."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return sum(1 for b in data if b in _CONTROL) / len(data)
