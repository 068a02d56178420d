"""The maintainer's correction pass for release 1.0.1 (annotation corrections only).

After release 1.0.0, a consistency review read the whole gold against the guidelines and
found four decisions that broke a rule or each other. The guidelines were revised to
version 1.1 (see its change list) and the maintainer (pseudonym ``annotator-01``) corrected
these sentences in Label Studio on 2026-11-28, updating the existing annotations:

- s006: note only (the reason for favor is the attribution of s005, not the US remark);
- s017: both hedge scopes end at "ushtarakisht": the concessive clause is outside (5.4);
- s018: holder author -> source ("Kështu tha … Yuri Ushakov" in s019 attributes it);
- s028: note only (an unattributed banner is part of the scene: neutral, author).

Every task's ``guidelines_version`` is set to 1.1, since all 28 annotations were re-read
against it. Replay with ``python annotation/passes/maintainer_1_0_1.py`` after the 1.0.0
pass, while ``sqcorpus studio serve`` runs.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from maintainer_1_0_0 import DOC_ID, PASS, _user_id, annotation_for

GUIDELINES_VERSION = "1.1"

CORRECTIONS: dict[int, dict[str, Any]] = {
    6: {
        "note": "'Kështu tha Putin tha këtë' repeats the verb in the source. Favor: 'Kështu "
        "tha Putin' makes s005's favourable statement Putin's (guidelines 1.1, 4.4); the "
        "attack on US policies counts only through that. 'Moska' is metonymic for the "
        "Russian state: GPE (OntoNotes)."
    },
    17: {
        "scopes": [
            (
                "pretendohet se Putin mund të ketë thënë se Koreja e Veriut ka të drejtë të "
                "mbrohet dhe se Rusia dhe Koreja e Veriut mund të bashkëpunojnë ushtarakisht",
                "SCOPE",
            ),
            (
                "Putin mund të ketë thënë se Koreja e Veriut ka të drejtë të mbrohet dhe se "
                "Rusia dhe Koreja e Veriut mund të bashkëpunojnë ushtarakisht",
                "SCOPE",
            ),
        ],
        "note": "The second 'mund të' (mund të bashkëpunojnë = are allowed/able to cooperate) "
        "is deontic, not a cue. The concessive 'megjithëse...' is an adverbial clause and "
        "stays outside both scopes (guidelines 1.1, 5.4); corrected in 1.0.1.",
    },
    18: {
        "stance": ("neutral", "source"),
        "note": "Attributed to Ushakov by the next sentence ('Kështu tha ... Yuri Ushakov'), "
        "as s005 is to Putin: holder source (corrected in 1.0.1). The gift is stated as a "
        "fact: neutral.",
    },
    28: {
        "note": "The banner 'Mirë se erdhe Putin' is unattributed, part of the street scene "
        "the journalist describes: neutral, author (guidelines 1.1, 4.3). A name inside it "
        "is still an entity."
    },
}


def corrected_pass() -> dict[int, dict[str, Any]]:
    decisions = copy.deepcopy(PASS)
    for index, changes in CORRECTIONS.items():
        decisions[index].update(changes)
    return decisions


def main() -> None:
    from sqcorpus.annotate.convert import to_ls_results
    from sqcorpus.annotate.tasks import annotator_name
    from sqcorpus.text.corpus import corpus_sentences
    from sqcorpus.annotate.studio import connect, find_project

    decisions = corrected_pass()
    sentences = [s for s in corpus_sentences() if s.doc_id == DOC_ID]
    wanted = {s.id: annotation_for(s, decisions) for s in sentences}
    client = connect()
    project = find_project(client, "sqcorpus")
    if project is None:
        raise SystemExit("no sqcorpus project: run `sqcorpus studio push` first")
    me = client.users.whoami()
    updated = 0
    for task in client.tasks.list(project=project.id, fields="all"):
        sid = task.data["sid"]
        if sid not in wanted:
            continue
        if task.data.get("guidelines_version") != GUIDELINES_VERSION:
            client.tasks.update(
                id=str(task.id), data={**task.data, "guidelines_version": GUIDELINES_VERSION}
            )
        mine = [a for a in task.annotations or [] if _user_id(a) == me.id]
        if len(mine) != 1:
            raise SystemExit(f"{sid}: expected one annotation by {annotator_name(me.id)}")
        index = int(sid.rsplit("-s", 1)[1])
        if index in CORRECTIONS:
            client.annotations.update(id=mine[0]["id"], result=to_ls_results(wanted[sid]))
            updated += 1
    print(f"corrected {updated} annotations; guidelines_version {GUIDELINES_VERSION} on all tasks")


if __name__ == "__main__":
    main()
