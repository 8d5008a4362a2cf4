"""The label set of ANNOTATION_GUIDE.md (version 1.1): the contract for gold
files, pipeline output and scoring."""

from __future__ import annotations

GUIDE_VERSION = "1.1"

DRUG_LABELS = ("DRUG", "DRUG_CLASS")
ATTRIBUTE_LABELS = ("DOSE", "ROUTE", "SCHEDULE", "DURATION")
ENTITY_LABELS = DRUG_LABELS + ATTRIBUTE_LABELS + ("ENDPOINT", "TIMEFRAME")

# relation type -> (allowed Arg1 labels, allowed Arg2 labels)
RELATION_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Dose-Drug": (("DOSE",), DRUG_LABELS),
    "Route-Drug": (("ROUTE",), DRUG_LABELS),
    "Schedule-Drug": (("SCHEDULE",), DRUG_LABELS),
    "Duration-Drug": (("DURATION",), DRUG_LABELS),
    "Timeframe-Endpoint": (("TIMEFRAME",), ("ENDPOINT",)),
}

# attribute label -> relation type that links it to its head
RELATION_FOR_ATTRIBUTE = {
    args[0][0]: name for name, args in RELATION_TYPES.items()
}

ROLE_VALUES = ("study", "other")
NORMALIZATION_DB = "INN"
UNKNOWN_NAME = "unknown"
