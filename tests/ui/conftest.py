"""Fixtures for the Qt tests: a task runner that is always shut down before it goes away."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from viewer.ui.tasks import TaskRunner


@pytest.fixture
def task_runner(qapp) -> Iterator[TaskRunner]:
    """The background worker the panes use; its thread is joined at the end of the test so
    no result is delivered to a widget that no longer exists."""
    runner = TaskRunner()
    yield runner
    runner.shutdown()
    qapp.processEvents()
