"""Benchmark Albanian sentence segmentation and tokenization: sqcorpus against its peers.

Usage (from the project root)::

    python benchmarks/segmentation.py [CONLLU ...] [--output benchmarks/RESULTS.md]

Datasets: the given CoNLL-U files (default: every ``*.conllu`` under
``../shared/data/ud-albanian``), the seed article ``corpus/raw/putin-north-korea-2024-06.txt``
with its 28 gold sentences, and the synthetic news text ``benchmarks/data/news-sq.txt``.
Each dataset becomes one running text: a paragraph's sentences joined by one space,
paragraphs (``# newdoc``/``# newpar`` in CoNLL-U, lines of the seed) joined by ``\\n``.
Every system gets the whole running text, as a user would give it; the column
"sent F1 ¶" scores the same system given one paragraph at a time instead, so that a peer
is not penalised only for ignoring ``\\n``.

Scores: sentence-boundary P/R/F1 over the end offsets of all sentences but the last one
of the text; token P/R/F1 over (start, end) character spans, the gold tokens being the
surface tokens of the treebank (the multiword-token range line where there is one).
Throughput is characters per second over the whole dataset (best of several runs); memory is
the peak Python-heap allocation of one further run (tracemalloc).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_UD_DIR = ROOT.parent / "shared" / "data" / "ud-albanian"
SEED = ROOT / "corpus" / "raw" / "putin-north-korea-2024-06.txt"
NEWS = ROOT / "benchmarks" / "data" / "news-sq.txt"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

# Gold sentence boundaries of the seed article: the paragraphs are its lines; these are the
# first words of every further sentence inside a paragraph (1-based paragraph numbers).
SEED_EXTRA_SENTENCES: dict[int, tuple[str, ...]] = {
    5: ("Kështu tha Putin",),
    6: ("Megjithatë, ende",),
    18: ("Ndër dhuratat",),
    19: ("Lideri rus u prit",),
    21: ("Të dy liderët", "Më pas ata hipën"),
}
SEED_SENTENCES = 28

# pysbd has no Albanian; Italian is the closest setting it has: a Latin-script language
# with the same sentence punctuation (Greek, the other Balkan language in pysbd, ends
# questions with ";").
PYSBD_LANGUAGE = "it"
NEWS_DATASETS = ("seed article", "synthetic news")

Span = tuple[int, int]


@dataclass(frozen=True)
class Dataset:
    """A running text with gold sentence spans and (optionally) gold token spans."""

    name: str
    text: str
    paragraphs: list[Span]
    sentences: list[Span]
    tokens: list[Span] | None


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of a set of predictions against a gold set."""

    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Iterable[object], predicted: Iterable[object]) -> PRF:
    """P/R/F1 of ``predicted`` against ``gold`` (both treated as sets)."""
    gold_set, predicted_set = set(gold), set(predicted)
    return PRF(len(gold_set & predicted_set), len(predicted_set), len(gold_set))


def boundaries(text: str, sentences: Iterable[Span]) -> set[int]:
    """Sentence-end offsets (after trailing whitespace is stripped), minus the text's end."""
    ends = set()
    for start, end in sentences:
        stripped = text[start:end].rstrip()
        if stripped.strip():
            ends.add(start + len(stripped))
    ends.discard(len(text.rstrip()))
    return ends


# --- datasets ----------------------------------------------------------------------------
def _surface_forms(sentence: list[dict]) -> list[str]:
    """Surface tokens of a CoNLL-U sentence: range lines replace the words they cover."""
    forms: list[str] = []
    covered_until = 0
    for word in sentence:
        word_id = word["id"]
        if isinstance(word_id, tuple):
            if word_id[1] == "-":
                forms.append(word["form"])
                covered_until = word_id[2]
            continue  # empty nodes ("8.1") are not surface tokens
        if word_id > covered_until:
            forms.append(word["form"])
    return forms


