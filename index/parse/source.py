"""Reading a post file safely: bytes to text, frontmatter to plain values, with warnings.

Whatever the file holds, this never raises for its content: encodings are detected (UTF-8
with or without BOM, UTF-16/32 with BOM, GB18030), NUL bytes are dropped, line ends are
normalised, the post is capped in size, and the YAML frontmatter is read with a loader that
keeps every scalar a string (so `title: no` stays "no" and `date: 2024-13-45` does not raise)
and refuses aliases (so an alias bomb cannot expand). Only OSError (the file vanished or
cannot be read) leaves this module.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..archive import open_inside
from ..sanitize import clean, clean_line

#: Posts larger than this are read up to here, shown truncated and indexed up to here.
MAX_POST_BYTES = 1024 * 1024
#: A frontmatter block larger than this is ignored (with a warning).
MAX_FRONTMATTER_CHARS = 64 * 1024

_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OPENING_RE = re.compile(r"---[ \t]*\n")  # the frontmatter's first line
_CLOSING_RE = re.compile(r"^---[ \t]*$", re.M)  # and its last


class _NoAliasLoader(yaml.BaseLoader):
    """YAML loader that keeps every scalar a string and refuses anchors and aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases are not allowed in frontmatter", event.start_mark
            )
        return super().compose_node(parent, index)


class _SafeHandler(YAMLHandler):
    """python-frontmatter's YAML handler, with our loader."""

    def load(self, fm: str, **kwargs: Any) -> Any:
        fast = _fast_load(fm)
        if fast is not _SLOW:
            return fast
        return yaml.load(fm, Loader=_NoAliasLoader)  # BaseLoader subclass


_C_LOADER: Any = getattr(yaml, "CBaseLoader", None)  # libyaml, when PyYAML was built with it
_SLOW = object()


def _fast_load(fm: str) -> Any:
    """The frontmatter read by libyaml (the same BaseLoader result, several times faster), or
    _SLOW when the pure-Python loader must decide: an alias (refused there), a character the
    pure-Python reader refuses, any error (reported in its words), or no libyaml."""
    if _C_LOADER is None or yaml.reader.Reader.NON_PRINTABLE.search(fm):
        return _SLOW
    try:
        if "*" in fm and any(
            isinstance(event, yaml.AliasEvent) for event in yaml.parse(fm, Loader=_C_LOADER)
        ):
            return _SLOW  # events only: an alias is never expanded here
        return yaml.load(fm, Loader=_C_LOADER)  # noqa: S506 - BaseLoader: strings only
    except yaml.YAMLError:
        return _SLOW


class Digest(Protocol):
    """A hashlib object: what `read_post` feeds a file's bytes to."""

    def update(self, data: bytes, /) -> None: ...


@dataclass(frozen=True)
class PostSource:
    """A post file's contents, decoded and split, with what went wrong in words."""

    metadata: dict[str, Any]
    body: str
    warnings: tuple[str, ...]
    truncated: bool
    size: int
    mtime: float


def _decode(data: bytes, codec: str, *, cut: bool, errors: str = "strict") -> str:
    """`data` decoded; when it was `cut` at the size cap, a character the cut split in two
    is dropped rather than taken for a decoding error (which would send a UTF-8 post down
    the GB18030 path)."""
    return codecs.getincrementaldecoder(codec)(errors).decode(data, final=not cut)


def decode(data: bytes, *, cut: bool = False) -> tuple[str, list[str]]:
    """Decode a post's bytes; returns the text and warnings about the encoding.

    `cut` says the bytes are only the start of the file (see MAX_POST_BYTES).
    """
    warnings: list[str] = []
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = _decode(data[len(bom) :], codec, cut=cut, errors="replace")
            if codec != "utf-8":
                warnings.append(f"file is {codec.upper()} (with BOM); read as such")
            return text, warnings
    try:
        return _decode(data, "utf-8", cut=cut), warnings
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if data[:4096].count(b"\x00") > len(data[:4096]) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = _decode(data, codec, cut=cut)
                warnings.append(f"file is {codec.upper()} without BOM; read as such")
                return text, warnings
            except UnicodeDecodeError:
                continue
    try:
        text = _decode(data, "gb18030", cut=cut)
        warnings.append("file is not UTF-8; read as GB18030")
        return text, warnings
    except UnicodeDecodeError:
        pass
    warnings.append(
        f"file is not valid UTF-8 (byte {utf8_error.start}); undecodable bytes shown as �"
    )
    return _decode(data, "utf-8", cut=cut, errors="replace"), warnings


