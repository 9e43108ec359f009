"""702.5: the prohibited-content checks. See findings.py for what every check returns."""
