"""Which main-content extractor keeps a page's article? Measured against the gold (not a test).

    .venv/bin/python scripts/compare_page_extractors.py eval/real/gold eval/real/docs

For every gold file of an HTML page: the share of the gold's quotes and entity names
(the article's facts) found in the text each extractor keeps ("recall"), and the number
of characters it keeps (more characters for the same recall is more furniture). Extractors:
trafilatura alone, our content-block rules alone, all visible text, and kg's choice
(:func:`kg.ingest.extract_page`).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import _text_lines, _trafilatura_lines, decode_bytes, extract_page  # noqa: E402
from kg.normalize import normalize  # noqa: E402


def squash(s: str) -> str:
    return re.sub(r"\s+", "", normalize(s).text)


def variants(markup: str) -> dict[str, str]:
    from bs4 import BeautifulSoup

    page = extract_page(markup)
    soup = BeautifulSoup(markup, "lxml")
    for t in soup(["script", "style", "noscript", "template", "head"]):
        t.decompose()
    return {
        "trafilatura": "\n".join(_trafilatura_lines(markup)),
        "containers": extract_page(markup, method="containers").text,
        "kg (chosen)": page.text,
        "visible": "\n".join(_text_lines(soup.get_text("\n"))),
    }


def main() -> None:
    gold_dir, docs_dir = Path(sys.argv[1]), Path(sys.argv[2])
    totals: dict[str, list[int]] = {}
    for g in sorted(gold_dir.glob("*.json")):
        data = json.loads(g.read_text("utf-8"))
        doc = docs_dir / data["document"]
        if doc.suffix not in (".html", ".htm"):
            continue
        markup, _ = decode_bytes(doc.read_bytes(), html=True)
        facts = [o["quote"] for o in data.get("observations", []) if o.get("quote")]
        facts += [e["name"] for e in data.get("entities", []) if not e.get("optional")]
        for name, text in variants(markup).items():
            flat = squash(text)
            found = sum(1 for f in facts if squash(f) in flat)
            t = totals.setdefault(name, [0, 0, 0])
            t[0] += found
            t[1] += len(facts)
            t[2] += len(flat)
    print(f"{'extractor':14} {'facts kept':>11} {'recall':>7} {'chars kept':>11}")
    for name, (found, n, chars) in totals.items():
        print(f"{name:14} {found:>5}/{n:<5} {found / max(n, 1):7.3f} {chars:11,}")


if __name__ == "__main__":
    main()
