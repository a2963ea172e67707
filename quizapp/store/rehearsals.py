"""Quiz rounds, mock interviews and their answers in the progress database (migration m003).

Every method that writes is one ``BEGIN IMMEDIATE`` transaction, committed before it returns,
so an answer is on disk before the next question is shown and a killed process loses at most
the answer being typed.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.store.progress import ProgressStore

Row = dict[str, Any]


@dataclass(frozen=True)
class QuizAnswer:
    """One answer in a quiz round, as written."""

    position: int
    card_id: str
    lang: str
    mode: str  # "choice" or "typed"
    answer: str
    choice: int | None
    correct: bool
    score: float | None
    missed: tuple[str, ...]
    duration_ms: int
    answered_at: datetime


@dataclass(frozen=True)
class InterviewAnswer:
    """One answer in a mock interview, as written."""

    position: int
    card_id: str
    parent_card_id: str | None
    depth: int
    lang: str
    mode: str  # "typed" or "aloud"
    answer: str
    score: float | None
    missed: tuple[str, ...]
    self_grade: int | None
    duration_ms: int
    time_limit_ms: int
    answered_at: datetime


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    cursor = conn.execute(f"insert into {table} ({', '.join(values)}) "
                          f"values ({', '.join('?' * len(values))})", list(values.values()))
    return int(cursor.lastrowid or 0)


def _rows(cursor: sqlite3.Cursor) -> list[Row]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


class RehearsalLog:
    """Reads and writes quiz rounds and interviews in ``store``'s database."""

    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        # These tables are not card progress: the store's readers of card rows and statuses
        # need not read them again after such a write.
        return self.store.tracked_transaction(())

    # -- quiz rounds --------------------------------------------------------------------------

    def start_quiz(self, config: dict[str, Any], seed: int, card_ids: list[str],
                   started_at: datetime) -> int:
        with self._write() as conn:
            return _insert(conn, "quiz_rounds", {
                "started_at": started_at.isoformat(), "config": json.dumps(config),
                "seed": seed, "card_ids": json.dumps(card_ids)})

    def record_quiz_answer(self, round_id: int, answer: QuizAnswer) -> None:
        with self._write() as conn:
            _insert(conn, "quiz_answers", {
                "round_id": round_id, "position": answer.position, "card_id": answer.card_id,
                "lang": answer.lang, "mode": answer.mode, "answer": answer.answer,
                "choice": answer.choice, "correct": int(answer.correct), "score": answer.score,
                "missed": json.dumps(list(answer.missed), ensure_ascii=False), "overridden": 0,
                "duration_ms": answer.duration_ms,
                "answered_at": answer.answered_at.isoformat()})

    def override_quiz_answer(self, round_id: int, position: int) -> None:
        """The user says the answer was right ("I said it")."""
        with self._write() as conn:
            conn.execute("update quiz_answers set correct = 1, overridden = 1 "
                         "where round_id = ? and position = ?", [round_id, position])

    def finish_quiz(self, round_id: int, finished_at: datetime) -> None:
        with self._write() as conn:
            conn.execute("update quiz_rounds set finished_at = ? where id = ?",
                         [finished_at.isoformat(), round_id])

    def quiz_round(self, round_id: int) -> Row:
        row = self._get("quiz_rounds", round_id)
        row["config"] = json.loads(row["config"])
        row["card_ids"] = json.loads(row["card_ids"])
        return row

    def quiz_answers(self, round_id: int) -> list[QuizAnswer]:
        rows = _rows(self.store.conn.execute(
            "select * from quiz_answers where round_id = ? order by position", [round_id]))
        return [QuizAnswer(
            position=r["position"], card_id=r["card_id"], lang=r["lang"], mode=r["mode"],
            answer=r["answer"] or "", choice=r["choice"], correct=bool(r["correct"]),
            score=r["score"], missed=tuple(json.loads(r["missed"] or "[]")),
            duration_ms=r["duration_ms"] or 0,
            answered_at=datetime.fromisoformat(r["answered_at"])) for r in rows]

    # -- interviews ---------------------------------------------------------------------------

    def start_interview(self, config: dict[str, Any], seed: int, started_at: datetime) -> int:
        with self._write() as conn:
            return _insert(conn, "interviews", {
                "started_at": started_at.isoformat(), "config": json.dumps(config),
                "seed": seed})

    def record_interview_answer(self, interview_id: int, answer: InterviewAnswer) -> None:
        with self._write() as conn:
            _insert(conn, "interview_answers", {
                "interview_id": interview_id, "position": answer.position,
                "card_id": answer.card_id, "parent_card_id": answer.parent_card_id,
                "depth": answer.depth, "lang": answer.lang, "mode": answer.mode,
                "answer": answer.answer, "score": answer.score,
                "missed": json.dumps(list(answer.missed), ensure_ascii=False),
                "self_grade": answer.self_grade, "duration_ms": answer.duration_ms,
                "time_limit_ms": answer.time_limit_ms,
                "answered_at": answer.answered_at.isoformat()})

    def finish_interview(self, interview_id: int, finished_at: datetime) -> None:
        with self._write() as conn:
            conn.execute("update interviews set finished_at = ? where id = ?",
                         [finished_at.isoformat(), interview_id])

    def interviews(self) -> list[Row]:
        """Past interviews, newest first, with their answer counts and mean scores (0-1; a
        self-grade g counts as (g - 1) / 3, as in the report)."""
        rows = self.store.conn.execute(
            "select i.id, i.started_at, i.finished_at, i.config, count(a.id) as answers, "
            "avg(coalesce(a.score, (a.self_grade - 1) / 3.0)) as mean_score "
            "from interviews i left join interview_answers a "
            "on a.interview_id = i.id group by i.id order by i.id desc").fetchall()
        return [{"id": r[0], "started_at": r[1], "finished_at": r[2],
                 "config": json.loads(r[3]), "answers": r[4], "mean_score": r[5]}
                for r in rows]

    def interview(self, interview_id: int) -> Row:
        row = self._get("interviews", interview_id)
        row["config"] = json.loads(row["config"])
        return row

    def interview_answers(self, interview_id: int) -> list[InterviewAnswer]:
        rows = _rows(self.store.conn.execute(
            "select * from interview_answers where interview_id = ? order by position",
            [interview_id]))
        return [InterviewAnswer(
            position=r["position"], card_id=r["card_id"], parent_card_id=r["parent_card_id"],
            depth=r["depth"] or 0, lang=r["lang"], mode=r["mode"], answer=r["answer"] or "",
            score=r["score"], missed=tuple(json.loads(r["missed"] or "[]")),
            self_grade=r["self_grade"], duration_ms=r["duration_ms"] or 0,
            time_limit_ms=r["time_limit_ms"] or 0,
            answered_at=datetime.fromisoformat(r["answered_at"])) for r in rows]

    def last_asked(self) -> dict[str, datetime]:
        """When each card was last asked in an interview."""
        return {card_id: datetime.fromisoformat(at) for card_id, at in self.store.conn.execute(
            "select card_id, max(answered_at) from interview_answers group by card_id")}

    def mean_interview_scores(self) -> dict[str, float]:
        """Each card's mean interview score (0-1; a self-grade g counts as (g - 1) / 3)."""
        return {card_id: float(mean) for card_id, mean in self.store.conn.execute(
            "select card_id, avg(coalesce(score, (self_grade - 1) / 3.0)) "
            "from interview_answers where score is not null or self_grade is not null "
            "group by card_id")}

    # -- counts -------------------------------------------------------------------------------

    def quiz_answer_count(self) -> int:
        return int(self.store.conn.execute("select count(*) from quiz_answers").fetchone()[0])

    def interview_count(self) -> int:
        return int(self.store.conn.execute("select count(*) from interviews").fetchone()[0])

    def _get(self, table: str, row_id: int) -> Row:
        rows = _rows(self.store.conn.execute(f"select * from {table} where id = ?", [row_id]))
        if not rows:
            raise KeyError(f"no {table} row {row_id}")
        return rows[0]
