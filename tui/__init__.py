"""The terminal side of digest-tui: the command line and the Textual reader."""
