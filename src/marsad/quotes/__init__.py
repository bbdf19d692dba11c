"""Quotes: who said what, to whom it is credited, and when (issue 3).

``extract_quotes`` is the entry point; the cue lexicon lives in ``data/cues.yaml``.
"""

from marsad.quotes.cues import Lexicon, default_lexicon, load_lexicon
from marsad.quotes.extract import extract_quotes, headline_quotes

__all__ = ["Lexicon", "default_lexicon", "extract_quotes", "headline_quotes", "load_lexicon"]
