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
