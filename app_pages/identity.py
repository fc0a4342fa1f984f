"""Who is using the app. Until sign-in is configured, the local user is an editor.

Pages call current_viewer() and nothing else to learn who is asking; the store
applies what that viewer may see.
"""

from __future__ import annotations

from incidents.access import Role, Viewer


def current_viewer() -> Viewer:
    """The viewer for this browser session."""
    return Viewer("local user", Role.EDITOR)
