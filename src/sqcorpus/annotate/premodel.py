"""Pre-annotation of a batch of documents by rules, by a CRF in the loop, or by both.

Models (``--model``):

* ``rules-1.0``: ``sqcorpus-rules-1.0``, the seed-article lexicon only (reproducible).
* ``rules``: ``sqcorpus-rules-2.0``: the seed-article lexicon, CLDR's place names and
  nationality adjectives, general hedge cues (:mod:`.provenance`), and a document
  memory: the last word of a person name found in a document (Theresa *May*) is a person
  wherever it stands alone in that document, in its case forms (Mayt, Mayn...).
* ``crf``: a CRF trained on the adjudicated annotations so far (every annotated sentence of
  a release), with the features and fixed hyper-parameters of the CRF baseline
  (:mod:`.crffeatures`); its version ``sqcorpus-crf-<12 hex>`` hashes the training sentence
  ids and the feature configuration.
* ``rules+crf``: the rules' spans, plus each CRF span that overlaps none of them (rules are
  precise where they fire; the CRF fills their silences). A CRF cue gets the rules' scope.

Every prediction records the model version that made it, and every span the model of its
own (``rules`` or the CRF version) in ``model``.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .. import paths, schema
from ..errors import SqcorpusError
from ..models import SentenceAnnotation, Span, Token
from ..text.corpus import CorpusSentence
from .lexicon import GazetteerEntry, surface_forms
from .preannotate import hedge_scope, preannotate
from .provenance import CLAUSE_STARTERS_BY_VERSION, RULES_1, RULES_2, Lexicon, load_lexicon

MODELS: Final = ("rules-1.0", "rules", "crf", "rules+crf")
CRF_FEATURES: Final = "sqcorpus.baselines.token_features/1"
"""Names the feature function; change it whenever the features change (it is in the hash).
The function now lives in :mod:`.crffeatures`, unchanged, so the name (and every saved
model's version) stays."""
CRF_PREFIX: Final = "sqcorpus-crf-"
_H_DIGRAPHS: Final = ("sh", "zh", "xh", "th", "dh", "ch")

Record = Mapping[str, Any]


# --- inputs ----------------------------------------------------------------------------------
def sentences_from_records(records: Sequence[Record]) -> list[CorpusSentence]:
    """Release records (``sentences`` config) as corpus sentences."""
    return [
        CorpusSentence(
            id=r["id"],
            doc_id=r["doc_id"],
            index=r["sentence_index"],
            start=r["start"],
            end=r["end"],
            text=r["text"],
            tokens=tuple(
                Token(s, e, t)
                for t, s, e in zip(r["tokens"], r["token_starts"], r["token_ends"], strict=True)
            ),
        )
        for r in records
    ]


# --- rules with a document memory -------------------------------------------------------------
def person_declension(word: str) -> str:
    """Declension class of a surname by its final letter (the rules of gazetteer.tsv)."""
    if word.endswith("a"):
        return "ma"  # Rama -> Ramës
    if word[-1:] in ("e", "i", "o", "u", "y"):
        return "mv"  # Zelenski -> Zelenskit
    if word.endswith("ë"):
        return "f"
    if word[-1:] in ("k", "g") or (word.endswith("h") and word[-2:] not in _H_DIGRAPHS):
        return "mu"  # Sunak -> Sunaku
    return "m"  # Trump -> Trumpi


def _surnames(annotations: Sequence[SentenceAnnotation], doc_id: str) -> tuple[GazetteerEntry, ...]:
    """The last words of the document's multi-word person names, as gazetteer entries."""
    found = set()
    for annotation in annotations:
        for entity in annotation.entities:
            words = entity.text.split()
            last = words[-1] if len(words) > 1 else ""
            if entity.label == "PER" and len(last) >= 3 and last.isalpha() and last.istitle():
                found.add(last)
    return tuple(
        GazetteerEntry("PER", (name,), person_declension(name), provenance=f"doc:{doc_id}")
        for name in sorted(found)
    )


def _memory_spans(sentence: CorpusSentence, names: tuple[GazetteerEntry, ...]) -> list[Span]:
    """Case forms of remembered surnames standing on token boundaries of the sentence."""
    forms = sorted(set().union(*(surface_forms(n) for n in names)), key=lambda f: (-len(f), f))
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, forms))})(?![\w-])")
    starts = {t.start for t in sentence.tokens}
    ends = {t.end for t in sentence.tokens}
    return [
        Span(m.start(), m.end(), m.group(), "PER")
        for m in pattern.finditer(sentence.text)
        if m.start() in starts and m.end() in ends
    ]


