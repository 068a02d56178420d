"""The maintainer's annotation pass for release 1.0.0, as submitted to Label Studio.

Annotator: the project maintainer (pseudonym ``annotator-01`` in the export), following
annotation/guidelines.md version 1.0, on 2026-11-28. Each sentence was read in full, the
rule-based pre-annotation was corrected, and every entity, stance and hedge decided by the
guidelines; doubts are in the notes. The decisions are kept here, as data, so the pass can be
replayed into a fresh Label Studio project (``python annotation/passes/maintainer_1_0_0.py``
while ``sqcorpus studio serve`` runs, after ``sqcorpus studio push``); the release itself is
built from the pulled export in annotation/exports/, never from this file.

A span is written as (fragment, label) or (fragment, label, n) for the n-th occurrence
(0-based) of the fragment in the sentence; offsets are computed, then checked on tokens.
"""

from __future__ import annotations

from typing import Any

GUIDELINES_VERSION = "1.0"
DOC_ID = "putin-north-korea-2024-06"

# sentence number -> decisions
PASS: dict[int, dict[str, Any]] = {
    1: {
        "entities": [
            ("Vladimir Putin", "PER"),
            ("18 qershorit", "DATE"),
            ("Korenë e Veriut", "GPE"),
            ("Kim Jong Un", "PER"),
        ],
        "stance": ("neutral", "author"),
        "note": "'diktatori' judges Kim, not the rapprochement: neutral (guidelines, stance).",
    },
    2: {
        "entities": [("Korenë e Veriut", "GPE"), ("Koresë së Veriut", "GPE")],
        "stance": ("neutral", "author"),
        "note": "'do të qëndrojë' is future, 'të paktën nëntë orë' a bound: no hedge; "
        "'nëntë orë' is a duration under a day: no DATE.",
    },
    3: {
        "entities": [
            ("Pallatin e Mysafirëve Kumsusan", "FAC"),
            ("rus", "NORP"),
            ("Korenë e Veriut", "GPE"),
            ("24 vjet më parë", "DATE"),
        ],
        "stance": ("neutral", "author"),
        "cues": [("priten", "CUE")],
        "scopes": [("të dy priten të takohen në Pallatin e Mysafirëve Kumsusan", "SCOPE")],
        "note": "Scope of 'priten' (raising verb) takes its subject 'të dy'; the comma "
        "relative clause 'ku presidenti rus qëndroi...' states a past fact and is left out.",
    },
    4: {
        "entities": [("së mërkurës", "DATE"), ("ruse", "NORP"), ("Interfax", "ORG")],
        "stance": ("neutral", "source"),
        "note": "The paragraph ends in a comma in the source (cut sentence). The agenda is "
        "Interfax's report ('citon'), so the holder is the source; 'citon' is attribution, "
        "not a hedge.",
    },
    5: {
        "entities": [("Rusia", "GPE"), ("Koreja e Veriut", "GPE")],
        "stance": ("favor", "source"),
        "note": "The quoted words are Putin's (attributed by the next sentence, 'Kështu tha "
        "Putin'): holder source. Doubtful: read alone, the first clause is the author's report.",
    },
    6: {
        "entities": [
            ("Putin", "PER"),
            ("Koresë së Veriut", "GPE"),
            ("Kim Jong-un", "PER"),
            ("Phenian", "GPE"),
            ("Moska", "GPE"),
            ("dekadash", "DATE"),
            ("Shteteve të Bashkuara", "GPE"),
            ("Rusisë", "GPE"),
            ("ruse", "NORP"),
            ("Tass", "ORG"),
        ],
        "stance": ("favor", "source"),
        "note": "'Kështu tha Putin tha këtë' repeats the verb in the source. Favor inferred: "
        "at the meeting Putin casts Moscow and Pyongyang against the US. 'Moska' is "
        "metonymic for the Russian state: GPE (OntoNotes).",
    },
    7: {
        "entities": [("Kim", "PER"), ("ruse", "NORP"), ("Ukrainë", "GPE")],
        "stance": ("favor", "source"),
        "cues": [("pretendohet", "CUE")],
        "scopes": [
            (
                "Kim, pretendohet të ketë thënë se thënë se shteti i tij “mbështet plotësisht "
                "dhe është në solidaritet me Qeverinë ruse për luftën në Ukrainë",
                "SCOPE",
            )
        ],
        "note": "The “ opens a quote that never closes; the sentence ends at 'Ukrainë.' "
        "'thënë se thënë se' is the source's repetition. 'luftën në Ukrainë' is not a named "
        "EVENT.",
    },
    8: {
        "entities": [("Koresë së Veriut", "GPE"), ("Rusinë", "GPE")],
        "stance": ("neutral", "author"),
        "cues": [("e paqartë", "CUE"), ("mund të", "CUE")],
        "scopes": [
            (
                "ende është e paqartë se si mund të duhet mbështetje e Koresë së Veriut për Rusinë",
                "SCOPE",
            ),
            ("mund të duhet mbështetje e Koresë së Veriut për Rusinë", "SCOPE"),
        ],
        "note": "Still inside the unclosed quote of the paragraph, but the author's voice "
        "('Megjithatë'). 'mund të duhet' = might be needed: epistemic, a cue.",
    },
    9: {
        "entities": [("Rusisë", "GPE")],
        "stance": ("favor", "source"),
        "note": "'Ai' is Kim (previous sentences); praising Russia's role is support.",
    },
    10: {
        "entities": [
            ("Phenianit", "GPE"),
            ("rus", "NORP"),
            ("Vladimir Putin", "PER"),
            ("Korenë e Veriut", "GPE"),
        ],
        "stance": ("neutral", "author"),
        "note": "'luksoze', 'madhështore' describe the pomp, not the author's stance.",
    },
    11: {
        "entities": [
            ("rus", "NORP"),
            ("Koresë së Veriut", "GPE"),
            ("Kim Jong Un", "PER"),
            ("Phenian", "GPE"),
            ("viti 2000", "DATE"),
        ],
        "stance": ("favor", "source"),
        "note": "Paraphrased speaker: Putin thanks Kim for the invitation.",
    },
    12: {
        "entities": [],
        "stance": ("neutral", "author"),
        "note": "'shihen' is evidential (what the footage shows), not a hedge.",
    },
    13: {
        "entities": [
            ("Rusisë", "GPE"),
            ("Koresë së Veriut", "GPE"),
            ("Ukrainës", "GPE"),
            ("Rusia", "GPE"),
            ("shkurt të 2022", "DATE"),
        ],
        "stance": ("neutral", "author"),
        "note": "'pushtimi' (invasion) judges the war, not the rapprochement: neutral.",
    },
    14: {
        "entities": [
            ("Rusia", "GPE"),
            ("Koreja e Veriut", "GPE"),
            ("rus", "NORP"),
            ("Vladimir Putin", "PER"),
            ("Phenian", "GPE"),
        ],
        "stance": ("neutral", "author"),
        "note": "The treaty's title is descriptive, not a proper name: no entity.",
    },
    15: {
        "entities": [("sot", "DATE"), ("BBC", "ORG")],
        "stance": ("neutral", "source"),
        "note": "BBC describes the treaty's content; 'parashikon' (provides for) is not a hedge.",
    },
    16: {
        "entities": [
            ("rus", "NORP"),
            ("Yuri Ushakov Ushakov", "PER"),
            ("Rusisë", "GPE"),
            ("Koresë së Veriut", "GPE"),
        ],
        "stance": ("favor", "source"),
        "note": "'Yuri Ushakov Ushakov' (surname repeated in the source) is one maximal PER "
        "span. 'Sipas' is attribution, not a hedge.",
    },
    17: {
        "entities": [
            ("Putin", "PER"),
            ("Koreja e Veriut", "GPE", 0),
            ("Rusia", "GPE"),
            ("Koreja e Veriut", "GPE", 1),
        ],
        "stance": ("favor", "source"),
        "cues": [("pretendohet", "CUE"), ("mund të", "CUE", 0)],
        "scopes": [
            (
                "pretendohet se Putin mund të ketë thënë se Koreja e Veriut ka të drejtë të "
                "mbrohet dhe se Rusia dhe Koreja e Veriut mund të bashkëpunojnë ushtarakisht, "
                'megjithëse marrëveshja është "mbrojtëse dhe paqësore"',
                "SCOPE",
            ),
            (
                "Putin mund të ketë thënë se Koreja e Veriut ka të drejtë të mbrohet dhe se "
                "Rusia dhe Koreja e Veriut mund të bashkëpunojnë ushtarakisht, megjithëse "
                'marrëveshja është "mbrojtëse dhe paqësore"',
                "SCOPE",
            ),
        ],
        "note": "The second 'mund të' (mund të bashkëpunojnë = are allowed/able to cooperate) "
        "is deontic, not a cue. Doubtful: the concessive 'megjithëse...' is read as part of "
        "what Putin is claimed to have said, so it is inside both scopes.",
    },
    18: {
        "entities": [
            ("Vladimir Putin", "PER"),
            ("Aurus", "PRODUCT"),
            ("Rusia", "GPE"),
            ("Koresë së Veriut", "GPE"),
            ("Kim Jong-un", "PER"),
            ("Phenian", "GPE"),
        ],
        "stance": ("neutral", "author"),
        "note": "The gift is reported without judgement: neutral author.",
    },
    19: {
        "entities": [("Yuri Ushakov", "PER"), ("Ria Novosti", "ORG"), ("Kimit", "PER")],
        "stance": ("neutral", "source"),
        "note": "Ushakov describes the gift (relayed by Ria Novosti): the holder is the source; "
        "no stance beyond the fact.",
    },
    20: {
        "entities": [("Putinit", "PER"), ("Koresë së Veriut", "GPE")],
        "stance": ("neutral", "author"),
    },
    21: {
        "entities": [("Kim", "PER"), ("Putinit", "PER"), ("rus", "NORP")],
        "stance": ("neutral", "author"),
        "note": "'Kim Putinit' = two adjacent names (by Kim, to Putin): two PER spans.",
    },
    22: {
        "entities": [("rus", "NORP"), ("Vladimir Putin", "PER"), ("Korenë e Veriut", "GPE")],
        "stance": ("neutral", "author"),
    },
    23: {
        "entities": [
            ("rus", "NORP"),
            ("Phenianit", "GPE"),
            ("Koresë së Veriut", "GPE"),
            ("Kim Jong Un", "PER"),
        ],
        "stance": ("neutral", "author"),
        "note": "'aeroportin e Phenianit' is not a named facility: only 'Phenianit' GPE.",
    },
    24: {
        "entities": [
            ("Putin", "PER"),
            ("Koresë së Veriut", "GPE"),
            ("24 vjetësh", "DATE"),
            ("viti 2019", "DATE"),
        ],
        "stance": ("neutral", "author"),
    },
    25: {
        "entities": [("Putin", "PER"), ("Kim Jong Un", "PER")],
        "stance": ("neutral", "author"),
        "note": "'dallohet' (can be seen) is evidential, not a hedge.",
    },
    26: {
        "entities": [("rus", "NORP")],
        "stance": ("neutral", "author"),
    },
    27: {
        "entities": [
            ("ruse", "NORP"),
            ("Aurus", "PRODUCT"),
            ("Putinit", "PER"),
            ("Pallatin Kumsusan", "FAC"),
        ],
        "stance": ("neutral", "author"),
    },
    28: {
        "entities": [("Phenianit", "GPE"), ("Putinit", "PER"), ("Putin", "PER", 1)],
        "stance": ("neutral", "author"),
        "note": "A name inside a quoted banner ('Mirë se erdhe Putin') is still an entity.",
    },
}


