"""Unicode clean-up shared by every format, so rules see one spelling of each character.

PDFs in particular carry ligatures (``ﬁ``), soft hyphens, non-breaking and zero-width spaces,
curly quotes and odd dashes; a phrase pattern written as ``fiduciary`` must still match.
"""

from __future__ import annotations

import re
import unicodedata

# Characters mapped one-to-one (or removed) before NFKC; NFKC alone would leave these alone or
# turn them into something less useful for matching.
_TRANSLATE = str.maketrans(
    {
        "\u00ad": None,  # soft hyphen: only marks a possible break
        "\u200b": None,  # zero-width space
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u2060": None,  # word joiner
        "\ufeff": None,  # stray BOM / zero-width no-break space
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        # guillemets quote defined terms in translated drafting: 'hereinafter the «Provider»'
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "\u2022": "*",  # bullet
        "\u25cf": "*",
        "\u25aa": "*",
        "\uf0b7": "*",  # Symbol-font bullet in the private use area
        "\u2026": "...",
        "\t": " ",
        "\x0b": "\n",  # vertical tab: Word's manual line break in some exports
        "\x0c": "\n",
    }
)
_GUILLEMET_SPACE = re.compile(r"(?<=\u00ab)[ \u00a0\u202f\t]+|[ \u00a0\u202f\t]+(?=\u00bb)")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \u2000-\u200a\u205f\u3000]+")
_ASCII = re.compile(r"[\x20-\x7e\n]*")


def normalize(text: str) -> str:
    """Return ``text`` with one spelling per character and single spaces; newlines are kept."""
    if _ASCII.fullmatch(text):  # the common case: nothing to do but collapse spaces
        return _SPACES.sub(" ", text) if "  " in text else text
    if "\u00ab" in text or "\u00bb" in text:  # "« Prestataire »" reads as "Prestataire" quoted
        text = _GUILLEMET_SPACE.sub("", text)
    text = text.translate(_TRANSLATE)
    text = unicodedata.normalize("NFKC", text)  # ligatures, full-width forms, compatibility chars
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text)
