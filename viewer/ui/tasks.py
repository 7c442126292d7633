"""Running archive work off the GUI thread and handing results back to it.

Two lanes, one worker thread each, so that a long job never holds up a view: the views'
reads (timeline, table, search, reader, panes: Lane.VIEWS, the default) and the long jobs
(import, export, backup, recovery, the integrity check: Lane.JOBS, where the writer is).
SQLite's write-ahead log lets the views' readers run beside the job's writer; each lane
keeps its own tasks in the order submitted, except that a task submitted with ahead=True
runs before the lane's other waiting tasks (what the window's first paint waits for, the
timeline and the count, need not queue behind the other panes' first reads). The jobs'
thread runs at a lower CPU priority (JOB_NICENESS, on Linux), so that on a busy machine the
window's thread comes first.
Results and failures come back to the GUI thread through a queued signal, so callbacks may
touch widgets.

Stale results are dropped here and nowhere else. A task started with a key replaces any
earlier task with the same key that has not reported yet (typing in the search field only
shows the newest search's results), and discard(prefix) drops whatever the tasks whose key
starts with prefix would still report (a pane given another archive, a view cleared, a
model reset). Keys are paths: a reader uses its own prefix ("TagsPane-1234/") and names
its kinds of reads under it ("TagsPane-1234/tags").

Inside started_after() (a research change, while it runs on the GUI thread) tasks are taken
as usual but their worker is woken only when the event loop runs next: a woken worker takes
the GIL from the change it was asked for by, several times over when the change's signal
reaches several panes (each wake costs the GUI thread up to a switch interval, 5 ms).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from db.errors import classify

log = logging.getLogger("viewer.ui.tasks")

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
_Waiting = tuple[Future[Any], Callable[[], Any]]  # a task's future and what runs it


class Cancelled(Exception):
    """Raised inside a task that noticed it was cancelled."""


# How much lower than the window's the long jobs' CPU priority is (a nice value): on a busy
# machine the window's thread, which paints and writes research changes, comes first.
JOB_NICENESS = 5


def _lower_priority() -> None:
    """Lower this thread's CPU priority (Linux: per thread; the worker processes an import
    starts from it inherit it). Where a thread's priority cannot be set, nothing changes."""
    setpriority = getattr(os, "setpriority", None)
    if setpriority is not None and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)


_holding = 0  # how deep in started_after() the GUI thread is
_held: list[tuple[TaskRunner, Lane]] = []  # turns not yet handed to a worker, in order


@contextlib.contextmanager
def started_after() -> Iterator[None]:
    """Tasks submitted inside (on the GUI thread) start once the event loop runs again, in
    the order submitted, instead of at once: what a change makes the panes read competes
    with the change neither for the GIL nor for the disk."""
    global _holding
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _held:
            QTimer.singleShot(0, _release)


def _release() -> None:
    """Hand the held turns to their workers (in the event loop, after the change)."""
    turns = list(_held)
    _held.clear()
    for runner, lane in turns:
        runner._start_turn(lane)


