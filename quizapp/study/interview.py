"""A mock interview: main questions, each followed by its follow-up chain (꼬리 질문).

The interviewer picks main questions the way a good one would: mostly where the candidate is
weak — cards often graded Again or lapsed, overdue cards, low scores in past interviews — and
seldom what was asked in the last few days. After each main question it walks the card's
``follow_ups`` up to ``max_depth`` deep, preferring follow-ups not asked recently. Every answer
(typed, scored by concept; or given aloud and self-graded 1-4) is written before the next
question. The report gives per question the time, score, missed concepts and self-grade, the
totals, the weakest topics, and the cards to send to review.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from quizapp.content import Card, Library
from quizapp.store import ProgressStore
from quizapp.store.rehearsals import InterviewAnswer, RehearsalLog
from quizapp.study.clock import utc_now
from quizapp.study.scoring import Score, score_answer
from quizapp.study.session import grade_again

AnswerMode = Literal["typed", "aloud"]
RECENT = timedelta(days=3)  # asked this recently: rarely asked again
WEAK_SCORE = 0.5  # an answer below this (or self-graded 1-2) sends its card to review


@dataclass(frozen=True)
class InterviewConfig:
    """How long the interview is (main questions, or minutes when set), the time per answer,
    the language, typed or aloud answers, how deep follow-ups go, and the seed."""

    decks: tuple[str, ...] = ()  # none: everything
    main_questions: int = 5
    minutes: int | None = None
    seconds_per_answer: int = 120
    lang: str = "ko"
    mode: AnswerMode = "typed"
    max_depth: int = 3
    seed: int = 0

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "decks": list(self.decks)}


@dataclass(frozen=True)
class InterviewQuestion:
    card: Card
    depth: int  # 0: a main question; 1-3: a follow-up
    parent: Card | None
    position: int
    time_limit_ms: int


@dataclass(frozen=True)
class TopicScore:
    topic: str  # a deck id, or "#tag"
    mean_score: float
    answers: int


@dataclass(frozen=True)
class InterviewReport:
    answers: list[InterviewAnswer]
    total_ms: int
    mean_score: float | None
    overtime: int  # answers that took longer than their time
    weakest_topics: list[TopicScore]
    to_review: list[str]  # card ids: low score or self-graded 1-2


def weakness(library: Library, store: ProgressStore, now: datetime,
             cards: Sequence[Card]) -> dict[str, float]:
    """How much each card needs asking: Again rate, lapses, overdue days, past interview
    scores; cards asked in the last ``RECENT`` weigh a fifth."""
    reviews = store.review_summary()
    rows = store.card_rows()
    log = RehearsalLog(store)
    asked = log.last_asked()
    past = log.mean_interview_scores()
    weights = {}
    for card in cards:
        total, agains, lapses = reviews.get(card.id, (0, 0, 0))
        weight = 1.0 + 3.0 * (agains / total if total else 0.0) + float(lapses)
        row = rows.get(card.id)
        if row is not None and row.due < now:
            weight += 0.5 * min((now - row.due).days, 10)
        if card.id in past:
            weight += 2.0 * (1.0 - past[card.id])
        if card.follow_ups:
            weight *= 1.5  # a main question with a chain to dig into
        if card.id in asked and now - asked[card.id] < RECENT:
            weight *= 0.2
        weights[card.id] = weight
    return weights


def interview_pool(library: Library, decks: Sequence[str] = (),
                   mode: AnswerMode = "typed") -> list[Card]:
    """The cards an interview may ask as main questions: in the decks (all when none are
    given), and for typed answers only cards with keywords to score them by."""
    return [c for c in library.cards if (not decks or c.deck in decks)
            and (mode == "aloud" or bool(c.quiz and c.quiz.keywords["ko"]))]


@dataclass
class Interview:
    """An interview in progress."""

    library: Library
    store: ProgressStore
    config: InterviewConfig
    now: Callable[[], datetime] = utc_now
    answers: list[InterviewAnswer] = field(init=False, default_factory=list)
    current: InterviewQuestion | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.log = RehearsalLog(self.store)
        self.rng = random.Random(self.config.seed)
        self.started_at = self.now()
        self.interview_id = self.log.start_interview(self.config.to_json(), self.config.seed,
                                                     self.started_at)
        pool = interview_pool(self.library, self.config.decks, self.config.mode)
        self._weights = weakness(self.library, self.store, self.started_at, pool)
        self._pool = pool
        self._asked: set[str] = set()
        self._last_asked = self.log.last_asked()
        self._mains = 0
        self.current = self._next_question()

    @property
    def finished(self) -> bool:
        return self.current is None

    def answer_typed(self, text: str, duration_ms: int) -> tuple[InterviewAnswer, Score]:
        """A typed answer, scored and on disk; returns what was stored and the scoring (its
        matched spans) it came from."""
        question = self._require_current()
        score = score_answer(question.card, self.config.lang, text)
        answer = self._record(question, text, score.score, tuple(score.missed), None,
                              duration_ms)
        return answer, score

    def answer_aloud(self, self_grade: int, duration_ms: int) -> InterviewAnswer:
        """An answer given aloud: the candidate read the model answer and graded it 1-4."""
        if self_grade not in (1, 2, 3, 4):
            raise ValueError(f"self-grade must be 1-4, got {self_grade}")
        question = self._require_current()
        return self._record(question, "", None, (), self_grade, duration_ms)

    def finish(self) -> InterviewReport:
        self.current = None
        self.log.finish_interview(self.interview_id, self.now())
        return interview_report(self.library, self.store, self.interview_id)

    def _record(self, question: InterviewQuestion, text: str, score: float | None,
                missed: tuple[str, ...], self_grade: int | None,
                duration_ms: int) -> InterviewAnswer:
        answer = InterviewAnswer(
            position=question.position, card_id=question.card.id,
            parent_card_id=question.parent.id if question.parent else None,
            depth=question.depth, lang=self.config.lang, mode=self.config.mode, answer=text,
            score=score, missed=missed, self_grade=self_grade, duration_ms=duration_ms,
            time_limit_ms=question.time_limit_ms, answered_at=self.now())
        self.log.record_interview_answer(self.interview_id, answer)  # on disk first
        self.answers.append(answer)
        self.current = self._next_question()
        return answer

    def _next_question(self) -> InterviewQuestion | None:
        previous = self.current
        if previous is not None and previous.depth < self.config.max_depth:
            follow_up = self._pick_follow_up(previous.card)
            if follow_up is not None:
                return self._ask(follow_up, previous.depth + 1, previous.card)
        if self._enough_main_questions():
            return None
        candidates = [c for c in self._pool if c.id not in self._asked]
        if not candidates:
            return None
        card = self.rng.choices(candidates, [self._weights[c.id] for c in candidates])[0]
        self._mains += 1
        return self._ask(card, 0, None)

    def _enough_main_questions(self) -> bool:
        if self.config.minutes is not None:
            return self.now() - self.started_at >= timedelta(minutes=self.config.minutes)
        return self._mains >= self.config.main_questions

    def _pick_follow_up(self, card: Card) -> Card | None:
        options = [c for ref in card.follow_ups
                   if (c := self.library.card(ref)) is not None and c.id not in self._asked
                   and (self.config.mode == "aloud" or (c.quiz and c.quiz.keywords["ko"]))]
        if not options:
            return None
        never = datetime.min.replace(tzinfo=self.started_at.tzinfo)
        return min(options, key=lambda c: (self._last_asked.get(c.id, never), self.rng.random()))

    def _ask(self, card: Card, depth: int, parent: Card | None) -> InterviewQuestion:
        self._asked.add(card.id)
        return InterviewQuestion(card, depth, parent, len(self.answers),
                                 self.config.seconds_per_answer * 1000)

    def _require_current(self) -> InterviewQuestion:
        if self.current is None:
            raise RuntimeError("the interview is over")
        return self.current


def interview_report(library: Library, store: ProgressStore,
                     interview_id: int) -> InterviewReport:
    """The report of interview ``interview_id`` (a past one too)."""
    answers = RehearsalLog(store).interview_answers(interview_id)
    scores = [_answer_score(a) for a in answers]
    by_topic: dict[str, list[float]] = defaultdict(list)
    for answer, score in zip(answers, scores, strict=True):
        card = library.card(answer.card_id)
        if card is not None and score is not None:
            by_topic[card.deck].append(score)
            for tag in card.tags:
                by_topic[f"#{tag}"].append(score)
    topics = sorted((TopicScore(topic, sum(v) / len(v), len(v)) for topic, v in by_topic.items()),
                    key=lambda t: (t.mean_score, -t.answers))
    known = [s for s in scores if s is not None]
    reviewed = _last_reviewed(store, [a.card_id for a in answers])
    # A weak card reviewed since it was answered (sent from this report, or studied) is not
    # offered again: reopening a past report must not grade the same cards Again twice.
    to_review = [a.card_id for a, s in zip(answers, scores, strict=True)
                 if s is not None and s < WEAK_SCORE
                 and not (a.card_id in reviewed and reviewed[a.card_id] >= a.answered_at)]
    return InterviewReport(
        answers=answers, total_ms=sum(a.duration_ms for a in answers),
        mean_score=sum(known) / len(known) if known else None,
        overtime=sum(a.duration_ms > a.time_limit_ms for a in answers),
        weakest_topics=[t for t in topics if t.mean_score < 1.0][:5],
        to_review=list(dict.fromkeys(to_review)))


def _last_reviewed(store: ProgressStore, card_ids: Sequence[str]) -> dict[str, datetime]:
    """When each of ``card_ids`` was last graded (cards never graded are absent)."""
    found: dict[str, datetime] = {}
    for start in range(0, len(card_ids), 500):
        chunk = list(dict.fromkeys(card_ids[start:start + 500]))
        marks = ",".join("?" * len(chunk))
        for card_id, when in store.db.execute(
                f"select card_id, max(reviewed_at) from revlog where card_id in ({marks}) "
                "group by card_id", chunk):
            found[str(card_id)] = datetime.fromisoformat(when)
    return found


def send_to_review(store: ProgressStore, report: InterviewReport, now: datetime) -> int:
    """Grade the report's weak cards Again, as a review would; returns how many."""
    grade_again(store, report.to_review, now)
    return len(report.to_review)


def _answer_score(answer: InterviewAnswer) -> float | None:
    """A typed answer's concept score, or a spoken answer's self-grade mapped to 0-1."""
    if answer.score is not None:
        return answer.score
    if answer.self_grade is not None:
        return (answer.self_grade - 1) / 3
    return None
