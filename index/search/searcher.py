"""Running a query: candidates from Whoosh postings, exact checks on stored text, BM25F.

A query tree (query.py) is evaluated as set algebra over the units' Whoosh document numbers:

- a word whose index terms are exact (one Latin token, one or two CJK characters) is just the
  intersection of its terms' posting lists; any other word (longer CJK runs, `gpt-5`,
  `5000美元`, phrases, prefixes) takes those postings as candidates and checks each candidate's
  stored text with the word's exact rule (analysis.WordMatcher). Checks are restricted to the
  units that can still match, so filters and rare words make common ones cheap;
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
from itertools import compress

from ..model import SearchHit, SearchResult
from ..state.marks import StateKeys
from .analysis import ALNUM_RE, WordMatcher, lower
from .query import And, Filter, Node, Not, Or, QueryError, Word, positive_words
from .ranking import bm25f_scores, first_page
from .snippets import snippet
from .store import Store
from .view import IndexView


@dataclass
class Snapshot:
    """One consistent view of the index for searching: Whoosh postings + the side store.

    Evaluation works on Whoosh document numbers ("docs"); filters on tags, categories, dates
    and assets are postings of the `facet` field, so only the hits shown touch the store.
    """

    view: IndexView
    store: Store
    canonical_asset: Callable[[str], str] = lambda name: name
    state: StateKeys | None = None
    """Set for one search that has `is:` filters (the caller holds the snapshot meanwhile)."""
    _cache: dict[object, object] = field(default_factory=dict)

    @property
    def universe(self) -> set[int]:
        return self.view.live

    @property
    def all_pids(self) -> set[int]:
        """Every post with a live unit."""
        pids = self._cache.get("pids")
        if pids is None:
            pids = set(self.view.pids())  # a deleted doc's pid is 0, never a post's
            pids.discard(0)
            self.remember("pids", pids)
        return pids  # type: ignore[return-value]

    def docs_of(self, pids: set[int], scope: set[int] | None = None) -> set[int]:
        """The live documents of the given posts (within `scope`)."""
        doc_pid = self.view.pids()
        return {d for d in (self.universe if scope is None else scope) if doc_pid[d] in pids}

    def remember(self, key: object, value: object) -> None:
        """Keep a result for the next queries on this snapshot (bounded: the app lives long)."""
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[key] = value

    def close(self) -> None:
        self.view.close()
        self.store.close()


# -- evaluation -----------------------------------------------------------------------------


def _candidates(snap: Snapshot, matcher: WordMatcher) -> set[int] | None:
    """Docs whose index terms allow `matcher` to match (None: no terms, every doc)."""
    key = ("cand", matcher.kind, matcher.text)
    if key in snap._cache:
        return snap._cache[key]  # type: ignore[return-value]
    view = snap.view
    plan = matcher.plan
    lists = sorted((view.postings("body", t) for t in plan.terms), key=len)
    docs: set[int] | None = None
    for postings in lists:
        docs = set(postings) if docs is None else docs.intersection(postings)
        if not docs:
            break
    for prefix in plan.prefixes:
        if docs is not None and not docs:
            break
        found = view.union_terms("body", prefix)
        docs = found if docs is None else docs & found
    for suffix in plan.suffixes:
        if docs is not None and not docs:
            break
        found = view.union_terms("body", "0", "z\uffff", _latin_ending(suffix))
        docs = found if docs is None else docs & found
    snap.remember(key, docs)
    return docs


def _latin_ending(suffix: str) -> Callable[[bytes], bool]:
    """Whether an index term is a Latin token ending with `suffix` (for words that may begin
    inside a token)."""
    ending = suffix.encode("utf-8")

    def accept(term: bytes) -> bool:
        return term.endswith(ending) and ALNUM_RE.fullmatch(term.decode("utf-8")) is not None

    return accept


def _word_docs(snap: Snapshot, matcher: WordMatcher, scope: set[int] | None) -> set[int]:
    """Docs within `scope` where the word really occurs (checked on the stored text)."""
    candidates = _candidates(snap, matcher)
    if candidates is None:
        candidates = snap.universe
    if scope is not None:
        candidates = candidates & scope if len(scope) > len(candidates) else scope & candidates
    if matcher.plan.exact or not candidates:
        return set(candidates)
    key = ("checked", matcher.kind, matcher.text)
    verdicts: dict[int, bool] = snap._cache.get(key)  # type: ignore[assignment]
    if verdicts is None:
        verdicts = {}
        snap.remember(key, verdicts)
    unknown = [d for d in candidates if d not in verdicts]
    if unknown:
        search = matcher.search
        if matcher.caseless:
            for doc, text in snap.view.texts(unknown):
                verdicts[doc] = search(text)
        else:
            for doc, text in snap.view.texts(unknown):
                verdicts[doc] = search(lower(text))
    return {d for d in candidates if verdicts.get(d)}


def _state_docs(snap: Snapshot, value: str) -> set[int]:
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
    found = set()
    for doc in snap.universe:
        key = keys.get(doc)
        if key is None:
            continue
        path, item_id = key
        if (path, item_id) in items if item_id is not None else path in posts:
            found.add(doc)
    return found


def _filter_docs(snap: Snapshot, flt: Filter) -> set[int]:
    if flt.kind == "is":  # reading state changes between searches: never remembered
        return _state_docs(snap, flt.value)
    key = ("filter", flt.kind, flt.value)
    cached = snap._cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    view = snap.view
    value = flt.value.lower()
    if flt.kind == "tag":
        result = set(view.postings("facet", f"t:{value}"))
    elif flt.kind == "category":
        result = set(view.postings("facet", f"c:{value}"))
    elif flt.kind == "asset":
        result = set(view.postings("facet", f"a:{snap.canonical_asset(flt.value)}"))
    elif flt.kind == "date":
        low = f"d:{flt.start.isoformat()}" if flt.start else "d:"
        high = f"d:{flt.end.isoformat()}" if flt.end else "d:\uffff"
        result = view.union_terms("facet", low, high)
    else:  # section: a substring of the item's section path
        uids = snap.store.uids_in_section(flt.value)
        result = set(compress(range(len(view.uids())), map(uids.__contains__, view.uids())))
    snap.remember(key, result)
    return result


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
    scope: set[int] | None,
    leaf: Callable[[Leaf, set[int] | None], set[int]],
    everything: Callable[[], set[int]],
) -> set[int]:
    """The set algebra shared by docs and posts: `leaf` evaluates a word or filter within
    `scope` (None: all), `everything` is what a NOT at the top excludes from."""
    if isinstance(node, (Word, Filter)):
        return leaf(node, scope)
    if isinstance(node, And):
        result = scope
        for child in sorted(node.children, key=_cost):
            result = _evaluate(child, result, leaf, everything)
            if not result:
                return set()
        return set(result or ())
    if isinstance(node, Or):
        union: set[int] = set()
        for child in node.children:
            union |= _evaluate(child, scope, leaf, everything)
        return union
    assert isinstance(node, Not)
    base = scope if scope is not None else everything()
    return base - _evaluate(node.child, base, leaf, everything)


def eval_docs(snap: Snapshot, node: Node, scope: set[int] | None) -> set[int]:
    """The docs within `scope` (None: all) that match `node` on their own."""

    def leaf(node: Leaf, scope: set[int] | None) -> set[int]:
        if isinstance(node, Word):
            return _word_docs(snap, node.matcher, scope)
        found = _filter_docs(snap, node)
        return found & scope if scope is not None else set(found)

    return _evaluate(node, scope, leaf, lambda: snap.universe)


def eval_posts(snap: Snapshot, node: Node, scope: set[int] | None) -> set[int]:
    """The posts within `scope` (pids; None: all) whose units together match `node`."""
    doc_pid = snap.view.pids()

    def leaf(node: Leaf, scope: set[int] | None) -> set[int]:
        if scope is not None and isinstance(node, Word) and not node.matcher.plan.exact:
            # a word checked on the text: only the candidates of posts in scope are checked
            candidates = _candidates(snap, node.matcher)
            if candidates is None:
                candidates = snap.universe
            inside = map(scope.__contains__, map(doc_pid.__getitem__, candidates))
            docs = eval_docs(snap, node, set(compress(candidates, inside)))
            return set(map(doc_pid.__getitem__, docs))
        posts = _leaf_posts(snap, node)
        return posts & scope if scope is not None else set(posts)

    return _evaluate(node, scope, leaf, lambda: snap.all_pids)


def _leaf_posts(snap: Snapshot, node: Leaf) -> set[int]:
    """The posts with a unit matching a word or filter."""
    key = ("posts", node)
    cached = snap._cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    posts = set(map(snap.view.pids().__getitem__, eval_docs(snap, node, None)))
    if not (isinstance(node, Filter) and node.kind == "is"):  # reading state changes
        snap.remember(key, posts)
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
    doc_pid = view.pids()
    hit_docs = eval_docs(snap, tree, None)
    extra: set[int] = set()
    if isinstance(tree, And) and _may_split(tree):
        found_posts = set(map(doc_pid.__getitem__, hit_docs))
        missing = eval_posts(snap, tree, None) - found_posts
        if missing:
            headers = list(view.postings("facet", "k:header"))
            extra.update(
                compress(headers, map(missing.__contains__, map(doc_pid.__getitem__, headers)))
            )
    matched = hit_docs | extra if extra else hit_docs
    words = positive_words(tree)
    scores = bm25f_scores(snap.view, matched, words)
    days = view.days()

    def order(doc: int) -> tuple[float, int, int, int]:
        """Best score first, then the newest post; then in the order the posts were indexed
        (the same whichever worker of a parallel build wrote them), then by document."""
        return (-round(scores[doc], 6), -days[doc], doc_pid[doc], doc)

    if limit <= 0:
        chosen = sorted(matched, key=order)
    else:  # only docs that can be among the best `limit` get a sort key (same order)
        chosen = first_page(scores, limit, order, days, doc_pid)
    uids = view.uids()
    rows = snap.store.units(uids[d] for d in chosen)
    posts = snap.store.posts_by_pid({row.pid for row in rows.values()})
    hits: list[SearchHit] = []
    for doc, text in sorted(view.texts(chosen), key=lambda pair: order(pair[0])):
        row = rows.get(uids[doc])
        post = posts.get(row.pid) if row else None
        if row is None or post is None:
            continue  # written by an update that has not finished committing
        post_level = doc in extra
        snippet_text, highlights = snippet(text, words)
        hits.append(
            SearchHit(
                path=post.path,
                root=post.root,
                date=post.date.isoformat(),
                post_title=post.title,
                item_id=None if post_level else row.item_id,
                item_title=None if post_level else row.item_title,
                section=() if post_level else row.section,
                score=scores[doc],
                snippet=snippet_text,
                highlights=highlights,
                category=post.category,
            )
        )
    took = (time.perf_counter() - started) * 1000
    return SearchResult(query, took, len(matched), tuple(hits))
