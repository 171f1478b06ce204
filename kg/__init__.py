"""edupolicy-kg: Chinese education-policy documents into a linked, queryable knowledge graph.

``import kg`` is cheap and writes nothing; the pipeline loads on first use::

    import kg
    g = kg.build(["seeds/"])          # an rdflib.Graph following the contract
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__version__ = "0.1.0"
__all__ = ["build", "query", "to_networkx", "__version__"]

PathLike = str | os.PathLike[str]


def build(paths: PathLike | Iterable[PathLike], *, skip_bad: bool = False,
          max_seconds_per_file: float | None = None, max_memory_per_file: int | None = None,
          jobs: int = 1) -> "Graph":
    """Build the graph of one file or folder, or of several: ``kg.build("seeds/")``, ``kg.build([a, b])``.

    A file that cannot be read (missing, empty, binary…) raises
    :class:`~kg.errors.BuildError`, which names every such file and holds the
    graph of the others (``exc.graph``); with ``skip_bad=True`` each becomes a
    :class:`~kg.errors.KGWarning` and the graph of the others is returned. A
    file read only in part (NUL bytes, a line in another encoding) is a
    warning too. With ``max_seconds_per_file`` or ``max_memory_per_file``
    (MB), each document runs in a worker process under that budget (see
    :mod:`kg.worker`); ``jobs`` analyses that many documents at once, each in a
    worker process. The graph is the same whatever ``jobs``.
    """
    import warnings

    from .errors import BuildError, KGWarning
    from .graph import to_graph
    from .ingest import iter_inputs
    from .pipeline import Pipeline
    from .worker import Budget

    inputs = iter_inputs(paths)
    if not inputs:
        raise BuildError([], None, 0)
    budget = None
    if max_seconds_per_file is not None or max_memory_per_file is not None:
        budget = Budget(seconds=max_seconds_per_file, memory_mb=max_memory_per_file)
    docs, failures = Pipeline().run_fragments(inputs, budget=budget, jobs=jobs)
    for doc in docs:
        if doc.notes:
            warnings.warn(f"{doc.source}: partly unreadable, kept the rest: {'; '.join(doc.notes)}", KGWarning,
                          stacklevel=2)
    graph = to_graph(docs) if docs else None
    if failures and not skip_bad:
        raise BuildError([(f.path, f.reason) for f in failures], graph, len(inputs))
    for f in failures:
        warnings.warn(str(f), KGWarning, stacklevel=2)
    return graph if graph is not None else to_graph([])


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
