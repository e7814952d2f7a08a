"""Running a query: candidates from Whoosh postings, exact checks on stored text, BM25F.

A query tree (query.py) is evaluated as set algebra over the units' Whoosh document numbers
(boolean masks over every document number, arrays.py: one vectorised step per operation):

- a word whose index terms are exact (one Latin token, one or two CJK characters) is just the
  intersection of its terms' posting lists; any other word (longer CJK runs, `gpt-5`,
  `5000美元`, phrases, prefixes) takes those postings as candidates and checks each candidate's
  stored text with the word's exact rule (analysis.WordMatcher), a phrase only in the units
  where its words meet (analysis.junctions). Checks are restricted to the units that can
  still match, so filters and rare words make common ones cheap; a word or phrase of CJK
  characters needs no check in the units whose term counts prove it (adjacency.py);
- filters come from the side store (tags, category, dates, assets, sections).

A unit matching the whole query is a hit. A post whose units only match the query when taken
together (say 黄金 in one item, 降息 in another) yields one extra post-level hit on its header
unit (item_id None): search finds every post that contains all the words.

Ranking is BM25F over the `title` and `body` fields, titles weighted above bodies, newer
posts first on equal scores.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..model import SearchHit, SearchResult
from ..state.marks import StateKeys
from . import columns  # noqa: F401  # read by IndexView: loaded with search, not in its first
from .adjacency import proven, proving_run
from .analysis import ALNUM_RE, JUNCTION, SECTION, WordMatcher, lower
from .arrays import DocMask, frozen, mask_of, select
from .query import And, Filter, Node, Not, Or, QueryError, Word, positive_words
from .ranking import bm25f_scores, first_page, newest_first
from .snippets import snippet
from .store import Store
from .view import IndexView

#: How many bytes of masks a snapshot keeps for the next queries (the app lives long).
CACHE_BYTES = 64 << 20


@dataclass
class Snapshot:
    """One consistent view of the index for searching: Whoosh postings + the side store.

    Evaluation works on Whoosh document numbers ("docs"); filters on tags, categories, dates
    and assets are postings of the `facet` field, so only the hits shown touch the store.
    Sets of docs are masks over every document number, sets of posts masks over post ids
    (`pid_count` long).
    """

    view: IndexView
    store: Store
    canonical_asset: Callable[[str], str] = lambda name: name
    state: StateKeys | None = None
    """Set for one search that has `is:` filters (the caller holds the snapshot meanwhile)."""
    _cache: dict[object, object] = field(default_factory=dict)
    _cached_bytes: int = 0

    @property
    def universe(self) -> DocMask:
        return self.view.live_mask()

    def doc_pids(self) -> npt.NDArray[np.int64]:
        """The post id of every document number (0 for deleted ones)."""
        return self.view.column_array("pid")

    @property
    def pid_count(self) -> int:
        """The length of a mask over post ids: one more than the largest."""
        count = self._cache.get("pid_count")
        if not isinstance(count, int):
            count = int(self.doc_pids().max(initial=0)) + 1
            self.remember("pid_count", count)
        return count

    @property
    def all_pids(self) -> DocMask:
        """Every post with a live unit."""
        pids = self._cache.get("pids")
        if pids is None:  # the posts of every doc: a deleted doc's pid is 0, never a post's
            pids = np.zeros(self.pid_count, dtype=np.bool_)
            pids[self.doc_pids()] = True
            pids[0] = False
            self.remember("pids", frozen(pids))
        return pids  # type: ignore[return-value]

    def pids_of(self, docs: DocMask) -> DocMask:
        """The posts of the given docs."""
        found = np.zeros(self.pid_count, dtype=np.bool_)
        found[select(self.doc_pids(), docs)] = True
        return found

    def docs_of(self, pids: DocMask, scope: DocMask | None = None) -> DocMask:
        """The live documents of the given posts (within `scope`)."""
        return pids[self.doc_pids()] & (self.universe if scope is None else scope)

    def remember(self, key: object, value: object) -> None:
        """Keep a result for the next queries on this snapshot (bounded: the app lives long)."""
        size = sum(part.nbytes for part in _arrays_in(value)) + 64
        if len(self._cache) > 512 or self._cached_bytes + size > CACHE_BYTES:
            self._cache.clear()
            self._cached_bytes = 0
        self._cached_bytes += size
        self._cache[key] = value

    def close(self) -> None:
        self.view.close()
        self.store.close()


def _arrays_in(value: object) -> list[npt.NDArray[np.bool_]]:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, tuple):
        return [part for part in value if isinstance(part, np.ndarray)]
    return []


# -- evaluation -----------------------------------------------------------------------------


def _candidates(snap: Snapshot, matcher: WordMatcher) -> DocMask | None:
    """Docs whose index terms allow `matcher` to match (None: no terms, every doc)."""
    key = ("cand", matcher.kind, matcher.text)
    if key in snap._cache:
        return snap._cache[key]  # type: ignore[return-value]
    view = snap.view
    plan = matcher.plan
    lists = sorted((view.postings("body", t)[0] for t in plan.terms), key=len)
    docs: DocMask | None = None
    if lists:
        inside = lists[0]
        for ids in lists[1:]:
            if not len(inside):
                break
            inside = select(ids, mask_of(inside, view.size)[ids])
        docs = mask_of(inside, view.size)
    for pair in plan.junctions:  # a phrase's words meet written together or across a gap
        if docs is not None and not docs.any():
            break
        meeting = mask_of(view.postings("body", pair)[0], view.size)
        meeting[view.postings("facet", JUNCTION + pair)[0]] = True
        docs = meeting if docs is None else docs & meeting
    for prefix in plan.prefixes:
        if docs is not None and not docs.any():
            break
        found = view.union_terms("body", prefix)
        docs = found if docs is None else docs & found
    for suffix in plan.suffixes:
        if docs is not None and not docs.any():
            break
        ending = suffix.encode("utf-8")
        found = view.union_terms("body", "0", "z\uffff", _latin_ending(suffix), ending)
        docs = found if docs is None else docs & found
    snap.remember(key, None if docs is None else frozen(docs))
    return docs


def _latin_ending(suffix: str) -> Callable[[bytes], bool]:
    """Whether an index term is a Latin token ending with `suffix` (for words that may begin
    inside a token)."""
    ending = suffix.encode("utf-8")

    def accept(term: bytes) -> bool:
        return term.endswith(ending) and ALNUM_RE.fullmatch(term.decode("utf-8")) is not None

    return accept


def _word_docs(snap: Snapshot, matcher: WordMatcher, scope: DocMask | None) -> DocMask:
    """Docs within `scope` where the word really occurs (checked on the stored text)."""
    candidates = _candidates(snap, matcher)
    if candidates is None:
        candidates = snap.universe
    if scope is not None:
        candidates = candidates & scope
    if matcher.plan.exact:
        return candidates
    key = ("checked", matcher.kind, matcher.text)
    verdicts = snap._cache.get(key)
    if not isinstance(verdicts, tuple):  # (checked, found): filled as docs are checked
        size = snap.view.size
        verdicts = (np.zeros(size, dtype=np.bool_), np.zeros(size, dtype=np.bool_))
        snap.remember(key, verdicts)
    checked: DocMask = verdicts[0]
    found: DocMask = verdicts[1]
    unknown = np.flatnonzero(candidates & ~checked)
    if len(unknown):
        checked[unknown] = True
        run = proving_run(matcher)
        if run is not None:  # units its terms' counts prove need no check of their text
            sure = proven(snap.view, run, unknown)
            found[unknown[sure]] = True
            unknown = unknown[~sure]
        if len(unknown):
            found[_check(snap.view, matcher, unknown)] = True
    return candidates & found


def _check(view: IndexView, matcher: WordMatcher, docs: npt.NDArray[np.int64]) -> list[int]:
    """The docs (ascending) whose stored text the word occurs in: checked on the text's bytes
    when the word has a test on them (`WordMatcher.raw_test`), else on the decoded text."""
    test = matcher.raw_test()
    if test is not None:
        return view.matching(docs, test)
    search = matcher.search
    texts = view.texts(docs.tolist())
    if matcher.caseless:
        return [doc for doc, text in texts if search(text)]
    return [doc for doc, text in texts if search(lower(text))]


def _state_docs(snap: Snapshot, value: str) -> DocMask:
    """The live docs whose unit has the reading state `value` (exact: from the keys)."""
    if snap.state is None:
        raise QueryError(f"is:{value} needs the reading state, which this search was not given")
    cached = snap._cache.get("unit_keys")
    if isinstance(cached, dict):
        keys: dict[int, tuple[str, str | None]] = cached
    else:
        by_uid = snap.store.unit_keys()
        keys = {doc: by_uid[uid] for uid, doc in snap.view.uid_to_doc().items() if uid in by_uid}
        snap.remember("unit_keys", keys)
    items = snap.state.items.get(value, frozenset())
    posts = snap.state.posts.get(value, frozenset())
    found = []
    for doc in np.flatnonzero(snap.universe).tolist():
        key = keys.get(doc)
        if key is None:
            continue
        path, item_id = key
        if (path, item_id) in items if item_id is not None else path in posts:
            found.append(doc)
    return mask_of(np.array(found, dtype=np.int64), snap.view.size)


def _filter_docs(snap: Snapshot, flt: Filter) -> DocMask:
    if flt.kind == "is":  # reading state changes between searches: never remembered
        return _state_docs(snap, flt.value)
    key = ("filter", flt.kind, flt.value)
    cached = snap._cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    view = snap.view
    value = flt.value.lower()
    if flt.kind in ("tag", "category", "asset"):
        if flt.kind == "asset":
            term = f"a:{snap.canonical_asset(flt.value)}"
        else:
            term = f"{flt.kind[0]}:{value}"
        result = mask_of(view.postings("facet", term)[0], view.size)
    elif flt.kind == "date":  # the day column holds the date of the post's d: facet term
        days = view.column_array("day")
        result = snap.universe.copy()
        if flt.start is not None:
            result &= days >= flt.start.toordinal()
        if flt.end is not None:
            result &= days <= flt.end.toordinal()
    else:  # section: a substring of the item's section path (its `s:` facet term)
        result = _section_docs(snap, value)
    snap.remember(key, frozen(result))
    return result


def _section_docs(snap: Snapshot, low: str) -> DocMask:
    """The live docs whose section path (lowercased) contains `low`: the postings of the
    section terms that do (an archive has a few hundred distinct sections)."""
    view = snap.view
    if not low:  # every path contains the empty text, a header's empty one too
        return snap.universe.copy()
    found = np.zeros(view.size, dtype=np.bool_)
    for term in view.terms_between("facet", SECTION):
        if low in term[len(SECTION) :]:
            found[view.postings("facet", term)[0]] = True
    return found


def _cost(node: Node) -> int:
    """Evaluation order inside an AND: cheap exact sets first, checks later, NOT last."""
    if isinstance(node, Filter):
        return 0
    if isinstance(node, Word):
        return 1 if node.matcher.plan.exact else 2
    if isinstance(node, Not):
        return 4
    return 3


Leaf = Word | Filter


def _evaluate(
    node: Node,
    scope: DocMask | None,
    leaf: Callable[[Leaf, DocMask | None], DocMask],
    everything: Callable[[], DocMask],
    superset: Callable[[Word], DocMask | None],
) -> DocMask:
    """The set algebra shared by docs and posts: `leaf` evaluates a word or filter within
    `scope` (None: all), `everything` is what a NOT at the top excludes from, `superset`
    gives what a word checked on the text can match at most (its index terms' candidates,
    cheap; None: anything)."""
    if isinstance(node, (Word, Filter)):
        return leaf(node, scope)
    if isinstance(node, And):
        return _evaluate_and(node, scope, leaf, everything, superset)
    if isinstance(node, Or):
        union: DocMask | None = None
        for child in node.children:
            found = _evaluate(child, scope, leaf, everything, superset)
            union = found if union is None else union | found
        assert union is not None  # an Or has children
        return union
    assert isinstance(node, Not)
    base = scope if scope is not None else everything()
    return base & ~_evaluate(node.child, base, leaf, everything, superset)


def _evaluate_and(
    node: And,
    scope: DocMask | None,
    leaf: Callable[[Leaf, DocMask | None], DocMask],
    everything: Callable[[], DocMask],
    superset: Callable[[Word], DocMask | None],
) -> DocMask:
    """An AND: exact sets first; then, before any text is checked, the candidates of every
    word to check, so each is checked only where all can match (rarest first); the rest."""
    children = sorted(node.children, key=_cost)
    checked = [c for c in children if isinstance(c, Word) and _cost(c) == 2]
    result = scope
    for child in children:
        todo: list[Node] = [child]
        if child in checked:  # the words to check come together (sorted by cost)
            if child is not checked[0]:
                continue
            result, ordered = _narrowed(result, checked, superset)
            todo = list(ordered)
        for item in todo:
            if result is not None and not result.any():
                return result
            result = _evaluate(item, result, leaf, everything, superset)
    assert result is not None  # an And has children
    return result


def _narrowed(
    scope: DocMask | None, words: list[Word], superset: Callable[[Word], DocMask | None]
) -> tuple[DocMask | None, list[Word]]:
    """`scope` within the candidates of every word, and the words, fewest candidates first."""
    counted: list[tuple[int, int, Word]] = []
    for index, word in enumerate(words):
        found = superset(word)
        if found is not None:
            scope = found if scope is None else scope & found
        counted.append((1 << 62 if found is None else int(np.count_nonzero(found)), index, word))
    return scope, [word for _count, _index, word in sorted(counted, key=lambda c: c[:2])]


def eval_docs(snap: Snapshot, node: Node, scope: DocMask | None) -> DocMask:
    """The docs within `scope` (None: all) that match `node` on their own."""

    def leaf(node: Leaf, scope: DocMask | None) -> DocMask:
        if isinstance(node, Word):
            return _word_docs(snap, node.matcher, scope)
        found = _filter_docs(snap, node)
        return found & scope if scope is not None else found

    return _evaluate(
        node, scope, leaf, lambda: snap.universe, lambda w: _candidates(snap, w.matcher)
    )


def eval_posts(snap: Snapshot, node: Node, scope: DocMask | None) -> DocMask:
    """The posts within `scope` (None: all) whose units together match `node`."""

    def leaf(node: Leaf, scope: DocMask | None) -> DocMask:
        if scope is not None and isinstance(node, Word) and not node.matcher.plan.exact:
            # a word checked on the text: only the candidates of posts in scope are checked
            candidates = _candidates(snap, node.matcher)
            if candidates is None:
                candidates = snap.universe
            inside = candidates & scope[snap.doc_pids()]
            return snap.pids_of(eval_docs(snap, node, inside))
        posts = _leaf_posts(snap, node)
        return posts & scope if scope is not None else posts

    return _evaluate(node, scope, leaf, lambda: snap.all_pids, lambda w: _candidate_posts(snap, w))


def _candidate_posts(snap: Snapshot, word: Word) -> DocMask | None:
    """The posts with a candidate of `word` (None: any post)."""
    key = ("cand_posts", word.matcher.kind, word.matcher.text)
    cached = snap._cache.get(key)
    if cached is None:
        candidates = _candidates(snap, word.matcher)
        if candidates is None:
            return None
        cached = frozen(snap.pids_of(candidates))
        snap.remember(key, cached)
    return cached  # type: ignore[return-value]


def _leaf_posts(snap: Snapshot, node: Leaf) -> DocMask:
    """The posts with a unit matching a word or filter."""
    key = ("posts", node)
    cached = snap._cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    posts = snap.pids_of(eval_docs(snap, node, None))
    if not (isinstance(node, Filter) and node.kind == "is"):  # reading state changes
        snap.remember(key, frozen(posts))
    return posts


#: Filters that hold for every unit of a post or for none (tags and category are the post's).
_POST_WIDE = ("tag", "category", "date")


def _may_split(tree: And) -> bool:
    """Whether a post can match `tree` with its units taken together and by no unit alone:
    only when two of its conditions can be met by different units. Exclusions and post-wide
    filters cannot: a post that has none of an excluded word has it in no unit, and a post's
    tag is every unit's. So with one other condition, a post matching it together has a unit
    matching it alone."""
    varying = [
        child
        for child in tree.children
        if not isinstance(child, Not)
        and not (isinstance(child, Filter) and child.kind in _POST_WIDE)
    ]
    return len(varying) > 1


# -- hits ---------------------------------------------------------------------------------


def run_search(snap: Snapshot, tree: Node, query: str, limit: int) -> SearchResult:
    """Evaluate `tree` on `snap`: exact hits, BM25F order, `limit` of them (0 = all)."""
    started = time.perf_counter()
    view = snap.view
    hit_docs = eval_docs(snap, tree, None)
    extra: DocMask | None = None
    if isinstance(tree, And) and _may_split(tree):
        # only posts without a hit of their own can gain a post-level one: words checked on
        # the text are checked in those posts only
        missing = eval_posts(snap, tree, snap.all_pids & ~snap.pids_of(hit_docs))
        if missing.any():
            headers = view.postings("facet", "k:header")[0]
            extra = mask_of(headers[missing[snap.doc_pids()[headers]]], view.size)
    matched = hit_docs | extra if extra is not None else hit_docs
    words = positive_words(tree)
    matched_docs = np.flatnonzero(matched)
    scores = bm25f_scores(view, matched, matched_docs, words)
    if words:
        chosen = first_page(scores, matched_docs, limit, view.column_values)
    else:  # every hit scores 0
        chosen = newest_first(matched_docs, limit, view.column_values)
    chosen_docs = np.array(chosen, dtype=np.int64)
    chosen_scores = scores[np.searchsorted(matched_docs, chosen_docs)].tolist()  # (0: no words)
    chosen_uids = view.column_values("uid", chosen_docs).tolist()
    uids = dict(zip(chosen, chosen_uids, strict=True))
    rows = snap.store.units(uids[d] for d in chosen)
    posts = snap.store.posts_by_pid({row.pid for row in rows.values()})
    hits: list[SearchHit] = []
    by_doc = dict(view.texts(chosen))
    for place, doc in enumerate(chosen):
        row = rows.get(uids[doc])
        post = posts.get(row.pid) if row else None
        if row is None or post is None:
            continue  # written by an update that has not finished committing
        post_level = extra is not None and bool(extra[doc])
        snippet_text, highlights = snippet(by_doc[doc], words)
        hits.append(
            SearchHit(
                path=post.path,
                root=post.root,
                date=post.date.isoformat(),
                post_title=post.title,
                item_id=None if post_level else row.item_id,
                item_title=None if post_level else row.item_title,
                section=() if post_level else row.section,
                score=chosen_scores[place],
                snippet=snippet_text,
                highlights=highlights,
                category=post.category,
            )
        )
    took = (time.perf_counter() - started) * 1000
    return SearchResult(query, took, len(matched_docs), tuple(hits))
