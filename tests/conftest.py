"""Shared fixtures: the seed graph, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_graph():
    """The rdflib.Graph of ``kg.build(seeds/)`` (do not modify it)."""
    return kg.build([SEEDS])


@pytest.fixture(scope="session")
def seed_ttl(seed_graph, tmp_path_factory) -> Path:
    """The seed graph written as Turtle (graph.ttl) in a session temporary folder."""
    from kg.export import write_turtle

    return write_turtle(seed_graph, tmp_path_factory.mktemp("seed") / "graph.ttl")
