"""A tokenizer for trial text: spaCy's English rules, tuned so that every span of
the annotation guide starts and ends on a token boundary.

Changes to the defaults (rules in ``data/tokenizer.json``):

- ``|`` and fullwidth punctuation split anywhere (``ivonescimab|DRUG``,
  ``rate（ORR）``);
- a hyphen splits only before a word in lowercase or title case (``21-day``,
  ``6-month``, ``Nab-Paclitaxel``), so ``PD-L1``, ``ES-SCLC`` and ``5-FU`` stay
  whole;
- a number is split from a following unit (``1200mg``, ``15mg/kg``);
- ``+`` after a word splits (``Durvalumab+chemotherapy``, ``Durvalumab+``) and
  markdown backslashes come off (``\\[IL-2\\]``);
- dotted abbreviations of routes and frequencies stay one token (``p.o.``).
"""


import json
import re
from importlib import resources
from typing import Callable

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, CONCAT_QUOTES, HYPHENS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .extensions import remember_text

FULLWIDTH_PUNCT = "（）［］【】：，；、。！？｜"


def _rules() -> dict:
    return json.loads(resources.files("extractor").joinpath("data/tokenizer.json").read_text("utf-8"))


def _default_hyphen_infix(pattern: str) -> bool:
    return HYPHENS in pattern and pattern.endswith(f"(?=[{ALPHA}])")


# a memo that belongs to no affix function (see ``TrialTokenizer._memo``)
_NO_MEMO = (object(), None)


class TrialTokenizer(Tokenizer):
    """spaCy's tokenizer with bounded work per character (issue #11).

    spaCy strips affixes one at a time and runs the affix regexes over the
    whole remaining string each time, so a run of punctuation without spaces
    (``((((...``) costs quadratic time.  Affix searches look at a window of
    ``AFFIX_WINDOW`` characters only (affixes are a few characters long), and
    a run longer than ``MAX_RUN`` non-space characters is tokenized in pieces.

    The affix searches are pure functions of their string, and the same
    strings come back again and again (``months`` out of ``months)``,
    ``(months`` ...: spaCy's own cache holds whole space-separated chunks
    only), so their results are memoized per affix function, for strings
    of up to ``AFFIX_WINDOW`` characters, at most ``MEMO_SIZE`` of each
    (issue #9).  A memo belongs to the function that filled it: assigning
    a new ``prefix_search`` (``suffix_search``, ``infix_finditer``) starts
    a new one.
    """

    AFFIX_WINDOW = 100
    MAX_RUN = 1000
    MEMO_SIZE = 50_000
    _prefix_memo = _suffix_memo = _infix_memo = _NO_MEMO

    def __call__(self, string):
        # the doc's text is its input: components read it through
        # ``extensions.doc_text`` instead of rebuilding it from the tokens
        doc = self._tokenize_string(string)
        remember_text(doc, string)
        return doc

    def _tokenize_string(self, string):
        if len(string) <= self.MAX_RUN or max(map(len, string.split()), default=0) <= self.MAX_RUN:
            return super().__call__(string)
        cuts = [0]
        for run in re.finditer(rf"\S{{{self.MAX_RUN + 1},}}", string):
            cuts.extend(range(run.start() + self.MAX_RUN, run.end(), self.MAX_RUN))
        cuts.append(len(string))
        pieces = [super(TrialTokenizer, self).__call__(string[a:b]) for a, b in zip(cuts, cuts[1:])]
        words = [t.text for piece in pieces for t in piece]
        spaces = [bool(t.whitespace_) for piece in pieces for t in piece]
        return Doc(self.vocab, words=words, spaces=spaces)

    def _remember(self, memo: dict, string: str, found):
        if len(string) <= self.AFFIX_WINDOW:
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            memo[string] = found
        return found

    # ``Tokenizer.find_prefix``/``find_suffix`` on the window, written out:
    # they run for every new word, and ``super()`` costs as much as the rest
    def find_prefix(self, string):
        search = self.prefix_search
        return 0 if search is None else self._affix_length("_prefix_memo", search, string, False)

    def find_suffix(self, string):
        search = self.suffix_search
        return 0 if search is None else self._affix_length("_suffix_memo", search, string, True)

    def _affix_length(self, memo_name: str, search, string: str, at_end: bool) -> int:
        memo = getattr(self, memo_name)
        if memo[0] is not search:
            memo = (search, {})
            setattr(self, memo_name, memo)
        found = memo[1].get(string)
        if found is None:
            window = string[-self.AFFIX_WINDOW :] if at_end else string[: self.AFFIX_WINDOW]
            match = search(window)
            found = self._remember(memo[1], string, (match.end() - match.start()) if match is not None else 0)
        return found

    def find_infix(self, string):
        finditer = self.infix_finditer
        if finditer is None:
            return super().find_infix(string)
        memo = self._infix_memo
        if memo[0] is not finditer:
            memo = self._infix_memo = (finditer, {})
        found = memo[1].get(string)
        if found is None:
            found = self._remember(memo[1], string, super().find_infix(string))
        return list(found)  # a list of its own: the caller may change it


