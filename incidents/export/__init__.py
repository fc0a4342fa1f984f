"""Briefing exports: map images, decks, standalone HTML and data files.

Every export takes a Selection (rows already read from the store for one viewer,
see selection.py), so the store's access rules decide what any file can contain.
"""
