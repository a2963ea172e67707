"""Score a typed answer by concept: which of a card's keyword concepts the answer names.

A card's ``quiz.keywords`` has a ``ko`` and an ``en`` list aligned concept by concept; an entry
may list alternative surface forms separated by ``|``. A concept is *found* when the answer
names any form of it, in either language, because Korean ML speakers mix the two ("gradient
noise가 커서…"). The score is the share of concepts found (0-1).

Matching is made robust the way a reader is (the method was chosen with
``tests/benchmarks/bench_scoring.py`` on a labelled set; figures in ``docs/SCORING.md``):

- text is NFKC-normalised and lower-cased, and hyphens, slashes and punctuation separate words
  (``Batch-Norm`` = ``batch norm``); accents are dropped (``naïve`` = ``naive``, ``v̂`` = ``v``)
  and ``√`` in an answer is read as the word sqrt (``√p`` = ``sqrt(p)``);
- Hangul is compared with spaces removed, so spacing does not matter (``드롭 아웃`` =
  ``드롭아웃``) and a particle or ending after a term does not hide it (``과적합을``,
  ``과적합이``): the term is found at the start of a word;
- Latin words are compared by their Snowball stem (``regularized`` = ``regularization``), and a
  word of six letters or more may differ by one typo (one edit or one swap of neighbouring
  letters: optimal string alignment distance 1, rapidfuzz);
- a form of several words is found when all its content words (not "the", "of", ...) occur
  within a short window in any order, so "fit on training data only" is found in "only fit the
  scaler on the training data";
- a Korean form of four syllables or more may have one typo: one syllable differing in one of
  its parts (조기종로), or a particle dropped, added or swapped (상한이 없 / 상한 없이), never a
  whole syllable (과소적합 is not 과적합; 필요 없 never matches 필요하다);
- a Korean verb stem is also found inflected (얼리 in 얼려/얼렸/얼린, 다르 in 달라), a form word
  written inflected by its stem (줄여 in 줄이면, 동일한 in 동일해), and an English word glued
  to a Korean particle by its stem (tree를 = trees);
- a term of a form may be said with an equivalent from ``quizapp.study.glossary`` (학습 전 as
  training 전, 교사 모델 as 선생님 모델); such a derived form is matched as written (no typo,
  words in order and close together).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from quizapp.content import Card

LANGS = ("ko", "en")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_WORD = re.compile(r"[\w\u0300-\u036f\uac00-\ud7a3\u3131-\u318e]+", re.UNICODE)
#: An answer's words and the symbols read as a word (√p is "sqrt p").
_ANSWER_WORD = re.compile(rf"√|{_WORD.pattern}", re.UNICODE)
_SYMBOL_WORDS = {"√": "sqrt"}
#: Accents and hats over a letter (naïve, v̂, x̄): part of the word, not of its spelling.
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LATIN_HEAD = re.compile(r"[a-z]{2,}")
_LEADING_NUMBER = re.compile(r"[0-9]+(?=[\uac00-\ud7a3])")
_STOPWORDS = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "by", "with", "from", "at",
    "as", "is", "are", "be", "it", "its", "this", "that", "into", "than", "then", "only", "s"))
#: How far apart (in words) the content words of one multi-word form may be.
WINDOW_SLACK = 3


@dataclass(frozen=True)
class ConceptResult:
    """One keyword concept: its display term, whether the answer names it, and where."""

    term: str  # the concept's first form in the answer's language
    found: bool
    evidence: str | None  # the text of the answer that names it
    span: tuple[int, int] | None  # that text's position in the answer

    def to_json(self) -> dict[str, object]:
        return {"term": self.term, "found": self.found, "evidence": self.evidence}


@dataclass(frozen=True)
class Score:
    """How an answer covers a card's concepts."""

    card_id: str
    lang: str
    concepts: tuple[ConceptResult, ...]

    @property
    def score(self) -> float:
        if not self.concepts:
            return 0.0
        return sum(c.found for c in self.concepts) / len(self.concepts)

    @property
    def missed(self) -> list[str]:
        return [c.term for c in self.concepts if not c.found]

    def to_json(self) -> dict[str, object]:
        return {"card": self.card_id, "lang": self.lang, "score": round(self.score, 4),
                "keywords": [c.to_json() for c in self.concepts]}


