"""Access to the data files shipped inside the package (``extractor/data``)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def data_path(name: str):
    return resources.files("extractor").joinpath("data").joinpath(name)


def read_data_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


def read_data(name: str) -> Any:
    """A JSON file as an object, a JSONL file as a list of objects."""
    text = read_data_text(name)
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)
