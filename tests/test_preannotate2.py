"""Pre-annotator 2.0: CLDR gazetteer, provenance, frozen lexicons, the CRF in the loop, compare."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import MiniProject, ls_task, span
from sqcorpus import schema
from sqcorpus.annotate.cldr import check as check_cldr
from sqcorpus.annotate.cldr import declension_for
from sqcorpus.annotate.lexicon import GazetteerEntry, surface_forms
from sqcorpus.annotate.premodel import (
    crf_version,
    load_crf_model,
    preannotate_batch,
    save_crf_model,
    sentences_from_records,
    train_crf_model,
)
from sqcorpus.annotate.provenance import (
    FROZEN_DIGESTS,
    RULES_1,
    RULES_2,
    SEED_DOC_ID,
    check_unseen,
    load_lexicon,
    provenance_kind,
    resource_digest,
)
from sqcorpus.cli import main
from sqcorpus.errors import SqcorpusError
from sqcorpus.evaluation.precompare import compare, compare_batches
from sqcorpus.release.loading import load_records
from sqcorpus.text.corpus import Document, document_sentences

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT.parent / "shared" / "data" / "ntrex-128"
SEED_RELEASE = "1.0.1"


def doc(text: str, doc_id: str = "unseen-doc") -> list:
    return document_sentences(Document(doc_id=doc_id, text=text, metadata={}))


def rules2(text: str) -> list[dict]:
    return preannotate_batch(doc(text), "rules")


def entities(text: str) -> list[tuple[str, str]]:
    return [(e["text"], e["label"]) for p in rules2(text) for e in p["entities"]]


def cues(text: str) -> list[str]:
    return [c["text"] for p in rules2(text) for c in p["hedge_cues"]]


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    return [r for split in load_records(SEED_RELEASE).values() for r in split]


# --- the declension rule for CLDR names -------------------------------------------------------
@pytest.mark.parametrize(
    ("cldr", "name", "declension", "forms"),
    [
        ("Maqedonia e Veriut", "Maqedoni e Veriut", "fi", {"Maqedonisë së Veriut"}),
        ("Afrika Perëndimore", "Afrikë* Perëndimore", "f", {"Afrikës Perëndimore"}),
        ("Sudani i Jugut", "Sudan i Jugut", "m", {"Sudanit të Jugut", "Sudani i Jugut"}),
        ("Ishulli Norfolk", "Ishull* Norfolk", "m", {"Ishullit Norfolk"}),
        ("Ishujt Kajman", "Ishujt* Kajman", "pl", {"Ishujve Kajman"}),
        ("Arabi Saudite", "Arabi* Saudite", "fi", {"Arabisë Saudite", "Arabia Saudite"}),
        ("Kanada", "Kanada", "fv", {"Kanadasë", "Kanadaja"}),
        ("Shqipëri", "Shqipëri", "fi", {"Shqipërisë", "Shqipëria"}),
        ("Irak", "Irak", "mu", {"Irakut", "Iraku"}),
        ("Bangladesh", "Bangladesh", "m", {"Bangladeshit"}),
        ("Peru", "Peru", "mv", {"Perus", "Perun"}),
        ("Los Anxhelos", "Los Anxhelos", "m", {"Los Anxhelosit"}),
        ("Kore e Veriut", "Kore e Veriut", "fv", {"Koresë së Veriut"}),
    ],
)
def test_declension_rule_generates_the_real_case_forms(
    cldr: str, name: str, declension: str, forms: set[str]
) -> None:
    got_name, got_class, extra = declension_for(cldr)
    assert (got_name, got_class) == (name, declension)
    generated = surface_forms(GazetteerEntry("GPE", (got_name,), got_class, extra))
    assert cldr in generated and forms <= generated


def test_syncope_and_acronyms() -> None:
    assert declension_for("Zvicër") == ("Zvicër", "inv", ("Zvicra", "Zvicrës", "Zvicrën"))
    assert declension_for("SHBA")[1] == "inv"


def test_the_committed_cldr_gazetteer_is_current() -> None:
    check_cldr()  # regenerated from Babel; raises naming the first stale line


# --- provenance and freezing -------------------------------------------------------------------
def test_every_entry_has_a_known_provenance_and_the_lexicons_are_frozen() -> None:
    lexicon = load_lexicon(RULES_2)
    kinds = {provenance_kind(p) for p in lexicon.provenances()}
    assert kinds == {"seed-article", "general", "cldr"}
    assert lexicon.documents() == {SEED_DOC_ID}
    for version in (RULES_1, RULES_2):
        assert resource_digest(version) == FROZEN_DIGESTS[version], version
    with pytest.raises(SqcorpusError, match="unknown provenance"):
        provenance_kind("ntrex")


def test_scoring_on_a_document_the_lexicon_came_from_is_refused() -> None:
    with pytest.raises(SqcorpusError, match=f"written from {SEED_DOC_ID}"):
        check_unseen(load_lexicon(RULES_2), [SEED_DOC_ID])
    reduced = load_lexicon(RULES_2, without={"seed-article"})
    check_unseen(reduced, [SEED_DOC_ID])
    assert reduced.model_version == "sqcorpus-rules-2.0-without-seed-article"
    assert all(provenance_kind(p) != "seed-article" for p in reduced.provenances())


def _ntrex_text() -> tuple[list[str], str]:
    if not NTREX.is_dir():
        # A checkout without ../shared may skip; CI has it, and a skip there would hide a
        # lexicon entry written from NTREX.
        if os.environ.get("CI"):
            pytest.fail(f"NTREX-128 is not at {NTREX} (CI must have it)")
        pytest.skip(f"NTREX-128 is not at {NTREX}")
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split()
    return ids, (NTREX / "newstest2019-ref.sqi.txt").read_text(encoding="utf-8")


def test_no_lexicon_entry_comes_from_an_ntrex_document() -> None:
    doc_ids, text = _ntrex_text()
    lexicon = load_lexicon(RULES_2)
    assert not lexicon.documents() & set(doc_ids)
    assert not any(any(d in p for d in set(doc_ids)) for p in lexicon.provenances())
    # Capitalised multi-word names of NTREX that the gazetteer knows must come from CLDR or
    # from the seed article; anything else would have been written from NTREX.
    names = set(re.findall(r"(?<=[a-zë,] )[A-ZÇË][\wë]+(?: (?:[A-ZÇË][\wë]+|e|i|së|të))+", text))
    known_elsewhere: set[str] = set()
    other: set[str] = set()
    for entry in lexicon.gazetteer:
        forms = surface_forms(entry)
        (other if provenance_kind(entry.provenance) == "general" else known_elsewhere).update(forms)
    assert {n for n in names if n in other and n not in known_elsewhere} == set()
    assert all(provenance_kind(e.provenance) != "general" for e in lexicon.gazetteer)


# --- rules 2.0 on unseen text ------------------------------------------------------------
def test_cldr_places_and_nationalities_in_their_case_forms() -> None:
    text = (
        "Delegacioni i Mbretërisë së Bashkuar udhëtoi nga Nju Jorku në Zvicër dhe "
        "në Afrikën e Jugut, ku takoi ministrin australian."
    )
    assert entities(text) == [
        ("Mbretërisë së Bashkuar", "GPE"),
        ("Nju Jorku", "GPE"),
        ("Zvicër", "GPE"),
        ("Afrikën e Jugut", "GPE"),
        ("australian", "NORP"),
    ]
    assert ("Bashkimi Evropian", "ORG") in entities("Sot Bashkimi Evropian vendosi.")


def test_a_surname_recurs_in_its_document_but_never_splits_a_name() -> None:
    text = "Kryeministrja Theresa May foli sot në parlament.\nPas fjalimit, May u largua."
    found = [[(e["text"], e["label"]) for e in p["entities"]] for p in rules2(text)]
    assert found == [[("Theresa May", "PER"), ("sot", "DATE")], [("May", "PER")]]
    other_doc = preannotate_batch(doc("Pas fjalimit, May u largua.", "other"), "rules")
    assert other_doc[0]["entities"] == []  # the memory is per document


def test_general_hedge_cues_and_what_is_not_a_cue() -> None:
    assert cues("Gjoja ai paska thënë se mund të jetë e vërtetë.") == [
        "Gjoja",
        "paska",
        "mund të",
    ]
    assert cues("Ka të ngjarë që të dy ministrat të takohen.") == ["Ka të ngjarë"]
    assert cues("Besojmë se marrëveshja do të nënshkruhet.") == ["Besojmë"]
    for text in (
        "Rusia dhe Kina mund të bashkëpunojnë ushtarakisht.",
        "Delegacioni u prit në aeroport nga ministri.",
        "Ai do të qëndrojë rreth nëntë orë.",
        "Sipas BBC, ai tha se marrëveshja u nënshkrua.",
    ):
        assert cues(text) == [], text


def test_a_concessive_clause_ends_the_scope_in_2_0_only() -> None:
    text = "Pretendohet se ata u takuan, megjithëse askush nuk i pa."
    [prediction] = rules2(text)
    assert [s["text"] for s in prediction["hedge_scopes"]] == ["Pretendohet se ata u takuan"]
    [old] = preannotate_batch(doc(text), "rules-1.0")
    assert old["hedge_scopes"][0]["text"] == text[:-1]
    assert old["model_version"] == RULES_1 and prediction["model_version"] == RULES_2


# --- rules 1.0 stays reproducible ---------------------------------------------------------------
def test_rules_1_0_still_reproduces_the_seed_gold(seed_records: list[dict]) -> None:
    sentences = sentences_from_records(seed_records)
    result = compare(preannotate_batch(sentences, "rules-1.0"), seed_records)
    assert result["sentences"] == 28
    assert result["layers"]["entities"]["f1"]["value"] == 1.0
    assert result["layers"]["hedge cues"]["f1"]["value"] == 1.0


# --- the CRF in the loop ------------------------------------------------------------------------
def test_crf_version_names_its_training_data_and_survives_a_round_trip(
    seed_records: list[dict], tmp_path: Path
) -> None:
    model = train_crf_model(seed_records)
    assert model.version == crf_version(sorted(r["id"] for r in seed_records))
    assert model.version != crf_version([r["id"] for r in seed_records[:-1]])
    assert re.fullmatch(r"sqcorpus-crf-[0-9a-f]{12}", model.version)
    path = save_crf_model(model, tmp_path)
    assert path.name == f"{model.version}.pkl"
    loaded = load_crf_model(path)
    sentences = doc("Presidenti Vladimir Putin mbërriti në Phenian më 18 qershor.")
    assert preannotate_batch(sentences, "crf", crf=loaded) == preannotate_batch(
        sentences, "crf", crf=model
    )
    (tmp_path / "junk.pkl").write_bytes(b"not a pickle")
    with pytest.raises(SqcorpusError, match=r"junk\.pkl"):
        load_crf_model(tmp_path / "junk.pkl")


def test_rules_and_crf_each_span_says_which_model_made_it(seed_records: list[dict]) -> None:
    model = train_crf_model(seed_records)
    sentences = sentences_from_records(seed_records)
    lexicon = load_lexicon(RULES_2, without={"seed-article"})
    rules = preannotate_batch(sentences, "rules", lexicon=lexicon)
    both = preannotate_batch(sentences, "rules+crf", crf=model, lexicon=lexicon)
    version = f"{lexicon.model_version}+{model.version}"
    added = 0
    for ruled, combined in zip(rules, both, strict=True):
        assert combined["model_version"] == version
        rule_spans = [(e["start"], e["end"], e["label"]) for e in ruled["entities"]]
        # every rule span is kept; CRF spans only fill the rules' silences
        assert [
            (e["start"], e["end"], e["label"])
            for e in combined["entities"]
            if e["model"] == lexicon.model_version
        ] == rule_spans
        for entity in combined["entities"]:
            if entity["model"] == model.version:
                added += 1
                assert all(entity["end"] <= s or e <= entity["start"] for s, e, _ in rule_spans)
    assert added > 0  # trained on this very text, the CRF finds what the rules missed


# --- compare() against seqeval ------------------------------------------------------------------
def test_compare_agrees_with_seqeval(seed_records: list[dict]) -> None:
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    predictions = preannotate_batch(
        sentences_from_records(seed_records),
        "rules",
        lexicon=load_lexicon(RULES_2, without={"seed-article"}),
    )
    gold_tags, pred_tags = [], []
    for record, prediction in zip(seed_records, predictions, strict=True):
        gold_tags.append([schema.NER_TAGS[t] for t in record["ner_tags"]])
        tags = ["O"] * len(record["tokens"])
        for entity in prediction["entities"]:
            inside = [
                i
                for i, (s, e) in enumerate(
                    zip(record["token_starts"], record["token_ends"], strict=True)
                )
                if entity["start"] <= s and e <= entity["end"]
            ]
            for k, i in enumerate(inside):
                tags[i] = ("B-" if k == 0 else "I-") + entity["label"]
        pred_tags.append(tags)
    figures = compare(predictions, seed_records)["layers"]["entities"]
    for name, metric in (
        ("precision", precision_score),
        ("recall", recall_score),
        ("f1", f1_score),
    ):
        expected = metric(gold_tags, pred_tags, mode="strict", scheme=IOB2)
        assert figures[name]["value"] == pytest.approx(expected), name
    assert 0 < figures["f1"]["value"] < 1


def test_compare_reports_each_batch_and_all(seed_records: list[dict]) -> None:
    predictions = preannotate_batch(sentences_from_records(seed_records), "rules-1.0")
    first = {r["id"] for r in seed_records[:10]}
    results = compare_batches(
        predictions, seed_records, lambda r: "batch-1" if r["id"] in first else "batch-2"
    )
    assert list(results) == ["batch-1", "batch-2", "all"]
    assert results["batch-1"]["sentences"] == 10 and results["all"]["sentences"] == 28
    assert set(results["all"]["layers"]) == {"entities", "hedge cues", "hedge scopes", "uncertain"}


# --- the command ----------------------------------------------------------------------------------
def test_command_pre_annotates_a_file_and_compares_with_gold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file = tmp_path / "unseen-doc.txt"
    text_file.write_text("Ministri britanik mbërriti në Londër. Ndoshta do të flasë.", "utf-8")
    out = tmp_path / "pre.jsonl"
    assert main(["preannotate", str(text_file), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["unseen-doc-s001", "unseen-doc-s002"]
    assert {r["model_version"] for r in rows} == {RULES_2}
    assert [e["text"] for e in rows[0]["entities"]] == ["britanik", "Londër"]
    assert [c["text"] for c in rows[1]["hedge_cues"]] == ["Ndoshta"]

    predictions = tmp_path / "seed.jsonl"
    argv = ["preannotate", "--release", SEED_RELEASE, "--model", "rules-1.0"]
    assert main([*argv, "--out", str(predictions)]) == 0
    capsys.readouterr()
    batches = tmp_path / "batches.tsv"
    batches.write_text(f"{SEED_DOC_ID}\tbatch-0\n", encoding="utf-8")
    compare_argv = ["preannotate", "--compare", str(predictions), "--release", SEED_RELEASE]
    assert main([*compare_argv, "--batches", str(batches)]) == 0
    table = capsys.readouterr().out
    assert "| batch-0 | 28 | entities | 95 | 95 | 1.00 [1.00, 1.00]" in table

    batches.write_text("other-doc\tbatch-0\n", encoding="utf-8")
    assert main([*compare_argv, "--batches", str(batches)]) == 1
    assert f"id {SEED_DOC_ID}" in capsys.readouterr().err
    lines = predictions.read_text(encoding="utf-8").splitlines()
    predictions.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    assert main(compare_argv) == 1
    assert f"seed.jsonl, id {SEED_DOC_ID}-s001, field 'id': no pre-annotation" in (
        capsys.readouterr().err
    )


def test_command_refuses_bad_input_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preannotate", "--doc", "no-such-doc"]) == 1
    err = capsys.readouterr().err.strip()
    assert "no-such-doc.txt, id no-such-doc: no such document in the raw store" in err
    assert len(err.splitlines()) == 1
    assert main(["preannotate", "--release", SEED_RELEASE, "--model", "bogus"]) == 1
    assert "unknown model 'bogus'" in capsys.readouterr().err
    assert main(["preannotate", "--release", SEED_RELEASE, "--without", "ntrex"]) == 1
    assert "unknown provenance kind 'ntrex'" in capsys.readouterr().err


def test_a_prediction_converts_back_for_label_studio() -> None:
    from sqcorpus.annotate.convert import to_ls_results
    from sqcorpus.annotate.premodel import to_annotation

    [sentence] = doc("Sipas BBC, ndoshta Putini do të vijë në Londër.")
    [prediction] = preannotate_batch([sentence], "rules")
    annotation = to_annotation(prediction, sentence.text)
    assert [(e.text, e.label) for e in annotation.entities] == [
        ("BBC", "ORG"),
        ("Putini", "PER"),
        ("Londër", "GPE"),
    ]
    assert [c.text for c in annotation.hedge_cues] == ["ndoshta"]
    assert len(to_ls_results(annotation)) == 5  # three entities, a cue, a scope


def test_the_crf_trains_on_adjudicated_exports_and_is_saved_by_version(
    mini_project: MiniProject, tmp_path: Path
) -> None:
    from sqcorpus.evaluation.prerun import obtain_crf
    from sqcorpus.models import SentenceAnnotation

    first, second = mini_project.sentences()[:2]
    putin = span(first.text, "Vladimir Putin", "PER")
    adjudicated = ls_task(
        first,
        SentenceAnnotation(entities=[putin]),
        SentenceAnnotation(entities=[]),
        ground_truth=0,
    )
    undecided = ls_task(second, SentenceAnnotation(), SentenceAnnotation())
    mini_project.write_export([adjudicated])
    models = tmp_path / "models"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SQCORPUS_ROOT", str(mini_project.root))
        model, path = obtain_crf(None, None, mini_project.exports, models=models)
        assert model.training_ids == (first.id,)
        assert path == models / f"{model.version}.pkl" and path.is_file()
        mini_project.write_export([adjudicated, undecided])
        with pytest.raises(SqcorpusError, match="adjudicate first"):
            obtain_crf(None, None, mini_project.exports, models=models)


def test_the_date_rules_know_every_cldr_month_and_weekday() -> None:
    from babel import Locale

    locale = Locale("sq")
    months = [locale.months["format"]["wide"][m] for m in range(1, 13)]
    days = [locale.days["format"]["wide"][d] for d in range(7)]  # "e hënë", ...
    for name in [f"18 {m}" for m in months] + days:
        assert entities(f"Ai foli {name} në Tiranë.")[0] == (name, "DATE"), name
