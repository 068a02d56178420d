"""Stages 4-7: validate records, assign frozen splits, write a versioned release with its
manifest, Croissant and citation, and read it back (``store`` at the bottom of the read side,
``loading`` for ``datasets``); ``diff`` and ``export`` read releases for people and tools."""
