"""Score built graphs against the gold annotations (``gold/FORMAT.md``).

Pure functions, no printing: :func:`evaluate` builds and scores every gold
document, :func:`score_document` scores one graph against one gold dict,
:func:`aggregate` sums the per-document counts (micro average) into a
:class:`Report` that formats itself as a table or a dict for JSON.

Choices where FORMAT.md leaves room (kept in one place so they can be argued):

* Names are compared after :func:`canon` (NFKC, traditional→simplified,
  no white space, no 《》〈〉 or quotation marks). A graph entity's names are
  all its ``rdfs:label`` and ``skos:altLabel`` values, any language tag.
* Entities: a graph entity (a subject typed with one of the six classes; an
  IRI typed with two classes counts once per class) is *correct* when it
  shares a name with any gold entity of that class, optional ones included;
  a gold entity is *found* when some graph entity of its class shares a name
  with it. P = correct / predicted, R = found non-optional / non-optional.
* Relations: a gold relation's ends are resolved to every gold entity that
  has the end as its name or alias (the union of their names; the end itself
  when none does). Ends are matched by name only, not by class. Predicted
  relations are triples with one of the six predicates between two typed
  entities (subject not an Observation). Matching an optional gold relation
  makes a prediction correct, missing one is not a miss.
* Observations: units compare as (base, scale) where every leading 万/亿
  multiplies the scale by 1e4/1e8 (``1.5 万平方米`` == ``15000 平方米``);
  ``%`` only equals ``%``. Indicator similarity uses character *multisets*
  (``Counter``): overlap = |gold ∩ pred|, and it matches when overlap/|gold|
  ≥ 0.5 and overlap/|pred| ≥ 0.5 (canon'd label; every label/altLabel of the
  indicator node is tried, the best counts). Candidate pairs are matched
  one-to-one greedily: quote containment first, then higher Dice
  (2·overlap/(|gold|+|pred|)), then non-optional gold before optional, then
  document order. Predictions matched to optional gold leave both counts.
* Accuracies are taken on matched non-optional observations; both sides
  absent counts as correct. The graph's year is the first integer in the
  ``kg:year`` literal; with several values the smallest is used.
* Indicator naming (issue 10) is the share of matched non-optional gold
  observations whose gold indicator name, canon'd, is the label or one of the
  altLabels of the predicted observation's Indicator: exact, not overlap.
  Indicator linking is the share of predicted observations whose Indicator
  is a concept of the indicator scheme (has ``skos:inScheme``).
* Zero denominators give 0.0 (P, R, F1 and accuracies).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, RDFS
from rdflib.namespace import SKOS
from rdflib.term import Node

from .errors import GoldError
from .model import ENTITY_TYPES, PREDICATES
from .namespace import KG

__all__ = [
    "ACCURACY_FIELDS",
    "Counts",
    "DocScore",
    "GoldDoc",
    "Report",
    "aggregate",
    "canon",
    "char_overlap",
    "evaluate",
    "load_gold",
    "score_document",
    "unit_scale",
]

GOLD_TYPES = (*ENTITY_TYPES, "Indicator")
ACCURACY_FIELDS = ("year", "status", "place")
STATUSES = ("achieved", "target")

# ---------------------------------------------------------------------------
# canonical form of names


_STRIP = re.compile(r"[\s《》〈〉“”‘’\"'「」『』]+")
_converter: Any = None


def _t2s() -> Any:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


@lru_cache(maxsize=65536)
def canon(s: str) -> str:
    """Comparison form of a name: NFKC, simplified script, no spaces, brackets or quotes.

    >>> canon(" 《葫蘆島市“十三五”規劃》 ")
    '葫芦岛市十三五规划'
    """
    s = unicodedata.normalize("NFKC", s)
    s = _t2s().convert(s)
    return _STRIP.sub("", s)


def unit_scale(unit: str) -> tuple[str, Decimal]:
    """``(base unit, scale)``: each leading 万 or 亿 multiplies the scale.

    >>> unit_scale("万平方米")
    ('平方米', Decimal('10000'))
    >>> unit_scale("%")
    ('%', Decimal('1'))
    """
    u = canon(unit)
    scale = Decimal(1)
    while len(u) > 1 and u[0] in "万亿":
        scale *= Decimal(10000) if u[0] == "万" else Decimal(100000000)
        u = u[1:]
    return u, scale


def char_overlap(gold: str, pred: str) -> tuple[float, float]:
    """Shared characters (multiset) as fractions of gold's and of pred's length."""
    g, p = Counter(canon(gold)), Counter(canon(pred))
    ng, np_ = sum(g.values()), sum(p.values())
    if not ng or not np_:
        return 0.0, 0.0
    shared = sum((g & p).values())
    return shared / ng, shared / np_


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


# ---------------------------------------------------------------------------
# gold files


@dataclass(frozen=True)
class GoldDoc:
    """One gold file: where it was read from and its (validated) content."""

    path: Path
    data: dict[str, Any]

    @property
    def document(self) -> str:
        return str(self.data["document"])


def _to_decimal(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        d = Decimal(str(v).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _validate(data: Any, where: str) -> None:
    def fail(reason: str) -> GoldError:
        return GoldError(f"{where}: {reason}")

    if not isinstance(data, dict):
        raise fail("top level is not a JSON object")
    for key in ("document", "entities", "relations", "observations"):
        if key not in data:
            raise fail(f"missing key {key!r}")
    if not isinstance(data["document"], str) or not data["document"]:
        raise fail("'document' must be a non-empty string")
    for key in ("entities", "relations", "observations"):
        if not isinstance(data[key], list):
            raise fail(f"{key!r} must be a list")
    for i, e in enumerate(data["entities"]):
        if not isinstance(e, dict) or "type" not in e or "name" not in e:
            raise fail(f"entities[{i}] needs 'type' and 'name'")
        if e["type"] not in GOLD_TYPES:
            raise fail(f"entities[{i}] has unknown type {e['type']!r}")
        if not isinstance(e["name"], str) or not e["name"]:
            raise fail(f"entities[{i}] has an empty name")
        aliases = e.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise fail(f"entities[{i}] 'aliases' must be a list of strings")
    for i, r in enumerate(data["relations"]):
        if not isinstance(r, dict) or not all(k in r for k in ("subject", "predicate", "object")):
            raise fail(f"relations[{i}] needs 'subject', 'predicate' and 'object'")
        if r["predicate"] not in PREDICATES:
            raise fail(f"relations[{i}] has unknown predicate {r['predicate']!r}")
    for i, o in enumerate(data["observations"]):
        if not isinstance(o, dict) or not all(k in o for k in ("indicator", "value", "unit")):
            raise fail(f"observations[{i}] needs 'indicator', 'value' and 'unit'")
        if _to_decimal(o["value"]) is None:
            raise fail(f"observations[{i}] has a non-numeric value {o['value']!r}")
        year = o.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise fail(f"observations[{i}] 'year' must be an integer or null")


def load_gold(gold_dir: Path) -> list[GoldDoc]:
    """Every ``*.json`` in ``gold_dir`` (sorted by name), validated; GoldError names the file."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a directory")
    docs = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except UnicodeDecodeError as exc:
            raise GoldError(f"{path}: not UTF-8 ({exc})") from exc
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        except OSError as exc:
            raise GoldError(f"{path}: cannot read ({exc})") from exc
        _validate(data, str(path))
        docs.append(GoldDoc(path, data))
    return docs


