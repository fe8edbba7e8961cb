"""Which characters an input's text may hold, and how a value is quoted in a message.

Refused in any text: control characters (NUL and every other C0 control, including tab, carriage
return and line feed; DEL; the C1 controls) and the Unicode characters that reorder or break text
without being seen (bidirectional embedding, override and isolate controls, line and paragraph
separators, a byte-order mark inside the text). Standard library only.
"""
import reprlib
import unicodedata

INVISIBLE = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u2028", "\u2029", "\ufeff"}
NAMES = {"\x00": "NUL", "\t": "tab", "\n": "line feed", "\r": "carriage return", "\x7f": "DEL"}
SHOWN_CHARS = 60
RULE = "text may hold no control or invisible characters (no NUL, tab or line break)"


def hidden_character(text: str) -> str | None:
    """The first character `text` may not hold, named (e.g. 'U+0000 NUL'), or None."""
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ch in INVISIBLE:
            return f"U+{ord(ch):04X} {NAMES.get(ch) or unicodedata.name(ch, 'control character')}"
    return None


_SHORT = reprlib.Repr()  # Python 3.11 takes its limits as attributes
_SHORT.maxstring = _SHORT.maxother = SHOWN_CHARS
_SHORT.maxlist = _SHORT.maxdict = 4
_SHORT.maxlevel = 2


def shown_value(value) -> str:
    """A value as quoted in a message: escaped, on one line, cut short if long (never expanding a
    deeply nested value in full)."""
    return _SHORT.repr(value)
