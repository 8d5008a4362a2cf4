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


# Hypothesis profiles for the property tests (tests/test_properties.py, issue #11).
# "ci" (the default) is derandomized and small enough for the whole suite to stay
# within minutes; "long" is the thorough run, e.g.
#   HYPOTHESIS_PROFILE=long EXTRACTOR_HYPOTHESIS_EXAMPLES=10000 pytest tests/test_properties.py
try:
    import os

    from hypothesis import HealthCheck, settings

    _examples = int(os.environ.get("EXTRACTOR_HYPOTHESIS_EXAMPLES", "0"))
    # each example runs the whole pipeline (milliseconds, not microseconds), so
    # too_slow and the per-example deadline do not apply; the database is off so
    # a CI run is the same run every time
    _common = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("ci", max_examples=_examples or 40, derandomize=True, **_common)
    settings.register_profile("long", max_examples=_examples or 10_000, derandomize=False, **_common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is a test extra; tests that need it import it themselves
    pass
