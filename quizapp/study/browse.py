"""The card browser in the domain (no Qt): one row per card with its progress, the search, the
filters and the sort orders. The browser screen (``ui/browser_screen.py``) only displays them.

Search (as you type): the query is split into terms at spaces (``"a phrase"`` keeps its spaces;
``-term`` excludes); a card matches when every term is found, case-insensitively, in its Korean
or English question or answer or in its tags. A term with Korean initial consonants
(초성, e.g. ``ㄱㅅㅎ`` for 경사하강) matches a syllable starting with that consonant in the
questions and tags — where a user sees what matched — ignoring spaces (Korean spacing varies:
``ㄱㅅㅎㄱ`` finds 경사하강 and 경사 하강); syllables typed in full must match exactly
(``경사ㅎ`` finds 경사하강, not 경사도).

Speed: the texts of all cards are kept lowercased in one string, so a term is found with
``str.find`` over every card at C speed (a card is skipped as soon as it matches), and the
initial consonants of every question are kept in a parallel string of the same length (a
syllable maps to one character, by Unicode arithmetic: syllable = 0xAC00 + (initial × 21 +
medial) × 28 + final). ``tests/benchmarks/bench_browser.py`` measures 10,000 cards.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard

from quizapp.content import Card, Library, Text
from quizapp.store import NO_STATUS, CardRow, CardStatus, ProgressStore
from quizapp.study.clock import DayClock, utc_now
from quizapp.study.queue import StudySettings
from quizapp.study.scheduling import CardScheduler
from quizapp.study.settings import load_settings

STATES = ("new", "learning", "review", "relearning")  # fsrs State 1-3, and no row: new
COLUMNS = ("deck", "question", "tags", "state", "due", "interval", "lapses", "retrievability",
           "last_review")
FLAG_FILTERS = tuple(f"flag_{n}" for n in range(1, 8))
HITS_KEPT = 64  # recent text searches kept (Backspace, narrowing)
STATE_FILTERS = ("new", "learning", "review", "relearning", "due_today", "suspended", "buried",
                 "leech", "flagged", *FLAG_FILTERS)

# -- Hangul initial consonants -------------------------------------------------------------------

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3  # 가 .. 힣
SYLLABLES_PER_INITIAL = 21 * 28  # medial vowels × finals (incl. none)
#: The 19 initial consonants as compatibility jamo (what a keyboard types), in Unicode order.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CHOSEONG_FIRST = 0x1100  # the same consonants as conjoining initial jamo (ᄀ..ᄒ)
_TO_INITIAL = {code: INITIALS[(code - SYLLABLE_FIRST) // SYLLABLES_PER_INITIAL]
               for code in range(SYLLABLE_FIRST, SYLLABLE_LAST + 1)}
_TO_COMPATIBILITY = {_CHOSEONG_FIRST + i: jamo for i, jamo in enumerate(INITIALS)}
_SEPARATOR = "\x00"  # between cards in the joined text; never part of a search term


def initial_consonants(text: str) -> str:
    """``text`` with each Hangul syllable replaced by its initial consonant (경사하강 → ㄱㅅㅎㄱ);
    every other character stays, so positions line up with ``text``."""
    return text.translate(_TO_INITIAL)


def has_initials(term: str) -> bool:
    """True when ``term`` contains a bare initial consonant (so it is an initial search)."""
    return any(ch in INITIALS for ch in term)


def _initials_pattern(term: str) -> re.Pattern[str]:
    """A regex for ``term`` where each bare initial consonant stands for itself or any syllable
    that starts with it, and everything else for itself."""
    parts = []
    for ch in term:
        if ch in INITIALS:
            first = SYLLABLE_FIRST + INITIALS.index(ch) * SYLLABLES_PER_INITIAL
            parts.append(f"[{ch}{chr(first)}-{chr(first + SYLLABLES_PER_INITIAL - 1)}]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


_CONJOINING = re.compile("[\u1100-\u1112]")


def normalize(text: str) -> str:
    """The form text is searched in: NFC (a decomposed 경 typed on some systems is the same
    syllable), conjoining initial jamo as keyboard jamo, lowercase."""
    text = unicodedata.normalize("NFC", text)
    if _CONJOINING.search(text):  # rare: translate() with a table is slow on long text
        text = text.translate(_TO_COMPATIBILITY)
    return text.lower()


# -- queries -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    """A parsed search: every ``include`` term must match, no ``exclude`` term may."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.include and not self.exclude


