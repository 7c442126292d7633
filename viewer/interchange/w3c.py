"""Annotations as W3C Web Annotations (JSON-LD), and back.

Each annotation becomes an ``Annotation`` whose target is a ``SpecificResource``: the
article (named by a stable IRI built from its title, never a database id), a
``TextQuoteSelector`` (the quoted passage with its context) and a ``TextPositionSelector``
(character offsets, counted in Unicode code points of the article's body text), and a
``styleClass`` naming the highlight colour, which the annotation's CSS ``stylesheet``
defines.  The note is a ``TextualBody`` with purpose ``commenting``, each tag one with
purpose ``tagging``.  An annotation whose passage vanished from the article (orphaned) keeps
its selectors and carries one more ``TextualBody``, purpose ``editing``, saying so: other
tools show it as a remark or ignore it, and we read the orphan state back from it.

``from_w3c`` reads our own collections and reasonable annotations from other tools
(selectors without context, a single selector or body object, ``bodyValue``, no colour, no
dates) and raises ``W3CFormatError`` (one line naming the annotation and the problem) for
what it cannot use.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from viewer.annotation_colors import ANNOTATION_COLORS, DEFAULT_COLOR

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_IRI_PREFIX = "urn:incident-archive:article:"
ORPHANED_NOTICE = "orphaned: the quoted passage is no longer in the article"


# RFC 3339 date-time with a zone (what the W3C model's "date-time" means).
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")
_WEB_ADDRESS = re.compile(r"https?://[^\s/]+\S*\Z")


class W3CFormatError(ValueError):
    """A W3C annotation document this application cannot use (the message is one line)."""


@dataclass
class AnnotationData:
    uuid: str
    incident_title: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    color: str  # one of ANNOTATION_COLORS
    note: str | None
    tags: list[str]
    orphaned: bool
    created: str  # ISO-8601 UTC date-time, "2026-11-22T07:30:00Z"
    modified: str
    # the article's web address: the target's source when known (else our article IRI);
    # read back, it stands for the article until the archive says which one has it
    source_url: str | None = field(default=None, kw_only=True)
    # who wrote it (W3C `creator`, a Person's name); keyword-only so that records built on
    # this one can add fields of their own without defaults
    creator: str = field(default="", kw_only=True)


# -- article IRIs ------------------------------------------------------------------------


def source_iri(title: str) -> str:
    """The stable IRI naming an article by its title (every character but unreserved ASCII
    percent-encoded as UTF-8, so any title round-trips)."""
    if not title:
        raise ValueError("an article IRI needs a title")
    return ARTICLE_IRI_PREFIX + quote(title, safe="")


def title_from_source(iri: str) -> str | None:
    """The article title an IRI from ``source_iri`` names, or None for any other IRI."""
    if not isinstance(iri, str) or not iri.startswith(ARTICLE_IRI_PREFIX):
        return None
    encoded = iri[len(ARTICLE_IRI_PREFIX) :]
    if not encoded or re.search(r"\s|%(?![0-9A-Fa-f]{2})", encoded):
        return None
    try:
        title = unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        return None
    return title or None


# -- export ------------------------------------------------------------------------------


def _urn_uuid(value: str, what: str) -> str:
    try:
        return "urn:uuid:" + str(uuid_module.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{what}: {value!r} is not a UUID") from None


def _checked_time(value: str, what: str) -> str:
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise ValueError(f"{what}: {value!r} is not an ISO-8601 date-time with a zone")
    return value


def _stylesheet(color: str) -> dict[str, str]:
    return {
        "type": "CssStylesheet",
        "value": f".{color} {{ background-color: {ANNOTATION_COLORS[color]}; }}",
    }


def _motivation(a: AnnotationData) -> str:
    if a.note:
        return "commenting"
    if a.tags:
        return "tagging"
    return "highlighting"


def _bodies(a: AnnotationData) -> list[dict[str, str]]:
    bodies: list[dict[str, str]] = []
    if a.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "value": a.note,
            }
        )
    bodies.extend({"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in a.tags)
    if a.orphaned:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "editing",
                "format": "text/plain",
                "value": ORPHANED_NOTICE,
            }
        )
    return bodies


def annotation_to_w3c(a: AnnotationData) -> dict[str, Any]:
    """One annotation as a standalone JSON-LD Web Annotation."""
    what = f"annotation {a.uuid}"
    if a.color not in ANNOTATION_COLORS:
        raise ValueError(
            f"{what}: unknown colour {a.color!r}; use one of {', '.join(ANNOTATION_COLORS)}"
        )
    if not (isinstance(a.start, int) and isinstance(a.end, int) and 0 <= a.start <= a.end):
        raise ValueError(f"{what}: bad character offsets {a.start!r}-{a.end!r}")
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": a.quote}
    if a.prefix:
        quote_selector["prefix"] = a.prefix
    if a.suffix:
        quote_selector["suffix"] = a.suffix
    document: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": _urn_uuid(a.uuid, what),
        "type": "Annotation",
        "motivation": _motivation(a),
        "created": _checked_time(a.created, f"{what}: created"),
        "modified": _checked_time(a.modified, f"{what}: modified"),
        "stylesheet": _stylesheet(a.color),
    }
    if a.creator:
        document["creator"] = {"type": "Person", "name": a.creator}
    bodies = _bodies(a)
    if bodies:
        document["body"] = bodies
    document["target"] = {
        "type": "SpecificResource",
        "source": a.source_url or source_iri(a.incident_title),
        "selector": [
            quote_selector,
            {"type": "TextPositionSelector", "start": a.start, "end": a.end},
        ],
        "styleClass": a.color,
    }
    return document


def _collection_iri(collection_id: str | None) -> str:
    if collection_id is None:
        return "urn:uuid:" + str(uuid_module.uuid4())
    try:
        return "urn:uuid:" + str(uuid_module.UUID(collection_id))
    except ValueError:
        pass
    if _IRI.fullmatch(collection_id):
        return collection_id
    raise ValueError(f"collection id {collection_id!r} is neither a UUID nor an IRI")


def to_w3c_collection(
    annotations: list[AnnotationData], label: str, collection_id: str | None = None
) -> dict[str, Any]:
    """An AnnotationCollection with one embedded AnnotationPage holding every annotation;
    each item is a complete Annotation on its own (with its own @context)."""
    iri = _collection_iri(collection_id)
    page_iri = "urn:uuid:" + str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, iri + "/page/1"))
    return {
        "@context": ANNO_CONTEXT,
        "id": iri,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(annotations),
        "first": {
            "id": page_iri,
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation_to_w3c(a) for a in annotations],
        },
    }


# -- import ------------------------------------------------------------------------------


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("type", node.get("@type"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _single(value: Any) -> Any:
    """A value the model allows as a one-item array, as itself."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _brief(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def from_w3c(document: Any) -> list[AnnotationData]:
    """The annotations in a W3C document: an AnnotationCollection (with its pages embedded),
    an AnnotationPage, one Annotation, or a JSON array of Annotations."""
    return [_annotation(node, where) for node, where in _annotation_nodes(document)]


