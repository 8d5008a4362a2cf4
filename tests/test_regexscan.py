"""regexscan: the scanned ``finditer`` finds exactly the matches of ``re``."""

import json
import random
import re

import pytest

from extractor.attributes import AttributeTagger
from extractor.regexscan import KEY_LENGTH, Scanner, ScannerSet, plain_lower, start_scanner

TEXTS = [
    "Cisplatin 75 mg/m2 IV on Day 1 every 3 weeks, twice daily on days 1-14 of each 21-day cycle.",
    "bidaily daily DAILY Daily twice-daily Once Daily; 2 x 500 mg PO BID (QD) q12h for up to 6 months",
    "Overall Survival (OS), progression-free\r\n      survival, time to progression at 12 weeks\n",
    "\r\n      after surgery  \r\n\r\n    following chemotherapy and radiotherapy",
    "İNTRAVENOUS ıntravenous ſubcutaneous \u212aG µg μg 5 µg 10\u00a0mg – ≥ 3 × 2 mg",
    "AUC 5 AUC=6 3 AUC, 1.5 mg/kg, 10,000 IU, 4-6 weeks, weeks 1, 2 and 4, days 1, 8, and 15",
    "",
    "x",
    "mg mg mg 1 1 1 ---  ( ) | , .",
]


def _tagger_regexes():
    tagger = AttributeTagger(None)
    tagger.initialize()
    regexes = [regex for _label, _entry, regex in tagger._compiled]
    regexes += tagger._endpoint_regexes
    regexes += list(tagger._ctx.values())
    return regexes


REGEXES = _tagger_regexes()


def _spans(matches):
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def _fuzz_texts(count: int = 60) -> list[str]:
    """Random texts made of the words, numbers, spaces and punctuation the
    expressions look for (fixed seed)."""
    pieces = ["daily", "Daily", "every", "3", "21", "1.5", "mg", "/m2", "weeks", "week", "days", "Day",
              "cycle", "of", "the", "each", "twice", "once", "IV", "PO", "oral", "orally", "after", "surgery",
              "overall survival", "OS", "(PFS)", "at", "baseline", "up to", "to", "-", ",", ".", ";", "(", ")",
              " ", "  ", "\r\n      ", "\n", "ı", "İ", "µ", "≥", "x", "×", "AUC", "=", "q12h", "bid", "BID"]
    rng = random.Random(9)
    return ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "-"]) for _ in range(rng.randint(1, 60)))
            for _ in range(count)]


@pytest.mark.parametrize("regex", REGEXES, ids=lambda r: r.pattern[:40])
def test_same_matches_as_finditer(regex):
    scanner = Scanner(regex)
    for text in TEXTS + _fuzz_texts():
        expected = _spans(regex.finditer(text))
        assert _spans(scanner.finditer(text)) == expected, text
        assert _spans(scanner.finditer(text, plain_lower(text))) == expected, text


def test_the_data_patterns_are_scanned():
    """The analysis bounds where the attribute patterns can start (none
    falls back to the plain ``finditer``)."""
    tagger = AttributeTagger(None)
    tagger.initialize()
    assert all(scanner.scanner is not None for scanner in tagger._scan.scanners)
    assert tagger._scan.groups  # most share their lookbehind: scanned together


def test_scanner_set_finds_what_finditer_finds():
    scanners = ScannerSet(REGEXES)
    for text in TEXTS + _fuzz_texts():
        expected = [_spans(regex.finditer(text)) for regex in REGEXES]
        assert [_spans(found) for found in scanners.find_all(text)] == expected, text
        assert [_spans(found) for found in scanners.find_all(text, plain_lower(text))] == expected, text


def test_lookbehind_and_overlapping_candidates():
    scanner = Scanner(re.compile(r"(?<![\w-])(?:daily|dd)(?![\w-])", re.I))
    assert _spans(scanner.finditer("bidaily ddaily daily-x DAILY", "bidaily ddaily daily-x daily")) == [
        (23, 28, "DAILY")
    ]
    # a candidate inside the previous match is not tried again (finditer's rule)
    scanner = Scanner(re.compile(r"a\d+"))
    assert _spans(scanner.finditer("a1a2 aa3")) == [(0, 2, "a1"), (2, 4, "a2"), (6, 8, "a3")]


def test_case_folding_outside_ascii():
    """``re`` folds the Kelvin sign to ``k`` and ``ſ`` to ``s``: texts with
    such letters are scanned in their own case."""
    regex = re.compile(r"(?<!\w)ks\b", re.I)
    text = "\u212a\u017f KS ks"
    assert plain_lower(text) is None
    assert _spans(Scanner(regex).finditer(text, plain_lower(text))) == _spans(regex.finditer(text))
    assert len(_spans(regex.finditer(text))) == 3


