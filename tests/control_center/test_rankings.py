"""Weekly rankings: every figure and rank of a known week, checked against values computed by hand;
snapshots and revisions. (The known week is `world`, from rankings_world.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from control_center import jobs
from control_center.models import RankingSnapshot, RankingWeights
from control_center.rankings import Week, compute, snapshot_week
from tasks.services import instruction_submit_feedback
from tests.control_center.rankings_world import SNAPSHOT_AT, WEEK, at, rows_by_code
from tests.factories import GOOD_ANSWERS, StationFactory

pytestmark = pytest.mark.django_db


def test_the_week_runs_from_monday_midnight_to_the_next_in_shanghai_time():
    assert WEEK.start.isoformat() == "2026-03-02T00:00:00+08:00"
    assert WEEK.end.isoformat() == "2026-03-09T00:00:00+08:00"
    assert WEEK.label == "2026-W10"
    assert Week.of(at(7, 23, 59)) == WEEK
    assert Week.of(at(8, 0)) == WEEK.shift(1)
    assert Week.parse("2026-W53").monday == dt.date(2026, 12, 28)
    for wrong in ("2026-48", "2025-W53", "2026-W00"):
        with pytest.raises(ValueError, match=r"."):
            Week.parse(wrong)


def test_every_figure_of_a_police_station_matches_the_hand_count(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    assert rows["home"]["metrics"] == {
        "received": 4,
        "sign_off_due": 4,
        "signed_on_time": 3,
        "sign_off_on_time_pct": 75.0,
        "sign_off_median_minutes": 12.5,  # of 5, 10, 15, 40
        "feedback_due": 4,
        "feedback_on_time": 3,
        "feedback_on_time_pct": 75.0,
        "overdue": 1,
        "feedback_given": 4,
        "returned": 1,
        "revisits": 1,
        "revisits_done": 1,
        "standard_tasks_due": 1,
        "standard_tasks_on_time": 1,
        "standard_tasks_on_time_pct": 100.0,
    }
    assert rows["neighbour"]["metrics"] == {
        "received": 5,
        "sign_off_due": 4,  # the cancelled one is left out
        "signed_on_time": 3,  # signed at the due minute counts as on time
        "sign_off_on_time_pct": 75.0,
        "sign_off_median_minutes": 20.0,  # of 10, 20, 30
        "feedback_due": 2,  # the 24-hour one is not due at the snapshot
        "feedback_on_time": 2,
        "feedback_on_time_pct": 100.0,
        "overdue": 1,  # never signed off
        "feedback_given": 2,
        "returned": 0,
        "revisits": 1,
        "revisits_done": 0,
        "standard_tasks_due": 1,  # issued the week before, due in this one
        "standard_tasks_on_time": 0,
        "standard_tasks_on_time_pct": 0.0,
    }
    third = rows["third"]["metrics"]
    assert (third["sign_off_on_time_pct"], third["sign_off_median_minutes"]) == (50.0, 22.5)
    # The returned one's latest feedback was in time, but it had missed its first deadline.
    assert (third["feedback_due"], third["feedback_on_time"], third["overdue"], third["returned"]) == (2, 1, 2, 1)


def test_patrol_posts_also_count_alerts_and_their_acknowledgement(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    p, q = rows["post-p"]["metrics"], rows["post-q"]["metrics"]
    assert (p["alerts"], p["alerts_acknowledged"], p["alerts_acknowledged_pct"], p["acknowledge_avg_minutes"]) == (
        2,
        2,
        100.0,
        4.0,
    )
    assert (p["received"], p["sign_off_on_time_pct"], p["sign_off_median_minutes"]) == (3, 100.0, 6.0)
    assert (p["feedback_on_time_pct"], p["overdue"]) == (66.7, 1)
    assert (q["alerts"], q["alerts_due"], q["alerts_acknowledged"], q["alerts_acknowledged_pct"]) == (2, 2, 1, 50.0)
    assert (q["acknowledge_avg_minutes"], q["overdue"], q["sign_off_on_time_pct"]) == (45.0, 2, 0.0)
    assert "alerts" not in rows["home"]["metrics"]


def test_scores_and_ranks_within_each_kind_match_the_hand_count(world):
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    # A: (20×75 + 10×58.3 + 20×75 + 15×75 + 10×75 + 10×100 + 15×100) / 100; speed 100 × (1 − 12.5/30)
    assert rows["home"]["components"]["sign_off_speed"] == 58.3
    assert rows["home"]["score"] == 79.6
    # B: (20×75 + 10×33.3 + 20×100 + 15×80 + 10×100 + 10×0 + 15×0) / 100
    assert rows["neighbour"]["score"] == 60.3
    # C: (20×50 + 10×25 + 20×50 + 15×0 + 10×50) / 75; no revisit, no standard task: their weights drop out
    assert rows["third"]["score"] == 36.7
    # P: (20×100 + 10×80 + 20×66.7 + 15×66.7 + 10×100 + 20×100 + 10×86.7) / 105
    assert rows["post-p"]["score"] == 85.7
    # Q: (20×0 + 10×0 + 20×100 + 15×0 + 10×100 + 20×50 + 10×0) / 105
    assert rows["post-q"]["score"] == 38.1
    assert [
        (r["station"], r["rank"]) for r in compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict())
    ] == [
        ("home", 1),
        ("neighbour", 2),
        ("third", 3),
        ("post-p", 1),
        ("post-q", 2),
    ]


def test_the_weights_come_from_the_admin_row(world):
    weights = RankingWeights.current()
    weights.sign_off_speed = weights.revisits = weights.standard_tasks = 0
    weights.save()
    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=weights.as_dict()))
    # A: (20×75 + 20×75 + 15×75 + 10×75) / 65
    assert rows["home"]["score"] == 75.0


def test_a_unit_without_instructions_has_no_score_and_no_rank(world):
    StationFactory(code="quiet", name="安静派出所")
    rows = compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict())
    quiet = rows_by_code(rows)["quiet"]
    assert (quiet["score"], quiet["rank"], quiet["metrics"]["received"]) == (None, None, 0)
    assert [r["station"] for r in rows if r["kind"] == "police_station"][-1] == "quiet"


def test_the_ranking_is_three_queries_whatever_the_number_of_instructions(world, django_assert_num_queries):
    weights = RankingWeights.current().as_dict()
    with django_assert_num_queries(3):
        compute(WEEK, as_of=SNAPSHOT_AT, weights=weights)


# --- snapshots and revisions ----------------------------------------------------------------------


def test_a_late_feedback_after_the_snapshot_makes_a_new_revision_and_leaves_the_first_intact(world, cast):
    first, created = snapshot_week(week=WEEK, now=SNAPSHOT_AT)
    assert (created, first.revision, first.generated_by) == (True, 1, None)
    stored = [dict(r) for r in first.rows]
    again, created = snapshot_week(week=WEEK, now=SNAPSHOT_AT + dt.timedelta(hours=1))
    assert (created, again.pk) == (False, first.pk)  # nothing changed: no new revision

    # B's 24-hour feedback was due Monday 23:20; it arrives on Tuesday at 00:00, 40 minutes late.
    instruction_submit_feedback(instruction=world.late, actor=world.b.officer.user, answers=GOOD_ANSWERS, now=at(9, 0))
    second, created = snapshot_week(week=WEEK, actor=cast.supervisor.user, reason="迟到的反馈", now=at(9, 1))
    assert (created, second.revision, second.generated_by, second.reason) == (
        True,
        2,
        cast.supervisor.user,
        "迟到的反馈",
    )

    first.refresh_from_db()
    assert first.rows == stored
    before, after = rows_by_code(first.rows)["neighbour"], rows_by_code(second.rows)["neighbour"]
    assert (before["metrics"]["feedback_due"], before["metrics"]["feedback_on_time_pct"], before["score"]) == (
        2,
        100.0,
        60.3,
    )
    # (20×75 + 10×33.3 + 20×66.7 + 15×60 + 10×100 + 10×0 + 15×0) / 100
    assert (after["metrics"]["feedback_due"], after["metrics"]["feedback_on_time_pct"]) == (3, 66.7)
    assert (after["metrics"]["overdue"], after["score"]) == (2, 50.7)
    assert RankingSnapshot.objects.filter(week_start=WEEK.monday).count() == 2


def test_a_running_week_is_not_stored(world):
    with pytest.raises(ValidationError):
        snapshot_week(week=WEEK, now=at(7, 23, 59))


def test_the_weekly_job_stores_last_week_on_monday_morning_and_rechecks_the_week_before(world, time_machine):
    time_machine.move_to(SNAPSHOT_AT)
    assert jobs.weekly_rankings() == {
        "2026-W09": {"revision": 1, "new": True},
        "2026-W10": {"revision": 1, "new": True},
    }
    time_machine.move_to(SNAPSHOT_AT + dt.timedelta(days=7))
    # W10 is re-checked: B's 24-hour feedback is now missing past its deadline, so W10 gets revision 2.
    assert jobs.weekly_rankings() == {
        "2026-W10": {"revision": 2, "new": True},
        "2026-W11": {"revision": 1, "new": True},
    }


def test_beat_runs_the_rankings_on_monday_at_six(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["weekly-rankings"]["schedule"]
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {6}, {0})


def test_without_postgresql_the_durations_are_computed_alike_in_python(world):
    from control_center.rankings import _durations_in_python, _minutes

    rows = rows_by_code(compute(WEEK, as_of=SNAPSHOT_AT, weights=RankingWeights.current().as_dict()))
    for sid, durations in _durations_in_python(WEEK).items():
        metrics = next(r for r in rows.values() if r["station_id"] == sid)["metrics"]
        assert _minutes(durations["sign_off_median"]) == metrics["sign_off_median_minutes"]
        assert _minutes(durations["acknowledge_avg"]) == metrics.get("acknowledge_avg_minutes")
