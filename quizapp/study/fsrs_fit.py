"""Fit the FSRS parameters to the user's own review log, and simulate the workload of a retention.

Fitting and evaluation use fsrs-rs (the ``fsrs-rs-python`` binding of the Rust FSRS that Anki's
optimizer runs); scheduling stays with py-fsrs. Both take the same 21 FSRS-6 parameters, so the
numbers fitted here are the numbers the scheduler then uses.

How the review log becomes FSRS items: Anki's rules for training
(``rslib/src/scheduler/fsrs/params.rs``: ``fsrs_items_for_training`` and ``reviews_for_fsrs``
with ``training = true``), applied to our log:

1. Every card's answers, oldest first; the whole log, so cards since removed from the content
   count too (Anki's whole-collection search includes the revlog of deleted cards).
2. A card's history starts at its last run of *learning* answers (``state_before`` New or
   Learning: Anki's ``Learning`` review kind), the first of which is the card's first rating;
   answers before that run are dropped, as Anki drops reviews from before a reset to new. A
   card with no learning answer (a history whose start is missing) is left out. The other
   entries Anki skips — manual ones (reset, set due date), rescheduled and cram entries, ratings
   outside 1-4 — cannot be in our log: every row is a grade, and ``import`` refuses others.
3. ``delta_t`` is the number of study days since the previous answer (0 for the first), where a
   study day starts at ``day_start_hour`` local time (``DayClock``), as Anki counts days to its
   next-day rollover. Same-day answers (learning steps, relearning) stay in the history with
   ``delta_t`` 0; no review is merged away.
4. One item per answer from the second on, holding the history up to it; an item is kept only
   when its last answer came on a later study day than the one before (``delta_t > 0``):
   same-day answers are history, never something to predict.
5. Items are ordered by the time of their last answer; ``reviews_used`` counts the answers of
   the cards that gave at least one item (Anki's review count).

Fitting starts from the defaults with short-term (same-day) modelling on and one relearning step
(``FSRS.compute_parameters``), as Anki does. The result is rounded to 4 decimals (what Anki
shows; fsrs-rs's f32 values can also sit a hair outside py-fsrs's bounds, so they are clamped).
The parameters in use and the fitted ones are evaluated on the same items (``FSRS.evaluate``: log
loss and RMSE over bins); the fitted ones are saved only when their log loss is lower. Anki
keeps its current parameters unless the fitted RMSE is lower; log loss is the quantity the
optimizer minimises, so we compare that.

Too little history: fewer than ``MIN_CARDS`` cards with answers on two or more study days (with
fewer than 8 training items fsrs-rs itself returns its defaults). Then nothing is fitted or
changed.

Saving new parameters (``use_parameters``) recomputes every reviewed card's memory state in the
same transaction: its history is replayed through the scheduler with the new parameters and the
card's stability and difficulty replaced; its state, learning step and due time stay, as Anki
updates memory states without rescheduling cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import groupby, pairwise
from typing import Any, NamedTuple

import fsrs_rs_python as fsrs_rs
from fsrs import Card as FsrsCard

from quizapp.store import LogEntry, ProgressStore
from quizapp.study.clock import DayClock
from quizapp.study.scheduling import (
    DEFAULT_PARAMETERS,
    NEW_STATE,
    PARAMETER_BOUNDS,
    Answer,
    CardScheduler,
    checked_parameters,
)
from quizapp.study.settings import (
    PARAMETERS_KEY,
    load_parameters,
    load_settings,
    scheduler_for,
)

#: Cards that need answers on two or more study days before parameters are fitted.
MIN_CARDS = 8
LEARNING_STATES = (NEW_STATE, 1)  # state_before of a learning answer (fsrs State.Learning = 1)
RELEARNING_STEPS = 1  # the default relearning steps (10 minutes) are one step
DECIMALS = 4


#: One FSRS item: (rating, delta_t) of each answer, oldest first; the last one is predicted.
Item = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TrainingSet:
    """The FSRS items built from a review log (rules in the module docstring)."""

    histories: list[Item]  # ordered by the time of their last answer
    reviews_used: int  # answers of the cards that gave at least one item
    cards: int  # cards that gave at least one item

    def items(self) -> list[fsrs_rs.FSRSItem]:
        return [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(rating, delta_t)
                                  for rating, delta_t in history])
                for history in self.histories]


@dataclass(frozen=True)
class FitReport:
    """What ``optimize`` found and did (``optimize --json``)."""

    reviews_used: int
    log_loss_before: float | None  # the parameters in use before
    log_loss_after: float | None  # the fitted parameters
    rmse_before: float | None
    rmse_after: float | None
    parameters: list[float]  # the parameters in use after this run
    saved: bool
    message: str  # one line for people

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews_used": self.reviews_used,
            "log_loss_before": self.log_loss_before,
            "log_loss_after": self.log_loss_after,
            "rmse_before": self.rmse_before,
            "rmse_after": self.rmse_after,
            "parameters": self.parameters,
            "saved": self.saved,
        }


class Workload(NamedTuple):
    """The simulated daily workload at one desired retention."""

    retention: float
    reviews_per_day: float
    minutes_per_day: float


def parameters_in_use(store: ProgressStore) -> list[float]:
    """The 21 FSRS parameters the scheduler uses (saved by ``optimize``, else the defaults)."""
    return list(load_parameters(store))


def training_set(entries: Iterable[LogEntry], clock: DayClock) -> TrainingSet:
    """FSRS items for training from log entries (any order), by Anki's rules."""
    ordered = sorted(entries, key=lambda e: (e.card_id, e.reviewed_at, e.log_id))
    timed: list[tuple[datetime, Item]] = []
    reviews_used = cards = 0
    for _card_id, group in groupby(ordered, key=lambda e: e.card_id):
        history = _from_last_learning_run(list(group))
        if not history:
            continue
        days = [clock.day_number(e.reviewed_at) for e in history]
        deltas = [0, *(b - a for a, b in pairwise(days))]
        reviews = tuple((e.rating, d) for e, d in zip(history, deltas, strict=True))
        items = [(history[i].reviewed_at, reviews[:i + 1])
                 for i in range(1, len(history)) if deltas[i] > 0]
        if items:
            timed.extend(items)
            reviews_used += len(history)
            cards += 1
    timed.sort(key=lambda pair: pair[0])
    return TrainingSet([item for _, item in timed], reviews_used, cards)


