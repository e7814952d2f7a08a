"""Screens and modal dialogs of the reader, one per module."""
