"""Reading, parsing and extracting article files in worker processes, each file with a
deadline: what a hostile or broken file can cost the import is bounded.

Parsing is pure work with no archive access. It runs in child processes for two reasons:
speed (several cores for large imports) and bounds. A file whose markup makes the parser
take minutes (mwparserfromhell is quadratic on some unclosed constructs), or that crashes it,
costs its own worker, never the import: the worker is stopped, that file is rejected with
one line, the rest go on. Only the importing process writes to the archive.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from db.records import IncidentRecord, InfoboxRecord, SourceOrigin
from viewer.extraction.keys import canonical_field
from viewer.parsing import ArticleProblem, ParsedArticle, parse_path, title_key
from viewer.parsing.model import shown_path
from viewer.services.vocabulary import DEFAULT_MAX_ARTICLE_MB, MAX_ARTICLE_MB_VARIABLE

log = logging.getLogger("viewer.import")

DEFAULT_PARSE_SECONDS = 30.0
PARSE_SECONDS_VARIABLE = "INCIDENT_VIEWER_PARSE_SECONDS"
WORKERS_VARIABLE = "INCIDENT_VIEWER_IMPORT_WORKERS"
MAX_WORKERS = 4
# Imports of at least this many files are parsed by more than one worker process.
PARALLEL_MIN_FILES = 200
IN_FLIGHT_PER_WORKER = 2
# The largest figure kept as a number: more dead or injured than people on Earth is markup
# residue or a typo; the number is left out and its raw text kept.
MAX_FACT_NUMBER = 10**10


@dataclass(frozen=True)
class ReadLimits:
    """What one input may cost: its size, and the time to parse and extract it."""

    max_article_bytes: int = DEFAULT_MAX_ARTICLE_MB * 2**20
    parse_seconds: float = DEFAULT_PARSE_SECONDS

    @classmethod
    def from_environment(cls, max_article_mb: float | None = None) -> ReadLimits:
        """The defaults, overridden by the environment, overridden by an explicit size."""
        size = max_article_mb if max_article_mb is not None else _env_number(
            MAX_ARTICLE_MB_VARIABLE, DEFAULT_MAX_ARTICLE_MB
        )  # fmt: skip
        seconds = _env_number(PARSE_SECONDS_VARIABLE, DEFAULT_PARSE_SECONDS)
        return cls(max(1, int(size * 2**20)), max(0.1, seconds))


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


@dataclass
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Prepared:
    """One article ready to store (record), or why it cannot be (rejection)."""

    record: IncidentRecord | None = None
    rejection: Rejection | None = None
    warnings: list[Rejection] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.record.raw_text) + len(self.record.body) if self.record else 0


def display_path(path: Path) -> str:
    """A path as text that can be printed and stored (shown_path)."""
    return shown_path(path)


def build_record(article: ParsedArticle, source_path: str) -> IncidentRecord:
    # the extractors load when the first article is read, not when the window starts
    from viewer.extraction.facts import extract_facts

    body, spans = article.layout()
    return IncidentRecord(
        title=article.title,
        title_key=title_key(article.title),
        body=body,
        sections=spans,
        infobox=[
            InfoboxRecord(e.key, e.value, e.markup, canonical_field(e.key)) for e in article.infobox
        ],
        source_path=source_path,
        source_format=article.format,
        sha256=article.sha256,
        raw_text=article.raw,
        facts=extract_facts(article, body, spans),
        origin=SourceOrigin(**asdict(article.origin)) if article.origin else SourceOrigin(),
    )


def drop_impossible_numbers(value: Any, where: str = "facts") -> list[str]:
    """Leave out every figure too large to be true (a toll of 25 digits, say) from the
    extracted facts, in place; the raw text beside it stays. Returns what was left out.

    Walks the records generically, so a fact added later is covered too."""
    dropped: list[str] = []
    if isinstance(value, list):
        for item in value:
            dropped += drop_impossible_numbers(item, where)
        return dropped
    if not is_dataclass(value) or isinstance(value, type):
        return dropped
    numbers = [
        f.name
        for f in fields(value)
        if isinstance(getattr(value, f.name), int) and not isinstance(getattr(value, f.name), bool)
    ]
    if any(abs(getattr(value, name)) > MAX_FACT_NUMBER for name in numbers):
        for name in numbers:
            setattr(value, name, None)
        dropped.append(where)
    for f in fields(value):
        child = getattr(value, f.name)
        if is_dataclass(child) or isinstance(child, list):
            dropped += drop_impossible_numbers(child, f.name)
    return dropped


def prepare_file(path: Path, limits: ReadLimits | None = None) -> list[Prepared]:
    """Read, parse and extract every article of one file."""
    limits = limits or ReadLimits()
    source = display_path(path)
    prepared: list[Prepared] = []
    try:
        items = list(parse_path(path, max_bytes=limits.max_article_bytes))
    except OSError as exc:
        return [Prepared(rejection=Rejection(source, f"cannot read the file: {_os_reason(exc)}"))]
    for item in items:
        if isinstance(item, ArticleProblem):
            prepared.append(Prepared(rejection=Rejection(item.where, item.reason)))
            continue
        where = f"{source} ({item.title})"
        warnings = [Rejection(where, warning) for warning in item.warnings]
        try:
            record = build_record(item, source)
        except RecursionError:
            prepared.append(Prepared(rejection=Rejection(where, "nested too deeply to read")))
            continue
        except Exception as exc:  # a bug in extraction must not sink the rest of the import
            log.exception("extraction failed for %s", where)
            prepared.append(
                Prepared(rejection=Rejection(where, f"internal error while reading facts: {exc!r}"))
            )
            continue
        for name in drop_impossible_numbers(record.facts):
            warnings.append(Rejection(where, f"a {name} figure too large to be true was left out"))
        prepared.append(Prepared(record=record, warnings=warnings))
    return prepared


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# -- worker processes ----------------------------------------------------------------------


def _serve(connection: Connection) -> None:
    """A worker's life: prepare each file it is sent, until told to stop."""
    # Ctrl+C in a terminal reaches the whole process group: the importing process decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve_files(connection)


