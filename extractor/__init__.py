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
    import gc

    # Cyclic garbage collection paused while loading (issue #9): building
    # the pipeline allocates millions of short-lived objects (parsed
    # expressions, lexicon entries) and hardly any cyclic garbage, yet the
    # collector ran some 670 times over the growing heap, about a sixth of
    # the load time.  Reference counting still frees what is dropped; the
    # collector's previous state comes back whatever happens.
    enabled = gc.isenabled()
    gc.disable()
    try:
        from .pipeline import load_pipeline

        return load_pipeline(path, **kwargs)
    finally:
        if enabled:
            gc.enable()
