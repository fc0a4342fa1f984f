"""Finding records that report the same incident (issue 17): profiles, blocking,
scoring with reasons in words. Merging lives in incidents/store/merges.py."""

from incidents.duplicates.scoring import DEFAULT_THRESHOLD, Match
from incidents.duplicates.search import find_candidates, reason_text

__all__ = ["DEFAULT_THRESHOLD", "Match", "find_candidates", "reason_text"]