def make_trial_tokenizer(nlp: Language) -> Tokenizer:
    rules = _rules()
    units = sorted((re.escape(u) for u in rules["units"]), key=len, reverse=True)
    glued = [re.escape(word) for word in rules["words_glued_after_bracket"]]
    denominators = [re.escape(word) for word in rules["slash_denominators"]]
    infixes = [p for p in nlp.Defaults.infixes if not _default_hyphen_infix(p)]
    infixes += [
        rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA_LOWER}]{{2}}|[{ALPHA_UPPER}][{ALPHA_LOWER}])",
        r"\|",
        f"[{FULLWIDTH_PUNCT}]",
        # an underscore joining a code to a label (IP2018_dose1): two words
        rf"(?<=[{ALPHA}0-9])_(?=[{ALPHA}])",
        # drug lists written without spaces: Durvalumab+chemotherapy
        rf"(?<=[{ALPHA}]{{2}})\+(?=[{ALPHA}])|(?<=[0-9]{{2}})\+(?=[{ALPHA}]{{3}})",  # AK104+anlotinib too
        # a parenthesis glued to a word: cycle(Q2W) -> cycle | ( | Q2W
        rf"(?<=[{ALPHA_LOWER}]{{3}})\((?=[{ALPHA_UPPER}0-9])",
        # a closing bracket before a "|" (Decitabine (DAC)|DRUG) and an opening one
        # between a code and a word (SK3530(PDE5 inhibitor)) are tokens
        r"[)\]](?=\.?\|)",
        rf"(?<=[0-9])\((?=[{ALPHA}])",
        # a sentence-final period before a "|" field separator: treatment).|Baseline
        rf"\.(?<=[{ALPHA})\]]\.)(?=\|)",
        # a semicolon glued between two words: diary response;Blood pressure
        rf";(?<=[{ALPHA}]{{2}};)(?=[{ALPHA}])",
        # a comma glued between a word and a number: Undecanoate,1000mg
        rf",(?<=[{ALPHA}]{{2}},)(?=[0-9])",
        # a slash between two upper-case short forms, the second starting with a
        # digit (spaCy's splits only before a letter): AZT/3TC, d4T/3TC
        rf"/(?<=[{ALPHA_UPPER}0-9][{ALPHA_UPPER}]/)(?=[0-9][{ALPHA_UPPER}])",
        # a space missing after a closing bracket, before a number or a function
        # word (Viagra)50 mg, Cialis)for): not inside chemical names, 1,25(OH)2D3
        rf"[)\]](?<=[{ALPHA_LOWER}]{{3}}[)\]])(?=[0-9]|(?:{'|'.join(glued)})\b)",
        # ... and after a two-letter word opening the token or after a number,
        # before a function word: (250 mg)of
        rf"[)\]](?<=(?<![^0-9 ])[{ALPHA_LOWER}]{{2}}[)\]])(?=(?:{'|'.join(glued)})\b)",
        # a backslash between two words: NYI\NHL
        rf"\\(?<=[{ALPHA}]\\)(?=[{ALPHA}])",
        # ... or after an upper-case short form, before any lower-case word:
        # (IIEF)calculated, (GCSF)receptor; chemical locants stay, (2-methylpropyl)amino
        rf"[)\]](?<=[{ALPHA_UPPER}]{{2}}[)\]])(?=[{ALPHA_LOWER}]{{3}})",
        # a comma glued between a closing bracket and a word: (placebo),after
        rf"[)\]](?<=[{ALPHA}0-9][)\]])(?=,[{ALPHA}])",
        rf",(?<=[)\]],)(?=[{ALPHA}])",
        # a closing bracket glued to a hyphen or slash: Ketoconazole)-topical, IU(s.c.)/week
        rf"[)\]](?=[-/])(?<=[{ALPHA}0-9.][)\]])",
        # ... and the hyphen after it: (NVP)-lamivudine -> ) | - | lamivudine
        rf"-(?<=[)\]]-)(?=[{ALPHA}])",
        # a square bracket glued after a word: score[intercourse satisfaction]
        rf"\[(?<=[{ALPHA}]{{2}}\[)(?=[{ALPHA}])",
        # a parenthesis glued after a word (OS(median, IU(s.c.)), except plural
        # markers: cycle(s)
        rf"\((?<=[{ALPHA}]{{2}}\()(?!(?:s|es|S|ES)(?:\)|$))(?=[{ALPHA}0-9])",
        # zero-width split between a number and its unit: 1200mg -> 1200 | mg
        rf"(?<=[0-9])(?=(?:{'|'.join(units)})(?![{ALPHA}]))",
    ]
    # markdown escapes: \>= and \[IL-2\] lose their backslashes as separate tokens
    # a list dash glued to a word: -Objective Response Rate
    # a period glued to the next sentence's first word: proportions .Neutrophil
    # the rest of a "+/-" glued to a drug: +/-fluconazole
    prefixes = list(nlp.Defaults.prefixes) + [r"\|", f"[{FULLWIDTH_PUNCT}]", r"\\(?=[<>=^\[\]()*_])",
                                              rf"-(?=[{ALPHA_UPPER}][{ALPHA_LOWER}]{{2}})",
                                              rf"\.(?=[{ALPHA_UPPER}][{ALPHA_LOWER}]{{2}})",
                                              rf"/-(?=[{ALPHA}]{{3}})",
                                              # a slash opening a word after a space: anti-coagulation /anti-platelet
                                              rf"/(?=[{ALPHA}]{{4}})(?!(?:{'|'.join(denominators)})\b)"]
    suffixes = list(nlp.Defaults.suffixes) + [r"\|", f"[{FULLWIDTH_PUNCT}]", rf"(?<=[{ALPHA}]{{2}})\+", r"\\",
                                              # a sentence ends after a mixed-case name: "with ddI."
                                              rf"(?<=[{ALPHA_LOWER}][{ALPHA_UPPER}])\.",
                                              # ... or after a one-letter name part: "amphotericin B."
                                              rf"\.(?<=^[{ALPHA_UPPER}]\.)",
                                              # ... or in a hyphenated name: "intrathecal Ara-C."
                                              rf"(?<=[{ALPHA}]-[{ALPHA_UPPER}])\.",
                                              # a sentence ends after a schedule code: "D1-14, Q3W."
                                              rf"(?<=[0-9][{ALPHA}])\.",
                                              # a suspended hyphen: "platinum- and paclitaxel-resistant"
                                              rf"(?<=[{ALPHA_LOWER}]{{3}})-",
                                              # a slash closing a word before a space: "Measurements/ Circumference"
                                              rf"(?<=[{ALPHA_LOWER}]{{3}})/",
                                              # UTF-8 read as Latin-1 leaves "Â" before a symbol it
                                              # split off: "ViagraÂ®" -> Viagra | Â | ®
                                              rf"(?<=[{ALPHA}0-9])Â"]
    # emoticons such as "):" glue a closing bracket to a colon: (FePEDS-Q): ...
    # and "8)" / "8-)" / "(-8" would glue a day number to its bracket: (days 1 and 8)
    special_cases = {key: value for key, value in nlp.Defaults.tokenizer_exceptions.items()
                     if any(ch.isalpha() for ch in key) or not any(ch in "()[]" for ch in key)}
    for case in rules["special_cases"]:
        special_cases[case] = [{"ORTH": case}]
    return TrialTokenizer(
        nlp.vocab,
        rules=special_cases,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=nlp.Defaults.token_match,
        url_match=nlp.Defaults.url_match,
    )


@registry.tokenizers("extractor.TrialTokenizer.v1")
def create_trial_tokenizer() -> Callable[[Language], Tokenizer]:
    return make_trial_tokenizer
