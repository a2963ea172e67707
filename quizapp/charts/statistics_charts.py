"""Statistics charts: each draws one figure of ``study.statistics.Statistics`` on a given
matplotlib ``Figure`` (no pyplot, no Qt), in Korean or English. The statistics screen shows them
on a Qt canvas; ``stats --out`` saves them as PNGs — the same renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, cast

import numpy as np

from quizapp.study.statistics import RETENTION_PERIODS, STATE_NAMES, Retention, Statistics

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE, RED, GREEN, ORANGE, GREY, PURPLE = ("#0969da", "#cf222e", "#1a7f37", "#bc4c00", "#6e7781",
                                          "#8250df")
STATE_COLORS = {"new": BLUE, "learning": RED, "review": GREEN, "relearning": ORANGE}


def tr(lang: str, ko: str, en: str) -> str:
    return ko if lang == "ko" else en


@dataclass(frozen=True)
class Chart:
    name: str  # file name stem for `stats --out`
    title_ko: str
    title_en: str
    draw: Callable[[Figure, Statistics, str], None]
    size: tuple[float, float] = (10.0, 5.0)  # inches

    def title(self, lang: str) -> str:
        return tr(lang, self.title_ko, self.title_en)


def draw_calendar(figure: Figure, stats: Statistics, lang: str) -> None:
    """Reviews per day over the last year, as a week-by-weekday calendar, with the streaks."""
    ax = figure.add_subplot()
    days = sorted(stats.heatmap)
    first = days[0] - timedelta(days=days[0].weekday())  # a Monday
    weeks = (days[-1] - first).days // 7 + 1
    grid = np.full((7, weeks), np.nan)
    for day in days:
        offset = (day - first).days
        grid[offset % 7, offset // 7] = stats.heatmap[day]
    counts = np.ma.masked_invalid(np.where(grid == 0, np.nan, grid))
    ax.imshow(np.zeros_like(grid), cmap="Greys", vmin=0, vmax=10, aspect="equal")
    image = ax.imshow(counts, cmap="Greens", aspect="equal", vmin=0,
                      vmax=max(1.0, float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0))
    ax.set_yticks((0, 2, 4), [tr(lang, "월", "Mon"), tr(lang, "수", "Wed"),
                              tr(lang, "금", "Fri")])
    month_starts = [(i, first + timedelta(weeks=i)) for i in range(weeks)
                    if (first + timedelta(weeks=i)).day <= 7]
    ax.set_xticks([i for i, _ in month_starts],
                  [f"{d.month}월" if lang == "ko" else d.strftime("%b") for _, d in month_starts])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # A small colour bar under the calendar's right end (axes coordinates follow the cells).
    bar = figure.colorbar(image, cax=ax.inset_axes((0.75, -0.32, 0.25, 0.07)),
                          orientation="horizontal")
    bar.set_label(tr(lang, "하루 복습 수", "reviews a day"), fontsize=9)
    total = sum(stats.heatmap.values())
    ax.set_title(tr(lang, f"지난 1년 복습 {total}회 · 현재 연속 {stats.current_streak}일 · "
                          f"최장 연속 {stats.longest_streak}일",
                    f"{total} reviews in the last year · current streak "
                    f"{_days(stats.current_streak)} · longest {_days(stats.longest_streak)}"))


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def draw_forecast(figure: Figure, stats: Statistics, lang: str) -> None:
    """Cards due per day: the next 30 days, and the next year by week."""
    month, year = figure.subplots(1, 2, width_ratios=(1, 1.4))
    month.bar(range(30), stats.forecast, color=BLUE)
    if stats.overdue:
        month.bar([0], [stats.overdue], color=RED,
                  label=tr(lang, f"밀린 카드 {stats.overdue}장", f"{stats.overdue} overdue"))
        month.legend(loc="upper right")
    month.set_xlabel(tr(lang, "오늘부터 며칠 뒤", "days from today"))
    month.set_ylabel(tr(lang, "만기 카드", "cards due"))
    month.set_title(tr(lang, "앞으로 30일", "next 30 days"))
    weekly = [sum(stats.forecast_year[i:i + 7]) for i in range(0, 364, 7)]
    year.bar(range(len(weekly)), weekly, color=PURPLE)
    year.set_xlabel(tr(lang, "몇 주 뒤", "weeks from now"))
    year.set_title(tr(lang, "앞으로 1년 (주별)", "next year (by week)"))
    for ax in (month, year):
        ax.grid(axis="y", alpha=0.3)


def draw_reviews(figure: Figure, stats: Statistics, lang: str) -> None:
    """Answers per day by the card's state before it, and the time spent, over 30/90/365
    days."""
    axes = figure.subplots(2, 3, sharex="col")
    names = {"new": tr(lang, "새 카드", "new"), "learning": tr(lang, "학습", "learning"),
             "review": tr(lang, "복습", "review"), "relearning": tr(lang, "재학습", "relearning")}
    for column, span in enumerate((30, 90, 365)):
        days = [stats.today - timedelta(days=span - 1 - i) for i in range(span)]
        bottom = np.zeros(span)
        count_ax, time_ax = axes[0, column], axes[1, column]
        for state in STATE_NAMES:
            values = np.array([stats.reviews_by_day.get(d, {}).get(state, 0) for d in days])
            count_ax.bar(range(span), values, bottom=bottom, color=STATE_COLORS[state],
                         width=1.0, label=names[state])
            bottom += values
        minutes = [stats.time_by_day.get(d, 0) / 60000 for d in days]
        time_ax.bar(range(span), minutes, color=GREY, width=1.0)
        count_ax.set_title(tr(lang, f"최근 {span}일", f"last {span} days"))
        time_ax.set_xlabel(tr(lang, "며칠 전 → 오늘", "days ago → today"))
        time_ax.set_xticks([0, span - 1], [str(span - 1), "0"])
        for ax in (count_ax, time_ax):
            ax.grid(axis="y", alpha=0.3)
            ax.set_ylim(0, max(ax.get_ylim()[1], 1))  # answers and minutes are never negative
    axes[0, 0].set_ylabel(tr(lang, "복습 수", "answers"))
    axes[1, 0].set_ylabel(tr(lang, "시간 (분)", "time (min)"))
    axes[0, 2].legend(loc="upper left", fontsize=8)


def draw_retention(figure: Figure, stats: Statistics, lang: str) -> None:
    """Anki's true retention table: young, mature and all, per period."""
    ax = figure.add_subplot()
    ax.axis("off")
    periods = {"today": ("오늘", "Today"), "yesterday": ("어제", "Yesterday"),
               "last_7_days": ("최근 7일", "Last 7 days"),
               "last_30_days": ("최근 30일", "Last 30 days"),
               "last_365_days": ("최근 365일", "Last 365 days"),
               "all_time": ("전체", "All time")}

    def cell(counts: tuple[int, int]) -> str:
        rate = Retention.rate(counts)
        return "-" if rate is None else f"{rate:.1%} ({counts[0]}/{counts[1]})"

    rows = [[tr(lang, *periods[p]), cell(stats.retention[p].young),
             cell(stats.retention[p].mature), cell(stats.retention[p].total)]
            for p in RETENTION_PERIODS]
    table = ax.table(cellText=rows, colLabels=[
        tr(lang, "기간", "Period"), tr(lang, "어린 카드 (<21일)", "Young (<21 d)"),
        tr(lang, "성숙 카드 (≥21일)", "Mature (≥21 d)"), tr(lang, "전체", "Total")],
        loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1, 1.8)
    ax.set_title(tr(lang, "실제 기억 유지율: 복습 상태 카드에 '다시'가 아닌 답의 비율",
                    "True retention: answers to review cards not graded Again"))