@pytest.mark.parametrize("source", [r"^ab|cd", r"\Aab|(?:x|^)y", r"(?m)^ab|cd", r"(?:^|[.:]\s+)(?:ab|cd)\s"])
def test_expressions_anchored_at_the_start(source):
    regex = re.compile(source, re.IGNORECASE)
    scanner = Scanner(regex)
    for text in ["ab cd ab", "xab cd", "y ab\nab xy", "Ab: cd y", ". ab cd: AB ", "cd", "a"]:
        assert _spans(scanner.finditer(text, plain_lower(text))) == _spans(regex.finditer(text)), text
        assert _spans(scanner.finditer(text)) == _spans(regex.finditer(text)), text


def test_expressions_that_can_match_empty_are_not_scanned():
    regex = re.compile(r"a*")
    scanner = Scanner(regex)
    assert scanner.scanner is None
    assert _spans(scanner.finditer("baab")) == _spans(regex.finditer("baab"))


def test_plain_lower():
    assert plain_lower("Daily 5 MG") == "daily 5 mg"
    assert plain_lower("≥ 5 mg – 3\u00a0×") == "≥ 5 mg – 3\u00a0×"  # non-ASCII without case
    assert plain_lower("5 µg, TNF-α, Émile") == "5 µg, tnf-α, émile"  # letters that fold among themselves
    assert plain_lower("İ") is None  # two characters once lower-cased
    assert plain_lower("\u212a") is None  # Kelvin sign: matches k case-insensitively
    assert plain_lower("ſ") is None  # long s: matches s
    assert plain_lower("ΑΣ") is None  # final sigma: lower-cased by its context


def test_lower_casing_keeps_what_case_insensitive_expressions_see():
    """The assumptions behind ``plain_lower``, for every cased character it
    accepts: its lower case is one non-ASCII character that matches it
    case-insensitively and falls in the same of ``\\w``, ``\\d``, ``\\s``."""
    accepted = 0
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        lower = char.lower()
        if (lower == char and char.upper() == char) or plain_lower(char) is None:
            continue
        accepted += 1
        assert len(lower) == 1 and not lower.isascii(), hex(code)
        assert not re.search("[a-z]", char, re.IGNORECASE), hex(code)
        assert re.fullmatch(re.escape(char), lower, re.IGNORECASE), hex(code)
        for category in (r"\w", r"\d", r"\s"):
            assert bool(re.match(category, char)) == bool(re.match(category, lower)), hex(code)
    assert accepted > 1000


def test_line_start_expressions_scanned_together():
    regexes = [re.compile(r"(?m)^[ \t]*Time frame:[ \t]*([^\n]*\S)", re.I), re.compile(r"(?m)^Outcome:\s*(\w+)", re.I)]
    scanners = ScannerSet(regexes)
    assert scanners.groups and not scanners.alone  # one pass, stopping at line breaks
    text = "Time frame: 12 weeks\nx Time frame: no\n  time FRAME: 6 months\nOutcome: OS\n\nOutcome:\nPFS"
    expected = [_spans(regex.finditer(text)) for regex in regexes]
    assert [_spans(found) for found in scanners.find_all(text, plain_lower(text))] == expected
    assert [m.group(1) for m in scanners.find_all(text, plain_lower(text))[0]] == ["12 weeks", "6 months"]


def test_group_dispatch_keys_accept_every_match_start():
    """A group sends each stop only to the expressions that can start with
    its first three characters: the first characters of every real match
    are accepted by its expression's key check."""
    scanners = ScannerSet(REGEXES)
    for group in scanners.groups:
        for j, index in enumerate(group.members):
            regex = scanners.scanners[index].regex
            for text in TEXTS + _fuzz_texts():
                scanned = plain_lower(text) if group.lower else text
                if scanned is None:
                    continue
                for match in regex.finditer(text):
                    key = scanned[match.start():match.start() + KEY_LENGTH]
                    assert group.key_checks[j].fullmatch(key), (regex.pattern[:40], key)


