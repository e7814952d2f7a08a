"""The files of each kind of hostile archive content (see hostile.make_hostile_archive).

One function per group: escape sequences, markup, links, file names, broken files, slow
posts, filesystem oddities. Each writes its files through the Writer and records in the
manifest what a reader must and must not show, find or do.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import random
import socket
import stat
from collections.abc import Callable
from pathlib import Path

from hostile import (
    BAD_LINKS,
    BIDI,
    ESCAPES,
    MARKUP,
    RAW_HTML,
    Writer,
    econ_post,
    yaml_quoted,
)


def write_escapes(w: Writer) -> None:
    """Escape sequences in every field, via YAML escapes (real control chars in values)."""
    m, post = w.manifest, w.post
    for n, (name, payload) in enumerate(ESCAPES.items(), start=1):
        rel = f"escapes/2026-01-{n:02d}-{name}.md"
        token = f"hxesc{name}"
        post(
            rel,
            econ_post(
                title=f"{payload} 标题 {token}",
                date=f"2026-01-{n:02d}",
                tags=[f"{payload}tag", "经济日报"],
                category=f"经济日报{payload}",
                summary=[f"{payload} 摘要一", "摘要二"],
                section=f"{payload} 栏目",
                item_title=f"{payload} 条目 {name}",
                point=f"{payload} 要点",
                analysis=f"{payload} 分析",
                impact=f"{payload} 影响",
                advice=f"{payload} 启示",
                extra_body=f"\n正文 {payload} 段落 [{payload}](https://example.com/{name})\n",
            ),
            token,
        )
        m.escape_posts.append(rel)
    # all payloads at once, raw in the body and in a (then invalid) YAML title
    everything = " ".join(ESCAPES.values())
    post(
        "escapes/2026-01-20-raw.md",
        f"---\ntitle: {everything}\ndate: 2026-01-20\n---\n# {everything} hxescraw\n\n"
        f"{everything}\n\n- {everything}\n\n`{everything}`\n\n```\n{everything}\n```\n"
        f"\n| a | {ESCAPES['osc52']} |\n|---|---|\n| {ESCAPES['c1csi']} | b |\n",
        "hxescraw",
    )
    m.escape_posts.append("escapes/2026-01-20-raw.md")
    # every bidi control and every C0/C1 control in one post
    controls = "".join(chr(c) for c in range(0x00, 0xA0) if chr(c) not in "\n\r\t")
    post(
        "escapes/2026-01-21-controls.md",
        f"---\ntitle: {yaml_quoted('控制字符 ' + BIDI + ' hxctltitle')}\ndate: 2026-01-21\n"
        f"---\n# 控制 {BIDI}\n\nhxcontrols {controls} {BIDI} 结束\n",
        "hxcontrols",
    )
    m.escape_posts.append("escapes/2026-01-21-controls.md")


def write_markup(w: Writer) -> None:
    """Markup in every field."""
    m, post = w.manifest, w.post
    markup = [s.replace("{markers}", str(w.markers)) for s in MARKUP]
    for n, text in enumerate(markup, start=1):
        rel = f"markup/2026-02-{n:02d}-markup.md"
        token = f"hxmarkup{chr(ord('a') + n - 1)}"
        title = f"{text} {token}"
        post(
            rel,
            econ_post(
                title=title,
                date=f"2026-02-{n:02d}",
                tags=[text, "标签"],
                category=text,
                summary=[text, "摘要"],
                section=text,
                item_title=f"{text} 条目",
                point=text,
                analysis=text,
                impact=text,
                advice=text,
                extra_body=f"\n{text}\n",
                raw_title_line=text,
            ),
            token,
        )
        m.markup_posts.append(rel)
        m.literal_titles[rel] = title


def write_links(w: Writer) -> None:
    """Links and raw HTML."""
    m, post = w.manifest, w.post
    links = "\n".join(f"- [bad{n}]({url}) hxlink{n}" for n, url in enumerate(BAD_LINKS))
    refs = "\n".join(f"[ref{n}]: {url}" for n, url in enumerate(BAD_LINKS))
    ref_uses = " ".join(f"[r{n}][ref{n}]" for n in range(len(BAD_LINKS)))
    m.link_post = "links/2026-03-01-links.md"
    post(
        m.link_post,
        "---\ntitle: 链接 hxlinks\ndate: 2026-03-01\ntags: [链接]\n---\n# 链接\n\n"
        f"## 栏目\n\n### [标题链接](javascript:alert(3))\n\n{links}\n\n"
        "- [good](https://example.com/good)\n\n"
        f"<javascript:alert(4)> <vscode://x>\n\n{ref_uses}\n\n{refs}\n\n{RAW_HTML}\n"
        f"**影响：**\n- 对黄金：利多。[点我](ms-msdt:/id)\n",
        "hxlinks",
    )


def write_names(w: Writer) -> None:
    """File names carrying escapes and markup (no '/' possible in a name)."""
    m, root, post = w.manifest, w.root, w.post
    for n, name in enumerate(
        [
            "\x1b]0;PWNNAME\x07",
            "RST\x1bc",
            "CLR\x1b[2J",
            "CSI\x9b31m",
            "BEL\x07",
            "RLO\u202egpj",
            "\x1b]52;c;SE9TVElMRQ==\x07",
            "[@click=app.quit]q",
            "[bold red]x",
            "[$accent @click=app.bell]",
            "new\nline",
        ],
        start=1,
    ):
        rel = f"names/2026-04-{n:02d}-{name}.md"
        token = f"hxname{chr(ord('a') + n - 1)}"
        if n % 2:  # no title anywhere: the file name is the title
            post(rel, f"{token} 正文\n", token)
        else:
            post(
                rel,
                f"---\ntitle: 文件名 {token}\ndate: 2026-04-{n:02d}\n---\n# 文件名\n\n"
                f"{token} 正文\n",
                token,
            )
        m.escape_posts.append(rel)
    # names that are not valid UTF-8 at all (a GBK name, raw bytes): skipped with a warning
    undecodable = (b"names/2026-04-30-\xff\xfe\x9b.md", "names/2026-04-29-经济.md".encode("gbk"))
    for raw in undecodable:
        path = root / os.fsdecode(raw)
        path.write_text("---\ntitle: 坏文件名 hxbadbytes\ndate: 2026-04-30\n---\n正文\n")
        m.skipped.append(os.fsdecode(raw))
        m.undecodable.append(os.fsdecode(raw))
    m.absent_tokens.append("hxbadbytes")


def write_broken(w: Writer) -> None:
    """Broken files."""
    m, post = w.manifest, w.post
    simple = "---\ntitle: {title}\ndate: {date}\ntags: [{tag}]\n---\n# {title}\n\n{body}\n"

    def simple_post(title: str, date: str, body: str, tag: str = "坏文件") -> str:
        return simple.format(title=title, date=date, tag=tag, body=body)

    post(
        "broken/2026-05-01-bom.md",
        codecs.BOM_UTF8 + simple_post("BOM hxbom", "2026-05-01", "正文").encode(),
        "hxbom",
    )
    post(
        "broken/2026-05-02-gbk.md",
        simple_post("国标编码 hxgbk", "2026-05-02", "编码测试甲 黄金").encode("gb18030"),
        "hxgbk",
    )
    m.tokens["编码测试甲"] = "broken/2026-05-02-gbk.md"
    post(
        "broken/2026-05-03-utf16.md",
        simple_post("宽字符 hxutfsixteen", "2026-05-03", "编码测试乙").encode("utf-16"),
        "hxutfsixteen",
    )
    m.tokens["编码测试乙"] = "broken/2026-05-03-utf16.md"
    post(
        "broken/2026-05-04-nul.md",
        simple_post("空字节 hxnul", "2026-05-04", "正\x00文\x00 hxnulbody").encode(),
        "hxnul",
    )
    post(
        "broken/2026-05-05-crlf.md",
        simple_post("回车换行 hxcrlf", "2026-05-05", "正文\n\n- 要点").replace("\n", "\r\n"),
        "hxcrlf",
    )
    post(
        "broken/2026-05-06-cr.md",
        simple_post("回车 hxlonecr", "2026-05-06", "正文\n\n- 要点").replace("\n", "\r"),
        "hxlonecr",
    )
    post(
        "broken/2026-05-07-baddate.md",
        "---\ntitle: 坏日期 hxbaddate\ndate: 2024-13-45\n---\n正文\n",
        "hxbaddate",
    )
    post(
        "broken/2026-05-08-keys.md",
        "---\ntitle: 怪键 hxkeys\ncontent: 内容键\n1: 数字键\ndate: 2026-05-08\n---\n正文\n",
        "hxkeys",
    )
    post(
        "broken/2026-05-09-no.md", "---\ntitle: no\ndate: 2026-05-09\n---\nhxtitleno\n", "hxtitleno"
    )
    post("broken/2026-05-10-bomb.md", alias_bomb() + "---\nhxaliasbomb\n", "hxaliasbomb")
    post(
        "broken/2026-05-11-recursive.md",
        "---\ntitle: &a [*a]\ndate: 2026-05-11\ntags: &t [*t, *t]\n---\nhxrecursive\n",
        "hxrecursive",
    )
    post("broken/2026-05-12-fmlist.md", "---\n- a\n- b\n---\nhxfmlist\n", "hxfmlist")
    post("broken/2026-05-13-fmscalar.md", "---\njust a scalar\n---\nhxfmscalar\n", "hxfmscalar")
    post(
        "broken/2026-05-14-unclosed.md",
        "---\ntitle: 未闭合\ndate: 2026-05-14\n\nhxunclosed\n",
        "hxunclosed",
    )
    post("broken/2026-05-15-empty.md", b"")
    rng = random.Random(5)
    post(
        "broken/2026-05-16-binary.md",
        rng.randbytes(3000) + b"\x1b]52;c;SE9TVElMRQ==\x07" + bytes(range(256)),
    )
    post("broken/2026-05-17-fmnotyaml.md", "---\ntitle: [unclosed\n---\nhxnotyaml\n", "hxnotyaml")
    post(
        "broken/2026-05-18-rawyaml.md",
        "---\ntitle: 原始\x1b]0;PWNTITLE\x07控制\ndate: 2026-05-18\n---\nhxrawyaml\n",
        "hxrawyaml",
    )
    post("broken/2026-05-19-onlyfm.md", "---\ntitle: 只有头 hxonlyfm\n---\n", "hxonlyfm")
    post("broken/2026-05-20-dashes.md", "---\n---\n---\n---\nhxdashes\n", "hxdashes")
    post(
        "broken/2026-05-21-weirdvalues.md",
        "---\ntitle: {a: 1}\ndate: [2026, 5, 21]\ntags: {x: y}\nsummary: [1, [2, 3]]\n"
        f"category: {'长' * 5000}\n---\nhxweirdvalues\n",
        "hxweirdvalues",
    )
    post(
        "broken/9999-12-31-far.md",
        "---\ntitle: 远日期 hxfardate\ndate: 0001-01-01\n---\n正文\n",
        "hxfardate",
    )
    post(
        "broken/2026-05-22-manytags.md",
        "---\ntitle: 多标签 hxmanytags\ntags: ["
        + ", ".join(f"t{i}" for i in range(3000))
        + "]\n---\n正文\n",
        "hxmanytags",
    )
    post(
        "broken/2026-05-23-zalgo.md",
        "---\ntitle: Z"
        + "\u0301" * 2000
        + " hxzalgo\n---\n"
        + ("e\u0300" * 3000)
        + "\n\n\u200b\u200d\ufeff\u2028\u2029 零宽 hxzalgobody\n",
        "hxzalgo",
    )
    post(
        "broken/2026-05-24-headingonly.md",
        "#\n##\n###\n**影响：**\n- 对：\n- ：\n",
    )
    post(
        "broken/2026-05-25-longurl.md",
        "---\ntitle: 长链接 hxlongurl\n---\n[x](https://example.com/" + "a" * 100_000 + ")\n",
        "hxlongurl",
    )


def write_big(w: Writer) -> None:
    """Expensive to lay out."""
    m, post = w.manifest, w.post
    if w.big:
        head = "---\ntitle: 巨大 hxhugehead\ndate: 2026-06-01\n---\n# 巨大\n\nhxhugehead\n\n"
        filler = "这是一段填充文字 lorem ipsum dolor sit amet。\n\n"
        count = max(1, (w.huge_bytes - len(head)) // len(filler.encode()))
        m.huge_post = "big/2026-06-01-huge.md"
        post(m.huge_post, head + filler * count + "\nhxhugetail\n", "hxhugehead")
        m.absent_tokens.append("hxhugetail")
        table = "| " + " | ".join(f"h{c}" for c in range(40)) + " |\n"
        table += "|" + "---|" * 40 + "\n"
        table += "".join(
            "| " + " | ".join(f"r{r}c{c}" for c in range(40)) + " |\n" for r in range(200)
        )
        post(
            "big/2026-06-02-table.md",
            f"---\ntitle: 大表 hxtable\ndate: 2026-06-02\n---\n# 大表\n\n{table}",
            "hxtable",
        )
        paras = "".join(f"第{i}段 paragraph {i}.\n\n" for i in range(5000))
        post(
            "big/2026-06-03-paras.md",
            f"---\ntitle: 五千段 hxparas\ndate: 2026-06-03\n---\n{paras}",
            "hxparas",
        )
        line = " ".join(f"w{i % 997}" for i in range(160_000))[:1_000_000]
        post(
            "big/2026-06-04-longline.md",
            f"---\ntitle: 长行 hxlongline\ndate: 2026-06-04\n---\n{line}\n",
            "hxlongline",
        )
        m.slow_posts += [
            "big/2026-06-02-table.md",
            "big/2026-06-03-paras.md",
            "big/2026-06-04-longline.md",
            m.huge_post,
        ]
    nested_list = "".join("  " * i + f"- 层{i}\n" for i in range(500))
    post(
        "big/2026-06-05-deeplist.md",
        f"---\ntitle: 深列表 hxdeeplist\ndate: 2026-06-05\n---\n{nested_list}",
        "hxdeeplist",
    )
    post(
        "big/2026-06-06-deepquote.md",
        f"---\ntitle: 深引用 hxdeepquote\ndate: 2026-06-06\n---\n{'>' * 500} 深处\n",
        "hxdeepquote",
    )
    post(
        "big/2026-06-07-deepmix.md",
        "---\ntitle: 深混合 hxdeepmix\ndate: 2026-06-07\n---\n"
        + "".join("  " * i + "- > " for i in range(200))
        + "底\n"
        + "*" * 3000
        + "x"
        + "*" * 3000
        + "\n"
        + "[" * 3000
        + "\n"
        + "`" * 3000
        + "\n",
        "hxdeepmix",
    )
    m.slow_posts += [
        "big/2026-06-05-deeplist.md",
        "big/2026-06-06-deepquote.md",
        "big/2026-06-07-deepmix.md",
    ]


def write_special(w: Writer) -> None:
    """Filesystem oddities."""
    m, root, post, outside = w.manifest, w.root, w.post, w.outside
    special = root / "special"
    special.mkdir()
    os.mkfifo(special / "fifo.md")
    m.skipped.append("special/fifo.md")
    if _make_socket(special / "sock.md"):
        m.skipped.append("special/sock.md")
    with contextlib.suppress(OSError):  # needs CAP_MKNOD; a device reads forever if opened
        os.mknod(special / "zero.md", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        m.skipped.append("special/zero.md")
    (special / "folder.md").mkdir()
    m.skipped.append("special/folder.md")
    post(
        "special/folder.md/inside.md", "---\ntitle: 文件夹里 hxinfolder\n---\n正文\n", "hxinfolder"
    )
    (special / "dangling.md").symlink_to(special / "nowhere.md")
    m.skipped.append("special/dangling.md")
    (special / "loop-a.md").symlink_to(special / "loop-b.md")
    (special / "loop-b.md").symlink_to(special / "loop-a.md")
    m.skipped += ["special/loop-a.md", "special/loop-b.md"]
    (special / "loopdir").symlink_to(root)
    (special / "fifo-link.md").symlink_to(special / "fifo.md")
    m.skipped.append("special/fifo-link.md")
    (outside / "secret.md").write_text("---\ntitle: 外面 hxoutside\n---\nhxoutside\n")
    (special / "escape.md").symlink_to(outside / "secret.md")
    (special / "escape-dir").symlink_to(outside)
    (special / "etc-passwd.md").symlink_to("/etc/passwd")
    (special / "dev-zero.md").symlink_to("/dev/zero")
    m.skipped += ["special/escape.md", "special/etc-passwd.md", "special/dev-zero.md"]
    m.absent_tokens.append("hxoutside")
    hidden = root / ".hidden"
    hidden.mkdir()
    (hidden / "2026-07-01-secret.md").write_text("---\ntitle: 隐藏 hxhidden\n---\nhxhidden\n")
    (special / ".dotfile.md").write_text("---\ntitle: 点文件 hxdotfile\n---\nhxdotfile\n")
    m.skipped += [".hidden/2026-07-01-secret.md", "special/.dotfile.md"]
    m.absent_tokens += ["hxhidden", "hxdotfile"]
    post(
        "special/2026-07-02-unreadable.md", "---\ntitle: 不可读 hxunreadable\n---\n正文\n"
    )  # root reads it anyway: no token
    os.chmod(root / "special/2026-07-02-unreadable.md", 0)
    (special / "notes.txt").write_text("hxtextfile\n")
    m.absent_tokens.append("hxtextfile")
    deep = root / "/".join(["d"] * 60)
    deep.mkdir(parents=True)
    post(
        "/".join(["d"] * 60) + "/2026-07-03-deep.md",
        "---\ntitle: 很深 hxdeepdir\n---\n正文\n",
        "hxdeepdir",
    )
    long_name = "2026-07-04-" + "长" * 70 + ".md"  # 221 bytes: near NAME_MAX
    post(f"special/{long_name}", "---\ntitle: 长文件名 hxlongname\n---\n正文\n", "hxlongname")
    post("special/2026-07-05-UPPER.MD", "---\ntitle: 大写后缀 hxupper\n---\n正文\n", "hxupper")


def alias_bomb() -> str:
    """The classic 'billion laughs' frontmatter: a few hundred bytes, gigabytes expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\ntitle: *i\n"


def _make_socket(path: Path) -> bool:
    """Leave a Unix socket file at `path` (bound relative to its folder: paths may be long)."""
    old = os.getcwd()
    try:
        os.chdir(path.parent)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind(path.name)
        return True
    except OSError:
        return False
    finally:
        os.chdir(old)


WRITERS: dict[str, Callable[[Writer], None]] = {
    "escapes": write_escapes,
    "markup": write_markup,
    "links": write_links,
    "names": write_names,
    "broken": write_broken,
    "big": write_big,
    "special": write_special,
}
