"""Self-contained HTML reports of an evaluation: score tables, per-document
scores, error lists with context and the worst documents rendered with
displaCy next to their gold annotations.

The functions return the page as a string (inline CSS, no scripts, no
external resources, so the file opens offline); the CLI writes it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import escape

from . import __version__
from .brat import BratDocument
from .schema import ENTITY_LABELS, RELATION_TYPES
from .scoring import (
    ERROR_KINDS,
    _strict_key,
    document_badness,
    document_scores,
    error_analysis,
    pair_documents,
    score_documents,
)

LABEL_COLORS = {
    "DRUG": "#7aecec",
    "DRUG_CLASS": "#bfeeb7",
    "DOSE": "#feca74",
    "ROUTE": "#ffeb80",
    "SCHEDULE": "#c887fb",
    "DURATION": "#e4e7d2",
    "ENDPOINT": "#aa9cfc",
    "TIMEFRAME": "#ff9561",
}

KIND_NAMES = {
    "false_positive": "false positive",
    "false_negative": "false negative",
    "label_confusion": "label confusion",
    "boundary": "boundary",
}

CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #222;
       margin: 0 auto; padding: 1em 2em 4em; max-width: 1500px; background: #fff; }
h1 { font-size: 1.7em; margin: .3em 0 .1em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .5em; padding-bottom: .2em; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.1em; margin: 1.2em 0 .4em; }
.meta { color: #666; margin: 0 0 1em; }
nav { margin: .6em 0 1em; }
nav a { margin-right: 1.1em; color: #2456a6; text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; margin: 1em 0; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: .6em 1em; min-width: 11em; background: #fafafa; }
.card .v { font-size: 1.6em; font-weight: 600; }
.card .k { color: #555; font-size: .9em; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f0f2f5; font-weight: 600; }
td.l, th.l { text-align: left; }
tr.micro td { font-weight: 700; border-top: 2px solid #999; }
td.f { font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .92em; max-width: 70em; }
.err { margin: .25em 0; padding: .3em .6em; border-left: 4px solid #ccc; background: #fbfbfb; }
.err.false_positive { border-left-color: #d9534f; }
.err.false_negative { border-left-color: #f0ad4e; }
.err.label_confusion { border-left-color: #8e44ad; }
.err.boundary { border-left-color: #3a87ad; }
.kind { display: inline-block; min-width: 11em; margin-right: .4em; font-size: .8em; font-weight: 700; text-transform: uppercase;
        color: #555; }
.doc { color: #777; font-size: .85em; }
.ctx { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .88em; white-space: pre-wrap; }
.what { font-size: .88em; color: #333; }
span.g { text-decoration: underline 3px #2e8b57; text-underline-offset: 3px; }
span.p { background: #cfe3ff; }
span.a1 { background: #ffe08a; border-radius: 3px; padding: 0 2px; }
span.a2 { background: #bde5c8; border-radius: 3px; padding: 0 2px; }
.lab { font-size: .75em; font-weight: 700; padding: 0 .35em; border-radius: 3px; }
.legend span { margin-right: 1.2em; }
details { margin: .3em 0 .8em; }
summary { cursor: pointer; font-weight: 600; font-size: 1.05em; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2em; }
.pair > div { border: 1px solid #ddd; border-radius: 6px; padding: .5em .8em; font-size: .9em;
              overflow-wrap: anywhere; }
.pair h4 { margin: 0 0 .3em; }
.st { font-size: .8em; font-weight: 700; padding: .05em .4em; border-radius: 3px; color: #fff; white-space: nowrap; }
.st.correct { background: #2e8b57; }
.st.boundary { background: #3a87ad; }
.st.missed { background: #e08e0b; }
.st.spurious { background: #d9534f; }
td.ctx { text-align: left; white-space: normal; }
.more { color: #777; font-style: italic; }
"""


def _num(value: float) -> str:
    return f"{value:.3f}"


