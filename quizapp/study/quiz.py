"""A quiz round: N questions from chosen decks or tags, multiple choice or typed answers.

Multiple choice shows a card's short answer (``quiz.answer``) among its three distractors,
shuffled by a seed stored with the round, so a round can be replayed exactly. A typed answer is
scored by concept (``study/scoring.py``); it counts as correct from ``PASS_SCORE`` up, or when
the user overrides ("I said it"). Every answer is written before the next question; nothing
touches FSRS unless the user sends the missed cards to today's review, which grades them Again
through the same path as a review grade (so undo and the log stay consistent).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from quizapp.content import Card, Library
from quizapp.store import ProgressStore
from quizapp.store.rehearsals import QuizAnswer, RehearsalLog
from quizapp.study.clock import utc_now
from quizapp.study.scoring import Score, score_answer
from quizapp.study.session import grade_again

QuizMode = Literal["choice", "typed"]
PASS_SCORE = 0.5  # a typed answer naming half the concepts counts as right


@dataclass(frozen=True)
class QuizConfig:
    """What a round asks: from which decks and tags (none: all), how many, how, in which
    language, and the seed that fixes its questions and option order."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = 10
    mode: QuizMode = "choice"
    lang: str = "ko"
    seed: int = 0

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "decks": list(self.decks), "tags": list(self.tags)}


@dataclass(frozen=True)
class QuizQuestion:
    """One question: the card, and for multiple choice the shuffled options."""

    card: Card
    options: tuple[str, ...] = ()
    correct_option: int | None = None


@dataclass(frozen=True)
class QuizResult:
    """What an answer got: right or wrong, the concept score of a typed answer."""

    correct: bool
    score: Score | None = None
    choice: int | None = None


def eligible_cards(library: Library, decks: Sequence[str] = (),
                   tags: Sequence[str] = (), mode: QuizMode = "choice") -> list[Card]:
    """Cards a round can ask: in one of the decks (any deck when none is given) and with one
    of the tags (any tags when none is given), and with the quiz material the mode needs.
    Choosing a tag narrows a chosen deck, as a filter does; it never adds other decks."""
    def wanted(card: Card) -> bool:
        in_scope = ((not decks or card.deck in decks)
                    and (not tags or bool(set(tags) & set(card.tags))))
        if not in_scope or card.quiz is None:
            return False
        if mode == "choice":
            return card.quiz.answer is not None and all(
                len(card.quiz.distractors[lang]) >= 3 for lang in ("ko", "en"))
        return bool(card.quiz.keywords["ko"])

    return [card for card in library.cards if wanted(card)]


def build_questions(library: Library, config: QuizConfig) -> list[QuizQuestion]:
    """The round's questions, the same for the same config (seed included)."""
    rng = random.Random(config.seed)
    pool = eligible_cards(library, config.decks, config.tags, config.mode)
    cards = rng.sample(pool, min(config.count, len(pool)))
    questions = []
    for card in cards:
        if config.mode == "choice" and card.quiz is not None and card.quiz.answer is not None:
            right = card.quiz.answer.get(config.lang)
            options = [right, *card.quiz.distractors[config.lang][:3]]
            rng.shuffle(options)
            questions.append(QuizQuestion(card, tuple(options), options.index(right)))
        else:
            questions.append(QuizQuestion(card))
    return questions


@dataclass
class QuizRound:
    """A round in progress: asks its questions in order and writes each answer at once."""

    library: Library
    store: ProgressStore
    config: QuizConfig
    now: Callable[[], datetime] = utc_now
    questions: list[QuizQuestion] = field(init=False)
    results: list[QuizResult] = field(init=False, default_factory=list)
    round_id: int = field(init=False)
    started_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.questions = build_questions(self.library, self.config)
        self.log = RehearsalLog(self.store)
        self.started_at = self.now()
        self.round_id = self.log.start_quiz(self.config.to_json(), self.config.seed,
                                            [q.card.id for q in self.questions],
                                            self.started_at)

    @property
    def position(self) -> int:
        return len(self.results)

    @property
    def current(self) -> QuizQuestion | None:
        return self.questions[self.position] if self.position < len(self.questions) else None

    def answer_choice(self, choice: int, duration_ms: int) -> QuizResult:
        question = self._require_current()
        result = QuizResult(correct=choice == question.correct_option, choice=choice)
        self._record(question, question.options[choice], result, duration_ms)
        return result

    def answer_typed(self, text: str, duration_ms: int) -> QuizResult:
        question = self._require_current()
        score = score_answer(question.card, self.config.lang, text)
        result = QuizResult(correct=score.score >= PASS_SCORE, score=score)
        self._record(question, text, result, duration_ms)
        return result

    def override(self, position: int) -> None:
        """Count answer ``position`` as right ("I said it")."""
        self.log.override_quiz_answer(self.round_id, position)
        old = self.results[position]
        self.results[position] = QuizResult(True, old.score, old.choice)

    def finish(self) -> None:
        self.log.finish_quiz(self.round_id, self.now())

    def missed_cards(self) -> list[Card]:
        return [q.card for q, r in zip(self.questions, self.results, strict=False)
                if not r.correct]

    def send_missed_to_review(self) -> int:
        """Grade every missed card Again, as a review would; returns how many."""
        missed = [card.id for card in self.missed_cards()]
        grade_again(self.store, missed, self.now())
        return len(missed)

    def _record(self, question: QuizQuestion, text: str, result: QuizResult,
                duration_ms: int) -> None:
        self.log.record_quiz_answer(self.round_id, QuizAnswer(
            position=self.position, card_id=question.card.id, lang=self.config.lang,
            mode=self.config.mode, answer=text, choice=result.choice, correct=result.correct,
            score=result.score.score if result.score else None,
            missed=tuple(result.score.missed) if result.score else (),
            duration_ms=duration_ms, answered_at=self.now()))
        self.results.append(result)  # only once it is on disk

    def _require_current(self) -> QuizQuestion:
        question = self.current
        if question is None:
            raise RuntimeError("the round is over")
        return question
