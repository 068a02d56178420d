"""The predictions format in words, shown by ``sqcorpus evaluate --help`` (kept free of
imports so that building the command line stays fast; README.md has worked examples)."""

from __future__ import annotations

PREDICTIONS_FORMAT = """\
predictions format: JSON Lines, one object per sentence of the split, keyed by "id"
(the release's sentence id). Every label may be a name or the release's ClassLabel id
(the integer datasets gives you). Fields other than the config's are ignored, and lines
for sentences of the release's other splits are ignored and counted, so one file can
serve every config and split.

  ner      "ner_tags": IOB2 tags, one per release token, e.g. ["B-PER", "I-PER", "O"]
           or ids [1, 2, 0]; or "entities": [{"start": 0, "end": 14, "label": "PER"}]
           with character offsets into the sentence text, on token boundaries.
           CoNLL-2003 types (PER, ORG, LOC, MISC) are scored after mapping only.
  stance   "stance": "favor" | "against" | "neutral" (or 0 | 1 | 2); optional
           "stance_holder": "author" | "source" (or 0 | 1), scored when given
  hedging  "uncertain": "certain" | "uncertain" (or 0 | 1, or a boolean); optional
           "hedge_tags" (O, B-CUE, I-CUE per token, or ids 0, 1, 2) or "hedge_cues"
           [{"start": .., "end": ..}], and "hedge_scopes"; without "uncertain" a
           sentence is uncertain iff it has a predicted cue.

Sentences without a gold label (-1) need no prediction and are counted as excluded.
Example line: {"id": "putin-north-korea-2024-06-s006", "stance": "favor"}
"""
