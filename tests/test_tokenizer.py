import pytest

from extractor.brat import read_directory
from tests.conftest import ANNOTATIONS


@pytest.mark.parametrize(
    "text,tokens",
    [
        ("ivonescimab|DRUG", ["ivonescimab", "|", "DRUG"]),
        ("rate（ORR）", ["rate", "（", "ORR", "）"]),
        ("1200mg", ["1200", "mg"]),
        ("15mg/kg", ["15", "mg", "/", "kg"]),
        ("56.5mg/m\\^2", ["56.5", "mg", "/", "m\\^2"]),
        ("q3w", ["q3w"]),
        ("p.o. daily", ["p.o.", "daily"]),
        ("21-day", ["21", "-", "day"]),
        ("PD-L1", ["PD-L1"]),
        ("ES-SCLC", ["ES-SCLC"]),
        ("5-FU", ["5-FU"]),
        ("v1.1", ["v1.1"]),
        ("Durvalumab+chemotherapy", ["Durvalumab", "+", "chemotherapy"]),
        ("Durvalumab+ ernesto", ["Durvalumab", "+", "ernesto"]),
        ("\\[IL-2\\]", ["\\", "[", "IL-2", "\\", "]"]),
        ("cycle(Q2W)", ["cycle", "(", "Q2W", ")"]),
        ("-Objective Response", ["-", "Objective", "Response"]),
        ("-2 mg", ["-2", "mg"]),
        ("AK104+anlotinib", ["AK104", "+", "anlotinib"]),
        ("CD4+T", ["CD4+T"]),
        ("PD-(L)1", ["PD-(L)1"]),
        ("Decitabine (DAC)|DRUG", ["Decitabine", "(", "DAC", ")", "|", "DRUG"]),
        ("SK3530(PDE5 inhibitor)", ["SK3530", "(", "PDE5", "inhibitor", ")"]),
        ("with ddI.", ["with", "ddI", "."]),
        ("D1-14, Q3W.", ["D1", "-", "14", ",", "Q3W", "."]),
        ("Phase 2b.", ["Phase", "2b", "."]),
        ("U.S. Ph.D.", ["U.S.", "Ph.D."]),
        # sentence-final period after a mixed-case abbreviation or a one-letter name part
        ("a better QoL.", ["a", "better", "QoL", "."]),
        ("IgA, and IgM.", ["IgA", ",", "and", "IgM", "."]),
        ("amphotericin B.", ["amphotericin", "B", "."]),
        ("with polyphenon E.", ["with", "polyphenon", "E", "."]),
        # a period glued to the next sentence's first word; "+/-" glued to a drug
        ("proportions .Neutrophil-to-lymphocyte", ["proportions", ".", "Neutrophil", "-", "to", "-", "lymphocyte"]),
        ("gentamycin, +/-fluconazole)", ["gentamycin", ",", "+", "/-", "fluconazole", ")"]),
        # a semicolon glued between two words; karyotypes stay whole
        ("diary response;Blood pressure", ["diary", "response", ";", "Blood", "pressure"]),
        ("t(9;22)", ["t(9;22", ")"]),
        # a comma glued between a word and a number; digit grouping stays whole
        ("Testosterone Undecanoate,1000mg", ["Testosterone", "Undecanoate", ",", "1000", "mg"]),
        ("1,250 mg/m2", ["1,250", "mg", "/", "m2"]),
        # a closing bracket glued to a hyphen or a slash
        ("and Ketoconazole)-topical", ["and", "Ketoconazole", ")", "-", "topical"]),
        ("randomized to AZT/3TC plus indinavir", ["randomized", "to", "AZT", "/", "3TC", "plus", "indinavir"]),
        ("d4T/3TC", ["d4T", "/", "3TC"]),
        # a slash opening a word after a space, except a denominator
        ("anti-coagulation /anti-platelet medications", ["anti", "-", "coagulation", "/", "anti", "-", "platelet", "medications"]),
        ("lopinavir /ritonavir", ["lopinavir", "/", "ritonavir"]),
        ("25 mg /day", ["25", "mg", "/day"]),
        # a space missing after a closing bracket, but not inside a chemical name
        ("(such as Viagra, Levitra, Cialis)for men", ["(", "such", "as", "Viagra", ",", "Levitra", ",", "Cialis", ")", "for", "men"]),
        ("Sildenafil (Viagra)50 mg", ["Sildenafil", "(", "Viagra", ")", "50", "mg"]),
        ("bis(2-chloroethyl)amino", ["bis", "(", "2", "-", "chloroethyl)amino"]),
        ("(NVP)-lamivudine-stavudine", ["(", "NVP", ")", "-", "lamivudine", "-", "stavudine"]),
        # ... after an upper-case short form, before a lower-case word; a glued comma
        ("Function (IIEF)calculated as", ["Function", "(", "IIEF", ")", "calculated", "as"]),
        ("magnesia (placebo),after a single", ["magnesia", "(", "placebo", ")", ",", "after", "a", "single"]),
        # a sentence ends after a hyphenated name with a one-letter part
        ("intrathecal Ara-C. All patients", ["intrathecal", "Ara-C", ".", "All", "patients"]),
        ("IFN-B. The", ["IFN-B", ".", "The"]),
        # a suspended hyphen; a square bracket glued after a word; an emoticon-like "):"
        ("platinum- and paclitaxel-resistant", ["platinum", "-", "and", "paclitaxel", "-", "resistant"]),
        # a slash closing a word before a space (batch 12 gold: an outcome description)
        ("Air Chamber Measurements/ Circumference Measurements", ["Air", "Chamber", "Measurements", "/", "Circumference", "Measurements"]),
        ("EF domain score[intercourse", ["EF", "domain", "score", "[", "intercourse"]),
        ("Questionnaire (FePEDS-Q): Over", ["Questionnaire", "(", "FePEDS-Q", ")", ":", "Over"]),
        ("6000IU(s.c.)/week", ["6000", "IU", "(", "s.c.", ")", "/week"]),
        ("25μg(s.c.)/2weeks", ["25", "μg", "(", "s.c.", ")", "/2", "weeks"]),
        # a parenthesis glued after a word, except plural markers
        ("prolonged OS(median OS 12.3", ["prolonged", "OS", "(", "median", "OS", "12.3"]),
        ("6 cycle(s) of", ["6", "cycle(s", ")", "of"]),
        # the emoticon exceptions "8)" and "(-8" do not glue a day number to its bracket
        ("(Days 1-8) plus", ["(", "Days", "1", "-", "8", ")", "plus"]),
        ("(on days 1 and 8)", ["(", "on", "days", "1", "and", "8", ")"]),
        ("(-8 to -3)", ["(", "-8", "to", "-3", ")"]),
        # a period before a field separator
        ("preferred treatment).|Time", ["preferred", "treatment", ")", ".", "|", "Time"]),
        # things that stay whole
        ("1.5 mg i.v. b.i.d. p.o. e.g. Dr. Smith", ["1.5", "mg", "i.v.", "b.i.d.", "p.o.", "e.g.", "Dr.", "Smith"]),
        ("MK-3475 5-FU IL-2 days 1-14", ["MK-3475", "5-FU", "IL-2", "days", "1", "-", "14"]),
    ],
)
def test_trial_tokens(tokenizer_nlp, text, tokens):
    assert [t.text for t in tokenizer_nlp(text)] == tokens


