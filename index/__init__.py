"""The headless core of digest-tui: model, archive discovery, parser and search index.

Nothing in this package imports textual (tests/test_import_hygiene.py checks it), so the
command line and the benchmarks start fast and the core can be used on its own.
"""