def score_answer(card: Card, lang: str, answer: str) -> Score:
    """Score ``answer`` (written for the ``lang`` side of ``card``) against its concepts."""
    if lang not in LANGS:
        raise ValueError(f"language must be ko or en, got {lang!r}")
    keywords = card.quiz.keywords if card.quiz else {"ko": [], "en": []}
    text = Text(answer)
    results = []
    for ko, en in zip(keywords["ko"], keywords["en"], strict=True):
        own, other = (ko, en) if lang == "ko" else (en, ko)
        span = text.find_any([*split_forms(own), *split_forms(other)]) or text.find_any(
            _equivalent_forms(own, other), loose=False)
        results.append(ConceptResult(
            term=split_forms(own)[0] if split_forms(own) else own,
            found=span is not None,
            evidence=answer[span[0]:span[1]] if span else None,
            span=span))
    return Score(card.id, lang, tuple(results))


def split_forms(entry: str) -> list[str]:
    """The alternative surface forms of one keyword entry (``"a|b"`` -> ``["a", "b"]``)."""
    return [form.strip() for form in entry.split("|") if form.strip()]


@cache
def _equivalent_forms(own: str, other: str) -> tuple[str, ...]:
    """A concept's forms (in the answer's language, then the other) with one term replaced by
    an equivalent from the glossary (``학습 전`` -> ``training 전``, ``교사 모델`` ->
    ``선생님 모델``), except those already among its forms."""
    forms = [*split_forms(own), *split_forms(other)]
    variants = (variant for form in forms for variant in _with_equivalents(form))
    return tuple(dict.fromkeys(v for v in variants if v not in forms))


#: Particles that may follow a glossary term inside a form (기울기가, 학습률을); when the term is
#: replaced by an English one the case markers go (a Korean writer picks them by sound), the
#: others stay (``gradient만``).
_CASE_MARKERS = ("이", "가", "을", "를", "은", "는")
_KEPT_PARTICLES = ("으로", "에서", "의", "에", "로", "와", "과", "만", "도")
#: Particle pairs chosen by whether the word before ends in a consonant.
_ALLOMORPHS = {"이": "가", "가": "이", "을": "를", "를": "을", "은": "는", "는": "은",
               "과": "와", "와": "과", "으로": "로", "로": "으로"}


def _with_equivalents(form: str) -> list[str]:
    """``form`` with one of its terms (one to three words, a Korean one maybe followed by a
    particle) replaced by each of its glossary equivalents."""
    words = form.split()
    index = _glossary()
    variants: list[str] = []
    if len(_parsed(form)[1]) == 1 < len(words):
        return variants  # a set phrase ("a photo of a"): its small words make it what it is
    for start in range(len(words)):
        for size in (3, 2, 1):
            if start + size > len(words):
                continue
            phrase = " ".join(words[start:start + size]).lower()
            term, particle = _glossary_term(phrase, index)
            if term is None:
                continue
            for other in index[term]:
                replaced = other + _particle_after(other, particle)
                variants.append(" ".join([*words[:start], replaced, *words[start + size:]]))
            break
    return variants


def _glossary_term(phrase: str, index: dict[str, tuple[str, ...]]) -> tuple[str | None, str]:
    """The glossary term ``phrase`` is, and the particle after it (``기울기가`` -> 기울기, 가)."""
    if phrase in index:
        return phrase, ""
    for particle in (*_CASE_MARKERS, *_KEPT_PARTICLES):
        if phrase.endswith(particle) and phrase[:-len(particle)] in index:
            return phrase[:-len(particle)], particle
    return None, ""


def _particle_after(word: str, particle: str) -> str:
    """``particle`` as it is spelled after ``word``: dropped after an English word when it only
    marks the case, otherwise in the form that fits the word's last sound (기울기가 ->
    그래디언트가, 특성이 -> 피처가)."""
    if not particle:
        return ""
    last = word[-1]
    if not "가" <= last <= "힣":
        return "" if particle in _CASE_MARKERS else particle
    final = _jamo(last)[2]
    closed = bool(final) and not (particle in ("으로", "로") and final == _FINAL_L)
    pair = _ALLOMORPHS.get(particle)
    if pair is None:
        return particle
    after_consonant = particle if particle in ("이", "을", "은", "과", "으로") else pair
    return after_consonant if closed else _ALLOMORPHS[after_consonant]