def draw_memory(figure: Figure, stats: Statistics, lang: str) -> None:
    """Card states, and how stability, difficulty and retrievability are spread."""
    states, stability, difficulty, recall = figure.subplots(1, 4)
    labels = {"new": ("새 카드", "new"), "learning": ("학습 중", "learning"),
              "young": ("어린", "young"), "mature": ("성숙", "mature"),
              "suspended": ("보류", "suspended")}
    values = [stats.states[k] for k in labels]
    states.bar(range(len(values)), values, color=[BLUE, RED, GREEN, "#116329", GREY])
    states.set_xticks(range(len(values)), [tr(lang, *labels[k]) for k in labels], rotation=30)
    states.set_title(tr(lang, "카드 상태", "card states"))
    for ax, data, title, xlabel in (
            (stability, stats.stability_days, ("안정성", "stability"), ("일", "days")),
            (difficulty, stats.difficulty, ("난이도", "difficulty"), ("1-10", "1-10")),
            (recall, stats.retrievability, ("지금 회상 확률", "retrievability now"),
             ("R", "R"))):
        if data:
            # difficulty (1-10) and retrievability (0-1) on their whole scale, even when every
            # card has the same value
            bins = (np.logspace(-1, np.log10(max(max(data), 1.0)) + 0.01, 20)
                    if ax is stability else np.linspace(1, 10, 19) if ax is difficulty
                    else np.linspace(0, 1, 21))
            ax.hist(data, bins=bins, color=GREEN if ax is recall else BLUE)
            if ax is stability:
                ax.set_xscale("log")
            else:
                ax.set_xlim(bins[0], bins[-1])
        else:
            ax.text(0.5, 0.5, tr(lang, "아직 복습 없음", "no reviews yet"), ha="center",
                    va="center", transform=ax.transAxes, color=GREY)
        ax.set_title(tr(lang, *title))
        ax.set_xlabel(tr(lang, *xlabel))


