import pytest

from extractor.brat import BratDocument, BratError, Entity, Relation, read_directory, read_document, write_document

TEXT = "Patients receive bevacizumab 15mg/kg IV every 3 weeks."


def write_pair(tmp_path, ann, text=TEXT, name="doc"):
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / f"{name}.ann").write_text(ann, encoding="utf-8")
    return tmp_path / f"{name}.txt"


GOOD = (
    "T1\tDRUG 17 28\tbevacizumab\n"
    "T2\tDOSE 29 36\t15mg/kg\n"
    "N1\tReference T1 INN:bevacizumab\tbevacizumab\n"
    "A1\tRole T1 study\n"
    "R1\tDose-Drug Arg1:T2 Arg2:T1\n"
)


def error_of(tmp_path, ann, **kwargs):
    path = write_pair(tmp_path, ann)
    with pytest.raises(BratError) as info:
        read_document(path, **kwargs)
    return str(info.value)


def test_reads_good_file(tmp_path):
    doc = read_document(write_pair(tmp_path, GOOD), require_complete=True)
    assert [(e.label, e.text, e.normalized, e.role) for e in doc.entities] == [
        ("DRUG", "bevacizumab", "bevacizumab", "study"),
        ("DOSE", "15mg/kg", None, None),
    ]
    assert [(r.label, r.arg1, r.arg2) for r in doc.relations] == [("Dose-Drug", "T2", "T1")]


@pytest.mark.parametrize(
    "ann,line,message",
    [
        ("T1\tDRUG 17 99\tbevacizumab\n", 1, "out of range"),
        ("T1\tDRUG 17 28\tbevacizumap\n", 1, "differs from text"),
        ("T1\tMEDICINE 17 28\tbevacizumab\n", 1, "unknown entity label"),
        ("T1\tDRUG 17 28\tbevacizumab\nT2\tDOSE 29 36\t15mg/kg\nR1\tDrug-Dose Arg1:T2 Arg2:T1\n", 3, "unknown relation type"),
        ("T1\tDRUG 17 28\tbevacizumab\nT2\tDOSE 29 36\t15mg/kg\nR1\tDose-Drug Arg1:T1 Arg2:T2\n", 3, "Arg1 must be DOSE"),
        ("T1\tDRUG 17 28\tbevacizumab\nR1\tDose-Drug Arg1:T7 Arg2:T1\n", 2, "T7 is not an entity"),
        ("T1\tDRUG 17 28\tbevacizumab\nN1\tReference T9 INN:x\tx\n", 2, "not an entity of this file"),
        ("T1\tDRUG 17 28\tbevacizumab\nT1\tDOSE 29 36\t15mg/kg\n", 2, "duplicate id T1"),
        ("T1\tDRUG 17 28\tbevacizumab\nT2\tDRUG 21 28\tcizumab\n", 2, "overlaps T1"),
        ("T1\tDRUG 17 28 bevacizumab\n", 1, "malformed entity line"),
        ("X1\twhatever\n", 1, "unknown line kind"),
        ("T1\tDRUG 17 28\tbevacizumab\nA1\tRole T1 maybe\n", 2, "Role value"),
        ("T1\tDOSE 29 36\t15mg/kg\nA1\tRole T1 study\n", 2, "only DRUG and DRUG_CLASS get a Role"),
    ],
)
def test_validation_errors_name_file_and_line(tmp_path, ann, line, message):
    text = error_of(tmp_path, ann)
    assert f"doc.ann:{line}:" in text
    assert message in text


def test_gold_rules_require_inn_and_role(tmp_path):
    text = error_of(tmp_path, "T1\tDRUG 17 28\tbevacizumab\n", require_complete=True)
    assert "doc.ann:1:" in text and "no normalization" in text and "no Role" in text


def test_missing_partner_files(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.ann").write_text("", encoding="utf-8")
    with pytest.raises(BratError) as info:
        read_directory(tmp_path)
    assert "a.txt: no matching .ann" in str(info.value)
    assert "b.ann: no matching .txt" in str(info.value)


def test_non_utf8_text(tmp_path):
    (tmp_path / "doc.txt").write_bytes(b"caf\xe9")
    (tmp_path / "doc.ann").write_text("", encoding="utf-8")
    with pytest.raises(BratError, match=r"doc.txt: not UTF-8"):
        read_document(tmp_path / "doc.txt")


def test_span_across_hard_wrap_uses_spaces(tmp_path):
    text = "give carbo-\r\n      platin now"
    end = text.index("platin") + len("platin")
    ann = f"T1\tDRUG 5 {end}\tcarbo-        platin\nN1\tReference T1 INN:carboplatin\tcarboplatin\nA1\tRole T1 study\n"
    doc = read_document(write_pair(tmp_path, ann, text), require_complete=True)
    assert doc.entities[0].text == "carbo-\r\n      platin"


def test_write_then_read_is_identity(tmp_path):
    doc = BratDocument(
        "rt",
        TEXT,
        [
            Entity("T5", "DOSE", 29, 36, "15mg/kg"),
            Entity("T2", "DRUG", 17, 28, "bevacizumab", "bevacizumab", "study"),
            Entity("T9", "ROUTE", 37, 39, "IV"),
        ],
        [Relation("R1", "Dose-Drug", "T5", "T2"), Relation("R2", "Route-Drug", "T9", "T2")],
    )
    write_document(doc, tmp_path)
    back = read_document(tmp_path / "rt.txt", require_complete=True)
    assert [(e.label, e.start, e.end, e.normalized, e.role) for e in back.entities] == [
        ("DRUG", 17, 28, "bevacizumab", "study"),
        ("DOSE", 29, 36, None, None),
        ("ROUTE", 37, 39, None, None),
    ]
    ids = {e.id: (e.start, e.end) for e in back.entities}
    assert sorted((r.label, ids[r.arg1], ids[r.arg2]) for r in back.relations) == [
        ("Dose-Drug", (29, 36), (17, 28)),
        ("Route-Drug", (37, 39), (17, 28)),
    ]
