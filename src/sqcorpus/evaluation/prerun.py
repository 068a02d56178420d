"""The work of ``sqcorpus preannotate``: read the batch, get the CRF, write or compare.

Kept apart from :mod:`sqcorpus.annotate.premodel` (the models) and :mod:`.precompare` (the
figures), so the command line stays a thin layer. It lives in ``evaluation`` because it reads
releases and scores predictions, which ``annotate`` may not import.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import paths, schema
from ..annotate.premodel import CrfModel
from ..errors import SqcorpusError
from ..text.corpus import CorpusSentence


def read_sentences(
    files: Sequence[Path] = (),
    doc_ids: Sequence[str] = (),
    release: str | None = None,
    release_docs: Sequence[str] = (),
) -> list[CorpusSentence]:
    """Sentences of text files (doc id = file name), raw-store documents and release docs."""
    from ..annotate.premodel import sentences_from_records
    from ..text.corpus import Document, document_sentences, read_document

    sentences: list[CorpusSentence] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise SqcorpusError(f"cannot read text: {err}", file=path) from None
        sentences += document_sentences(Document(doc_id=path.stem, text=text, metadata={}))
    for doc_id in doc_ids:
        path = paths.raw_dir() / f"{doc_id}.txt"
        if not path.is_file():
            raise SqcorpusError("no such document in the raw store", file=path, item=doc_id)
        sentences += document_sentences(read_document(path))
    if release is not None:
        from ..release.loading import load_records

        records = [r for split in load_records(release).values() for r in split]
        known = {r["doc_id"] for r in records}
        for doc_id in release_docs:
            if doc_id not in known:
                raise SqcorpusError(
                    f"document not in release {release}", item=doc_id, field="doc_id"
                )
        wanted = set(release_docs) or known
        chosen = sorted((r for r in records if r["doc_id"] in wanted), key=lambda r: r["id"])
        sentences += sentences_from_records(chosen)
    if not sentences:
        raise SqcorpusError("nothing to pre-annotate: give a FILE, --doc or --release")
    return sentences


def adjudicated_records(exports: Path, raw_dir: Path | None = None) -> list[schema.Record]:
    """Release-style records of every sentence with a gold annotation in Label Studio exports.

    The gold is the one ``sqcorpus build`` takes (the ``ground_truth`` annotation, or the only
    one); a task with several annotations and none marked is refused until adjudicated.
    """
    from ..annotate.convert import read_annotations, to_record
    from ..annotate.tasks import export_files
    from ..text.corpus import corpus_sentences, read_corpus

    by_id = {s.id: s for s in corpus_sentences(read_corpus(raw_dir))}
    tasks = read_annotations(export_files(exports), by_id)
    return [to_record(by_id[sid], task.gold) for sid, task in sorted(tasks.items()) if task.gold]


def obtain_crf(
    model_path: Path | None,
    train_release: str | None,
    train_exports: Path | None = None,
    *,
    models: Path | None = None,
) -> tuple[CrfModel, Path]:
    """A saved CRF, or one trained and saved (under ``models``, default ``.studio/models``).

    It trains on the adjudicated sentences of Label Studio exports when ``train_exports`` is
    given (the batch just finished, before any release), else on every annotated sentence of
    ``train_release`` (default: the latest release).
    """
    if model_path is not None:
        from ..annotate.premodel import load_crf_model

        return load_crf_model(model_path), model_path
    from ..annotate.premodel import save_crf_model, train_crf_model

    records: list[schema.Record]
    if train_exports is not None:
        records = adjudicated_records(train_exports)
    else:
        from ..release.loading import load_records

        records = [r for split in load_records(train_release).values() for r in split]
    model = train_crf_model(records)
    return model, save_crf_model(model, models)


def run_preannotate(
    files: Sequence[Path],
    doc_ids: Sequence[str],
    release: str | None,
    release_docs: Sequence[str],
    *,
    model: str,
    crf_model: Path | None,
    train_release: str | None,
    without: Sequence[str],
    train_exports: Path | None = None,
) -> list[dict[str, Any]]:
    """Predictions for the batch; CRF facts and warnings go to stderr."""
    from ..annotate.premodel import preannotate_batch
    from ..annotate.provenance import RULES_1, RULES_2, load_lexicon

    sentences = read_sentences(files, doc_ids, release, release_docs)
    crf = None
    if "crf" in model:
        crf, path = obtain_crf(crf_model, train_release, train_exports)
        print(f"CRF {crf.version} ({len(crf.training_ids)} sentences): {path}", file=sys.stderr)
        seen = set(crf.training_ids) & {s.id for s in sentences}
        if seen:
            # Pre-annotating its own training data shows the annotator the old gold again.
            print(f"note: the CRF was trained on {len(seen)} of these sentences", file=sys.stderr)
    lexicon = None
    if model != "crf":
        lexicon = load_lexicon(RULES_1 if model == "rules-1.0" else RULES_2, without=without)
    return preannotate_batch(sentences, model, crf=crf, lexicon=lexicon)


def run_compare(
    predictions: Path, release: str | None, docs: Sequence[str], batches: Path | None
) -> tuple[str, dict[str, Any]]:
    """The comparison table (Markdown) and figures of a predictions file against gold."""
    from ..release.loading import load_records
    from ..release.store import resolve_version
    from .precompare import batch_lookup, compare_batches, format_comparison, read_batches
    from .predictions import read_predictions

    version = resolve_version(release)
    gold = [r for split in load_records(version).values() for r in split]
    if docs:
        gold = [r for r in gold if r["doc_id"] in set(docs)]
    batch_of = batch_lookup(read_batches(batches), batches) if batches else None
    rows = [row.data for row in read_predictions(predictions)]
    results = compare_batches(rows, gold, batch_of, source=str(predictions))
    title = f"Pre-annotation `{predictions}` against the gold of sqcorpus {version}"
    return format_comparison(results, title), results


def to_jsonl(rows: Sequence[Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
