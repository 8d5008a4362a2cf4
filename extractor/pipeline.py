"""Assembling, loading and saving the extractor pipeline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

DEFAULT_CONFIG = "extractor.cfg"


def default_config_path():
    return resources.files("extractor.pipelines").joinpath(DEFAULT_CONFIG)


def load_pipeline(path: str | Path | None = None, **kwargs) -> Language:
    """The bundled pipeline (``path=None``), or one saved with ``nlp.to_disk``."""
    if path is not None:
        return spacy.load(path, **kwargs)
    config = load_config(default_config_path())
    nlp = load_model_from_config(config, auto_fill=True, validate=True, **kwargs)
    nlp.initialize()
    return nlp