def _annotation_nodes(document: Any) -> Iterator[tuple[Any, str]]:
    if isinstance(document, list):
        for index, node in enumerate(document, 1):
            yield node, f"annotation {index}"
        return
    if not isinstance(document, dict):
        raise W3CFormatError(
            f"not a W3C annotation document: expected a JSON object or array, "
            f"got {type(document).__name__}"
        )
    types = _types(document)
    if "AnnotationCollection" in types:
        page = document.get("first")
        if page is None:
            if document.get("total") in (0, None):
                return
            raise W3CFormatError("annotation collection has no first page")
        yield from _page_nodes(page, 0)
    elif "AnnotationPage" in types:
        yield from _page_nodes(document, 0)
    elif "Annotation" in types or ("target" in document and not types):
        yield document, "annotation 1"
    elif types:
        raise W3CFormatError(
            f"not a W3C annotation document: type {', '.join(map(repr, types))} is not "
            "Annotation, AnnotationPage or AnnotationCollection"
        )
    else:
        raise W3CFormatError("not a W3C annotation document: no type and no target")


def _page_nodes(page: Any, count: int) -> Iterator[tuple[Any, str]]:
    seen: set[int] = set()
    while page is not None:
        if isinstance(page, str):
            raise W3CFormatError(
                f"annotation page {_brief(page)} is only linked, not included; "
                "export the collection with its pages embedded"
            )
        if not isinstance(page, dict):
            raise W3CFormatError(f"annotation page is not an object: {_brief(page)}")
        if id(page) in seen:
            break
        seen.add(id(page))
        items = page.get("items", [])
        if not isinstance(items, list):
            raise W3CFormatError("annotation page 'items' is not a list")
        for node in items:
            count += 1
            yield node, f"annotation {count}"
        page = page.get("next")


