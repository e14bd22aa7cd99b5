"""Scoring stages: engagement weight (:mod:`.engagement`) and influence (:mod:`.influence`)."""
