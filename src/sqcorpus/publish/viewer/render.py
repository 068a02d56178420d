"""The viewer's HTML pages, built as strings; every corpus value passes through ``escape``.

Pages link only to files of the site itself (relative paths), so the site works from the
file system with no network; the only absolute URLs are licence links a reader may click.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ... import schema
from .adjudication import AdjudicationItem, describe
from .markup import sentence_markup
from .model import DocumentView, Mark, SentenceView

LICENCE_LINKS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "MIT": "https://opensource.org/license/mit",
}
PLOT_TITLES = {
    "labels-per-split.svg": "Entities per type and split",
    "sentences-per-document.svg": "Sentences per document",
    "sentences-per-outlet.svg": "Sentences per outlet",
    "sentence-lengths.svg": "Sentence lengths",
    "agreement-per-layer.svg": "Inter-annotator agreement per layer",
}


def page(title: str, body: str, *, root: str = "", script: bool = False) -> str:
    scripts = (
        f'<script src="{root}search-data.js"></script><script src="{root}viewer.js"></script>'
        if script
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{root}viewer.css">\n</head>\n<body>\n'
        f'<header class="site"><a href="{root}index.html">sqcorpus</a>'
        f'<nav><a href="{root}index.html">documents</a>'
        f'<a href="{root}adjudication.html">adjudication</a>'
        f'<a href="{root}datasheet.html">datasheet</a>'
        f'<a href="{root}citation.html">citation</a></nav></header>\n'
        f"<main>\n{body}\n</main>\n{scripts}\n</body>\n</html>\n"
    )


def _licence(name: str) -> str:
    url = LICENCE_LINKS.get(name)
    return f'<a href="{url}">{escape(name)}</a>' if url else escape(name)


def legend() -> str:
    entities = "".join(
        f'<span class="entity ent-{label}" title="{escape(schema.ENTITY_DESCRIPTIONS[label])}">'
        f"{label}</span> "
        for label in schema.ENTITY_LABELS
    )
    return (
        '<div class="legend" aria-label="legend"><strong>Entities:</strong> '
        f"{entities}<br><strong>Hedging:</strong> "
        '<span class="cue first last">cue</span> '
        '<span class="scope depth-0 first last">scope</span> '
        '<span class="scope depth-0 first last">outer <span class="scope depth-1 first last">'
        "nested scope</span></span></div>"
    )


def _facts(items: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in items)


def _sentence_labels(sentence: SentenceView) -> str:
    stance = escape(sentence.stance)
    if sentence.target:
        stance += f' <span class="muted">toward {escape(sentence.target)}</span>'
    return _facts(
        [
            (
                "split",
                f'<span class="badge split-{escape(sentence.split)}">'
                f"{escape(sentence.split)}</span>",
            ),
            ("stance", f'<span class="stance">{stance}</span>'),
            ("holder", f'<span class="holder">{escape(sentence.holder)}</span>'),
            (
                "uncertain",
                f'<span class="uncertain-{escape(sentence.uncertain)}">'
                f"{escape(sentence.uncertain)}</span>",
            ),
        ]
    )


def sentence_block(sentence: SentenceView, adjudication: bool = False) -> str:
    english = (
        f'<div class="en" lang="en"><div class="muted">English source</div>'
        f"{escape(sentence.text_en)}</div>"
        if sentence.text_en
        else ""
    )
    link = (
        f' <a class="adj-link" href="../adjudication/{escape(sentence.doc_id)}.html'
        f'#{escape(sentence.id)}">adjudication</a>'
        if adjudication
        else ""
    )
    return (
        f'<article class="sentence" id="{escape(sentence.id)}" '
        f'data-split="{escape(sentence.split)}" data-uncertain="{escape(sentence.uncertain)}" '
        f'data-stance="{escape(sentence.stance)}">\n'
        f'<div class="sid">#{sentence.index} <code>{escape(sentence.id)}</code>{link}</div>\n'
        f'<div class="texts{" two" if english else ""}"><div class="sq" lang="sq">'
        f"{sentence_markup(sentence.text, sentence.marks, prefix=sentence.id + '-')}</div>"
        f"{english}</div>\n"
        f'<dl class="labels">{_sentence_labels(sentence)}</dl>\n</article>'
    )


def document_page(doc: DocumentView, version: str, adjudicated: set[str]) -> str:
    facts = _facts(
        [
            ("document", f"<code>{escape(doc.doc_id)}</code>"),
            ("release", escape(version)),
            ("sentences", str(len(doc.sentences))),
            ("entities", str(doc.entity_count)),
            ("text licence", _licence(doc.license)),
            ("outlet", escape(doc.outlet)),
            ("source", escape(", ".join(sorted({s.source for s in doc.sentences})))),
        ]
    )
    body = "\n".join(sentence_block(s, s.id in adjudicated) for s in doc.sentences)
    return page(
        f"{doc.title} · sqcorpus {version}",
        f"<h1>{escape(doc.title)}</h1>\n<dl class='facts'>{facts}</dl>\n{legend()}\n{body}",
        root="../",
    )


def _counts_table(counts: Mapping[str, Any]) -> str:
    rows = [
        ("documents", counts.get("documents")),
        ("sentences", counts.get("sentences")),
        ("tokens", counts.get("tokens")),
        ("splits", ", ".join(f"{k} {v}" for k, v in counts.get("splits", {}).items())),
        ("entities", ", ".join(f"{k} {v}" for k, v in counts.get("entities", {}).items() if v)),
        ("stance", ", ".join(f"{k} {v}" for k, v in counts.get("stance", {}).items())),
        ("holder", ", ".join(f"{k} {v}" for k, v in counts.get("stance_holder", {}).items())),
        ("uncertain", ", ".join(f"{k} {v}" for k, v in counts.get("uncertain", {}).items())),
        ("hedge cues / scopes", f"{counts.get('hedge_cues')} / {counts.get('hedge_scopes')}"),
    ]
    return (
        "<table class='counts'>"
        + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
        + "</table>"
    )


def _select(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (
        f'<label>{escape(label)} <select id="filter-{name}" data-filter="{name}">'
        f'<option value="">all</option>{options}</select></label>'
    )


def index_page(
    version: str,
    manifest: Mapping[str, Any],
    documents: Sequence[DocumentView],
    plots: Sequence[str],
    licences: Mapping[str, int],
    adjudication_counts: Mapping[str, int],
) -> str:
    sentences = [s for d in documents for s in d.sentences]
    text_licences = ", ".join(f"{_licence(k)} ({v} sentences)" for k, v in licences.items())
    filters = "".join(
        [
            _select("split", "split", list(schema.SPLITS)),
            _select("label", "entity label", list(schema.ENTITY_LABELS)),
            _select("license", "text licence", sorted({s.license for s in sentences})),
            _select("outlet", "outlet", sorted({s.outlet for s in sentences})),
            _select("uncertain", "uncertain", [*schema.UNCERTAINTY_LABELS, "not annotated"]),
            _select("stance", "stance", [*schema.STANCE_LABELS, "not annotated"]),
            '<label>text <input id="filter-text" type="search" placeholder="search sentences"'
            ' data-filter="text"></label>',
        ]
    )
    rows = "".join(
        f'<tr data-doc="{escape(d.doc_id)}"><td><a href="doc/{escape(d.doc_id)}.html">'
        f"{escape(d.title)}</a><br><code>{escape(d.doc_id)}</code></td>"
        f"<td>{escape(d.outlet)}</td><td>{escape(d.license)}</td><td>{escape(d.splits)}</td>"
        f'<td class="num matching">{len(d.sentences)}</td><td class="num">{d.entity_count}</td>'
        f"<td class='num'>{adjudication_counts.get(d.doc_id, 0)}</td></tr>"
        for d in documents
    )
    figures = "".join(
        f'<figure><img src="plots/{escape(name)}" alt="{escape(PLOT_TITLES.get(name, name))}">'
        f"</figure>"
        for name in plots
    )
    body = f"""<h1>sqcorpus {escape(version)}</h1>