def _f1_cell(value: float, active: bool = True) -> str:
    if not active:
        return '<td class="f">–</td>'
    hue = int(120 * max(0.0, min(1.0, value)))
    return f'<td class="f" style="background: hsl({hue}, 70%, 88%)">{_num(value)}</td>'


def _label(label: str) -> str:
    color = LABEL_COLORS.get(label, "#ddd")
    return f'<span class="lab" style="background: {color}">{escape(label)}</span>'


def _prf_cells(s: dict) -> str:
    active = bool(s["tp"] + s["fp"] + s["fn"])
    return (
        f'<td class="f">{_num(s["precision"]) if active else "–"}</td>'
        f'<td class="f">{_num(s["recall"]) if active else "–"}</td>'
        + _f1_cell(s["f1"], active)
        + f'<td>{s["tp"]}</td><td>{s["fp"]}</td><td>{s["fn"]}</td>'
    )


def _score_table(block: dict, first: str) -> str:
    """Strict and lenient side by side, one row per label plus micro."""
    head = "".join(f"<th>{h}</th>" for h in ("P", "R", "F1", "tp", "fp", "fn"))
    rows = [
        f'<tr><th class="l" rowspan="2">{escape(first)}</th><th colspan="6">strict</th>'
        f'<th colspan="6">lenient</th></tr><tr>{head}{head}</tr>'
    ]
    labels = list(block["strict"]["per_label"])
    for label in labels:
        rows.append(
            f'<tr><td class="l">{_label(label) if label in LABEL_COLORS else escape(label)}</td>'
            + _prf_cells(block["strict"]["per_label"][label])
            + _prf_cells(block["lenient"]["per_label"][label])
            + "</tr>"
        )
    rows.append(
        '<tr class="micro"><td class="l">micro</td>'
        + _prf_cells(block["strict"]["micro"])
        + _prf_cells(block["lenient"]["micro"])
        + "</tr>"
    )
    return "<table>" + "".join(rows) + "</table>"


def _segments(text: str, base: int, marks: list[tuple[int, int, str]]) -> str:
    """``text`` (starting at document offset ``base``) as HTML, each character
    wrapped in the classes of the marks covering it; whitespace runs flattened."""
    points = {0, len(text)}
    for start, end, _ in marks:
        points.update((max(0, min(len(text), start - base)), max(0, min(len(text), end - base))))
    cuts = sorted(points)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(re.sub(r"\s+", " ", text[a:b]))
        classes = sorted({cls for start, end, cls in marks if start - base <= a and b <= end - base})
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
    return "".join(out)


def _entity_text(e: dict | None) -> str:
    if e is None:
        return "–"
    text = escape(re.sub(r"\s+", " ", e["text"]))
    return f'{_label(e["label"])} “{text}”'


def _error_item(err: dict) -> str:
    ctx = err["context"]
    marks = []
    if err["gold"]:
        marks.append((err["gold"]["start"], err["gold"]["end"], "g"))
    if err["pred"]:
        marks.append((err["pred"]["start"], err["pred"]["end"], "p"))
    what = {
        "false_positive": f"predicted {_entity_text(err['pred'])}, nothing in gold",
        "false_negative": f"gold {_entity_text(err['gold'])} not predicted",
        "label_confusion": f"gold {_entity_text(err['gold'])} predicted as {_entity_text(err['pred'])}",
        "boundary": f"gold {_entity_text(err['gold'])}, predicted {_entity_text(err['pred'])}",
    }[err["kind"]]
    return (
        f'<div class="err {err["kind"]}"><span class="kind">{KIND_NAMES[err["kind"]]}</span>'
        f'<span class="what">{what}</span> <span class="doc">in {escape(err["doc"])}</span><br>'
        f'<span class="ctx">{escape(ctx["left"])}{_segments(ctx["middle"], ctx["start"], marks)}'
        f'{escape(ctx["right"])}</span></div>'
    )


