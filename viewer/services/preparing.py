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
from typing import Any, NamedTuple

from db.records import IncidentRecord, InfoboxRecord, SourceOrigin
from viewer.extraction.gazetteer import flag_country_name
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
PARALLEL_MIN_BYTES = 8 * 2**20  # ... or of at least this much text in all (see worker_count)
IN_FLIGHT_PER_WORKER = 2
# A worker sends a file's articles in pieces of about this much text (characters of raw
# text and body), or what it read in PIECE_SECONDS; the importing process holds no more than
# HELD_CHARS of articles sent ahead of the file it is writing before it stops reading from
# the workers that sent them (they wait, their deadline paused).
PIECE_CHARS = 2**20
PIECE_SECONDS = 1.0
HELD_CHARS = 32 * 2**20
# Received pieces waiting for the importing process to write them (see _read_ahead).
READ_AHEAD_CHARS = 8 * 2**20
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


class Piece(NamedTuple):
    """Some articles of one file, handed on in file order; last is set on a file's last
    piece (which may hold no article)."""

    path: Path
    items: list[Prepared]
    last: bool


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
    if isinstance(value, type):
        return dropped
    names = _field_names(type(value))
    if not names:
        return dropped
    found = [(name, getattr(value, name)) for name in names]
    numbers = [name for name, v in found if isinstance(v, int) and not isinstance(v, bool)]
    if any(abs(getattr(value, name)) > MAX_FACT_NUMBER for name in numbers):
        for name in numbers:
            setattr(value, name, None)
        dropped.append(where)
    for name, child in found:
        if isinstance(child, list) or _field_names(type(child)):
            dropped += drop_impossible_numbers(child, name)
    return dropped


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names (none for any other type), looked up once per class: the
    walk above visits tens of records per article (fields() each time cost 3 ms)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = (
            tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()
        )
    return names


def prepare_file(path: Path, limits: ReadLimits | None = None) -> Iterator[Prepared]:
    """Read, parse and extract every article of one file, one at a time: each article is
    handed on before the next is read, so a many-page export is never held whole. An
    OSError reading the file is its last item (a rejection naming the file)."""
    limits = limits or ReadLimits()
    source = display_path(path)
    articles = parse_path(path, flag_country_name, max_bytes=limits.max_article_bytes)
    while True:
        try:
            item = next(articles)
        except StopIteration:
            return
        except OSError as exc:
            yield Prepared(rejection=Rejection(source, f"cannot read the file: {_os_reason(exc)}"))
            return
        prepared = _prepare_article(item, source)
        del item  # the parsed article is freed before the next one is read
        yield prepared
        del prepared


def _prepare_article(item: ParsedArticle | ArticleProblem, source: str) -> Prepared:
    if isinstance(item, ArticleProblem):
        return Prepared(rejection=Rejection(item.where, item.reason))
    where = f"{source} ({item.title})"
    warnings = [Rejection(where, warning) for warning in item.warnings]
    try:
        record = build_record(item, source)
    except RecursionError:
        return Prepared(rejection=Rejection(where, "nested too deeply to read"))
    except Exception as exc:  # a bug in extraction must not sink the rest of the import
        log.exception("extraction failed for %s", where)
        return Prepared(rejection=Rejection(where, f"internal error while reading facts: {exc!r}"))
    for name in drop_impossible_numbers(record.facts):
        warnings.append(Rejection(where, f"a {name} figure too large to be true was left out"))
    return Prepared(record=record, warnings=warnings)


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
        _send_pieces(connection, index, prepare_file(path, limits))


def _send_pieces(connection: Connection, index: int, prepared: Iterator[Prepared]) -> None:
    """A file's articles sent as they are ready, in pieces of about PIECE_CHARS of text (or
    what PIECE_SECONDS gave), the last marked: a many-page export is never held whole, and
    each piece restarts the deadline, so a long export is not one overrun."""
    piece: list[Prepared] = []
    size = 0
    started = time.monotonic()
    for item in prepared:
        piece.append(item)
        size += item.size
        if size >= PIECE_CHARS or time.monotonic() - started >= PIECE_SECONDS:
            connection.send((index, piece, False))
            piece, size, started = [], 0, time.monotonic()
    connection.send((index, piece, True))