def test_group_dispatch_keys_tell_expressions_apart():
    regexes = [re.compile(r"(?<![\w-])daily\b"), re.compile(r"(?<![\w-])days?\b"),
               re.compile(r"(?<![\w-])\s{0,3}\d+ mg")]
    scanners = ScannerSet(regexes)
    [group] = scanners.groups
    accepted = {key: [j for j in range(3) if group.key_checks[j].fullmatch(key)]
                for key in ("dai", "day", "da", "d", " 1 ", "  1", "1 m", "12", "dxy")}
    assert accepted == {"dai": [0], "day": [1], "da": [0, 1], "d": [0, 1], " 1 ": [2], "  1": [2],
                        "1 m": [2], "12": [2], "dxy": []}
    text = "daily days 2 mg, day  12 mg dai"
    assert [_spans(found) for found in scanners.find_all(text, plain_lower(text))] == [
        _spans(regex.finditer(text)) for regex in regexes
    ]


def test_start_scanner_stops_at_every_match_start_and_reads_scoped_case():
    # case-insensitive with a case-sensitive part: only capitals start a code,
    # and every match starts at a word boundary
    regex = re.compile(r"\b(?:anti-?[a-z]+|(?-i:[A-Z]{2,5}\d?))[ ]inhibitors?", re.I)
    scanner = start_scanner(regex)
    text = "Anti-TNF inhibitors, EGFR inhibitor; egfr inhibitor, santi inhibitor, ANTIX inhibitor"
    stops = [position for position in range(len(text)) if scanner.match(text, position)]
    starts = [match.start() for match in regex.finditer(text)]
    assert starts == [0, 21, 70]
    # lower-case ``egfr`` cannot be the code, ``anti`` inside ``santi`` is no word start
    assert stops == [0, 5, 21, 70]
    assert start_scanner(re.compile(r"\Afoo")) is None  # only at the start of the text


def test_start_scanner_is_a_superset_of_match_starts_on_the_data_patterns():
    texts = TEXTS + _fuzz_texts(20)
    for regex in REGEXES:
        scanner = start_scanner(regex)
        if scanner is None:
            continue
        for text in texts:
            stops = {position for position in range(len(text)) if scanner.match(text, position)}
            assert {match.start() for match in regex.finditer(text)} <= stops, regex.pattern


@pytest.mark.parametrize("flags", [0, re.I])
def test_lookbehind_alternatives_checked_by_the_scan(flags):
    # a group of alternative lookbehinds is checked by the scan (it stops
    # only after one of the words), the same matches as ``finditer``
    regex = re.compile(r"(?:(?<=given\s)|(?<=administered\s))(?:\d{1,2}|one)\s{1,24}days?", flags)
    scanner = Scanner(regex)
    scan = scanner.lower_scanner if flags else scanner.scanner
    assert "(?<=(?:given\\s)[\\s\\S])|(?<=(?:administered\\s)[\\s\\S])" in scan.pattern
    text = "given 3 days; 4 days; administered one day; told one day, given 12 days"
    assert [m.span() for m in scan.finditer(text)] == [(6, 7), (35, 36), (64, 65)]
    expected = [(6, 12), (35, 42), (64, 71)]
    assert _spans(regex.finditer(text)) == _spans(scanner.finditer(text, plain_lower(text)))
    assert [m.span() for m in scanner.finditer(text, plain_lower(text))] == expected


@pytest.mark.parametrize("source", [r"(?:(?<=a)|(?<=b))x|y", r"(?:(?<=a)|(?<=b))?x", r"(?:(?<=a)|b)x"])
def test_lookbehind_alternatives_not_binding_the_whole_expression(source):
    # a top-level ``|``, a quantifier or another alternative: the scan
    # does not check the lookbehinds, and finds the same matches
    regex = re.compile(source)
    scanner = Scanner(regex)
    assert scanner.scanner is None or "(?<=(?:a)" not in scanner.scanner.pattern
    text = "ax bx x y ay by cx"
    assert _spans(scanner.finditer(text)) == _spans(regex.finditer(text))


def test_scan_one_alternative_per_first_character():
    # no leading lookbehind: one alternative per first character, each with
    # the rest of its prefixes; it stops where a match can start
    regex = re.compile(r"\((?:weeks?|wks?)\s{0,3}\d{1,3}\)|every\s\d", re.I)
    scanner = Scanner(regex)
    scan = scanner.lower_scanner
    assert scan.pattern.startswith("(?:\\(")
    text = "visits (Week 4), (wk 12) and (day 3); every 2 weeks (weekly)"
    lowered = plain_lower(text)
    assert [m.start() for m in scan.finditer(lowered)] == [7, 17, 38]  # not "(weekly)"
    assert _spans(scanner.finditer(text, lowered)) == [(7, 15, "(Week 4)"), (17, 24, "(wk 12)"), (38, 45, "every 2")]


