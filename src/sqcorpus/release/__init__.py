"""Stages 4-6: validate records, assign splits, write a versioned release, and read it back."""
