"""Publication: the dataset card (README.md's YAML header) and the datasheet's statistics,
generated from the latest release."""
