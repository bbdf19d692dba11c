"""Spelling variants that the normalizer cannot fold because a letter is added, dropped or swapped.

``normalize_text`` already unifies hamza forms, alef maqsura and ta marbuta. What is left are
transliteration habits that differ between outlets: أمريكي/أميركي, دميتري/ديمتري, زيلينسكي/زيلنسكي, and
Latin *g* written غ (Levant, Gulf) or ج (Egypt: بلومبرج). The table is small on purpose: every pair is a
known habit, applied to whole KB phrases at load time, so matching stays exact and fast.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from marsad.normalize.arabic import normalize_text

# Interchangeable spellings inside a word (normalized forms), applied in both directions.
SPELLING_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (normalize_text(a), normalize_text(b))
    for a, b in (
        ("أمريك", "أميرك"),  # أمريكي / أميركي, الأمريكية / الأميركية
        ("دميتري", "ديمتري"),  # Dmitry
        ("لينسكي", "لنسكي"),  # -linsky: زيلينسكي / زيلنسكي
    )
)
# Latin g in foreign names: غ in most outlets, ج in Egyptian ones. Only for names from outside the Arab
# world, where the original sound is never a j.
_FOREIGN_G = ("غ", "ج")

# Arab League members: names from these countries are Arabic, not transliterated.
ARAB_COUNTRIES = frozenset(
    (
        "AE",
        "BH",
        "DJ",
        "DZ",
        "EG",
        "IQ",
        "JO",
        "KM",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SD",
        "SO",
        "SY",
        "TN",
        "YE",
    )
)
_MAX_VARIANTS = 16


@lru_cache(maxsize=100_000)
def spelling_variants(phrase: str, *, foreign: bool = False) -> frozenset[str]:
    """Normalized ``phrase`` and its known alternative spellings (the phrase itself included).

    ``foreign`` allows غ→ج for names transliterated from other languages.
    """
    base = normalize_text(phrase)
    out = {base}
    for a, b in SPELLING_PAIRS:
        for form in list(out):
            if a in form:
                out.add(form.replace(a, b))
            elif b in form and len(out) < _MAX_VARIANTS:
                out.add(form.replace(b, a))
    if foreign and _FOREIGN_G[0] in base:
        out |= {form.replace(*_FOREIGN_G) for form in list(out)}
    return frozenset(out)


def variant_product(parts: list[frozenset[str]]) -> set[str]:
    """Every combination of per-slot variants joined with spaces (used for template phrases)."""
    return {" ".join(p for p in combo if p) for combo in product(*parts)}
