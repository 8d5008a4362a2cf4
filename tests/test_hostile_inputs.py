"""Hostile files for the gold-file reader and the CLI (issue #11).

Every bad input gets a clear error naming it (``file:line`` where a line is at
fault), the CLI exits non-zero with a message instead of a traceback, and the
rest of the batch is still processed.
"""

import json
import os

import pytest
from typer.testing import CliRunner

from extractor.brat import BratError, covered_text, parse_ann, read_directory, read_document
from extractor.cli import app

runner = CliRunner()

TEXT = "Give cisplatin 75 mg/m2 now."
GOOD_ANN = "T1\tDRUG 5 14\tcisplatin\nN1\tReference T1 INN:cisplatin\tcisplatin\nA1\tRole T1 study\n"


def pair(folder, name, ann, text=TEXT):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8")
    return folder / f"{name}.txt"


def brat_error(path, **kwargs) -> str:
    with pytest.raises(BratError) as info:
        read_document(path, **kwargs)
    return str(info.value)


def no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# ---- the brat reader ---------------------------------------------------------

@pytest.mark.parametrize(
    "ann,expected",
    [
        ("T1\tDRUG 5 14\tcisplatin\nN1\tReference T1 INN:cispl", "doc.ann:2: malformed normalization line"),
        ("T1\tDRUG 5 1", "doc.ann:1: malformed entity line"),
        ("T1\tDRUG 5 14\tcispl", "doc.ann:1: covered text 'cispl' differs"),
        ("T1\tDRUG 5 14\tcisplatin\nR1\tDose-Drug Arg1:T", "doc.ann:2: malformed relation line"),
    ],
)
def test_truncated_ann_names_file_and_line(tmp_path, ann, expected):
    assert expected in brat_error(pair(tmp_path, "doc", ann))


def test_truncated_utf8_is_reported_not_raised(tmp_path):
    path = pair(tmp_path, "doc", "")
    (tmp_path / "doc.ann").write_bytes("T1\tDRUG 0 4\tGivé".encode("utf-8")[:-1])
    assert "doc.ann: not UTF-8 (byte" in brat_error(path)


@pytest.mark.parametrize(
    "offsets,expected",
    [
        ("5 140", "offsets 5-140 out of range for a text of 28 characters"),
        ("14 5", "offsets 14-5 out of range"),
        ("9" * 5000 + " " + "9" * 5001, "offsets of 5001 digits out of range"),  # int() refuses > 4300 digits
    ],
)
def test_offsets_beyond_the_text(tmp_path, offsets, expected):
    text = brat_error(pair(tmp_path, "doc", f"T1\tDRUG {offsets}\tcisplatin\n"))
    assert "doc.ann:1:" in text and expected in text


def test_huge_count_of_bad_lines_is_summarized(tmp_path):
    lines = "".join(f"T{i}\tDRUG 5 14\tcisplatim\n" for i in range(1, 100_001))
    text = brat_error(pair(tmp_path, "doc", lines))
    assert text.startswith(f"{tmp_path / 'doc.ann'}:1: covered text")
    assert text.endswith("... and 99980 more")
    assert len(text.splitlines()) == 21


def test_huge_count_of_good_lines_reads(tmp_path):
    n = 50_000
    text = "cisplatin " * n
    ann = "".join(f"T{i + 1}\tDRUG {10 * i} {10 * i + 9}\tcisplatin\n" for i in range(n))
    ann += "".join(f"R{i + 1}\tDose-Drug Arg1:T{i + 1} Arg2:T{i + 2}\n" for i in range(0, 10, 2))
    with pytest.raises(BratError, match=r"doc.ann:50001: R1 Dose-Drug Arg1 must be DOSE"):
        read_document(pair(tmp_path, "doc", ann, text))
    entities, relations, _ = parse_ann(ann.split("R1\t")[0], text, "doc.ann")
    assert len(entities) == n and not relations


def test_paths_with_spaces_and_unicode(tmp_path):
    folder = tmp_path / "gold files ü 名"
    path = pair(folder, "doc 1 é", GOOD_ANN)
    doc = read_document(path, require_complete=True)
    assert doc.id == "doc 1 é" and [e.text for e in doc.entities] == ["cisplatin"]
    pair(folder, "bad doc ø", "T1\tDRUG 5 14\tcisplatim\n")
    with pytest.raises(BratError) as info:
        read_directory(folder)
    assert f"{folder / 'bad doc ø.ann'}:1: covered text" in str(info.value)


