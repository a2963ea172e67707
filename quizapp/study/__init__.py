"""Scheduling with FSRS, the daily queue, study sessions and progress statistics."""

from quizapp.study.clock import DayClock, utc_now
from quizapp.study.queue import DailyQueue, StudySettings, build_queue
from quizapp.study.scheduling import CardScheduler, format_interval
from quizapp.study.session import Counts, StudySession
from quizapp.study.settings import load_settings, save_settings
from quizapp.study.stats import CollectionStats, collection_stats, deck_counts, today_counts

__all__ = [
    "CardScheduler",
    "CollectionStats",
    "Counts",
    "DailyQueue",
    "DayClock",
    "StudySession",
    "StudySettings",
    "build_queue",
    "collection_stats",
    "deck_counts",
    "format_interval",
    "load_settings",
    "save_settings",
    "today_counts",
    "utc_now",
]
