"""How far two independent annotations of the same documents agree on their figures.

    python scripts/agreement.py eval/agreement/second eval/real/gold ../shared/gold/extra

The first folder holds the second annotations; the others the gold files they are
compared with (matched by the ``document`` field). Observations are paired as
``kg eval`` pairs a build's with gold (same value in the same unit family; among
several, the closest quote and indicator name); optional ones are left out on both
sides. Printed: how many figures both found (F1 of one annotation against the other),
and for the pairs, how often the indicator names are the same string after
``kg eval``'s canonical form (what ``kg eval`` calls indicator naming), and how often
year, status and place agree. It is the ceiling to read ``kg eval``'s figures against:
a build cannot be expected to name figures more like one annotator than another
annotator does.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kg.evaluate import _to_decimal, canon, char_overlap, unit_scale


def _key(o: dict) -> tuple[str, object]:
    base, scale = unit_scale(str(o["unit"]))
    value = _to_decimal(o["value"])
    return base, (value * scale if value is not None else None)


def _closeness(a: dict, b: dict) -> float:
    qa, qb = canon(a.get("quote") or ""), canon(b.get("quote") or "")
    rq = sum(char_overlap(qa, qb)) if qa and qb else 0.0
    return rq + sum(char_overlap(canon(str(a["indicator"])), canon(str(b["indicator"]))))


def compare(first: list[dict], second: list[dict]) -> dict[str, int]:
    a_obs = [o for o in first if not o.get("optional")]
    b_obs = [o for o in second if not o.get("optional")]
    used: set[int] = set()
    n = {"first": len(a_obs), "second": len(b_obs), "pairs": 0, "name": 0, "year": 0, "status": 0, "place": 0}
    for a in a_obs:
        cands = [i for i, b in enumerate(b_obs) if i not in used and _key(b) == _key(a)]
        if not cands:
            continue
        i = max(cands, key=lambda j: _closeness(a, b_obs[j]))
        used.add(i)
        b = b_obs[i]
        n["pairs"] += 1
        n["name"] += canon(str(a["indicator"])) == canon(str(b["indicator"]))
        n["year"] += a.get("year") == b.get("year")
        n["status"] += a.get("status") == b.get("status")
        n["place"] += canon(str(a.get("place") or "")) == canon(str(b.get("place") or ""))
    return n


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    gold: dict[str, dict] = {}
    for folder in argv[2:]:
        for path in sorted(Path(folder).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            gold[data["document"]] = data
    total = {"first": 0, "second": 0, "pairs": 0, "name": 0, "year": 0, "status": 0, "place": 0}
    print(f"{'document':<48}{'figures':>9}{'pairs':>7}{'naming':>8}{'year':>7}{'status':>8}{'place':>7}")
    for path in sorted(Path(argv[1]).glob("*.json")):
        second = json.loads(path.read_text(encoding="utf-8"))
        first = gold.get(second["document"])
        if first is None:
            print(f"{path.name}: no gold file names {second['document']}", file=sys.stderr)
            continue
        n = compare(first["observations"], second["observations"])
        for k in total:
            total[k] += n[k]
        p = max(n["pairs"], 1)
        print(f"{second['document'][:47]:<48}{n['first']:>4}/{n['second']:<4}{n['pairs']:>7}{n['name'] / p:>8.3f}"
              f"{n['year'] / p:>7.3f}{n['status'] / p:>8.3f}{n['place'] / p:>7.3f}")
    p = max(total["pairs"], 1)
    f1 = 2 * total["pairs"] / max(total["first"] + total["second"], 1)
    print(f"all: {total['pairs']} pairs of {total['first']} and {total['second']} figures (F1 {f1:.3f}); "
          f"naming {total['name'] / p:.3f}, year {total['year'] / p:.3f}, status {total['status'] / p:.3f}, "
          f"place {total['place'] / p:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