# ---------------------------------------------------------------------------
# counts and scores


@dataclass
class Counts:
    """``found`` gold items of ``gold`` (recall), ``correct`` predictions of ``pred`` (precision)."""

    gold: int = 0
    pred: int = 0
    found: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.pred)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Counts) -> Counts:
        self.gold += other.gold
        self.pred += other.pred
        self.found += other.found
        self.correct += other.correct
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "tp": self.found,
            "correct": self.correct,
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
        }


@dataclass
class Accuracy:
    correct: int = 0
    n: int = 0

    @property
    def value(self) -> float:
        return _ratio(self.correct, self.n)

    def add(self, ok: bool) -> None:
        self.n += 1
        self.correct += int(ok)

    def __iadd__(self, other: Accuracy) -> Accuracy:
        self.correct += other.correct
        self.n += other.n
        return self

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "n": self.n, "accuracy": round(self.value, 6)}


def _miss_lists() -> dict[str, list[dict[str, Any]]]:
    return {
        "missed_entities": [],
        "false_entities": [],
        "missed_relations": [],
        "wrong_relations": [],
        "missed_observations": [],
        "spurious_observations": [],
        "wrong_year": [],
        "wrong_status": [],
        "wrong_place": [],
        "wrong_indicator_name": [],
    }


class _Totals:
    """Totals over the entity classes and the predicates of a score."""

    entities: dict[str, Counts]
    relations: dict[str, Counts]

    @property
    def entities_all(self) -> Counts:
        return _sum(self.entities.values())

    @property
    def relations_all(self) -> Counts:
        return _sum(self.relations.values())


