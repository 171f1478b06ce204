"""The document container's look-ups: mentions by position, line starts."""

from __future__ import annotations

import random
from pathlib import Path

from kg.model import Document, Mention, SpanIndex


def _mentions(n: int, seed: int) -> list[Mention]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        start = rnd.randrange(0, 200)
        out.append(Mention(start, start + rnd.randrange(1, 12), "名", rnd.choice(["Place", "Agency"]), -1))
    return out


def test_span_index_agrees_with_a_scan_and_keeps_list_order() -> None:
    ms = _mentions(300, 1)
    index = SpanIndex(ms)
    for start in range(0, 210, 3):
        for end in (start, start + 1, start + 5, start + 20):
            assert index.overlapping(start, end) == [m for m in ms if m.start < end and start < m.end]
            assert index.within(start, end) == [m for m in ms if start <= m.start and m.end <= end]


def test_span_index_of_nothing() -> None:
    assert SpanIndex([]).overlapping(0, 10) == []
    assert SpanIndex([]).within(0, 10) == []


def test_line_start() -> None:
    text = "一、总体要求\n全市新建幼儿园23所。\n\n二、重点任务"
    doc = Document("d", Path("d.txt"), text, text, list(range(len(text) + 1)))
    for offset in range(len(text) + 1):
        assert doc.line_start(offset) == text.rfind("\n", 0, offset) + 1
    doc.text = "另一行\n文本"  # a changed text is indexed again
    assert doc.line_start(5) == 4