class Lane(Enum):
    """Which worker a task runs on."""

    VIEWS = "views"  # short reads for what the window shows
    JOBS = "jobs"  # long work: import, export, backup, recovery, integrity check


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class TaskRunner(QObject):
    """Two background workers for archive work (one per Lane), reporting on the GUI thread.

    The callbacks stay on the GUI thread (kept here by task number): the worker only ever
    holds the work function, so no widget is ever released, and so destroyed, on the worker
    thread. Work functions must therefore not capture widgets either, only data.
    """

    _finished = Signal(int, object, object)  # task number, result, error
    busy_changed = Signal(bool)
    # A task without an error callback met a storage condition (a damaged page, a full
    # disk, a lock): not a bug, so not the crash dialog; the window says what it is.
    storage_failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {
            lane: ThreadPoolExecutor(
                max_workers=1,
                thread_name_prefix=f"archive-{lane.value}",
                initializer=_lower_priority if lane is Lane.JOBS else None,
            )
            for lane in Lane
        }
        # per lane, the tasks waiting for a turn on its worker: (future, work); those
        # submitted with ahead=True in the first deque, the others in the second
        self._waiting = {lane: (deque[_Waiting](), deque[_Waiting]()) for lane in Lane}
        # per key with a task that has not reported: the generation of its newest task
        self._generation: dict[str, int] = {}
        self._pending: dict[str, int] = {}  # per key: tasks that have not reported
        self._callbacks: dict[int, _Pending] = {}
        self._next_task = 0
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        key: str | None = None,
        lane: Lane = Lane.VIEWS,
        ahead: bool = False,
    ) -> Future[Any]:
        """Run work on the lane's worker, then on_done(result) or on_error(error) on the GUI
        thread; ahead=True: before the lane's tasks still waiting (in order among such)."""
        if self._closed:  # the window is going away: late work (a timer, a resize) is dropped
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        self._next_task += 1
        task = self._next_task
        generation = None
        if key is not None:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation
            self._pending[key] = self._pending.get(key, 0) + 1
        self._callbacks[task] = _Pending(on_done, on_error, key, generation)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        finished = self._finished
        generations = self._generation

        def is_current() -> bool:
            return key is None or generations.get(key) == generation

        def run() -> Any:
            if self._closed:
                return None
            if not is_current():
                finished.emit(task, _STALE, None)
                return None
            try:
                result = work()
            except BaseException as exc:  # handed to the GUI thread, never swallowed
                if not self._closed:
                    finished.emit(task, None, exc)
                return None
            if not self._closed:
                finished.emit(task, result if is_current() else _STALE, None)
            return result

        future: Future[Any] = Future()
        self._waiting[lane][0 if ahead else 1].append((future, run))
        if _holding and threading.current_thread() is threading.main_thread():
            _held.append((self, lane))  # started_after(): the worker is woken later
        else:
            self._start_turn(lane)
        return future

    def _start_turn(self, lane: Lane) -> None:
        if not self._closed:  # shutdown() cancelled what was waiting
            self._pools[lane].submit(self._take_turn, lane)  # one turn per task waiting

    def _take_turn(self, lane: Lane) -> None:
        """On the lane's worker: run the waiting task that comes first."""
        first, rest = self._waiting[lane]
        future, run = first.popleft() if first else rest.popleft()
        if future.set_running_or_notify_cancel():
            future.set_result(run())  # run() hands any error to the GUI thread itself

    def discard(self, prefix: str) -> None:
        """Drop what the tasks whose key starts with prefix would still report (their work
        still runs if it has started; its result, or its error if the task has an error
        callback, is not delivered)."""
        for key in self._pending:
            if key.startswith(prefix):
                self._generation[key] += 1

    @Slot(int, object, object)
    def _deliver(self, task: int, result: Any, error: Any) -> None:
        pending = self._callbacks.pop(task, None)
        if not self._callbacks:
            self.busy_changed.emit(False)
        if pending is None:
            return
        current = self._current(pending) and result is not _STALE
        if error is not None:
            if pending.on_error is None:
                if classify(error) is not None:
                    self.storage_failed.emit(error)
                elif not isinstance(error, Cancelled):
                    raise error  # reaches the crash handler: a bug, stale or not
            elif current:
                pending.on_error(error)
            return
        if current and pending.on_done is not None:
            pending.on_done(result)

    def _current(self, pending: _Pending) -> bool:
        """Whether nothing replaced or discarded the task since it was submitted; forgets
        the key once no task of it is waiting (keys are not kept for ever)."""
        key = pending.key
        if key is None:
            return True
        current = self._generation.get(key) == pending.generation
        self._pending[key] -= 1
        if not self._pending[key]:
            del self._pending[key], self._generation[key]
        return current

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run_now(self, work: Callable[[], Any], lane: Lane = Lane.VIEWS) -> Any:
        """Run work on a lane's worker and wait for it (tests, and shutdown)."""
        return self._pools[lane].submit(work).result()

    def shutdown(self) -> None:
        """Stop taking work and wait for the running tasks (call before this object goes)."""
        self._closed = True
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        for waiting in self._waiting.values():
            for queue in waiting:
                for future, _run in queue:
                    future.cancel()
                queue.clear()
        self._callbacks.clear()
        self._pending.clear()
        self._generation.clear()


@dataclass(frozen=True)
class _Pending:
    """A submitted task's callbacks, and its key and generation (None without a key)."""

    on_done: Callback | None
    on_error: ErrorCallback | None
    key: str | None
    generation: int | None


_STALE = object()
