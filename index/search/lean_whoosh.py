"""Importing Whoosh without the two modules it loads and the index never uses.

`whoosh.compat` imports `urllib.request` for `urlretrieve` (a download helper nothing in
Whoosh calls), which loads http.client, ssl, socket and email; `whoosh.reading` imports the
`cached_property` package for one property, and that package imports asyncio. The two are
about half of Whoosh's import time (29 ms of 58 measured with `python -X importtime`), paid
by every update and every search in the CLI. Smaller, and of the same kind: `whoosh.compat`
takes `html.escape` (for highlighting), and `html` builds its table of 2,000 entities (7M
instructions, callgrind); `whoosh.util.times` imports `calendar` (and `locale`, 5M) for
date fields, which the index has none of.

Importing this module first loads those Whoosh modules with stand-ins in `sys.modules`:
`urlretrieve` and `escape` that import the real ones when called, the standard library's
`functools.cached_property` (the same caching in the instance's `__dict__`), and a `calendar`
that imports the real module when one of its names is used. The stand-ins are
taken out again at once, so anything else importing `urllib.request` or `cached_property` later
gets the real modules. Import it before any Whoosh module (segments.py and view.py do).
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

from ..later_module import LaterModule


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """urllib.request.urlretrieve, imported when (if ever) it is called."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _escape(*args: Any, **kwargs: Any) -> Any:
    """html.escape, imported when (if ever) it is called."""
    from html import escape

    return escape(*args, **kwargs)


def _stand_ins() -> dict[str, types.ModuleType]:
    made: dict[str, types.ModuleType] = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        made["urllib.request"] = request
    if "cached_property" not in sys.modules:
        package = types.ModuleType("cached_property")
        package.cached_property = functools.cached_property  # type: ignore[attr-defined]
        made["cached_property"] = package
    if "html" not in sys.modules:
        html = types.ModuleType("html")
        html.escape = _escape  # type: ignore[attr-defined]
        made["html"] = html
    if "calendar" not in sys.modules:
        made["calendar"] = LaterModule("calendar")
    return made


def load() -> None:
    """Import whoosh.compat and whoosh.reading with the stand-ins (once; a no-op when Whoosh
    was imported already)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
        import whoosh.util.times  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


load()
