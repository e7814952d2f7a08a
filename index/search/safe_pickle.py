"""Make every pickle Whoosh reads unable to run code.

Whoosh-Reloaded stores its table of contents, posting blocks, term infos and stored fields as
pickles, and a crafted pickle runs code when it is loaded. Even though we only open indexes
from our private cache folder, a damaged or planted file must never do more than fail. So the
`loads`/`load` names that Whoosh's modules use are replaced by a restricted unpickler that can
only build builtin containers and the two Whoosh classes a table of contents holds; anything
else raises `UnsafePickleError` (an `UnpicklingError`), which the library treats like any
other damage: discard and rebuild.

`install()` is idempotent and is called when the Whoosh side of the index is imported.
"""

from __future__ import annotations

import io
import pickle
import sys
from types import ModuleType, SimpleNamespace
from typing import Any

#: The only globals a pickle written by our index may refer to.
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("whoosh.codec.whoosh3", "W3Segment"),
        ("whoosh.codec.whoosh3", "W3Codec"),
        ("collections", "defaultdict"),
        ("_codecs", "encode"),
        *(
            (module, name)
            for module in ("builtins", "__builtin__")
            for name in ("int", "float", "bytes", "set", "frozenset")
        ),
    }
)


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle in the index refers to something it has no business creating."""


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the globals in ALLOWED."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        raise UnsafePickleError(f"index file refers to {module}.{name}; refusing to load it")

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError("index file uses persistent ids; refusing to load it")


def loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    """pickle.loads, restricted to ALLOWED globals."""
    return RestrictedUnpickler(io.BytesIO(bytes(data))).load()


def load(file: Any, *args: Any, **kwargs: Any) -> Any:
    """pickle.load, restricted to ALLOWED globals."""
    return RestrictedUnpickler(file).load()


_installed = False


def install() -> None:
    """Patch the pickle entry points of every Whoosh module that reads pickles."""
    global _installed
    if _installed:
        return
    import importlib

    for module_name, attributes in (
        ("whoosh.compat", ("loads", "load")),
        ("whoosh.codec.whoosh3", ("loads",)),
        ("whoosh.codec.whoosh2", ("loads",)),
        ("whoosh.codec.plaintext", ("loads",)),
        ("whoosh.formats", ("loads",)),
        ("whoosh.columns", ("loads",)),
        ("whoosh.filedb.structfile", ("load_pickle",)),
        ("whoosh.filedb.misc", ("loads", "depickle")),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - a module this Whoosh version lacks
            continue
        for attribute in attributes:
            if hasattr(module, attribute):
                setattr(
                    module,
                    attribute,
                    load if attribute.startswith("load_") or attribute == "load" else loads,
                )
    shim = SimpleNamespace(
        loads=loads,
        load=load,
        dumps=pickle.dumps,
        dump=pickle.dump,
        PicklingError=pickle.PicklingError,
        UnpicklingError=pickle.UnpicklingError,
        HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL,
    )
    for module_name in ("whoosh.index", "whoosh.filedb.fileindex"):
        loaded: ModuleType | None = sys.modules.get(module_name)
        if loaded is None:
            try:
                loaded = importlib.import_module(module_name)
            except ImportError:  # pragma: no cover
                continue
        if hasattr(loaded, "pickle"):
            loaded.pickle = shim  # type: ignore[attr-defined]
    # Old table-of-contents formats are loaded by legacy code with its own unpickler: we
    # never write them, so an index claiming one is simply unreadable (and rebuilt).
    index_module = importlib.import_module("whoosh.index")
    index_module.toc_loaders = {}  # type: ignore[attr-defined]
    _installed = True
