"""Build the one-folder desktop bundle: ``python packaging/build.py`` -> ``dist/quizapp/``.

The executable is ``dist/quizapp/quizapp`` (``quizapp.exe`` on Windows); it takes every command
``main.py`` takes. Needs the ``bundle`` extra (``pip install -e ".[bundle]"``); what goes in is
in ``packaging/quizapp.spec``. Prints the build time, the bundle's size and what takes the space,
and fails when a library the bundle links to is missing (Linux, with ``ldd``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "quizapp.spec"
NAME = "quizapp"
SIZE_BUDGET_MB = 350  # Linux
MB = 1024 * 1024


def executable(bundle: Path) -> Path:
    return bundle / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the bundle folder goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--clean", action="store_true",
                        help="empty PyInstaller's cache and work folder first")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("PyInstaller") is None:
        print('error: PyInstaller is missing; install the bundle extra: '
              'pip install -e ".[bundle]"', file=sys.stderr)
        return 2

    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work), str(SPEC)]
    if args.clean:
        command.insert(3, "--clean")
    print("$ " + " ".join(command), flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"error: PyInstaller failed (status {result.returncode})", file=sys.stderr)
        return result.returncode

    bundle = args.dist / NAME
    exe = executable(bundle)
    if not exe.is_file():
        print(f"error: {exe} was not built", file=sys.stderr)
        return 1
    missing = missing_libraries(bundle)
    report_size(bundle)
    print(f"executable: {exe}")
    print(f"build time: {elapsed:.0f} s")
    if missing:
        print("error: the bundle misses what it links to:\n  "
              + "\n  ".join(missing), file=sys.stderr)
        return 1
    return 0


def tree_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def report_size(bundle: Path) -> None:
    """Print the total, the biggest parts (folders one or two levels down) and files."""
    total = tree_size(bundle)
    internal = bundle / "_internal"
    parts: list[tuple[int, str]] = []
    for child in (internal.iterdir() if internal.is_dir() else bundle.iterdir()):
        split = {"PySide6": ["Qt/lib", "Qt/plugins"], "matplotlib": ["mpl-data"]}
        inner = [child / sub for sub in split.get(child.name, []) if (child / sub).exists()]
        rest = tree_size(child) - sum(tree_size(p) for p in inner)
        parts.extend((tree_size(p), str(p.relative_to(bundle))) for p in inner)
        parts.append((rest, str(child.relative_to(bundle)) + (" (rest)" if inner else "")))
    parts.sort(reverse=True)
    print("biggest parts:")
    for size, name in parts[:14]:
        print(f"  {size / MB:7.1f} MB  {name}")
    files = sorted(((p.stat().st_size, p) for p in bundle.rglob("*")
                    if p.is_file() and not p.is_symlink()),  # PyInstaller links Qt's libs
                   key=lambda item: item[0], reverse=True)
    print("biggest files:")
    for size, path in files[:10]:
        print(f"  {size / MB:7.1f} MB  {path.relative_to(bundle)}")
    print(f"bundle size: {total / MB:.0f} MB in {len(files)} files ({bundle})")
    if sys.platform.startswith("linux") and total > SIZE_BUDGET_MB * MB:
        print(f"warning: the bundle is over the {SIZE_BUDGET_MB} MB budget", file=sys.stderr)


#: Libraries that come with the Python packages (Qt, PySide6, Python itself): one of these
#: missing means the spec left out too much. Any other library missing is a system library this
#: build machine lacks (e.g. libxcb-cursor0): the bundle then uses the user's, as the checkout does.
OURS = ("libQt6", "libpyside6", "libshiboken6", "libpython", "libicu")


def missing_libraries(bundle: Path) -> list[str]:
    """Libraries from the Python packages that a bundled library links to but that the bundle
    lacks, and symbolic links that point nowhere: errors. Linux with ``ldd`` only. System
    libraries that neither the bundle nor this machine has are printed as a warning. The
    Wayland plugins are skipped: they need the system's Wayland libraries."""
    broken = [f"{p.relative_to(bundle)} (a link to nothing)" for p in bundle.rglob("*")
              if p.is_symlink() and not p.exists()]
    ldd = shutil.which("ldd")
    if not sys.platform.startswith("linux") or ldd is None:
        return broken
    folders = sorted({str(p.parent) for p in bundle.rglob("*.so*")})
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(folders)}
    missing: dict[str, set[str]] = {}
    for library in sorted(bundle.rglob("*.so*")):
        where = str(library.relative_to(bundle))
        if any(word in where.lower() for word in ("wayland", "wlshell")):
            continue
        out = subprocess.run([ldd, str(library)], capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            if "not found" in line:
                missing.setdefault(line.split()[0], set()).add(library.name)
    system = sorted(name for name in missing if not name.startswith(OURS))
    if system:
        print("warning: system libraries this machine lacks, so the bundle does not carry them "
              "(the user's system must have them): "
              + ", ".join(f"{name} (for {', '.join(sorted(missing[name]))})" for name in system),
              file=sys.stderr)
    return broken + [f"{name} (needed by {', '.join(sorted(missing[name]))})"
                     for name in sorted(missing) if name.startswith(OURS)]


if __name__ == "__main__":
    raise SystemExit(main())
