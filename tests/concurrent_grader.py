"""A process that grades (and sometimes undoes) cards of a shared progress database, and the
check that a log written by such processes is consistent. Used by the two-process test and by
``tests/benchmarks/stress_concurrency.py``.

usage: python concurrent_grader.py DB_PATH SECONDS SEED [--print-each]

Without ``--print-each`` it prints one JSON object at the end: the log ids it wrote, the ones it
undid, and how many undos were refused because another process had graded the card since. With
``--print-each`` it prints ``begin`` before each write and ``graded ID`` / ``undone ID`` /
``none`` as soon as it has returned, so a process killed at any moment has told what it
committed, and which one write (if any) was in flight.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from itertools import pairwise
from pathlib import Path

CARDS = [f"card-{i}" for i in range(6)]  # few cards, so two processes collide often


def main() -> int:
    from quizapp.store import UndoConflictError, open_store
    from quizapp.study.clock import utc_now
    from quizapp.study.scheduling import CardScheduler

    path, seconds, seed = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    print_each = "--print-each" in sys.argv
    rng = random.Random(seed)
    scheduler = CardScheduler()
    graded: list[int] = []
    undone: list[int] = []
    conflicts = 0
    with open_store(path) as store:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            # A pause between writes, as between a person's grades (though far shorter): without
            # it one process takes the lock again before SQLite's busy handler wakes the other.
            time.sleep(rng.uniform(0, 0.004))
            if print_each:
                print("begin", flush=True)
            if graded and rng.random() < 0.2:
                try:
                    result = store.undo_last()
                except UndoConflictError:
                    conflicts += 1
                    result = None
                if result is not None:
                    undone.append(result.log_id)
                if print_each:
                    print(f"undone {result.log_id}" if result else "none", flush=True)
                continue
            card_id, rating = rng.choice(CARDS), rng.randint(1, 4)
            now = utc_now()
            log_id = store.record_review(card_id, lambda row, c=card_id, r=rating, t=now:
                                         scheduler.review(c, row, r, t, 0))
            graded.append(log_id)
            if print_each:
                print(f"graded {log_id}", flush=True)
    if not print_each:
        print(json.dumps({"graded": graded, "undone": undone, "conflicts": conflicts}))
    return 0


def log_problems(path: Path, expected_ids: set[int]) -> list[str]:
    """Why the log at ``path`` is not exactly ``expected_ids`` with each card's history one
    chain that starts new once and ends in the card row's state (empty: consistent)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("select * from revlog order by id").fetchall()
        cards = {r["card_id"]: r for r in conn.execute("select * from cards")}
    finally:
        conn.close()
    problems = []
    ids = {r["id"] for r in rows}
    if ids != expected_ids:
        problems.append(f"log ids differ: missing {sorted(expected_ids - ids)[:10]}, "
                        f"unexpected {sorted(ids - expected_ids)[:10]}")
    by_card: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_card.setdefault(row["card_id"], []).append(row)
    if set(cards) != set(by_card):
        problems.append(f"card rows without history or history without a card row: "
                        f"{sorted(set(cards) ^ set(by_card))}")
    for card_id, history in by_card.items():
        if history[0]["fsrs_before"] is not None or history[0]["state_before"] != 0:
            problems.append(f"{card_id}: the first logged review is not of a new card")
        if any(r["fsrs_before"] is None for r in history[1:]):
            problems.append(f"{card_id}: logged as new twice")
        for earlier, later in pairwise(history):
            if later["state_before"] != earlier["state_after"] or json.loads(
                    later["fsrs_before"] or "{}").get("state") != earlier["state_after"]:
                problems.append(f"{card_id}: review {later['id']} does not follow {earlier['id']}")
        if card_id in cards and cards[card_id]["state"] != history[-1]["state_after"]:
            problems.append(f"{card_id}: card row is not the state after its last review")
    return problems


if __name__ == "__main__":
    sys.exit(main())
