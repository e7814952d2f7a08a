"""`LaterModule`: a module in `sys.modules` that imports the real one when one of its names is
first used. lean_dataclasses.py and lean_whoosh.py import a library with such a stand-in for a
module it imports but rarely uses, and take the stand-in out of `sys.modules` at once."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class LaterModule(types.ModuleType):
    """A module imported for real when one of its names is first used."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:  # used while still standing in: the real one
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)