@dataclass
class DocScore(_Totals):
    """Counts for one document plus what went wrong, item by item."""

    document: str
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    relations: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in PREDICATES})
    observations: Counts = field(default_factory=Counts)
    accuracy: dict[str, Accuracy] = field(
        default_factory=lambda: {k: Accuracy() for k in ACCURACY_FIELDS}
    )
    naming: Accuracy = field(default_factory=Accuracy)
    linked: Accuracy = field(default_factory=Accuracy)
    misses: dict[str, list[dict[str, Any]]] = field(default_factory=_miss_lists)


def _sum(items: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in items:
        total += c
    return total


# ---------------------------------------------------------------------------
# reading the graph


def _names(graph: rdflib.Graph, node: Node) -> set[str]:
    out = set()
    for prop in (RDFS.label, SKOS.altLabel):
        for lit in graph.objects(node, prop):
            c = canon(str(lit))
            if c:
                out.add(c)
    return out


def _label(graph: rdflib.Graph, node: Node) -> str:
    labels = sorted(str(x) for x in graph.objects(node, RDFS.label))
    if labels:
        return labels[0]
    alts = sorted(str(x) for x in graph.objects(node, SKOS.altLabel))
    return alts[0] if alts else str(node)


def _year(lit: Node) -> int | None:
    m = re.search(r"-?\d+", str(lit))
    return int(m.group()) if m else None


@dataclass
class _PredObs:
    node: Node
    value: Decimal | None
    unit: str
    base: str
    scale: Decimal
    indicator_names: list[str]
    indicator_label: str
    texts: list[str]  # canon'd evidence sentences
    raw_text: str
    year: int | None
    status: str | None
    place_names: set[str]
    place_label: str | None
    linked: bool = False  # its Indicator is a concept of the indicator scheme (skos:inScheme)


def _observations(graph: rdflib.Graph) -> list[_PredObs]:
    out = []
    for node in sorted(set(graph.subjects(RDF.type, KG.Observation)), key=str):
        values = [_to_decimal(v) for v in graph.objects(node, KG.value)]
        values = [v for v in values if v is not None]
        units = sorted(str(u) for u in graph.objects(node, KG.unit))
        unit = units[0] if units else ""
        base, scale = unit_scale(unit)
        ind_names: set[str] = set()
        ind_label = ""
        linked = False
        for ind in sorted(graph.objects(node, KG.indicator), key=str):
            ind_names |= _names(graph, ind)
            ind_label = ind_label or _label(graph, ind)
            linked = linked or any(True for _ in graph.objects(ind, SKOS.inScheme))
        raw_texts = sorted(
            str(t) for ev in graph.objects(node, KG.evidence) for t in graph.objects(ev, KG.text)
        )
        years = sorted(y for y in (_year(v) for v in graph.objects(node, KG.year)) if y is not None)
        statuses = sorted(str(s) for s in graph.objects(node, KG.status))
        places = sorted(graph.objects(node, KG.locatedIn), key=str)
        place_names: set[str] = set()
        for pl in places:
            place_names |= _names(graph, pl)
        out.append(
            _PredObs(
                node=node,
                value=values[0] if values else None,
                unit=unit,
                base=base,
                scale=scale,
                indicator_names=sorted(ind_names),
                indicator_label=ind_label,
                texts=[canon(t) for t in raw_texts],
                raw_text=raw_texts[0] if raw_texts else "",
                year=years[0] if years else None,
                status=statuses[0] if statuses else None,
                place_names=place_names,
                place_label=_label(graph, places[0]) if places else None,
                linked=linked,
            )
        )
    return out


# ---------------------------------------------------------------------------
# scoring one document


def _gold_names(e: dict[str, Any]) -> set[str]:
    names = {canon(e["name"])} | {canon(a) for a in e.get("aliases") or []}
    names.discard("")
    return names


def _resolve(name: str | None, gold_entities: list[dict[str, Any]]) -> set[str]:
    """All names of every gold entity called ``name`` (the name itself if none is)."""
    if name is None:
        return set()
    c = canon(name)
    out = {c} if c else set()
    for e in gold_entities:
        names = _gold_names(e)
        if c in names:
            out |= names
    return out


def score_document(graph: rdflib.Graph, gold: dict[str, Any]) -> DocScore:
    """Score one built graph against one gold annotation (a dict as in FORMAT.md)."""
    _validate(gold, f"gold for {gold.get('document', '?') if isinstance(gold, dict) else '?'}")
    score = DocScore(document=str(gold["document"]))
    misses = score.misses
    gold_entities: list[dict[str, Any]] = gold["entities"]

    # --- entities ---------------------------------------------------------
    graph_entities: dict[Node, set[str]] = {}  # every typed entity → its names
    for cls in ENTITY_TYPES:
        counts = score.entities[cls]
        golds = [(e, _gold_names(e)) for e in gold_entities if e["type"] == cls]
        preds = sorted(set(graph.subjects(RDF.type, KG[cls])), key=str)
        pred_names = []
        for node in preds:
            names = graph_entities.get(node)
            if names is None:
                names = graph_entities[node] = _names(graph, node)
            pred_names.append((node, names))
        counts.pred = len(preds)
        for node, names in pred_names:
            if any(names & g for _, g in golds):
                counts.correct += 1
            else:
                misses["false_entities"].append({"type": cls, "label": _label(graph, node)})
        for e, g in golds:
            if e.get("optional"):
                continue
            counts.gold += 1
            if any(names & g for _, names in pred_names):
                counts.found += 1
            else:
                misses["missed_entities"].append({"type": cls, "name": e["name"]})

    # --- relations --------------------------------------------------------
    gold_rels = [
        (r, _resolve(r["subject"], gold_entities), _resolve(r["object"], gold_entities))
        for r in gold["relations"]
    ]
    predicted: list[tuple[Node, str, Node]] = []
    for pred in PREDICATES:
        for s, o in graph.subject_objects(KG[pred]):
            if s in graph_entities and o in graph_entities:
                if (s, RDF.type, KG.Observation) in graph:
                    continue
                predicted.append((s, pred, o))
    predicted.sort(key=lambda t: (t[1], str(t[0]), str(t[2])))
    found_rel = [False] * len(gold_rels)
    for s, pred, o in predicted:
        counts = score.relations[pred]
        counts.pred += 1
        sn, on = graph_entities[s], graph_entities[o]
        hit = False
        for i, (r, gs, go) in enumerate(gold_rels):
            if r["predicate"] == pred and sn & gs and on & go:
                hit = True
                found_rel[i] = True
        if hit:
            counts.correct += 1
        else:
            misses["wrong_relations"].append(
                {"subject": _label(graph, s), "predicate": pred, "object": _label(graph, o)}
            )
    for (r, _, _), found in zip(gold_rels, found_rel):
        if r.get("optional"):
            continue
        counts = score.relations[r["predicate"]]
        counts.gold += 1
        if found:
            counts.found += 1
        else:
            misses["missed_relations"].append(
                {"subject": r["subject"], "predicate": r["predicate"], "object": r["object"]}
            )

    # --- observations -----------------------------------------------------
    preds_obs = _observations(graph)
    gold_obs = gold["observations"]
    prepared = []
    for o in gold_obs:
        base, scale = unit_scale(str(o["unit"]))
        value = _to_decimal(o["value"])
        assert value is not None  # validated
        prepared.append((value * scale, base, canon(str(o["indicator"])), canon(str(o.get("quote") or ""))))

    candidates = []  # (sort key, gold index, pred index)
    for gi, (gval, gbase, gind, gquote) in enumerate(prepared):
        optional = bool(gold_obs[gi].get("optional"))
        for pi, p in enumerate(preds_obs):
            if p.value is None or p.base != gbase or p.value * p.scale != gval:
                continue
            quoted = bool(gquote) and any(gquote in t for t in p.texts)
            best_ok, best_dice = False, 0.0
            for name in p.indicator_names:
                rg, rp = char_overlap(gind, name)
                dice = 2 * rg * rp / (rg + rp) if rg + rp else 0.0
                best_ok = best_ok or (rg >= 0.5 and rp >= 0.5)
                best_dice = max(best_dice, dice)
            if quoted or best_ok:
                candidates.append(((not quoted, -best_dice, optional, gi, pi), gi, pi))
    candidates.sort(key=lambda c: c[0])
    gold_match: dict[int, int] = {}
    pred_match: dict[int, int] = {}
    for _, gi, pi in candidates:
        if gi in gold_match or pi in pred_match:
            continue
        gold_match[gi] = pi
        pred_match[pi] = gi

    counts = score.observations
    for p in preds_obs:
        score.linked.add(p.linked)
    for pi, p in enumerate(preds_obs):
        matched_gi = pred_match.get(pi)
        if matched_gi is not None and gold_obs[matched_gi].get("optional"):
            continue  # matched an optional gold observation: neither right nor wrong
        counts.pred += 1
        if matched_gi is not None:
            counts.correct += 1
        else:
            misses["spurious_observations"].append(
                {
                    "indicator": p.indicator_label,
                    "value": str(p.value) if p.value is not None else None,
                    "unit": p.unit,
                    "text": p.raw_text[:60],
                }
            )
    for gi, o in enumerate(gold_obs):
        if o.get("optional"):
            continue
        counts.gold += 1
        matched_pi = gold_match.get(gi)
        if matched_pi is None:
            misses["missed_observations"].append(
                {
                    "indicator": o["indicator"],
                    "value": str(o["value"]),
                    "unit": o["unit"],
                    "quote": o.get("quote"),
                }
            )
            continue
        counts.found += 1
        p = preds_obs[matched_pi]
        what = {"indicator": o["indicator"], "value": str(o["value"]), "unit": o["unit"]}
        gyear = o.get("year")
        score.accuracy["year"].add(gyear == p.year)
        if gyear != p.year:
            misses["wrong_year"].append({**what, "gold": gyear, "predicted": p.year})
        gstatus = o.get("status")
        score.accuracy["status"].add(gstatus == p.status)
        if gstatus != p.status:
            misses["wrong_status"].append({**what, "gold": gstatus, "predicted": p.status})
        gplace = o.get("place")
        if gplace is None:
            ok = not p.place_names and p.place_label is None
        else:
            ok = bool(_resolve(gplace, gold_entities) & p.place_names)
        score.accuracy["place"].add(ok)
        if not ok:
            misses["wrong_place"].append({**what, "gold": gplace, "predicted": p.place_label})
        named = canon(str(o["indicator"])) in p.indicator_names
        score.naming.add(named)
        if not named:
            misses["wrong_indicator_name"].append({**what, "gold": o["indicator"], "predicted": p.indicator_label})
    return score


# ---------------------------------------------------------------------------
# report


@dataclass
class Report(_Totals):
    """Micro-averaged totals over documents, plus the per-document scores."""

    entities: dict[str, Counts]
    relations: dict[str, Counts]
    observations: Counts
    accuracy: dict[str, Accuracy]
    documents: list[DocScore]
    naming: Accuracy = field(default_factory=Accuracy)
    linked: Accuracy = field(default_factory=Accuracy)

    def rows(self) -> list[tuple[str, Counts]]:
        rows: list[tuple[str, Counts]] = list(self.entities.items())
        rows.append(("entities (all)", self.entities_all))
        rows += list(self.relations.items())
        rows.append(("relations (all)", self.relations_all))
        rows.append(("observations", self.observations))
        return rows

    def format(self, misses: bool = False) -> str:
        w = 18
        head = (
            f"{'':<{w}}{'gold':>7}{'predicted':>10}{'TP':>7}{'correct':>8}"
            f"{'P':>8}{'R':>8}{'F1':>8}"
        )
        lines = [f"{len(self.documents)} document(s)", head, "-" * len(head)]
        for name, c in self.rows():
            lines.append(
                f"{name:<{w}}{c.gold:>7}{c.pred:>10}{c.found:>7}{c.correct:>8}"
                f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
            )
            if name in ("entities (all)", "relations (all)"):
                lines.append("")
        lines.append("")
        for key in ACCURACY_FIELDS:
            a = self.accuracy[key]
            label = f"{key} accuracy"
            lines.append(f"{label:<{w}}{a.value:>7.3f}  (n={a.n}, correct={a.correct})")
        lines.append(f"{'indicator naming':<{w}}{self.naming.value:>7.3f}  (n={self.naming.n}, named={self.naming.correct})")
        lines.append(f"{'indicator linked':<{w}}{self.linked.value:>7.3f}  (n={self.linked.n}, in scheme={self.linked.correct})")
        if misses:
            for doc in self.documents:
                lines += ["", f"== {doc.document}"]
                lines += _format_misses(doc.misses)
        return "\n".join(lines) + "\n"

    def as_dict(self, misses: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": len(self.documents),
            "entities": {k: c.as_dict() for k, c in self.entities.items()},
            "relations": {k: c.as_dict() for k, c in self.relations.items()},
            "observations": self.observations.as_dict(),
            "accuracy": {k: a.as_dict() for k, a in self.accuracy.items()},
            "indicator_naming": self.naming.as_dict(),
            "indicator_linked": self.linked.as_dict(),
        }
        out["entities"]["all"] = self.entities_all.as_dict()
        out["relations"]["all"] = self.relations_all.as_dict()
        out["per_document"] = [
            {
                "document": d.document,
                "entities": d.entities_all.as_dict(),
                "relations": d.relations_all.as_dict(),
                "observations": d.observations.as_dict(),
                **({"misses": d.misses} if misses else {}),
            }
            for d in self.documents
        ]
        return out


def _format_misses(m: dict[str, list[dict[str, Any]]]) -> list[str]:
    def rel(x: dict[str, Any]) -> str:
        return f"{x['subject']} --{x['predicate']}--> {x['object']}"

    def obs(x: dict[str, Any]) -> str:
        return f"{x['indicator']} = {x['value']} {x['unit']}"

    sections = [
        ("missed entities", "missed_entities", lambda x: f"{x['type']}: {x['name']}"),
        ("false entities", "false_entities", lambda x: f"{x['type']}: {x['label']}"),
        ("missed relations", "missed_relations", rel),
        ("wrong relations", "wrong_relations", rel),
        ("missed observations", "missed_observations", lambda x: f"{obs(x)}  「{x['quote']}」"),
        ("spurious observations", "spurious_observations", lambda x: f"{obs(x)}  「{x['text']}」"),
        ("wrong year", "wrong_year", lambda x: f"{obs(x)}: gold {x['gold']}, got {x['predicted']}"),
        ("wrong status", "wrong_status", lambda x: f"{obs(x)}: gold {x['gold']}, got {x['predicted']}"),
        ("wrong place", "wrong_place", lambda x: f"{obs(x)}: gold {x['gold']}, got {x['predicted']}"),
        ("indicator named otherwise", "wrong_indicator_name",
         lambda x: f"{obs(x)}: gold {x['gold']}, got {x['predicted']}"),
    ]
    lines = []
    for title, key, fmt in sections:
        items = m.get(key) or []
        if not items:
            continue
        lines.append(f"-- {title} ({len(items)})")
        lines += [f"   {fmt(x)}" for x in items]
    if not lines:
        lines.append("   (nothing missed)")
    return lines


def aggregate(scores: Iterable[DocScore]) -> Report:
    """Sum counts over documents (micro average)."""
    docs = list(scores)
    report = Report(
        entities={t: Counts() for t in ENTITY_TYPES},
        relations={p: Counts() for p in PREDICATES},
        observations=Counts(),
        accuracy={k: Accuracy() for k in ACCURACY_FIELDS},
        documents=docs,
    )
    for d in docs:
        for t in ENTITY_TYPES:
            report.entities[t] += d.entities[t]
        for p in PREDICATES:
            report.relations[p] += d.relations[p]
        report.observations += d.observations
        for k in ACCURACY_FIELDS:
            report.accuracy[k] += d.accuracy[k]
        report.naming += d.naming
        report.linked += d.linked
    return report


def evaluate(
    gold_dir: Path,
    docs_dir: Path,
    build: Callable[[Path], rdflib.Graph],
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Build every gold document's graph with ``build`` and score it; GoldError on a missing document."""
    golds = load_gold(Path(gold_dir))
    scores = []
    for g in golds:
        doc_path = Path(docs_dir) / g.document
        if not doc_path.is_file():
            raise GoldError(f"{g.path}: document {doc_path} not found")
        if progress is not None:
            progress(g.document)
        scores.append(score_document(build(doc_path), g.data))
    return aggregate(scores)