def rules_annotations(
    sentences: Sequence[CorpusSentence], lexicon: Lexicon, *, memory: bool = True
) -> list[SentenceAnnotation]:
    """Rule pre-annotation of ``sentences``; with ``memory``, surnames recur per document."""
    result = [
        preannotate(
            s.text,
            s.tokens,
            gazetteer=lexicon.gazetteer,
            hedge_cues=lexicon.hedge_cues,
            clause_starters=lexicon.clause_starters,
        )
        for s in sentences
    ]
    if not memory:
        return result
    by_doc: dict[str, list[int]] = {}
    for index, sentence in enumerate(sentences):
        by_doc.setdefault(sentence.doc_id, []).append(index)
    for doc_id, indices in by_doc.items():
        names = _surnames([result[i] for i in indices], doc_id)
        if not names:
            continue
        for i in indices:
            # The memory only fills silences: a remembered surname never splits a longer
            # name the rules found (Vladimir Putin stays one span).
            kept = result[i].entities
            added = [e for e in _memory_spans(sentences[i], names) if _free(e, kept)]
            result[i].entities = sorted([*kept, *added], key=lambda e: e.start)
    return result


# --- the CRF in the loop ------------------------------------------------------------------------
@dataclass(frozen=True)
class CrfModel:
    """Two CRFs (entity tags, cue tags) and what they were trained on."""

    version: str
    training_ids: tuple[str, ...]
    ner: Any
    hedge: Any


def crf_version(training_ids: Sequence[str]) -> str:
    """``sqcorpus-crf-`` + 12 hex digits of the training ids and the feature configuration."""
    from .crffeatures import CRF_PARAMS

    config = {"ids": sorted(training_ids), "features": CRF_FEATURES, "params": CRF_PARAMS}
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode("utf-8")).hexdigest()
    return CRF_PREFIX + digest[:12]


def _annotated(record: Record) -> bool:
    # The rule of evaluation.score.is_scored("ner", ...), which annotate may not import: a
    # sentence has gold entities and hedges exactly when its ``uncertain`` label is set.
    return bool(record["uncertain"] != schema.MISSING_LABEL)


def train_crf_model(records: Sequence[Record]) -> CrfModel:
    """Train on every annotated (adjudicated) sentence of ``records``."""
    from .crffeatures import train_crf

    annotated = sorted((r for r in records if _annotated(r)), key=lambda r: r["id"])
    if not annotated:
        raise SqcorpusError("no annotated sentence to train the CRF on", field="uncertain")
    tokens = [r["tokens"] for r in annotated]
    ner = train_crf(tokens, [[schema.NER_TAGS[t] for t in r["ner_tags"]] for r in annotated])
    hedge = train_crf(tokens, [[schema.HEDGE_TAGS[t] for t in r["hedge_tags"]] for r in annotated])
    ids = tuple(r["id"] for r in annotated)
    return CrfModel(version=crf_version(ids), training_ids=ids, ner=ner, hedge=hedge)


def models_dir() -> Path:
    """Where trained models are kept: ``.studio/models/`` (never a release folder)."""
    return paths.project_root() / ".studio" / "models"


