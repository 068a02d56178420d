"""Use: score predictions against a release (``predictions`` read them, ``metrics`` compute
the figures, ``score`` ties them to a split, ``report`` shows them) and the baselines."""
