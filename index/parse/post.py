"""A post file to a `Post`: frontmatter, date, title, summary, and the items of its body.

Template-tolerant: whatever a file holds, the parser returns a Post; what it could not
understand is said in the post's warnings, and a body it could not read into items at all is
shown as one item. Only OSError (the file vanished or cannot be read) leaves `parse_post`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from ..archive import PostFile, mtime_date
from ..model import Item, Post, PostSummary
from ..sanitize import clean_line
from .assets import AssetTable
from .impacts import ImpactReader
from .items import build_item, item_id
from .markdown import parse_blocks
from .source import (
    Digest,
    PostSource,
    meta_date,
    meta_list,
    meta_text,
    parse_date_prefix,
    read_post,
    source_from_text,
)
from .structure import Structure

_DATE_SPELLING_RE = re.compile(r"^(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})(?:日|(?!\d))")
_H1_RE = re.compile(r"^ {0,3}#[ \t]+(.+)$", re.M)
#: Emphasis marks and `[text](url)` links; a link's parts stop at the next bracket, so a run
#: of `[` or `](` is scanned once, not from each of its brackets to the end.
_TITLE_MARKUP_RE = re.compile(r"[*_`]+|\[([^\[\]]*)\]\([^()]*\)")
_BULLET_RE = re.compile(r"^\s*(?:[-*+•·▪●○]|\d{1,3}[.)、．]|[（(]\d{1,3}[)）])\s*")


def parse_post(
    post_file: PostFile, assets: AssetTable | None = None, digest: Digest | None = None
) -> Post:
    """Read and parse one post file. Raises OSError only (vanished, unreadable). `digest`
    (a hashlib object) is fed the file's bytes as they are read."""
    source = read_post(post_file.full_path, post_file.root, digest)
    return _build(source, str(post_file.root), post_file.path, assets)


def parse_text(
    text: str, *, root: str, path: str, mtime: float = 0.0, assets: AssetTable | None = None
) -> Post:
    """Parse a post given as its full text (frontmatter included); for tests and benchmarks."""
    source = source_from_text(text, size=len(text.encode("utf-8", "replace")), mtime=mtime)
    return _build(source, root, path, assets)


def _build(source: PostSource, root: str, path: str, assets: AssetTable | None) -> Post:
    meta = source.metadata
    warnings = list(source.warnings)
    date = post_date(meta, path, source.mtime, warnings)
    body = source.body
    title = post_title(meta, body, path, warnings)
    items, outside = _items(body, title, assets or AssetTable.load(None), warnings)
    return Post(
        path=path,
        root=root,
        date=date,
        title=title,
        category=post_category(meta),
        tags=tuple(meta_list(meta, "tags")),
        summary=split_summary(meta.get("summary")),
        warnings=tuple(warnings),
        items=items,
        body=body,
        text=outside,
        truncated=source.truncated,
        mtime=source.mtime,
        size=source.size,
    )


def _items(
    body: str, title: str, assets: AssetTable, warnings: list[str]
) -> tuple[tuple[Item, ...], str]:
    """The items of a body and the text outside them; a body that cannot be read is one item."""
    try:
        blocks = parse_blocks(body)
        structure = Structure(blocks, title)
        reader = ImpactReader(assets)
        lines = body.split("\n")
        seen: dict[str, int] = {}
        items = tuple(build_item(draft, reader, lines, seen) for draft in structure.drafts)
        outside = "\n".join(t for t in structure.outside if t)
        return items, outside
    except Exception as exc:  # untrusted input must never stop the reader
        warnings.append(f"could not be parsed: {type(exc).__name__}; shown as plain text")
        text = body.strip()
        if not text:
            return (), ""
        item = Item(
            id=item_id(title),
            title=title,
            section=(),
            link=None,
            time=None,
            points=(),
            analysis=None,
            impacts=(),
            advice=None,
            fields=(),
            text=text,
            markdown=text,
            rest=text,
        )
        return (item,), ""


def post_title(meta: dict[str, Any], body: str, path: str, warnings: list[str]) -> str:
    """Frontmatter title, else the first `# ` heading, else the file name; on one line."""
    title = meta_text(meta, "title")
    if title is None:
        title = _first_h1(body)
        if title is None:
            title = clean_line(PurePosixPath(path).stem) or path
            warnings.append("no title in frontmatter or heading; using the file name")
    return " ".join(title.split())


def post_category(meta: dict[str, Any]) -> str | None:
    """The frontmatter `category`, else the first of its `categories`."""
    return meta_text(meta, "category") or next(iter(meta_list(meta, "categories")), None)


def post_date(meta: dict[str, Any], path: str, mtime: float, warnings: list[str]) -> dt.date:
    """Frontmatter date, else the file name's leading date, else the file's mtime."""
    date = meta_date(meta) or _other_date_spelling(meta.get("date"))
    if date is not None:
        return date
    raw = meta.get("date")
    stated = (
        f"frontmatter date {clean_line(str(raw))[:40]!r} is not a valid date"
        if raw not in (None, "")
        else "no date in frontmatter"
    )
    from_name = parse_date_prefix(PurePosixPath(path).name)
    if from_name is not None:
        warnings.append(f"{stated}; using the file name's date {from_name.isoformat()}")
        return from_name
    from_mtime = mtime_date(mtime)
    warnings.append(
        f"{stated}, nor in the file name; using the file's modification date "
        f"{from_mtime.isoformat()}"
    )
    return from_mtime


def _other_date_spelling(value: Any) -> dt.date | None:
    """`2026/02/10`, `2026.2.10` or `2026年2月10日` (a time may follow) as a date."""
    match = _DATE_SPELLING_RE.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _first_h1(body: str) -> str | None:
    """The text of the first `# ` heading line, markdown emphasis removed."""
    match = _H1_RE.search(body)
    if not match:
        return None
    # the closing `#`s and blanks are stripped here: `(.+?)[ \t#]*$` backtracks over a long
    # run of blanks from every position of the title (quadratic, issue 12)
    text = match.group(1).rstrip(" \t#") or match.group(1)[:1]
    text = _TITLE_MARKUP_RE.sub(lambda m: m.group(1) or "", text)
    return clean_line(text).strip() or None


def split_summary(value: Any) -> tuple[str, ...]:
    """The frontmatter summary as its bullets: list items, or lines of text (with literal
    "\\n" escapes too), leading `- `, `* ` or numbers removed."""
    if value is None:
        return ()
    if isinstance(value, list):
        lines = [str(v) for v in value if not isinstance(v, (list, dict))]
    elif isinstance(value, dict):
        return ()
    else:
        lines = str(value).replace("\\n", "\n").split("\n")
    bullets = []
    for line in lines:
        text = clean_line(_BULLET_RE.sub("", line, count=1)).strip()
        if text:
            bullets.append(text)
    return tuple(bullets)


def quick_summaries(post_files: Iterable[PostFile]) -> list[PostSummary]:
    """Summaries from the frontmatter alone (no items), newest first: the reader's first run
    before an index exists. Dates, titles and categories are the parser's own, so a post
    stays where it is once indexed."""
    result = []
    for post_file in post_files:
        try:
            source = read_post(post_file.full_path, post_file.root)
        except OSError:
            continue
        meta, ignored = source.metadata, list[str]()
        result.append(
            PostSummary(
                post_file.path,
                str(post_file.root),
                post_date(meta, post_file.path, source.mtime, ignored),
                post_title(meta, source.body, post_file.path, ignored),
                post_category(meta),
                tuple(meta_list(meta, "tags")),
                (),
            )
        )
    return sorted(result, key=lambda s: (s.date, s.root, s.path), reverse=True)
