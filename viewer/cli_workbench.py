"""The workbench's commands: correct, source, collection, collections, and the scope
options (--tag, --collection, --query) that export and chart share. Kept apart from
viewer/cli.py, which runs them; docs/contract.md is the contract for both."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from db.fields import CORRECTABLE_FIELDS
from viewer.services.vocabulary import CHART_KINDS

if TYPE_CHECKING:
    from db import Archive
    from db.incident_table import IncidentScope
    from db.models import Incident

PROG = "incident-viewer"
EXIT_OK, EXIT_REJECTED = 0, 1

AddCommand = Callable[[str, str], argparse.ArgumentParser]


def add_commands(add: AddCommand) -> None:
    sub = add(
        "correct",
        "correct an extracted fact of an incident: your value wins over extraction and is "
        "kept through reindex and re-import (an empty value removes the correction)",
    )
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("--field", required=True, choices=CORRECTABLE_FIELDS)
    sub.add_argument("--value", required=True, metavar="TEXT")
    sub.add_argument("--note", metavar="WHY", help="why (shown with the correction)")
    sub = add(
        "source",
        "say where an incident's article was published and when you read it (for citations); "
        "without options, show its source",
    )
    sub.add_argument("reference", metavar="ID|TITLE")
    sub.add_argument("--url", metavar="URL", help="its web address (empty: forget yours)")
    sub.add_argument("--site", metavar="S", help='the site, e.g. "Wikipedia"')
    sub.add_argument("--accessed", metavar="DATE", help="when you read it: 2024-05-01, or today")
    sub = add("collection", "put incidents in a collection (made when new), or take them out")
    sub.add_argument("action", choices=("add", "remove"))
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("references", nargs="+", metavar="ID|TITLE")
    sub = add("collections", "list the collections and saved searches with their incident counts")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub = add(
        "chart",
        "draw a chart of the archive (or of a tag's, a collection's or a query's incidents) "
        "into a PNG or SVG file; no display needed",
    )
    sub.add_argument("kind", choices=CHART_KINDS)
    add_scope_options(sub)
    sub.add_argument("--by", choices=("perpetrator", "country", "none"), default="perpetrator",
                     help="stack the yearly bars by the first perpetrator or the country "
                     "(default perpetrator; the 8 largest, the rest as Other)")  # fmt: skip
    sub.add_argument("--month", action="store_true", help="per month instead of per year")
    sub.add_argument("--output", required=True, metavar="FILE.png|FILE.svg")


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """--tag, --collection, --query: which incidents a command works on (one of them)."""
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--tag", metavar="T", help="only the incidents with this tag")
    scope.add_argument("--collection", metavar="NAME", help="only this collection's incidents")
    scope.add_argument("--query", metavar="Q", help="only the incidents this search finds")


def scope_from_args(archive: Archive, args: argparse.Namespace) -> IncidentScope | None:
    """The scope the options name, or None for the whole archive. A missing collection or a
    query that cannot be searched is a ResearchError (one line, exit status 2)."""
    from db.search_grammar import SearchQueryError
    from viewer.services import collections
    from viewer.services.research import ResearchError

    if getattr(args, "collection", None) is not None:
        return collections.collection_scope(archive, args.collection)
    if getattr(args, "tag", None) is not None:
        return collections.tag_scope(args.tag)
    if getattr(args, "query", None) is not None:
        try:
            return collections.query_scope(args.query)
        except SearchQueryError as exc:
            raise ResearchError(f"cannot search for {args.query!r}: {exc}") from exc
    return None


def _incident(archive: Archive, reference: str) -> Incident:
    from viewer.services import catalog
    from viewer.services.research import ResearchError

    try:
        return catalog.find_incident(archive, reference)
    except catalog.IncidentNotFound as exc:
        raise ResearchError(str(exc)) from exc


def cmd_correct(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import corrections

    incident = _incident(archive, args.reference)
    try:
        corrections.correct(archive, incident.id, args.field, args.value, args.note)
    except corrections.CorrectionError as exc:
        print(f"{PROG}: rejected: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    if args.value.strip():
        print(f"{args.field} of “{incident.title}” corrected to {' '.join(args.value.split())}")
    else:
        print(f"{args.field} of “{incident.title}” is extraction's again (correction removed)")
    return EXIT_OK


def cmd_source(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import sources

    incident = _incident(archive, args.reference)
    given = {
        name: getattr(args, name)
        for name in ("url", "site", "accessed")
        if getattr(args, name) is not None
    }
    if given:
        try:
            sources.set_source(archive, incident.id, **given)
        except sources.SourceError as exc:
            print(f"{PROG}: rejected: {exc}", file=sys.stderr)
            return EXIT_REJECTED
    view = sources.source_view(archive, incident.id)
    if view is not None:
        for label, value in (
            ("url", view.url), ("site", view.site), ("accessed", view.accessed),
            ("revision", view.issued), ("file", f"{view.path} ({view.format})"),
        ):  # fmt: skip
            mark = " (yours)" if label in view.given else ""
            print(f"{label}: {value or '—'}{mark}")
        print(f"citation: {sources.reference_text(view)}")
    return EXIT_OK


def _incidents(count: int) -> str:
    return f"{count} incident" if count == 1 else f"{count} incidents"


def cmd_collection(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import collections

    ids, problems = collections.resolve_references(archive, args.references)
    for problem in problems:
        print(f"{PROG}: rejected: {problem}", file=sys.stderr)
    if args.action == "add":
        if ids:
            outcome = collections.add_to_collection(archive, args.name, ids)
            made = " (new collection)" if outcome.created else ""
            print(f"{_incidents(len(outcome.added))} added to “{outcome.name}”{made}")
    elif ids:
        found = collections.find_collection(archive, args.name)
        _id, removed = collections.remove_from_collection(archive, args.name, ids)
        print(f"{_incidents(len(removed))} removed from “{found.name}”")
    return EXIT_REJECTED if problems else EXIT_OK


def cmd_collections(archive: Archive, args: argparse.Namespace) -> int:
    import json

    from viewer.services import collections

    found = collections.collections_with_counts(archive)
    searches = collections.saved_searches(archive)
    if args.json:
        document = {
            "collections": [{"id": c.id, "name": c.name, "count": c.count} for c in found],
            "saved_searches": [
                {
                    "id": s.id, "name": s.name, "query": s.query,
                    "filters": json.loads(collections.filters_json(s.filters)), "count": s.count,
                }
                for s in searches
            ],
        }  # fmt: skip
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return EXIT_OK
    for c in found:
        print(f"{c.count:>7}  {c.name}")
    for s in searches:
        count = "?" if s.count is None else str(s.count)
        print(f"{count:>7}  {s.name} (saved search: {s.describe()})")
    if not found and not searches:
        print("no collections yet (collection add NAME ID|TITLE... makes one)", file=sys.stderr)
    return EXIT_OK


def cmd_chart(archive: Archive, args: argparse.Namespace) -> int:
    from viewer.services import charts
    from viewer.services.outputs import atomic_output, check_output
    from viewer.services.research import ResearchError

    output = Path(args.output)
    if output.suffix.lower() not in (".png", ".svg"):
        raise ResearchError(f"cannot write a chart to {output}: name a .png or .svg file")
    check_output(archive, output, "the chart")
    scope = scope_from_args(archive, args)
    name = args.collection or (f"tag {args.tag}" if args.tag else None) or args.query or ""
    data = charts.chart_data(
        archive, args.kind, scope, stack=args.by, period="month" if args.month else "year",
        scope_name=name,
    )  # fmt: skip
    from viewer.services.chart_figures import save_chart

    with atomic_output(output, "wb") as handle:
        save_chart(data, output, handle)
    print(f"{args.kind} chart written to {output}", file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace], int]] = {
    "correct": cmd_correct,
    "source": cmd_source,
    "collection": cmd_collection,
    "collections": cmd_collections,
    "chart": cmd_chart,
}
WRITING = frozenset({"correct", "source", "collection"})
