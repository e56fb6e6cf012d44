"""The cycle collector is paused while records are built in bulk, and resumes as it was."""

from __future__ import annotations

import gc
import weakref

import pytest

from reviewbook.collector import built_to_keep, collector_paused
from reviewbook.model import Reference


class Node:
    """An object that can be part of a cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.partner: Node | None = None


def test_the_collector_is_paused_inside_and_resumes_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    try:
        with collector_paused(), built_to_keep():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_records_built_to_keep_go_straight_to_the_oldest_generation() -> None:
    with built_to_keep():
        assert not gc.isenabled()
        records = [Reference(index=number, raw=f"Cell. 2001;{number}:1-9") for number in range(500)]
    assert gc.isenabled()
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(record) in oldest for record in records)
    assert not any(id(record) in oldest for record in [Reference(index=1, raw="later")])


def test_a_cycle_built_to_keep_is_still_collected_once_dropped() -> None:
    with built_to_keep():
        first, second = Node(), Node()
        first.partner, second.partner = second, first
    watched = weakref.ref(first)
    del first, second
    gc.collect()
    assert watched() is None
