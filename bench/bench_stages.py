"""How each stage's cost grows with one document's length (not a test).

    .venv/bin/python bench/bench_stages.py [--base 50000] [--steps 3]

Builds one document of the seeds' text repeated to ``base`` characters, then
to 2×, 4×, … that length, and times normalize, the gazetteer scan and the
whole per-document pipeline on each. Prints seconds and the ratio of each
size's time to the first size's (the baseline of the same run): a stage
that is linear in a document's length shows ratios close to 2, 4, 8…
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.gazetteer import Gazetteer  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.pipeline import Pipeline  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def varied(seed: str, n: int) -> str:
    """``n`` characters of the seed text, each copy with its numbers shifted (so no line repeats)."""
    parts, total, i = [], 0, 0
    while total < n:
        part = re.sub(r"\d+", lambda m, i=i: str(int(m.group()) + i), seed) + f"\n第{i}部分\n"
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=50_000, help="characters of the smallest document")
    ap.add_argument("--steps", type=int, default=3, help="doublings after the smallest")
    args = ap.parse_args()
    seed = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    gaz = Gazetteer.load()
    pipeline = Pipeline(gaz)
    pipeline.process_text(varied(seed, args.base))  # jieba, OpenCC and the lexicons load outside the timings
    sizes = [args.base * 2**i for i in range(args.steps + 1)]
    rows = []
    for n in sizes:
        text = varied(seed, n)
        norm, t_norm = timed(lambda: normalize(text))
        _, t_find = timed(lambda: gaz.find(norm.text))
        _, t_pipe = timed(lambda: pipeline.process_text(text))
        rows.append((n, t_norm, t_find, t_pipe))
    base = rows[0]
    print(f"{'chars':>10} {'size×':>6} {'normalize s':>12} {'×':>6} {'gazetteer s':>12} {'×':>6} "
          f"{'pipeline s':>11} {'×':>6}")
    for n, a, b, c in rows:
        print(f"{n:10,} {n / base[0]:6.0f} {a:12.3f} {a / base[1]:6.1f} {b:12.3f} {b / base[2]:6.1f} "
              f"{c:11.2f} {c / base[3]:6.1f}")


if __name__ == "__main__":
    main()