def _span(text: str, spec: tuple[Any, ...]) -> Any:
    from sqcorpus.models import Span

    fragment, label, *rest = spec
    occurrence = rest[0] if rest else 0
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    return Span(start, start + len(fragment), fragment, label)


def annotation_for(sentence: Any, decisions_by_index: dict[int, dict[str, Any]] = PASS) -> Any:
    """The decisions for one corpus sentence, as a checked SentenceAnnotation."""
    from sqcorpus.annotate.convert import Where, from_ls_results, to_ls_results
    from sqcorpus.models import SentenceAnnotation

    decisions = decisions_by_index[sentence.index]
    stance, holder = decisions["stance"]
    annotation = SentenceAnnotation(
        entities=[_span(sentence.text, e) for e in decisions["entities"]],
        stance=stance,
        stance_holder=holder,
        hedge_cues=[_span(sentence.text, c) for c in decisions.get("cues", [])],
        hedge_scopes=[_span(sentence.text, s) for s in decisions.get("scopes", [])],
        note=decisions.get("note", ""),
    )
    # Round-trip through the converter: the same checks the build applies (token boundaries).
    where = Where(__file__, sentence.id)
    return from_ls_results(to_ls_results(annotation), sentence.text, sentence.tokens, where)


def main() -> None:
    from sqcorpus.annotate.convert import to_ls_results
    from sqcorpus.text.corpus import corpus_sentences
    from sqcorpus.annotate.studio import connect, find_project

    sentences = [s for s in corpus_sentences() if s.doc_id == DOC_ID]
    assert sorted(PASS) == [s.index for s in sentences], "one decision per sentence"
    annotations = {s.id: annotation_for(s) for s in sentences}
    client = connect()
    project = find_project(client, "sqcorpus")
    if project is None:
        raise SystemExit("no sqcorpus project: run `sqcorpus studio push` first")
    me = client.users.whoami()
    done = 0
    for task in client.tasks.list(project=project.id, fields="all"):
        sid = task.data["sid"]
        if sid not in annotations:
            continue
        mine = [a for a in task.annotations or [] if _user_id(a) == me.id]
        if mine:
            continue
        client.annotations.create(
            id=task.id, result=to_ls_results(annotations[sid]), completed_by=me.id
        )
        done += 1
    print(f"submitted {done} annotations ({len(sentences) - done} already present)")


def _user_id(annotation: Any) -> Any:
    completed_by = annotation.get("completed_by") if isinstance(annotation, dict) else None
    return completed_by.get("id") if isinstance(completed_by, dict) else completed_by


if __name__ == "__main__":
    main()
