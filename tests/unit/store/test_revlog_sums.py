"""The review log's sums (m005: per card, per quarter of an hour) stay equal to adding up the
log from scratch, after any mix of grades, undos, history rewrites and raw SQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from revlog_sums import fresh_sums, stored_sums

from quizapp.store import open_store
from quizapp.study.scheduling import CardScheduler

START = datetime(2026, 3, 28, 18, 44, 59, 999_999, tzinfo=UTC)  # near a quarter's end


def test_sums_follow_every_kind_of_write(tmp_path: Path) -> None:
    rng = random.Random(5)
    scheduler = CardScheduler()
    with open_store(tmp_path / "p.sqlite3") as store:
        now = START
        for step in range(300):
            card_id = f"c{rng.randint(0, 12)}"
            roll = rng.random()
            if roll < 0.55:
                store.record_review(card_id, lambda row, c=card_id, at=now: scheduler.review(
                    c, row, rng.choice((1, 2, 3, 4)), at, rng.randint(0, 9000)))
            elif roll < 0.7:
                store.undo_last()
            elif roll < 0.8:  # an answer rewritten (as an import's replay does), another zone
                answers = store.log_rows(card_id)
                zone = rng.choice((timezone(timedelta(hours=9)),
                                   timezone(timedelta(hours=5, minutes=45))))
                if answers:
                    with store.transaction():
                        store.conn.execute(
                            "update revlog set rating = ?, state_before = ?, "
                            "interval_before_s = ?, reviewed_at = ? where id = ?",
                            [rng.choice((1, 3)), rng.choice((None, 0, 1, 2, 3)),
                             rng.choice((None, 0, 86400, 21 * 86400, 90 * 86400)),
                             rng.choice((now.isoformat(), "not a time",
                                         now.astimezone(zone).isoformat(),
                                         (now - timedelta(days=3)).isoformat())),
                             answers[-1]["id"]])
            elif roll < 0.9:
                with store.transaction() as conn:
                    conn.execute("delete from revlog where id in (select id from revlog "
                                 "where card_id = ? order by random() limit 2)", [card_id])
            else:
                with store.transaction() as conn:
                    conn.execute("update revlog set card_id = ? where card_id = ?",
                                 [f"c{rng.randint(0, 12)}", card_id])
            now += timedelta(minutes=rng.choice((0, 1, 14, 15, 61)), microseconds=1)
            if step % 25 == 0:
                assert stored_sums(store.conn) == fresh_sums(store.conn), step
        assert stored_sums(store.conn) == fresh_sums(store.conn)
        cards, quarters = stored_sums(store.conn)
        assert sum(v[0] for v in cards.values()) == sum(v[0] for v in quarters.values()) == \
            store.review_count()
