"""Which characters an input's text may hold, and how a value is quoted in a message.

Text is checked by Unicode category, not against a list of known characters. Refused in any text:
- control characters (Cc): NUL and every other C0 control, including tab, carriage return and line
  feed; DEL; the C1 controls;
- format characters (Cf), which change how text is shown without being seen: the left-to-right and
  right-to-left marks, the Arabic letter mark, the bidirectional embeddings, overrides and isolates,
  zero-width spaces and joiners, a byte-order mark inside the text, soft hyphens;
- line and paragraph separators (Zl, Zp);
- private-use characters (Co), surrogates (Cs) and code points no version of Unicode this program
  knows has assigned (Cn).
Each is named with its code point in a message ("U+200F RIGHT-TO-LEFT MARK").

A code (an ONS code, a source, case, risk or evidence id, a parameter name) may hold ASCII characters
only: a letter from another alphabet can look exactly like a Latin one (Cyrillic "Е" and Latin "E"),
so a code that differs only by it would otherwise be refused with a message in which it looks valid.

Standard library only.
"""
import reprlib
import unicodedata

REFUSED_CATEGORIES = {
    "Cc": "control character",
    "Cf": "format character",
    "Zl": "line separator",
    "Zp": "paragraph separator",
    "Co": "private-use character",
    "Cs": "surrogate",
    "Cn": "unassigned character",
}
NAMES = {"\x00": "NUL", "\t": "tab", "\n": "line feed", "\r": "carriage return", "\x7f": "DEL"}
SHOWN_CHARS = 60
RULE = "text may hold no control or invisible characters (no NUL, tab or line break)"
CODE_RULE = ("a code may hold only ASCII letters, digits and punctuation (a letter from another alphabet "
             "can look exactly like a Latin one)")


def describe(ch: str) -> str:
    """A character as a message names it: 'U+200F RIGHT-TO-LEFT MARK', 'U+0000 NUL'."""
    name = NAMES.get(ch) or unicodedata.name(ch, "") or REFUSED_CATEGORIES.get(unicodedata.category(ch), "character")
    return f"U+{ord(ch):04X} {name}"


def refused(ch: str) -> bool:
    """Whether a character may not appear in any text: its Unicode category is refused."""
    return unicodedata.category(ch) in REFUSED_CATEGORIES


def hidden_character(text: str) -> str | None:
    """The first character `text` may not hold, named (e.g. 'U+0000 NUL'), or None."""
    if text.isprintable():  # Python's printable text holds no Other (C*) or separator (Z*) but the space
        return None
    for ch in text:
        if refused(ch):
            return describe(ch)
    return None


def non_ascii_character(text: str) -> str | None:
    """The first character of `text` that is not ASCII, named with its position counted from 1
    (e.g. 'U+0415 CYRILLIC CAPITAL LETTER IE, character 1'), or None."""
    for position, ch in enumerate(text, start=1):
        if not ch.isascii():
            return f"{describe(ch)}, character {position}"
    return None


def code_problem(text: str) -> str | None:
    """Why `text` cannot be a code (it holds a character that is not ASCII), or None."""
    found = non_ascii_character(text)
    return f"contains the character {found}, which is not ASCII; {CODE_RULE}" if found else None


def lookalike_note(text: str) -> str:
    """For a value that matched nothing: a note naming a non-ASCII character in it, or ''. A value that
    looks exactly like a valid one may hold a letter from another alphabet."""
    found = non_ascii_character(str(text))
    return f" (it contains the character {found}, which is not ASCII)" if found else ""


_SHORT = reprlib.Repr()  # Python 3.11 takes its limits as attributes
_SHORT.maxstring = _SHORT.maxother = SHOWN_CHARS
_SHORT.maxlist = _SHORT.maxdict = 4
_SHORT.maxlevel = 2


def shown_value(value) -> str:
    """A value as quoted in a message: escaped, on one line, cut short if long (never expanding a
    deeply nested value in full)."""
    return _SHORT.repr(value)