def _from_last_learning_run(history: list[LogEntry]) -> list[LogEntry]:
    """The history from the first answer of its last run of learning answers (empty: none)."""
    start = None
    for index in range(len(history) - 1, -1, -1):
        if history[index].state_before in LEARNING_STATES:
            start = index
        elif start is not None:
            break
    return [] if start is None else history[start:]


def evaluate(parameters: Sequence[float], items: Sequence[fsrs_rs.FSRSItem]) -> tuple[float, float]:
    """Log loss and RMSE (bins) of ``parameters`` on ``items``."""
    result = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return float(result.log_loss), float(result.rmse_bins)


def fit_parameters(items: Sequence[fsrs_rs.FSRSItem],
                   relearning_steps: int = RELEARNING_STEPS) -> tuple[float, ...]:
    """Parameters fitted to ``items`` by fsrs-rs, rounded and inside py-fsrs's bounds.
    ``relearning_steps`` is how many the scheduler uses (Anki passes its preset's count)."""
    fitted = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        list(items), enable_short_term=True, num_relearning_steps=relearning_steps)
    rounded = [min(max(round(float(w), DECIMALS), low), high)
               for w, (low, high) in zip(fitted, PARAMETER_BOUNDS, strict=True)]
    checked = checked_parameters(rounded)
    if checked is None:  # NaN or infinity from the optimizer: keep what works
        raise ValueError(f"fsrs-rs returned unusable parameters: {fitted}")
    return checked


