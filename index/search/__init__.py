"""The full-text index (Whoosh format): `analysis` (terms), `query` (the query language),
`segments`/`view` (writing and reading Whoosh segments), `store` (SQLite side store), `units`,
`build`/`update` (full and incremental), `searcher` (evaluation, ranking, snippets),
`locking` and `safe_pickle`."""