@cache
def _glossary() -> dict[str, tuple[str, ...]]:
    """Each glossary term (lower-cased) -> the other terms of its class."""
    from quizapp.study.glossary import TERM_CLASSES

    index: dict[str, tuple[str, ...]] = {}
    for terms in TERM_CLASSES:
        lowered = [unicodedata.normalize("NFKC", term).lower() for term in terms]
        for term in lowered:
            index[term] = tuple(other for other in lowered if other != term)
    return index


@dataclass(frozen=True)
class _Token:
    norm: str  # lower-cased word
    stem: str  # Snowball stem (Latin) or the word itself (Hangul)
    start: int  # character span in the original answer
    end: int
    hangul: bool


class Text:
    """An answer prepared for matching: its words, their stems, and its Hangul without spaces."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        normal = unicodedata.normalize("NFKC", answer).lower()
        # NFKC keeps lengths for the text we meet (Hangul syllables, ASCII), so spans map back.
        self.normal = normal if len(normal) == len(answer) else answer.lower()
        self.tokens = [
            _Token(word, _stem(word), m.start(), m.end(), bool(_HANGUL.search(word)))
            for m in _ANSWER_WORD.finditer(self.normal)
            for word in [_SYMBOL_WORDS.get(m.group()) or _unaccented(m.group())]]
        # (word, in a phrase, loose) -> where it occurs
        self._found_at: dict[tuple[str, bool, bool], list[int]] = {}
        # The words joined without spaces; for each letter the end of its span in the answer,
        # and where each word starts in the joined text.
        self._joined = "".join(t.norm for t in self.tokens)
        self._joined_ends = [end for t in self.tokens for end in _letter_ends(t, self.normal)]
        self._joined_starts = [0, *accumulate(len(t.norm) for t in self.tokens)][:-1]
        # Where a form may start, as (start in the answer, start in the joined text): each word;
        # a Korean form also at a word's Hangul after a number glued to it (채널 in 64채널로).
        self._word_starts = [(t.start, start) for t, start in zip(
            self.tokens, self._joined_starts, strict=True)]
        self._korean_starts = self._word_starts + [
            (t.start + len(number.group()), start + len(number.group()))
            for t, start in zip(self.tokens, self._joined_starts, strict=True)
            if t.hangul and (number := _LEADING_NUMBER.match(t.norm))]

    def find_any(self, forms: Iterable[str], loose: bool = True) -> tuple[int, int] | None:
        """The span of the first form that occurs, or None."""
        for form in forms:
            span = self.find(form, loose)
            if span is not None:
                return span
        return None

    def find(self, form: str, loose: bool = True) -> tuple[int, int] | None:
        """Where ``form`` occurs: spelled without its spaces and hyphens from the start of a
        word (``drop out`` = ``dropout``, ``과적합을``), or as its content words near each other
        (each by stem, Korean word by its start). ``loose`` allows one typo and the words in any
        order: for a card's own forms, not for those made from them with the glossary (a
        derived form that may also be mistyped or reordered is too far from what was written).
        """
        compact, content = _parsed(form)
        if not compact:
            return None
        return self._find_compact(compact, loose) or self._find_words(content, loose)

    # -- spelled together, from the start of a word (spacing, hyphens, particles) -------------

    def _find_compact(self, compact: str, loose: bool = True) -> tuple[int, int] | None:
        korean = bool(_HANGUL.search(compact))
        joined, ends = self._joined, self._joined_ends
        for spelling in (compact, *_inflected(compact)) if korean else (compact,):
            last = len(spelling) - 1
            for begin, start in self._korean_starts if korean else self._word_starts:
                if joined.startswith(spelling, start) and (
                        korean or self._ends_a_word(ends[start + last])):
                    return begin, ends[start + last]
        if loose and korean and len(compact) >= 4:  # one typo (조기종로 for 조기종료)
            for token, start in zip(self.tokens, self._joined_starts, strict=True):
                if token.hangul and _one_edit_prefix(joined[start:start + len(compact) + 2],
                                                     compact):
                    return token.start, ends[min(start + len(compact), len(ends)) - 1]
        return None

    def _ends_a_word(self, end: int) -> bool:
        """For Latin forms spelled together: the match must end where a word ends, or go on
        only with an inflection or a Korean particle (``dropout`` in ``dropouts``,
        ``dropout을``), not inside a longer word (``he`` in ``hello``)."""
        token = next(t for t in self.tokens if t.start < end <= t.end)
        rest = token.norm[end - token.start:]
        return not rest or not (rest[0].isascii() and rest[0].isalpha()) or rest in (
            "s", "es", "ed", "ing", "al", "ly", "er", "ers", "ized", "ised", "d")

    # -- words: stems, one typo, any order within a window --------------------------------

    def _find_words(self, words: Sequence[str], loose: bool = True) -> tuple[int, int] | None:
        positions = []
        for word in words:
            key = (word, len(words) > 1, loose)
            if key not in self._found_at:
                self._found_at[key] = self._positions(*key)
            positions.append(self._found_at[key])
        if any(not p for p in positions):
            return None
        window = len(words) + (WINDOW_SLACK if loose else 1)
        for first in positions[0]:
            chosen = [first]
            for others in positions[1:]:
                near = [p for p in others if abs(p - first) <= window and p not in chosen]
                if not near:
                    break
                chosen.append(min(near, key=lambda p: abs(p - first)))
            else:
                lo, hi = min(chosen), max(chosen)
                if hi - lo <= window and (loose or chosen == sorted(chosen)):
                    return self.tokens[lo].start, self.tokens[hi].end
        return None

    def _positions(self, word: str, in_phrase: bool, loose: bool) -> list[int]:
        """Token indexes where ``word`` occurs: a Korean word as the start of a token (a
        particle or ending may follow); a Latin word by stem, as the start of a token glued to
        Korean ("batchnorm을"), or — six letters or more — with one typo."""
        if _HANGUL.search(word):
            spellings = (word, *_inflected(word))
            return [i for i, t in enumerate(self.tokens) if t.norm.startswith(spellings) or (
                t.hangul and _LEADING_NUMBER.sub("", t.norm, count=1).startswith(spellings))]
        stem = _stem(word)
        found = []
        for index, token in enumerate(self.tokens):
            if token.stem == stem or token.norm == word or _truncates(word, token):
                found.append(index)
            elif token.hangul:
                # Latin glued to a particle (tree를 = trees); a single letter only as part of a
                # longer form
                latin = _LATIN_HEAD.match(token.norm)
                if (token.norm.startswith(word) or (latin and _stem(latin.group()) == stem)) and (
                        len(word) >= 2 or in_phrase):
                    found.append(index)
            elif (loose and len(word) >= 6 and len(token.norm) >= 5
                  and _levenshtein(token.norm, word) <= 1):
                found.append(index)
        return found


def _unaccented(word: str) -> str:
    """``word`` without accents or hats over its letters (naïve -> naive, v̂ -> v), letter for
    letter; Hangul syllables are kept whole."""
    letters = (ch if "가" <= ch <= "힣" else unicodedata.normalize("NFD", ch) for ch in word)
    return _COMBINING.sub("", "".join(letters))


def _letter_ends(token: _Token, text: str) -> list[int]:
    """Where each letter of ``token.norm`` ends in the answer (its accents and a symbol's
    spelled-out word included)."""
    if text[token.start:token.end] in _SYMBOL_WORDS:
        return [token.end] * len(token.norm)
    ends: list[int] = []
    for index in range(token.start, token.end):
        if _COMBINING.match(text[index]):
            if ends:  # an accent belongs to the letter before it
                ends[-1] = index + 1
        else:
            ends.append(index + 1)
    return ends


def _truncates(word: str, token: _Token) -> bool:
    """A form word cut short to cover a family (``calibrat``, ``densit``, ``regulariz``) is
    the start of the answer's word, which stems to about as much: ``calibrat`` finds
    calibration and calibrated (stem calibr), ``densit`` densities (densiti), but a whole word
    does not find a longer one (``class`` not classic, ``count`` not country)."""
    return len(word) >= 5 and token.norm.startswith(word) and len(token.stem) <= len(word) + 1


@cache
def _parsed(form: str) -> tuple[str, list[str]]:
    """A form spelled together (its words without spaces), and its content words."""
    normal = unicodedata.normalize("NFKC", form).lower()
    words = [_unaccented(word) for word in _WORD.findall(normal)]
    return "".join(words), [w for w in words if w not in _STOPWORDS] or words


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def _stem(word: str) -> str:
    if _HANGUL.search(word) or not word.isascii():
        return word
    return str(_stemmer().stemWord(word))


def _levenshtein(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit (a typo)."""
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b, score_cutoff=2))