def test_d1_21_boundaries(tokenizer_nlp):
    doc = tokenizer_nlp("Anlotinib 12mg D1-21 q3w")
    assert doc.char_span(15, 20).text == "D1-21"
    assert doc.char_span(21, 24).text == "q3w"


def test_every_gold_span_is_token_aligned(tokenizer_nlp):
    misaligned = []
    for document in read_directory(ANNOTATIONS / "docs"):
        doc = tokenizer_nlp(document.text)
        for ent in document.entities:
            if doc.char_span(ent.start, ent.end) is None:
                misaligned.append((document.id, ent.text))
    # a handful of spans inside glued words remain; keep them below 1%
    total = sum(len(d.entities) for d in read_directory(ANNOTATIONS / "docs"))
    assert len(misaligned) / total < 0.01, misaligned[:20]


def test_train_and_dev_gold_spans_are_token_aligned(tokenizer_nlp):
    import json

    splits = json.loads((ANNOTATIONS / "splits.json").read_text("utf-8"))
    names = set(splits["train"]) | set(splits["dev"])
    misaligned = []
    for document in read_directory(ANNOTATIONS / "docs"):
        if document.id not in names:
            continue
        doc = tokenizer_nlp(document.text)
        misaligned += [(document.id, e.text) for e in document.entities if doc.char_span(e.start, e.end) is None]
    # the spans left, each for a reason: "FOLFOX" inside "HAIC-FOLFOX" and "ICI" inside
    # "Post-ICI" (a hyphen before an upper-case word stays inside it, like PD-L1); "H" of
    # "TC+H." (a capital and a period are an initial); "orally1 hour" (a word glued to a
    # number stays whole, like codes)
    assert sorted(misaligned) == [
        ("modern_NCT00668096", "1 hour prior to sexual activity"),
        ("modern_NCT00668096", "orally"),
        ("modern_NCT07134413", "ICI"),
        ("report_NCT00493649", "H"),
        ("seed_002_d21ade92f4d85067", "FOLFOX"),
    ]


