"""extractor: drug regimens and endpoints from clinical-trial text, as spaCy components."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load"]


def load(path=None, **kwargs):
    """The ready extractor pipeline.

    With no ``path``, the pipeline is assembled from the bundled config
    (``pipelines/extractor.cfg``) and initialized with the bundled data.  With
    a path, a pipeline saved by ``nlp.to_disk`` is loaded.  Keyword arguments
    go to :func:`spacy.load` / :func:`spacy.util.load_model_from_config`.
    """
    from .pipeline import load_pipeline

    return load_pipeline(path, **kwargs)