MAX_REVIVALS = 3
START_SECONDS = 60.0  # what a worker process may take to start before it counts as stuck
# A file larger than this (its largest page can be as large, up to the size limit) has a
# deadline per piece that many times longer: a 20 MB page takes about 30 s to read.
DEADLINE_BYTES = 2 * 2**20
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
    paused: bool = False  # not read from while others' articles wait (deadline paused)

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

    def run(self, files: list[Path], workers: int, limits: ReadLimits) -> Iterator[Piece]:
        """Each file's prepared articles in pieces, in file order."""
        if not files:
            return
        team = self._take(max(1, min(workers, len(files))))
        try:
            yield from _Run(self, team, files, limits).results()
        finally:
            self._give_back(team)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker says why


def _chars(items: list[Prepared]) -> int:
    return sum(item.size for item in items)


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
        # pieces received and not yet handed on, by file: (articles, whether the file's last)
        self._done: dict[int, deque[tuple[list[Prepared], bool]]] = {}
        self._held = 0  # characters of text in self._done
        self._next_out = 0
        # articles of a file received (a file read again after a crash skips them), and
        # received in its current reading
        self._received: dict[int, int] = {}
        self._this_reading: dict[int, int] = {}
        self._retried: set[int] = set()
        self._revived = 0
        self._sizes: dict[int, int] = {}  # the size of each file sent, up to the page limit

    def results(self) -> Iterator[Piece]:
        try:
            while self._next_out < len(self._files):
                self._dispatch()
                self._collect()
                yield from self._handed_on()
        except WorkersUnusable:
            # Worker processes die as soon as they start (a broken installation): finish
            # here, without the deadline, rather than not at all.
            log.warning("import worker processes cannot run; reading files in this process")
            yield from self._finish_here()

    def _handed_on(self) -> Iterator[Piece]:
        """The pieces received of the file being handed on, and of the files after it
        that are complete."""
        while self._next_out < len(self._files):
            pieces = self._done.get(self._next_out)
            if not pieces:
                return
            items, last = pieces.popleft()
            self._held -= _chars(items)
            path = self._files[self._next_out]
            if last:
                del self._done[self._next_out]
                self._next_out += 1
            yield Piece(path, items, last)

    def _finish_here(self) -> Iterator[Piece]:
        for index in range(self._next_out, len(self._files)):
            path = self._files[index]
            pieces = self._done.pop(index, deque())
            finished = False
            for items, last in pieces:
                finished = last
                yield Piece(path, items, last)
            if finished:
                continue
            skip = self._received.get(index, 0)
            for number, item in enumerate(prepare_file(path, self._limits)):
                if number >= skip:
                    yield Piece(path, [item], False)
            yield Piece(path, [], True)

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
                self._this_reading[index] = 0
                self._sizes[index] = min(_file_size(path), self._limits.max_article_bytes)
                if not worker.queue:
                    worker.head_started = time.monotonic()
                worker.queue.append((index, path))

    def _listened_to(self) -> list[_Worker]:
        """The workers to read from: every busy one, unless more than HELD_CHARS was sent
        ahead of the file being handed on; then only the one reading that file (the others
        wait on a full pipe, their deadline paused until they are read from again)."""
        busy = [w for w in self._team if w.queue]
        if self._held <= HELD_CHARS:
            chosen = busy
        else:
            chosen = [w for w in busy if any(i == self._next_out for i, _ in w.queue)] or busy
        now = time.monotonic()
        for worker in busy:
            if worker not in chosen:
                worker.paused = True
            elif worker.paused:
                worker.paused, worker.head_started = False, now
        return chosen

    def _collect(self) -> None:
        busy = self._listened_to()
        if not busy:
            return
        timeout = min(w.head_started + self._deadline(w) for w in busy) - time.monotonic()
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
                index, items, last = message
                if last:
                    worker.queue.popleft()
                self._keep(index, self._new_items(index, items), last)
            elif time.monotonic() - worker.head_started > self._deadline(worker):
                self._replace(worker, crashed=False)

    def _deadline(self, worker: _Worker) -> float:
        """The time a worker has for its next message: the deadline per piece once it has
        started (starting takes seconds on a loaded machine and is no file's fault), longer
        for a file of more than DEADLINE_BYTES, whose one page may be that large."""
        if not worker.ready:
            return max(self._limits.parse_seconds, START_SECONDS)
        index = worker.queue[0][0] if worker.queue else -1
        return self._limits.parse_seconds * max(1.0, self._sizes.get(index, 0) / DEADLINE_BYTES)

    def _new_items(self, index: int, items: list[Prepared]) -> list[Prepared]:
        """Those of a piece's articles not received before (a file read again after a
        crash sends its first articles again)."""
        start = self._this_reading.get(index, 0)
        self._this_reading[index] = start + len(items)
        seen = self._received.get(index, 0)
        self._received[index] = max(seen, start + len(items))
        return items[max(0, seen - start) :]

    def _keep(self, index: int, items: list[Prepared], last: bool) -> None:
        self._done.setdefault(index, deque()).append((items, last))
        self._held += _chars(items)
        if last:
            self._received.pop(index, None)
            self._this_reading.pop(index, None)
            self._sizes.pop(index, None)

    def _replace(self, worker: _Worker, *, crashed: bool) -> None:
        """Stop a worker that overran its deadline or died. Its file is rejected (after a
        crash it is tried once more, in case the worker was killed from outside; the
        articles it sent before are kept); the files queued behind it go back to the front
        of the line."""
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
        seconds = self._deadline(worker)
        index, path = worker.queue.popleft()
        rest = list(worker.queue)
        worker.queue.clear()
        if crashed and index not in self._retried:
            self._retried.add(index)
            rest.insert(0, (index, path))
        elif crashed:
            crash = _rejected(path, "reading this file crashed the article reader")
            self._keep(index, [crash], True)
        else:
            reason = (
                f"reading it took longer than {round(seconds, 1):g} s (markup "
                "this tangled cannot be read as an article); skipped"
            )
            self._keep(index, [_rejected(path, reason)], True)
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


