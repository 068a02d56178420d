"""Stage 3: annotation in Label Studio: the generated label config, pre-annotation, the
Label Studio server and its exports converted to records, and inter-annotator agreement."""