def test_scan_first_class_when_lookbehinds_and_a_class_lead():
    # leading lookbehinds and a first character that is a class: the class
    # first (``re`` skips to it), then the lookbehinds
    regex = re.compile(r"(?<=\bon\s)(?:\d{1,2}|two)\s{1,3}days")
    scan = Scanner(regex).scanner
    assert scan.pattern.startswith("[")
    text = "on 3 days, in 4 days, on two days, 5 days"
    assert [m.start() for m in scan.finditer(text)] == [3, 25]


def test_gate_on_the_literal_of_a_leading_positive_lookbehind():
    # a text without "concentration of" cannot match: the scan is skipped;
    # with it, the same matches as ``finditer``
    regex = re.compile(r"(?<=concentration of )\d{1,3}\s?mg/ml", re.I)
    scanner = Scanner(regex)
    assert scanner.lower_plan.gate == ("concentration of ",)
    for text in ["a solution of 5 mg/ml", "at a Concentration of 5 mg/mL, then 7 mg/ml", ""]:
        assert _spans(scanner.finditer(text, plain_lower(text))) == _spans(regex.finditer(text))
    assert _spans(scanner.finditer("Concentration of 5 mg/mL", "concentration of 5 mg/ml")) == [(17, 24, "5 mg/mL")]


@pytest.mark.parametrize(("source", "gate"), [
    (r"(?:(?<=given )|(?<=administered ))\d", ("given ", "administered ")),
    (r"(?<=abc)x|y", None),  # the lookbehind binds the first alternative only
    (r"(?:(?<=abc)|(?<!def))x", None),  # a negative alternative: no string is needed
    (r"(?<=\bon\s)\d", None),  # no literal of three characters
])
def test_gate_only_when_every_match_needs_the_literal(source, gate):
    regex = re.compile(source)
    scanner = Scanner(regex)
    assert (scanner.plan.gate if scanner.plan else None) == gate
    text = "y 1 on 2 given 3 zx"
    assert _spans(scanner.finditer(text)) == _spans(regex.finditer(text))


@pytest.mark.parametrize(("source", "anchors"), [
    (r"(?<=concentration of )\d", (("concentration of ", 0),)),
    (r"(?<=\bfor\s)\d", (("for", 1),)),  # a match starts one character after "for"
    (r"(?:(?<=\bfor\s)|(?<=\bfor\s{2})|(?<=given\s))\d", (("for", 1), ("for", 2), ("given", 1))),
    (r"(?<=abc\s\d)x", (("abc", 2),)),
    (r"(?<=abc)x|y", None),
    (r"(?<=\bon\s)\d", None),
])
def test_anchors_place_the_match_after_the_lookbehind_literal(source, anchors):
    regex = re.compile(source)
    scanner = Scanner(regex)
    assert (scanner.plan.anchors if scanner.plan else None) == anchors


def test_anchored_scan_finds_the_matches_of_finditer():
    # every occurrence of the literal is a place to try, overlapping ones and
    # the last characters of the text too; matches do not overlap
    regex = re.compile(r"(?:(?<=\bfor\s)|(?<=\bfor\s{2})|(?<=given\s))(?:\d{1,2}|\d\d \d)(?: days?)?", re.I)
    scanner = Scanner(regex)
    assert scanner.lower_plan.anchors == (("for", 1), ("for", 2), ("given", 1))
    text = "For 3 days, for  12 day, xfor 4, given 5, GIVEN\t6 days, for 7 8 9, forfor 1, for 2"
    expected = [(4, 10, "3 days"), (17, 23, "12 day"), (39, 40, "5"), (48, 54, "6 days"), (60, 61, "7"),
                (81, 82, "2")]
    assert _spans(regex.finditer(text)) == expected
    assert _spans(scanner.finditer(text, plain_lower(text))) == expected
    assert _spans(scanner.finditer(text)) == expected
    for cut in range(len(text) + 1):
        piece = text[:cut]
        assert _spans(scanner.finditer(piece, plain_lower(piece))) == _spans(regex.finditer(piece))


# stored analyses (issue #9: load time)


def test_stored_analyses_are_in_sync_with_the_bundled_patterns():
    """``data/regex_analyses.json`` is what ``tools/build_regex_analyses.py``
    would write now: every analysis the load computes, with the same result."""
    import json

    import extractor
    from extractor.regexscan import ANALYSES_FILE, analyses_document, record_analyses
    from extractor.resources import read_data_text

    shipped = json.loads(read_data_text(ANALYSES_FILE))
    with record_analyses() as table:
        extractor.load()
    fresh = json.loads(json.dumps(analyses_document(table)))
    if shipped["python"] != fresh["python"]:
        pytest.skip(f"table built with Python {shipped['python']}")
    assert set(fresh["analyses"]) == set(shipped["analyses"]), "run tools/build_regex_analyses.py"
    for key, value in fresh["analyses"].items():
        assert shipped["analyses"][key] == value, key


