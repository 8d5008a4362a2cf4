import json
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from html.parser import HTMLParser

import numpy
import pytest
from typer.testing import CliRunner

from extractor.brat import BratDocument, Entity, Relation, write_document
from extractor.cli import app
from extractor.corpus import load_split
from extractor.evaluate import predict
from extractor.report import evaluation_report, silver_report
from tests.conftest import ANNOTATIONS

CHROMIUM = "/usr/bin/chromium"
TEXT = "Give cisplatin 75 mg/m2 IV on day 1 with placebo.\nOutcome: overall survival, up to 2 years."


def brat(entities, relations=(), name="doc1"):
    ents = []
    for i, label, s, e in entities:
        drug = label == "DRUG"
        ents.append(Entity(i, label, s, e, TEXT[s:e], TEXT[s:e] if drug else None, "study" if drug else None))
    return BratDocument(name, TEXT, ents, [Relation(*r) for r in relations])


def span(text):
    start = TEXT.index(text)
    return start, start + len(text)


GOLD = brat(
    [("T1", "DRUG", *span("cisplatin")), ("T2", "DOSE", *span("75 mg/m2")), ("T3", "ROUTE", *span("IV")),
     ("T4", "SCHEDULE", *span("day 1")), ("T5", "ENDPOINT", *span("overall survival")),
     ("T6", "TIMEFRAME", *span("up to 2 years"))],
    [("R1", "Dose-Drug", "T2", "T1"), ("R2", "Route-Drug", "T3", "T1"), ("R3", "Timeframe-Endpoint", "T6", "T5")],
)
PRED = brat(
    [("T1", "DRUG", *span("cisplatin")), ("T2", "DOSE", *span("75 mg")), ("T3", "DURATION", *span("day 1")),
     ("T4", "DRUG", *span("placebo")), ("T5", "ENDPOINT", *span("overall survival")),
     ("T6", "TIMEFRAME", *span("up to 2 years"))],
    [("R1", "Dose-Drug", "T2", "T1"), ("R2", "Timeframe-Endpoint", "T6", "T5")],
)


