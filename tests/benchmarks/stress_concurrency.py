"""Stress: the progress database under two writers and under kills; prints what was lost.

Run: ``python tests/benchmarks/stress_concurrency.py [seconds] [kills]`` (default 60 s, 100).

1. Two processes grade and undo the same six cards of one database for ``seconds`` each. Every
   grade and undo each reported is compared with the log: nothing may be missing, nothing
   logged twice, each card's history one chain that starts new once, and undo consistent.
2. ``kills`` times, a process grades and undoes as fast as it can and is SIGKILLed after a
   random 0.05-0.5 s; every write it reported as committed (printed after the write returned)
   must be in the log, except the one write a process may have had in flight when it died, and
   every card's history must stay consistent.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

from concurrent_grader import log_problems  # noqa: E402

from quizapp.store import open_database  # noqa: E402

GRADER = TESTS / "concurrent_grader.py"


def two_writers(folder: Path, seconds: float) -> None:
    path = folder / "two.sqlite3"
    open_database(path).close()
    children = [subprocess.Popen([sys.executable, str(GRADER), str(path), str(seconds),
                                  str(seed)], stdout=subprocess.PIPE, text=True)
                for seed in (1, 2)]
    reports = [json.loads(child.communicate()[0]) for child in children]
    graded = [i for r in reports for i in r["graded"]]
    undone = [i for r in reports for i in r["undone"]]
    problems = log_problems(path, set(graded) - set(undone))
    owner = {i: n for n, r in enumerate(reports) for i in r["graded"]}
    ordered = [owner[i] for i in sorted(owner)]
    switches = sum(a != b for a, b in itertools.pairwise(ordered))
    print(f"two writers, {seconds:g} s each: {len(graded)} grades "
          f"({', '.join(str(len(r['graded'])) for r in reports)}), {len(undone)} undos, "
          f"{sum(r['conflicts'] for r in reports)} undos refused (card graded again by the "
          f"other process), {switches} switches between the writers in log order, "
          f"ids reported twice: {len(graded) - len(set(graded))}, "
          f"problems: {len(problems)}")
    for problem in problems[:10]:
        print("   ", problem)


def kills(folder: Path, count: int) -> None:
    path = folder / "killed.sqlite3"
    open_database(path).close()
    rng = random.Random(0)
    committed: set[int] = set()
    undone: set[int] = set()
    reported = in_flight = 0
    for seed in range(count):
        child = subprocess.Popen([sys.executable, str(GRADER), str(path), "30", str(seed),
                                  "--print-each"], stdout=subprocess.PIPE, text=True)
        time.sleep(0.4 + rng.uniform(0.05, 0.5))  # ~0.4 s of it is the interpreter starting
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        lines = out.splitlines()
        for line in lines:
            kind, _, log_id = line.partition(" ")
            if kind == "graded":
                committed.add(int(log_id))
            elif kind == "undone":
                undone.add(int(log_id))
            reported += kind in ("graded", "undone")
        if lines and lines[-1] == "begin":  # killed during a write: it may or may not be in
            in_flight += 1
    expected = committed - undone
    problems = log_problems(path, expected)
    consistent = [p for p in problems if not p.startswith("log ids differ")]
    ids = _log_ids(path)
    missing, extra = expected - ids, ids - expected
    # A write in flight when its process was killed is allowed either way (committed or not),
    # one per such process; anything more is a lost or phantom write.
    unexplained = max(0, len(missing) + len(extra) - in_flight)
    print(f"kills: {count} processes SIGKILLed mid-grading; {reported} writes reported as "
          f"committed, {in_flight} kills landed during a write; log rows missing {len(missing)}, "
          f"extra {len(extra)} (all explained by in-flight writes: {unexplained == 0}); "
          f"history inconsistencies: {len(consistent)}")
    for problem in consistent[:10]:
        print("   ", problem)


def _log_ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("select id from revlog")}
    finally:
        conn.close()


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        two_writers(Path(folder), seconds)
        kills(Path(folder), count)


if __name__ == "__main__":
    main()
