"""What a reader's error means to the user: where in the file, and the usual fix.

Arrow's CSV errors quote a bad line but give no line number, and a JSON decoder counts
lines inside the one line it was given. These helpers run only once a read has failed:
they find the line (reading the file in blocks, never the whole of it at once) and say the
fix a user can act on.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
>>> _ = path.write_bytes(b"member_id,action\\na,like\\nb,like,extra\\n")
>>> locate(path, "CSV parse error: Expected 2 columns, got 3: b,like,extra")
' (line 3)'
>>> hint("CSV parse error: Expected 2 columns, got 3: b,like,extra")[:40]
'; a line has more or fewer fields than t'
"""

from __future__ import annotations

import gzip
from pathlib import Path

__all__ = ["hint", "json_problem", "locate"]

_HINTS = (
    ("invalid UTF8", "the file is not UTF-8 (latin-1 or a spreadsheet's local encoding?): "
                     "save it as UTF-8, e.g. 'CSV UTF-8' in a spreadsheet"),
    ("Expected ", "a line has more or fewer fields than the header: quote values that hold "
                  "the delimiter (\"Kim, Alex\"), or fix the line quoted above"),
)
"""Arrow's reading errors that have a usual cause, and the fix said after them."""

NL = b"\n"

_BLOCK = 1 << 24
"""Bytes read at a time while looking for a bad line."""


def hint(msg: str) -> str:
    """The fix for a reader's error message ``msg``, as ``"; ..."`` (or ``""``)."""
    return next((f"; {fix}." for key, fix in _HINTS if key in msg), "")


def _blocks(path: Path):
    """The file's bytes (decompressed for ``.gz``) in blocks that end at a line's end."""
    opener = gzip.open if path.name.endswith(".gz") else open
    rest = b""
    with opener(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
    if rest:
        yield rest


def locate(path, msg: str) -> str:
    """``" (line N)"`` for the line of ``path`` that the reader's error ``msg`` is about
    (the first line that is not UTF-8, or the line Arrow quotes), or ``""``."""
    path = Path(path)
    try:
        if "invalid UTF8" in msg:
            return _first_bad_utf8(path)
        if "Expected " in msg and ": " in msg.split("Expected ", 1)[1]:
            quoted = msg.split("Expected ", 1)[1].split(": ", 1)[1].encode("utf-8")
            return _line_of(path, quoted)
    except (OSError, EOFError, ValueError):  # unreadable now: say no more than Arrow did
        return ""
    return ""


def _first_bad_utf8(path: Path) -> str:
    lines = 0
    for block in _blocks(path):
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f" (line {lines + block.count(NL, 0, exc.start) + 1})"
        lines += block.count(NL)
    return ""


def _line_of(path: Path, quoted: bytes) -> str:
    """The first line that is ``quoted`` (with or without a carriage return)."""
    lines = 0
    for block in _blocks(path):
        padded = NL + block + NL  # the line may be the file's last, without its newline
        found = [at for end in (NL, b"\r\n") if (at := padded.find(NL + quoted + end)) >= 0]
        if found:
            return f" (line {lines + block.count(NL, 0, min(found)) + 1})"
        lines += block.count(NL)
    return ""


def json_problem(exc, raw: bytes) -> str:
    """What is wrong with one JSON line, by its own characters (not the decoder's lines)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"byte {exc.start + 1} is not UTF-8: save the file as UTF-8"
    length = len(raw.decode("utf-8", "replace").rstrip())
    if exc.pos >= length:
        return f"the line stops early, cut off? ({exc.msg.lower()} at its end)"
    return f"{exc.msg.lower()} at character {exc.pos + 1} of {length}"
