from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "annotations"


@pytest.fixture(scope="session")
def nlp():
    import extractor

    return extractor.load()


@pytest.fixture(scope="session")
def tokenizer_nlp():
    import spacy

    from extractor.tokenizer import make_trial_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = make_trial_tokenizer(nlp)
    return nlp