<p class="lead">{escape(str(manifest.get("description", "")))}</p>
<dl class="facts">{
        _facts(
            [
                ("release", escape(version)),
                ("record schema", escape(str(manifest.get("schema_version", "unknown")))),
                ("annotations licence", _licence("CC-BY-4.0")),
                ("code licence", _licence("MIT")),
                ("text licence", text_licences),
                (
                    "documentation",
                    '<a href="datasheet.html">datasheet</a> · '
                    '<a href="citation.html">how to cite</a>',
                ),
            ]
        )
    }</dl>
<section><h2>Counts</h2>{_counts_table(manifest.get("counts", {}))}</section>
<section class="plots"><h2>Plots</h2>{figures}</section>
<section><h2>Find sentences</h2>
<form class="filters" id="filters" onsubmit="return false">{filters}</form>
<p id="result-count" class="muted"></p>
<ol id="results" class="results"></ol></section>
<section><h2>Documents</h2>
<table class="documents" id="documents"><thead><tr><th>document</th><th>outlet</th>
<th>text licence</th><th>splits</th><th>matching sentences</th><th>entities</th>
<th>doubly annotated</th></tr></thead><tbody>{rows}</tbody></table></section>"""
    return page(f"sqcorpus {version}", body, script=True)


SEARCH_COLUMNS = ("split", "stance", "uncertain", "license", "outlet")
"""Columns stored as an index into ``values[column]``, which keeps the data file small."""


def search_data(documents: Sequence[DocumentView]) -> str:
    """The filters' data as a script (a file:// page may not fetch JSON), one row a sentence:
    ``[document, sentence id, *SEARCH_COLUMNS, entity-label bit set, text, English text]``."""
    sentences = [(n, s) for n, d in enumerate(documents) for s in d.sentences]
    values = {c: sorted({getattr(s, c) for _, s in sentences}) for c in SEARCH_COLUMNS}
    labels = list(schema.ENTITY_LABELS)
    rows = [
        [
            n,
            s.id,
            *(values[c].index(getattr(s, c)) for c in SEARCH_COLUMNS),
            sum(1 << labels.index(label) for label in s.entity_labels if label in labels),
            s.text,
            s.text_en or "",
        ]
        for n, s in sentences
    ]
    payload = json.dumps(
        {
            "docs": [d.doc_id for d in documents],
            "labels": labels,
            "values": values,
            "sentences": rows,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    # "</" cannot end a script early; JSON allows the escaped form.
    return "window.SQCORPUS = " + payload.replace("</", "<\\/") + ";\n"


# --- adjudication -------------------------------------------------------------------------


def _row_cells(item: AdjudicationItem) -> str:
    rows = []
    for n, row in enumerate(item.rows):
        cells = "".join(
            f'<td class="{"disputed" if layer in row.disputed_labels else ""}">'
            f"{escape(row.labels[layer])}</td>"
            for layer in ("stance", "stance_holder", "uncertain")
        )
        marks: tuple[Mark, ...] = row.marks
        rows.append(
            f'<tr class="{"gold" if row.adjudicated else "coder"}"><th>{escape(row.who)}</th>'
            f'<td class="sq" lang="sq">{sentence_markup(item.text, marks, f"{item.sid}-{n}-")}'
            f"</td>{cells}</tr>"
        )
    return "".join(rows)


def adjudication_block(item: AdjudicationItem) -> str:
    if item.differences:
        found = "".join(
            f'<li class="difference">{escape(describe(d))}</li>' for d in item.differences
        )
        summary = f'<ul class="differences">{found}</ul>'
    else:
        summary = '<p class="agree">The annotators agree on every layer.</p>'
    status = "" if item.adjudicated else '<p class="warn">Not adjudicated yet.</p>'
    return (
        f'<article class="adjudication" id="{escape(item.sid)}" '
        f'data-disagreements="{len(item.differences)}">\n<div class="sid"><code>'
        f'{escape(item.sid)}</code></div>{status}{summary}\n<table class="coders"><thead><tr>'
        "<th>annotation</th><th>sentence</th><th>stance</th><th>holder</th><th>uncertain</th>"
        f"</tr></thead><tbody>{_row_cells(item)}</tbody></table>\n</article>"
    )


def adjudication_page(doc: DocumentView, items: Sequence[AdjudicationItem]) -> str:
    total = sum(len(i.differences) for i in items)
    body = "\n".join(adjudication_block(i) for i in items)
    return page(
        f"Adjudication: {doc.title}",
        f"<h1>Adjudication: {escape(doc.title)}</h1>\n<p class='lead'>{len(items)} doubly "
        f"annotated sentences, <strong id='disagreement-total'>{total}</strong> disagreements. "
        "Disputed spans are outlined in red; disputed labels are red.</p>\n"
        f"{legend()}\n{body}",
        root="../",
    )


def adjudication_index(
    documents: Sequence[DocumentView], items: Mapping[str, Sequence[AdjudicationItem]], note: str
) -> str:
    rows = "".join(
        f'<tr><td><a href="adjudication/{escape(d.doc_id)}.html">{escape(d.title)}</a></td>'
        f"<td class='num'>{len(items[d.doc_id])}</td>"
        f"<td class='num'>{sum(len(i.differences) for i in items[d.doc_id])}</td></tr>"
        for d in documents
        if d.doc_id in items
    )
    table = (
        "<table class='documents'><thead><tr><th>document</th><th>doubly annotated</th>"
        f"<th>disagreements</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No sentence of this release is annotated by two or more annotators yet.</p>"
    )
    return page("Adjudication", f"<h1>Adjudication</h1><p class='muted'>{escape(note)}</p>{table}")


def text_page(title: str, text: str, note: str = "") -> str:
    return page(
        title,
        f"<h1>{escape(title)}</h1><p class='muted'>{escape(note)}</p>"
        f"<pre class='document'>{escape(text)}</pre>",
    )
