"""An item as the reader hands it on: as markdown for the clipboard (`item_markdown`), and
where it starts in its file, for an editor (`item_line`)."""

from __future__ import annotations

from pathlib import Path

from .model import STANCE_GLYPHS, Item, Post
from .sanitize import clean_line

STANCE_WORDS = {
    "bullish": "利多",
    "leaning_bullish": "偏多",
    "neutral": "中性",
    "leaning_bearish": "偏空",
    "bearish": "利空",
    "mixed": "多空交织",
    "unknown": "未标明",
}


def item_markdown(post: Post, item: Item) -> str:
    """Title (linked), where it is from, its points and impacts, as markdown."""
    title = clean_line(item.title) or "(untitled)"
    lines = [f"### [{title}]({item.link})" if item.link else f"### {title}", ""]
    source = f"{post.date.isoformat()} · {clean_line(post.title)}"
    if item.section:
        source += " › " + " › ".join(clean_line(s) for s in item.section)
    lines += [f"*{source}*", ""]
    if item.time:
        lines += [f"- **时间：** {clean_line(item.time)}", ""]
    if item.points:
        lines += ["**核心要点：**", ""]
        lines += [f"- {clean_line(point)}" for point in item.points]
        lines.append("")
    if item.impacts:
        lines += ["**影响：**", ""]
        for impact in item.impacts:
            glyph = STANCE_GLYPHS.get(impact.stance, "?")
            word = STANCE_WORDS.get(impact.stance, impact.stance)
            target, text = clean_line(impact.target) or "影响", clean_line(impact.text)
            if text.startswith(target):  # the words name their target already
                lines.append(f"- {glyph} {text}")
            else:
                lines.append(f"- {glyph} **{target}**（{word}）：{text}")
        lines.append("")
    if item.advice:
        lines += [f"**投资启示：** {clean_line(item.advice)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def item_line(post: Post, item: Item) -> int:
    """The line (1-based) of the post's file where the item starts: the first line of its
    own markdown, the n-th time for the n-th item that starts alike; 1 when not found."""
    first = next((line.strip() for line in item.markdown.splitlines() if line.strip()), "")
    if not first:
        return 1
    alike = [i for i in post.items if _first_line(i) == first]
    wanted = next((n for n, other in enumerate(alike) if other.id == item.id), 0)
    try:
        text = (Path(post.root) / post.path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == first:
            if seen == wanted:
                return number
            seen += 1
    return 1


def _first_line(item: Item) -> str:
    return next((line.strip() for line in item.markdown.splitlines() if line.strip()), "")
