"""Benchmark: how long until the first card is on screen, against a bare PySide6 window.

Run: ``python tests/benchmarks/bench_startup.py [--rounds N] [--content DIR]``.

Each round runs, one after the other in fresh processes (offscreen, ``QT_QPA_PLATFORM=offscreen``
unless set):

- ``main.py smoke --data-dir <fresh folder>`` — a new data folder every round, so a new database
  and no content cache (a user's very first start); it prints ``first card shown after N ms``,
  counted from process start (``/proc/self/stat``);
- the same with the data folder of the previous *warm* run (the content cache and the database
  already there: every later start);
- a bare PySide6 window: one ``QLabel``, shown, its first paint, then quit, timed the same way
  from process start.

The three alternate, so a change of load on the machine affects them alike. It prints each
median and the ratios first card / bare window (target: <= 1.5).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 1.5

#: A bare window, timed as smoke times the first card: shown, events processed, then the age of
#: the process; the label's paintEvent proves it was painted.
BARE_WINDOW = textwrap.dedent("""
    import os, sys, time
    from PySide6.QtWidgets import QApplication, QLabel

    def process_age_ms():
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return (up - int(fields[19]) / ticks) * 1000

    class Label(QLabel):
        painted = False
        def paintEvent(self, event):
            Label.painted = True
            super().paintEvent(event)

    app = QApplication(sys.argv[:1])
    label = Label("카드 한 장 / one card")
    label.resize(400, 200)
    label.show()
    app.processEvents()
    if not Label.painted:
        label.repaint()
    print(f"bare window shown after {process_age_ms():.0f} ms (painted: {Label.painted})")
""")

SMOKE_LINE = re.compile(r"first card shown after (\d+) ms")
BARE_LINE = re.compile(r"bare window shown after (\d+) ms \(painted: True\)")


def run(command: list[str], pattern: re.Pattern[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=300)
    match = pattern.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n"
                         f"{result.stdout}\n{result.stderr}")
    return float(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--content", type=Path, help="content folder (default: the shipped)")
    args = parser.parse_args()
    content = ["--content", str(args.content)] if args.content else []
    smoke = [sys.executable, str(ROOT / "main.py"), "smoke", *content]
    fresh: list[float] = []
    warm: list[float] = []
    bare: list[float] = []
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        warm_dir = Path(tmp) / "warm"
        run([*smoke, "--data-dir", str(warm_dir)], SMOKE_LINE)  # the first start: not counted
        for n in range(args.rounds):
            fresh.append(run([*smoke, "--data-dir", str(Path(tmp) / f"fresh{n}")], SMOKE_LINE))
            warm.append(run([*smoke, "--data-dir", str(warm_dir)], SMOKE_LINE))
            bare.append(run([sys.executable, "-c", BARE_WINDOW], BARE_LINE))
            print(f"round {n + 1}: first card {fresh[-1]:.0f} ms (fresh data folder), "
                  f"{warm[-1]:.0f} ms (warm), bare window {bare[-1]:.0f} ms")
    bare_ms = statistics.median(bare)
    ok = True
    print(f"\nmedians over {args.rounds} rounds: bare window {bare_ms:.0f} ms")
    for name, times in (("fresh data folder", fresh), ("warm data folder", warm)):
        ratio = statistics.median(times) / bare_ms
        ok = ok and ratio <= TARGET_RATIO
        print(f"first card, {name}: {statistics.median(times):.0f} ms = {ratio:.2f}x the bare "
              f"window (target <= {TARGET_RATIO}x): "
              f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    print(f"load average at end: {os.getloadavg()} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