def draw_weak_topics(figure: Figure, stats: Statistics, lang: str) -> None:
    """The weakest decks and tags: Again rate, with lapses and misses beside."""
    ax = figure.add_subplot()
    topics = stats.weak_topics[:12]
    if not topics:
        ax.axis("off")
        ax.text(0.5, 0.5, tr(lang, "복습하거나 퀴즈를 풀면 약한 주제가 여기에 나옵니다",
                             "Weak topics appear here once you review or take a quiz"),
                ha="center", va="center", transform=ax.transAxes, color=GREY)
        return
    names = [stats.deck_titles.get(t.name, (t.name, t.name))[lang == "en"] if t.kind == "deck"
             else f"#{t.name}" for t in reversed(topics)]
    scores = [t.weakness for t in reversed(topics)]
    bars = ax.barh(range(len(topics)), scores, color=RED)
    ax.set_yticks(range(len(topics)), names)
    for bar, topic in zip(bars, reversed(topics), strict=True):
        recall = ("-" if topic.mean_retrievability is None
                  else f"{topic.mean_retrievability:.0%}")
        misses = topic.quiz_misses + topic.interview_misses
        ax.text(bar.get_width() + 0.005, bar.get_y() + bar.get_height() / 2,
                tr(lang, f"  '다시' {topic.again_rate:.0%} · 실수 {topic.lapses} · "
                         f"퀴즈·면접 오답 {misses} · R {recall}",
                   f"  Again {topic.again_rate:.0%} · lapses {topic.lapses} · "
                   f"quiz/interview misses {misses} · R {recall}"),
                va="center", fontsize=8, color=GREY)
    ax.set_xlim(0, max(max(scores) * 2.2, 0.1))  # room for the text beside the longest bar
    ax.set_xlabel(tr(lang, "약점 점수: 보정한 '다시' 비율 + 오답 + 지금 잊은 정도",
                     "Weakness: adjusted Again rate + misses + what is forgotten now"))
    ax.set_title(tr(lang, "약한 주제 (덱과 태그, 나쁜 순)",
                    "Weak topics (decks and tags, worst first)"))


def draw_trends(figure: Figure, stats: Statistics, lang: str) -> None:
    """Quiz accuracy and interview scores per day."""
    ax = figure.add_subplot()
    all_days = [d for d, _, _ in (*stats.quiz_trend, *stats.interview_trend)]
    if all_days:  # a week either side of the days shown, not matplotlib's years around one
        # matplotlib converts dates through its unit registry; its stubs only say float
        ax.set_xlim(cast(float, min(all_days) - timedelta(days=7)),
                    cast(float, max(all_days) + timedelta(days=7)))
    for trend, color, label in ((stats.quiz_trend, BLUE, ("퀴즈 정답률", "quiz: share right")),
                                (stats.interview_trend, PURPLE,
                                 ("모의 면접 평균 점수", "interview: mean score"))):
        if trend:
            days = np.array([d for d, _, _ in trend], dtype="datetime64[D]")
            ax.plot(days, [v for _, v, _ in trend], "o-", color=color, label=tr(lang, *label))
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(tr(lang, "점수 (0-1)", "score (0-1)"))
    ax.grid(alpha=0.3)
    if stats.quiz_trend or stats.interview_trend:
        ax.legend(loc="lower right")
        figure.autofmt_xdate()
    else:
        ax.text(0.5, 0.5, tr(lang, "퀴즈나 모의 면접을 하면 추이가 여기에 나옵니다",
                             "Quiz and interview results appear here"), ha="center",
                va="center", transform=ax.transAxes, color=GREY)
    ax.set_title(tr(lang, "퀴즈와 모의 면접 점수 추이", "Quiz and mock-interview scores"))


CHARTS = (
    Chart("calendar", "복습 달력", "Review calendar", draw_calendar, (10.0, 2.9)),
    Chart("forecast", "만기 예측", "Due forecast", draw_forecast),
    Chart("reviews", "복습 수와 시간", "Reviews and time", draw_reviews),
    Chart("retention", "실제 기억 유지율", "True retention", draw_retention),
    Chart("memory", "카드 상태와 기억", "Card states and memory", draw_memory),
    Chart("weak-topics", "약한 주제", "Weak topics", draw_weak_topics),
    Chart("trends", "퀴즈·면접 추이", "Quiz and interview trends", draw_trends),
)
