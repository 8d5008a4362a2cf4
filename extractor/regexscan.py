"""Faster ``finditer`` for the attribute patterns: the same matches, found
by trying each expression only where a match can start.

Python's ``re`` skips quickly to the possible start of a match only when an
expression opens with a literal or a character class; one that opens with a
lookbehind (``(?<![\\w-])daily``) or a case-insensitive alternation of words
is tried, in full, at every position of the text.

From the parsed expression, once, :class:`Scanner` derives its *prefixes*:
short sequences of character classes (up to six, a run such as ``\\s{0,24}``
counting as one) one of which every match starts with. The scanning
expression is the class of first characters (case-sensitive, so ``re`` skips
to them), the expression's leading lookbehinds re-anchored one character
later, and a lookahead for the rest of the prefixes that go with that first
character. The expression itself is tried only where the scan stops, from the
end of the previous match on, which gives exactly ``regex.finditer(text)``.

Case-insensitive expressions are scanned in the lower-cased text
(:func:`plain_lower`) with lower-case classes, unless the document has a
letter that lower-casing would make behave differently; then in the text
itself, with the first characters only. :class:`ScannerSet` scans the
expressions that cannot start right after a word character (their
lookbehinds say so) in one pass that stops only at other characters, and
dispatches each stop to the expressions that can start with its first three
characters. An expression the analysis cannot bound (one that can match the
empty string, or starts with ``.``) is run with plain ``finditer``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from typing import Any, Callable, Iterator

from .resources import data_path

try:  # Python 3.11
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | (
    {_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set()
)
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
_ASCII = [chr(code) for code in range(128)]
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


# Stored analyses (issue #9: load time).  Parsing the long expressions to
# plan their scans cost about a fifth of the pipeline's load time; the
# results for the bundled patterns are shipped in ``data/regex_analyses.json``,
# a build product of ``tools/build_regex_analyses.py`` (``tests/
# test_regexscan.py`` checks it is in sync).  Each entry is keyed by a hash
# of the analysis, the expression, its flags and arguments, and the Python
# version (its parser decides the parsed form): any other expression, or a
# changed one, is analysed as before.
ANALYSES_FILE = "regex_analyses.json"
_stored: dict[str, Any] | None = None
_recording: dict[str, Any] | None = None  # set by :func:`record_analyses`
_use_stored = True


def _python() -> str:
    return "%d.%d" % sys.version_info[:2]


def _stored_table() -> dict[str, Any]:
    global _stored
    if _stored is None:
        try:
            table = json.loads(data_path(ANALYSES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            table = {}
        _stored = table.get("analyses", {}) if table.get("python") == _python() else {}
    return _stored


def analysis_key(kind: str, pattern: str, flags: int, *arguments) -> str:
    """The key of one analysis of one expression in the stored table."""
    text = json.dumps([_python(), kind, pattern, flags, list(arguments)], ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def stored_analysis(kind: str, pattern: str, flags: int, arguments: tuple, compute: Callable[[], Any],
                    encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> Any:
    """``compute()``, or its stored result (``decode`` of what ``encode``
    made of it) when the table holds this analysis of this expression.
    ``compute`` raising: nothing is stored."""
    key = analysis_key(kind, pattern, flags, *arguments)
    if _use_stored:
        table = _stored_table()
        if key in table:
            return decode(table[key])
    value = compute()
    if _recording is not None:
        _recording[key] = encode(value)
    return value


class record_analyses:
    """``with record_analyses() as table:`` computes every analysis afresh
    (the stored table unused) and collects the encoded results in ``table``
    (for ``tools/build_regex_analyses.py`` and the sync test)."""

    def __enter__(self) -> dict[str, Any]:
        global _recording, _use_stored
        self._saved = (_recording, _use_stored)
        _recording, _use_stored = {}, False
        parsed_pattern.cache_clear()
        return _recording

    def __exit__(self, *exc) -> None:
        global _recording, _use_stored
        _recording, _use_stored = self._saved


def analyses_document(table: dict[str, Any]) -> dict[str, Any]:
    """The content of ``data/regex_analyses.json`` for a recorded ``table``."""
    return {"python": _python(), "analyses": dict(sorted(table.items()))}


def _tupled(value):
    """JSON lists back to the tuples they were."""
    return tuple(_tupled(item) for item in value) if isinstance(value, list) else value


def _encode_plan(plan: "_Plan | None"):
    if plan is None:
        return None
    return {"prefixes": sorted(plan.prefixes), "lookbehinds": plan.lookbehinds, "flags": plan.flags,
            "at_start": plan.at_start, "gate": plan.gate, "anchors": plan.anchors}


def _decode_plan(data) -> "_Plan | None":
    if data is None:
        return None
    plan = _Plan({tuple(prefix) for prefix in data["prefixes"]}, _tupled(data["lookbehinds"]), data["flags"],
                 data["at_start"])
    plan.gate = _tupled(data["gate"])
    plan.anchors = _tupled(data["anchors"])
    return plan


# a pseudo-item of a parsed expression: the flags in force from there on
_SET_FLAGS = object()


class _Unbounded(Exception):
    """The analysis cannot bound where a match starts."""


class _TooMany(Exception):
    """Too many prefixes: try shorter ones."""


# a source that turns case-insensitivity off somewhere (``(?-i:...)``): its
# lookbehinds cannot be checked in the lower-cased text
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]*-[aLmsux]*i")
# at most this many prefixes per expression, and this many analysis steps
MAX_PREFIXES = 400
MAX_STEPS = 40000
# a group dispatches each stop on this many characters, remembering at most
# this many of their strings
KEY_LENGTH = 3
MAX_KEYS = 100_000


def _render(op, av) -> str | None:
    """Source of one character-consuming item, case-sensitive as parsed."""
    if op is _sre.LITERAL:
        return re.escape(chr(av))
    if op is _sre.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    if op is _sre.IN:
        parts = []
        for kind, value in av:
            if kind is _sre.NEGATE and not parts:
                parts.append("^")
            elif kind is _sre.LITERAL:
                parts.append(re.escape(chr(value)))
            elif kind is _sre.RANGE:
                parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is _sre.CATEGORY and value in _CATEGORIES:
                parts.append(_CATEGORIES[value])
            else:
                return None
        return f"[{''.join(parts)}]"
    return None


@lru_cache(maxsize=4096)
def _ascii_class(source: str, flags: int, lowered: bool) -> str:
    """A case-sensitive class of the ASCII characters ``source`` matches with
    ``flags`` (only lower-case letters for a lowered text), plus every
    non-ASCII character."""
    regex = re.compile(source, flags)
    # written as the ASCII characters it excludes: a class over the whole of
    # Unicode takes ``re`` long to compile
    excluded = [ord(c) for c in _ASCII if not regex.fullmatch(c) or (lowered and c != c.lower())]
    return "[^" + _ranges(excluded) + "]"


def _ranges(codes: list[int]) -> str:
    """The inside of a class of the sorted character codes, runs as ranges."""
    parts = []
    index = 0
    while index < len(codes):
        end = index
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        first, last = re.escape(chr(codes[index])), re.escape(chr(codes[end]))
        parts.append(first if end == index else f"{first}{last}" if end == index + 1 else f"{first}-{last}")
        index = end + 1
    return "".join(parts)


def _atom(op, av, mode: str, flags: int) -> str | None:
    """A case-sensitive class for one consuming item of the expression.

    ``exact``: the expression is case-sensitive, scanned in its own text;
    ``lower``: case-insensitive, scanned in the lower-cased text of a
    document whose non-ASCII characters have no case; ``fold``:
    case-insensitive, scanned in its own text."""
    source = _render(op, av)
    if source is None:
        return None
    if mode == "exact":
        return source
    if mode == "lower" and op is _sre.LITERAL and av < 128:
        return re.escape(chr(av).lower())
    return _ascii_class(source, flags & ~re.DEBUG, mode == "lower")


def _prefixes(items, flags: int, mode: str, length: int) -> tuple[set[tuple[str, ...]], bool]:
    """Sequences of at most ``length`` classes, one of which every match of
    the parsed expression starts with (a sequence shorter than ``length``
    stops where the analysis stops: it only says less), except the matches
    at the start of the text of an expression that opens with ``^``/``\\A``
    (then the second value is true)."""
    found: set[tuple[str, ...]] = set()
    at_start = False
    steps = 0

    def walk(items, index: int, prefix: tuple[str, ...], rest: tuple, size: int) -> None:
        nonlocal steps, at_start, flags
        steps += 1
        if steps > MAX_STEPS or len(found) > MAX_PREFIXES:
            raise _TooMany
        if size >= length:
            found.add(prefix)
            return
        if index == len(items):
            if rest:
                walk(rest[-1][0], rest[-1][1], prefix, rest[:-1], size)
            else:
                found.add(prefix)  # the end of the expression
            return
        op, av = items[index]
        after = rest + ((items, index + 1),)
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
            atom = _atom(op, av, mode, flags)
            if atom is None:
                found.add(prefix)
            else:
                walk(items, index + 1, prefix + (atom,), rest, size + 1)
        elif op is _sre.AT and (av is _sre.AT_BEGINNING_STRING
                                or (av is _sre.AT_BEGINNING and not flags & re.MULTILINE)):
            # only at the start of the text: checked there apart (a match
            # cannot start later on this path)
            at_start = at_start or not prefix
        elif op in _ZERO_WIDTH:
            walk(items, index + 1, prefix, rest, size)
        elif op is _SET_FLAGS:
            # the flags of a scoped group (``(?-i:...)``) from here on, the
            # outer ones again after it
            outer, flags = flags, av
            try:
                walk(items, index + 1, prefix, rest, size)
            finally:
                flags = outer
        elif op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, pattern = av
            if (add_flags or del_flags) and mode == "fold" and not (add_flags | del_flags) & ~re.IGNORECASE:
                # case-sensitivity turned on or off inside: its classes say so
                scoped = [(_SET_FLAGS, (flags | add_flags) & ~del_flags)] + list(pattern) + [(_SET_FLAGS, flags)]
                walk(scoped, 0, prefix, after, size)
            elif add_flags or del_flags:
                found.add(prefix)
            else:
                walk(pattern, 0, prefix, after, size)
        elif op is _sre.BRANCH:
            for alternative in av[1]:
                walk(alternative, 0, prefix, after, size)
        elif op in _REPEATS:
            low, high, pattern = av
            if low == 0 or high == 0:
                walk(items, index + 1, prefix, rest, size)
            if high == 0:
                return
            if high > 1 and len(pattern) == 1 and pattern[0][0] in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
                # a run of one class (``\\s{0,24}``, ``\\d+``): one character,
                # then the rest of the run as one element
                atom = _atom(pattern[0][0], pattern[0][1], mode, flags)
                if atom is None:
                    found.add(prefix)
                    return
                more = f"{{{max(low - 1, 0)},}}" if high == _sre.MAXREPEAT else f"{{{max(low - 1, 0)},{high - 1}}}"
                walk(items, index + 1, prefix + (atom, atom + more), rest, size + 1)
            elif high == 1:
                walk(pattern, 0, prefix, after, size)
            elif high > 1:
                # one repetition, then the others (at least ``low - 1``) and the rest
                again = (op, (max(low - 1, 0), high if high == _sre.MAXREPEAT else high - 1, pattern))
                walk(pattern, 0, prefix, rest + (([again] + list(items[index + 1:]), 0),), size)
        elif _ATOMIC is not None and op is _ATOMIC:
            walk(av, 0, prefix, after, size)
        else:
            found.add(prefix)  # anything else: the prefix ends here

    walk(list(items), 0, (), (), 0)
    return found, at_start


def _by_first(sequences) -> dict[str, set[tuple[str, ...]]]:
    """The (non-empty) sequences grouped by their first element: {first: {rests}}."""
    groups: dict[str, set[tuple[str, ...]]] = {}
    for sequence in sequences:
        groups.setdefault(sequence[0], set()).add(sequence[1:])
    return groups


def _alternatives(sequences: set[tuple[str, ...]]) -> str:
    """One expression matching a prefix of each sequence of classes, the
    sequences merged on their common starts; ``""`` when one is empty."""
    if () in sequences:
        return ""
    branches = [atom + _alternatives(rest) for atom, rest in sorted(_by_first(sequences).items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# an element of a prefix that is the rest of a run of one class (``X{0,23}``)
_RUN = re.compile(r"(.*)\{(\d+),(\d*)\}", re.DOTALL)


def _decisive_head(prefix: tuple[str, ...], length: int) -> tuple[str, ...]:
    """The elements of ``prefix`` that can decide the first ``length``
    characters: those after at least ``length`` characters cannot."""
    least = 0
    for index, element in enumerate(prefix):
        if least >= length:
            return prefix[:index]
        run = _RUN.fullmatch(element)
        least += 1 if run is None else int(run.group(2))
    return prefix


def _first_chars(prefixes: set[tuple[str, ...]], length: int) -> str:
    """An expression that fully matches the strings of at most ``length``
    characters that some match starting with one of the prefixes can begin
    with: each prefix may end after any of its characters, in the middle of
    a run too, and says nothing of what follows its end."""

    def rest(elements: tuple[str, ...]) -> str:
        if not elements:
            return r"[\s\S]*"  # the prefix says nothing further
        run = _RUN.fullmatch(elements[0])
        if run is None:
            return f"(?:{elements[0]}{rest(elements[1:])})?"
        atom, low, high = run.group(1), run.group(2), run.group(3)
        # the whole run then the rest, or the text ends inside the run
        return f"(?:{atom}{{{low},{high}}}{rest(elements[1:])}|{atom}{{0,{high}}})"

    heads = {_decisive_head(prefix, length) for prefix in prefixes}
    return "|".join(sorted({f"{prefix[0]}{rest(prefix[1:])}" for prefix in heads}))


def _first_chars_factored(prefixes: set[tuple[str, ...]], length: int) -> str:
    """:func:`_first_chars` written with the prefixes merged on their common
    starts: the same language, a third of the length, compiled twice as
    fast (issue #9: load time).  Only for ``fullmatch`` tests, where the
    order of alternatives cannot matter.  Per element ``e`` (``L``: what may
    follow it), the flat form is ``(?:e L)?``, or ``(?:e L|a{0,n})`` for a run
    ``a{m,n}``; the union over prefixes sharing ``e`` is ``e`` followed by the
    union of their ``L``, and anything at all once a prefix has ended."""

    def rest(tails: set[tuple[str, ...]]) -> str:
        if () in tails:
            return r"[\s\S]*"  # a prefix has ended: it says nothing further
        branches, optional = [], False
        for element, after in sorted(_by_first(tails).items()):
            run = _RUN.fullmatch(element)
            if run is None:
                branches.append(f"{element}{rest(after)}")
                optional = True
            else:
                atom, low, high = run.group(1), run.group(2), run.group(3)
                branches.append(f"{atom}{{{low},{high}}}{rest(after)}|{atom}{{0,{high}}}")
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    heads = {_decisive_head(prefix, length) for prefix in prefixes}
    return "|".join(f"{first}{rest(tails)}" for first, tails in sorted(_by_first(heads).items()))


def _group_end(source: str, start: int) -> int:
    """Index just after the parenthesis closing the group opened at ``start``."""
    depth = 0
    index = start
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index += 1
            if source[index:index + 1] == "^":
                index += 1
            if source[index:index + 1] == "]":
                index += 1
            while index < len(source) and source[index] != "]":
                index += 2 if source[index] == "\\" else 1
            index += 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise _Unbounded


def _leading_lookbehinds(source: str) -> list[tuple[str, str]]:
    """The lookbehinds the expression's source opens with, as (``(?<!`` or
    ``(?<=``, body) pairs; a group of alternative lookbehinds
    (``(?:(?<=given\\s)|(?<=administered\\s))``) as (``|``, its pairs)."""
    found = []
    position = 0
    while True:
        if source.startswith(("(?<!", "(?<="), position):
            end = _group_end(source, position)
            found.append((source[position:position + 4], source[position + 4:end - 1]))
            position = end
            continue
        alternatives = _lookbehind_alternatives(source, position)
        if alternatives is None:
            return found
        found.append(("|", alternatives[0]))
        position = alternatives[1]


def _lookbehind_alternatives(source: str, position: int) -> tuple[tuple[tuple[str, str], ...], int] | None:
    """The lookbehinds of a non-capturing group at ``position`` each of whose
    alternatives is one lookbehind, and the index after the group; ``None``
    for any other source there."""
    if not source.startswith("(?:", position):
        return None
    end = _group_end(source, position)
    inside, stop = position + 3, end - 1
    pairs = []
    while True:
        if not source.startswith(("(?<!", "(?<="), inside):
            return None
        after = _group_end(source, inside)
        pairs.append((source[inside:inside + 4], source[inside + 4:after - 1]))
        if after == stop:
            return tuple(pairs), end
        if source[after] != "|":
            return None
        inside = after + 1


class _Plan:
    """What a scanning expression is made of: the prefixes every match starts
    with, the expression's leading lookbehinds, and its flags."""

    def __init__(self, prefixes: set[tuple[str, ...]], lookbehinds: tuple[tuple[str, str], ...], flags: int,
                 at_start: bool = False):
        self.prefixes = prefixes
        self.at_start = at_start  # a match at the start of the text needs a check of its own
        self.lookbehinds = lookbehinds
        self.flags = flags
        self.gate: tuple[str, ...] | None = None  # see :func:`_gate`
        self.anchors: tuple[tuple[str, int], ...] | None = None  # see :func:`_anchors`

    def excluded_before(self) -> frozenset[str]:
        """ASCII characters that rule a match out when they come right
        before it (those of a one-character negative lookbehind)."""
        excluded: set[str] = set()
        for kind, body in self.lookbehinds:
            if kind != "(?<!":
                continue
            if _sre_parse.parse(body, self.flags).getwidth() != (1, 1):
                continue
            regex = re.compile(body, self.flags & (re.IGNORECASE | re.ASCII | re.UNICODE))
            excluded.update(c for c in _ASCII if regex.fullmatch(c))
        return frozenset(excluded)

    def first_class(self) -> re.Pattern[str]:
        return re.compile(_ascii_class("|".join(sorted({p[0] for p in self.prefixes})), 0, False))

    def compile(self) -> re.Pattern[str]:
        """An expression that matches where a match of the plan's expression
        can start, one character long.

        Two forms, the same positions: ``(?:a<lookbehinds>(?=rest of the
        prefixes after a)|b...)``, one alternative per first character
        (``re`` skips an alternative on its first character at once, and to
        the first characters when they are all literals), unless the
        expression has leading lookbehinds and a first character is a
        class: then ``[first characters]`` (``re`` skips to them), the
        lookbehinds one character later, and the rest of the prefixes
        (fewer stops to check when the lookbehinds are selective)."""
        scoped = "(?i:{})" if self.flags & re.IGNORECASE else "(?:{})"
        # each lookbehind re-anchored one character later: ``(?<!X)`` -> ``(?<!(?:X)[\\s\\S])``
        behind = "".join(scoped.format(_reanchored(kind, body)) for kind, body in self.lookbehinds)
        by_first = _by_first(self.prefixes)
        flags = self.flags & (re.ASCII | re.UNICODE | re.DOTALL | re.MULTILINE)
        if not self.lookbehinds or not any(atom.startswith("[") for atom in by_first):
            branches = []
            for atom, tails in sorted(by_first.items()):
                rest = _alternatives(tails)
                branches.append(atom + behind + (f"(?={rest})" if rest else ""))
            return re.compile("(?:" + "|".join(branches) + ")", flags)
        source = self.first_class().pattern + behind
        checks = []
        for atom, tails in sorted(by_first.items()):
            rest = _alternatives(tails)
            checks.append(f"(?<={atom})" + (f"(?={rest})" if rest else ""))
        if len(checks) > 1 or "(?=" in checks[0]:
            source += "(?:" + "|".join(checks) + ")"
        return re.compile(source, flags)


def _checked_lookbehinds(found: list, items) -> tuple:
    """``found`` up to its first lookbehind (or group of alternative
    lookbehinds) that is not, in the parsed expression, one of its leading
    items (a top-level ``|`` after it, or a quantifier, would make it bind
    less than the whole expression): the scan may only leave out checks,
    never add them."""
    for index, (kind, body) in enumerate(found):
        item = items[index] if index < len(items) else None
        if kind != "|":
            expected = _sre.ASSERT if kind == "(?<=" else _sre.ASSERT_NOT
            if item is None or item[0] is not expected or item[1][0] != -1:
                return tuple(found[:index])  # ``(?<!x)a|b``: not a lookbehind of the whole expression
            continue
        if item is None or item[0] is not _sre.BRANCH or len(item[1][1]) != len(body):
            return tuple(found[:index])
        for alternative, (inner, _body) in zip(item[1][1], body):
            expected = _sre.ASSERT if inner == "(?<=" else _sre.ASSERT_NOT
            if len(alternative) != 1 or alternative[0][0] is not expected or alternative[0][1][0] != -1:
                return tuple(found[:index])
    return tuple(found)


def _gate(lookbehinds: tuple, flags: int, mode: str) -> tuple[str, ...] | None:
    """Strings one of which the scanned text must hold for the expression
    to match anywhere: the literal parts of its first leading positive
    lookbehind (``(?<=concentration of )``, or each of a group of them),
    lower-cased for a scan in the lower-cased text; ``None`` when there is
    no such lookbehind (or the scan is case-folded).  ``lookbehinds``: as
    :func:`_checked_lookbehinds` returns them, each a leading item of the
    parsed expression."""
    if mode == "fold":
        return None
    pairs = _first_positive_lookbehinds(lookbehinds)
    if pairs is None:
        return None
    literals = tuple(_literal(inner_body, flags, mode == "lower") for _kind, inner_body in pairs)
    return literals if all(literals) else None


def _anchors(lookbehinds: tuple, flags: int, mode: str) -> tuple[tuple[str, int], ...] | None:
    """Where the literals of :func:`_gate` stand: for each, the literal and
    the number of characters between its end and the start of the match
    (a lookbehind has a fixed width, and so has each of its top-level
    items), so a match can start only that far after an occurrence of one
    of them; ``None`` when :func:`_gate` gives no literals."""
    if mode == "fold":
        return None
    pairs = _first_positive_lookbehinds(lookbehinds)
    if pairs is None:
        return None
    anchors = tuple(_literal_at(inner_body, flags, mode == "lower") for _kind, inner_body in pairs)
    return anchors if all(anchors) else None


def _first_positive_lookbehinds(lookbehinds: tuple) -> tuple | None:
    """The first leading positive lookbehind, or group of them, as
    ``(kind, body)`` pairs; ``None`` when there is none."""
    for kind, body in lookbehinds:
        if kind == "(?<=":
            return ((kind, body),)
        if kind == "|" and all(inner == "(?<=" for inner, _body in body):
            return body
    return None


def _literal(body: str, flags: int, lower: bool) -> str | None:
    """The longest run of literal ASCII characters (three or more) that
    every match of ``body`` holds; ``None`` when there is none."""
    found = _literal_at(body, flags, lower, need_width=False)
    return found[0] if found else None


def _literal_at(body: str, flags: int, lower: bool, need_width: bool = True) -> tuple[str, int] | None:
    """The longest run of literal ASCII characters (three or more) of the
    top-level items of ``body`` (so every match holds it), and the fixed
    width of the items after it (``-1`` when not asked for); ``None`` when
    there is no such run, or (asked for) the width after it is not fixed."""
    try:
        parsed = _sre_parse.parse(body, flags & (re.IGNORECASE | re.ASCII | re.UNICODE))
    except re.error:
        return None
    items = list(parsed.data if hasattr(parsed, "data") else parsed)
    best, run, best_end = "", "", 0
    for index, (op, av) in enumerate(items + [(None, None)]):
        if op is _sre.LITERAL and av < 128:
            run += chr(av)
            continue
        if len(run) > len(best):
            best, best_end = run, index
        run = ""
    if len(best) < 3:
        return None
    after = -1
    if need_width:
        try:
            low, high = _sre_parse.SubPattern(parsed.state, items[best_end:]).getwidth()
        except (re.error, RecursionError):
            return None
        if low != high:
            return None
        after = low
    return (best.lower() if lower else best), after


def _reanchored(kind: str, body) -> str:
    """A leading lookbehind checked one character later: ``(?<!X)`` ->
    ``(?<!(?:X)[\\s\\S])``; alternatives (kind ``|``) each so."""
    if kind == "|":
        return "(?:" + "|".join(_reanchored(k, b) for k, b in body) + ")"
    return f"{kind}(?:{body})[\\s\\S])"


@lru_cache(maxsize=8)  # the analyses of one expression follow each other; few parse trees stay in memory
def parsed_pattern(pattern: str, flags: int):
    """``re._parser.parse(pattern, flags)``, kept: the analyses of one
    expression here and in drugs.py (its plan, its opening ``\\b``, the
    characters it can consume) read the same parsed form, which for the long
    class-phrase expressions costs tenths of a second to build.  Callers
    only read it (never change it)."""
    return _sre_parse.parse(pattern, flags)


def _plan(regex: re.Pattern[str], mode: str, max_length: int) -> _Plan | None:
    """The scanning plan of ``regex`` for ``mode`` (see :func:`_atom`)."""
    return stored_analysis("plan", regex.pattern, regex.flags, (mode, max_length),
                           lambda: _computed_plan(regex, mode, max_length), _encode_plan, _decode_plan)


def _computed_plan(regex: re.Pattern[str], mode: str, max_length: int) -> _Plan | None:
    parsed = parsed_pattern(regex.pattern, regex.flags)
    flags = parsed.state.flags
    items = parsed.data if hasattr(parsed, "data") else parsed
    if parsed.getwidth()[0] == 0:
        return None  # can match the empty string: finditer's own rules
    lookbehinds = _checked_lookbehinds(_leading_lookbehinds(regex.pattern), items)
    if not lookbehinds and _opens_at_line_start(items, flags):
        # ``(?m)^...``: a match starts the text or follows a newline
        items = list(items)[1:]
        lookbehinds = (("(?<!", "[^\\n]"),)
    for length in range(max_length, 0, -1):
        try:
            prefixes, at_start = _prefixes(items, flags, mode, length)
        except _TooMany:
            continue
        break
    else:
        return None
    if not prefixes or () in prefixes:
        return None  # a match may start anywhere
    plan = _Plan(prefixes, lookbehinds, flags, at_start)
    plan.gate = _gate(lookbehinds, flags, mode)
    if plan.gate is not None:
        plan.anchors = _anchors(lookbehinds, flags, mode)
    return plan


class Scanner:
    """``finditer`` of one compiled expression, tried only where it can start."""

    def __init__(self, regex: re.Pattern[str], max_length: int = 6):
        self.regex = regex
        self.max_length = max_length
        self.lower_plan: _Plan | None = None  # in its lower-cased text
        self.lower_scanner: re.Pattern[str] | None = None
        self._plan: _Plan | None = None  # in the text itself
        self._scanner: re.Pattern[str] | None = None
        self._usable = isinstance(regex.pattern, str) and not regex.flags & (re.VERBOSE | re.LOCALE)
        self._ignore_case = bool(regex.flags & re.IGNORECASE)
        self._built = not self._usable
        if not self._usable:
            return
        if self._ignore_case:
            # scanning the text itself is only for documents with cased
            # non-ASCII letters: built when one comes
            try:
                if not _INLINE_FLAGS.search(regex.pattern):
                    self.lower_plan = _plan(regex, "lower", max_length)
                self.lower_scanner = self.lower_plan.compile() if self.lower_plan else None
            except (_Unbounded, re.error, RecursionError):
                self.lower_plan = self.lower_scanner = None
        else:
            self._build()

    def _build(self) -> None:
        self._built = True
        try:
            self._plan = _plan(self.regex, "fold" if self._ignore_case else "exact",
                               1 if self._ignore_case else self.max_length)
            self._scanner = self._plan.compile() if self._plan else None
        except (_Unbounded, re.error, RecursionError):
            self._plan = self._scanner = None

    @property
    def plan(self) -> _Plan | None:
        """The plan of the scan in the text itself (``None``: plain ``finditer``)."""
        if not self._built:
            self._build()
        return self._plan

    @property
    def scanner(self) -> re.Pattern[str] | None:
        if not self._built:
            self._build()
        return self._scanner

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        """The matches of ``regex.finditer(text)``; ``lowered`` is
        :func:`plain_lower` of ``text`` (``None`` when it has none)."""
        scanner, plan, scanned = self.scanner, self.plan, text
        if lowered is not None and self.lower_scanner is not None:
            scanner, plan, scanned = self.lower_scanner, self.lower_plan, lowered
        if scanner is None:
            yield from self.regex.finditer(text)
            return
        gate = plan.gate
        if gate is not None and not any(literal in scanned for literal in gate):
            return  # the leading lookbehind can hold nowhere
        search = scanner.search
        match = self.regex.match
        position = 0
        if plan.at_start and text:
            found = match(text, 0)
            if found is not None:
                yield found
                position = found.end()
        anchors = plan.anchors
        if anchors is not None:
            # a match starts a fixed distance after a literal of its leading
            # lookbehind: look only there (``str.find`` skips to the few
            # occurrences), in order, as the scan below would stop
            starts = set()
            find = scanned.find
            for literal, after in anchors:
                size = len(literal) + after
                index = find(literal)
                while index != -1:
                    starts.add(index + size)
                    index = find(literal, index + 1)
            check = scanner.match
            limit = len(scanned)
            for start in sorted(starts):
                if start < position or start > limit or check(scanned, start) is None:
                    continue
                found = match(text, start)
                if found is not None:
                    yield found
                    position = found.end()
            return
        while True:
            candidate = search(scanned, position)
            if candidate is None:
                return
            start = candidate.start()
            found = match(text, start)
            if found is None:
                position = start + 1
            else:
                yield found
                position = found.end()


def start_scanner(regex: re.Pattern[str], max_length: int = 6) -> re.Pattern[str] | None:
    """A case-sensitive expression that, searched in the text itself (with
    the same ``pos`` and ``endpos``), stops at every position where
    ``regex.match`` can succeed, and at few others; ``None`` when the
    analysis cannot bound where a match starts (or a match can start only at
    the start of the text)."""
    if not isinstance(regex.pattern, str) or regex.flags & (re.VERBOSE | re.LOCALE):
        return None
    try:
        plan = _plan(regex, "fold" if regex.flags & re.IGNORECASE else "exact", max_length)
        if plan is None or plan.at_start:
            return None
        scanner = plan.compile()
    except (_Unbounded, re.error, RecursionError):
        return None
    if _opens_with_boundary(regex):
        # every match starts at a word boundary: so do the stops
        scanner = re.compile(r"\b" + scanner.pattern, scanner.flags)
    return scanner


def _opens_with_boundary(regex: re.Pattern[str]) -> bool:
    """Whether each top-level alternative of ``regex`` opens with ``\\b``."""
    return stored_analysis("opens_with_boundary", regex.pattern, regex.flags, (),
                           lambda: _computed_opens_with_boundary(regex), bool, bool)


def _computed_opens_with_boundary(regex: re.Pattern[str]) -> bool:
    parsed = parsed_pattern(regex.pattern, regex.flags)
    items = list(parsed.data if hasattr(parsed, "data") else parsed)
    if len(items) == 1 and items[0][0] is _sre.BRANCH:
        alternatives = [list(alternative) for alternative in items[0][1][1]]
    else:
        alternatives = [items]
    return all(alternative and alternative[0] == (_sre.AT, _sre.AT_BOUNDARY) for alternative in alternatives)


class _Group:
    """Expressions that cannot start right after a word character (their
    lookbehinds say so), scanned together: one pass stops only at the other
    characters, where the union of their prefixes follows; each expression
    is then checked only there."""

    def __init__(self, members: list[int], scanners: list[Scanner], lower: bool, excluded: frozenset[str]):
        self.members = members
        self.lower = lower
        plans = [scanners[i].lower_plan if lower else scanners[i].plan for i in members]
        prefixes = set().union(*(plan.prefixes for plan in plans))
        before = "[^" + _ranges(sorted(ord(c) for c in excluded)) + "]"
        self.union = re.compile(f"{before}(?={_alternatives(prefixes)})")
        self.checks = [(scanners[i].lower_scanner if lower else scanners[i].scanner).match for i in members]
        self.matches = [scanners[i].regex.match for i in members]
        everyone = tuple(range(len(members)))
        firsts = [plan.first_class() for plan in plans]
        # which members can start with each ASCII character (all of them: any other)
        self.dispatch = {c: tuple(j for j in everyone if firsts[j].fullmatch(c)) for c in _ASCII}
        self.everyone = everyone
        # which members can start with up to KEY_LENGTH ASCII characters,
        # filled as the keys are met
        self.key_checks = [re.compile(_first_chars_factored(plan.prefixes, KEY_LENGTH)) for plan in plans]
        self.keys: dict[str, tuple[int, ...]] = {}

    def run(self, text: str, scanned: str, results: list) -> None:
        dispatch, everyone, checks, matches = self.dispatch, self.everyone, self.checks, self.matches
        found: list[list[re.Match[str]]] = [[] for _ in self.members]
        next_start = [0] * len(self.members)
        starts = [0] if scanned else []  # nothing comes before the first character
        starts += [candidate.end() for candidate in self.union.finditer(scanned)]
        keys, key_checks = self.keys, self.key_checks
        if len(keys) > MAX_KEYS:
            keys.clear()
        for start in starts:
            key = scanned[start:start + KEY_LENGTH]
            candidates = keys.get(key)
            if candidates is None:
                if key.isascii():
                    candidates = keys[key] = tuple(j for j in dispatch[key[0]] if key_checks[j].fullmatch(key))
                else:
                    candidates = dispatch.get(key[:1], everyone)
            for j in candidates:
                if start < next_start[j] or checks[j](scanned, start) is None:
                    continue
                match = matches[j](text, start)
                if match is not None:
                    found[j].append(match)
                    next_start[j] = match.end()
        for index, matches_of in zip(self.members, found):
            results[index] = matches_of


# a group's members all exclude at least these characters before a match
_WORD = frozenset(c for c in _ASCII if c.isalnum() or c == "_")


class ScannerSet:
    """``finditer`` of several expressions over one text, those that cannot
    start right after a word character scanned together: ``find_all``
    returns, for each expression in order, exactly the matches of its
    ``finditer``."""

    def __init__(self, regexes: list[re.Pattern[str]], max_length: int = 6):
        self.scanners = [Scanner(regex, max_length) for regex in regexes]
        self.groups: list[_Group] = []
        self.alone: list[int] = []  # scanned one by one
        grouped: dict[bool, list[int]] = {True: [], False: []}
        for index, scanner in enumerate(self.scanners):
            if scanner.lower_scanner is not None and _WORD <= scanner.lower_plan.excluded_before() \
                    and not scanner.lower_plan.at_start:
                grouped[True].append(index)
            elif (scanner.scanner is not None and not scanner.regex.flags & re.IGNORECASE
                  and _WORD <= scanner.plan.excluded_before() and not scanner.plan.at_start):
                grouped[False].append(index)
            else:
                self.alone.append(index)
        for lower, members in grouped.items():
            if len(members) == 1:
                self.alone.extend(members)
            elif members:
                plans = [self.scanners[i].lower_plan if lower else self.scanners[i].plan for i in members]
                excluded = frozenset.intersection(*(plan.excluded_before() for plan in plans))
                self.groups.append(_Group(members, self.scanners, lower, excluded))

    def find_all(self, text: str, lowered: str | None = None) -> list[list[re.Match[str]]]:
        """``lowered`` is :func:`plain_lower` of ``text``."""
        if lowered is None:
            return [list(scanner.finditer(text)) for scanner in self.scanners]
        results: list = [None] * len(self.scanners)
        for group in self.groups:
            group.run(text, lowered if group.lower else text, results)
        for index in self.alone:
            results[index] = list(self.scanners[index].finditer(text, lowered))
        return results


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# non-ASCII characters a case-insensitive ASCII letter matches (``ı``, ``ſ``, Kelvin sign)
_FOLDS_TO_ASCII = re.compile(r"[a-z]", re.IGNORECASE)
_CLASSES = (re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s"))


def plain_lower(text: str) -> str | None:
    """``text`` lower-cased, when a case-insensitive expression finds the
    same things at the same offsets in both: each character lower-cases to
    one character, no non-ASCII character matches an ASCII letter, and a
    non-ASCII letter and its lower case are alike for ``\\w``, ``\\d`` and
    ``\\s``, and no capital sigma (lower-cased by its context); ``None``
    otherwise."""
    lowered = text.lower()
    if text.isascii():
        return lowered
    if len(lowered) != len(text):
        return None
    for char in set(_NON_ASCII.findall(text)):
        lower = char.lower()
        if lower == char and char.upper() == char:
            continue  # no case
        if char == "\u03a3" or _FOLDS_TO_ASCII.match(char) or any(
            (regex.match(char) is None) != (regex.match(lower) is None) for regex in _CLASSES
        ):
            return None
    return lowered


def _opens_at_line_start(items, flags: int) -> bool:
    """Whether parsed ``items`` open with ``^`` under ``re.MULTILINE``
    (outside any group or alternation): every match starts a line."""
    return bool(flags & re.MULTILINE) and bool(items) and items[0][0] is _sre.AT and items[0][1] is _sre.AT_BEGINNING


def line_anchored(regex: re.Pattern) -> bool:
    """Whether every match of ``regex`` starts at the start of a line."""
    if not regex.flags & re.MULTILINE or not isinstance(regex.pattern, str):
        return False
    try:
        parsed = parsed_pattern(regex.pattern, regex.flags)
    except (re.error, RecursionError):
        return False
    return _opens_at_line_start(parsed.data if hasattr(parsed, "data") else parsed, regex.flags)
