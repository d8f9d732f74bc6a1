"""Quotation marks: find and pair them, in every common style, and return the outermost quoted spans.

Styles: “ ” " " ‘ ’ '' '' `` '' « » » « ‹ › „ “ „ ” 「 」 『 』. Marks pair with a stack per family (double, single,
guillemets, corner brackets); any closing mark of a family closes the nearest open mark of that family, so
mixed pairs such as „…“ and "…” work. French guillemets may hold spaces inside (« texte », also with no-break
spaces). Whether an ambiguous mark (", '', ', ’) opens or closes comes from the
characters around it, and an apostrophe between letters (don’t, Clinton’s) is no mark. A quote still open at a
line's end goes on over a wrapped line; at a paragraph's end it continues when the next paragraph opens with a
mark of the same family (each paragraph gives its own span, sharing a `group`), and otherwise it ends there if
it opened the paragraph, or is dropped.
"""

import re
from dataclasses import dataclass, field

__all__ = ["QUOTE_CHARS", "QuotedSpan", "find_quoted_spans"]

_DOUBLE, _SINGLE, _GUILLEMET, _CORNER, _WHITE_CORNER = "double", "single", "guillemet", "corner", "white"
_FAMILY = {
    "“": _DOUBLE, "”": _DOUBLE, "„": _DOUBLE, "‟": _DOUBLE, '"': _DOUBLE, "''": _DOUBLE, "``": _DOUBLE,
    "‘": _SINGLE, "’": _SINGLE, "‚": _SINGLE, "'": _SINGLE,
    "«": _GUILLEMET, "»": _GUILLEMET, "‹": _GUILLEMET, "›": _GUILLEMET,
    "「": _CORNER, "」": _CORNER, "『": _WHITE_CORNER, "』": _WHITE_CORNER,
}  # fmt: skip
_MARK = re.compile(r"''|``|[\"“”„‟«»‹›「」『』‘’‚']")
QUOTE_CHARS = "\"“”„‟«»‹›「」『』‘’‚'`"
_OPEN_BEFORE = "([{—–-/:;" + QUOTE_CHARS
_CLOSE_AFTER = ".,;:!?)]}—–-/…" + QUOTE_CHARS


@dataclass(slots=True)
class _Open:
    pos: int
    length: int
    family: str
    glyph: str
    group: int | None = None


@dataclass(slots=True)
class QuotedSpan:
    """A top-level quoted span: marks at [open_pos, close_end), content at [start, end)."""

    open_pos: int
    start: int
    end: int
    close_end: int
    group: int | None = None  # pieces of one multi-paragraph quote share a group
    close_pos: int = field(init=False)  # where the closing mark starts (the content's end before trimming)

    def __post_init__(self) -> None:
        self.close_pos = self.end


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """The outermost quoted spans of `text`, in order; content offsets exclude the marks."""
    return _Pairer(text).run()


def _mark_role(text: str, pos: int, glyph: str) -> str | None:
    """Whether the mark at `pos` opens, closes or may do either; None when it is no quote mark here."""
    end = pos + len(glyph)
    before = text[pos - 1] if pos else " "
    after = text[end] if end < len(text) else " "
    can_open = not after.isspace() and (before.isspace() or before in _OPEN_BEFORE)
    can_close = not before.isspace() and (after.isspace() or after in _CLOSE_AFTER)
    if glyph in "「『„‚``":
        return "open"
    if glyph in "」』":
        return "close"
    if glyph in "«‹" and after.isspace() and (before.isspace() or before in _OPEN_BEFORE):
        return "open"  # French spacing: « texte »
    if glyph in "»›" and before.isspace() and (after.isspace() or after in _CLOSE_AFTER):
        return "close"
    if before.isspace() and after.isspace():
        return None
    if glyph in ('"', "''"):
        return "open" if can_open and not can_close else "close" if can_close and not can_open else "either"
    if glyph in "“‟«‹‘":
        if can_close and not can_open:
            return "close"
        return None if glyph == "‘" and after.isdigit() else "open"
    if glyph in "”»›":
        return "open" if can_open and not can_close else "close"
    # ’ and ' are apostrophes unless they flank a quotation.
    if before.isalnum() and after.isalnum():
        return None
    if can_close and not can_open:
        return "close"
    return "open" if glyph == "'" and can_open and after.isalpha() else None


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


@dataclass(slots=True)
class _Pairer:
    """Pairs quotation marks line by line; quotes may run across lines and continue into a new paragraph."""

    text: str
    stack: list[_Open] = field(default_factory=list)
    pieces: list[QuotedSpan] = field(default_factory=list)
    pending_group: int | None = None
    groups: int = 0
    paragraph_start: int = 0

    def run(self) -> list[QuotedSpan]:
        lines = _line_spans(self.text)
        for index, (start, end) in enumerate(lines):
            if not self.text[start:end].strip():
                continue
            if not self.stack:
                self.paragraph_start = start
            for match in _MARK.finditer(self.text, start, end):
                self._take(match.group(), match.start())
            self._end_line(end, lines[index + 1 :])
        return _outermost(self.pieces)

    def _take(self, glyph: str, pos: int) -> None:
        role = _mark_role(self.text, pos, glyph)
        family = _FAMILY[glyph]
        if role == "either":
            ambiguous = any(o.family == family and o.glyph in ('"', "''") for o in self.stack)
            role = "close" if ambiguous else "open"
        if role == "open":
            opener = _Open(pos, len(glyph), family, glyph)
            if self.pending_group is not None and not self.text[self.paragraph_start : pos].strip():
                opener.group = self.pending_group
            self.pending_group = None
            self.stack.append(opener)
        elif role == "close":
            for k in range(len(self.stack) - 1, -1, -1):
                opener = self.stack[k]
                if opener.family == family:
                    del self.stack[k:]
                    content = opener.pos + opener.length
                    self.pieces.append(QuotedSpan(opener.pos, content, pos, pos + len(glyph), opener.group))
                    break

    def _end_line(self, end: int, rest: list[tuple[int, int]]) -> None:
        """Carry open quotes across a wrapped line; close or continue them at a paragraph's end."""
        self.stack = [o for o in self.stack if o.family != _SINGLE]
        if not self.stack:
            return
        blank = bool(rest) and not self.text[rest[0][0] : rest[0][1]].strip()
        following = next((self.text[s:e].lstrip() for s, e in rest if self.text[s:e].strip()), "")
        bottom = self.stack[0]
        reopens = bool(following) and _FAMILY.get(following[:2], _FAMILY.get(following[:1])) == bottom.family
        if reopens:
            group = bottom.group if bottom.group is not None else self._new_group()
            self.pieces.append(QuotedSpan(bottom.pos, bottom.pos + bottom.length, _rstrip(self.text, end), end, group))
            self.pending_group, self.stack = group, []
        elif blank or not rest:
            initial = not self.text[self.paragraph_start : bottom.pos].strip()
            if initial or bottom.group is not None:
                content = bottom.pos + bottom.length
                self.pieces.append(QuotedSpan(bottom.pos, content, _rstrip(self.text, end), end, bottom.group))
            self.stack = []

    def _new_group(self) -> int:
        self.groups += 1
        return self.groups


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _outermost(pieces: list[QuotedSpan]) -> list[QuotedSpan]:
    """Keep pieces that no other piece contains."""
    pieces = sorted(pieces, key=lambda p: (p.open_pos, -p.close_end))
    kept: list[QuotedSpan] = []
    for piece in pieces:
        if kept and piece.open_pos >= kept[-1].open_pos and piece.close_end <= kept[-1].close_end:
            continue
        kept.append(piece)
    return kept
