"""A hostile archive, generated: what the internet and years of disk rot can put in a root.

`make_hostile_archive(root)` writes posts whose titles, bodies, tags, summary, category and
file names carry terminal escape sequences, Rich/Textual markup and dangerous links; files
that are broken in every way we know of; and filesystem oddities (FIFO, socket, folder named
x.md, bad symlinks, hidden folders). It returns a `HostileManifest` that says what it wrote
and what a reader must and must not show, find or do with it. Tests over the index, `show`,
`search` and the app all use it, so a new attack added here is tried everywhere at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# -- the attacks ---------------------------------------------------------------------------

#: Escape-sequence payloads. Each starts with a short ASCII tag so that the dangerous bytes can
#: be searched for exactly in a terminal's output (Textual emits its own CSI sequences, never
#: these), and so the visible placeholder can be found on the screen.
ESCAPES: dict[str, str] = {
    "osc52": "\x1b]52;c;SE9TVElMRQ==\x07",  # write "HOSTILE" to the clipboard
    "osc0": "\x1b]0;PWNTITLE\x07",  # set the window title
    "osc8": "\x1b]8;;http://evil.example/x\x1b\\EVILLINK\x1b]8;;\x1b\\",  # a hyperlink
    "reset": "RST\x1bc",  # full terminal reset
    "clear": "CLR\x1b[2J",  # clear the screen
    "c1csi": "CSI\x9b31m",  # 8-bit CSI (U+009B)
    "bel": "BEL\x07",
    "bs": "BSP\x08\x08",
    "del": "DEL\x7f",
    "rlo": "RLO\u202egpj.exe",  # right-to-left override
    "lri": "LRI\u2066isolate\u2069",
}

#: Byte strings that must never be written to a terminal: the dangerous core of each payload.
FORBIDDEN_BYTES: tuple[bytes, ...] = (
    b"\x1b]52;",
    b"\x1b]0;PWN",
    b"\x1b]8;;http://evil",
    b"RST\x1bc",
    b"CLR\x1b[2J",
    b"CSI\xc2\x9b",
    b"BEL\x07",
    b"BSP\x08",
    b"DEL\x7f",
    "RLO\u202e".encode(),
    "LRI\u2066".encode(),
    "\u202e".encode(),  # no bidi override at all: the app never writes one itself
    "\u2066".encode(),
    b"\xc2\x9b",  # no 8-bit CSI at all (as UTF-8)
)

#: Rich/Textual markup that would run an action or restyle text if it were interpreted.
#: `{markers}` is replaced by a folder outside the root where a screenshot would land.
MARKUP: tuple[str, ...] = (
    "[@click=app.quit]q[/]",
    "[@click=app.screenshot('x.svg','/tmp')]s[/]",
    "[@click=app.screenshot('pwned.svg','{markers}')]s[/]",
    "[ @click=app.bell]b[/]",
    "[$accent @click=app.quit]a[/]",
    "[/]",
    "[bold red]red[/bold red]",
    "[link=http://evil.example/m]l[/link]",
)

#: Links a reader must show and never open (only http/https open, after confirmation).
BAD_LINKS: tuple[str, ...] = (
    "javascript:alert(1)",
    "ms-msdt:/id%20PCWDiagnostic",
    "vscode://file/etc/passwd",
    "ssh://evil.example",
    "file:///etc/passwd",
)

RAW_HTML = (
    '<script>alert("hx")</script>\n\n'
    '<img src="x" onerror="alert(1)">\n\n'
    '<a href="javascript:alert(2)">htmllink</a>\n'
)

#: Every bidi control the sanitiser must neutralise.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@dataclass
class HostileManifest:
    """What `make_hostile_archive` wrote, and what a reader must and must not do with it."""

    root: Path
    outside: Path
    """A folder beside the root: symlink targets and a place an action would write to."""
    markers: Path
    """Folder that `app.screenshot` markup points at: it must stay empty."""
    posts: list[str] = field(default_factory=list)
    """Relative paths of every file that is a post (must be found; may carry warnings)."""
    skipped: list[str] = field(default_factory=list)
    """Relative paths that exist but are not posts (special files, bad links, hidden)."""
    tokens: dict[str, str] = field(default_factory=dict)
    """Search word -> relative path of the post it must find."""
    absent_tokens: list[str] = field(default_factory=list)
    """Search words that exist on disk but must never be found (hidden, outside, past cap)."""
    escape_posts: list[str] = field(default_factory=list)
    """Posts whose shown text carries escape payloads (the real-terminal test shows these)."""
    markup_posts: list[str] = field(default_factory=list)
    """Posts whose titles, tags, etc. carry markup; it must appear literally."""
    undecodable: list[str] = field(default_factory=list)
    """Names that are not valid UTF-8 (skipped, with a warning)."""
    literal_titles: dict[str, str] = field(default_factory=dict)
    """Relative path -> a title that must be shown exactly as written (markup included)."""
    link_post: str = ""
    slow_posts: list[str] = field(default_factory=list)
    """Posts that are expensive to lay out (huge table, megabyte line, deep nesting)."""
    huge_post: str = ""


# -- building blocks -----------------------------------------------------------------------


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, control characters as YAML escapes."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\x1b":
            out.append("\\e")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif 0x2000 <= code <= 0x206F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def econ_post(
    *,
    title: str,
    date: str,
    tags: list[str],
    category: str,
    summary: list[str],
    section: str,
    item_title: str,
    point: str,
    analysis: str,
    impact: str,
    advice: str,
    extra_body: str = "",
    raw_title_line: str | None = None,
) -> str:
    """An economy-daily post in the real layout, every field given (already hostile)."""
    fm = [
        "---",
        f"title: {yaml_quoted(title)}",
        f"date: {date}",
        f"category: {yaml_quoted(category)}",
        "tags: [" + ", ".join(yaml_quoted(t) for t in tags) + "]",
        "summary: " + yaml_quoted("\n".join(f"- {s}" for s in summary)),
        "---",
    ]
    body = f"""# {raw_title_line if raw_title_line is not None else title}