def test_directory_where_a_file_is_expected(tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc.ann").mkdir()
    assert f"{tmp_path / 'doc.ann'}: a directory, not a file" in brat_error(tmp_path / "doc.txt")
    with pytest.raises(BratError, match="a directory, not a file"):
        read_directory(tmp_path)


def test_unreadable_file(tmp_path):
    path = pair(tmp_path, "doc", GOOD_ANN)
    ann = tmp_path / "doc.ann"
    ann.chmod(0)
    try:
        if os.access(ann, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading (see the directory and symlink tests)")
        assert f"{ann}: cannot read (Permission denied)" in brat_error(path)
    finally:
        ann.chmod(0o644)


def test_symlink_loop_in_a_brat_folder(tmp_path):
    pair(tmp_path, "good", GOOD_ANN)
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "loop.ann").write_text("", encoding="utf-8")
    assert f"{tmp_path / 'loop.txt'}: a broken symbolic link or a symlink loop" in brat_error(tmp_path / "loop.txt")
    with pytest.raises(BratError, match="symlink loop"):
        read_directory(tmp_path)


def test_neither_file_exists(tmp_path):
    assert f"{tmp_path / 'nothing.txt'}: no such document" in brat_error(tmp_path / "nothing.txt")


# ---- the CLI -----------------------------------------------------------------

def test_annotate_hostile_folder_reports_each_and_carries_on(tmp_path, nlp, monkeypatch):
    folder = tmp_path / "in put ü"
    folder.mkdir()
    (folder / "good doc 名.txt").write_text("Patients receive cisplatin 75 mg/m2 IV.", encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "up").symlink_to(tmp_path)  # a directory loop
    (folder / "sub.txt").mkdir()  # a directory where a file is expected
    (folder / "sub.txt" / "inner.txt").write_text("Give etoposide 100 mg/m2.", encoding="utf-8")
    # one line longer than nlp.max_length (lowered here so the test stays fast; a
    # 1 MB line goes the same way): annotated in pieces, not refused
    import extractor

    monkeypatch.setattr(nlp, "max_length", 20_000)
    monkeypatch.setattr(extractor, "load", lambda *args, **kwargs: nlp)  # the CLI's pipeline
    line = "Give cisplatin 75 mg/m2 IV every 3 weeks. "
    (folder / "megabyte line.txt").write_text(line * (50_000 // len(line) + 1), encoding="utf-8")
    (folder / "truncated.jsonl").write_text('{"id": "r1", "text": "Give cisplatin."}\n{"id": "r2", "te', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(folder), str(tmp_path / "missing file.txt"), "-o", str(out)])
    no_traceback(result)
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["good doc 名", "inner", "megabyte line", "r1"]  # the long text in pieces
    assert f"{folder / 'loop.txt'}: broken symbolic link or symlink loop" in result.stderr
    assert f"{folder / 'truncated.jsonl'}:2: malformed JSON" in result.stderr
    assert f"{tmp_path / 'missing file.txt'}: no such file or directory" in result.stderr
    assert "4 documents annotated, 3 failed" in result.stderr


def test_validate_hostile_batch(tmp_path):
    folder = tmp_path / "gold ü"
    good = pair(folder, "good", GOOD_ANN)
    pair(folder, "truncated", GOOD_ANN[:-9])  # "A1\tRole "
    pair(folder, "far", "T1\tDRUG 5 140\tcisplatin\n")
    other = tmp_path / "other"
    pair(other, "alone", GOOD_ANN)
    (other / "alone.ann").unlink()
    (other / "alone.ann").mkdir()
    result = runner.invoke(app, ["validate", str(folder), str(good), str(other / "alone.txt"), str(tmp_path / "nope.txt")])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout.strip() == "ok good: 1 entities, 0 relations"  # the good file, given on its own
    assert f"{folder / 'truncated.ann'}:3: malformed attribute line" in result.stderr
    assert f"{folder / 'far.ann'}:1: offsets 5-140 out of range" in result.stderr
    assert f"{other / 'alone.ann'}: a directory, not a file" in result.stderr
    assert f"{tmp_path / 'nope.txt'}: no such document" in result.stderr


def _shifted_ann(text, words):
    # offsets counted on the text with "\r\n" read as one character, the text
    # fields then copied from the real text: each line's spans move by a character
    lf = text.replace("\r\n", "\n")
    lines, at = [], 0
    for number, word in enumerate(words, start=1):
        start = lf.index(word, at)
        at = start + len(word)
        lines.append(f"T{number}\tROUTE {start} {at}\t{covered_text(text, start, at)}")
    return "\n".join(lines) + "\n"


def test_validate_refuses_offsets_counted_without_carriage_returns(tmp_path):
    text = "Arm A\r\ncisplatin IV daily\r\ncarboplatin IV weekly\r\nfilgrastim SC\r\nepoetin SC\r\nheparin SC\r\n"
    folder = tmp_path / "gold"
    pair(folder, "shifted", _shifted_ann(text, ["IV", "IV", "SC", "SC", "SC"]), text=text)
    result = runner.invoke(app, ["validate", str(folder)])
    no_traceback(result)
    assert result.exit_code == 1
    assert "shifted: 5 of 5 spans start or end inside a word or on a space" in result.stderr
    assert "\\r\\n line breaks as one character?" in result.stderr


def test_validate_warns_about_a_single_span_inside_a_word(tmp_path):
    text = "Give IP2018dose1 now."
    ann = "T1\tDRUG 5 11\tIP2018\nN1\tReference T1 INN:ip2018\tip2018\nA1\tRole T1 study\n"
    pair(tmp_path / "gold", "glued", ann, text=text)
    result = runner.invoke(app, ["validate", str(tmp_path / "gold")])
    no_traceback(result)
    assert result.exit_code == 0
    assert result.stdout.strip() == "ok glued: 1 entities, 0 relations"
    assert "warning glued: T1 DRUG 'IP2018' starts or ends inside a word or on a space" in result.stderr


@pytest.mark.parametrize("command", [["agreement", "{a}", "{b}"], ["stats", "{a}"], ["evaluate", "--gold", "{a}", "--pred", "{b}"]])
def test_commands_on_invalid_folders_exit_with_a_message(tmp_path, command):
    a, b = tmp_path / "a", tmp_path / "b"
    pair(a, "doc", "T1\tDRUG 5 14\tcisplatim\n")
    pair(b, "doc", GOOD_ANN)
    result = runner.invoke(app, [part.format(a=a, b=b) for part in command])
    no_traceback(result)
    assert result.exit_code == 2
    assert "error:" in result.stderr
    expected = f"{a / 'splits.json'}: cannot read splits" if command[0] == "stats" else f"{a / 'doc.ann'}:1: covered text"
    assert expected in result.stderr