def test_a_stored_plan_is_the_computed_plan():
    from extractor.regexscan import _computed_plan, _decode_plan, _encode_plan, _plan, record_analyses

    regexes = [regex for regex in REGEXES if isinstance(regex.pattern, str)][:40]
    checked = 0
    for regex in regexes:
        mode = "lower" if regex.flags & re.IGNORECASE else "exact"
        stored = _plan(regex, mode, 6)
        with record_analyses():
            computed = _computed_plan(regex, mode, 6)
        if computed is None:
            assert stored is None
            continue
        checked += 1
        assert stored.prefixes == computed.prefixes
        assert stored.lookbehinds == computed.lookbehinds
        assert (stored.flags, stored.at_start, stored.gate, stored.anchors) == (
            computed.flags, computed.at_start, computed.gate, computed.anchors)
        assert stored.compile().pattern == computed.compile().pattern
        round_trip = _decode_plan(json.loads(json.dumps(_encode_plan(computed))))
        assert round_trip.compile().pattern == computed.compile().pattern
    assert checked > 10


def test_an_expression_not_in_the_table_is_analysed():
    from extractor.regexscan import record_analyses, stored_analysis

    calls = []

    def compute():
        calls.append(1)
        return [1, 2]

    source = r"(?<![\w-])no such bundled expression \d+"
    assert stored_analysis("plan", source, 0, ("exact", 6), compute, list, tuple) == [1, 2]
    assert calls == [1]
    with record_analyses() as table:
        stored_analysis("plan", source, 0, ("exact", 6), compute, list, tuple)
    assert list(table.values()) == [[1, 2]]
    assert calls == [1, 1]


def _bundled_plans():
    from extractor.regexscan import _plan

    plans = []
    for regex in REGEXES:
        if not isinstance(regex.pattern, str):
            continue
        for mode in (("lower", "fold") if regex.flags & re.IGNORECASE else ("exact",)):
            try:
                plan = _plan(regex, mode, 6)
            except Exception:
                continue
            if plan is not None:
                plans.append(plan)
    return plans


def test_factored_first_chars_fullmatch_what_the_flat_form_does():
    """The key checks of a scanner group: the factored expression accepts
    exactly the keys the flat one does (every key of up to ``KEY_LENGTH``
    characters over an alphabet of letters, digits, spaces and punctuation
    the patterns open with, and every window of the test texts)."""
    import itertools

    from extractor.regexscan import _first_chars, _first_chars_factored

    plans = _bundled_plans()
    assert len(plans) > 50
    alphabet = "aemqsx0 \t\n-(/.,;:%<=>±"
    keys = ["".join(key) for size in range(1, KEY_LENGTH + 1) for key in itertools.product(alphabet, repeat=size)]
    keys += sorted({text[i:i + size] for text in TEXTS for size in range(1, KEY_LENGTH + 1)
                    for i in range(len(text))})
    accepted = 0
    for plan in plans:
        flat = re.compile(_first_chars(plan.prefixes, KEY_LENGTH))
        factored_source = _first_chars_factored(plan.prefixes, KEY_LENGTH)
        assert len(factored_source) <= len(flat.pattern)
        factored = re.compile(factored_source)
        for key in keys:
            expected = flat.fullmatch(key) is not None
            assert (factored.fullmatch(key) is not None) == expected, (flat.pattern, key)
            accepted += expected
    assert accepted > 1000


@pytest.mark.parametrize("prefixes", [
    {("a", "b", "c"), ("a", "b"), ("a", "d")},
    {("[0-9]", "\\s{0,23}", "m"), ("[0-9]", "\\s{0,23}", "g"), ("[0-9]", "x")},
    {("q",), ("q", "d"), ("b", "i", "d")},
])
def test_factored_first_chars_on_small_prefix_sets(prefixes):
    import itertools

    from extractor.regexscan import _first_chars, _first_chars_factored

    flat = re.compile(_first_chars(prefixes, KEY_LENGTH))
    factored = re.compile(_first_chars_factored(prefixes, KEY_LENGTH))
    keys = ["".join(key) for size in range(0, KEY_LENGTH + 2) for key in itertools.product("abcdgmqix1 ", repeat=size)]
    assert [k for k in keys if flat.fullmatch(k)] == [k for k in keys if factored.fullmatch(k)]
    assert any(flat.fullmatch(k) for k in keys)
