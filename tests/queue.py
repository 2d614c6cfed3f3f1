"""Playing the worker in tests: a real SQLite job queue, drained in-process."""

from __future__ import annotations

# Two problems told a few ways: a re-clustering groups them, and a newcomer joins the first.
GROUPED = [
    "은행 점검 시간이라 밤에 이체가 안 돼요",
    "밤에 은행 점검시간이라서 이체가 안 됐어요",
    "은행 점검 시간 때문에 이체가 안 되네요 밤에요",
    "점검 시간엔 은행 이체가 안 돼서 불편해요",
    "카드를 잃어버렸는데 분실 신고 메뉴를 찾을 수가 없어요",
    "카드 분실 신고 메뉴를 찾을 수가 없어요 잃어버렸는데",
    "잃어버린 카드 분실신고 메뉴를 못 찾겠어요",
]


def queued_settings(tmp_path) -> dict:
    """An app whose jobs wait in a real SQLite queue file until `run_queued` plays the worker."""
    return {"JOBS_IMMEDIATE": False, "JOBS_QUEUE_FILE": str(tmp_path / "jobs.sqlite3")}


def run_queued(app) -> int:
    """Run every job waiting in the queue, as `flask worker` would; returns how many ran."""
    huey, ran = app.extensions["jobs"].huey, 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran
