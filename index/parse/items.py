"""Reading an item's body into its parts: time, points, analysis, impacts, advice, fields.

The body is read in order with a "current part": a known label (`**深度解读 & 洞察：**`,
`### 影响`, `> 投资启示：`) switches to its part until the next label; a time label takes
its own line only; labels inside list items (`- **时间：** …`, `- **核心要点：**` with
sub-bullets) are self-contained. Unknown bold labels become free fields where they can only
be labels (in the item's main text, or standing alone on their line); inside an analysis an
emphasised lead-in (`**这背后的逻辑是：** …`) stays part of the analysis.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
import unicodedata

from ..model import Impact, Item, LabelledText
from .blocks import Block, Run
from .impacts import ImpactReader
from .labels import (
    ADVICE,
    ANALYSIS,
    FIELD,
    IMPACTS,
    POINTS,
    TIME,
    Label,
    heading_label,
    impact_columns,
    is_impact_table,
    is_note_label,
    paragraph_label,
    without_numbering,
)
from .outline import heading_title
from .stances import find_stance
from .structure import Draft


class _ItemBody:
    """The parts of one item, filled while its blocks are read."""

    def __init__(self, reader: ImpactReader) -> None:
        self.reader = reader
        self.current: str | None = None
        self.field_index: int | None = None
        self.impact_target: str | None = None
        self.times: list[str] = []
        self.points: list[str] = []
        self.analysis: list[str] = []
        self.impacts: list[Impact] = []
        self.advice: list[str] = []
        self.fields: list[tuple[str, list[str], bool]] = []
        """(label, texts, reported): reported when read before the commentary began."""
        self.commentary = False
        """Whether the analysis, impacts or advice have begun: fields after are commentary."""
        self.before_time: str | None = None
        self.untaken: list[Block] = []
        """The blocks (and bullets) no part took, in reading order: the rest of the item."""
        self.reported: list[Block] = []
        """The blocks of the fields read before the commentary: part of the report, shown
        with the rest in source order."""

    # -- parts ----------------------------------------------------------------------------------

    def switch(self, label: Label) -> None:
        """Start the part a label names."""
        self.current = label.kind
        self.field_index = None
        if label.kind in (ANALYSIS, IMPACTS, ADVICE):
            self.commentary = True
        if label.kind == FIELD:
            self.field_index = self.new_field(label.name, [])
        if label.kind == IMPACTS:
            self.impact_target = label.target

    def new_field(self, name: str, texts: list[str], reportable: bool = True) -> int:
        """A labelled field (its index); part of the report when read before the commentary
        and `reportable` (its own blocks, not a time line's or an impact's, are what it is)."""
        self.fields.append((name, texts, reportable and not self.commentary))
        return len(self.fields) - 1

    def in_report(self) -> bool:
        """Whether the current part is a field of the report."""
        index = self.field_index
        return self.current == FIELD and index is not None and self.fields[index][2]

    def report(self, block: Block) -> None:
        """`block` belongs to the report's current field: shown with the rest."""
        if self.in_report():
            self.reported.append(block)

    def add_text(self, text: str) -> bool:
        """Text for the current part; False when no part took it (text outside every part,
        or with no words: a bare link, an image), so that its block is the item's rest."""
        if not text:
            return False
        kind = self.current
        if kind == TIME:
            self.add_time(text)
            self.current = self.before_time
        elif kind == POINTS:
            self.points.append(text)
        elif kind == ANALYSIS:
            self.analysis.append(text)
        elif kind == ADVICE:
            self.advice.append(text)
        elif kind == IMPACTS:
            before = len(self.impacts)
            self.impacts.extend(self.reader.from_prose(text, self.impact_target))
            return len(self.impacts) > before
        elif kind == FIELD and self.field_index is not None:
            self.fields[self.field_index][1].append(text)
        else:
            return False
        return True

    def text_of(self, block: Block, text: str) -> None:
        """`text` (of `block`) for the current part, or the block for the rest."""
        if not self.add_text(text):
            self.untaken.append(block)
        else:
            self.report(block)

    def taken(self) -> int:
        """How many impacts, advice texts and fields were read so far (to see if a block
        gave any)."""
        return len(self.impacts) + len(self.advice) + len(self.fields)

    def add_time(self, text: str) -> None:
        """A stated time, as written (its first line; what follows it is ordinary text, and a
        label after a bar, `2026-02-10 | 来源：某社`, is a field of its own)."""
        first, _, _ = text.strip().partition("\n")
        first, after = (_BAR_RE.split(first, maxsplit=1) + [""])[:2]
        after = after.lstrip()
        time = " ".join(first.split()).strip("，,。；; ")
        if time and time not in self.times:
            self.times.append(time)
        field = _SHORT_FIELD_RE.match(after)
        if field:
            self.new_field(field.group(1).strip(), [field.group(2).strip()], reportable=False)

    def add_impact_line(self, runs: list[Run], extra: str = "") -> None:
        impacts, advice, field = self.reader.from_bullet(runs, extra, self.impact_target)
        self.impacts.extend(impacts)
        if advice:
            self.advice.append(advice)
        if field:
            self.new_field(field[0], [field[1]] if field[1] else [], reportable=False)

    # -- blocks ---------------------------------------------------------------------------------

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            kind = block.kind
            if kind in ("html", "hr"):
                continue
            if kind == "heading":
                label = heading_label(block)
                if label is None:  # a heading among field labels: a field of its own
                    label = Label(FIELD, heading_title(block)[0], "")
                self.switch(label)
                self.report(block)
            elif kind == "paragraph":
                self.paragraph(block)
            elif kind == "list":
                self.list_block(block)
            elif kind == "code" and self.current == IMPACTS:
                self.untaken.append(block)  # verbatim text is not an impact
            elif kind == "quote" and self.current == IMPACTS:
                self.impact_quote(block)
            elif kind == "quote":
                self.read(block.children)
            elif kind == "table" and (self.current == IMPACTS or is_impact_table(block.raw)):
                self.impact_table(block)
            else:
                self.text_of(block, block.text)

    def impact_quote(self, block: Block) -> None:
        """A quote among impacts: its labels (advice) and the impacts that name a target are
        read; a quoted remark that names no target is not an impact, but the item's rest."""
        before = len(self.impacts)
        self.read(block.children)
        kept = [i for i in self.impacts[before:] if i.target]
        if len(kept) < len(self.impacts) - before:
            self.impacts[before:] = kept
            self.untaken.append(block)

    def impact_table(self, block: Block) -> None:
        """Impacts written as a table: a row per target, its stance and words after it."""
        before = self.taken()
        rows = [row for row in block.raw.split("\n") if row.strip()]
        columns = impact_columns(rows[0]) if rows else None
        if rows and (columns or find_stance(rows[0]) is None):
            rows = rows[1:]  # the header row
        for row in rows:
            cells = [c.strip() for c in row.split(" | ") if c.strip()]
            if columns and len(cells) > max(columns):  # `| 资产 | 影响 | 理由 |`
                target, stance = cells[columns[0]], cells[columns[1]]
                others = [c for n, c in enumerate(cells) if n not in columns]
                line = f"{target}：{stance}" + "".join(f"，{c}" for c in others)
                self.add_impact_line([Run(line)])
            elif len(cells) >= 2:
                self.add_impact_line([Run(f"{cells[0]}：{'，'.join(cells[1:])}")])
            elif cells and self.impact_target:  # one cell names no target of its own
                self.impacts.extend(self.reader.from_prose(cells[0], self.impact_target))
        if self.taken() == before:
            self.untaken.append(block)

    def paragraph(self, block: Block) -> None:
        label = paragraph_label(block.runs, free=True)
        if (
            label is not None
            and label.kind == FIELD
            and not (self.current in (None, FIELD, POINTS) or label.standalone)
        ):
            label = None  # an emphasised lead-in inside an analysis, not a new part
        if label is None:
            if self.current == IMPACTS:
                before = self.taken()
                for line in _lines(block.runs):
                    self.add_impact_line(line)
                if self.taken() == before:
                    self.untaken.append(block)
            else:
                self.text_of(block, block.text)
            return
        if label.kind == TIME:
            if label.rest:
                self.add_time(label.rest)
            else:
                self.before_time, self.current = self.current, TIME
            return
        if label.kind == FIELD and label.rest:  # `**技术架构：** …`: a field on one line
            self.current, self.field_index = FIELD, self.new_field(label.name, [label.rest])
            self.report(block)
            self.current, self.field_index = None, None
            return
        self.switch(label)
        self.report(block)
        self.label_rest(label)

    def label_rest(self, label: Label) -> None:
        """The text that follows a label in its own paragraph or list item."""
        if not label.rest:
            return
        if label.kind == IMPACTS:
            for line in label.rest.split("\n"):
                if line.strip():
                    self.add_impact_line([Run(line.strip())])
        else:
            self.add_text(label.rest)

    def list_block(self, block: Block) -> None:
        for bullet in block.children:
            head = bullet.children[0] if bullet.children else None
            if head is None or head.kind != "paragraph":
                self.text_of(bullet, bullet.text)
                continue
            rest = bullet.children[1:]
            label = paragraph_label(head.runs, free=self.current is None)
            if label is not None and self.current == IMPACTS and is_note_label(label.name):
                label = Label(FIELD, label.name, label.rest)  # `- **操作建议：** …`: a field
            elif label is not None and label.kind == FIELD and self.current in (IMPACTS, POINTS):
                label = None
            if label is not None:
                self.bullet_label(label, bullet, rest)
            elif self.current == IMPACTS:
                before = self.taken()
                self.add_impact_line(head.runs, "\n".join(b.text for b in rest if b.text))
                if self.taken() == before:
                    self.untaken.append(bullet)
            elif self.current == POINTS and bullet.text:
                self.points.append(bullet.text)
            else:
                self.text_of(bullet, bullet.text)

    def bullet_label(self, label: Label, bullet: Block, rest: list[Block]) -> None:
        """A label heading a list item: its text and sub-bullets are that part, and the
        part in force before it resumes after the item (`- **时间：** …` among bullets)."""
        if label.kind == TIME:
            if label.rest:
                self.add_time(label.rest)
            self.read(rest)
            return
        saved = (self.current, self.field_index, self.impact_target)
        self.switch(label)
        self.report(bullet)
        self.label_rest(label)
        self.read(rest)
        self.current, self.field_index, self.impact_target = saved


_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)"
_BRACKET_TIME_RE = re.compile(
    rf"[（(]\s*({_DATE}(?:\s*[ T]?\s*\d{{1,2}}:\d{{2}})?"
    rf"(?:\s*(?:至|到|~|～|—|-|/)\s*(?:{_DATE})?\s*(?:\d{{1,2}}:\d{{2}})?)?)\s*[)）]"
)
_BAR_RE = re.compile(r"[|｜丨]")  # blanks around it stripped after: `\s*[|]` is quadratic
_SHORT_FIELD_RE = re.compile(r"^([^：:|｜]{1,8})[：:]\s*(\S.*)$")


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Inline runs split at line breaks (impacts written as lines of one paragraph)."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part.strip():
                lines[-1].append(Run(part, run.bold, run.link))
    return [line for line in lines if line]


def title_key(title: str) -> str:
    """A title as ids see it: NFKC, case-folded, without spaces, so that re-spacing or
    re-casing a title (or full-width characters) keeps its item's id."""
    return "".join(unicodedata.normalize("NFKC", title).casefold().split())


def item_id(title: str, occurrence: int = 1) -> str:
    """Stable within a post whatever else changes in it: a short hash of the normalised
    title, and for the 2nd, 3rd... item with that title in the post, `-2`, `-3`..."""
    digest = hashlib.blake2b(title_key(title).encode("utf-8"), digest_size=4).hexdigest()
    return digest if occurrence <= 1 else f"{digest}-{occurrence}"