## {section}

### {item_title}

**时间：** {date} 08:00

- **核心要点：** {point}
- 第二要点 `{point}`

**深度解读 & 洞察：** {analysis}

**影响：**
- 对黄金：利多。{impact}
- **对美元**：利空。{impact}
- **原油（中性）：** {impact}

> 投资启示：{advice}

```
{point}
```
{extra_body}
"""
    return "\n".join(fm) + "\n" + body


# -- the generator -------------------------------------------------------------------------

GROUPS = ("escapes", "markup", "links", "names", "broken", "big", "special")


@dataclass
class Writer:
    """Where a hostile archive is being written, and what it was asked to hold."""

    root: Path
    outside: Path
    markers: Path
    groups: tuple[str, ...]
    big: bool
    huge_bytes: int
    manifest: HostileManifest

    def post(self, rel: str, data: bytes | str, token: str | None = None) -> None:
        """Write the post file `rel`; `token` is a word in it that search must find."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.manifest.posts.append(rel)
        if token:
            self.manifest.tokens[token] = rel


def make_hostile_archive(
    root: Path, *, huge_bytes: int = 3_000_000, big: bool = True, groups: tuple[str, ...] = GROUPS
) -> HostileManifest:
    """Write a hostile archive under `root` (created) and return its manifest.

    `big=False` leaves out the posts that are only slow (table, paragraphs, megabyte line,
    the huge post), for tests that need many runs; `huge_bytes` sizes the over-cap post;
    `groups` picks which kinds of hostile files to write (all by default).
    """
    from hostile_files import WRITERS

    root.mkdir(parents=True, exist_ok=True)
    outside = root.parent / f"{root.name}-outside"
    markers = root.parent / f"{root.name}-markers"
    outside.mkdir(exist_ok=True)
    markers.mkdir(exist_ok=True)
    manifest = HostileManifest(root=root, outside=outside, markers=markers)
    writer = Writer(root, outside, markers, groups, big, huge_bytes, manifest)
    for group in groups:
        WRITERS[group](writer)
    return _prune(manifest)


def _prune(m: HostileManifest) -> HostileManifest:
    """Keep in the manifest only the posts that were written (see `groups`)."""
    present = set(m.posts)
    m.escape_posts = [p for p in m.escape_posts if p in present]
    m.markup_posts = [p for p in m.markup_posts if p in present]
    m.slow_posts = [p for p in m.slow_posts if p in present]
    m.literal_titles = {p: t for p, t in m.literal_titles.items() if p in present}
    m.link_post = m.link_post if m.link_post in present else ""
    m.huge_post = m.huge_post if m.huge_post in present else ""
    m.tokens = {token: p for token, p in m.tokens.items() if p in present}
    return m


# -- checking an archive did not change ----------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry below `root` (not following links): relative path -> (kind, mode, content).

    Content is the sha256 of a regular file, a link's target, or "" for anything else.
    """
    import hashlib

    result: dict[str, tuple[str, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                result[rel] = ("link", info.st_mode, os.readlink(full))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                # chmod 000 files are readable by root only; others we note as unreadable
                try:
                    with open(full, "rb") as handle:
                        digest.update(handle.read())
                    content = digest.hexdigest()
                except OSError:
                    content = "unreadable"
                result[rel] = ("file", info.st_mode, content)
            elif stat.S_ISDIR(info.st_mode):
                result[rel] = ("dir", info.st_mode, "")
            else:
                result[rel] = ("special", info.st_mode, "")
    return result


def iter_forbidden(data: bytes) -> Iterator[bytes]:
    """The forbidden byte strings that occur in `data` (for one clear assertion message)."""
    return (b for b in FORBIDDEN_BYTES if b in data)
