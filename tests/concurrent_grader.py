"""A process that grades (and sometimes undoes) cards of a shared progress database for a while,
then prints, as JSON, the log ids it wrote and the ones it undid. Used by the two-process test
and by ``tests/benchmarks/stress_concurrency.py``.

usage: python concurrent_grader.py DB_PATH SECONDS SEED
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from quizapp.store import UndoConflictError, open_store
from quizapp.study.clock import utc_now
from quizapp.study.scheduling import CardScheduler

CARDS = [f"card-{i}" for i in range(6)]  # few cards, so the two processes collide often


def main() -> int:
    path, seconds, seed = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    scheduler = CardScheduler()
    graded: list[int] = []
    undone: list[int] = []
    conflicts = 0
    with open_store(path) as store:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if graded and rng.random() < 0.2:
                try:
                    result = store.undo_last()
                except UndoConflictError:
                    conflicts += 1
                else:
                    if result is not None:
                        undone.append(result.log_id)
                continue
            card_id, rating = rng.choice(CARDS), rng.randint(1, 4)
            now = utc_now()
            graded.append(store.record_review(card_id, lambda row, c=card_id, r=rating, t=now:
                                              scheduler.review(c, row, r, t, 0)))
    print(json.dumps({"graded": graded, "undone": undone, "conflicts": conflicts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
