"""`QueryError`, apart from the query parser (query.py), so that what only catches it (the
library, the command line) does not import the parser."""

from __future__ import annotations


class QueryError(ValueError):
    """A query that cannot be understood; the message says what is wrong, in one line."""
