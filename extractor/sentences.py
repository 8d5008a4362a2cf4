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
from spacy.attrs import SENT_START
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

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        texts = [t.text for t in doc]
        starts = [False] * n
        starts[0] = True
        last_word = ""  # last non-space token text before the current position
        sentence_start = 0
        for i in range(n):
            if starts[i]:
                sentence_start = i
            text = texts[i]
            if text.isspace():
                if "\n" in text and i + 1 < n:
                    nxt = texts[i + 1]
                    after = texts[i + 2] if i + 2 < n else ""
                    tail = text.rsplit("\n", 1)[1]
                    if (
                        text.count("\n") > 1
                        or not tail  # newline with no indent: a new field or line
                        or last_word[-1:] in LINE_END
                        or _starts_item(nxt, after)
                        or not nxt[:1].islower() and not nxt[:1].isdigit() and last_word[-1:] not in ",(/-"
                        and not _continues(last_word)
                    ):
                        starts[i + 1] = True
                continue
            if i > 0 and not starts[i] and texts[i - 1] in SENTENCE_END and (doc[i - 1].whitespace_ or texts[i - 1] == "。"):
                # "II. Assess": a list numeral and its dot do not make a sentence
                if not text[:1].islower() and not (i - 2 == sentence_start and _is_numeral(texts[i - 2])):
                    starts[i] = True
                    sentence_start = i
            last_word = text
        # one array write: setting token.is_sent_start scans the doc per token
        values = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], values)
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
