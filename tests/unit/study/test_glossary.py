"""The scorer's glossary of equivalent terms is well formed: every term in one class only, each
class with at least two terms, entries written the way the scorer matches them."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from quizapp.study.glossary import TERM_CLASSES

TERMS = [term for terms in TERM_CLASSES for term in terms]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _key(term: str) -> str:
    return "".join(unicodedata.normalize("NFKC", term).lower().split())


def test_every_class_has_at_least_two_terms() -> None:
    assert len(TERM_CLASSES) >= 300
    assert [terms for terms in TERM_CLASSES if len(set(map(_key, terms))) < 2] == []


def test_no_term_is_in_two_classes_or_twice_in_one() -> None:
    counts = Counter(_key(term) for term in TERMS)
    assert [term for term, n in counts.items() if n > 1] == []


def test_terms_are_short_lower_case_and_not_single_letters() -> None:
    problems = [term for term in TERMS
                if term != term.strip() or len(term.split()) > 3 or len(_key(term)) < 2
                or (not HANGUL.search(term) and term != term.lower())]
    assert problems == []


def test_a_korean_term_carries_no_case_particle() -> None:
    # Particles are the scorer's business (it re-attaches the right one after a replaced term);
    # a term ending in one would never be found where the answer uses another.
    allowed = {"거의", "질의", "평가", "증가", "추가", "전문가", "과대평가", "차이", "깊이", "길이",
               "넓이", "줄이", "높이", "꺾이", "움직이", "디케이"}
    problems = [term for term in TERMS if HANGUL.search(term[-1:]) and term[-1] in "을를은는의이가"
                and term.split()[-1] not in allowed]
    assert problems == []
