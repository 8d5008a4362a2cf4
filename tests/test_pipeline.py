"""Foundation: entry points, serialization, multiprocessing, no import side effects."""

import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

from extractor.output import doc_to_record
from tests.conftest import ANNOTATIONS

SEEDS = sorted((ANNOTATIONS / "docs").glob("seed_*.txt"))


def records(nlp, texts, **kwargs):
    return [doc_to_record(doc) for doc in nlp.pipe(texts, **kwargs)]


def test_factories_registered_without_importing_extractor():
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "for name in ['extractor_sentences', 'extractor_sections', 'extractor_drugs', 'extractor_attributes', 'extractor_relations']:\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('Patients receive bevacizumab 15 mg/kg IV every 3 weeks.')\n"
        "print([(e.text, e.label_) for e in doc.spans['extractor_entities']])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert json.loads(out.stdout.strip().replace("'", '"').replace("(", "[").replace(")", "]")) == [
        ["bevacizumab", "DRUG"], ["15 mg/kg", "DOSE"], ["IV", "ROUTE"], ["every 3 weeks", "SCHEDULE"],
    ]


def test_tokenizer_registered_in_config_without_import():
    code = (
        "import spacy\n"
        "from spacy.util import registry\n"
        "make = registry.tokenizers.get('extractor.TrialTokenizer.v1')()\n"
        "nlp = spacy.blank('en'); nlp.tokenizer = make(nlp)\n"
        "print('|'.join(t.text for t in nlp('1200mg q3w')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "1200|mg|q3w"


def test_disk_round_trip_gives_identical_output(nlp, tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert records(loaded, texts) == records(nlp, texts)


def test_docbin_round_trip_keeps_entities_and_extensions(nlp):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:3]]
    docs = list(nlp.pipe(texts))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    assert [doc_to_record(d) for d in back] == [doc_to_record(d) for d in docs]


def test_two_processes_equal_one(nlp):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] * 2
    assert records(nlp, texts, n_process=2, batch_size=2) == records(nlp, texts)


def test_import_has_no_global_side_effects():
    code = (
        "import logging, warnings\n"
        "import spacy, spacy.cli, numpy, rapidfuzz, srsly, typer  # dependencies set their own filters\n"
        "filters = list(warnings.filters); handlers = list(logging.getLogger().handlers)\n"
        "level = logging.getLogger().level\n"
        "import extractor, extractor.cli, extractor.drugs, extractor.attributes\n"
        "assert warnings.filters == filters, 'warning filters changed'\n"
        "assert logging.getLogger().handlers == handlers and logging.getLogger().level == level\n"
        "print('clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean"


def test_empty_doc(nlp):
    doc = nlp("")
    assert list(doc.ents) == [] and doc._.extractor_relations == []


def test_host_pipeline_keeps_its_own_entities():
    host = spacy.blank("en")
    ruler = host.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "TRIAL", "pattern": "IMpower133"}, {"label": "ORG", "pattern": "bevacizumab"}])
    host.add_pipe("extractor_drugs")
    host.add_pipe("extractor_attributes")
    doc = host("In IMpower133 patients receive bevacizumab 15 mg/kg IV.")
    assert [(e.text, e.label_) for e in doc.ents] == [("IMpower133", "TRIAL"), ("bevacizumab", "ORG")]
    assert [(e.text, e.label_) for e in doc.spans["extractor_entities"]] == [
        ("bevacizumab", "DRUG"), ("15 mg/kg", "DOSE"), ("IV", "ROUTE"),
    ]


def test_write_ents_replaces_only_overlapping_host_entities():
    host = spacy.blank("en")
    ruler = host.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "TRIAL", "pattern": "IMpower133"}, {"label": "ORG", "pattern": "bevacizumab"}])
    host.add_pipe("extractor_drugs", config={"write_ents": True})
    doc = host("In IMpower133 patients receive bevacizumab 15 mg/kg IV.")
    assert [(e.text, e.label_) for e in doc.ents] == [("IMpower133", "TRIAL"), ("bevacizumab", "DRUG")]


def test_load_pauses_the_garbage_collector_and_restores_its_state(monkeypatch):
    """Issue #9: no cyclic collection while the pipeline is built; the
    collector's state before the call comes back, on errors too."""
    import gc

    import extractor
    import extractor.pipeline

    seen = []

    def fake_load(path=None, **kwargs):
        seen.append(gc.isenabled())
        if path == "broken":
            raise OSError("no such pipeline")
        return "pipeline"

    monkeypatch.setattr(extractor.pipeline, "load_pipeline", fake_load)
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        assert extractor.load() == "pipeline"
        assert gc.isenabled()
        with pytest.raises(OSError):
            extractor.load("broken")
        assert gc.isenabled()
        gc.disable()
        assert extractor.load() == "pipeline"
        assert not gc.isenabled()
    finally:
        gc.enable() if was_enabled else gc.disable()
    assert seen == [False, False, False]
