"""Captions keep their symbols; the voice gets words.

A caption reads "σ′ ≈ 0 in the tails"; a narrator says "sigma prime is
approximately zero in the tails". :func:`spoken_form` makes the second from
the first with the table in ``config/pronunciation.toml`` (used for every beat
that gives no explicit ``say=``), and :func:`unspeakable` lists what a voice
could not say in a text, so a test can hold every scene's narration to words.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lecture.settings.configfile import ConfigError, read_toml

__all__ = ["PRONUNCIATION_FILE", "load_pronunciations", "spoken_form", "spoken_numbers", "unspeakable"]

PRONUNCIATION_FILE = Path(__file__).resolve().parents[2] / "config" / "pronunciation.toml"

#: What a spoken text may hold: plain letters, digits, spaces and the punctuation that only sets pauses.
_SAYABLE = re.compile(r"[A-Za-z0-9 .,;:!?'’\-]")
#: What may follow a replaced symbol and belong to its word: a possessive or plural ending.
_SUFFIX = re.compile(r"(?:['’]s|s)(?!\w)|-(?=\w)")
#: A decimal with three or more zeros after the point, e.g. 0.00005 (its zeros, its digits).
_SMALL_DECIMAL = re.compile(r"(?<![\w.])0\.(000+)([1-9]\d*)(?![\w.])")
#: A "word" of two or more consonants and no vowel ("kx", "wx") is spelled out or garbled by the voice.
_VOWELLESS = re.compile(r"\b[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{2,}\b")


@functools.cache
def load_pronunciations(path: Path = PRONUNCIATION_FILE) -> tuple[tuple[str, str], ...]:
    """The ``[say]`` table of ``path`` as (written, spoken) pairs, longest written form first.

    Raises
    ------
    ConfigError
        If the file or table is missing, or an entry is not text to text.
    """
    table = read_toml(path, "pronunciation table").get("say")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [say] table is missing")
    pairs = []
    for written, spoken in table.items():
        if not written or not isinstance(spoken, str):
            raise ConfigError(f"{path}: [say] {written!r} must map to the words to say, got {spoken!r}")
        pairs.append((written, spoken))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def spoken_form(caption: str, table: tuple[tuple[str, str], ...] | None = None) -> str:
    """``caption`` with every written form in ``table`` (default: the config's) replaced by its words.

    Replacements are made in one pass, longest written form first, so
    "σ(kx)" wins over "σ"; spaces are then tidied.

    Examples
    --------
    >>> spoken_form("σ′ ≈ 0 where σ(kx) is flat.", (("σ(kx)", "sigma of k x"), ("σ′", "sigma prime"),
    ...                                            ("≈", "is approximately"), ("σ", "sigma")))
    'sigma prime is approximately 0 where sigma of k x is flat.'
    """
    pairs = load_pronunciations() if table is None else table
    if pairs:
        pattern = _pattern(tuple(w for w, _ in pairs))
        words = dict(pairs)

        def replace(match: re.Match[str]) -> str:
            # "σ's", "σs" and "σ-shaped" stay one word ("sigma's", "sigmas"), not "sigma 's" said "sigma ess".
            suffix = _SUFFIX.match(match.string, match.end())
            return f" {words[match.group(0)]}" + ("" if suffix and words[match.group(0)] else " ")

        caption = pattern.sub(replace, caption)
    tidy = " ".join(spoken_numbers(caption).split())
    return re.sub(r" ([.,;:!?])", r"\1", tidy)


def spoken_numbers(text: str) -> str:
    """``text`` with decimals under a thousandth said in powers of ten.

    A run of zeros is easy to miscount aloud ("0.00005" is heard as "0.0005"), so
    "0.00005" is said "5 times 10 to the minus 5". Other numbers are left as written.

    Examples
    --------
    >>> spoken_numbers("within 0.00005 of 1, and 0.0067 at x = 5; 0.000012 too")
    'within 5 times 10 to the minus 5 of 1, and 0.0067 at x = 5; 1.2 times 10 to the minus 5 too'
    """

    def powers_of_ten(match: re.Match[str]) -> str:
        zeros, digits = match.group(1), match.group(2)
        mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
        return f"{mantissa} times 10 to the minus {len(zeros) + 1}"

    return _SMALL_DECIMAL.sub(powers_of_ten, text)


@functools.cache
def _pattern(written: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for every written form, longest first; a form that begins or ends with a letter
    or digit only matches there as a whole word (one ending in a Greek letter also before a plural "s")."""

    def alternative(form: str) -> str:
        before = r"(?<!\w)" if re.match(r"\w", form) else ""
        after = r"(?!\w)" if re.search(r"\w$", form) else ""
        if re.search(r"[^\W\d_A-Za-z]$", form):  # a Greek letter may take a plural "s": "σs"
            after = r"(?=s?(?!\w))"
        return before + re.escape(form) + after

    return re.compile("|".join(alternative(w) for w in sorted(written, key=len, reverse=True)))


def unspeakable(text: str) -> list[str]:
    """What in ``text`` a voice cannot say as words: symbols, and consonant clusters it would spell.

    Empty when the text is plain words, numbers and pausing punctuation.

    Examples
    --------
    >>> unspeakable("sigma of k x is approximately one half.")
    []
    >>> unspeakable("σ(kx) ≈ ½")
    ['σ', '(', ')', '≈', '½', 'kx']
    """
    symbols = list(dict.fromkeys(ch for ch in text if not _SAYABLE.fullmatch(ch)))
    return symbols + _VOWELLESS.findall(text)
