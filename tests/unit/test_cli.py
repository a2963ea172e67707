"""The commands other checks rely on: check, smoke, stats, demo, quiz, optimize, export, import."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from simulated_learner import Row, simulate, write_csv

from quizapp import __version__
from quizapp.content import default_content_dir, load_library
from quizapp.interop.review_csv import export_id

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def run(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    extra = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run([sys.executable, str(MAIN), *args, *extra], capture_output=True,
                          text=True, timeout=180, env=env)


@pytest.mark.parametrize("where", ["repo", "elsewhere"])
def test_version_prints_the_package_version(tmp_path: Path, where: str) -> None:
    result = subprocess.run([sys.executable, str(MAIN), "--version"], capture_output=True,
                            text=True, timeout=60,
                            cwd=MAIN.parent if where == "repo" else tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"quizapp {__version__}\n"


def test_check_passes_on_the_bundled_content() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout
    summary = re.fullmatch(r"(\d+) cards in (\d+) decks", result.stdout.strip())
    assert summary is not None, result.stdout
    assert int(summary[1]) >= 90 and int(summary[2]) >= 10


def test_check_reports_a_broken_copy_with_path_and_line(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy, ignore=shutil.ignore_patterns("data"))
    victim = sorted(copy.glob("*/*.md"))[0]
    lines = victim.read_text(encoding="utf-8").splitlines()
    lines[1] = 'id = "unterminated'
    victim.write_text("\n".join(lines), encoding="utf-8")
    result = run("check", "--content", str(copy))
    assert result.returncode == 1
    assert f"{victim}:2: invalid TOML" in result.stdout
    data = json.loads(run("check", "--content", str(copy), "--json").stdout)
    assert data["errors"][0]["path"] == str(victim) and data["errors"][0]["line"] == 2
    assert victim.stem not in {c["id"] for c in data["cards"]}


def test_check_json_shape() -> None:
    data = json.loads(run("check", "--json").stdout)
    assert set(data) == {"decks", "cards", "errors"}
    assert sum(d["cards"] for d in data["decks"]) == len(data["cards"])
    assert set(data["decks"][0]) == {"id", "title", "cards"}
    assert set(data["decks"][0]["title"]) == {"ko", "en"}


@pytest.mark.gui
def test_smoke_demo_also_draws_a_demo_the_gallery_and_a_formula(tmp_path: Path) -> None:
    result = run("smoke", "--demo", "mnist-mlp", data_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("first card shown after ")
    assert any(re.fullmatch(r"demo mnist-mlp: \d+ steps drawn in its window .*", x)
               for x in lines)
    assert any(re.fullmatch(r"gallery: (\d+)/\1 demo pictures", x) for x in lines)
    assert "formula: drawn by mathtext" in lines
    assert "does not support" not in result.stderr  # offscreen noise stays filtered


def test_smoke_unknown_demo_exits_2_before_grading(tmp_path: Path) -> None:
    result = run("smoke", "--demo", "no-such-demo", data_dir=tmp_path)
    assert result.returncode == 2 and "unknown demo 'no-such-demo'" in result.stderr
    assert not (tmp_path / "progress.sqlite3").exists()


@pytest.mark.gui
def test_two_smoke_runs_leave_two_reviews(tmp_path: Path) -> None:
    for expected in (1, 2):
        result = run("smoke", data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        shown = [line for line in result.stdout.splitlines() if line.startswith("first card")]
        assert shown and shown[0].endswith(" ms") and int(shown[0].split()[-2]) > 0
        output = run("stats", "--json", data_dir=tmp_path).stdout
        assert output.endswith("}\n")  # one JSON object on one line, newline-terminated
        stats = json.loads(output)
        assert stats["reviews_total"] == expected and stats["reviews_today"] == expected
    assert set(stats) == {"cards", "new", "learning", "review", "due_now", "reviews_total",
                          "reviews_today", "quiz_answers", "interviews", "true_retention",
                          "forecast", "heatmap", "streak_days", "weak_topics",
                          "fsrs_parameters"}
    assert len(stats["forecast"]) == 30 and len(stats["heatmap"]) == 365
    assert stats["true_retention"]["all_time"] is None  # two new cards: no review answers yet
    assert len(stats["fsrs_parameters"]) == 21
    assert (stats["quiz_answers"], stats["interviews"]) == (0, 0)
    assert stats["new"] == stats["cards"] - 2


def test_stats_reports_an_unreadable_database(tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").write_text("not sqlite" * 100)
    result = run("stats", "--json", data_dir=tmp_path)
    assert result.returncode == 1
    assert "progress.sqlite3: not a QuizApp progress database" in result.stderr
    assert "Traceback" not in result.stderr


def test_data_dir_environment_variable(tmp_path: Path) -> None:
    env = {**os.environ, "QUIZAPP_DATA_DIR": str(tmp_path / "env")}
    subprocess.run([sys.executable, str(MAIN), "stats", "--json"], env=env, check=True,
                   capture_output=True, timeout=120)
    assert (tmp_path / "env" / "progress.sqlite3").exists()


def test_the_bundle_keeps_matplotlibs_font_list_in_the_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.cli import main

    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "per-run temporary folder"))
    assert main(["stats", "--json", "--data-dir", str(tmp_path / "data")]) == 0
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "per-run temporary folder")  # a checkout
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert main(["stats", "--json", "--data-dir", str(tmp_path / "data")]) == 0
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "data" / "cache" / "matplotlib")


def test_demo_list_prints_id_and_both_titles() -> None:
    result = run("demo", "--list")
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert ["optimizer-race", "옵티마이저 경주: 2차원 손실 지형",
            "Optimizer race on 2-D loss surfaces"] in rows
    assert all(len(row) == 3 for row in rows)


def test_demo_renders_headless(tmp_path: Path) -> None:
    out = tmp_path / "race.png"
    result = run("demo", "optimizer-race", "--set", "surface=beale", "--set", "lr=0.01",
                 "--steps", "30", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(("args", "message"), [
    (["nope"], "unknown demo 'nope'"),
    (["optimizer-race", "--set", "speed=3"], "unknown parameter 'speed'"),
    (["optimizer-race", "--set", "lr=9"], "lr=9.0 is out of range [0.0001, 0.2]"),
    (["optimizer-race", "--set", "surface=moon"], "is not one of: ravine, rosenbrock"),
    (["optimizer-race", "--set", "lr=fast"], "expected float in [0.0001, 0.2]"),
])
def test_demo_bad_arguments_exit_2_saying_what_is_allowed(tmp_path: Path, args: list[str],
                                                          message: str) -> None:
    result = run("demo", *args, "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_check_validates_demo_references(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy, ignore=shutil.ignore_patterns("data"))
    victim = next(p for p in sorted(copy.glob("*/*.md"))
                  if "[demo]" not in p.read_text(encoding="utf-8"))
    text = victim.read_text(encoding="utf-8")
    head, _, body = text.partition("\n+++\n")
    victim.write_text(head + '\n[demo]\nid = "optimizer-race"\nparams = { lr = 3.0 }\n+++\n'
                      + body, encoding="utf-8")
    result = run("check", "--content", str(copy))
    assert result.returncode == 1
    assert "demo 'optimizer-race': lr=3.0 is out of range [0.0001, 0.2]" in result.stdout


@pytest.mark.gui
def test_plain_main_starts_the_gui_with_options(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with pytest.raises(subprocess.TimeoutExpired):  # the event loop is running: still up
        subprocess.run([sys.executable, str(MAIN), "--data-dir", str(tmp_path)], env=env,
                       capture_output=True, timeout=8)
    assert (tmp_path / "progress.sqlite3").exists()


def test_quiz_score_prints_the_contract_json() -> None:
    result = run("quiz", "score", "reg-dropout", "--lang", "ko", "--answer",
                 "드롭아웃은 앙상블처럼 동작하고, 추론 때는 끕니다", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"card", "lang", "score", "keywords"}
    assert (data["card"], data["lang"]) == ("reg-dropout", "ko") and 0 < data["score"] <= 1
    assert all(set(k) == {"term", "found", "evidence"} for k in data["keywords"])
    found = [k for k in data["keywords"] if k["found"]]
    assert found and all(k["evidence"] for k in found)
    assert all(k["evidence"] is None for k in data["keywords"] if not k["found"])


@pytest.mark.parametrize(("args", "message"), [
    (["nope", "--lang", "ko"], "unknown card 'nope'"),
    (["reg-dropout", "--lang", "fr"], "--lang must be ko or en"),
])
def test_quiz_score_bad_card_or_language_exits_2(args: list[str], message: str) -> None:
    result = run("quiz", "score", *args, "--answer", "x")
    assert result.returncode == 2 and message in result.stderr


OPTIMIZE_KEYS = {"reviews_used", "log_loss_before", "log_loss_after", "rmse_before",
                 "rmse_after", "parameters", "saved"}


def test_import_optimize_export_on_a_simulated_learner(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # study days as the simulated learner keeps them
    library = load_library(default_content_dir())
    learner = write_csv(tmp_path / "learner.csv",
                        simulate([export_id(card.id) for card in library.cards[:120]]))
    answers = len(learner.read_text().splitlines()) - 1
    data = tmp_path / "data"

    result = run("import", str(learner), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"imported {answers} reviews of 120 cards; 0 rows were already "
                             "in the log\n")

    result = run("optimize", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == OPTIMIZE_KEYS and report["saved"] is True
    assert report["reviews_used"] == answers and len(report["parameters"]) == 21
    assert report["log_loss_after"] < report["log_loss_before"]
    assert report["rmse_after"] < report["rmse_before"]
    # (importing twice, a second optimize and reviews_total: tests/unit/interop and study)

    out = tmp_path / "out.csv"
    result = run("export", "--reviews", str(out), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"exported {answers} reviews of 120 cards to {out}\n"
    assert out.read_bytes() == learner.read_bytes()  # the same log, row for row


def test_optimize_with_too_little_history_changes_nothing(tmp_path: Path) -> None:
    result = run("optimize", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {"reviews_used": 0, "log_loss_before": None, "log_loss_after": None,
                      "rmse_before": None, "rmse_after": None,
                      "parameters": report["parameters"], "saved": False}
    assert len(report["parameters"]) == 21
    assert "not enough history" in result.stderr and "Nothing was changed" in result.stderr
    text = run("optimize", data_dir=tmp_path)
    assert text.returncode == 0 and text.stdout.startswith("not enough history")


def test_import_refuses_a_bad_file_line_by_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = write_csv(tmp_path / "good.csv", [Row(7, 1772443815123, 3, 0, 1500)])
    assert run("import", str(good), data_dir=data).returncode == 0
    def files() -> dict[str, bytes]:
        return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}

    before = files()
    bad = tmp_path / "bad.csv"
    bad.write_text("card_id,review_time,review_rating,review_state,review_duration\n"
                   "7,1772443900000,3,2,1200\n7,1772443999000,5,2,1200\n"
                   "8,soon,3,0,1200\n", encoding="utf-8")
    result = run("import", str(bad), data_dir=data)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:3: review_rating 5 is not 1-4 (Again, Hard, Good, Easy)",
        f"{bad}:4: review_time 'soon' is not a whole number",
        f"error: {bad}: nothing was imported",
    ]
    assert files() == before
    missing = tmp_path / "short.csv"
    missing.write_text("card_id,review_time,review_rating\n7,1772443900000,3\n")
    result = run("import", str(missing), data_dir=data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{missing}:1: missing columns review_state, "
                                    "review_duration")