def _annotation(node: Any, where: str) -> AnnotationData:
    if not isinstance(node, dict):
        raise W3CFormatError(f"{where}: not an object but {_brief(node)}")
    node_id = _single(node.get("id", node.get("@id")))
    if isinstance(node_id, str) and node_id:
        where = f"{where} ({node_id if node_id.isprintable() else _brief(node_id)})"
    types = _types(node)
    if types and "Annotation" not in types:
        raise W3CFormatError(f"{where}: type {', '.join(map(repr, types))} is not Annotation")
    target = _target(node, where)
    title, selectors = _source_and_selectors(target, where)
    url = title if _WEB_ADDRESS.match(title) else None
    quote_selector, position_selector = _text_selectors(selectors, where)
    quote_text, prefix, suffix = quote_selector if quote_selector else ("", "", "")
    if position_selector:
        start, end = position_selector
    else:
        start, end = 0, len(quote_text)
    note, tags, orphaned = _read_bodies(node, where)
    created = _time(node.get("created"), where, "created") or _now()
    modified = _time(node.get("modified"), where, "modified") or created
    return AnnotationData(
        uuid=_uuid_of(node_id, where),
        incident_title="" if url else title,
        quote=quote_text,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        color=_color(target),
        note=note,
        tags=tags,
        orphaned=orphaned,
        created=created,
        modified=modified,
        source_url=url,
        creator=_creator(node.get("creator")),
    )


