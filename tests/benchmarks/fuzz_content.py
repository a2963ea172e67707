"""Fuzz: the content loader over many mutated copies of the shipped cards; prints what broke.

Run: ``python tests/benchmarks/fuzz_content.py [cases]`` (default 5000).

Each case damages one file of a copy of ``content/`` with one of the mutations in
``tests/fuzz_mutations.py`` (byte flips, truncation, invalid UTF-8, TOML values such as inf and
1e999, nesting thousands deep, 100 KB lines, hostile HTML and math, ...), loads the whole copy,
and counts: exceptions raised by the loader, issues without a usable ``path:line``, and cards in
other files that failed to load. All three must be 0.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

from fuzz_mutations import MUTATIONS, apply_mutation  # noqa: E402

from quizapp.content import default_content_dir, load_library  # noqa: E402
from quizapp.demos import demo_ref_problems  # noqa: E402


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(default_content_dir(), root, ignore=shutil.ignore_patterns("data"))
        baseline = load_library(root, validate_demo=demo_ref_problems)
        files = sorted(root.glob("*/*.md")) + sorted(root.glob("*/deck.toml"))
        raised = bad_lines = lost = skipped = 0
        kinds: Counter[str] = Counter()
        start = time.perf_counter()
        for case in range(cases):
            victim = rng.choice(files)
            mutation = rng.choice(sorted(MUTATIONS))
            kinds[mutation] += 1
            original = victim.read_bytes()
            try:
                apply_mutation(victim, original, mutation, case)
                try:
                    library = load_library(root, validate_demo=demo_ref_problems)
                except Exception as err:  # counted: the loader must never raise
                    raised += 1
                    print(f"case {case}: {mutation} on {victim.name} raised {err!r}")
                    continue
                for issue in library.issues:
                    lines = issue.path.read_bytes().count(b"\n") + 1 if issue.path.is_file() else 0
                    if not 1 <= issue.line <= lines:
                        bad_lines += 1
                skipped += victim in library.skipped
                kept = {c.id for c in library.cards}
                lost += sum(1 for c in baseline.cards if c.path != victim
                            and (victim.name != "deck.toml" or c.path is None
                                 or c.path.parent != victim.parent) and c.id not in kept)
            finally:
                victim.write_bytes(original)
        elapsed = time.perf_counter() - start
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{cases} fuzz cases over {len(files)} files ({len(baseline.cards)} cards) in "
          f"{elapsed:.0f} s; mutations: {dict(sorted(kinds.items()))}")
    print(f"loader exceptions: {raised}; issues without a line inside their file: {bad_lines}; "
          f"cards of other files lost: {lost}; mutated files refused (skipped): {skipped}")


if __name__ == "__main__":
    main()