def _serve_files(connection: Connection) -> None:
    connection.send(READY)  # started: from here on, a death is the file's doing
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, path, limits = message
        connection.send((index, prepare_file(path, limits)))


MAX_REVIVALS = 3
READY = ("ready",)


class WorkersUnusable(Exception):
    """Worker processes die as soon as they are started."""


@dataclass
class _Worker:
    process: Any  # multiprocessing.context.SpawnProcess
    connection: Connection
    queue: deque[tuple[int, Path]] = field(default_factory=deque)
    head_started: float = 0.0
    ready: bool = False

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.connection.close()


class PreparePool:
    """Worker processes that prepare files in order, each file within its deadline. Kept
    between imports (starting a worker costs a few tenths of a second); stopped at exit."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")  # safe beside Qt threads, frozen

    def start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _take(self, count: int) -> list[_Worker]:
        with self._lock:
            taken, self._idle = self._idle[:count], self._idle[count:]
        alive = [w for w in taken if w.process.is_alive()]
        for dead in (w for w in taken if not w.process.is_alive()):
            dead.stop(kill=True)
        return alive + [self.start_worker() for _ in range(count - len(alive))]

    def _give_back(self, workers: list[_Worker]) -> None:
        keep = [w for w in workers if w.process.is_alive() and not w.queue]
        for worker in workers:
            if worker not in keep:
                worker.stop(kill=True)  # stopped half-way (cancelled): its work is not wanted
        with self._lock:
            self._idle.extend(keep)

    def shutdown(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def run(
        self, files: list[Path], workers: int, limits: ReadLimits
    ) -> Iterator[tuple[Path, list[Prepared]]]:
        """Each file with its prepared articles, in file order."""
        if not files:
            return
        team = self._take(max(1, min(workers, len(files))))
        try:
            yield from _Run(self, team, files, limits).results()
        finally:
            self._give_back(team)


class _Run:
    """One import's files going through a team of workers."""

    def __init__(
        self, pool: PreparePool, team: list[_Worker], files: list[Path], limits: ReadLimits
    ) -> None:
        self._pool = pool
        self._team = team
        self._files = files
        self._limits = limits
        self._pending = deque(enumerate(files))
        self._done: dict[int, list[Prepared]] = {}
        self._retried: set[int] = set()
        self._revived = 0

    def results(self) -> Iterator[tuple[Path, list[Prepared]]]:
        next_out = 0
        try:
            while next_out < len(self._files):
                self._dispatch()
                self._collect()
                while next_out in self._done:
                    yield self._files[next_out], self._done.pop(next_out)
                    next_out += 1
        except WorkersUnusable:
            # Worker processes die as soon as they start (a broken installation): finish
            # here, without the deadline, rather than not at all.
            log.warning("import worker processes cannot run; reading files in this process")
            for index in range(next_out, len(self._files)):
                done = self._done.pop(index, None)
                if done is None:
                    done = prepare_file(self._files[index], self._limits)
                yield self._files[index], done

    def _dispatch(self) -> None:
        for position, worker in enumerate(self._team):
            while self._pending and len(worker.queue) < IN_FLIGHT_PER_WORKER:
                index, path = self._pending[0]
                try:
                    worker.connection.send((index, path, self._limits))
                except OSError:  # the worker has died: what it holds is found out on receive
                    if worker.queue:
                        break
                    self._revived += 1
                    if self._revived > MAX_REVIVALS:
                        raise WorkersUnusable from None
                    worker.stop(kill=True)
                    self._team[position] = worker = self._pool.start_worker()
                    continue
                self._pending.popleft()
                if not worker.queue:
                    worker.head_started = time.monotonic()
                worker.queue.append((index, path))

    def _collect(self) -> None:
        busy = [w for w in self._team if w.queue]
        if not busy:
            return
        deadline = self._limits.parse_seconds
        timeout = min(w.head_started + deadline for w in busy) - time.monotonic()
        ready = wait([w.connection for w in busy], timeout=max(0.0, timeout))
        for worker in busy:
            if worker.connection in ready:
                try:
                    message = worker.connection.recv()
                except (EOFError, OSError):
                    self._replace(worker, crashed=True)
                    continue
                worker.head_started = time.monotonic()
                if message == READY:
                    worker.ready = True
                    continue
                index, result = message
                worker.queue.popleft()
                self._done[index] = result
            elif time.monotonic() - worker.head_started > deadline:
                self._replace(worker, crashed=False)

    def _replace(self, worker: _Worker, *, crashed: bool) -> None:
        """Stop a worker that overran its deadline or died. Its file is rejected (after a
        crash it is tried once more, in case the worker was killed from outside); the files
        queued behind it go back to the front of the line."""
        if crashed and not worker.ready:
            # died before it could read anything: the installation's fault, not a file's
            self._revived += 1
            self._pending.extendleft(reversed(worker.queue))
            worker.queue.clear()
            worker.stop(kill=True)
            if self._revived > MAX_REVIVALS:
                raise WorkersUnusable
            self._team[self._team.index(worker)] = self._pool.start_worker()
            return
        index, path = worker.queue.popleft()
        rest = list(worker.queue)
        worker.queue.clear()
        if crashed and index not in self._retried:
            self._retried.add(index)
            rest.insert(0, (index, path))
        elif crashed:
            self._done[index] = [_rejected(path, "reading this file crashed the article reader")]
        else:
            self._done[index] = [
                _rejected(
                    path,
                    f"reading it took longer than {self._limits.parse_seconds:g} s (markup "
                    "this tangled cannot be read as an article); skipped",
                )
            ]
        log.warning("import worker stopped on %s (%s)", path, "crash" if crashed else "timeout")
        worker.stop(kill=True)
        self._pending.extendleft(reversed(rest))
        self._team[self._team.index(worker)] = self._pool.start_worker()


