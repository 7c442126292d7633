"""Reading a SQLite file page by page, without SQLite: the rows of every table b-tree that
can still be decoded, however damaged the pages around them are.

This is the logic of the sqlite3 shell's `.recover` (https://sqlite.org/recovery.html): walk
each table's b-tree from its root as far as its pages are sound, decode each cell's record
(following overflow chains), and collect the table leaf pages no sound path reaches ("lost
and found"). The -wal file's committed frames are read over the main file, as SQLite would.
Every read is bounds-checked: a damaged page yields fewer rows, never an exception.
File format: https://sqlite.org/fileformat2.html.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADER = b"SQLite format 3\x00"
TABLE_INTERIOR = 0x05
TABLE_LEAF = 0x0D
INDEX_INTERIOR = 0x02
INDEX_LEAF = 0x0A
WAL_MAGIC = (0x377F0682, 0x377F0683)
MAX_PAYLOAD = 1 << 30  # SQLite's own limit on a row is about 1 GB

Value = int | float | str | bytes | None


class NotSQLite(Exception):
    """The file does not start like a SQLite database."""


@dataclass
class Cell:
    rowid: int
    values: list[Value]
    page: int


@dataclass
class TableScan:
    """What one walk from a table's root found."""

    cells: list[Cell] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)  # b-tree pages reached
    overflow: set[int] = field(default_factory=set)
    bad_pages: set[int] = field(default_factory=set)


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """(value, next offset); IndexError when the data ends inside it."""
    value = 0
    for index in range(8):
        byte = data[offset + index]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + index + 1
    value = (value << 8) | data[offset + 8]
    if value >= 1 << 63:
        value -= 1 << 64
    return value, offset + 9


