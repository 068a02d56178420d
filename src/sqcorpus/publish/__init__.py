"""Publication files generated from a release: dataset card, datasheet block."""