_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(text: str) -> Query:
    """Split a search box's text into terms: spaces separate, quotes keep a phrase together,
    a leading ``-`` excludes."""
    include: list[str] = []
    exclude: list[str] = []
    for match in _TERM.finditer(normalize(text).replace(_SEPARATOR, " ")):
        negative, phrase, word = match.groups()
        if word == "-":
            continue  # an exclusion about to be typed
        if word is not None:
            negative, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        term = " ".join(phrase.split()) if phrase is not None else ""
        if term:
            (exclude if negative else include).append(term)
    return Query(tuple(dict.fromkeys(include)), tuple(dict.fromkeys(exclude)))


def refines(query: Query, earlier: Query) -> bool:
    """True when every card matching ``query`` also matches ``earlier``: each earlier term is
    part of a term of ``query`` (a longer term finds fewer cards), and each earlier excluded
    term contains an excluded term of ``query`` (excluding less text excludes more cards) —
    terms of the same kind only (an initial-consonant term is matched without spaces, in the
    questions and tags: not a narrowing of a plain term)."""
    def within(part: str, whole: str) -> bool:
        return part in whole and has_initials(part) == has_initials(whole)

    return (all(any(within(old, new) for new in query.include) for old in earlier.include)
            and all(any(within(new, old) for new in query.exclude) for old in earlier.exclude))


# -- rows ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One card as the browser shows it."""

    card_id: str
    deck: str
    deck_title: Text
    deck_order: int  # the deck's place in the library (the home screen's order)
    question: Text  # plain text, math as TeX
    tags: tuple[str, ...]
    state: str  # one of STATES
    suspended: bool
    buried: bool  # buried until a later study day
    flag: int
    leech: bool
    due: datetime | None  # None: new
    due_today: bool  # in today's queue (due before the next study day, not suspended/buried)
    interval: timedelta | None  # scheduled: from the last review to the due time
    lapses: int
    reviews: int
    retrievability: float | None  # FSRS's recall probability now (None: never reviewed)
    stability: float | None  # FSRS memory state (days; None: never reviewed)
    difficulty: float | None
    last_review: datetime | None
    has_demo: bool
    user_card: bool  # from the user's decks