#: Particles a speaker drops, adds or swaps inside a phrase (상한이 없 / 상한 없이 / 상한도 없).
_DROPPABLE_PARTICLES = frozenset((*_CASE_MARKERS, "의", "도"))


def _one_edit_prefix(text: str, compact: str) -> bool:
    """True when ``text`` starts with ``compact`` mistyped in one place: one Hangul syllable
    differing in one of its three parts (조기종로 for 조기종료, 조기조료), one other letter
    substituted, or a particle dropped, added or swapped inside it. Any other syllable
    dropped, added or swapped is not a typo but often another word: 과소적합 / 과적합,
    비지도 / 지도, 과대적합 / 과소적합, and the last syllable carries the sense (필요 없 /
    필요하)."""
    head = text[:len(compact)]
    if len(head) == len(compact):
        differ = [i for i, (a, b) in enumerate(zip(head, compact, strict=True)) if a != b]
        if len(differ) <= 1 and all(
                _same_or_mistyped(head[i], compact[i])
                or not ("가" <= head[i] <= "힣" or "가" <= compact[i] <= "힣")
                or (0 < i < len(compact) - 1 and {head[i], compact[i]} <= _DROPPABLE_PARTICLES)
                for i in differ):
            return True
    return any(_particle_between(text[:size], compact)
               for size in (len(compact) - 1, len(compact) + 1))