def _relation_error_item(err: dict) -> str:
    ctx = err["context"]
    marks = [(err["arg1"]["start"], err["arg1"]["end"], "a1"), (err["arg2"]["start"], err["arg2"]["end"], "a2")]
    kind = "false_positive" if err["kind"] == "false_positive" else "false_negative"
    notes = []
    if err["lenient_match"]:
        notes.append("matches leniently (span boundaries differ)")
    if err.get("gold_arg2"):
        notes.append(f"gold links it to {_entity_text(err['gold_arg2'])}")
    middle = ctx["middle"]
    if len(middle) > 400:  # far-apart arguments: show both ends only
        a1, a2 = sorted([(err["arg1"]["start"], err["arg1"]["end"]), (err["arg2"]["start"], err["arg2"]["end"])])
        base = ctx["start"]
        left_part = middle[: a1[1] - base + 40]
        right_start = a2[0] - base - 40
        body = (
            _segments(left_part, base, marks) + ' <span class="more">[…]</span> '
            + _segments(middle[right_start:], base + right_start, marks)
        )
    else:
        body = _segments(middle, ctx["start"], marks)
    return (
        f'<div class="err {kind}"><span class="kind">{KIND_NAMES[kind]}</span>'
        f'<span class="what">{_entity_text(err["arg1"])} → {_entity_text(err["arg2"])}'
        f'{" — " + "; ".join(notes) if notes else ""}</span> <span class="doc">in {escape(err["doc"])}</span><br>'
        f'<span class="ctx">{escape(ctx["left"])}{body}{escape(ctx["right"])}</span></div>'
    )


def _grouped(items: list[dict], labels, render, limit: int) -> str:
    out = []
    for label in list(labels) + sorted({e["label"] for e in items} - set(labels)):
        group = [e for e in items if e["label"] == label]
        if not group:
            continue
        counts = ", ".join(
            f"{sum(1 for e in group if e['kind'] == k)} {KIND_NAMES[k]}"
            for k in ERROR_KINDS
            if any(e["kind"] == k for e in group)
        )
        shown = "".join(render(e) for e in group[:limit])
        more = f'<p class="more">… {len(group) - limit} more (all are in the JSON).</p>' if len(group) > limit else ""
        anchor = "err-" + re.sub(r"[^A-Za-z0-9]+", "-", label)
        out.append(
            f'<details open id="{anchor}"><summary>{_label(label) if label in LABEL_COLORS else escape(label)} '
            f"— {len(group)} errors ({counts})</summary>{shown}{more}</details>"
        )
    return "".join(out) or "<p>No errors.</p>"


def _error_counts_table(errors: list[dict]) -> str:
    head = "".join(f"<th>{KIND_NAMES[k]}</th>" for k in ERROR_KINDS)
    rows = [f'<tr><th class="l">gold label (or predicted)</th>{head}<th>all</th></tr>']
    for label in ENTITY_LABELS:
        group = [e for e in errors if e["label"] == label]
        cells = "".join(f"<td>{sum(1 for e in group if e['kind'] == k)}</td>" for k in ERROR_KINDS)
        rows.append(f'<tr><td class="l">{_label(label)}</td>{cells}<td>{len(group)}</td></tr>')
    cells = "".join(f"<td>{sum(1 for e in errors if e['kind'] == k)}</td>" for k in ERROR_KINDS)
    rows.append(f'<tr class="micro"><td class="l">all</td>{cells}<td>{len(errors)}</td></tr>')
    return "<table>" + "".join(rows) + "</table>"


