"""What a stretch of blocks looks like: an intro line, a list of short news, a more-news
marker, a table of contents; and how a bullet's words make a title.

The structure walker (structure.py) asks these questions of the blocks under a heading to
decide which of them are items.
"""

from __future__ import annotations

import re

from .blocks import Block
from .labels import block_label, is_more_news, paragraph_label, title_line, without_numbering

_BULLET_TITLE_MAX = 120
_HEADLINES_RE = re.compile(r"(?:要闻|头条)[：:]?$")
_SPACE_AFTER_PUNCT_RE = re.compile(r"(?<=[：，。；、！？）】])\s+")
_FIRST_SENTENCE_RE = re.compile(r"(.+?[。；;！？!?])(?=.)")


def first_sentence(text: str) -> str:
    """A bullet's title: its first sentence, on one line (`**来源：** 正文` -> `来源：正文`)."""
    line = " ".join(text.split())
    line = _SPACE_AFTER_PUNCT_RE.sub("", line)
    match = _FIRST_SENTENCE_RE.match(line)
    sentence = match.group(1) if match and len(match.group(1)) >= 8 else line
    return sentence.rstrip("。；;")


def cap_title(title: str) -> str:
    """A title cut to a length a list of items can show (bullet titles can be long)."""
    return title if len(title) <= _BULLET_TITLE_MAX else title[: _BULLET_TITLE_MAX - 1] + "…"


def is_intro(block: Block) -> bool:
    """A short plain paragraph that may open a section before its entries."""
    return (
        block.kind == "paragraph"
        and block_label(block, free=False) is None
        and title_line(block) is None
        and len(block.text) <= 300
    )


def is_substantial(blocks: list[Block]) -> bool:
    """Whether a group's own text is an entry of its own rather than a short intro."""
    if len(blocks) > 1:
        return True
    block = blocks[0]
    if block.kind == "quote":
        return bool(block.children) and is_substantial(block.children)
    return block.kind not in ("paragraph", "heading") or block_label(block, free=False) is not None


def is_roundup(blocks: list[Block]) -> bool:
    """A body that is only a list of short news (after at most one intro line)."""
    body = blocks[1:] if len(blocks) > 1 and is_intro(blocks[0]) else blocks
    if not body or any(b.kind != "list" for b in body):
        return False
    for block in body:
        for bullet in block.children:
            head = bullet.children[0] if bullet.children else None
            if head is not None and head.kind == "paragraph":
                label = paragraph_label(head.runs, free=False)
                if label is not None:
                    return False
    return True


def more_news_marker(block: Block) -> str | None:
    """`**更多动态**` / `更多动态：` on its own line: the words, else None."""
    if block.kind != "paragraph":
        return None
    text = block.text.strip().rstrip("：:").strip()
    if text and "\n" not in text and is_more_news(text) and len(text) <= 16:
        return text
    return None


def contents_key(title: str) -> str:
    """A title reduced to its words, to tell a table of contents' line from its item."""
    return re.sub(r"[\W_]+", "", without_numbering(title)).casefold()


def is_headlines(title: str, blocks: list[Block]) -> bool:
    """A `今日要闻` / `国内要闻` section of short news lines (`**标题**：正文` paragraphs or
    bullets), rather than one news item with its labelled parts."""
    return (
        _HEADLINES_RE.search(title.strip()) is not None
        and bool(blocks)
        and all(b.kind in ("paragraph", "list") for b in blocks)
        and not any(block_label(b, free=False) for b in blocks)
    )


def text_after_title(head_text: str, title: str) -> str:
    """What a bullet's title line says beyond its title: "" when the title is all of it, the
    text after the first sentence when that is the title, the whole line when the title was
    cut short (…)."""
    compact = re.sub(r"\s+", "", head_text)
    wanted = re.sub(r"\s+", "", title)
    if compact.rstrip("。；;") == wanted:
        return ""
    if title.endswith("…") or not compact.startswith(wanted):
        return head_text.strip()
    matched = 0
    for position, char in enumerate(head_text):  # skip the title's characters in the line
        if not char.isspace():
            matched += 1
        if matched == len(wanted):
            return head_text[position + 1 :].lstrip("。；;：: \n").strip()
    return ""