def _align(text: str, forms: Sequence[str], offset: int, where: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for form in forms:
        index = text.find(form, cursor)
        if index < 0 or text[cursor:index].strip():
            raise ValueError(f"{where}: token {form!r} not found in the text at {cursor}")
        spans.append((offset + index, offset + index + len(form)))
        cursor = index + len(form)
    return spans


def _assemble(name: str, paragraphs: list[list[str]], forms: list[list[list[str]]] | None):
    """Join sentences into running text; ``forms`` are per paragraph, per sentence."""
    pieces: list[str] = []
    para_spans: list[Span] = []
    sentence_spans: list[Span] = []
    token_spans: list[Span] = []
    position = 0
    for p_index, sentences in enumerate(paragraphs):
        if p_index:
            pieces.append("\n")
            position += 1
        para_start = position
        for s_index, sentence in enumerate(sentences):
            if s_index:
                pieces.append(" ")
                position += 1
            pieces.append(sentence)
            sentence_spans.append((position, position + len(sentence)))
            if forms is not None:
                where = f"{name}, paragraph {p_index + 1}, sentence {s_index + 1}"
                token_spans += _align(sentence, forms[p_index][s_index], position, where)
            position += len(sentence)
        para_spans.append((para_start, position))
    text = "".join(pieces)
    return Dataset(name, text, para_spans, sentence_spans, token_spans if forms else None)


def conllu_dataset(source: str, name: str) -> Dataset:
    """A running-text dataset from CoNLL-U text (``# text`` lines, surface tokens)."""
    import conllu

    paragraphs: list[list[str]] = []
    forms: list[list[list[str]]] = []
    for sentence in conllu.parse(source):
        keys = sentence.metadata.keys()
        if not paragraphs or any(k.startswith(("newdoc", "newpar")) for k in keys):
            paragraphs.append([])
            forms.append([])
        text = sentence.metadata.get("text")
        if text is None:
            raise ValueError(f"{name}: sentence without '# text' ({sentence.metadata})")
        # The gold text is the sentence as written; trailing blanks would not be text.
        paragraphs[-1].append(text.strip())
        forms[-1].append(_surface_forms(sentence))
    return _assemble(name, paragraphs, forms)


def seed_dataset(path: Path = SEED) -> Dataset:
    """The seed article with its hand-checked sentence boundaries (no gold tokens)."""
    paragraphs: list[list[str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        cuts = [0]
        for prefix in SEED_EXTRA_SENTENCES.get(number, ()):
            if line.count(prefix) != 1:
                raise ValueError(f"{path}: paragraph {number}: {prefix!r} is not unique")
            cuts.append(line.index(prefix))
        cuts.append(len(line))
        paragraphs.append([line[a:b].strip() for a, b in pairwise(cuts)])
    dataset = _assemble("seed article", paragraphs, None)
    if len(dataset.sentences) != SEED_SENTENCES:
        raise ValueError(f"{path}: {len(dataset.sentences)} gold sentences, not 28")
    return dataset


def sentence_file_dataset(path: Path, name: str) -> Dataset:
    """A text with one gold sentence per line and blank lines between paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return _assemble(name, [p for p in paragraphs if p], None)


# --- systems -----------------------------------------------------------------------------
Segmenter = Callable[[str], tuple[list[Span], list[Span] | None]]


def _spans_of(text: str, pieces: Iterable[str]) -> list[Span]:
    """Locate sentence strings in ``text`` in order (for peers that return strings)."""
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        index = text.find(piece, cursor)
        if index < 0:
            raise ValueError(f"segment {piece[:40]!r} not found in the input text")
        spans.append((index, index + len(piece)))
        cursor = index + len(piece)
    return spans


def _sqcorpus() -> Segmenter:
    from sqcorpus.text.segmentation import segment

    def run(text: str) -> tuple[list[Span], list[Span] | None]:
        sentences = segment(text)
        tokens = [(t.start, t.end) for s in sentences for t in s.tokens]
        return [(s.start, s.end) for s in sentences], tokens

    return run


def _punkt() -> Segmenter:
    from nltk.tokenize import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    sentencer, words = PunktSentenceTokenizer(), NLTKWordTokenizer()

    def run(text: str) -> tuple[list[Span], list[Span] | None]:
        sentences = list(sentencer.span_tokenize(text))
        tokens = [
            (start + a, start + b)
            for start, end in sentences
            for a, b in words.span_tokenize(text[start:end])
        ]
        return sentences, tokens

    return run


def _pysbd() -> Segmenter:
    import pysbd

    segmenter = pysbd.Segmenter(language=PYSBD_LANGUAGE, clean=False)
    return lambda text: (_spans_of(text, segmenter.segment(text)), None)


def _sentencex() -> Segmenter:
    import sentencex

    return lambda text: (_spans_of(text, sentencex.segment("sq", text)), None)


def _spacy() -> Segmenter:
    import spacy

    nlp = spacy.blank("sq")
    nlp.add_pipe("sentencizer")

    def run(text: str) -> tuple[list[Span], list[Span] | None]:
        doc = nlp(text)
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        tokens = [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
        return sentences, tokens

    return run


SYSTEMS: dict[str, tuple[str | None, Callable[[], Segmenter]]] = {
    "sqcorpus": ("sqcorpus", _sqcorpus),
    f"pysbd ({PYSBD_LANGUAGE})": ("pysbd", _pysbd),
    "sentencex (sq)": ("sentencex", _sentencex),
    'spaCy blank("sq") + sentencizer': ("spacy", _spacy),
    "Punkt (untrained) + NLTKWordTokenizer": ("nltk", _punkt),
}


@dataclass(frozen=True)
class Result:
    system: str
    sentences: PRF
    sentences_per_paragraph: PRF
    tokens: PRF | None
    chars_per_second: float
    peak_kib: float


def run_system(
    dataset: Dataset, segmenter: Segmenter, *, per_paragraph: bool = False
) -> tuple[list[Span], list[Span] | None]:
    """Run a segmenter on the running text (or on each paragraph); offsets index the text."""
    if not per_paragraph:
        return segmenter(dataset.text)
    sentences: list[Span] = []
    tokens: list[Span] | None = []
    for para_start, para_end in dataset.paragraphs:
        para_sentences, para_tokens = segmenter(dataset.text[para_start:para_end])
        sentences += [(para_start + a, para_start + b) for a, b in para_sentences]
        if para_tokens is None:
            tokens = None
        elif tokens is not None:
            tokens += [(para_start + a, para_start + b) for a, b in para_tokens]
    return sentences, tokens


def evaluate(dataset: Dataset, name: str, segmenter: Segmenter, min_seconds: float) -> Result:
    gold = boundaries(dataset.text, dataset.sentences)
    sentences, tokens = run_system(dataset, segmenter)
    sentence_score = score(gold, boundaries(dataset.text, sentences))
    by_paragraph, _ = run_system(dataset, segmenter, per_paragraph=True)
    paragraph_score = score(gold, boundaries(dataset.text, by_paragraph))
    token_score = None
    if dataset.tokens is not None and tokens is not None:
        token_score = score(dataset.tokens, tokens)
    best, total, runs = float("inf"), 0.0, 0
    while total < min_seconds or runs < 3:
        started = time.perf_counter()
        run_system(dataset, segmenter)
        elapsed = time.perf_counter() - started
        best, total, runs = min(best, elapsed), total + elapsed, runs + 1
    # Peak Python-heap allocation of one more run, measured apart from the timing runs
    # (tracemalloc slows allocation down); allocations inside C extensions are not seen.
    tracemalloc.start()
    run_system(dataset, segmenter)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Result(
        name, sentence_score, paragraph_score, token_score, len(dataset.text) / best, peak / 1024
    )


# --- report ------------------------------------------------------------------------------
def _f(value: float) -> str:
    return f"{value:.3f}"


def table(dataset: Dataset, results: list[Result]) -> str:
    """A Markdown table for one dataset."""
    n_tokens = "no gold tokens" if dataset.tokens is None else f"{len(dataset.tokens)} tokens"
    lines = [
        f"### {dataset.name}",
        "",
        f"{len(dataset.sentences)} sentences, {len(dataset.paragraphs)} paragraph(s), "
        f"{n_tokens}, {len(dataset.text)} characters.",
        "",
        "| system | sent P | sent R | sent F1 | sent F1 ¶ | tok P | tok R | tok F1 | chars/s "
        "| peak KiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s, t = r.sentences, r.tokens
        tok = ["—"] * 3 if t is None else [_f(t.precision), _f(t.recall), _f(t.f1)]
        sent = [_f(s.precision), _f(s.recall), _f(s.f1), _f(r.sentences_per_paragraph.f1)]
        lines.append(
            f"| {r.system} | {' | '.join(sent)} | {' | '.join(tok)} | {r.chars_per_second:,.0f} "
            f"| {r.peak_kib:,.0f} |"
        )
    return "\n".join(lines) + "\n"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for package in ("sqcorpus", "nltk", "pysbd", "sentencex", "spacy"):
        try:
            parts.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package} (not installed)")
    return ", ".join(parts)


def _pooled(scores: Iterable[PRF]) -> PRF:
    """Micro-average: the counts of several datasets added up."""
    scores = list(scores)
    return PRF(
        sum(s.true_positives for s in scores),
        sum(s.predicted for s in scores),
        sum(s.gold for s in scores),
    )


def summary(datasets: list[Dataset], results: dict[str, list[Result]]) -> list[str]:
    """Check the targets: best sentence F1 on news text; token F1 >= 0.99 on UD test sets."""
    lines = []
    news = [d.name for d in datasets if d.name in NEWS_DATASETS]
    if news:
        systems = [r.system for r in results[news[0]]]
        pooled = {
            system: _pooled(
                r.sentences for name in news for r in results[name] if r.system == system
            )
            for system in systems
        }
        ours = pooled.pop("sqcorpus")
        for name in [*news, "all news text (pooled)"]:
            if name in results:
                ours_f1 = results[name][0].sentences.f1
                peers = [r.sentences.f1 for r in results[name][1:]]
            else:
                ours_f1, peers = ours.f1, [p.f1 for p in pooled.values()]
            best = max(peers, default=0.0)
            verdict = "beats" if ours_f1 > best else "ties" if ours_f1 == best else "is below"
            lines.append(
                f"- {name}: sqcorpus sentence F1 {_f(ours_f1)} {verdict} "
                f"the best peer ({_f(best)})."
            )
    for dataset in datasets:
        ours_tokens = results[dataset.name][0].tokens
        if dataset.name.endswith("-ud-test") and ours_tokens is not None:
            verdict = "meets" if ours_tokens.f1 >= 0.99 else "misses"
            lines.append(
                f"- {dataset.name}: sqcorpus token F1 {_f(ours_tokens.f1)} {verdict} "
                "the 0.99 target."
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("conllu", nargs="*", type=Path, help="CoNLL-U files (default: UD sq)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Markdown report path")
    parser.add_argument("--no-write", action="store_true", help="only print the tables")
    parser.add_argument(
        "--min-seconds", type=float, default=0.3, help="timing budget per system and dataset"
    )
    args = parser.parse_args(argv)

    files = args.conllu or sorted(DEFAULT_UD_DIR.rglob("*.conllu"))
    datasets = [
        *(conllu_dataset(f.read_text(encoding="utf-8"), f.stem) for f in files),
        seed_dataset(),
        sentence_file_dataset(NEWS, "synthetic news"),
    ]
    segmenters: dict[str, Segmenter] = {}
    for name, (_, factory) in SYSTEMS.items():
        try:
            segmenters[name] = factory()
        except ImportError as error:
            print(f"skipping {name}: {error}", file=sys.stderr)

    results: dict[str, list[Result]] = {}
    sections = []
    for dataset in datasets:
        results[dataset.name] = [
            evaluate(dataset, name, segmenter, args.min_seconds)
            for name, segmenter in segmenters.items()
        ]
        section = table(dataset, results[dataset.name])
        print(section)
        sections.append(section)
    checks = summary(datasets, results) if "sqcorpus" in segmenters else []
    print("\n".join(checks))

    if not args.no_write:
        report = [
            "# Segmentation benchmark results",
            "",
            "Produced by `python benchmarks/segmentation.py` (see benchmarks/README.md); "
            "do not edit by hand.",
            "",
            f"Environment: {_versions()}.",
            f"pysbd has no Albanian; it runs with language={PYSBD_LANGUAGE!r}.",
            "Throughput depends on the machine; scores do not.",
            "",
            "## Targets",
            "",
            *checks,
            "",
            "## Results",
            "",
            "\n".join(sections),
        ]
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from results import write_section  # the other benchmarks' sections stay

        write_section("segmentation", "\n".join(report), args.output)
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