def _documents_table(rows: list[dict], rendered: set[str]) -> str:
    head = (
        '<tr><th class="l" rowspan="2">#</th><th class="l" rowspan="2">document</th>'
        '<th colspan="2">entities</th><th colspan="4">entities strict</th><th>lenient</th>'
        '<th colspan="2">relations</th><th colspan="4">relations strict</th><th>lenient</th></tr><tr>'
        + "".join(
            f"<th>{h}</th>"
            for h in ("gold", "pred", "P", "R", "F1", "fp/fn", "F1", "gold", "pred", "P", "R", "F1", "fp/fn", "F1")
        )
        + "</tr>"
    )
    out = [head]
    for index, row in enumerate(sorted(rows, key=document_badness), start=1):
        name = escape(row["id"])
        if row["id"] in rendered:
            name = f'<a href="#doc-{escape(row["id"])}">{name}</a>'
        cells = []
        for part in ("entities", "relations"):
            s, l = row[part]["strict"], row[part]["lenient"]
            active = bool(s["tp"] + s["fp"] + s["fn"])
            cells.append(
                f'<td>{row["gold_" + part]}</td><td>{row["pred_" + part]}</td>'
                f'<td class="f">{_num(s["precision"]) if active else "–"}</td>'
                f'<td class="f">{_num(s["recall"]) if active else "–"}</td>'
                + _f1_cell(s["f1"], active)
                + f'<td>{s["fp"]}/{s["fn"]}</td>'
                + _f1_cell(l["f1"], active)
            )
        out.append(f'<tr><td>{index}</td><td class="l">{name}</td>{"".join(cells)}</tr>')
    return "<table>" + "".join(out) + "</table>"


_HARD_WRAP = re.compile(r"(?<=[^\r\n])\r?\n(?=[ \t]+\S)")


def unwrap(text: str) -> str:
    """``text`` with the registry exports' hard line wraps (a line break inside a
    paragraph followed by an indent) as spaces of the same length, so offsets
    keep; field and paragraph breaks stay."""
    return _HARD_WRAP.sub(lambda m: " " * len(m.group()), text)


def _displacy(doc: BratDocument) -> str:
    from spacy import displacy

    ents = [{"start": e.start, "end": e.end, "label": e.label} for e in sorted(doc.entities, key=lambda e: e.start)]
    return displacy.render(
        [{"text": unwrap(doc.text), "ents": ents, "title": None}],
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": LABEL_COLORS, "ents": list(ENTITY_LABELS)},
    )


def _relation_rows(gold: BratDocument, pred: BratDocument) -> list[tuple[str, str, object, object]]:
    """``(status, type, arg1, arg2)`` over the gold and predicted relations of a document."""

    def triples(doc):
        by_id = {e.id: e for e in doc.entities}
        return [(r.label, by_id[r.arg1], by_id[r.arg2]) for r in doc.relations]

    def key(t):
        return (t[0], _strict_key(t[1]), _strict_key(t[2]))

    def lenient(t, others):
        return any(
            l == t[0] and x.label == t[1].label and x.overlaps(t[1]) and y.label == t[2].label and y.overlaps(t[2])
            for l, x, y in others
        )

    g, p = triples(gold), triples(pred)
    g_keys, p_keys = {key(t) for t in g}, {key(t) for t in p}
    rows = []
    for t in g:
        status = "correct" if key(t) in p_keys else "boundary" if lenient(t, p) else "missed"
        rows.append((status, *t))
    for t in p:
        if key(t) not in g_keys and not lenient(t, g):
            rows.append(("spurious", *t))
    rows.sort(key=lambda r: (min(r[2].start, r[3].start), r[0]))
    return rows


def _arc_context(text: str, a, b, width: int = 40) -> str:
    marks = [(a.start, a.end, "a1"), (b.start, b.end, "a2")]
    first, second = sorted([a, b], key=lambda e: e.start)
    if second.start - first.end <= 200:
        lo, hi = max(0, first.start - width), min(len(text), second.end + width)
        return _segments(text[lo:hi], lo, marks)
    lo1, hi1 = max(0, first.start - width), min(len(text), first.end + width)
    lo2, hi2 = max(0, second.start - width), min(len(text), second.end + width)
    return (
        _segments(text[lo1:hi1], lo1, marks)
        + f' <span class="more">[… {second.start - first.end} characters …]</span> '
        + _segments(text[lo2:hi2], lo2, marks)
    )


