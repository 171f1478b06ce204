"""edupolicy-kg: Chinese education-policy documents into a linked, queryable knowledge graph.

``import kg`` is cheap and writes nothing; the pipeline loads on first use::

    import kg
    g = kg.build(["seeds/"])          # an rdflib.Graph following the contract
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__version__ = "0.1.0"
__all__ = ["build", "query", "to_networkx", "__version__"]


def build(paths: Iterable[str | Path]) -> "Graph":
    """Build the graph of the given files or folders (unreadable files are skipped)."""
    from .graph import to_graph
    from .pipeline import Pipeline

    docs, _failures = Pipeline().run([Path(p) for p in paths])
    return to_graph(docs)


def __getattr__(name: str):
    """``kg.query(graph_or_store, sparql)`` and ``kg.to_networkx(graph)``, loaded on first use."""
    if name == "query":
        import importlib

        # the module is callable: kg.query(graph_or_store, "SELECT …")
        return importlib.import_module(".query", __name__)
    if name == "to_networkx":
        from .linkage import to_networkx

        return to_networkx
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