class Page(HTMLParser):
    """Tables (as lists of row texts), elements by class, and every URL-like attribute."""

    def __init__(self):
        super().__init__()
        self.tables, self.classes, self.urls, self.tags = [], {}, [], []
        self.styles, self.ids = [], set()
        self._row = self._cell = None
        self._in_style = False
        self._stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name in ("href", "src", "srcset", "action", "data", "poster"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for cls in (attrs.get("class") or "").split():
            self.classes.setdefault(cls, []).append([])
        self._stack.append((tag, (attrs.get("class") or "").split()))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self.tables:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        if self._cell is not None:
            self._cell.append(data)
        for _, classes in self._stack:
            for cls in classes:
                self.classes[cls][-1].append(data)

    def texts(self, cls):
        return ["".join(parts) for parts in self.classes.get(cls, [])]


def parse(html):
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_offline(html, page):
    external = [u for u in page.urls if not u.startswith("#")]
    assert external == [], external
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    lowered = html.lower()
    for marker in ("http:", "https:", "url(", "@import", 'src="//', 'href="//'):
        assert marker not in lowered, marker


def test_report_tables_errors_and_no_external_resources():
    html = evaluation_report([GOLD], [PRED], description="unit test")
    page = parse(html)
    assert_offline(html, page)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # entities table: two header rows, 8 labels, micro; strict tp fp fn of DOSE = 0 1 1
    entity_table = page.tables[0]
    rows = {r[0]: r[1:] for r in entity_table[2:]}
    assert list(rows) == ["DOSE", "DRUG", "DRUG_CLASS", "DURATION", "ENDPOINT", "ROUTE", "SCHEDULE", "TIMEFRAME",
                          "micro"]
    assert rows["DOSE"][3:6] == ["0", "1", "1"]  # strict tp fp fn
    assert rows["DOSE"][9:12] == ["1", "0", "0"]  # lenient tp fp fn
    assert rows["micro"][:3] == ["0.500", "0.500", "0.500"]  # strict P R F1: 3 of 6 right, 3 of 6 found
    relation_table = page.tables[1]
    rel_rows = {r[0]: r[1:] for r in relation_table[2:]}
    assert rel_rows["Route-Drug"][3:6] == ["0", "0", "1"]
    assert rel_rows["micro"][3:6] == ["1", "1", "2"]
    # per-document table lists the document with its strict entity scores
    doc_table = next(t for t in page.tables if any("doc1" in cell for row in t for cell in row))
    assert doc_table[2][1] == "doc1" and doc_table[2][2:4] == ["6", "6"]
    # errors, each kind once, with context
    errors = page.texts("err")
    assert sorted(page.texts("kind")) == sorted(
        ["boundary", "false negative", "label confusion", "false positive",  # entities
         "false negative", "false negative", "false positive"]  # relations: Dose-Drug (both sides), Route-Drug
    )
    confusion = next(e for e in errors if e.startswith("label confusion"))
    assert "gold SCHEDULE “day 1” predicted as DURATION “day 1”" in confusion
    assert "Give cisplatin 75 mg/m2 IV on day 1 with placebo. Outcome" in confusion  # the line break flattened
    assert any("predicted DRUG “placebo”, nothing in gold" in e for e in errors)
    # the worst document rendered by displaCy, gold and prediction side by side
    assert "doc-doc1" in page.ids
    assert len(page.texts("entities")) == 2
    statuses = page.texts("st")
    assert statuses.count("missed") >= 1 and statuses.count("boundary") >= 1 and statuses.count("correct") >= 1


def test_report_of_real_documents_through_the_pipeline(nlp):
    gold = load_split(ANNOTATIONS, "dev")[:3]
    pred = predict(nlp, gold)
    html = evaluation_report(gold, pred, n_worst=2)
    page = parse(html)
    assert_offline(html, page)
    assert len(page.texts("entities")) == 4  # two documents, gold and predicted
    assert len([i for i in page.ids if i.startswith("doc-")]) == 2
    assert len(page.tables) >= 6
    doc_table = next(t for t in page.tables if t and t[0] and t[0][0] == "#")
    assert sorted(row[1] for row in doc_table[2:]) == sorted(d.id for d in gold)


def test_silver_report_is_offline_and_lists_misses():
    block = {"names": 2, "eligible": 1, "strict": {"found": 0, "recall": 0.0}, "lenient": {"found": 0, "recall": 0.0},
             "by_format": {"ctgov_legacy_xml": {"records": 1, "names": 2, "eligible": 1,
                                                "strict": {"found": 0, "recall": 0.0},
                                                "lenient": {"found": 0, "recall": 0.0}}},
             "mentions": {"n": 1, "strict": {"found": 0, "recall": 0.0}, "lenient": {"found": 0, "recall": 0.0},
                          "by_field": {}}}
    result = {
        "source": "r.jsonl", "limit": None, "records": {"read": 2, "scored": 1, "failed": 1},
        "failures": [{"source": "r.jsonl:2", "message": "r.jsonl:2: malformed JSON"}],
        "drugs": {**block, "by_type": {}}, "endpoints": block, "timeframes": block,
        "misses": [{"record": "NCT1", "source": "r.jsonl:1", "kind": "drugs", "name": "Aldesleukin <IL-2>",
                    "type": "biological", "format": "ctgov_legacy_xml", "field": "interventions",
                    "context": {"left": "BIOLOGICAL: ", "middle": "Aldesleukin <IL-2>", "right": "", "start": 12,
                                "end": 30}}],
    }
    html = silver_report(result)
    page = parse(html)
    assert_offline(html, page)
    assert any("Aldesleukin <IL-2>" in t for t in page.texts("err"))
    assert "r.jsonl:2: malformed JSON" in html
    assert len(page.tables) == 6


def test_cli_writes_report_and_json(tmp_path):
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    write_document(GOLD, gold_dir)
    write_document(PRED, pred_dir)
    out, report = tmp_path / "m.json", tmp_path / "out" / "r.html"
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(gold_dir), "--pred", str(pred_dir), "--json", str(out),
                                      "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(out.read_text())
    assert scores["entities"]["strict"]["micro"]["tp"] == 3
    page = parse(report.read_text(encoding="utf-8"))
    assert len(page.texts("err")) == 7
    assert not list(report.parent.glob(".*.tmp"))


# --- Rendering in headless Chromium -----------------------------------------


def png_pixels(data: bytes) -> numpy.ndarray:
    """Decode an 8-bit, non-interlaced RGB/RGBA/grey PNG into a (height, width, channels) array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    assert depth == 8 and interlace == 0, f"unsupported PNG (depth {depth}, interlace {interlace})"
    raw = numpy.frombuffer(zlib.decompress(b"".join(idat)), dtype=numpy.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = numpy.zeros((height, stride), dtype=numpy.int32)
    previous = numpy.zeros(stride, dtype=numpy.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(numpy.int32)
        if kind == 0:
            cur = line
        elif kind == 1:
            cur = numpy.cumsum(line.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:
            cur = (line + previous) % 256
        else:
            cur = numpy.zeros(stride, dtype=numpy.int32)
            for x in range(0, stride, channels):
                left = cur[x - channels:x] if x else numpy.zeros(channels, dtype=numpy.int32)
                up = previous[x:x + channels]
                if kind == 3:
                    pred = (left + up) // 2
                else:  # Paeth
                    up_left = previous[x - channels:x] if x else numpy.zeros(channels, dtype=numpy.int32)
                    p = left + up - up_left
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                    pred = numpy.where((pa <= pb) & (pa <= pc), left, numpy.where(pb <= pc, up, up_left))
                cur[x:x + channels] = (line[x:x + channels] + pred) % 256
        out[y] = cur
        previous = cur
    return out.reshape(height, width, channels)


def test_png_decoder_on_a_known_image():
    # 2x4 RGB, one row per filter: Sub, Up, Paeth, Average (raw bytes computed by hand)
    raw = bytes([1, 255, 0, 0, 1, 255, 0, 2, 1, 0, 255, 0, 0, 255, 4, 10, 20, 31, 30, 51, 30,
                 3, 95, 90, 85, 236, 231, 226])
    ihdr = struct.pack(">IIBBBBB", 2, 4, 8, 2, 0, 0, 0)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    pixels = png_pixels(png)
    assert pixels.tolist() == [
        [[255, 0, 0], [0, 255, 0]],
        [[0, 0, 255], [0, 255, 255]],
        [[10, 20, 30], [40, 50, 60]],
        [[100, 100, 100], [50, 50, 50]],
    ]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(tmp_path, nlp):
    gold = load_split(ANNOTATIONS, "dev")[:2]
    page = tmp_path / "r.html"
    page.write_text(evaluation_report(gold, predict(nlp, gold), n_worst=1), encoding="utf-8")
    shot = tmp_path / "out.png"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pixels = png_pixels(shot.read_bytes())
    assert pixels.shape[:2] == (1400, 1000)
    rgb = pixels[..., :3]
    background = numpy.all(rgb == 255, axis=-1)
    assert background.mean() > 0.3  # a white page ...
    assert background.mean() < 0.97  # ... with something drawn on it
    colors = {tuple(c) for c in rgb[::7, ::7].reshape(-1, 3).tolist()}
    assert len(colors) > 20  # text, table shading and entity colours, not a uniform image
    assert (rgb[:, :, 0] < 80).mean() > 0.003  # dark text


# --- evaluate never skips a document -----------------------------------------


def run_evaluate(*args):
    return CliRunner().invoke(app, ["evaluate", *map(str, args)])


def test_invalid_gold_stops_evaluate_with_file_and_line(tmp_path):
    write_document(GOLD, tmp_path)
    ann = tmp_path / "doc1.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("DOSE", "AMOUNT")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_evaluate("--gold", tmp_path, "--pred", tmp_path)
    assert result.exit_code == 2
    assert f"{ann}:2: unknown entity label 'AMOUNT'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("remove", [".ann", ".txt"])
def test_unpaired_gold_file_is_an_error(tmp_path, remove):
    write_document(GOLD, tmp_path)
    write_document(brat([], name="doc2"), tmp_path)
    (tmp_path / f"doc2{remove}").unlink()
    result = run_evaluate("--gold", tmp_path, "--pred", tmp_path)
    assert result.exit_code == 2
    kept = ".txt" if remove == ".ann" else ".ann"
    assert f"doc2{kept}: no matching {remove}" in result.stderr


def test_missing_or_different_prediction_is_an_error(tmp_path):
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    write_document(GOLD, gold)
    write_document(brat([], name="doc2"), gold)
    write_document(PRED, pred)
    result = run_evaluate("--gold", gold, "--pred", pred)
    assert result.exit_code == 2 and "no document named doc2" in result.stderr
    write_document(BratDocument("doc2", TEXT + " changed"), pred)
    result = run_evaluate("--gold", gold, "--pred", pred)
    assert result.exit_code == 2 and f"{pred / 'doc2.txt'}: text differs from the gold text of doc2" in result.stderr


def test_split_naming_an_absent_document_and_empty_gold_are_errors(tmp_path):
    write_document(GOLD, tmp_path / "docs")
    (tmp_path / "splits.json").write_text(json.dumps({"dev": ["doc1", "doc9"], "test": []}), encoding="utf-8")
    result = run_evaluate("--gold", tmp_path, "--split", "dev", "--pred", tmp_path / "docs")
    assert result.exit_code == 2 and "no document named doc9" in result.stderr
    result = run_evaluate("--gold", tmp_path, "--split", "test", "--pred", tmp_path / "docs")
    assert result.exit_code == 2 and "no gold documents in split 'test'" in result.stderr


def test_unwrap_keeps_offsets_and_paragraphs():
    from extractor.report import unwrap

    text = "suggests that greater\r\n      intake of vitamins\n\n      BACKGROUND:\r\n\r\n      Evidence\nDRUG: x"
    out = unwrap(text)
    assert len(out) == len(text)
    assert out == ("suggests that greater        intake of vitamins\n\n      BACKGROUND:\r\n\r\n      Evidence\n"
                   "DRUG: x")