def _rejected(path: Path, reason: str) -> Prepared:
    return Prepared(rejection=Rejection(display_path(path), reason))


_POOL: PreparePool | None = None


def shared_pool() -> PreparePool:
    global _POOL
    if _POOL is None:
        _POOL = PreparePool()
        atexit.register(_POOL.shutdown)
    return _POOL


def worker_count(files: int) -> int:
    """How many worker processes an import of this many files uses: 0 means in this process
    (no deadline; INCIDENT_VIEWER_IMPORT_WORKERS=0, for debugging)."""
    configured = os.environ.get(WORKERS_VARIABLE)
    if configured is not None and configured.strip().isdigit():
        most = int(configured)
    else:
        most = min(MAX_WORKERS, os.cpu_count() or 1)
    return most if files >= PARALLEL_MIN_FILES or most == 0 else 1


def prepared_in_order(
    files: list[Path],
    workers: int | None = None,
    limits: ReadLimits | None = None,
) -> Generator[tuple[Path, list[Prepared]], None, None]:
    """Each file with its prepared articles, in file order: by worker processes (with a
    deadline per file), or in this process when workers is 0."""
    limits = limits or ReadLimits.from_environment()
    count = worker_count(len(files)) if workers is None else workers
    if count <= 0:
        for path in files:
            yield path, prepare_file(path, limits)
        return
    yield from shared_pool().run(files, count, limits)
