"""Shared document helpers of ``extractor.extensions``."""

import pytest

from extractor.extensions import Lines


@pytest.mark.parametrize(
    ("char", "start", "end"),
    [
        (0, 0, 3),   # first line "abc"
        (2, 0, 3),
        (3, 0, 3),   # the newline ending a line belongs to it
        (4, 4, 4),   # an empty line
        (5, 5, 8),   # last line "xyz", without a newline after it
        (8, 5, 8),   # the end of the text
    ],
)
def test_lines_bound_the_line_holding_a_character(char, start, end):
    text = "abc\n\nxyz"
    lines = Lines(text)
    assert (lines.start(char), lines.end(char)) == (start, end)
    # the same bounds as scanning the text for newlines
    assert lines.start(char) == text.rfind("\n", 0, char) + 1
    assert lines.end(char) == (text.find("\n", char) if "\n" in text[char:] else len(text))


def test_a_text_without_newlines_is_one_line():
    lines = Lines("cisplatin 75 mg/m2 IV")
    assert (lines.start(12), lines.end(12)) == (0, 21)


def test_set_span_data_is_read_back_through_the_span_accessor():
    import spacy

    from extractor.extensions import set_span_data, span_data

    doc = spacy.blank("en")("Patients receive cisplatin 75 mg/m2.")
    span = doc[2:3]
    set_span_data(span, normalized="cisplatin", role="study")
    # any span over the same characters reads the values
    assert doc[2:3]._.extractor_normalized == "cisplatin"
    assert span_data(doc.char_span(17, 26))["role"] == "study"
    assert doc[3:4]._.extractor_normalized is None


def test_set_span_data_calls_a_setter_registered_in_its_place():
    import spacy
    from spacy.tokens import Span

    from extractor.extensions import ensure_extensions, set_span_data

    ensure_extensions()
    saved = Span.get_extension("extractor_role")
    written = []
    Span.set_extension("extractor_role", getter=lambda span: "x", setter=lambda span, value: written.append(value),
                       force=True)
    try:
        doc = spacy.blank("en")("Patients receive cisplatin.")
        set_span_data(doc[2:3], normalized="cisplatin", role="other")
        assert written == ["other"]
        assert doc[2:3]._.extractor_normalized == "cisplatin"
    finally:
        default, method, getter, setter = saved
        Span.set_extension("extractor_role", default=default, force=True)
