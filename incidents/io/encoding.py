"""Which text encoding a CSV file is in, decided once for the whole file.

Field offices send UTF-8 (with or without a byte-order mark), Windows-1256 from
Arabic Excel, Windows-1252 from French or English Excel, and UTF-16 from Excel's
"Unicode text". Guessing wrong is silent corruption (`Évènement` read as
`ةvènement`), so the order is:

1. a byte-order mark decides (UTF-8, UTF-16 LE or BE);
2. bytes that are valid UTF-8 are UTF-8 (a legacy file almost never is);
3. UTF-16 without a mark is recognised by its zero bytes on one side of each pair;
4. otherwise the file is Windows-1252 or Windows-1256, as charset-normalizer ranks
   them; when it cannot tell them apart (short text scores alike), the reading that
   keeps each word in one script wins: `ةvènement` mixes Arabic and Latin letters,
   `ÞÊá` (Arabic read as Windows-1252) is a word made only of accented capitals.

A file whose rows are partly UTF-8 and partly in a legacy encoding cannot be read
right whichever encoding is chosen: it is refused, naming the rows of each kind.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable

from incidents.translation import _

LEGACY = ("cp1252", "cp1256")
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "cp1256": "Windows-1256 (Arabic)",
}
_NON_ASCII_WORD = re.compile(rb"[^\s,;\t\"'()\[\]{}./:|-]*[\x80-\xff][^\s,;\t\"'()\[\]{}./:|-]*")
_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WORDS_LOOKED_AT = 5000
_ROWS_NAMED = 8


class EncodingProblem(ValueError):
    """The bytes are not text this tool can read; the message is a plain sentence."""


def detect(data: bytes, name: str) -> str:
    """The Python codec name to decode this file with (see the module's docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        if not _is_utf8(data):  # rows added later in another encoding
            _refuse_mixed(data[len(codecs.BOM_UTF8) :], name)
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _is_utf8(data):
        return _unmarked_utf16(data) or "utf-8"
    wide = _unmarked_utf16(data)
    if wide:
        return wide
    _refuse_mixed(data, name)
    return _legacy(data)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The file's text and the codec it was read with; EncodingProblem when it is not text."""
    if not data.startswith(_MARKS) and b"\x00" not in data[:8192]:
        try:  # the common case, decoded once: UTF-8 without a mark
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    encoding = detect(data, name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        said = _(
            "{file}: the text could not be read as {encoding} (byte {byte}); save it again "
            "as CSV UTF-8"
        )
        label = LABELS.get(encoding, encoding)
        raise EncodingProblem(
            said.format(file=name, encoding=label, byte=error.start + 1)
        ) from None
    if "\x00" in text[:4096]:
        raise EncodingProblem(_("{file}: this is not a text (CSV) file").format(file=name))
    return text, encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unmarked_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: text of mostly Latin letters, digits and
    commas has a zero byte in every other position (odd ones little-endian)."""
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2 or b"\x00" not in sample:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= half * 0.3 and others <= half * 0.02:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def _legacy(data: bytes) -> str:
    """Windows-1252 or Windows-1256, ranked by charset-normalizer, ties by script sense."""
    from charset_normalizer import from_bytes

    found = from_bytes(data, cp_isolation=list(LEGACY))
    ranked = [m.encoding for m in found if m.encoding in LEGACY]
    if len(ranked) == 1:
        return ranked[0]
    chaos = {m.encoding: m.chaos for m in found if m.encoding in LEGACY}
    best = min(chaos.values(), default=1.0)
    close = [e for e in LEGACY if chaos.get(e, 1.0) <= best + 0.05]  # alike to the detector
    words = _non_ascii_words(data)
    return min(close or LEGACY, key=lambda e: (_implausible(words, e), LEGACY.index(e)))


def _non_ascii_words(data: bytes) -> list[bytes]:
    seen: dict[bytes, None] = {}
    for match in _NON_ASCII_WORD.finditer(data):
        seen[match.group()] = None
        if len(seen) >= _WORDS_LOOKED_AT:
            break
    return list(seen)


def _implausible(words: Iterable[bytes], encoding: str) -> int:
    """How many words read oddly in this encoding: Arabic and Latin letters in one
    word, or two or more letters all outside ASCII with no plain letter among them."""
    odd = 0
    for raw in words:
        word = raw.decode(encoding, "replace")
        letters = [c for c in word if c.isalpha()]
        arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
        latin = len(letters) - arabic
        plain = sum(c.isascii() for c in letters)
        mixed = bool(arabic and latin)
        all_accented = not arabic and len(letters) >= 2 and plain == 0
        odd += mixed or all_accented
    return odd


def _refuse_mixed(data: bytes, name: str) -> None:
    """Refuse a file that is UTF-8 in some rows and another encoding in others."""
    utf8: list[int] = []
    other: list[int] = []
    text = data.decode("latin-1")  # one character per byte: rows split as in any 8-bit encoding
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:65536], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), 1):
        raw = "\x1f".join(cells).encode("latin-1")
        if raw.isascii():
            continue
        (utf8 if _is_utf8(raw) else other).append(number)
    if utf8 and other:
        said = _(
            "{file}: the file mixes text encodings: rows {utf8} are UTF-8 but rows {other} "
            "are not; save the whole file again as CSV UTF-8"
        )
        raise EncodingProblem(said.format(file=name, utf8=_rows(utf8), other=_rows(other)))


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_ROWS_NAMED])
    if len(numbers) <= _ROWS_NAMED:
        return shown
    more = len(numbers) - _ROWS_NAMED
    return _("{rows} and {n} more").format(rows=shown, n=more)