def _particle_between(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one particle inside them (not first, not last)."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) != len(shorter) + 1:
        return False
    return any(longer[i] in _DROPPABLE_PARTICLES and longer[:i] + longer[i + 1:] == shorter
               for i in range(1, len(longer) - 1))


#: A verb stem's last vowel as it fuses with the ending -어/-아 (줄이+어 = 줄여, 나누+어 = 나눠,
#: 보+아 = 봐, 되+어 = 돼, 크+어 = 커, 아프+아 = 아파), as jamo.
_FUSED_VOWELS = {"\u1175": ("\u1167",), "\u116e": ("\u116f",), "\u1169": ("\u116a",),
                 "\u116c": ("\u116b",), "\u1173": ("\u1165", "\u1161")}
_FINAL_N, _FINAL_L, _FINAL_M, _FINAL_B, _FINAL_SS = "\u11ab", "\u11af", "\u11b7", "\u11b8", "\u11bb"


@cache
def _inflected(compact: str) -> tuple[str, ...]:
    """A Korean form ending in a verb stem, as the inflected words spell it: the stem's last
    syllable fused with an ending (얼리 -> 얼려/얼렸, 하 -> 해/했, 다르 -> 달라, 쉽 -> 쉬워) or
    closed by one (줄이 -> 줄인/줄일/줄임/줄입니다). A form whose last syllable is not a stem
    gains spellings no answer uses."""
    last = compact[-1:]
    if len(compact) < 2 or not "가" <= last <= "힣":
        return ()
    head = compact[:-1]
    initial, vowel, final = _jamo(last)
    stems = _stems_of_fused(head, initial, vowel, final) or _stems_before_ending(compact)
    if stems:  # written already inflected (줄여, 곱해): its stem, spelled every way
        return tuple(dict.fromkeys(s for stem in stems for s in (stem, *_inflected(stem))))
    fused: list[str] = []
    if not final:
        fused.extend(_syllable(initial, v) for v in _FUSED_VOWELS.get(vowel, ()))
        if last == "하":
            fused.append("해")
        closed = [_syllable(initial, vowel, f) for f in (_FINAL_N, _FINAL_L, _FINAL_M, _FINAL_B)]
    elif final == _FINAL_B:  # ㅂ-irregular: 쉽 -> 쉬워, 어렵 -> 어려워
        head, fused, closed = head + _syllable(initial, vowel), ["워"], []
    else:
        return ()
    spellings = [head + end for end in fused]
    if last == "르" and "가" <= head[-1:] <= "힣" and not _jamo(head[-1])[2]:
        # 르-irregular: 다르 -> 달라, 흐르 -> 흘러 (the syllable before takes the ㄹ)
        before = _jamo(head[-1])
        spellings += [head[:-1] + _syllable(before[0], before[1], _FINAL_L) + end
                      for end in ("라", "러")]
    spellings += [s[:-1] + _syllable(*_jamo(s[-1])[:2], _FINAL_SS) for s in list(spellings)]
    return tuple(dict.fromkeys([*spellings, *(head + end for end in closed)]))


#: The fused vowel of a form written inflected, and the stem vowel it comes from, for the
#: fusions that leave no doubt (줄여 <- 줄이, 키워 <- 키우, 돼 <- 되): ㅘ and ㅓ/ㅏ are too
#: often the vowel of another word.
_UNFUSED_VOWELS = {fused: stem for stem in ("\u1175", "\u116e", "\u116c")
                   for fused in _FUSED_VOWELS[stem]}
#: Vowels before 워 in ㅂ-irregular stems (가까워, 무거워, 어려워, 쉬워): ㅏ, ㅓ, ㅕ, ㅟ.
_B_BEFORE = frozenset(("\u1161", "\u1165", "\u1167", "\u1171"))


def _stems_of_fused(head: str, initial: str, vowel: str, final: str) -> list[str]:
    """The verb stems a form's last syllable can be the -어/-아 form of (writers often write
    the verb as it is said: 특성 수를 줄여, 가중치를 곱해, 0에 가까워), or none. Only the
    fusions that leave no doubt are undone: ㅕ, ㅝ, ㅙ and 해, optionally past (했, 였);
    plain 아/어 syllables are too often other words."""
    if final not in ("", _FINAL_SS):
        return []
    if _syllable(initial, vowel) == "해":
        return [head + "하"]
    stem_vowel = _UNFUSED_VOWELS.get(vowel)
    if stem_vowel is None:
        return []
    stems = [head + _syllable(initial, stem_vowel)]
    if _syllable(initial, vowel) == "워" and "가" <= head[-1:] <= "힣":
        # ㅂ-irregular: 가까워 <- 가깝, 어려워 <- 어렵 (but 키워, 지워, 배워 are 키우, 지우, 배우)
        before_initial, before_vowel, before_final = _jamo(head[-1])
        if not before_final and before_vowel in _B_BEFORE:
            stems.append(head[:-1] + _syllable(before_initial, before_vowel, _FINAL_B))
    return stems


def _stems_before_ending(compact: str) -> list[str]:
    """The 하/되 stem of a form word written with an ending (동일한, 고정된, 일정하게,
    계산하는, 곱해서), so that its other spellings are found (동일해, 고정돼, 일정하다)."""
    if len(compact) < 3:
        return []
    last, before = compact[-1], compact[-2]
    if last in ("게", "는", "고") and before in ("하", "되"):
        return [compact[:-1]]
    if last == "서" and before in ("해", "돼"):
        return [compact[:-2] + ("하" if before == "해" else "되")]
    if last in ("한", "된"):
        return [compact[:-1] + ("하" if last == "한" else "되")]
    return []


def _syllable(initial: str, vowel: str, final: str = "") -> str:
    return unicodedata.normalize("NFC", initial + vowel + final)


def _same_or_mistyped(a: str, b: str) -> bool:
    """``a == b``, or two Hangul syllables that differ in one of initial, vowel and final."""
    if a == b:
        return True
    if not (len(a) == len(b) == 1 and "가" <= a <= "힣" and "가" <= b <= "힣"):
        return False
    return sum(p != q for p, q in zip(_jamo(a), _jamo(b), strict=True)) == 1


def _jamo(syllable: str) -> tuple[str, str, str]:
    """A Hangul syllable's initial, vowel and final ("" when it has none), by Unicode's
    canonical decomposition."""
    parts = unicodedata.normalize("NFD", syllable)
    return parts[0], parts[1], parts[2:]
