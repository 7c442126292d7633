"""The background runner: results on the GUI thread, newest-wins keys, quiet after shutdown."""

from __future__ import annotations

import threading
from collections.abc import Callable

from viewer.ui.tasks import TaskRunner


def test_results_arrive_on_the_gui_thread(qtbot, task_runner: TaskRunner) -> None:
    seen: list[tuple[int, bool]] = []
    worker_thread: list[bool] = []

    def work() -> int:
        worker_thread.append(threading.current_thread() is not threading.main_thread())
        return 41 + 1

    task_runner.submit(
        work,
        lambda value: seen.append((value, threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_thread == [True]


def test_a_newer_task_with_the_same_key_wins(qtbot, task_runner: TaskRunner) -> None:
    gate = threading.Event()
    delivered: list[str] = []
    task_runner.submit(lambda: gate.wait(5) and "old", delivered.append, key="search")
    task_runner.submit(lambda: "new", delivered.append, key="search")
    gate.set()
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert delivered == ["new"]


def test_discard_drops_what_a_prefix_would_still_report(qtbot, task_runner: TaskRunner) -> None:
    """A pane given another archive discards its reads: their results and failures are not
    delivered, other readers' are, and the keys work as before afterwards."""
    gate = threading.Event()
    delivered: list[str] = []
    failures: list[str] = []

    def fail() -> None:
        gate.wait(5)
        raise ValueError("old archive")

    task_runner.submit(lambda: gate.wait(5) and "old", delivered.append, key="pane-1/read")
    task_runner.submit(fail, delivered.append, lambda e: failures.append(str(e)), key="pane-1/tags")
    task_runner.submit(lambda: gate.wait(5) and "other", delivered.append, key="pane-12/read")
    task_runner.discard("pane-1/")
    gate.set()
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert delivered == ["other"] and failures == []
    task_runner.submit(lambda: "new", delivered.append, key="pane-1/read")
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert delivered == ["other", "new"]


def test_failures_go_to_the_error_callback(qtbot, task_runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad query")

    task_runner.submit(work, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad query"


def test_work_submitted_after_shutdown_is_dropped(qapp) -> None:
    """A timer or resize that fires while the window closes must not raise from the pool."""
    runner = TaskRunner()
    runner.shutdown()
    ran: list[int] = []
    future = runner.submit(lambda: ran.append(1), ran.append)
    qapp.processEvents()
    assert future.cancelled()
    assert ran == []
    assert not runner.busy


def test_long_jobs_run_on_their_own_lane_at_a_lower_cpu_priority(
    qtbot, task_runner: TaskRunner
) -> None:
    """A job does not hold up a view's read (each lane has its thread), and on Linux the
    jobs' thread yields the CPU to the window's (the import's worker processes inherit it)."""
    import os
    import sys

    from viewer.ui.tasks import JOB_NICENESS, Lane

    def priority() -> tuple[str, int]:
        name = threading.current_thread().name
        if not sys.platform.startswith("linux"):
            return name, 0
        return name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    gate = threading.Event()
    seen: dict[str, tuple[str, int]] = {}
    task_runner.submit(lambda: gate.wait(10) and priority(), lambda p: seen.update(job=p),
                       lane=Lane.JOBS)  # fmt: skip
    task_runner.submit(priority, lambda p: seen.update(view=p))
    qtbot.waitUntil(lambda: "view" in seen)  # while the job still waits
    assert "job" not in seen
    gate.set()
    qtbot.waitUntil(lambda: "job" in seen)
    (job_thread, job_nice), (view_thread, view_nice) = seen["job"], seen["view"]
    assert job_thread.startswith("archive-jobs") and view_thread.startswith("archive-views")
    if sys.platform.startswith("linux"):
        assert job_nice == min(19, view_nice + JOB_NICENESS)


def test_a_task_submitted_ahead_runs_before_the_lanes_waiting_tasks(
    qtbot, task_runner: TaskRunner
) -> None:
    """What the window's first paint waits for (the timeline, the count) does not queue
    behind the other panes' first reads (issue 13); tasks ahead keep their own order, and
    the rest theirs."""
    gate = threading.Event()
    ran: list[str] = []

    def reading(name: str, result: int = 0) -> Callable[[], int]:
        def work() -> int:
            if name == "running":
                gate.wait(10)
            ran.append(name)
            return result

        return work

    task_runner.submit(reading("running"))
    for name in ("table", "search"):
        task_runner.submit(reading(name))
    task_runner.submit(reading("bounds"), ahead=True)
    future = task_runner.submit(reading("count", 7), ahead=True)
    gate.set()
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert ran == ["running", "bounds", "count", "table", "search"]
    assert future.result() == 7


def test_reads_a_change_starts_begin_after_it(qtbot, task_runner: TaskRunner) -> None:
    """A research change's signals make panes read again; those reads start once the change
    has returned to the event loop (issue 13: a woken worker takes the GIL from the change),
    in the order submitted, and still report to their callbacks."""
    from PySide6.QtGui import QUndoStack

    from viewer.ui.research.undo import Change, ResearchEvents, push_change

    ran: list[str] = []
    delivered: list[str] = []

    def reading(name: str) -> Callable[[], str]:
        def work() -> str:
            ran.append(name)
            return name

        return work

    class Touch(Change):
        def apply(self) -> None:
            task_runner.submit(reading("tags"), delivered.append, key="tags")
            task_runner.submit(reading("table"), delivered.append)
            # a worker woken by those submits would run them before this one
            task_runner.run_now(lambda: ran.append("during the change"))

    stack = QUndoStack()
    assert push_change(stack, Touch, None, ResearchEvents(), "touch") is None
    task_runner.run_now(lambda: ran.append("after, before the event loop"))
    assert ran == ["during the change", "after, before the event loop"]
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert ran[2:] == ["tags", "table"] and delivered == ["tags", "table"]
    stack.undo()
    stack.redo()  # a redo holds its reads back too
    assert ran[4:] == ["during the change"]
    qtbot.waitUntil(lambda: not task_runner.busy)
    assert ran[5:] == ["tags", "table"]


def test_outside_a_change_a_task_starts_at_once(qtbot, task_runner: TaskRunner) -> None:
    ran: list[str] = []
    task_runner.submit(lambda: ran.append("read"))
    task_runner.run_now(lambda: ran.append("probe"))
    assert ran == ["read", "probe"]
    qtbot.waitUntil(lambda: not task_runner.busy)
