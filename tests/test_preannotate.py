"""The rule-based pre-annotator: what it proposes, what it refuses, and token alignment."""

from __future__ import annotations

import pytest

from sqcorpus import schema
from sqcorpus.annotate.lexicon import (
    GazetteerEntry,
    inflect,
    load_gazetteer,
    load_hedge_cues,
    surface_forms,
)
from sqcorpus.annotate.preannotate import MODEL_VERSION, preannotate
from sqcorpus.errors import SqcorpusError
from sqcorpus.models import SentenceAnnotation, Token
from sqcorpus.text.segmentation import tokenize


def run(text: str) -> SentenceAnnotation:
    tokens = tokenize(text)
    annotation = preannotate(text, tokens)
    starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
    for span in [*annotation.entities, *annotation.hedge_cues, *annotation.hedge_scopes]:
        assert span.start in starts and span.end in ends, span
        assert span.text == text[span.start : span.end]
    return annotation


def entities(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in run(text).entities]


def hedges(text: str) -> list[tuple[str, str]]:
    annotation = run(text)
    assert len(annotation.hedge_cues) == len(annotation.hedge_scopes)
    return [
        (c.text, s.text)
        for c, s in zip(annotation.hedge_cues, annotation.hedge_scopes, strict=True)
    ]


def test_model_version_and_no_stance() -> None:
    assert MODEL_VERSION == "sqcorpus-rules-1.0"
    annotation = run("Putini e mbështet fuqishëm marrëveshjen me Phenianin.")
    assert annotation.stance is None and annotation.stance_holder is None
    assert annotation.note == ""


def test_inflected_forms_of_names() -> None:
    assert entities("Dje Putini takoi Kimin në Moskë dhe foli për Ukrainën.") == [
        ("Dje", "DATE"),
        ("Putini", "PER"),
        ("Kimin", "PER"),
        ("Moskë", "GPE"),
        ("Ukrainën", "GPE"),
    ]
    assert ("Phenianit", "GPE") in entities("Rrugët e Phenianit ishin plot me njerëz.")


def test_multi_word_names_with_linker_are_one_span() -> None:
    text = "Delegacioni i Koresë së Jugut dhe i Shteteve të Bashkuara shkoi në Maqedoninë e Veriut."
    assert entities(text) == [
        ("Koresë së Jugut", "GPE"),
        ("Shteteve të Bashkuara", "GPE"),
        ("Maqedoninë e Veriut", "GPE"),
    ]
    assert entities("Koreja e Veriut dhe Mali i Zi") == [
        ("Koreja e Veriut", "GPE"),
        ("Mali i Zi", "GPE"),
    ]


def test_titles_are_left_out_and_nationality_adjectives_are_norp() -> None:
    text = (
        "Takimi i presidentit rus Vladimir Putin me Qeverinë ruse dhe me ushtarët koreano-veriorë."
    )
    assert entities(text) == [
        ("rus", "NORP"),
        ("Vladimir Putin", "PER"),
        ("ruse", "NORP"),
        ("koreano-veriorë", "NORP"),
    ]
    assert entities("Marrëdhëniet ruso-kineze u forcuan.") == [("ruso-kineze", "NORP")]


def test_a_country_is_not_mistaken_for_the_capitalised_adjective() -> None:
    assert entities("Ai jetoi gjatë në Rusi.") == [("Rusi", "GPE")]
    assert entities("Rusët dhe kinezët votuan.") == [("Rusët", "NORP"), ("kinezët", "NORP")]


def test_agencies_with_a_hyphenated_ending_and_adjacent_names() -> None:
    assert entities("Sipas BBC-së, lajmi u konfirmua nga Reuters.") == [
        ("BBC-së", "ORG"),
        ("Reuters", "ORG"),
    ]
    # two adjacent names stay two spans ("by Kim to Putin")
    assert entities("Dhuratat e bëra nga Kim Putinit.") == [("Kim", "PER"), ("Putinit", "PER")]


def test_dates_and_what_is_not_a_date() -> None:
    text = "Ai mbërriti mbrëmjen e 18 qershorit dhe do të qëndrojë nëntë orë, si 24 vjet më parë."
    assert entities(text) == [("18 qershorit", "DATE"), ("24 vjet më parë", "DATE")]
    assert entities("Që nga viti 2000 dhe shkurt të 2022, axhenda e së mërkurës ndryshoi.") == [
        ("viti 2000", "DATE"),
        ("shkurt të 2022", "DATE"),
        ("së mërkurës", "DATE"),
    ]
    assert entities("Marrëveshja e nënshkruar sot pas 24 vjetësh.") == [
        ("sot", "DATE"),
        ("24 vjetësh", "DATE"),
    ]
    assert entities("Në 18.06.2024 ata folën.") == [("18.06.2024", "DATE")]


