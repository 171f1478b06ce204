"""Tests check behaviour, benchmarks check speed: no test asserts on a clock.

A wall-clock assertion fails CI on a loaded machine; timings belong in
``bench/``. This test reads every test module and fails on an ``assert``
whose expression uses a clock reading, directly or through a variable
computed from one (``t = time.perf_counter(); ...; assert time.perf_counter() - t < 1``).
Waiting with a deadline (poll until ready or give up) is allowed: it bounds a
hang, it does not judge speed.
"""

from __future__ import annotations

import ast
from pathlib import Path

CLOCKS = {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "time", "time_ns",
          "process_time", "process_time_ns", "thread_time", "default_timer", "timeit", "repeat"}
TESTS = Path(__file__).resolve().parent


def _is_clock_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    if isinstance(f, ast.Attribute) and f.attr in CLOCKS and isinstance(f.value, ast.Name):
        return f.value.id in {"time", "timeit", "datetime"}
    return isinstance(f, ast.Name) and f.id in {"perf_counter", "monotonic", "default_timer", "timeit"}


def _uses(node: ast.AST, tainted: set[str]) -> bool:
    return any(_is_clock_call(n) or (isinstance(n, ast.Name) and n.id in tainted) for n in ast.walk(node))


def timed_assertions(source: str, filename: str = "<test>") -> list[int]:
    """Line numbers of asserts that compare clock readings."""
    tree = ast.parse(source, filename)
    found: list[int] = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = [n for n in ast.walk(fn)]
        tainted: set[str] = set()
        changed = True
        while changed:  # names computed from clock readings, transitively
            changed = False
            for n in body:
                if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and n.value is not None:
                    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                    if _uses(n.value, tainted):
                        for t in targets:
                            for name in ast.walk(t):
                                if isinstance(name, ast.Name) and name.id not in tainted:
                                    tainted.add(name.id)
                                    changed = True
        for n in body:
            if isinstance(n, ast.Assert) and _uses(n.test, tainted):
                found.append(n.lineno)
    return sorted(set(found))


def test_detector_catches_a_timed_assertion() -> None:
    bad = (
        "import time\n"
        "def test_x():\n"
        "    t0 = time.perf_counter()\n"
        "    work()\n"
        "    elapsed = time.perf_counter() - t0\n"
        "    assert elapsed < 1.0\n"
    )
    assert timed_assertions(bad) == [6]
    assert timed_assertions("import time\ndef test_y():\n    assert time.time() > 0\n") == [3]


def test_detector_allows_a_deadline_wait() -> None:
    ok = (
        "import time\n"
        "def wait():\n"
        "    end = time.monotonic() + 60\n"
        "    while time.monotonic() < end:\n"
        "        if ready():\n"
        "            assert state() == 'ok'\n"
        "            return\n"
        "    raise AssertionError('never ready')\n"
    )
    assert timed_assertions(ok) == []


def test_no_test_asserts_on_wall_clock_time() -> None:
    offenders = []
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for line in timed_assertions(path.read_text(encoding="utf-8"), str(path)):
            offenders.append(f"{path.name}:{line}")
    assert not offenders, "timed assertions (move them to bench/): " + ", ".join(offenders)
