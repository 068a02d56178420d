"""Use: score predictions against a release, and the baselines that set the bar."""