def worker_count(files: int, size: int = 0) -> int:
    """How many worker processes an import of this many files, of this size in all, uses:
    more than one from PARALLEL_MIN_FILES files, or from two files of PARALLEL_MIN_BYTES in
    all (a large export is minutes of work: a second one need not wait for it); 0 means in
    this process (no deadline; INCIDENT_VIEWER_IMPORT_WORKERS=0, for debugging)."""
    configured = os.environ.get(WORKERS_VARIABLE)
    if configured is not None and configured.strip().isdigit():
        most = int(configured)
    else:
        most = min(MAX_WORKERS, os.cpu_count() or 1)
    large = files > 1 and size >= PARALLEL_MIN_BYTES
    return most if files >= PARALLEL_MIN_FILES or large or most == 0 else 1


def prepared_in_order(
    files: list[Path],
    workers: int | None = None,
    limits: ReadLimits | None = None,
) -> Generator[Piece, None, None]:
    """Each file's prepared articles in pieces, in file order (a file's last piece says so):
    by worker processes (with a deadline per piece), or in this process when workers is 0."""
    limits = limits or ReadLimits.from_environment()
    if workers is None:
        few = 1 < len(files) < PARALLEL_MIN_FILES
        workers = worker_count(len(files), sum(map(_file_size, files)) if few else 0)
    count = workers
    if count <= 0:
        for path in files:
            for item in prepare_file(path, limits):
                yield Piece(path, [item], False)
            yield Piece(path, [], True)
        return
    yield from _read_ahead(shared_pool().run(files, count, limits), READ_AHEAD_CHARS)


class _ReadAhead:
    """What the reading thread and the caller share."""

    def __init__(self) -> None:
        self.pieces: deque[Piece] = deque()
        self.held = 0
        self.stop = False
        self.done = False
        self.error: BaseException | None = None
        self.condition = threading.Condition()


def _read_ahead(source: Iterator[Piece], most_chars: int) -> Iterator[Piece]:
    """The pieces of source, received from the workers by a thread of its own while the
    caller writes those before (otherwise the workers stop at a full pipe whenever a batch
    is written); no more than most_chars of text (and at least one piece) waits.

    When the caller stops early, the thread stops at its next piece and hands the workers
    back; it is not waited for (a worker may be in the middle of a long file)."""
    shared = _ReadAhead()

    def read() -> None:
        try:
            for piece in source:
                size = _chars(piece.items)
                with shared.condition:
                    while shared.held > most_chars and not shared.stop:
                        shared.condition.wait()
                    if shared.stop:
                        break
                    shared.pieces.append(piece)
                    shared.held += size
                    shared.condition.notify_all()
        except BaseException as exc:  # handed to the caller, who raises it
            shared.error = exc
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # the workers handed back (stopped if still busy)
            with shared.condition:
                shared.done = True
                shared.condition.notify_all()

    threading.Thread(target=read, name="import-read-ahead", daemon=True).start()
    try:
        while True:
            with shared.condition:
                while not shared.pieces and not shared.done:
                    shared.condition.wait()
                if not shared.pieces:
                    if shared.error is not None:
                        raise shared.error
                    return
                piece = shared.pieces.popleft()
                shared.held -= _chars(piece.items)
                shared.condition.notify_all()
            yield piece
    finally:
        with shared.condition:
            shared.stop = True
            shared.condition.notify_all()
