"""The workbench's commands: correct, source (and the contract's other research-question
commands as they come). Kept apart from viewer/cli.py, which runs them; docs/contract.md
is the contract for both."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from db import Archive
from db.models import Incident
from viewer.services import catalog, corrections, sources
from viewer.services.research import ResearchError

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
    sub.add_argument("--field", required=True, choices=corrections.CORRECTABLE_FIELDS)
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


def _incident(archive: Archive, reference: str) -> Incident:
    try:
        return catalog.find_incident(archive, reference)
    except catalog.IncidentNotFound as exc:
        raise ResearchError(str(exc)) from exc


def cmd_correct(archive: Archive, args: argparse.Namespace) -> int:
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


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace], int]] = {
    "correct": cmd_correct,
    "source": cmd_source,
}
WRITING = frozenset({"correct", "source"})