def _worst_document(gold: BratDocument, pred: BratDocument, row: dict) -> str:
    es, rs = row["entities"]["strict"], row["relations"]["strict"]
    rel_rows = _relation_rows(gold, pred)
    if rel_rows:
        items = "".join(
            f'<tr><td class="l"><span class="st {status}">{status}</span></td><td class="l">{escape(label)}</td>'
            f'<td class="l">{_entity_text({"label": a.label, "text": a.text})}</td>'
            f'<td class="l">{_entity_text({"label": b.label, "text": b.text})}</td>'
            f'<td class="ctx">{_arc_context(gold.text, a, b)}</td></tr>'
            for status, label, a, b in rel_rows
        )
        relations = (
            '<table><tr><th class="l">status</th><th class="l">type</th><th class="l">Arg1 (attribute)</th>'
            f'<th class="l">Arg2 (head)</th><th class="l">the pair in its text</th></tr>{items}</table>'
        )
    else:
        relations = "<p>No relations in gold or prediction.</p>"
    return (
        f'<section id="doc-{escape(gold.id)}"><h3>{escape(gold.id)}</h3>'
        f'<p class="note">entities strict F1 {_num(es["f1"])} (tp {es["tp"]}, fp {es["fp"]}, fn {es["fn"]}); '
        f'relations strict F1 {_num(rs["f1"])} (tp {rs["tp"]}, fp {rs["fp"]}, fn {rs["fn"]})</p>'
        f'<div class="pair"><div><h4>gold</h4>{_displacy(gold)}</div>'
        f'<div><h4>predicted</h4>{_displacy(pred)}</div></div>'
        f"<h4>Relations</h4>"
        f'<p class="legend note"><span><span class="a1">Arg1</span> attribute</span>'
        f'<span><span class="a2">Arg2</span> drug or endpoint</span>'
        f'<span><span class="st correct">correct</span> in both</span>'
        f'<span><span class="st boundary">boundary</span> matched only leniently</span>'
        f'<span><span class="st missed">missed</span> gold only</span>'
        f'<span><span class="st spurious">spurious</span> predicted only</span></p>{relations}</section>'
    )


def _page(title: str, meta: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="meta">{meta}</p>{body}</body></html>\n'
    )


def _generated() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"extractor {escape(__version__)}, {stamp}"