def _creator(value: Any) -> str:
    """The name of an annotation's creator: a string, a Person with a name or nickname, or
    the first of several; "" when none is given."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("nickname") or ""
        value = value[0] if isinstance(value, list) and value else value
    return " ".join(value.split())[:200] if isinstance(value, str) else ""


def _uuid_of(node_id: Any, where: str) -> str:
    if node_id is None:
        return str(uuid_module.uuid4())
    if not isinstance(node_id, str) or not node_id:
        raise W3CFormatError(f"{where}: id is not an IRI: {_brief(node_id)}")
    if node_id.lower().startswith("urn:uuid:"):
        try:
            return str(uuid_module.UUID(node_id[len("urn:uuid:") :]))
        except ValueError:
            raise W3CFormatError(f"{where}: id {_brief(node_id)} is not a valid UUID URN") from None
    # Another tool's IRI: the same annotation always gets the same UUID here.
    return str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, node_id))


def _target(node: dict[str, Any], where: str) -> Any:
    if "target" not in node:
        raise W3CFormatError(f"{where}: no target")
    target = node["target"]
    if isinstance(target, list):
        if len(target) != 1:
            raise W3CFormatError(
                f"{where}: {len(target)} targets; only annotations of one passage can be read"
            )
        target = target[0]
    return target


def _source_and_selectors(target: Any, where: str) -> tuple[str, list[Any]]:
    if isinstance(target, str):
        if title_from_source(target) is None:
            raise W3CFormatError(f"{where}: target {_brief(target)} is not an article IRI here")
        raise W3CFormatError(
            f"{where}: target names the whole article; no TextQuoteSelector and no "
            "TextPositionSelector"
        )
    if not isinstance(target, dict):
        raise W3CFormatError(f"{where}: target is not an IRI or an object: {_brief(target)}")
    source = _single(target.get("source"))
    if isinstance(source, dict):
        source = _single(source.get("id", source.get("@id")))
    if source is None:
        raise W3CFormatError(f"{where}: target has no source (the annotated article)")
    title = title_from_source(source) if isinstance(source, str) else None
    if title is None and isinstance(source, str) and _WEB_ADDRESS.match(source):
        title = source  # an article named by its address: the archive finds it
    if title is None:
        raise W3CFormatError(
            f"{where}: target source {_brief(source)} is not an article IRI here "
            f"({ARTICLE_IRI_PREFIX}<title>)"
        )
    selectors = target.get("selector")
    return title, [] if selectors is None else _as_list(selectors)


# No article is longer than this (2^53: every whole float up to it is exact); beyond it an
# offset would not even fit the archive's integers.
MAX_OFFSET = 2**53


def _text_selectors(
    selectors: list[Any], where: str
) -> tuple[tuple[str, str, str] | None, tuple[int, int] | None]:
    quote_selector: tuple[str, str, str] | None = None
    position_selector: tuple[int, int] | None = None
    for selector in selectors:
        if not isinstance(selector, dict):
            continue  # an IRI naming an external selector: nothing to read here
        types = _types(selector)
        if "TextQuoteSelector" in types and quote_selector is None:
            exact = _single(selector.get("exact"))
            prefix = _single(selector.get("prefix", ""))
            suffix = _single(selector.get("suffix", ""))
            for name, value in (("exact", exact), ("prefix", prefix), ("suffix", suffix)):
                if not isinstance(value, str):
                    raise W3CFormatError(
                        f"{where}: TextQuoteSelector {name} is not a string: {_brief(value)}"
                    )
            quote_selector = (exact, prefix, suffix)
        elif "TextPositionSelector" in types and position_selector is None:
            start, end = _single(selector.get("start")), _single(selector.get("end"))
            for name, value in (("start", start), ("end", end)):
                if isinstance(value, float) and value.is_integer() and value <= MAX_OFFSET:
                    value = int(value)
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int)
                    or not 0 <= value <= MAX_OFFSET
                ):
                    raise W3CFormatError(
                        f"{where}: TextPositionSelector {name} is not a non-negative integer: "
                        f"{_brief(value)}"
                    )
            start, end = int(start), int(end)
            if end < start:
                raise W3CFormatError(
                    f"{where}: TextPositionSelector ends ({end}) before it starts ({start})"
                )
            position_selector = (start, end)
    if position_selector is None and (quote_selector is None or not quote_selector[0]):
        raise W3CFormatError(f"{where}: no TextQuoteSelector and no TextPositionSelector")
    return quote_selector, position_selector


def _color(target: dict[str, Any]) -> str:
    for name in _as_list(target.get("styleClass")):
        if isinstance(name, str) and name in ANNOTATION_COLORS:
            return name
    return DEFAULT_COLOR


def _purposes(body: dict[str, Any], motivation: list[str]) -> list[str]:
    purpose = body.get("purpose")
    if purpose is None:
        return motivation
    return [p for p in _as_list(purpose) if isinstance(p, str)]


def _read_bodies(node: dict[str, Any], where: str) -> tuple[str | None, list[str], bool]:
    motivation = [m for m in _as_list(node.get("motivation")) if isinstance(m, str)]
    notes: list[str] = []
    tags: list[str] = []
    orphaned = False
    if "bodyValue" in node:
        value = _single(node["bodyValue"])
        if not isinstance(value, str):
            raise W3CFormatError(f"{where}: bodyValue is not a string: {_brief(value)}")
        if "tagging" in motivation:
            tags.append(value)
        else:
            notes.append(value)
    for body in _as_list(node.get("body", [])):
        if isinstance(body, dict) and "Choice" in _types(body):
            options = _as_list(body.get("items", []))
            body = options[0] if options else None
        if not isinstance(body, dict):
            continue  # a body that is only an IRI (an external resource) carries no text
        is_textual = "TextualBody" in _types(body) or ("value" in body and "id" not in body)
        if not is_textual:
            continue
        value = _single(body.get("value"))
        if not isinstance(value, str):
            raise W3CFormatError(f"{where}: TextualBody value is not a string: {_brief(value)}")
        purposes = _purposes(body, motivation)
        if "editing" in purposes and value.startswith("orphaned:"):
            orphaned = True
        elif "tagging" in purposes:
            tags.append(value)
        else:
            notes.append(value)
    return ("\n\n".join(notes) if notes else None), tags, orphaned


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(value: Any, where: str, name: str) -> str | None:
    """A W3C date-time as our UTC form ("2026-11-22T07:30:00Z"); None when absent."""
    value = _single(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise W3CFormatError(f"{where}: {name} is not a date-time: {_brief(value)}")
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        # the year by hand: strftime's %Y writes 278, not 0278, which no reader takes
        return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"
    except (ValueError, OverflowError):  # OverflowError: a time zone past year 1 or 9999
        raise W3CFormatError(f"{where}: {name} is not a date-time: {_brief(value)}") from None
