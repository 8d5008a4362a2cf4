"""Sentence boundaries for registry text.

Trial records put one field per line, wrap legacy text every ~100 characters
(``\\r\\n`` plus an indent) and use bullet lists without final punctuation, so
spaCy's punctuation-only ``sentencizer`` both misses boundaries (between
fields and list items) and invents none where lines wrap.  Rules:

- a line break starts a sentence unless it is a hard wrap: a break followed
  by indentation and then a word that continues the sentence;
- a blank line, a break followed by a bullet (``*``, ``-``, ``•``, ``1.``),
  and a break after ``.``/``:``/``;`` always start one;
- ``.``, ``!``, ``?`` end a sentence when the next word does not start in
  lowercase.
"""


import re

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = frozenset({".", "!", "?", "。", "！", "？"})
LINE_END = frozenset({".", ":", ";", "!", "?", "。", "：", "；"})
BULLETS = frozenset({"*", "-", "•", "·", "–", "o"})


def _starts_item(token_text: str, next_text: str) -> bool:
    if token_text in BULLETS:
        return True
    # numbered items: "1." "2)" "a)" as separate or glued tokens
    return (token_text[:-1].isdigit() and token_text[-1:] in ".)") or (
        token_text.isdigit() and next_text in (".", ")")
    )


class TrialSentencizer:
    def __init__(self, name: str = "extractor_sentences"):
        self.name = name
        # whether the whitespace string of an ORTH hash holds a line break
        self._breaks: dict[int, bool] = {}
        self._marks: tuple[frozenset[int], int] | None = None

    @staticmethod
    def _end_ids(strings) -> tuple[list[int], int]:
        """Hashes of the sentence-end marks and of the ideographic full stop."""
        return [strings.as_int(mark) for mark in sorted(SENTENCE_END)], strings.as_int("。")

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # Only two kinds of token can start a sentence: the token after a
        # whitespace token holding a line break, and a word after a sentence
        # end.  Find both in the token arrays (as lists: a few numpy calls
        # per doc cost more than one pass) and look at token texts only there.
        orth, spacy, is_space = doc.to_array([ORTH, SPACY, IS_SPACE]).T.tolist()
        strings = doc.vocab.strings
        if self._marks is None:  # string hashes do not depend on the store
            end_ids, full_stop = self._end_ids(strings)
            self._marks = (frozenset(end_ids), full_stop)
        end_ids, full_stop = self._marks
        events = []
        breaks = self._breaks
        if len(breaks) > 100_000:
            breaks.clear()
        last_word = -1  # the last non-space token so far
        last_word_before: dict[int, int] = {}
        for i, key in enumerate(orth):
            if is_space[i]:
                # whitespace tokens holding a line break (the others start nothing)
                has_break = breaks.get(key)
                if has_break is None:
                    has_break = breaks[key] = "\n" in strings[key]
                if has_break:
                    events.append((i, False))
                    last_word_before[i] = last_word
                continue
            if i and orth[i - 1] in end_ids and (spacy[i - 1] or orth[i - 1] == full_stop):
                # a sentence end followed by a space (or an ideographic full stop), then a word
                events.append((i, True))
            last_word = i

        def text(i: int) -> str:
            return strings[orth[i]] if 0 <= i < n else ""

        starts = [0]  # increasing token indices
        for i, is_word in events:
            if is_word:
                if starts[-1] == i:
                    continue
                word = text(i)
                # "II. Assess": a list numeral and its dot do not make a sentence
                if not word[:1].islower() and not (i - 2 == starts[-1] and _is_numeral(text(i - 2))):
                    starts.append(i)
                continue
            space = text(i)
            if "\n" not in space or i + 1 >= n:
                continue
            nxt, after = text(i + 1), text(i + 2)
            last_word = text(last_word_before[i])  # "" when there is none
            if (
                space.count("\n") > 1
                or not space.rsplit("\n", 1)[1]  # newline with no indent: a new field or line
                or last_word[-1:] in LINE_END
                or _starts_item(nxt, after)
                or not nxt[:1].islower() and not nxt[:1].isdigit() and last_word[-1:] not in ",(/-"
                and not _continues(last_word)
            ):
                if starts[-1] != i + 1:
                    starts.append(i + 1)
        # Setting token.is_sent_start checks the whole doc for a parse on
        # every call (quadratic); check once (same error on a parsed doc),
        # then write all boundaries in one array: 1 starts, -1 does not.
        doc[0].is_sent_start = True
        values = numpy.full(n, -1, dtype=numpy.int64)
        values[starts] = 1
        doc.from_array([SENT_START], values.astype(numpy.uint64).reshape(n, 1))
        return doc


_CONTINUATION_WORDS = frozenset(
    "a an the and or of in on at to for with by from as plus versus vs vs. than that which who whom whose is are was were be been will may must should can could would".split()
)


_ROMAN = re.compile(r"^(?:[IVX]{1,5}|[ivx]{1,5}|\d{1,2}|[A-Za-z])$")


def _is_numeral(word: str) -> bool:
    return bool(_ROMAN.match(word))


def _continues(word: str) -> bool:
    """A line ending in a function word continues on the next line."""
    return word.lower() in _CONTINUATION_WORDS


@Language.factory(
    "extractor_sentences",
    assigns=["token.is_sent_start"],
    default_score_weights={"sents_f": 1.0},
)
def make_trial_sentencizer(nlp: Language, name: str) -> TrialSentencizer:
    return TrialSentencizer(name)
