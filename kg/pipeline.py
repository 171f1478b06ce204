"""The pipeline: ingest → normalize → segment → extract → link → graph.

``process(path)`` runs every stage on one file and returns its
:class:`~kg.model.Document`; ``build(paths)`` runs a batch and returns the
documents that worked plus one :class:`Failure` per file that did not.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import FragmentCache
from .errors import InputError, KGError
from .extract.entities import (
    find_agencies,
    find_documents,
    find_persons,
    find_places,
    find_programs,
    find_schools,
    find_towns,
    resolve_overlaps,
)
from .extract.observations import build_observations
from .extract.relations import build_relations, prune_unnamed_places
from .fragment import Fragment, reduce
from .gazetteer import Gazetteer
from .ingest import DATE_LINE, iter_inputs, read_document
from .link import Linker
from .model import Document
from .normalize import normalize
from .segment import FOUNDING_YEAR, looks_like_profile, segment
from .pool import run_pooled
from .worker import Budget, can_isolate, run_bounded

if TYPE_CHECKING:  # pragma: no cover
    from .dask_engine import DaskEngine

_MEETING_YEAR = re.compile(
    r"((?:19|20)\d{2})年(?:度)?[^。\n,]{0,16}?(?:工作会议|工作要点|工作计划|工作安排|工作总结|工作报告|座谈会|会议)"
)


@dataclass(frozen=True)
class Failure:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def doc_id_for(path: Path, seen: set[str] | None = None) -> str:
    """The file's stem; made unique with a short hash when two inputs share it."""
    stem = path.stem
    if seen is not None:
        if stem in seen:
            stem = f"{stem}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
        seen.add(stem)
    return stem


def tasks_of(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """The (path, document id) of every input of ``paths``, in input order."""
    seen: set[str] = set()
    return [(path, doc_id_for(path, seen)) for path in iter_inputs(paths)]


def document_year(doc: Document) -> int | None:
    """The year the document speaks in: its meeting or plan year, else its first year named."""
    head = doc.text[:600]
    m = _MEETING_YEAR.search(head)
    if m:
        year = int(m.group(1))
        # a review of the year before, then this heading (2019年,…取得…\n2020年重点工作安排:): the text
        # speaks in the reviewed year, planning the next
        line_start = doc.text.rfind("\n", 0, m.start()) + 1
        reviewed = re.search(rf"(?:^|\n){year - 1}年(?:以来|来)?[,,]", doc.text[:line_start])
        if line_start > 0 and m.start() == line_start and reviewed and "计划" not in m.group(0):
            return year - 1
        return year
    # a web page's date line (发布时间:2021-09-03): its 今年 and 秋季开学 are that year's — unless the page
    # says it is a reader's upload (来源于网友上传, 不代表本站观点): then the date is the upload's
    m = DATE_LINE.search(doc.original[:1000])  # normalize drops the date line as page furniture
    profile = looks_like_profile(doc.text)  # (a profile's posting date is not the year its lasting facts hold for)
    if m and not _UPLOADED.search(doc.original[:1500]) and not profile:
        return int(m.group(1))
    # a reposted article's source line (摘自绍兴晚报2019年6月12日, 来源:新华网 2019-06-12) dates it
    m = _SOURCE_DATE.search(doc.text)
    if m:
        return int(m.group(1))
    # 截至2024年底… states the time of the figures; a revision date (2024.12修订) the text's own
    m = _AS_OF.search(doc.text[:3000])
    if m:
        return int(m.group(1) or m.group(2))
    # a notice's signature (绍兴市教育局\n2018年9月21日) or its document number (绍市教〔2018〕81号) at its
    # head or foot: the year it was issued
    m = _SIGNED.search(doc.text[-800:]) or _DOC_NUMBER.search(doc.text[:300]) or _DOC_NUMBER.search(doc.text[-800:])
    if m:
        return int(m.group(1))
    # else the first year the head names, leaving out founding and history years (始建于1954年),
    # targets (到2025年) and starting points (2010年以来)
    if profile:
        return None  # a profile names history years, not the year it speaks in
    head = FOUNDING_YEAR.sub(" ", head)  # founding, history and birth years
    # a span (2014年—2016年的三年) is spoken of from its end
    head = re.sub(r"(?:19|20)\d{2}年?\s*[—–\-~至到]+\s*((?:19|20)\d{2})年", r"\1年", head)
    years = [int(y) for y in re.findall(r"(?<![\d到至])((?:19|20)\d{2})年(?!以来|前|起)", head)]
    if years:
        return years[0]
    # an undated plan guided by the Party's latest congress or plenum (以党的十七届五中全会…精神为指导):
    # the year after it, as a year's 工作要点 follows the autumn meeting
    guided = _GUIDED_BY.search(head)
    if guided and re.search(r"工作要点|工作计划|工作思路|工作安排", head) and guided.group(1) in PARTY_MEETINGS:
        return PARTY_MEETINGS[guided.group(1)] + 1
    # an undated text that speaks of 今年 (a speech reported without its date): the latest year it names
    # as done or under way (其中2018年建设119所,目前已开工38所), not a target's or a span's
    # an undated news report (近日, 日前, 记者, 开学在即…) or a speech that says 今年: the latest year it names as
    # done or under way (2014年秋季开学…, 其中2018年建设119所,目前已开工38所), not a target's or a span's
    if "今年" in doc.text or _NEWS_CUE.search(doc.text):
        body = FOUNDING_YEAR.sub(" ", doc.text)
        named = [int(y) for y in re.findall(r"(?<![\d到至~—\-])((?:19|20)\d{2})年(?![以之]?前|以来|起|底前|末前|[—~\-至到])", body)]
        if named:
            return max(named)
    return None


_NEWS_CUE = re.compile(r"近日|日前|昨天|昨日|记者|本报讯|开学在即|新学期")
_SIGNED = re.compile(r"(?:^|\n)[ \t]*((?:19|20)\d{2})年\d{1,2}月\d{1,2}日[ \t]*(?:\n|$)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［]((?:19|20)\d{2})[〕\]］]\d{1,4}号")
_UPLOADED = re.compile(r"网友上传|网友投稿|用户上传|不代表本站观点")
_GUIDED_BY = re.compile(r"以党的(十[五六七八九]大|十[五六七八九]届[一二三四五六七]中全会|二十大|二十届[一二三四五六七]中全会)[^。]{0,40}?为指导")
#: the Party's congresses and plenums and the year each met (the work plans of the next year follow them)
PARTY_MEETINGS = {
    "十六大": 2002, "十六届三中全会": 2003, "十六届四中全会": 2004, "十六届五中全会": 2005, "十六届六中全会": 2006,
    "十七大": 2007, "十七届三中全会": 2008, "十七届四中全会": 2009, "十七届五中全会": 2010, "十七届六中全会": 2011,
    "十八大": 2012, "十八届三中全会": 2013, "十八届四中全会": 2014, "十八届五中全会": 2015, "十八届六中全会": 2016,
    "十九大": 2017, "十九届三中全会": 2018, "十九届四中全会": 2019, "十九届五中全会": 2020, "十九届六中全会": 2021,
    "二十大": 2022, "二十届三中全会": 2024, "二十届四中全会": 2025,
}
_SOURCE_DATE = re.compile(r"(?:摘自|转自|转载自|原载于?|来源[::])[^\n)]{0,24}?((?:19|20)\d{2})(?:年\d{1,2}月|[-./]\d{1,2}[-./]\d{1,2})")
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到)((?:19|20)\d{2})年|((?:19|20)\d{2})[.年]\d{1,2}月?(?=修订|修改|更新)")