def evaluation_report(
    gold: list[BratDocument],
    pred: list[BratDocument],
    title: str = "Evaluation report",
    description: str = "",
    n_worst: int = 4,
    error_limit: int = 300,
) -> str:
    """The HTML page of an evaluation of ``pred`` against ``gold``.

    ``description`` (plain text) is shown under the title, e.g. the gold
    folder and split; at most ``error_limit`` errors are listed per label.
    """
    scores = score_documents(gold, pred)
    rows = document_scores(gold, pred)
    errors = error_analysis(gold, pred)
    worst = [r["id"] for r in sorted(rows, key=document_badness)[:n_worst]]
    pairs = {g.id: (g, p) for g, p in pair_documents(gold, pred)}
    by_id = {r["id"]: r for r in rows}

    ent, rel = scores["entities"], scores["relations"]
    cards = [
        ("entities F1 strict", ent["strict"]["micro"]["f1"]),
        ("entities F1 lenient", ent["lenient"]["micro"]["f1"]),
        ("relations F1 strict", rel["strict"]["micro"]["f1"]),
        ("relations F1 lenient", rel["lenient"]["micro"]["f1"]),
        (f"normalization (n={scores['normalization']['n']})", scores["normalization"]["accuracy"]),
        (f"role (n={scores['role']['n']})", scores["role"]["accuracy"]),
    ]
    card_html = "".join(f'<div class="card"><div class="v">{_num(v)}</div><div class="k">{k}</div></div>' for k, v in cards)
    nav = (
        '<nav><a href="#scores">scores</a><a href="#documents">documents</a><a href="#entity-errors">entity errors</a>'
        '<a href="#relation-errors">relation errors</a><a href="#worst">worst documents</a></nav>'
    )
    other = (
        '<table><tr><th class="l">measure</th><th>accuracy</th><th>n</th></tr>'
        f'<tr><td class="l">normalization (gold DRUG matched leniently, same INN)</td>'
        f'{_f1_cell(scores["normalization"]["accuracy"], bool(scores["normalization"]["n"]))}'
        f'<td>{scores["normalization"]["n"]}</td></tr>'
        f'<tr><td class="l">role (gold DRUG/DRUG_CLASS matched leniently, same role)</td>'
        f'{_f1_cell(scores["role"]["accuracy"], bool(scores["role"]["n"]))}<td>{scores["role"]["n"]}</td></tr></table>'
    )
    legend = (
        '<p class="legend note"><span><span class="g">underlined</span>: gold span</span>'
        '<span><span class="p">shaded</span>: predicted span</span>'
        "Boundary: a prediction overlapping a gold mention of its label with other offsets. "
        "Label confusion: a prediction overlapping a gold mention of another label only. "
        "False negatives here exclude gold mentions already shown as boundary or confusion errors.</p>"
    )
    body = (
        nav
        + f'<div class="cards">{card_html}</div>'
        + f'<h2 id="scores">Scores over {scores["documents"]} documents</h2>'
        + "<h3>Entities</h3>" + _score_table(ent, "label")
        + "<h3>Relations</h3>" + _score_table(rel, "type")
        + "<h3>Normalization and role</h3>" + other
        + '<p class="note">Strict: same label and offsets. Lenient: same label and overlapping offsets '
        "(tp counts gold mentions found, fp predictions overlapping no gold mention of their label). "
        "A dash marks a label with nothing in gold and nothing predicted.</p>"
        + f'<h2 id="documents">Documents, worst first</h2>{_documents_table(rows, set(worst))}'
        + '<p class="note">Order: mean of entity and relation strict F1 (a part empty in gold and prediction '
        "left out).</p>"
        + f'<h2 id="entity-errors">Entity errors ({len(errors["entities"])})</h2>'
        + _error_counts_table(errors["entities"]) + legend
        + _grouped(errors["entities"], ENTITY_LABELS, _error_item, error_limit)
        + f'<h2 id="relation-errors">Relation errors ({len(errors["relations"])})</h2>'
        + '<p class="legend note"><span><span class="a1">Arg1</span> attribute</span>'
        '<span><span class="a2">Arg2</span> drug or endpoint</span></p>'
        + _grouped(errors["relations"], RELATION_TYPES, _relation_error_item, error_limit)
        + f'<h2 id="worst">The {len(worst)} worst documents</h2>'
        + "".join(_worst_document(*pairs[doc_id], by_id[doc_id]) for doc_id in worst)
    )
    meta = escape(description) + (" — " if description else "") + _generated()
    return _page(title, meta, body)


SILVER_KINDS = (("drugs", "drug names (DRUG or DRUG_CLASS)"), ("endpoints", "outcome measures (ENDPOINT)"),
                ("timeframes", "time frames (TIMEFRAME)"))


def _recall_cells(block: dict, eligible_key: str = "eligible") -> str:
    n = block[eligible_key]
    return (
        f"<td>{n}</td><td>{block['lenient']['found']}</td>{_f1_cell(block['lenient']['recall'], bool(n))}"
        f"<td>{block['strict']['found']}</td>{_f1_cell(block['strict']['recall'], bool(n))}"
    )


