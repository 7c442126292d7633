"""The command line: import, list, show, search, export, the research layer, backup.

docs/contract.md is the contract: the commands, their output and exit statuses.

The arguments are parsed before anything heavy is imported, and each command imports what
it needs when it runs: `--version` and `--help` load neither SQLAlchemy nor Qt, and `search`
does not pay for the import pipeline or matplotlib (tests/viewer/test_cli_imports.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from viewer import __version__, cli_workbench
from viewer.annotation_colors import COLOR_NAMES, DEFAULT_COLOR
from viewer.services.vocabulary import (
    DEFAULT_MAX_ARTICLE_MB,
    EXPORT_FORMATS,
    MAX_ARTICLE_MB_VARIABLE,
)

if TYPE_CHECKING:
    from db import Archive
    from viewer.services.importing import ImportProgress
    from viewer.services.search_results import SearchResults

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
PROG = "incident-viewer"


class UsageError(Exception):
    """Bad usage the user can fix: reported on one line, exit status 2."""


# Arguments that name files: bytes that are not UTF-8 are a file name's own (Python carries
# them as lone surrogates and gives them back to the system as they were). Every other
# argument is text that goes into the archive or a query, where such bytes cannot go.
PATH_ARGUMENTS = frozenset({"archive", "paths", "output", "destination", "annotations", "file"})


def _check_text_arguments(args: argparse.Namespace) -> None:
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS or (name == "source" and args.command == "copy"):
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise UsageError(f"the argument {text!r} is not valid UTF-8 text") from None


MAX_LIMIT = 100_000


def _count_argument(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from low to high (a bad one is a usage error)."""

    def parse(text: str) -> int:
        value = text.strip()
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number from {low} to {high:,}"
            )
        return int(value)

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Incident Archive Viewer: an offline archive of incident articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation: import the bundled samples into a temporary archive, "
        "search them, and exit (0 when everything works)",
    )
    archive_help = "archive file, or postgresql://user@host[:port]/db for a team archive"
    parser.add_argument("--archive", metavar="PATH|URL", help=archive_help, default=None)
    user_help = "author name of what you write to a personal archive (default: your login)"
    parser.add_argument("--user", metavar="NAME", default=None, help=user_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--archive", metavar="PATH|URL", default=argparse.SUPPRESS,
                         help=archive_help)  # fmt: skip
        sub.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=user_help)
        return sub

    sub = add("import", "import article files or folders (recursively)")
    sub.add_argument("paths", nargs="*", metavar="PATH")
    sub.add_argument(
        "--annotations",
        metavar="FILE.jsonld",
        help="read a W3C Web Annotation collection (as exported) back in",
    )
    sub.add_argument(
        "--max-article-size",
        type=_count_argument(1, 4096),
        metavar="MB",
        help=f"reject articles larger than this (default {DEFAULT_MAX_ARTICLE_MB} MB, or "
        f"${MAX_ARTICLE_MB_VARIABLE})",
    )
    sub = add("list", "list the incidents in the archive")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub = add("show", "show one incident")
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub = add("search", "full-text search")
    sub.add_argument("query", metavar="QUERY")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument(
        "--limit", type=_count_argument(1, MAX_LIMIT), default=20, metavar="N",
        help=f"show at most N results (1 to {MAX_LIMIT:,}; default 20)",
    )  # fmt: skip
    sub = add("export", "export the archive")
    sub.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    sub.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    cli_workbench.add_scope_options(sub)
    add("reindex", "recompute extracted facts from the stored raw text")
    sub = add("tag", "add tags to an incident")
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("tags", nargs="+", metavar="TAG")
    sub = add("untag", "remove tags from an incident")
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("tags", nargs="+", metavar="TAG")
    add("tags", "list the tags with how many incidents and annotations have each")
    sub = add("note", "set the research note of an incident (empty text removes it)")
    sub.add_argument("reference", metavar="ID|TITLE")
    source = sub.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="T")
    source.add_argument("--file", metavar="F", help="read the note from a UTF-8 file")
    sub.add_argument("--markdown", action="store_true", help="the note is Markdown")
    sub = add("bookmark", "bookmark an incident")
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("--label", metavar="L")
    sub = add("annotate", "highlight a passage of an incident's article")
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("--quote", required=True, metavar="TEXT", help="the exact passage")
    sub.add_argument(
        "--occurrence",
        type=_count_argument(1, 10**9),
        metavar="N",
        help="which occurrence, when the quote is there more than once",
    )
    sub.add_argument("--note", metavar="N")
    sub.add_argument("--color", default=DEFAULT_COLOR, choices=COLOR_NAMES)
    sub.add_argument("--tag", action="append", default=[], metavar="T")
    sub = add("backup", "copy the archive safely (also while the window has it open)")
    sub.add_argument("destination", metavar="PATH")
    cli_workbench.add_commands(add)
    add("check", "check the archive for damage and say what it holds (read-only)")
    sub = add(
        "recover",
        "copy everything still readable from a damaged archive into a new archive DEST",
    )
    sub.add_argument("destination", metavar="DEST")
    sub = add("annotations", "list annotations (or: annotations delete ID)")
    sub.add_argument("action", nargs="*", metavar="delete ID", help="delete one annotation")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument("--author", metavar="NAME", help="only this author's")
    sub.add_argument("--incident", metavar="ID|TITLE", help="only on this incident")
    sub = add("team", "a team archive on PostgreSQL: init, add, list, remove")
    sub.add_argument("team_command", choices=("init", "add", "list", "remove"))
    sub.add_argument("name", nargs="?", metavar="NAME")
    sub.add_argument("--role", choices=("reader", "editor"))
    sub.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    sub.add_argument("--json", action="store_true", help="print JSON (team list)")
    sub = add("copy", "copy a whole archive to another (SQLite <-> PostgreSQL)")
    sub.add_argument("source", metavar="SRC")
    sub.add_argument("destination", metavar="DEST")
    return parser