def optimize(store: ProgressStore, clock: DayClock | None = None) -> FitReport:
    """Fit parameters to the whole review log; save and use them when they predict it better
    than the parameters in use (lower log loss). ``clock`` defaults to the settings' day start
    in local time."""
    settings = load_settings(store)
    clock = clock or DayClock(settings.day_start_hour)
    in_use = settings.fsrs_parameters or DEFAULT_PARAMETERS
    data = training_set(store.log_entries(), clock)
    items = data.items()
    before = evaluate(in_use, items) if items else None
    if data.cards < MIN_CARDS:
        return FitReport(
            data.reviews_used, _figure(before, 0), None, _figure(before, 1), None,
            list(in_use), saved=False,
            message=f"not enough history to fit FSRS parameters: {data.cards} cards have "
                    f"answers on two or more study days, {MIN_CARDS} are needed. Nothing was "
                    "changed.")
    assert before is not None  # MIN_CARDS > 0 cards gave items
    fitted = fit_parameters(items, len(settings.relearning_steps))
    after = evaluate(fitted, items)
    better = after[0] < before[0]
    if better:
        recomputed = use_parameters(store, fitted)
        message = (f"saved: the fitted parameters predict your {data.reviews_used} reviews "
                   f"better (log loss {before[0]:.4f} -> {after[0]:.4f}); they schedule from "
                   f"now on, and the memory states of {recomputed} cards were recomputed.")
    else:
        message = (f"not saved: the fitted parameters do not predict your "
                   f"{data.reviews_used} reviews better than those in use (log loss "
                   f"{before[0]:.4f} -> {after[0]:.4f}). Nothing was changed.")
    return FitReport(data.reviews_used, _figure(before, 0), _figure(after, 0),
                     _figure(before, 1), _figure(after, 1),
                     list(fitted if better else in_use), saved=better, message=message)


def _figure(pair: tuple[float, float] | None, index: int) -> float | None:
    return None if pair is None else round(pair[index], 6)


def use_parameters(store: ProgressStore, parameters: Sequence[float] | None) -> int:
    """Schedule with ``parameters`` from now on (None: the defaults): save them and recompute
    every reviewed card's memory state with them, in one transaction. Returns the number of
    cards recomputed. Raises ``ValueError`` for parameters py-fsrs does not accept."""
    checked = DEFAULT_PARAMETERS if parameters is None else checked_parameters(parameters)
    if checked is None:
        raise ValueError(f"not 21 FSRS parameters within py-fsrs's bounds: {parameters}")
    with store.transaction():
        # Read inside the write transaction: a grade given meanwhile in another window is
        # either fully before (and recomputed) or waits until this commits.
        store.set_setting(PARAMETERS_KEY, list(checked))
        scheduler = scheduler_for(replace(load_settings(store), fsrs_parameters=checked))
        return recompute_memory_states(store, scheduler)


def recompute_memory_states(store: ProgressStore, scheduler: CardScheduler) -> int:
    """Replay each reviewed card's history through ``scheduler`` and store the stability and
    difficulty it ends with (state, step and due time unchanged). Call it inside
    ``store.transaction()``. Returns the number of cards changed."""
    rows = store.card_rows()
    count = 0
    for card_id, group in groupby(store.log_entries(), key=lambda e: e.card_id):
        row = rows.get(card_id)
        if row is None:
            continue
        replayed = scheduler.replay(
            card_id, [Answer(e.reviewed_at, e.rating, e.duration_ms) for e in group])
        memory = FsrsCard.from_json(replayed[-1].fsrs_after)
        card = FsrsCard.from_json(row.fsrs_json)
        card.stability, card.difficulty = memory.stability, memory.difficulty
        store.set_card_fsrs(card_id, card.to_json())
        count += 1
    return count


def expected_workload(parameters: Sequence[float], retentions: Iterable[float], days: int = 365,
                      deck_size: int = 100, new_per_day: int = 20,
                      seed: int = 2023) -> list[Workload]:
    """The average daily workload of learning ``deck_size`` new cards (``new_per_day`` a day)
    and keeping them up for ``days`` days at each desired retention, simulated by fsrs-rs with
    ``parameters`` as the learner's memory: (retention, reviews per day, minutes per day).
    Reviews count answers to cards already introduced; minutes include the first answers
    and learning steps (fsrs-rs's default answer times). The same seed gives the same figures."""
    if days < 1 or deck_size < 1 or new_per_day < 1:
        raise ValueError("days, deck_size and new_per_day must be at least 1")
    weights = checked_parameters(parameters)
    if weights is None:
        raise ValueError(f"not 21 FSRS parameters within py-fsrs's bounds: {parameters}")
    config = fsrs_rs.default_simulator_config()
    config.deck_size = deck_size
    config.learn_span = days
    config.learn_limit = new_per_day
    config.max_cost_perday = float(days * 86400)  # no time cap: the whole workload is the answer
    result = []
    for retention in retentions:
        if not 0.0 < retention < 1.0:
            raise ValueError(f"a desired retention is between 0 and 1, got {retention}")
        run = fsrs_rs.simulate(list(weights), retention, config, seed)
        result.append(Workload(
            retention,
            sum(run.review_cnt_per_day) / days,
            sum(run.cost_per_day) / days / 60.0,
        ))
    return result