def silver_report(result: dict, title: str = "Silver evaluation on registry records", miss_limit: int = 150) -> str:
    """The HTML page of an :func:`extractor.silver.evaluate_silver` result."""
    rec = result["records"]
    head = (
        '<tr><th class="l">group</th><th>records with names</th><th>names</th><th>eligible</th>'
        "<th>found lenient</th><th>recall lenient</th><th>found strict</th><th>recall strict</th></tr>"
    )
    sections = []
    cards = []
    for kind, name in SILVER_KINDS:
        block = result[kind]
        cards.append((f"{kind} recall lenient (strict {_num(block['strict']['recall'])})", block["lenient"]["recall"]))
        rows = [f'<tr class="micro"><td class="l">all</td><td>–</td><td>{block["names"]}</td>{_recall_cells(block)}</tr>']
        for group_name, groups in (("format", block["by_format"]), ("type", block.get("by_type", {}))):
            for group, g in groups.items():
                rows.insert(
                    -1,
                    f'<tr><td class="l">{group_name}: {escape(group)}</td><td>{g["records"]}</td><td>{g["names"]}</td>'
                    f"{_recall_cells(g)}</tr>",
                )
        mentions = block["mentions"]
        m_rows = "".join(
            f'<tr><td class="l">{escape(field)}</td>{_recall_cells(m, "n")}</tr>'
            for field, m in mentions["by_field"].items()
        )
        m_rows += f'<tr class="micro"><td class="l">all</td>{_recall_cells(mentions, "n")}</tr>'
        sections.append(
            f'<h3 id="silver-{kind}">{escape(name)}</h3><table>{head}{"".join(rows)}</table>'
            f"<p class=\"note\">Every occurrence of an eligible name, by the record field it is in:</p>"
            '<table><tr><th class="l">field</th><th>occurrences</th><th>found lenient</th><th>recall lenient</th>'
            f"<th>found strict</th><th>recall strict</th></tr>{m_rows}</table>"
        )
    card_html = "".join(f'<div class="card"><div class="v">{_num(v)}</div><div class="k">{k}</div></div>' for k, v in cards)
    misses = []
    for kind, name in SILVER_KINDS:
        group = [m for m in result["misses"] if m["kind"] == kind]
        items = "".join(
            f'<div class="err false_negative"><span class="kind">{escape(m["field"])}</span>'
            f'<span class="what">“{escape(m["name"])}” ({escape(m["type"])})</span> '
            f'<span class="doc">in {escape(m["record"])} ({escape(m["source"])})</span><br>'
            f'<span class="ctx">{escape(m["context"]["left"])}'
            f'{_segments(m["context"]["middle"], m["context"]["start"], [(m["context"]["start"], m["context"]["end"], "g")])}'
            f'{escape(m["context"]["right"])}</span></div>'
            for m in group[:miss_limit]
        )
        more = f'<p class="more">… {len(group) - miss_limit} more (all are in the JSON).</p>' if len(group) > miss_limit else ""
        misses.append(f"<details open><summary>{escape(name)} — {len(group)} not found</summary>{items}{more}</details>")
    failures = "".join(f"<li>{escape(f['message'])}</li>" for f in result["failures"][:200])
    if len(result["failures"]) > 200:
        failures += f'<li class="more">… {len(result["failures"]) - 200} more (all are in the JSON)</li>'
    body = (
        '<nav><a href="#silver-scores">recall</a><a href="#silver-misses">not found</a>'
        '<a href="#silver-failures">failed records</a></nav>'
        f'<div class="cards">{card_html}</div>'
        f'<h2 id="silver-scores">Recall against the records\' structured fields</h2>'
        f'<p class="note">{rec["read"]} records read, {rec["scored"]} scored, {rec["failed"]} failed. '
        "A name is eligible when it occurs verbatim (case-insensitive, whole words) in the rendered text; it is "
        "found leniently when a predicted entity of the right label overlaps an occurrence, strictly when one "
        "has exactly its offsets. Only recall: records do not list everything their text mentions.</p>"
        + "".join(sections)
        + '<h2 id="silver-misses">Eligible names not found</h2><p class="legend note">'
        '<span><span class="g">underlined</span>: the name\'s first occurrence</span></p>'
        + "".join(misses)
        + f'<h2 id="silver-failures">Failed records ({rec["failed"]})</h2>'
        + (f"<ul>{failures}</ul>" if failures else "<p>None.</p>")
    )
    meta = escape(f"{result['source']}" + (f", first {result['limit']} records" if result["limit"] else ""))
    return _page(title, meta + " — " + _generated(), body)