def read_post(path: Path, root: Path | None = None, digest: Digest | None = None) -> PostSource:
    """Read and split one post file. Raises OSError only (vanished, unreadable, or, when the
    `root` it belongs to is given, a path that leads out of it: `archive.open_inside`).
    `digest` (a hashlib object) is fed the whole file's bytes, as read (one read for the
    index's content hash and the parse)."""
    with open(path, "rb") if root is None else open_inside(path, root) as handle:
        info = os.fstat(handle.fileno())
        data = handle.read(MAX_POST_BYTES + 1)
        if digest is not None:
            digest.update(data)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    warnings: list[str] = []
    truncated = len(data) > MAX_POST_BYTES
    if truncated:
        data = data[:MAX_POST_BYTES]
        warnings.append(
            f"post is larger than {MAX_POST_BYTES // 1024} KiB; only its first "
            f"{MAX_POST_BYTES // 1024} KiB are shown and searched"
        )
    text, encoding_warnings = decode(data, cut=truncated)
    return source_from_text(
        text,
        warnings + encoding_warnings,
        truncated=truncated,
        size=info.st_size,
        mtime=info.st_mtime,
    )


def source_from_text(
    text: str,
    warnings: list[str] | None = None,
    *,
    truncated: bool = False,
    size: int = 0,
    mtime: float = 0.0,
) -> PostSource:
    """A decoded post's text to a PostSource: NUL bytes dropped, line ends normalised,
    frontmatter split, body sanitised."""
    warnings = list(warnings or ())
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    metadata, body, fm_warnings = split_frontmatter(text)
    return PostSource(metadata, clean(body), tuple(warnings + fm_warnings), truncated, size, mtime)


def split_frontmatter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """Split YAML frontmatter from the body; bad frontmatter becomes a warning, never an error."""
    if text.startswith("\ufeff"):
        text = text[1:]
    opening = _OPENING_RE.match(text)
    if not opening:
        return {}, text, []
    handler = _SafeHandler()
    # Find the closing line ourselves first, so that an oversized or unterminated block is
    # reported rather than guessed at; python-frontmatter's handler then splits and loads.
    closing = _CLOSING_RE.search(text[opening.end() :])
    if closing is None:
        return {}, text, ["frontmatter is not closed by a '---' line; shown as text"]
    rest = text[opening.end() + closing.end() :].lstrip("\n")
    if closing.start() > MAX_FRONTMATTER_CHARS:
        return (
            {},
            rest,
            [f"frontmatter is larger than {MAX_FRONTMATTER_CHARS // 1024} KiB; ignored"],
        )
    try:
        raw, _ = handler.split(text)
        metadata = handler.load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, rest, [f"frontmatter is not valid YAML{where}: {clean_line(str(problem))}"]
    except Exception as exc:  # a third-party parser on untrusted input
        return {}, rest, [f"frontmatter could not be read: {type(exc).__name__}"]
    if metadata is None:
        return {}, rest, []
    if not isinstance(metadata, dict):
        return {}, rest, ["frontmatter is not a mapping of keys to values; ignored"]
    return metadata, rest, []


# -- coercing frontmatter values -------------------------------------------------------------


def meta_text(metadata: dict[str, Any], key: str) -> str | None:
    """A frontmatter value as one line of text (lists joined), or None when absent/empty."""
    value = metadata.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if not isinstance(v, (list, dict)))
    elif isinstance(value, dict):
        return None
    text = clean_line(str(value)).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text or None


def meta_list(metadata: dict[str, Any], key: str) -> list[str]:
    """A frontmatter value as a list of short strings: YAML list, or comma-separated text."""
    value = metadata.get(key)
    if value is None:
        return []
    if isinstance(value, dict):
        return []
    if isinstance(value, str):
        inner = value.strip()
        if inner.startswith("[") and inner.endswith("]"):
            inner = inner[1:-1]
        parts = re.split(r"[,，、]", inner)
    else:
        parts = [v for v in value if isinstance(v, str)]
    result: list[str] = []
    for part in parts:
        text = clean_line(part).strip().strip("\"'").strip()
        if text and text not in result:
            result.append(text)
    return result


def meta_date(metadata: dict[str, Any]) -> dt.date | None:
    """The frontmatter `date` as a date, if it holds a valid one (date, datetime or string)."""
    value = metadata.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    return parse_date_prefix(value.strip())


def parse_date_prefix(text: str) -> dt.date | None:
    """The date at the start of `text` (YYYY-MM-DD…), or None if there is no valid one."""
    match = _DATE_RE.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