def _archive_path(args: argparse.Namespace) -> Path | str:
    from db.locations import is_server_url
    from viewer.paths import default_archive_path

    if args.archive:
        return args.archive if is_server_url(args.archive) else Path(args.archive)
    path = default_archive_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class TerminalProgress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._enabled = stream.isatty()
        self._last = -1

    def __call__(self, progress: ImportProgress) -> None:
        if not self._enabled or progress.files_total == 0:
            return
        filled = self.WIDTH * progress.files_done // progress.files_total
        if filled == self._last and progress.files_done != progress.files_total:
            return
        self._last = filled
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self._stream.write(
            f"\r[{bar}] {progress.files_done}/{progress.files_total} files, "
            f"{progress.articles} articles"
        )
        if progress.files_done == progress.files_total:
            self._stream.write("\n")
        self._stream.flush()


def cmd_import(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services.importing import import_paths
    from viewer.services.preparing import ReadLimits

    if args.annotations:
        return _import_annotations(archive, Path(args.annotations), args.paths)
    if not args.paths:
        raise UsageError("import needs at least one PATH (or --annotations FILE)")
    limits = ReadLimits.from_environment(args.max_article_size)
    report = import_paths(archive, args.paths, progress=TerminalProgress(sys.stderr), limits=limits)
    for warning in report.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    for rejection in report.rejected:
        print(f"{PROG}: rejected: {rejection}", file=sys.stderr)
    print(report.summary())
    return EXIT_REJECTED if report.rejected else EXIT_OK


def cmd_list(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import catalog
    from viewer.services.reading import toll_text

    # streamed a page at a time: 100,000 incidents are never held at once
    summaries = catalog.iter_summaries(archive)
    if args.json:
        incidents = (
            {
                "id": s.id,
                "title": s.title,
                "date": s.date_start,
                "date_end": s.date_end,
                "location": s.location_text,
                "fatalities": {
                    "min": s.fatalities_min,
                    "max": s.fatalities_max,
                    "open_ended": bool(s.fatalities_open),
                },
            }
            for s in summaries
        )
        _print_json_list("incidents", incidents)
        return EXIT_OK
    count = 0
    for s in summaries:
        toll = toll_text(s.fatalities_min, s.fatalities_max, s.fatalities_open)
        print(f"{s.id:>6}  {s.date_start or '----------'}  {toll:>8}  {s.title}")
        count += 1
    print(f"{count} incidents", file=sys.stderr)
    return EXIT_OK


def cmd_show(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import catalog, exporting

    try:
        incident = catalog.find_incident(archive, args.reference)
    except catalog.IncidentNotFound as exc:
        raise UsageError(str(exc)) from exc
    item = exporting.full_dict(archive, incident)
    if args.json:
        _print_json(item)
        return EXIT_OK
    print(item["title"])
    print("=" * len(item["title"]))
    for key, value in item["infobox"].items():
        print(f"{key}: {value}")
    for section in item["sections"]:
        print()
        if section["heading"]:
            print(section["heading"])
            print("-" * len(section["heading"]))
        print(section["text"].replace("\n", "\n\n"))
    print(f"\n[source: {item['source']['path']} ({item['source']['format']})]")
    return EXIT_OK


def cmd_search(archive: Archive, args: argparse.Namespace) -> int:
    from db.search_grammar import SearchQueryError
    from viewer.services import catalog

    try:
        found = catalog.search(archive, args.query, limit=args.limit)
    except SearchQueryError as exc:
        raise UsageError(f"cannot search for {args.query!r}: {exc}") from exc
    return _print_found(found, args)


def _search_file(path: Path, args: argparse.Namespace) -> int | None:
    """`search` on an archive file read directly (no SQLAlchemy: a fraction of the start-up);
    None when it has to be opened the usual way."""
    from db.search_grammar import SearchQueryError
    from viewer.services.search_results import search_file

    try:
        found = search_file(path, args.query, limit=args.limit)
    except SearchQueryError as exc:
        raise UsageError(f"cannot search for {args.query!r}: {exc}") from exc
    return None if found is None else _print_found(found, args)


def _print_found(found: SearchResults, args: argparse.Namespace) -> int:
    if args.json:
        results = [
            {"id": r.id, "title": r.title, "date": r.date, "snippet": r.snippet}
            for r in found.results
        ]
        _print_json(
            {"query": args.query, "total": found.total, "ranked": found.ranked, "results": results}
        )
        return EXIT_OK
    for r in found.results:
        print(f"{r.id:>6}  {r.date or '----------'}  {r.title}")
        print(f"        {r.snippet}")
    order = "best match first" if found.ranked else "newest first (too many to rank; add words)"
    print(f"{found.total_text} matches, {len(found.results)} shown, {order}", file=sys.stderr)
    return EXIT_OK


def cmd_export(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import collections, exporting, outputs

    scope = cli_workbench.scope_from_args(archive, args)
    ids = None if scope is None else collections.scope_ids(archive, scope)
    if args.output:
        output = outputs.check_output(archive, Path(args.output), "the export")
        count = exporting.export_file(archive, args.format, output, ids)
        print(f"{count} incidents written to {output}", file=sys.stderr)
    else:
        exporting.export(archive, args.format, sys.stdout, ids)
    return EXIT_OK


def cmd_reindex(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services.reindexing import reindex

    report = reindex(archive)
    print(report.summary())
    for problem in report.problems:
        print(f"{PROG}: not re-indexed: {problem}", file=sys.stderr)
    return EXIT_REJECTED if report.problems else EXIT_OK


def _import_annotations(archive: Archive, path: Path, extra: list[str]) -> int:
    from viewer.services import research, sources

    if extra:
        raise UsageError("import --annotations takes the collection file only, not articles")
    try:
        items = research.read_annotation_file(path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except research.AnnotationFileError as exc:
        print(f"{PROG}: rejected: {path}: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    items = sources.resolve_annotation_sources(archive, items)
    report = research.import_annotations(archive, items)
    for problem in report.problems:
        print(f"{PROG}: rejected: {path}: {problem}", file=sys.stderr)
    print(report.summary())
    return EXIT_REJECTED if report.problems else EXIT_OK


def _incident_id(archive: Archive, reference: str) -> int:
    from viewer.services import catalog

    try:
        return catalog.find_incident(archive, reference).id
    except catalog.IncidentNotFound as exc:
        raise UsageError(str(exc)) from exc


def cmd_tag(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    added = research.tag_incident(archive, _incident_id(archive, args.reference), args.tags)
    print(f"{len(added)} tag(s) added" + (f": {', '.join(added)}" if added else ""))
    return EXIT_OK


def cmd_untag(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    removed = research.untag_incident(archive, _incident_id(archive, args.reference), args.tags)
    print(f"{len(removed)} tag(s) removed" + (f": {', '.join(removed)}" if removed else ""))
    return EXIT_OK


def cmd_tags(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    for tag in research.tags_with_counts(archive):
        print(f"{tag.name}\t{tag.incidents} incidents\t{tag.annotations} annotations")
    return EXIT_OK


def cmd_note(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    incident_id = _incident_id(archive, args.reference)
    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read note file {args.file}: {exc}") from exc
    else:
        text = args.text
    research.save_note(archive, incident_id, text, "markdown" if args.markdown else "plain")
    print("note saved" if text.strip() else "note removed")
    return EXIT_OK


def cmd_bookmark(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    bookmark = research.add_bookmark(archive, _incident_id(archive, args.reference), args.label)
    print(f"bookmark {bookmark.id}: {bookmark.label}")
    return EXIT_OK


def cmd_annotate(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    try:
        annotation = research.annotate_quote(
            archive,
            _incident_id(archive, args.reference),
            args.quote,
            occurrence=args.occurrence,
            color=args.color,
            note=args.note,
            tags=args.tag,
        )
    except research.ResearchError as exc:
        raise UsageError(f"cannot annotate: {exc}") from exc
    print(f"annotation {annotation.uuid} at {annotation.start}-{annotation.end}")
    return EXIT_OK


def cmd_backup(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import backup

    if archive.is_team:
        raise UsageError(
            "a team archive is backed up on its server: pg_dump -Fc DBNAME > FILE.dump "
            "(or `copy URL FILE.sqlite` for a personal copy)"
        )
    destination = Path(args.destination)
    if destination.is_dir():
        destination = destination / f"{archive.path.stem}-backup.sqlite"
    backup.backup(archive, destination)
    print(f"backed up to {destination}")
    return EXIT_OK


# Commands that change the archive: the archive's integrity is checked first (SQLite's
# quick check), and a damaged one is refused with the way to recover it.
WRITING = {
    "import", "reindex", "tag", "untag", "note", "bookmark", "annotate", "backup",
    *cli_workbench.WRITING,
}  # fmt: skip


def _refuse_if_damaged(archive: Archive) -> None:
    from db.errors import ArchiveDamaged

    if archive.is_team:  # the server checks its own pages
        return
    damage = archive.check_integrity()
    if damage:
        raise ArchiveDamaged(archive.path, f"SQLite's check: {damage[0]}")


def cmd_check(path: Path, args: argparse.Namespace) -> int:
    from db.integrity import check_file
    from db.locations import on_read_only_mount
    from viewer.services.recovery import backup_lines

    if not path.exists():
        raise UsageError(f"cannot check {path}: no such file")
    if path.is_dir():
        raise UsageError(f"cannot check {path}: it is a folder")
    report = check_file(path, immutable=on_read_only_mount(path))
    counts = ", ".join(
        f"{'?' if n is None else f'{n:,}'} {table}" for table, n in report.counts.items()
    )
    print(f"{path}: schema {report.revision or 'unknown'}; {counts or 'nothing readable'}")
    for first, second, title in report.look_alikes:
        print(f"  look-alike titles: incidents {first} and {second} ({title!r})")
    if report.sound:
        print(
            "  sound: SQLite's integrity check, the links between tables and the full-text "
            "index are all in order"
        )
    else:
        for problem in report.problems:
            print(f"  damaged: {problem}")
        quoted = _shell_quote(str(path))
        print(
            f"  copy out everything still readable: incident-viewer --archive {quoted} "
            "recover NEW.sqlite"
        )
    for line in backup_lines(report.backups):
        print(line)
    return EXIT_OK if report.sound else EXIT_REJECTED


def cmd_recover(path: Path, args: argparse.Namespace) -> int:
    from viewer.services.recovery import RecoveryError, recover  # Alembic: only when asked

    try:
        report = recover(path, Path(args.destination))
    except RecoveryError as exc:
        raise UsageError(str(exc)) from exc
    for line in report.lines():
        print(line)
    return EXIT_OK if report.complete else EXIT_REJECTED


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def cmd_annotations(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import research

    if args.action:
        if len(args.action) != 2 or args.action[0] != "delete" or not args.action[1].isdigit():
            raise UsageError("use: annotations delete ID (a number from `annotations`)")
        research.delete_annotation(archive, int(args.action[1]))
        print(f"annotation {args.action[1]} deleted")
        return EXIT_OK
    incident = _incident_id(archive, args.incident) if args.incident else None
    found = research.list_annotations(archive, incident_id=incident, author=args.author)
    if args.json:
        _print_json({"annotations": [research.annotation_dict(a) for a in found]})
        return EXIT_OK
    for a in found:
        quote = " ".join(a.quote.split())
        print(f"{a.id}\t{a.author}\t{a.incident_title}\t{quote[:60]}")
    return EXIT_OK


def cmd_team(archive: Archive, args: argparse.Namespace) -> int:
    from db import team

    if not archive.is_team:
        raise UsageError("team commands need --archive postgresql://USER@HOST/DB")
    if args.team_command == "init":  # run() opened it with initialize=True
        readers, editors = team.initialize(archive)
        print(f"team archive ready: groups {readers} (readers) and {editors} (editors)")
        return EXIT_OK
    if args.team_command == "list":
        members = team.members(archive)
        if args.json:
            _print_json({"members": [{"name": m.name, "role": m.role} for m in members]})
        for member in [] if args.json else members:
            print(f"{member.name}\t{member.role}")
        return EXIT_OK
    if not args.name:
        raise UsageError(f"team {args.team_command} needs a NAME")
    if args.team_command == "remove":
        if not team.remove_member(archive, args.name):
            raise UsageError(f"{args.name} is not a member of this team archive")
        print(f"{args.name} removed (what they wrote stays)")
        return EXIT_OK
    if not args.role or not args.password_stdin:
        raise UsageError(
            "use: team add NAME --role reader|editor --password-stdin "
            "(the password is read from standard input, never given as an argument)"
        )
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError("no password on standard input")
    team.add_member(archive, args.name, args.role, password)
    print(f"{args.name} added as {args.role}")
    return EXIT_OK


def self_check() -> int:
    """Exercise an installation end to end without a display (packaging smoke test)."""
    import io
    import tempfile

    from db import open_archive
    from resources import resource_path
    from viewer.services import catalog, exporting
    from viewer.services.importing import import_paths

    samples = resource_path("samples", "articles")
    steps: list[str] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="iav-self-check-") as folder,
            open_archive(Path(folder) / "check.sqlite") as archive,
        ):
            steps.append("archive created")
            report = import_paths(archive, [samples], workers=1)
            if report.rejected or report.imported < 1:
                raise RuntimeError(f"sample import: {report.summary()}")
            steps.append(f"{report.imported} sample articles imported")
            found = catalog.search(archive, "bombing")
            if not found.results:
                raise RuntimeError("search found nothing in the samples")
            steps.append(f"search found {found.total} articles")
            exported = exporting.export(archive, "json", io.StringIO())
            steps.append(f"{exported} incidents exported")
    except Exception as exc:
        print(
            f"{PROG}: self-check failed after: {', '.join(steps) or 'start'}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    print(f"{PROG} {__version__} self-check passed: {'; '.join(steps)}")
    return EXIT_OK


COMMANDS = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "export": cmd_export,
    "reindex": cmd_reindex,
    "tag": cmd_tag,
    "untag": cmd_untag,
    "tags": cmd_tags,
    "note": cmd_note,
    "bookmark": cmd_bookmark,
    "annotate": cmd_annotate,
    "backup": cmd_backup,
    "annotations": cmd_annotations,
    "team": cmd_team,
    **cli_workbench.COMMANDS,
}
FILE_COMMANDS = {"check": cmd_check, "recover": cmd_recover}


def _note_earlier_crashes() -> None:
    """Say once, on stderr, where an earlier run's native crash left its report (the
    window offers to show it instead)."""
    from viewer.crash import pending_crash_reports

    for report in pending_crash_reports():
        kept = report.mark_reported()
        print(
            f"{PROG}: note: a run on {report.when:%Y-%m-%d %H:%M} stopped with a crash; "
            f"its report is in {kept}",
            file=sys.stderr,
        )


def _print_json(value: object) -> None:
    import json

    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _print_json_list(key: str, items: Iterable[object]) -> None:
    """{key: [items]} written as _print_json writes it, byte for byte, an item at a time."""
    import json

    write = sys.stdout.write
    write("{\n " + json.dumps(key, ensure_ascii=False) + ": [")
    empty = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=1)
        # one level deeper: JSON text holds no raw line breaks but these
        write(("\n  " if empty else ",\n  ") + text.replace("\n", "\n  "))
        empty = False
    write("]\n}\n" if empty else "\n ]\n}\n")


def run(
    argv: Sequence[str] | None = None,
    open_window: Callable[[Path | str | None], int] | None = None,
) -> int:
    """Run one command; returns the exit status. No subcommand means: open the window
    (open_window is handed in so that the command line never imports the Qt layer)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        return self_check()
    if args.command is None:
        if open_window is None:
            parser.print_usage(sys.stderr)
            return EXIT_USAGE
        return open_window(_archive_path(args) if args.archive else None)
    _note_earlier_crashes()
    path = _archive_path(args)
    try:
        _check_text_arguments(args)
        if args.command == "copy":
            return cmd_copy(args)
        if args.command in FILE_COMMANDS:  # they read the file as it is, however damaged
            if not isinstance(path, Path):
                raise UsageError(
                    f"{args.command} is for an archive file; a team archive's server keeps "
                    "and checks its own data (back it up with pg_dump)"
                )
            return FILE_COMMANDS[args.command](path, args)
        if args.command == "search" and isinstance(path, Path):
            status = _search_file(path, args)
            if status is not None:
                return status
        with _open(path, args) as archive:
            if args.command in WRITING:
                _refuse_if_damaged(archive)
            return COMMANDS[args.command](archive, args)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        return _report_failure(exc, path)


def _report_failure(exc: Exception, path: Path | str) -> int:
    """A failed command's exit status, its reason on one line on stderr: bad usage, a
    refused change or output, a storage condition met while reading (a damaged page, a full
    disk, a lock). Anything else is a bug, raised again for the crash handler. (The error
    types are imported once something failed: a command that succeeds never loads them.)"""
    from db.errors import ArchiveError, Condition, archive_error
    from db.locations import public_location
    from viewer.services.outputs import OutputRefused
    from viewer.services.research import ResearchError

    if isinstance(exc, ArchiveError):
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_REJECTED if exc.condition is Condition.REFUSED else EXIT_USAGE
    if isinstance(exc, UsageError | ResearchError | OutputRefused):
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    known = archive_error(path if isinstance(path, Path) else public_location(path), exc)
    if known is None:
        raise exc
    print(f"{PROG}: error: {known}", file=sys.stderr)
    return EXIT_REJECTED if known.condition is Condition.REFUSED else EXIT_USAGE


def _open(path: Path | str, args: argparse.Namespace) -> Archive:
    from db import open_archive

    if args.command == "team" and args.team_command == "init":
        if not isinstance(path, str):
            raise UsageError("team init needs --archive postgresql://OWNER@HOST/DB")
        from db.server import open_server

        return open_server(path, initialize=True)
    return open_archive(path, user=args.user)


def cmd_copy(args: argparse.Namespace) -> int:
    from db.locations import is_server_url
    from viewer.services.copying import copy_archive

    source = args.source if is_server_url(args.source) else Path(args.source)
    target = args.destination if is_server_url(args.destination) else Path(args.destination)
    report = copy_archive(source, target)
    print(report.summary())
    return EXIT_OK