def _wal_checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(path: Path, page_size: int) -> tuple[dict[int, bytes], int]:
    """The committed frames of a -wal file (the newest of each page) and the database size
    in pages after the last commit (0 when nothing is committed). A frame whose salt or
    checksum does not follow ends the log, as it does for SQLite."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}, 0
    if len(data) < 32:
        return {}, 0
    magic, _version, wal_page_size, _sequence, salt1, salt2, c1, c2 = struct.unpack(
        ">8I", data[:32]
    )
    if magic not in WAL_MAGIC or wal_page_size != page_size:
        return {}, 0
    big_endian = bool(magic & 1)
    if _wal_checksum(data[:24], big_endian, 0, 0) != (c1, c2):
        return {}, 0
    s0, s1 = c1, c2
    committed: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    size = 0
    offset = 32
    frame = 24 + page_size
    while offset + frame <= len(data):
        number, commit, f_salt1, f_salt2, f_c1, f_c2 = struct.unpack(
            ">6I", data[offset : offset + 24]
        )
        if (f_salt1, f_salt2) != (salt1, salt2) or number == 0:
            break
        page = data[offset + 24 : offset + frame]
        s0, s1 = _wal_checksum(data[offset : offset + 8], big_endian, s0, s1)
        s0, s1 = _wal_checksum(page, big_endian, s0, s1)
        if (s0, s1) != (f_c1, f_c2):
            break
        pending[number] = page
        if commit:
            committed.update(pending)
            pending.clear()
            size = commit
        offset += frame
    return committed, size


class PageFile:
    """The pages of a SQLite file (with its -wal's committed frames over them)."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("rb")
        header = self._handle.read(100)
        if len(header) < 100:
            self._handle.close()
            raise NotSQLite(str(path))
        raw_size = struct.unpack(">H", header[16:18])[0]
        self.page_size = 65536 if raw_size == 1 else raw_size
        self.header_sound = header.startswith(HEADER) and self._valid_size(self.page_size)
        reserved = header[20]
        if not self.header_sound:  # page 1 overwritten: read the rest as best we can
            self.page_size = self._guess_page_size(path.stat().st_size)
            reserved = 0
        self.usable = self.page_size - reserved
        encoding = struct.unpack(">I", header[56:60])[0] if self.header_sound else 1
        self.encoding = {2: "utf-16-le", 3: "utf-16-be"}.get(encoding, "utf-8")
        self._file_pages = path.stat().st_size // self.page_size
        wal = path.with_name(path.name + "-wal")
        self._wal, wal_size = read_wal(wal, self.page_size)
        self.page_count = max(self._file_pages, wal_size)
        self.freelist_head = struct.unpack(">I", header[32:36])[0]

    @staticmethod
    def _valid_size(size: int) -> bool:
        return 512 <= size <= 65536 and not size & (size - 1)

    def _guess_page_size(self, file_size: int) -> int:
        """The page size under which most pages start like b-tree pages."""
        best, best_score = 4096, -1
        for size in (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512):
            if file_size % size:
                continue
            score = 0
            for number in range(1, min(file_size // size, 200)):
                self._handle.seek(number * size)
                head = self._handle.read(8)
                if len(head) == 8 and head[0] in (2, 5, 10, 13):
                    count = struct.unpack(">H", head[3:5])[0]
                    score += 1 if 0 < count < size // 4 else 0
            if score > best_score:
                best, best_score = size, score
        return best

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> PageFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page(self, number: int) -> bytes | None:
        if number < 1 or number > self.page_count:
            return None
        if number in self._wal:
            return self._wal[number]
        if number > self._file_pages:
            return None
        self._handle.seek((number - 1) * self.page_size)
        data = self._handle.read(self.page_size)
        return data if len(data) == self.page_size else None

    def page_kind(self, number: int) -> int | None:
        data = self.page(number)
        if data is None:
            return None
        return data[100 if number == 1 else 0]

    # -- b-trees ---------------------------------------------------------------------

    def scan_table(self, root: int) -> TableScan:
        """Every row reachable from a table's root; damaged pages are skipped."""
        scan = TableScan()
        stack = [root]
        while stack:
            number = stack.pop()
            if number in scan.pages or number in scan.bad_pages:
                continue
            data = self.page(number)
            kind = data[100 if number == 1 else 0] if data else None
            if data is None or kind not in (TABLE_INTERIOR, TABLE_LEAF):
                if number == root and kind in (INDEX_INTERIOR, INDEX_LEAF):
                    return scan  # a WITHOUT ROWID table (FTS5 keeps two): no rows by rowid
                scan.bad_pages.add(number)
                continue
            scan.pages.add(number)
            if kind == TABLE_INTERIOR:
                stack.extend(reversed(self._children(data, number)))
            else:
                scan.cells.extend(self.leaf_cells(number, data, scan.overflow))
        return scan

    def _children(self, data: bytes, number: int) -> list[int]:
        start = 100 if number == 1 else 0
        try:
            count = struct.unpack(">H", data[start + 3 : start + 5])[0]
            right = struct.unpack(">I", data[start + 8 : start + 12])[0]
            children = []
            for pointer in self._pointers(data, start, 12, count):
                children.append(struct.unpack(">I", data[pointer : pointer + 4])[0])
            return [*children, right]
        except struct.error:
            return []

    def _pointers(self, data: bytes, start: int, header: int, count: int) -> Iterator[int]:
        for index in range(count):
            at = start + header + 2 * index
            if at + 2 > len(data):
                return
            pointer = struct.unpack(">H", data[at : at + 2])[0]
            if start + header <= pointer < self.usable:
                yield pointer

    def leaf_cells(self, number: int, data: bytes, overflow: set[int]) -> list[Cell]:
        """The decodable cells of a table leaf page."""
        start = 100 if number == 1 else 0
        try:
            count = struct.unpack(">H", data[start + 3 : start + 5])[0]
        except struct.error:
            return []
        cells = []
        for pointer in self._pointers(data, start, 8, count):
            try:
                cell = self._cell(data, pointer, number, overflow)
            except (IndexError, ValueError, struct.error, UnicodeDecodeError, OverflowError):
                continue  # a damaged cell: the next one may be whole
            if cell is not None:
                cells.append(cell)
        return cells

    def _cell(self, data: bytes, pointer: int, number: int, overflow: set[int]) -> Cell | None:
        size, at = _varint(data, pointer)
        rowid, at = _varint(data, at)
        if not 0 <= size <= MAX_PAYLOAD:
            return None
        payload = self._payload(data, at, size, overflow)
        if payload is None:
            return None
        values = self._record(payload)
        return None if values is None else Cell(rowid, values, number)

    def _payload(self, data: bytes, at: int, size: int, overflow: set[int]) -> bytes | None:
        usable = self.usable
        most_local = usable - 35
        if size <= most_local:
            local = size
        else:
            least = ((usable - 12) * 32 // 255) - 23
            local = least + ((size - least) % (usable - 4))
            if local > most_local:
                local = least
        if at + local > len(data):
            return None
        parts = [data[at : at + local]]
        have = local
        if have >= size:
            return parts[0]
        next_page = struct.unpack(">I", data[at + local : at + local + 4])[0]
        seen: set[int] = set()
        while have < size:
            if next_page in seen or next_page == 0:
                return None
            seen.add(next_page)
            page = self.page(next_page)
            if page is None:
                return None
            chunk = page[4 : 4 + min(usable - 4, size - have)]
            parts.append(chunk)
            have += len(chunk)
            next_page = struct.unpack(">I", page[:4])[0]
        overflow.update(seen)
        return b"".join(parts)

    def _record(self, payload: bytes) -> list[Value] | None:
        header_size, at = _varint(payload, 0)
        if not 1 <= header_size <= len(payload):
            return None
        kinds = []
        while at < header_size:
            kind, at = _varint(payload, at)
            kinds.append(kind)
        values: list[Value] = []
        body = header_size
        for kind in kinds:
            value, body = self._value(payload, body, kind)
            values.append(value)
        return values if body <= len(payload) else None

    def _value(self, payload: bytes, at: int, kind: int) -> tuple[Value, int]:
        if kind == 0:
            return None, at
        if 1 <= kind <= 6:
            width = (0, 1, 2, 3, 4, 6, 8)[kind]
            chunk = payload[at : at + width]
            if len(chunk) != width:
                raise ValueError("record ends inside a number")
            return int.from_bytes(chunk, "big", signed=True), at + width
        if kind == 7:
            return struct.unpack(">d", payload[at : at + 8])[0], at + 8
        if kind in (8, 9):
            return kind - 8, at
        if kind >= 12:
            length = (kind - 12) // 2
            chunk = payload[at : at + length]
            if len(chunk) != length:
                raise ValueError("record ends inside a value")
            if kind % 2:
                return chunk.decode(self.encoding), at + length
            return bytes(chunk), at + length
        raise ValueError(f"reserved serial type {kind}")

    # -- the schema and the free pages ---------------------------------------------------

    def schema(self) -> list[tuple[str, str, int, str | None]]:
        """(type, name, root page, sql) of each object sqlite_master lists (page 1)."""
        rows = []
        for cell in self.scan_table(1).cells:
            values = cell.values
            if len(values) != 5:
                continue
            kind, name, _table, root, sql = values
            if isinstance(kind, str) and isinstance(name, str) and isinstance(root, int):
                rows.append((kind, name, root, sql if isinstance(sql, str) else None))
        return rows

    def free_pages(self) -> set[int]:
        """Pages on the freelist (what SQLite deleted: never recovered as rows)."""
        pages: set[int] = set()
        trunk = self.freelist_head
        while trunk and trunk not in pages:
            pages.add(trunk)
            data = self.page(trunk)
            if data is None:
                break
            try:
                following, count = struct.unpack(">II", data[:8])
                count = min(count, (self.usable - 8) // 4)
                pages.update(struct.unpack(f">{count}I", data[8 : 8 + 4 * count]))
            except struct.error:
                break
            trunk = following
        return pages