def next_id(title: str, seen: dict[str, int]) -> str:
    """The id of the next item titled `title` in a post; `seen` counts the ids given so far
    (same-title items, and however unlikely titles with one hash, told apart by order)."""
    base = item_id(title)
    seen[base] = seen.get(base, 0) + 1
    return item_id(title, seen[base])


def build_item(
    draft: Draft, reader: ImpactReader, source_lines: list[str], seen: dict[str, int]
) -> Item:
    """The Item a draft describes, its body read into parts; `seen` counts the post's ids
    so far (see `next_id`)."""
    body = _ItemBody(reader)
    body.read(draft.blocks)
    body.impacts = [reader.with_subject(i, draft.title) for i in body.impacts]
    link = draft.link
    if link is None and draft.blocks and draft.blocks[0].kind == "paragraph":
        first = [r for r in draft.blocks[0].runs if r.text.strip()]
        if first and first[0].link:
            link = first[0].link
            if all(r.link for r in first) and draft.blocks[0] in body.untaken:
                body.untaken.remove(draft.blocks[0])  # a line of links: shown as the link
    title = without_numbering(draft.title)
    if not body.times:
        stated = _BRACKET_TIME_RE.search(draft.head_text or draft.title)
        if stated:
            body.add_time(stated.group(1))
            title = _BRACKET_TIME_RE.sub("", title).strip() or title
    texts = [draft.head_text] + [b.text for b in draft.blocks if b.kind not in ("html", "hr")]
    markdown = "\n".join(source_lines[draft.start : draft.end]).strip("\n")
    return Item(
        id=next_id(title, seen),
        title=title,
        section=draft.section,
        link=link or None,
        time="；".join(body.times) or None,
        points=tuple(p for p in body.points if p),
        analysis="\n".join(body.analysis) or None,
        impacts=tuple(body.impacts),
        advice="\n".join(body.advice) or None,
        fields=tuple(
            LabelledText(name, "\n".join(words), reported) for name, words, reported in body.fields
        ),
        text="\n".join(t for t in texts if t),
        markdown=markdown,
        rest=rest_markdown(draft.head_rest, in_source_order(body), source_lines),
    )