def test_named_facilities_need_capitals() -> None:
    assert entities("Ata u takuan në Pallatin e Mysafirëve Kumsusan.") == [
        ("Pallatin e Mysafirëve Kumsusan", "FAC")
    ]
    # a common noun before a city is not a named facility
    assert entities("Ai u prit në aeroportin e Phenianit.") == [("Phenianit", "GPE")]


def test_capitalisation_cues_keep_precision() -> None:
    # unknown names: two capitalised words form a person; a lone one is skipped
    assert entities("Zëdhënësja Maria Zakharova foli për Kumsusan.") == [("Maria Zakharova", "PER")]
    # sentence-initial or quote-initial capitals are not names
    assert entities("“Mirë se erdhe Putin”, shkruante mesazhi.") == [("Putin", "PER")]
    assert entities("Kontrata me kompaninë OSHEE u anulua.") == [("OSHEE", "ORG")]


def test_hedge_cues_with_scopes_to_the_end_of_the_clause() -> None:
    text = "Pretendohet se ai mund të ketë nënshkruar marrëveshjen, por Tass e mohon."
    assert hedges(text) == [
        ("Pretendohet", "Pretendohet se ai mund të ketë nënshkruar marrëveshjen"),
        ("mund të", "mund të ketë nënshkruar marrëveshjen"),
    ]
    assert hedges("Ende është e paqartë se si do të zbatohet.") == [
        ("e paqartë", "e paqartë se si do të zbatohet")
    ]
    assert hedges("Të dy priten të takohen në pallat, ku do të flasin.") == [
        ("priten", "priten të takohen në pallat")
    ]
    assert hedges("Ndoshta ai do të vijë.") == [("Ndoshta", "Ndoshta ai do të vijë")]


def test_reporting_future_and_deontic_modality_are_not_cues() -> None:
    for text in (
        "Sipas Tass, marrëveshja u nënshkrua.",
        "Agjencia Interfax raporton se takimi përfundoi.",
        "Ai tha se Rusia dhe Koreja e Veriut mund të bashkëpunojnë ushtarakisht.",
        "Ai do të qëndrojë të paktën nëntë orë.",
        "Delegacionet priten në aeroport nga ministri.",
        "Në pamjet shihen mijëra njerëz, megjithëse binte shi.",
    ):
        assert hedges(text) == [], text


def test_a_quote_closed_inside_the_scope_stays_in_it() -> None:
    text = 'Pretendohet se marrëveshja është "mbrojtëse dhe paqësore".'
    assert hedges(text) == [
        ("Pretendohet", 'Pretendohet se marrëveshja është "mbrojtëse dhe paqësore"')
    ]
    quoted = "“Rusia ndoshta do të ndihmojë”, shkruan BBC."
    assert hedges(quoted) == [("ndoshta", "ndoshta do të ndihmojë")]


def test_tokens_must_match_the_text() -> None:
    with pytest.raises(SqcorpusError, match="does not match the text"):
        preannotate("Putin foli.", [Token(0, 5, "Putn")])


def test_resources_are_valid_and_general() -> None:
    gazetteer = load_gazetteer()
    assert {e.label for e in gazetteer} <= set(schema.ENTITY_LABELS)
    assert len(gazetteer) > 250
    assert len(load_hedge_cues()) >= 15
    by_name = {name: e for e in gazetteer for name in e.names}
    for name in ("Tiranë", "Prishtinë", "Shkup", "NATO", "Edi Rama", "Kinë", "shqiptar"):
        assert name in by_name, name


def test_declension_classes() -> None:
    assert {"Rusia", "Rusisë", "Rusinë"} <= inflect("Rusi", "fi")
    assert {"Moska", "Moskës", "Moskën"} <= inflect("Moskë", "f")
    assert {"Putini", "Putinit", "Putinin"} <= inflect("Putin", "m")
    assert {"Iraku", "Irakut", "Irakun"} <= inflect("Irak", "mu")
    assert {"Koreja", "Koresë", "Korenë"} <= inflect("Kore", "fv")
    assert inflect("Shtetet", "pl") == {"Shtetet", "Shteteve"}
    forms = surface_forms(GazetteerEntry("GPE", ("Kore e Veriut",), "fv"))
    assert {"Koreja e Veriut", "Koresë së Veriut", "Korenë e Veriut"} <= forms
    starred = surface_forms(GazetteerEntry("ORG", ("Bashkim* Evropian",), "m"))
    assert {"Bashkimi Evropian", "Bashkimit Evropian"} <= starred
    with pytest.raises(ValueError):
        inflect("Paris", "f")