_MATH = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$)", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKERS = re.compile(r"\*\*|__|`|^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", re.MULTILINE)


_PLAIN = re.compile(r"[*_`\[$#>+\-]|\d[.)]")  # a character some Markdown might start with


def plain_text(markdown: str) -> str:
    """One line of plain text for a table cell: Markdown markers dropped, links as their text,
    math kept as its TeX source."""
    if not _PLAIN.search(markdown):
        return " ".join(markdown.split())
    parts = _MATH.split(markdown)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts math
        parts[index] = _MARKERS.sub("", _LINK.sub(r"\1", parts[index]))
    return " ".join("".join(parts).split())


def build_rows(library: Library, store: ProgressStore, now: datetime | None = None,
               settings: StudySettings | None = None,
               card_ids: Iterable[str] | None = None) -> list[BrowseRow]:
    """The rows of every card of ``library`` (content order), or of ``card_ids`` only."""
    now = now or utc_now()
    settings = settings or load_settings(store)
    day_end = DayClock(settings.day_start_hour).next_day_start(now)
    scheduler = CardScheduler(settings.desired_retention)
    if card_ids is None:
        cards = library.cards
        rows, statuses, summary = store.card_rows(), store.card_statuses(), store.review_summary()
    else:
        cards = [card for cid in dict.fromkeys(card_ids) if (card := library.card(cid))]
        ids = [card.id for card in cards]
        rows = {cid: row for cid in ids if (row := store.card_row(cid))}
        statuses = {cid: store.card_status(cid) for cid in ids}
        summary = store.review_summary(ids)
    decks = {deck.id: (n, deck.title) for n, deck in enumerate(library.decks)}
    return [_row(card, rows.get(card.id), statuses.get(card.id, NO_STATUS),
                 summary.get(card.id, (0, 0, 0)), decks, now, day_end, scheduler,
                 library.is_user_card(card)) for card in cards]


def _row(card: Card, row: CardRow | None, status: CardStatus, summary: tuple[int, int, int],
         decks: dict[str, tuple[int, Text]], now: datetime, day_end: datetime,
         scheduler: CardScheduler, user_card: bool) -> BrowseRow:
    buried = status.buried(now)
    state, due, interval, recall, last = "new", None, None, None, None
    stability = difficulty = None
    if row is not None:
        fsrs = json.loads(row.fsrs_json)  # faster than FsrsCard.from_json for 10,000 cards
        state = STATES[row.state] if 0 < row.state < len(STATES) else "review"
        due = row.due
        last = datetime.fromisoformat(fsrs["last_review"]) if fsrs.get("last_review") else None
        interval = due - last if last is not None else None
        stability, difficulty = fsrs.get("stability"), fsrs.get("difficulty")
        if last is not None and stability is not None:
            memory = FsrsCard(card_id=0, stability=stability, last_review=last, due=due)
            recall = float(scheduler.fsrs.get_card_retrievability(memory, now))
    order, title = decks.get(card.deck, (len(decks), Text(card.deck, card.deck)))
    return BrowseRow(
        card_id=card.id, deck=card.deck, deck_title=title, deck_order=order,
        question=Text(plain_text(card.question.ko), plain_text(card.question.en)),
        tags=card.tags, state=state, suspended=status.suspended, buried=buried,
        flag=status.flag, leech=status.leech, due=due,
        due_today=due is not None and due < day_end and not status.suspended and not buried,
        interval=interval, lapses=summary[2], reviews=summary[0], retrievability=recall,
        stability=stability, difficulty=difficulty, last_review=last,
        has_demo=card.demo is not None, user_card=user_card)


# -- filters -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What the filter controls select (None: any)."""

    deck: str | None = None
    tag: str | None = None
    state: str | None = None  # one of STATE_FILTERS


def row_matches(row: BrowseRow, filters: Filters) -> bool:
    if filters.deck is not None and row.deck != filters.deck:
        return False
    if filters.tag is not None and filters.tag not in row.tags:
        return False
    return filters.state is None or _STATE_TESTS[filters.state](row)


def _has_state(state: str) -> Callable[[BrowseRow], bool]:
    return lambda row: row.state == state


def _has_flag(flag: int) -> Callable[[BrowseRow], bool]:
    return lambda row: row.flag == flag


_STATE_TESTS: dict[str, Callable[[BrowseRow], bool]] = {
    **{name: _has_state(name) for name in STATES},
    "due_today": lambda row: row.due_today,
    "suspended": lambda row: row.suspended,
    "buried": lambda row: row.buried,
    "leech": lambda row: row.leech,
    "flagged": lambda row: row.flag > 0,
    **{name: _has_flag(i + 1) for i, name in enumerate(FLAG_FILTERS)},
}


# -- the search index ----------------------------------------------------------------------------

class SearchIndex:
    """The searchable text of ``cards`` (index i is card i)."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self.size = len(cards)
        texts = [normalize("\n".join((c.question.ko, c.answer.ko, c.question.en, c.answer.en,
                                      " ".join(c.tags)))) for c in cards]
        # Initial-consonant search looks at the questions and tags only, without spaces:
        # Korean spacing varies (경사 하강법, 경사하강법), and ㄱㅅㅎㄱ finds both.
        self._heads = [normalize("\n".join("".join(text.split()) for text in (
            c.question.ko, c.question.en, " ".join(c.tags)))) for c in cards]
        self._texts = texts
        self._joined, self._starts = _join(texts)
        self._joined_initials, self._head_starts = _join(
            [initial_consonants(head) for head in self._heads])

    def search(self, query: Query | str, among: Sequence[int] | None = None) -> list[int]:
        """Indices (ascending) of the cards matching ``query``, among ``among`` (all: None)."""
        if isinstance(query, str):
            query = parse_query(query)
        everyone = among is None or len(among) == self.size
        found: list[int] | None = None if everyone else sorted(among or [])
        # Longest term first: usually the rarest, so later terms test few cards.
        for term in sorted(query.include, key=len, reverse=True):
            found = self._find(term, found)
            if not found:
                return []
        if found is None:
            found = list(range(self.size))
        for term in query.exclude:
            hits = set(self._find(term, found))
            found = [i for i in found if i not in hits]
        return found

    def _find(self, term: str, among: list[int] | None) -> list[int]:
        if not has_initials(term):
            if among is None:
                return _scan(self._joined, self._starts, term)
            texts = self._texts
            return [i for i in among if term in texts[i]]
        term = "".join(term.split())  # a quoted phrase: spaces do not count here either
        pattern = _initials_pattern(term)
        exact = all(ch in INITIALS for ch in term)  # nothing else to check in the text
        key = initial_consonants(term)
        if among is None:
            candidates = _scan(self._joined_initials, self._head_starts, key)
        else:
            initials = self._joined_initials
            starts = self._head_starts
            candidates = [i for i in among
                          if initials.find(key, starts[i], starts[i + 1] - 1) >= 0]
        if exact:
            return candidates
        heads = self._heads
        return [i for i in candidates if pattern.search(heads[i])]


def _join(texts: Sequence[str]) -> tuple[str, list[int]]:
    """All texts in one string, and where each starts (plus one past the end)."""
    starts = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    starts.append(position)
    return _SEPARATOR.join(texts) + _SEPARATOR, starts


def _scan(joined: str, starts: list[int], term: str) -> list[int]:
    """Indices of the texts in ``joined`` that contain ``term``, one ``find`` per hit."""
    hits = []
    find = joined.find
    last = len(starts) - 1
    position = find(term)
    while position >= 0:
        index = bisect_right(starts, position) - 1
        hits.append(index)
        if index + 1 >= last:
            break
        position = find(term, starts[index + 1])
    return hits


# -- sorting -------------------------------------------------------------------------------------

def sort_key(column: str, lang: str) -> Callable[[BrowseRow], Any]:
    """The key of ``column`` (one of COLUMNS); None means "no value" (sorted last)."""
    keys: dict[str, Callable[[BrowseRow], Any]] = {
        "deck": lambda r: r.deck_order,  # the home screen's order, not the alphabet
        "question": lambda r: r.question.get(lang).casefold(),
        "tags": lambda r: " ".join(r.tags).casefold(),
        "state": lambda r: (STATES.index(r.state), r.suspended, r.buried),
        "due": lambda r: r.due,
        "interval": lambda r: r.interval,
        "lapses": lambda r: r.lapses,
        "retrievability": lambda r: r.retrievability,
        "last_review": lambda r: r.last_review,
    }
    return keys[column]


def sort_rows(rows: Sequence[BrowseRow], indices: Sequence[int], column: str,
              descending: bool = False, lang: str = "ko") -> list[int]:
    """``indices`` ordered by ``column``; rows without a value (a new card's due date, ...)
    come last either way, and ties keep content order."""
    key = sort_key(column, lang)
    ordered = sorted(indices)  # content order (a search's result is in it already: O(n))
    values = {i: key(rows[i]) for i in ordered}
    present = [i for i in ordered if values[i] is not None]
    present.sort(key=values.__getitem__, reverse=descending)  # stable: ties stay in order
    return present + [i for i in ordered if values[i] is None]


# -- the table -----------------------------------------------------------------------------------

class CardTable:
    """Every card of a library with its progress, searchable and filterable."""

    def __init__(self, library: Library, store: ProgressStore,
                 now: Callable[[], datetime] = utc_now) -> None:
        self.library = library
        self.store = store
        self.now = now
        self.rows = build_rows(library, store, now())
        self.position = {row.card_id: i for i, row in enumerate(self.rows)}
        self._index: SearchIndex | None = None  # built on first use (see ``index``)
        self._hits: dict[Query, list[int]] = {}  # recent text searches, oldest first

    @property
    def index(self) -> SearchIndex:
        """The search index, built when first needed (~0.1 s per 1,000 cards), so a window can
        show the table first and build it right after."""
        if self._index is None:
            self._index = SearchIndex(self.library.cards)
        return self._index

    def search(self, query: str, filters: Filters | None = None) -> list[int]:
        """Indices of the rows matching the search box's ``query`` and ``filters``, in content
        order."""
        filters = filters or Filters()
        hits = self.text_hits(parse_query(query))
        if filters == Filters():
            return list(range(len(self.rows))) if hits is None else hits
        rows = self.rows
        return [i for i in (range(len(rows)) if hits is None else hits)
                if row_matches(rows[i], filters)]

    def text_hits(self, query: Query) -> list[int] | None:
        """The cards whose text matches ``query`` (None: every card). Typing narrows: when the
        query refines one searched before (each earlier term is part of a term now), only that
        search's cards are searched; recent results are kept, so Backspace costs nothing."""
        if query.empty:
            return None
        cached = self._hits.pop(query, None)
        if cached is None:
            bases = [hits for old, hits in self._hits.items() if refines(query, old)]
            cached = self.index.search(query, min(bases, key=len) if bases else None)
        self._hits[query] = cached  # newest last
        while len(self._hits) > HITS_KEPT:
            del self._hits[next(iter(self._hits))]
        return cached

    def refresh(self, card_ids: Iterable[str] | None = None) -> list[int]:
        """Re-read the progress of ``card_ids`` (all: None); returns the indices updated."""
        if card_ids is None:
            self.rows = build_rows(self.library, self.store, self.now())
            return list(range(len(self.rows)))
        known = [cid for cid in dict.fromkeys(card_ids) if cid in self.position]
        updated = []
        for row in build_rows(self.library, self.store, self.now(), card_ids=known):
            index = self.position[row.card_id]
            self.rows[index] = row
            updated.append(index)
        return updated

    def row(self, card_id: str) -> BrowseRow | None:
        index = self.position.get(card_id)
        return None if index is None else self.rows[index]

    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        return sorted({tag for row in self.rows for tag in row.tags}, key=str.casefold)