def title_of(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:80]
    return ""


class Pipeline:
    """Holds what every document shares (the gazetteer) and runs the stages."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or Gazetteer.load()
        self.linker = Linker(self.gaz)

    def process(self, path: Path, doc_id: str | None = None) -> Document:
        raw = read_document(path)
        norm = normalize(raw.text)
        if not norm.text.strip():
            raise InputError(path, "no text left after removing page furniture")
        doc = Document(
            doc_id=doc_id or doc_id_for(path), source=path, original=raw.text, text=norm.text,
            offsets=norm.offsets, encoding=raw.encoding, format=raw.format, title=title_of(norm.text),
            notes=list(raw.notes),
            extraction_notes=raw.extraction_notes,
        )
        return self.analyse(doc)

    def process_text(self, text: str, doc_id: str = "text", source: Path | None = None) -> Document:
        """Run the stages after ingest on a string (tests, the Python API)."""
        norm = normalize(text)
        doc = Document(doc_id=doc_id, source=source or Path(f"{doc_id}.txt"), original=text,
                       text=norm.text, offsets=norm.offsets, title=title_of(norm.text))
        return self.analyse(doc)

    def analyse(self, doc: Document) -> Document:
        doc.year = document_year(doc)
        segment(doc)
        matches = self.gaz.find(doc.text)
        places = find_places(doc, matches)
        # second pass: county short names (兴城, 太仓) are places once the home city is known
        context = self.linker.context(doc, places, matches)
        if context:
            matches = self.gaz.find(doc.text, context=context)
            places = find_places(doc, matches)
        # towns of the home county and of the counties the text names
        counties = [c for c in context if (d := self.gaz.get(c)) is not None and d.level == "county"]
        counties += sorted({pm.candidates[0].adcode for pm in matches
                            if len(pm.candidates) == 1 and pm.candidates[0].level == "county"})
        places += find_towns(doc, dict.fromkeys(counties))
        mentions = places + find_agencies(doc, places) + find_schools(doc, places, self.gaz) + find_persons(doc)
        mentions += find_documents(doc, places) + find_programs(doc, places)
        mentions = resolve_overlaps(mentions)
        self.linker.link(doc, mentions, matches)
        for m in doc.mentions:
            s = doc.sentence_at(m.start)
            m.sentence = s.index if s else -1
        doc.relations = build_relations(doc, self.gaz)
        doc.observations = build_observations(doc)
        prune_unnamed_places(doc, self.gaz)
        return doc

    def process_safely(self, path: Path, doc_id: str, *, catch_memory: bool = True) -> Document | Failure:
        """:meth:`process`, with the errors a bad file may cause turned into a :class:`Failure`
        (``MemoryError`` too unless ``catch_memory`` is false: a worker reports it with its limit)."""
        try:
            return self.process(path, doc_id)
        except KGError as exc:
            return Failure(path, exc.reason if isinstance(exc, InputError) else str(exc))
        except MemoryError:
            if not catch_memory:
                raise
            return Failure(path, "ran out of memory")
        except (RecursionError, ValueError, UnicodeError) as exc:  # defensive: one file never stops a batch
            return Failure(path, f"could not be processed ({type(exc).__name__}: {exc})")

    def warm(self) -> None:
        """Load jieba, OpenCC and the lexicons now (once, before worker processes share them)."""
        from .tokenize import tokenizer

        tokenizer()
        self.process_text("葫芦岛市教育局2020年工作要点\n一、全市新建幼儿园3所,兴城市第一中学实施“全面改薄”工程。")
        # what is loaded now stays to the end: the collector need not scan it again and again (nor touch
        # the pages worker processes share with this one)
        gc.freeze()

    def run(self, paths: Iterable[Path], progress: Callable[[Path], None] | None = None,
            budget: Budget | None = None) -> tuple[list[Document], list[Failure]]:
        """Every document of ``paths``: those that worked and one :class:`Failure` per other file.

        With a ``budget`` each document runs in a worker process of its own and
        fails alone when it runs out of time or memory (see :mod:`kg.worker`).
        """
        docs: list[Document] = []
        failures: list[Failure] = []
        seen: set[str] = set()
        tasks = [(path, doc_id_for(path, seen)) for path in iter_inputs(paths)]
        if budget is None or not can_isolate():
            for path, doc_id in tasks:
                if progress:
                    progress(path)
                out = self.process_safely(path, doc_id)
                if isinstance(out, Failure):
                    failures.append(out)
                else:
                    docs.append(out)
            return docs, failures
        self.warm()
        start = (lambda task: progress(task[0])) if progress else None
        for outcome in run_bounded(lambda task: self.process_safely(*task, catch_memory=False), tasks, budget, on_start=start):
            path = outcome.task[0]
            if outcome.error is not None:
                failures.append(Failure(path, outcome.error))
            elif isinstance(outcome.result, Failure):
                failures.append(outcome.result)
            elif isinstance(outcome.result, Document):
                docs.append(outcome.result)
        return docs, failures

    def fragment_safely(self, path: Path, doc_id: str, *, catch_memory: bool = True) -> Fragment | Failure:
        """:meth:`process_safely`, reduced to the :class:`~kg.fragment.Fragment` a build keeps, with
        its own triples already rendered (:func:`kg.assemble.render`: done where the document is
        analysed, so that assembling the graph is only a merge)."""
        from .assemble import render

        out = self.process_safely(path, doc_id, catch_memory=catch_memory)
        return out if isinstance(out, Failure) else render(reduce(out))

    def run_fragments(self, paths: Iterable[Path], *, jobs: int = 1, budget: Budget | None = None,
                      cache: FragmentCache | None = None,
                      progress: Callable[[Path], None] | None = None,
                      dask: "DaskEngine | None" = None) -> tuple[list[Fragment], list[Failure]]:
        """The :class:`~kg.fragment.Fragment` of every document of ``paths`` (in input order) and one
        :class:`Failure` per file that did not build.

        Up to ``jobs`` documents are analysed at once by long-lived worker processes
        (:func:`kg.pool.run_pooled`), each document under ``budget``
        (``budget=None`` and ``jobs=1``: in this process).
        With a ``cache``, a document whose bytes, identity and extractor version
        are there is not analysed again, and each new fragment is stored.
        With ``dask`` (:class:`kg.dask_engine.DaskEngine`) the documents to analyse go to
        Dask workers instead (``jobs`` and ``budget`` do not apply).
        """
        results = list(self.iter_fragments(paths, jobs=jobs, budget=budget, cache=cache, progress=progress, dask=dask))
        return ([r for r in results if isinstance(r, Fragment)], [r for r in results if isinstance(r, Failure)])

    def iter_fragments(self, paths: Iterable[Path], *, jobs: int = 1, budget: Budget | None = None,
                       cache: FragmentCache | None = None,
                       progress: Callable[[Path], None] | None = None,
                       dask: "DaskEngine | None" = None, tasks: list[tuple[Path, str]] | None = None,
                       task_keys: list[str | None] | None = None) -> Iterator[Fragment | Failure]:
        """:meth:`run_fragments` one document at a time, in input order, as each is ready: a
        streaming build (:mod:`kg.assemble`) holds one fragment at a time, not the corpus.
        Cached fragments are read when their turn comes.

        ``tasks`` (and their cache keys, ``task_keys``): the (path, document id) pairs to build
        instead of those of ``paths`` (:func:`tasks_of`; an incremental rebuild passes the changed ones)."""
        if tasks is None:
            tasks = tasks_of(paths)
            task_keys = None
        keys: dict[int, str] = {}
        cached: set[int] = set()
        todo: list[int] = []
        for i, (path, doc_id) in enumerate(tasks):
            if task_keys is not None:
                key = task_keys[i]
            else:
                key = cache.key(path, doc_id) if cache is not None else None
            if key is not None:
                keys[i] = key
                if cache is not None and cache.has(key):
                    cached.add(i)
                    continue
            todo.append(i)

        def done(i: int, out: Fragment | Failure, stored: bool = False) -> Fragment | Failure:
            if cache is not None and i in keys and isinstance(out, Fragment):
                if stored:  # by the worker
                    cache.used.add(keys[i])
                else:
                    cache.put(keys[i], out)
            return out

        def work(task: tuple[int, tuple[Path, str]]) -> Fragment | Failure:
            # in a worker: the fragment goes into the cache from here (pickled once, in parallel)
            i, (path, doc_id) = task
            out = self.fragment_safely(path, doc_id, catch_memory=False)
            if cache is not None and i in keys and isinstance(out, Fragment):
                cache.put(keys[i], out)
            return out

        outcomes: Iterator[tuple[int, Fragment | Failure]]
        pooled = not (todo and dask is not None) and bool(todo) and (budget is not None or jobs > 1) and can_isolate()
        if todo and dask is not None:
            # Dask workers answer as they finish: put them back in input order as they come
            outcomes = _in_order(dask.run([(i, tasks[i]) for i in todo], progress=progress), todo)
        elif pooled:
            self.warm()  # loaded once here, shared by every worker (fork)
            start = (lambda task: progress(task[1][0])) if progress else None
            outcomes = self._pooled(work, todo, tasks, budget, jobs, start)
        else:
            outcomes = self._in_process(todo, tasks, progress)
        for i in range(len(tasks)):
            if i in cached:
                hit = cache.get(keys[i]) if cache is not None else None
                if hit is not None:
                    if progress:
                        progress(tasks[i][0])
                    yield hit
                    continue
                # a damaged entry: analysed here, now
                if progress:
                    progress(tasks[i][0])
                yield done(i, self.fragment_safely(*tasks[i]))
                continue
            j, out = next(outcomes)
            assert j == i
            yield done(i, out, stored=pooled)

    def _in_process(self, todo: list[int], tasks: list[tuple[Path, str]],
                    progress: Callable[[Path], None] | None) -> Iterator[tuple[int, Fragment | Failure]]:
        for i in todo:
            if progress:
                progress(tasks[i][0])
            yield i, self.fragment_safely(*tasks[i])

    @staticmethod
    def _pooled(work: Callable, todo: list[int], tasks: list[tuple[Path, str]], budget: Budget | None, jobs: int,
                start: Callable | None) -> Iterator[tuple[int, Fragment | Failure]]:
        for outcome in run_pooled(work, [(i, tasks[i]) for i in todo], budget or Budget(None, None),
                                  jobs=jobs, on_start=start):
            i, (path, _) = outcome.task
            if outcome.error is not None:
                yield i, Failure(path, outcome.error)
            elif isinstance(outcome.result, (Fragment, Failure)):
                yield i, outcome.result
            else:  # pragma: no cover - a worker returns one of the two
                yield i, Failure(path, "worker process returned no result")


def _in_order(pairs: Iterable[tuple[int, Fragment | Failure]], order: list[int]) -> Iterator[tuple[int, Fragment | Failure]]:
    """``pairs`` (as they finish) in the order of ``order``, each yielded as soon as those before it are."""
    waiting: dict[int, Fragment | Failure] = {}
    want = iter(order)
    nxt = next(want, None)
    for i, out in pairs:
        waiting[i] = out
        while nxt is not None and nxt in waiting:
            yield nxt, waiting.pop(nxt)
            nxt = next(want, None)
