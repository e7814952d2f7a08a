"""The reader's memory, headless: `store` (the SQLite state file: read marks, stars with notes,
saved searches, launches, settings, watchlist), `schema` (versions and migrations), `marks`
(whether an item is read), `transfer` (export and import). Keyed by a post's path relative to
its root and an item's id, never by the root, so a moved archive keeps its marks."""
