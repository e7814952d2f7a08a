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

#: Every Whoosh module that reads pickles, with the names it reads them with.
_READERS: dict[str, tuple[str, ...]] = {
    "whoosh.compat": ("loads", "load"),
    "whoosh.codec.whoosh3": ("loads",),
    "whoosh.formats": ("loads",),
    "whoosh.columns": ("loads",),
    "whoosh.filedb.structfile": ("load_pickle",),
    "whoosh.index": (),  # its `pickle`: see _SHIM_USERS
}
#: Those the index never uses (another codec, Whoosh 1's file index and its helpers, two of
#: which do not even import in Whoosh-Reloaded 2.7): patched when, if ever, something imports
#: them. Importing them all to patch them was 1% of the instructions of a one-post update.
_LATER: dict[str, tuple[str, ...]] = {
    "whoosh.codec.whoosh2": ("loads",),
    "whoosh.codec.plaintext": ("loads",),
    "whoosh.filedb.misc": ("loads", "depickle"),
    "whoosh.filedb.fileindex": (),
}
#: Modules that use the `pickle` module itself: they are given a restricted stand-in for it.
_SHIM_USERS = ("whoosh.index", "whoosh.filedb.fileindex")


def install() -> None:
    """Patch the pickle entry points of every Whoosh module that reads pickles: those the
    index uses now, the others as they are imported."""
    global _installed
    if _installed:
        return
    import importlib

    sys.meta_path.insert(0, _PatchWhenImported())
    for module_name, attributes in _READERS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - a module this Whoosh version lacks
            continue
        _patch(module, attributes)
    for module_name in _LATER:
        if module_name in sys.modules:  # imported before this was installed
            _patch(sys.modules[module_name], _LATER[module_name])
    # Old table-of-contents formats are loaded by legacy code with its own unpickler: we
    # never write them, so an index claiming one is simply unreadable (and rebuilt).
    index_module = importlib.import_module("whoosh.index")
    index_module.toc_loaders = {}  # type: ignore[attr-defined]
    _installed = True


_SHIM = SimpleNamespace(
    loads=loads,
    load=load,
    dumps=pickle.dumps,
    dump=pickle.dump,
    PicklingError=pickle.PicklingError,
    UnpicklingError=pickle.UnpicklingError,
    HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL,
)
"""The `pickle` module as the modules of _SHIM_USERS see it: restricted loads."""


def _patch(module: ModuleType, attributes: tuple[str, ...]) -> None:
    for attribute in attributes:
        if hasattr(module, attribute):
            setattr(
                module,
                attribute,
                load if attribute.startswith("load_") or attribute == "load" else loads,
            )
    if module.__name__ in _SHIM_USERS and hasattr(module, "pickle"):
        module.pickle = _SHIM  # type: ignore[attr-defined]


class _PatchWhenImported:
    """First of `sys.meta_path`: a module of _LATER is found by the finders after it, and its
    loader patches it once it has run (the module is never seen unpatched)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        attributes = _LATER.get(fullname)
        if attributes is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _PatchingLoader(spec.loader, attributes)  # type: ignore[assignment]
        return spec


class _PatchingLoader:
    """A module's own loader, which patches the module after running it."""

    def __init__(self, loader: Any, attributes: tuple[str, ...]) -> None:
        self._loader = loader
        self._attributes = attributes

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _patch(module, self._attributes)

    def __getattr__(self, name: str) -> Any:  # get_source, is_package...: the module's loader's
        return getattr(self._loader, name)
