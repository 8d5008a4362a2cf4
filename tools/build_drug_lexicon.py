"""Build ``extractor/data/drug_lexicon.jsonl`` from registry records.

Where each part of the drug data comes from (all under ``extractor/data``):

- ``drug_lexicon.jsonl`` (this script): the structured ``interventions[]``
  of type Drug or Biological in ``ctgov_records.jsonl`` (the shared corpus of
  ClinicalTrials.gov records).  Each intervention's ``name`` and
  ``other_names`` (split at commas, semicolons and parentheses) form a synonym
  set of generic names, brand names and development codes.  The set's
  canonical name is the one that looks most like an INN (ends with a WHO INN
  stem from ``inn_stems.json``, is a plain word, is not a code, is the
  record's own name field); salt and
  dosage-form words are stripped from it.  A name gets the canonical its sets
  vote for most (a lone name or a part of a combination votes weakly for
  itself).  Sets naming a combination (``A and B``, ``A + B``, ``A, B and C``) give no
  synonyms, but each coded or INN-named part is a name.  Names are dropped when the corpus shows they are mostly not drugs:
  a name written in the text of many records that do not list it as an
  intervention (``creatinine``, ``platelet``, ``double-blind``) is noise.
- Records that are the source of a ``test``-split gold document
  (``annotations/splits.json``) are left out, so the test split measures how
  the lexicon generalizes.
- ``drug_stoplist.jsonl``: hand-written words never to keep as drug names
  (vague words, procedures, lab tests, study-design words, per the annotation
  guide).
- ``drug_curated.jsonl``: hand-written facts merged on top by the component:
  WHO INN spellings (``rifampin`` -> ``rifampicin``), recent drugs missing from
  the corpus, brand names.  Its second part lists cancer drugs approved by the
  FDA, EMA or China's NMPA up to 2025 and late-stage ones (INN, brand names,
  published development codes, from the labels and sponsors' publications),
  and widely used drugs of other fields (diabetes, cardiology, immunology,
  neurology, infectious disease) with their brand names, because the
  corpus's records are mostly older than these drugs.  A third part adds
  drugs of the HIV era with their short forms and brands (``ddC``,
  ``DHPG``, ``Retrovir``, ``Kaletra``), vaccines without an INN under their
  product names (``ALVAC-HIV vCP205``, ``gp160 vaccine``, ``DryVax``),
  biosimilar codes and brands under the reference product's INN (``SB3``,
  ``CT-P13``, ``Zirabev``: from the EMA and FDA approvals), and WHO INN
  spellings of US names (``glibenclamide``, ``pethidine``, ``sirolimus``).
  A fourth part completes whole WHO ATC groups the corpus lacks: systemic
  antihistamines (R06A), antipsychotics (N05A), anthelmintics (P02), the
  CYP3A4/QT-interacting drugs protocols exclude (``cisapride``,
  ``triazolam``), and some anxiolytics/antiepileptics, each INN with its
  brand names from the FDA/EMA labels.
  A fifth part (found by the silver normalization check of
  ``extractor.silver``: mentions of one intervention's names that got
  different names) adds WHO INNs of US adopted names from the WHO INN lists
  (``valacyclovir`` -> ``valaciclovir``, ``indomethacin`` -> ``indometacin``,
  ``methimazole`` -> ``thiamazole``, ``penicillin G`` -> ``benzylpenicillin``),
  INNs of generic protein names (``erythropoietin`` -> ``epoetin alfa`` as the
  train gold writes it, ``interleukin-12`` -> ``edodekin alfa``,
  ``interleukin-11`` -> ``oprelvekin``, ``interleukin-10`` -> ``ilodecakin``,
  ``tissue plasminogen activator`` -> ``alteplase``), published development
  codes and brands (``SCH 56592`` is posaconazole, ``SCH 52000`` ilodecakin,
  ``ISIS 2922`` fomivirsen, ``Lexiva`` fosamprenavir, ``Lymphoseek``
  technetium Tc 99m tilmanocept, from the FDA labels), and corrects built
  canonicals that were a brand or a wrong product (``copaxone`` ->
  ``glatiramer``, ``avonex`` -> ``interferon beta-1a``, ``trophamine`` is an amino-acid solution, not a placebo).
  A sixth part (found by running the pipeline on NLI4CT trial reports and
  registry records outside the gold split and reading the mentions it named
  by fuzzy match, context or INN stem) adds development codes and brands of
  published drugs (``AZD0530`` saracatinib, ``BKM120`` buparlisib,
  ``PF-05212384`` gedatolisib, ``NKTR-102`` etirinotecan pegol, ``HM30181``
  encequidar, ``MM-398`` irinotecan, ``RSR13`` efaproxiral, ``TRO19622``
  olesoxime, ``Estring`` estradiol, ``mithramycin`` plicamycin: from the
  sponsors' publications, FDA labels and WHO INN lists) and common INNs the
  corpus never lists as interventions (``ketamine``, ``ranitidine``,
  ``bendamustine``), so that a fuzzy match does not take them for another drug.
  A seventh part (found from the normalization and recall errors of the
  fresh gold batch 8, each checked against the whole train gold and the
  corpus records) gives bisphosphonates named by their anion the WHO INN
  acids (``alendronate`` -> ``alendronic acid``, ``ibandronate``,
  ``zoledronate``, ``risedronate``, ``pamidronate``, ``clodronate``,
  ``etidronate`` likewise; brands ``Boniva``, ``Actonel``, ``Aclasta``,
  ``Didronel``: WHO INN lists and FDA/EMA labels), and adds names the
  corpus never lists as interventions: ``stem cell factor`` (INN
  ancestim, brand Stemgen), the vaccine adjuvant ``alum`` (aluminium
  hydroxide, as the train gold names it), ``cannabis``/``marijuana``,
  ``collagenase`` for collagenase clostridium histolyticum (``Xiapex``:
  the EMA label); and corrects built canonicals that were a brand or a
  wrong product (``Abitrexate``/``Ledertrexate``/``Medsatrexate`` are
  methotrexate brands; ``folinate`` is leucovorin by the guide's
  convention; ``UFT`` is tegafur+uracil; ``PSK`` is polysaccharide-K,
  no INN), and names of published products the train gold normalizes
  (``WR 279396`` is the paromomycin+gentamicin cream, ``Ad5CMV-p53``/``INGN
  201``/``Advexin`` is contusugene ladenovec, ``vCP65`` is ALVAC-RG, ``NOV-002``
  has no INN, ``ECGC`` is a transposed EGCG).
  An eighth part names fixed-dose combination brands by their components'
  INNs, sorted and joined by ``+`` as the train gold writes them
  (``Augmentin`` and ``co-amoxiclav`` amoxicillin+clavulanic acid,
  ``Fansidar``, ``Coartem``/``Riamet``, ``Malarone``, ``Zosyn``/``Tazocin``,
  ``Unasyn``, ``Epzicom``/``Kivexa``, ``Truvada``, ``Atripla``, ``Sinemet``,
  ``Suboxone``, ``Symbicort``, ``Advair``/``Seretide``, ``Vytorin``: the
  FDA and EMA labels); the hyphen or slash spellings of such pairs stay
  out, since the gold tags each component of ``TMP/SMX`` on its own.
  A ninth part (from the normalization errors of the fresh gold batch 10)
  adds published codes of drugs with a WHO INN (``BG9588``/``hu5c8`` is
  ruplizumab; ``monoclonal antibody HuG1-M195``/``HuM195``/``SGN-33`` is
  lintuzumab: sponsors' publications, WHO INN lists), the INN of
  recombinant interleukin-4 (``binetrakin``, as ``interleukin-12`` is
  edodekin alfa), and codes without an INN named as themselves rather
  than a brand or a longer product name (``RX-10100``, brand ``Zoraxel``;
  ``SCH-58500``), as the guide asks.
  A tenth part adds systemic antibacterials of WHO ATC group J01 that the
  corpus never lists as interventions (``norfloxacin``, ``cefepime``,
  ``meropenem``, ``aztreonam``, ``tigecycline``, ...: WHO INN lists), so
  that a fuzzy match does not name them after another drug
  (``norfloxacin`` had become ofloxacin).
  An eleventh part (from the normalization errors of the fresh gold batch
  11) names brands by the generic name of their FDA labels: botulinum
  toxins (``Botox`` onabotulinumtoxinA, ``Dysport`` abobotulinumtoxinA,
  ``Xeomin`` incobotulinumtoxinA, ``Myobloc`` rimabotulinumtoxinB; the
  train gold names ``botulinum toxin type A``/``BTX-A`` onabotulinumtoxinA),
  nitroglycerin brands (``Nitrostat``, ``Nitrolingual``, ``Nitro-Dur``,
  ``Minitran``, ``Nitro-Bid``, ``Transderm-Nitro``, ``NitroMist``,
  ``Rectiv``) glyceryl trinitrate, the compounded ``Trimix``
  alprostadil+papaverine+phentolamine, adds ``bromfenac``, and names
  ``lithium`` alone as itself (as ``potassium``; the train gold does).
  A name field listing three or more names at commas or semicolons, one of
  them with an INN stem (``Miconazole, L-NMMA, Bradykinin``, ``Amprenavir,
  Efavirenz, Abacavir, Nelfinavir, Ritonavir``), lists several drugs: each
  name stands for itself (``bradykinin`` had become miconazole).
  Vaccine qualifiers split off at a comma (``Pneumococcal Conjugate Vaccine,
  Heptavalent``) are stoplisted so that they are not a set's canonical.
  A twelfth part (from the recall errors of the fresh gold batch 13 and the
  whole train split: ``primidone``, ``felbamate``, ``phenylbutazone``,
  ``fosinopril``, ``aminophylline``, ``Exelon``, ``vitamin B6``) adds common
  drugs that trials name but never list as interventions here: concomitant,
  prior and excluded medication of eligibility criteria, premedication,
  rescue and anaesthesia drugs.  Each INN is from the WHO INN lists and the
  WHO Model List of Essential Medicines (anaesthetics, muscle relaxants and
  their reversal, local anaesthetics, inotropes and vasopressors that are
  not body substances, antihypertensives, diuretics, opioids and NSAIDs,
  antiepileptics, antiparkinson and antispasticity drugs, iron products,
  thrombopoietin receptor agonists, vitamins, ACE inhibitors, laxatives and
  gastric protectants, uterotonics), with US adopted names (``scopolamine``
  hyoscine, ``chlorthalidone`` chlortalidone, ``phytonadione``), brand
  names from the FDA and EMA labels (``Precedex``, ``Toradol``, ``Venofer``,
  ``Nplate``, ``Imuran``, ``Exelon``) and common short forms (``HCTZ``;
  ``DHEA`` prasterone; ``vitamin B12`` cyanocobalamin, ``vitamin D``
  colecalciferol, ``vitamin K`` phytomenadione, as the train gold names
  vitamins).  Body substances the corpus mostly names as measured
  quantities or neurotransmitters (``dopamine``, ``norepinephrine``,
  ``adenosine``, ``vasopressin``, ``retinol``), a biomarker's name
  (``urokinase``: urokinase plasminogen activator) and ``protamine`` alone
  (``neutral protamine Hagedorn`` insulin) are left out.  The same part
  names drugs a fuzzy match or a brand had named wrongly (``famciclovir``
  had become aciclovir, ``pitavastatin`` pravastatin, ``eszopiclone``
  its brand Lunesta) and adds contraceptives, triptans, antiglaucoma
  drugs, phosphate binders and antidotes with their FDA/EMA brands.
  ``hyoscine butylbromide`` (``scopolamine butylbromide``, Buscopan) is
  another substance than hyoscine: WHO INN ``butylscopolamine``.  Names the
  part adds alone (``sulfadoxine``, ``proguanil``) split a hyphenated
  combination the lexicon had whole into its two names (GUIDE_ISSUES 11);
  a short form after the pair names both (``SP``: pyrimethamine+sulfadoxine).
  A thirteenth part (from the normalization errors of the fresh gold batches
  14-16, each kind checked against the train gold and the corpus records)
  names L-amino acids by the amino acid (``L-arginine`` -> ``arginine``, as
  the train gold does; ``L-glutamine``, ``L-cysteine``, ``L-tryptophan``,
  ``L-citrulline`` likewise; the bare names the lexicon lacked stay out,
  since ``alanine aminotransferase`` and ``tyrosine kinase`` are not
  drugs), ``L-dopa`` levodopa, ``L-NMMA`` tilarginine; hormones and
  products the lexicon named by themselves get their WHO INN or the train
  gold's name (``growth hormone``/``recombinant human growth hormone``
  somatropin, ``GnRH``/``gonadotropin releasing hormone`` gonadorelin (the hyphenated
  spelling stays out: the train gold tags a bare one in prior hormonal
  therapy as a class),
  ``KLH`` keyhole limpet hemocyanin, ``PRP`` platelet rich plasma,
  ``Hypericum perforatum`` St. John's wort, ``chloroquinoxaline
  sulfonamide`` chlorsulfaquinoxaline); ``IFN alfa-2a``/``-2b`` and their
  pegylated forms name interferon alfa-2a/-2b and peginterferon
  alfa-2a/-2b, and ``liposomal interleukin-2`` aldesleukin (the built
  canonical was a fragment, ``polyethylene glycolated``).
  A fourteenth part (from the normalization errors of the fresh gold
  batches 17-20, each name checked against the corpus records and the train
  gold) names brands and chemical names by their WHO INN: ``Ampligen`` (and
  ``poly I:poly C12U``) rintatolimod (8 corpus records), ``Natesto``
  testosterone (the FDA label), the spellings of
  ``17-allylamino-17-demethoxygeldanamycin`` without ``N`` tanespimycin (4
  records); the spellings of ``Montanide ISA 51`` (14 records) name
  incomplete Freund's adjuvant as the train gold does (the built lexicon
  gave three different names).
  Salt and formulation words for choosing a canonical are read from
  ``drug_code_slots.json`` (``name_salt_words`` plus
  ``name_builder_salt_words``; ``name_form_words``), one list with the component.
  Salt, ester and formulation words are taken off every canonical name by the
  component (``name_salt_words`` and related keys of ``drug_code_slots.json``).
  A set's canonical is ranked INN > development code > other name
  (``ranked_best``): a name is INN-like when it carries a WHO INN stem, is a
  curated INN (``drug_curated.jsonl``) or is written in lowercase by some
  record (brands are capitalised: ``Excellarate``, ``RECENTIN™``); a code in
  the name field names a drug whose other names are neither INN-like nor
  the name field's own word (``GAM501`` rather than its brand Excellarate).
  Curated entries win over built ones.  The component leaves out of the
  lexicon stoplisted names (company names, unnamed cell products), a name
  followed by dosage-form words (``drug_code_slots.json``) when the rest is
  a name, and two names of different drugs joined by a hyphen.
- ``regimens.jsonl``: regimen acronyms and their components (oncology
  convention); ``drug_classes.jsonl``: class and therapy-type names (from
  the annotation guide and the train split); ``drug_class_grammar.json``: the
  grammar of class phrases; ``inn_stems.json``: WHO INN stems;
  ``drug_context.jsonl``: role cue rules; ``drug_code_slots.json``: when an
  unknown development code counts as a drug.  All hand-written files are
  edited directly; only ``drug_lexicon.jsonl`` is generated.
- ``models/drug_role.json`` (optional, not bundled): ``tools/train_drugs.py``.

Rebuild (about a minute)::

    python tools/build_drug_lexicon.py /work/shared/corpus/ctgov_records.jsonl

Each output line: ``{"name": surface (lowercase), "inn": canonical name}``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "extractor" / "data"

# salt/ester/formulation words (one list with the component's canonical_name:
# drug_code_slots.json name_salt_words, plus name_builder_salt_words the builder
# alone drops while choosing a canonical) and the words trimmed from a name's ends
SLOTS = json.loads((DATA / "drug_code_slots.json").read_text())
SALTS = frozenset(SLOTS["name_salt_words"]) | frozenset(SLOTS["name_builder_salt_words"])
FORMS = frozenset(SLOTS["name_form_words"])
ROUTE_WORDS = frozenset(SLOTS["name_route_words"])
DOSE = re.compile(r"\b\d[\d.,]*\s*(?:mg|g|mcg|µg|ug|ml|iu|units?|%|mg/kg|mg/m2)\b.*$", re.I)
CODE = re.compile(r"^[a-z]{1,6}[- ]?\d{2,}[a-z0-9-]*$")
# a development code naming a drug without an INN (ranked_best): letters then digits (kbmsi-2, gam501)
DEV_CODE = re.compile(r"^[a-z]{1,6}[- ]?\d+[a-z0-9-]*$")
WORD_NAME = re.compile(r"^[a-z][a-z\- ]{2,40}[a-z]$")
COMBINATION = re.compile(r"\b(?:and|plus|or|vs|versus|with|followed by|then)\b|[+&/，；、]")
NOISE_WORDS = {"of", "against", "controlled", "discontinuation", "therapeutic", "for", "the", "blockade",
               "regimen", "group", "arm", "control", "versus", "vs", "standard", "using", "no", "matching",
               "matched", "blinded", "open", "double-blind", "single-blind", "procedure", "sample", "samples",
               "test", "tests", "blood", "phase", "cohort", "part", "period", "level", "dose"}
STEMS = json.loads((DATA / "inn_stems.json").read_text())
INN_STEMS = tuple(STEMS["stems"])
# noise filter: a name without an INN stem, seen in the text of at least MIN_OTHER
# records that do not list it, and listed by less than RATIO of that number, is
# not kept (creatinine, platelet, biological, placebo-controlled)
MIN_OTHER = 100
RATIO = 0.02


def clean(name: str) -> str:
    name = name.replace("®", "").replace("™", "").replace("(TM)", "").replace("(R)", "").strip()
    name = DOSE.sub("", name).strip(" ,;-:.")
    return re.sub(r"\s+", " ", name).lower()


def base_name(surface: str) -> str:
    words = [w for w in surface.split() if w not in SALTS]
    while words and words[-1] in FORMS:
        words.pop()
    while words and words[0] in FORMS:
        words.pop(0)
    return " ".join(words)


def looks_generic(surface: str) -> bool:
    return bool(WORD_NAME.match(surface)) and len(surface.split()) <= 3


def inn_score(name: str, primary: bool) -> float:
    """How much a name looks like the generic (INN) name of its set."""
    score = 0.0
    if name.split()[-1].endswith(INN_STEMS) or name.split()[0].endswith(INN_STEMS):
        score += 4
    if looks_generic(name):
        score += 1
    if len(name.split()) == 1:
        score += 0.5
    if CODE.match(name) or any(c.isdigit() for c in name):
        score -= 3
    if primary and looks_generic(name) and primary != "part":
        score += 3  # the registry's own name field, when it reads like a generic name
    return score


def split_names(item: str) -> list[str]:
    outer = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", item)
    inner = re.findall(r"\(([^)]*)\)|\[([^\]]*)\]", item)
    parts = [outer] + [a or b for a, b in inner]
    names = []
    for part in parts:
        names.extend(p for p in re.split(r"[,;，；、]\s*", part) if p.strip())
    return names


def synonym_sets(records):
    """(name, primary) lists per Drug/Biological intervention; primary: True for
    the name field, False for other names, "part" for a part of a combination."""
    for record in records:
        for intervention in record.get("interventions") or []:
            if (intervention.get("type") or "").upper() not in ("DRUG", "BIOLOGICAL"):
                continue
            primary = intervention.get("name") or ""
            if clean(primary).endswith(CLASS_HEADS):
                continue  # a drug class listing its members
            if COMBINATION.search(re.sub(r"\([^)]*\)", "", primary).lower()):
                # a combination or a comparison: its other names are not synonyms,
                # but each part names a drug by itself (BAY60-4552 + Vardenafil)
                # (commas too: "Abacavir sulfate, Lamivudine and Zidovudine" lists three drugs)
                parts = re.split(r"\s*(?:\+|&|/|[,;，；、]|\band\b|\bplus\b|\bwith\b|\bor\b|\bvs\.?|\bversus\b)\s*",
                                 clean(primary))
                for part in parts:
                    if part and (CODE.match(part) or part.split()[-1].endswith(INN_STEMS)):
                        yield [(part, "part")]
                continue
            listed = [clean(p) for p in re.split(r"[,;，；、]\s*", re.sub(r"\([^)]*\)", "", primary)) if p.strip()]
            listed = [p for p in listed if p and p not in ROUTE_WORDS]
            if len(listed) >= 3 and any(p.split()[-1].endswith(INN_STEMS) for p in listed):
                # a list of drugs in the name field ("Miconazole, L-NMMA, Bradykinin"):
                # not synonyms of each other; each part names itself
                for part in listed:
                    yield [(part, True)]
                continue
            raw = [(n, True) for n in split_names(primary)]
            for other in intervention.get("other_names") or []:
                if COMBINATION.search(other.lower()):
                    continue
                raw.extend((n, False) for n in split_names(other))
            names = []
            for item, is_primary in raw:
                surface = clean(item)
                if surface:
                    names.append((surface, is_primary))
            if names:
                yield names


CLASS_HEADS = ("agents", "agent", "inhibitors", "inhibitor", "drugs", "drug", "therapy", "therapies",
               "medications", "medication", "blockers", "antagonists", "agonists", "based", "monotherapy",
               "immunotherapy", "chemotherapy", "regimen", "treatment", "inhibition")


def keep(surface: str, stoplist: set[str]) -> bool:
    return (surface not in stoplist and not surface.endswith(CLASS_HEADS) and 3 <= len(surface) <= 60 and len(surface.split()) <= 4
            and not NOISE_WORDS & set(surface.split()) and not re.fullmatch(r"[\d\W]+", surface)
            and not re.fullmatch(r"[ivx]+", surface) and not re.search(r"%|\+|\b(?:once|daily|intake|twice)\b", surface))


def lowercase_written(records) -> set[str]:
    """Names that some record writes in lowercase in an intervention's name or
    other names (``tolvaptan``, ``valspodar``): generic-name evidence, since a
    brand (``Excellarate``, ``RECENTIN™``) is written capitalised."""
    written = set()
    for record in records:
        for intervention in record.get("interventions") or []:
            for item in [intervention.get("name") or ""] + list(intervention.get("other_names") or []):
                for name in split_names(item):
                    if not any(c.isupper() for c in name) and "®" not in name and "™" not in name:
                        written.add(clean(name))
    return written


def curated_inns() -> set[str]:
    """The canonical names of the hand-written ``drug_curated.jsonl`` (WHO INNs)."""
    return {json.loads(line)["inn"] for line in (DATA / "drug_curated.jsonl").read_text().splitlines() if line}


def ranked_best(bases, best: str, inns: set[str], lowercase: set[str], stoplist: set[str]) -> str:
    """The set's canonical by rank INN > development code > other name.

    A name is INN-like when it carries a WHO INN stem (``inn_score``), is a
    curated INN, or is word-shaped and written in lowercase by some record.
    When ``best`` (the highest ``inn_score``) is neither INN-like nor a code:
    a stemmed or curated INN of the set replaces it (``Zemplar`` ->
    paricalcitol, ``Lunesta`` -> eszopiclone; placebo never does); else a
    word-shaped name in the name field stays (the sponsor's generic:
    ``OPC-41061(Tolvaptan)``), as does a set holding a lowercase-written name
    (``SCH 66336``/``lonafarnib``); else the name field's development code
    (letters then digits, ``DEV_CODE``) beats the brand or other name
    (``GAM501`` over ``Excellarate``, ``KBMSI-2`` over ``Better man``): the
    guide names a drug without an INN by its code.
    """
    def inn_like(name: str) -> bool:
        return inn_score(name, False) >= 4.5 or name in inns or (looks_generic(name) and name in lowercase)

    usable = [(b, p) for b, p in bases if keep(b, stoplist)]
    if inn_like(best) or DEV_CODE.match(best):
        return best
    known = [b for b, _ in usable if (b in inns or inn_score(b, False) >= 4.5) and "placebo" not in b]
    if known:
        return known[0]  # a curated or stemmed INN over a brand (Zemplar: paricalcitol)
    if any(p is True and b == best for b, p in usable) or any(inn_like(b) for b, _ in usable):
        return best  # the name field's word-shaped name is the sponsor's generic (tolvaptan)
    codes = [b for b, p in usable if DEV_CODE.match(b) and p is True]
    return codes[0] if codes else best


def build(records, stoplist: set[str]) -> list[dict]:
    votes: dict[str, Counter] = defaultdict(Counter)
    inns = curated_inns()
    lowercase = lowercase_written(records)
    for names in synonym_sets(records):
        names = [(n, p) for n, p in names if keep(n, stoplist)]
        if not names:
            continue
        bases = [(base_name(n) or n, p) for n, p in names]
        best, score = max(((b, inn_score(b, p)) for b, p in bases if keep(b, stoplist)),
                          key=lambda x: x[1], default=(None, 0))
        if best is None:
            continue
        best = ranked_best(bases, best, inns, lowercase, stoplist)
        stemmed = {b for b, _ in bases if inn_score(b, False) >= 4.5}
        primary = [b for b, p in bases if p is True]
        if len(stemmed) > 1:
            if primary and primary[0] in stemmed:
                best = primary[0]  # the name field is the generic; unstemmed others are its synonyms
                for name in stemmed - {best}:
                    votes[name][name] += 1  # another generic name stands for itself
                names = [(n, p) for n, p in names if (base_name(n) or n) not in stemmed - {best}]
            else:
                # several generic names in one set: each name only stands for itself
                for name in stemmed:
                    votes[name][name] += 1
                continue
        # how much the set says: a part of a combination or a lone name only names
        # itself (weakly), a set without an INN-like name less than one with it
        if all(p == "part" for _, p in names) or len(names) == 1:
            weight = 0.1
        elif best not in stemmed:
            weight = 0.5
        else:
            weight = 1.0
        for surface, _ in names:
            votes[surface][best] += weight
        votes[best][best] += weight
    mapping = {}
    for surface, counter in votes.items():
        # most votes; an INN-like canonical wins a tie
        mapping[surface] = max(counter, key=lambda c: (counter[c] + (0.25 if inn_score(c, False) >= 4.5 else 0), c))
    # follow chains (brand -> code -> generic) to the end
    for surface in list(mapping):
        seen = {surface}
        target = mapping[surface]
        while mapping.get(target, target) != target and target not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[surface] = target
    return [{"name": s, "inn": c} for s, c in sorted(mapping.items())]


def noise_filter(entries: list[dict], records, texts) -> tuple[list[dict], list[str]]:
    """Drop names that the corpus mostly writes when they are not an intervention."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    names = sorted({e["name"] for e in entries})
    for chunk in range(0, len(names), 2000):
        matcher.add("N", list(nlp.tokenizer.pipe(names[chunk:chunk + 2000])))
    listed: Counter = Counter()
    unlisted: Counter = Counter()
    for record, text in zip(records, texts):
        own = set()
        for names_, _ in ((n, None) for n in synonym_sets([record])):
            own.update(n for n, _ in names_)
        found = {doc_span.text.lower() for doc_span in
                 (doc[s:e] for doc in [nlp.make_doc(text)] for _, s, e in matcher(doc))}
        for name in own:
            listed[name] += 1
        for name in found - own:
            unlisted[" ".join(name.split())] += 1
    dropped = [e["name"] for e in entries
               if unlisted[e["name"]] >= MIN_OTHER and listed[e["name"]] < RATIO * unlisted[e["name"]]
               and not e["name"].endswith(INN_STEMS)]
    drop = set(dropped)
    return [e for e in entries if e["name"] not in drop], sorted(drop)


def main(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from extractor.records import render_ctgov

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus_records import records_without_test_sources

    records, held_out = records_without_test_sources(path)
    stoplist = {json.loads(line)["name"] for line in (DATA / "drug_stoplist.jsonl").read_text().splitlines()}
    entries = build(records, stoplist)
    texts = [render_ctgov(r, full=True).text for r in records]
    entries, dropped = noise_filter(entries, records, texts)
    with open(DATA / "drug_lexicon.jsonl", "w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"{len(entries)} names from {len(records)} records ({len(held_out)} test-split sources left out); "
          f"{len(dropped)} noisy names dropped: {', '.join(dropped[:80])}")


if __name__ == "__main__":
    main(sys.argv[1])
