"""Turns at the write lock among one program's threads: a short writer goes between two steps
of a long one, and nobody waits for ever."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from db.turns import WriteTurns


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.001)


def test_a_waiting_writer_goes_between_two_steps_of_the_holder() -> None:
    turns = WriteTurns(timeout=10)
    order: list[str] = []
    holding = threading.Event()

    def long_writer() -> None:
        with turns.turn():
            order.append("batch, first part")
            holding.set()
            _wait(lambda: turns.wanted)
            turns.give_way()
            order.append("batch, second part")

    def short_writer() -> None:
        with turns.turn():
            order.append("tag")

    long = threading.Thread(target=long_writer)
    long.start()
    assert holding.wait(10)
    short = threading.Thread(target=short_writer)
    short.start()
    long.join(10)
    short.join(10)
    assert order == ["batch, first part", "tag", "batch, second part"]
    assert not turns.wanted


def test_the_turn_is_reentrant_and_giving_way_to_nobody_returns_at_once() -> None:
    turns = WriteTurns(timeout=10)
    with turns.turn():
        with turns.turn():  # a writer that calls another writer on its own thread
            turns.give_way()
        turns.give_way()
    taken = threading.Event()

    def other() -> None:
        with turns.turn():
            taken.set()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert taken.is_set()  # the turn was released once the outer block ended


def test_a_turn_held_too_long_stops_no_one_for_ever() -> None:
    """A holder that never gives way: the other writer goes ahead after the timeout (SQLite's
    own lock then decides) and the holder's release does not undo the other's turn."""
    turns = WriteTurns(timeout=0.05)
    release = threading.Event()
    holding = threading.Event()

    def stubborn() -> None:
        with turns.turn():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=stubborn)
    thread.start()
    assert holding.wait(10)
    with turns.turn():
        went_ahead = True
    release.set()
    thread.join(10)
    assert went_ahead and not turns.wanted
    with turns.turn():  # and the turn works as before
        pass


def test_a_writer_that_found_the_turn_taken_is_remembered_for_a_while() -> None:
    turns = WriteTurns(timeout=10)
    with turns.turn():  # nobody held it: not contested
        pass
    assert not turns.contested_within(60)
    holding = threading.Event()

    def long_writer() -> None:
        with turns.turn():
            holding.set()
            _wait(lambda: turns.wanted)

    long = threading.Thread(target=long_writer)
    long.start()
    assert holding.wait(10)
    with turns.turn():
        pass
    long.join(10)
    assert turns.contested_within(60)
    assert not turns.contested_within(0)
