"""Collections and saved searches on both engines: what they hold, their counts, renames
that name the version they start from, every change taken back exactly, and the scopes
(collection, saved search, tag, query) that exports and reactions by actor narrow to."""

from __future__ import annotations

import io
import json

import pytest

from db import Archive
from db.queries import SearchFilters
from viewer.services import catalog, collections, exporting, reactions, tagging
from viewer.services.collections import CollectionError

pytestmark = pytest.mark.engines

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"


def _ids(archive: Archive) -> tuple[int, int]:
    return (
        catalog.find_incident(archive, MASTUNG).id,
        catalog.find_incident(archive, BALOCHISTAN).id,
    )


def _counts(archive: Archive) -> dict[str, int]:
    return {c.name: c.count for c in collections.collections_with_counts(archive)}


def test_adding_makes_the_collection_and_names_fold(seeded_archive: Archive) -> None:
    mastung, balochistan = _ids(seeded_archive)
    first = collections.add_to_collection(seeded_archive, "Balochistan  attacks", [mastung])
    assert first.created and first.added == (mastung,) and first.name == "Balochistan attacks"
    again = collections.add_to_collection(
        seeded_archive, "balochistan attacks", [mastung, balochistan, 999_999]
    )
    assert not again.created and again.collection_id == first.collection_id
    assert again.added == (balochistan,) and again.unknown == (999_999,)
    assert _counts(seeded_archive) == {"Balochistan attacks": 2}
    collections.undo_add(seeded_archive, again)
    assert _counts(seeded_archive) == {"Balochistan attacks": 1}
    collections.undo_add(seeded_archive, first)  # it made the collection: gone again
    assert _counts(seeded_archive) == {}
    collections.redo_add(seeded_archive, first)
    assert _counts(seeded_archive) == {"Balochistan attacks": 1}


def test_remove_rename_delete_and_their_undo(seeded_archive: Archive) -> None:
    mastung, balochistan = _ids(seeded_archive)
    made = collections.add_to_collection(seeded_archive, "Q1", [mastung, balochistan])
    collection_id, removed = collections.remove_from_collection(seeded_archive, "q1", [mastung])
    assert collection_id == made.collection_id and [i for i, _at in removed] == [mastung]
    collections.restore_items(seeded_archive, collection_id, removed)
    assert _counts(seeded_archive) == {"Q1": 2}
    collections.add_to_collection(seeded_archive, "Other", [mastung])
    with pytest.raises(CollectionError, match="already a collection named 'Other'"):
        collections.rename_collection(seeded_archive, collection_id, "other")
    previous, version = collections.rename_collection(seeded_archive, collection_id, "Q2", 1)
    assert (previous, version) == ("Q1", 2)
    with pytest.raises(CollectionError, match="changed meanwhile"):  # started from version 1
        collections.rename_collection(seeded_archive, collection_id, "Q3", 1)
    snapshot = collections.delete_collection(seeded_archive, collection_id)
    assert _counts(seeded_archive) == {"Other": 1}
    collections.restore_collection(seeded_archive, snapshot)
    assert _counts(seeded_archive) == {"Other": 1, "Q2": 2}
    with pytest.raises(CollectionError, match="no collection named 'Nope'"):
        collections.collection_scope(seeded_archive, "Nope")


def test_saved_searches_count_what_they_find_now(seeded_archive: Archive) -> None:
    mastung, balochistan = _ids(seeded_archive)
    previous, saved_id = collections.save_search(seeded_archive, "Mastung", "mastung", None)
    assert previous is None
    collections.save_search(
        seeded_archive, "Pishin", "", SearchFilters(place="pishin", incident_ids=frozenset({1}))
    )
    found = {s.name: s for s in collections.saved_searches(seeded_archive)}
    assert found["Mastung"].count == 1 and found["Pishin"].count == 1
    assert found["Pishin"].filters == SearchFilters(place="pishin")  # a selection is not saved
    assert found["Pishin"].describe() == "place: pishin"
    scope = collections.saved_search_scope(found["Mastung"])
    assert collections.scope_ids(seeded_archive, scope) == [mastung]
    assert collections.scope_ids(
        seeded_archive, collections.saved_search_scope(found["Pishin"])
    ) == [balochistan]
    # saving under the same name replaces it; undo puts the old one back by its id
    replaced, same_id = collections.save_search(seeded_archive, "mastung", "balochistan", None)
    assert replaced is not None and replaced.query == "mastung" and same_id == saved_id
    collections.restore_saved_search(seeded_archive, replaced)
    assert collections.find_saved_search(seeded_archive, "Mastung").query == "mastung"
    row = collections.delete_saved_search(seeded_archive, saved_id)
    assert [s.name for s in collections.saved_searches(seeded_archive)] == ["Pishin"]
    collections.restore_saved_search(seeded_archive, row)
    assert len(collections.saved_searches(seeded_archive)) == 2
    with pytest.raises(CollectionError, match="quotation mark"):
        collections.save_search(seeded_archive, "broken", '"unclosed', None)
    with pytest.raises(CollectionError, match="needs a query or a filter"):
        collections.save_search(seeded_archive, "empty", "  ", SearchFilters())


def test_scopes_narrow_exports_and_reactions_by_actor(seeded_archive: Archive) -> None:
    mastung, balochistan = _ids(seeded_archive)
    collections.add_to_collection(seeded_archive, "Just Mastung", [mastung])
    tagging.tag_incidents(seeded_archive, [balochistan], ["Pishin"])
    scopes = {
        "collection": collections.collection_scope(seeded_archive, "just mastung"),
        "tag": collections.tag_scope("pishin"),
        "query": collections.query_scope("Balochistan AND Pishin"),
    }
    expected = {"collection": [mastung], "tag": [balochistan], "query": [balochistan]}
    for name, scope in scopes.items():
        ids = collections.scope_ids(seeded_archive, scope)
        assert ids == expected[name], name
        out = io.StringIO()
        assert exporting.export(seeded_archive, "json", out, ids) == 1
        assert [i["id"] for i in json.loads(out.getvalue())["incidents"]] == ids
    everyone = reactions.actors(seeded_archive)
    within = reactions.actors(seeded_archive, scope=scopes["collection"])
    assert 0 < len(within) < len(everyone)
    for actor in within:
        rows = reactions.actor_incidents(seeded_archive, actor.actor, scope=scopes["collection"])
        assert [row[0] for row in rows] == [mastung]