def save_crf_model(model: CrfModel, directory: Path | None = None) -> Path:
    """Write ``<version>.pkl``; the name is the version, so a file is never overwritten."""
    from ..files import write_atomic

    path = (directory or models_dir()) / f"{model.version}.pkl"
    if not path.exists():
        write_atomic(path, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_crf_model(path: Path) -> CrfModel:
    """A model written by :func:`save_crf_model` (a local file this project wrote: pickle)."""
    try:
        model = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as err:
        raise SqcorpusError(f"cannot read the CRF model: {err}", file=path) from None
    if not isinstance(model, CrfModel) or not model.version.startswith(CRF_PREFIX):
        raise SqcorpusError("not a sqcorpus CRF model", file=path)
    return model


def _tag_spans(sentence: CorpusSentence, tags: Sequence[str]) -> list[Span]:
    """Spans of the strict IOB2 chunks of ``tags`` (a stray I- tag opens nothing)."""
    spans: list[Span] = []
    start = label = None
    last = -1
    for i, tag in enumerate([*tags, "O"]):
        inside = label is not None and tag == f"I-{label}"
        if start is not None and not inside:
            s, e = sentence.tokens[start].start, sentence.tokens[last].end
            spans.append(Span(s, e, sentence.text[s:e], str(label)))
            start = label = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
        if start is not None:
            last = i
    return spans


def crf_annotations(
    sentences: Sequence[CorpusSentence], model: CrfModel
) -> list[SentenceAnnotation]:
    """CRF entities and cues; each cue gets the scope the 2.0 rules would give it."""
    from .crffeatures import sentence_features

    enders = CLAUSE_STARTERS_BY_VERSION[RULES_2]
    if not sentences:
        return []
    features = [sentence_features([t.text for t in s.tokens]) for s in sentences]
    result = []
    for sentence, ner_tags, hedge_tags in zip(
        sentences, model.ner.predict(features), model.hedge.predict(features), strict=True
    ):
        cues = _tag_spans(sentence, hedge_tags)
        result.append(
            SentenceAnnotation(
                entities=_tag_spans(sentence, ner_tags),
                hedge_cues=cues,
                hedge_scopes=[
                    hedge_scope(sentence.text, sentence.tokens, c.start, c.end, enders)
                    for c in cues
                ],
            )
        )
    return result


# --- the batch --------------------------------------------------------------------------------
def _free(span: Span, taken: Sequence[Span]) -> bool:
    return all(span.end <= t.start or t.end <= span.start for t in taken)


def _span(span: Span, model: str, label: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"start": span.start, "end": span.end, "text": span.text}
    if label:
        out["label"] = span.label
    return {**out, "model": model}


def preannotate_batch(
    sentences: Sequence[CorpusSentence],
    model: str = "rules",
    *,
    crf: CrfModel | None = None,
    lexicon: Lexicon | None = None,
) -> list[dict[str, Any]]:
    """One prediction object per sentence (JSON-ready; ``sqcorpus evaluate`` reads it)."""
    if model not in MODELS:
        raise SqcorpusError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if "crf" in model and crf is None:
        raise SqcorpusError(f"model {model!r} needs a trained CRF", field="model")
    empty = [SentenceAnnotation() for _ in sentences]
    rules: list[SentenceAnnotation] = empty
    rules_version = ""
    if model != "crf":
        if lexicon is None:
            lexicon = load_lexicon(RULES_1 if model == "rules-1.0" else RULES_2)
        rules_version = lexicon.model_version
        rules = rules_annotations(sentences, lexicon, memory=lexicon.version != RULES_1)
    learned = crf_annotations(sentences, crf) if crf is not None and "crf" in model else empty
    crf_version_ = crf.version if crf is not None and "crf" in model else ""
    version = "+".join(v for v in (rules_version, crf_version_) if v)
    predictions: list[dict[str, Any]] = []
    for sentence, ruled, tagged in zip(sentences, rules, learned, strict=True):
        entities: list[dict[str, Any]] = [_span(s, rules_version) for s in ruled.entities]
        entities += [_span(s, crf_version_) for s in tagged.entities if _free(s, ruled.entities)]
        cues = [
            (c, s, rules_version) for c, s in zip(ruled.hedge_cues, ruled.hedge_scopes, strict=True)
        ]
        cues += [
            (c, s, crf_version_)
            for c, s in zip(tagged.hedge_cues, tagged.hedge_scopes, strict=True)
            if _free(c, ruled.hedge_cues)
        ]
        predictions.append(
            {
                "id": sentence.id,
                "doc_id": sentence.doc_id,
                "model_version": version,
                "entities": sorted(entities, key=lambda e: e["start"]),
                "hedge_cues": [_span(c, m, label=False) for c, _, m in cues],
                "hedge_scopes": [_span(s, m, label=False) for _, s, m in cues],
                "uncertain": schema.UNCERTAINTY_LABELS[bool(cues)],
            }
        )
    return predictions


def to_annotation(prediction: Mapping[str, Any], text: str) -> SentenceAnnotation:
    """A prediction object back as a :class:`SentenceAnnotation` (for a Label Studio push)."""

    def spans(field: str, label: str | None) -> list[Span]:
        return [
            Span(s["start"], s["end"], text[s["start"] : s["end"]], label or s["label"])
            for s in prediction[field]
        ]

    return SentenceAnnotation(
        entities=spans("entities", None),
        hedge_cues=spans("hedge_cues", "CUE"),
        hedge_scopes=spans("hedge_scopes", "SCOPE"),
    )