def in_source_order(body: _ItemBody) -> list[Block]:
    """The untaken blocks and the report's field blocks (a list item before its blocks)."""
    return sorted(body.untaken + body.reported, key=lambda block: (block.start, -block.end))


_MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>#|~])")


def rest_markdown(head_rest: str, untaken: list[Block], source_lines: list[str]) -> str:
    """The markdown of what no part of an item took: the title line's text beyond the
    title (escaped: it is plain text), then the source of each untaken block, adjacent
    blocks kept together (a list stays one list) and each stretch dedented."""
    parts = [_MARKDOWN_SPECIAL_RE.sub(r"\\\1", head_rest)] if head_rest.strip() else []
    stretch: list[str] = []
    end = -1
    for block in untaken:
        if block.end <= block.start:  # no source lines known: its plain text
            parts.append(_MARKDOWN_SPECIAL_RE.sub(r"\\\1", block.text))
            continue
        if block.start < end:  # inside a stretch taken already
            continue
        if block.start != end and stretch:
            parts.append(textwrap.dedent("\n".join(stretch)).strip("\n"))
            stretch = []
        stretch += source_lines[block.start : block.end]
        end = block.end
    if stretch:
        parts.append(textwrap.dedent("\n".join(stretch)).strip("\n"))
    return "\n\n".join(part for part in parts if part.strip())
