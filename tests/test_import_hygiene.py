"""Import hygiene: the headless core never loads textual, the command line registers every
command on import, and no module imports another that (statically) imports it back."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {"index": "digest_tui.index", "tui": "digest_tui.tui"}


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` run by a fresh interpreter (nothing imported yet), which must succeed."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def _modules() -> dict[str, Path]:
    """Every module of the project by its installed dotted name."""
    found: dict[str, Path] = {}
    for folder, package in PACKAGES.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def test_core_does_not_import_textual() -> None:
    core = sorted(name for name in _modules() if name.startswith("digest_tui.index"))
    assert len(core) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = run_python(code)
    assert result.stdout.strip() == "", f"core loaded textual modules: {result.stdout}"


def test_only_search_loads_numpy() -> None:
    """An update, the side store and the reader's lists never load numpy (search's arrays):
    it costs as much to import as Whoosh."""
    code = (
        "import sys\n"
        "import digest_tui.index.library, digest_tui.index.library_update\n"
        "import digest_tui.index.search.update, digest_tui.index.search.view\n"
        "import digest_tui.index.search.store, digest_tui.index.search.build\n"
        "print('numpy' in sys.modules)\n"
        "import digest_tui.index.search.searcher\n"
        "print('numpy' in sys.modules)\n"
    )
    result = run_python(code)
    assert result.stdout.split() == ["False", "True"]


def test_the_command_line_and_the_whoosh_side_load_neither_inspect_nor_unused_codecs() -> None:
    """`dataclasses` is imported without `inspect` (lean_dataclasses.py) and Whoosh's other
    codecs are not imported to be patched (safe_pickle.py), nor what Whoosh takes for
    highlighting and date fields (lean_whoosh.py), nor OpenSSL (lean_hashlib.py, the hashes
    are the same, checked here): a dataclass without a docstring still gets
    the one `dataclasses` writes, from the real `inspect`, imported then; Whoosh's dates and
    escaping still work, from the real modules."""
    code = (
        "import sys\n"
        "import digest_tui.tui.cli.main, digest_tui.tui.cli.updating\n"
        "import digest_tui.index.search.segments, digest_tui.index.search.update_view\n"
        "unused = ('inspect', 'ast', 'whoosh.codec.plaintext', 'whoosh.filedb.fileindex',\n"
        "          'html', 'calendar', '_hashlib')\n"
        "print(','.join(m for m in unused if m in sys.modules) or '-')\n"
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Point:\n"
        "    x: int\n"
        "    y: int = 0\n"
        "print(Point.__doc__.replace(' ', ''))\n"
        "from whoosh.util.times import adatetime\n"
        "from whoosh.compat import htmlescape\n"
        "print(adatetime(2024, 2).ceil().day, htmlescape('<b>'))\n"
        "import hashlib\n"
        "print(hashlib.md5(b'abc').hexdigest()[:8], hashlib.sha256(b'abc').hexdigest()[:8])\n"
    )
    result = run_python(code)
    assert result.stdout.split() == [
        *["-", "Point(x:int,y:int=0)", "29", "&lt;b&gt;"],
        *["90015098", "ba7816bf"],  # the MD5 and SHA-256 of b"abc"
    ]


def test_every_dataclass_of_the_core_has_a_docstring() -> None:
    """`dataclasses` writes a docstring for a class without one with `inspect`, which the
    command line otherwise never imports (lean_dataclasses.py): one such class on the update
    path loads it (and ast, dis, tokenize) again for every `index`."""
    undocumented = []
    for name, path in _modules().items():
        if not name.startswith("digest_tui.index"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ClassDef)
                and any("dataclass" in ast.unparse(d) for d in node.decorator_list)
                and ast.get_docstring(node) is None
            ):
                undocumented.append(f"{name}.{node.name}")
    assert undocumented == []


def test_importing_the_cli_group_gives_every_command_without_textual() -> None:
    code = (
        "import sys, click\n"
        "from digest_tui.tui.cli.group import cli\n"
        "ctx = click.Context(cli)\n"
        "print(','.join(n for n in cli.list_commands(ctx) if cli.get_command(ctx, n)))\n"
        "print('textual' in sys.modules)\n"
    )
    result = run_python(code)
    commands, textual_loaded = result.stdout.split()
    assert {"show", "search", "index", "tags", "assets", "unread", "stances"} <= set(
        commands.split(",")
    )
    assert textual_loaded == "False"


def test_every_command_module_is_listed_and_loaded_only_when_its_command_runs() -> None:
    """`digest-tui unread` imports the state commands, not the market's or show's: the
    table of commands names every command each module defines, and only those."""
    code = (
        "import importlib, json, sys\n"
        "from digest_tui.tui.cli import group\n"
        "loaded = sorted(m for m in group.COMMAND_MODULES.values()\n"
        "                if f'digest_tui.tui.cli.{m}' in sys.modules)\n"
        "defined = {c.name: m for m in set(group.COMMAND_MODULES.values())\n"
        "           for c in importlib.import_module(f'digest_tui.tui.cli.{m}').COMMANDS}\n"
        "print(json.dumps([loaded, defined == group.COMMAND_MODULES]))\n"
    )
    result = run_python(code)
    loaded, table_matches = json.loads(result.stdout)
    assert loaded == []
    assert table_matches is True


def _static_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules `name` imports, anywhere in the file except under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    skipped.add(id(sub))
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                module = ".".join(parent + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                targets.add(candidate if candidate in known else module)
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
    return {t for t in targets if t in known and t != name}


def test_no_import_circle() -> None:
    modules = _modules()
    known = set(modules)
    graph = {name: _static_imports(name, path, known) for name, path in modules.items()}
    # a package's __init__ is imported before any of its modules: count it as an edge too
    for name in list(graph):
        parent = name.rsplit(".", 1)[0]
        if parent in graph and parent != name:
            graph[name] = graph[name] | {parent}
    circles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == [], "import circles: " + "; ".join(" -> ".join(c) for c in circles)


@pytest.mark.parametrize(
    "folder",
    [
        "index",
        "index/parse",
        "index/search",
        "tui",
        "tui/cli",
        "tui/detail",
        "tui/screens",
        "tui/widgets",
    ],
)
def test_every_package_says_what_lives_there(folder: str) -> None:
    init = REPO / folder / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and len(doc) > 20


def test_every_package_is_installed() -> None:
    """Each folder with an __init__ is in pyproject's package list: an installed (not
    editable) digest-tui has all of them."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join([PACKAGES[init.relative_to(REPO).parts[0]], *init.relative_to(REPO).parts[1:-1]])
        for folder in PACKAGES
        for init in (REPO / folder).rglob("__init__.py")
    }
    assert folders <= listed, f"not installed: {sorted(folders - listed)}"