def _fresh_trial_nlp():
    import spacy

    from extractor.tokenizer import make_trial_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = make_trial_tokenizer(nlp)
    return nlp


def test_affix_memo_gives_the_tokens_of_the_plain_searches():
    # the memoized tokenizer against one whose affix searches run every time
    # (spaCy's own, on the same window); the texts repeat affix strings inside
    # different whitespace chunks (spaCy caches whole chunks, not these) and
    # have runs longer than the affix window
    from spacy.tokenizer import Tokenizer

    from extractor.tokenizer import TrialTokenizer

    class PlainSearches(TrialTokenizer):
        def find_prefix(self, string):
            return Tokenizer.find_prefix(self, string[: self.AFFIX_WINDOW])

        def find_suffix(self, string):
            return Tokenizer.find_suffix(self, string[-self.AFFIX_WINDOW :])

        def find_infix(self, string):
            return Tokenizer.find_infix(self, string)

    nlp = _fresh_trial_nlp()
    memoized = nlp.tokenizer
    plain = PlainSearches(memoized.vocab, rules=memoized.rules, prefix_search=memoized.prefix_search,
                          suffix_search=memoized.suffix_search, infix_finditer=memoized.infix_finditer,
                          token_match=memoized.token_match, url_match=memoized.url_match)
    long_run = "(" * 60 + "cisplatin" + ")" * 70
    texts = ["(months) months, (Q3W).", "[months], months); cycle(Q2W) 15mg/kg|DRUG",
             "Viagra)50 mg, (IIEF)calculated (months)", long_run, "x" + long_run + ",",
             "AZT/3TC (months). " + long_run[5:] + "." + " -Objective months)."]
    for text in texts + texts:
        assert [t.text for t in memoized(text)] == [t.text for t in plain(text)], text
    assert memoized._suffix_memo[1]["months"] == 0
    assert memoized._suffix_memo[1]["months,"] == 1
    # strings longer than the window are searched every time, never memoized
    assert all(len(key) <= memoized.AFFIX_WINDOW for key in memoized._suffix_memo[1])


def test_affix_memo_is_bounded_and_follows_a_new_suffix_search():
    import re

    nlp = _fresh_trial_nlp()
    tokenizer = nlp.tokenizer
    tokenizer.MEMO_SIZE = 3
    for word in ("alpha)", "beta)", "gamma)", "delta)", "epsilon)"):
        assert [t.text for t in nlp(word)] == [word[:-1], ")"]
        assert len(tokenizer._suffix_memo[1]) <= 3
    # a new suffix rule replaces the memoized results of the old one
    tokenizer.suffix_search = re.compile(r"a\)$").search
    assert [t.text for t in nlp("beta) gamma)")] == ["bet", "a)", "gamm", "a)"]
    assert [t.text for t in nlp("epsilon)")] == ["epsilon)"]
