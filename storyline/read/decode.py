"""Turning a file's bytes into text: gzip, legacy encodings, and refusing what is not text."""

from __future__ import annotations

import gzip
import io
import zlib

from charset_normalizer import from_bytes

__all__ = ["ReadError", "decode_bytes", "gunzip"]

# Bytes that never appear in text files; more than a few means the file is binary.
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}


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
    """Text from bytes: UTF-8 first, then the encoding the bytes best support (cp1251, latin-1...)."""
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise ReadError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = from_bytes(data).best()
    if match is None or match.encoding is None:
        raise ReadError("bytes that no text encoding explains")
    text = str(match)
    if _control_share(text.encode("utf-8", "replace")) > 0.01 or "\ufffd" in text:
        raise ReadError("bytes that no text encoding explains")
    return text


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return sum(1 for b in data if b in _CONTROL) / len(data)
