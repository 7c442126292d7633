"""Turns at an archive's write lock among the threads of one program.

SQLite lets one writer in at a time, and a writer that finds the lock taken polls for it
with growing sleeps (the busy timeout). A short change (a tag, an annotation: one small
transaction through Archive.write) behind an import that writes batches of a second or more
would wait out the batch and the sleeps, and the next batch could begin before it woke. Here
the short writer says that it waits, the long writer (an import's batch) gives the turn up
between two articles, after committing what it wrote, and takes it again once no short writer
is waiting. Between programs SQLite's busy timeout still decides.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class WriteTurns:
    """One turn to write at a time, per thread (re-entrant); waiting writers go first when
    the holder gives way. A writer that waits longer than the timeout goes ahead anyway and
    leaves it to SQLite's lock (a turn never held for ever stops no one for ever)."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._condition = threading.Condition()
        self._holder: int | None = None  # the thread holding the turn
        self._depth = 0
        self._waiting = 0
        self._contested = float("-inf")  # when a writer last found the turn taken (monotonic)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the turn for the block (after the writers already waiting for it)."""
        me = threading.get_ident()
        with self._condition:
            if self._holder == me:
                self._depth += 1
                taken = True
            else:
                if self._holder is not None:
                    self._contested = time.monotonic()
                self._waiting += 1
                try:
                    taken = self._wait_for(lambda: self._holder is None)
                finally:
                    self._waiting -= 1
                if taken:
                    self._holder, self._depth = me, 1
        try:
            yield
        finally:
            if taken:
                with self._condition:
                    self._depth -= 1
                    if not self._depth:
                        self._holder = None
                        self._condition.notify_all()

    @property
    def wanted(self) -> bool:
        """Whether a writer waits for the turn (the holder should commit and give way)."""
        return self._waiting > 0

    def contested_within(self, seconds: float) -> bool:
        """Whether a writer found the turn taken in the last seconds (a person tagging or
        annotating during an import: the holder keeps its transactions short meanwhile, so
        that the commit before it gives way is short too)."""
        return time.monotonic() - self._contested < seconds

    def give_way(self) -> None:
        """Let the writers waiting for the turn have it, then take it back (call between two
        transactions, holding the turn once: an import between its batches' articles)."""
        me = threading.get_ident()
        with self._condition:
            if self._holder != me or not self._waiting:
                return
            depth, self._holder, self._depth = self._depth, None, 0
            self._condition.notify_all()
            # writers that keep coming hold the giver up no longer than the timeout
            self._wait_for(lambda: self._holder is None and not self._waiting)
            while self._holder is not None:  # a short writer's transaction: it ends
                self._condition.wait()
            self._holder, self._depth = me, depth

    def _wait_for(self, ready: Callable[[], bool]) -> bool:
        """Wait (holding the condition) until ready() or the timeout; whether it is ready."""
        deadline = time.monotonic() + self._timeout
        while not ready():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._condition.wait(left)
        return True
