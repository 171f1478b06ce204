"""Shared fixtures: the seed graph, built once per test session; the fragments of seeds and devsets."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

SEEDS = Path(__file__).parent.parent / "seeds"
DEVSETS = sorted((Path(__file__).parent.parent / "eval").glob("devset*/docs"))


@pytest.fixture(scope="session")
def seed_graph():
    """The rdflib.Graph of ``kg.build(seeds/)`` (do not modify it)."""
    return kg.build([SEEDS])


@pytest.fixture(scope="session")
def seed_ttl(seed_graph, tmp_path_factory) -> Path:
    """The seed graph written as Turtle (graph.ttl) in a session temporary folder."""
    from kg.export import write_turtle

    return write_turtle(seed_graph, tmp_path_factory.mktemp("seed") / "graph.ttl")


@pytest.fixture(scope="module")
def fragments():
    """The fragments of the seeds and the devsets, analysed once per test module (tests may change them)."""
    from kg.pipeline import Pipeline

    frags, failures = Pipeline().run_fragments([SEEDS, *DEVSETS])
    assert not failures
    return frags
