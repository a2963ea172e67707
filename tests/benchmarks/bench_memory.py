"""Benchmark: memory (resident set size) of the app with the review screen, and with a demo open.

Run: ``python tests/benchmarks/bench_memory.py [--demo ID ...] [--content DIR] [--data-dir DIR]``.

For each demo, a fresh process (offscreen unless ``QT_QPA_PLATFORM`` is set) opens the real main
window on the content (the shipped cards unless ``--content``) and a data folder (a fresh one
unless ``--data-dir``), shows the first card and waits for the work queued after the first
paint, then reads ``VmRSS`` (and ``VmHWM``, the peak) from ``/proc/self/status``; then it opens
the demo in its window, lets it run for 3 s with the window painting, and reads them again, for
the window's process and its demo worker process together.
Targets (issue 14): review screen < 150 MB, with a demo open < 250 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_REVIEW_MB = 150
TARGET_DEMO_MB = 250
DEFAULT_DEMOS = ("adam-vs-sgd", "mnist-mlp", "cnn-vs-mlp", "attention-weights")


def process_memory(pid: int | str = "self") -> dict[str, float]:
    """VmRSS, VmHWM and Pss (shared pages divided among the processes sharing them) of one
    process in MB."""
    values = {}
    for name, keys in (("status", ("VmRSS", "VmHWM")), ("smaps_rollup", ("Pss",))):
        with open(f"/proc/{pid}/{name}", encoding="ascii") as lines:
            for line in lines:
                key, _, rest = line.partition(":")
                if key in keys:
                    values[key] = int(rest.split()[0]) / 1024
    return values


def child_pids(pid: int) -> list[int]:
    """Every process started by ``pid``, their children included (the demo's worker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *child_pids(int(child))]
    return found


def memory() -> dict[str, float]:
    """This process's VmRSS and VmHWM, and the same summed over it and its child processes
    (``total_*``): a demo's model runs in a worker process, which the user's memory pays for
    too."""
    own = process_memory()
    workers = [process_memory(pid) for pid in child_pids(os.getpid())]
    return {**own, "workers": len(workers),
            "total_VmRSS": own["VmRSS"] + sum(w["VmRSS"] for w in workers),
            "total_VmHWM": own["VmHWM"] + sum(w["VmHWM"] for w in workers),
            "total_Pss": own["Pss"] + sum(w["Pss"] for w in workers)}


def child(demo_id: str, content: str | None, data_dir: str) -> None:
    """Runs in its own process: prints one JSON line of figures."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QTimer

    from quizapp.ui.app import application, create_window

    app = application()
    window = create_window(content, data_dir)
    window.show()
    window.open_study()
    app.processEvents()

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle(1500)  # what runs after the first paint (demo links, math images) has run
    review = memory()
    loaded_after_review = sorted(m for m in ("matplotlib", "numpy", "quizapp.demos",
                                             "sqlite_utils", "fsrs") if m in sys.modules)
    demo = window.open_demo(demo_id)
    demo.set_running(True)  # type: ignore[attr-defined]
    settle(3000)  # the model runs in its worker and the window paints, as a user watches
    with_demo = memory()
    demo.close()
    print(json.dumps({"demo": demo_id, "review": review, "demo_open": with_demo,
                      "modules_with_review_screen": loaded_after_review}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="append", help="demo id (repeatable)")
    parser.add_argument("--content", help="content folder (default: the shipped)")
    parser.add_argument("--data-dir", help="data folder (default: a fresh one)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.content, args.data_dir)
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    worst_review = worst_demo = 0.0
    print(f"load average {os.getloadavg()}")
    for demo_id in args.demo or DEFAULT_DEMOS:
        with tempfile.TemporaryDirectory() as tmp:
            command = [sys.executable, __file__, "--child", demo_id,
                       "--data-dir", args.data_dir or tmp]
            if args.content:
                command += ["--content", args.content]
            result = subprocess.run(command, capture_output=True, text=True, env=env,
                                    timeout=600, cwd=ROOT)
        if result.returncode != 0:
            print(result.stdout, result.stderr)
            return 2
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        review, demo = figures["review"], figures["demo_open"]
        worst_review = max(worst_review, review["VmRSS"])
        worst_demo = max(worst_demo, demo["total_VmRSS"], demo["total_VmHWM"])
        print(f"{demo_id:18} review screen: RSS {review['VmRSS']:.0f} MB (peak "
              f"{review['VmHWM']:.0f}); demo open and stepped: RSS {demo['total_VmRSS']:.0f} MB "
              f"= window {demo['VmRSS']:.0f} + {demo['workers']} worker process(es) "
              f"{demo['total_VmRSS'] - demo['VmRSS']:.0f} (peaks {demo['total_VmHWM']:.0f}; "
              f"PSS {demo['total_Pss']:.0f}); "
              "loaded with the review screen: "
              f"{', '.join(figures['modules_with_review_screen']) or '-'}")
    print(f"review screen: {worst_review:.0f} MB (target < {TARGET_REVIEW_MB}); with a demo: "
          f"{worst_demo:.0f} MB at most, peak included (target < {TARGET_DEMO_MB}); "
          f"load average {os.getloadavg()}")
    return 0 if worst_review < TARGET_REVIEW_MB and worst_demo < TARGET_DEMO_MB else 1


if __name__ == "__main__":
    sys.exit(main())
