"""Audience profiles: who an export is for, and the viewer role it is read with.

A profile never widens access: the export is read with the lesser of the person's
own role and the profile's role. The profile is printed on the face of every file.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.access import Role, Viewer

_RANK = {Role.PUBLIC: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Profile:
    """An audience: its name, the role its data is read with, and what the face says."""

    name: str
    role: Role
    label: str
    notice: str
    confidential_in_tables: bool

    @property
    def coarsened(self) -> bool:
        """Read with the public rules: what the rows carry is coarsened, and what a file
        adds to them (sources' dates, columns) must be coarsened the same way."""
        return self.role is Role.PUBLIC


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "public",
            Role.PUBLIC,
            "PUBLIC",
            "Public records only; places shown at their town, a grid square or the district centre",
            False,
        ),
        Profile(
            "partner",
            Role.VIEWER,
            "PARTNER",
            "For partner organisations; not for publication",
            False,
        ),
        Profile(
            "internal",
            Role.EDITOR,
            "INTERNAL",
            "Internal: staff only; do not share outside the organisation",
            True,
        ),
    )
}
DEFAULT_PROFILE = "public"


def get_profile(name: str) -> Profile:
    """The profile of that name; ValueError lists the valid ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}: use one of {', '.join(PROFILES)}") from None


def allowed_profiles(viewer: Viewer) -> tuple[str, ...]:
    """Profiles this person may export for: none above their own role."""
    return tuple(n for n, p in PROFILES.items() if _RANK[p.role] <= _RANK[viewer.role])


def export_viewer(viewer: Viewer, profile: Profile) -> Viewer:
    """The viewer an export reads with: the person's name, the lesser of the two roles."""
    role = profile.role if _RANK[profile.role] <= _RANK[viewer.role] else viewer.role
    return Viewer(viewer.name, role)


def profile_for(viewer: Viewer) -> Profile:
    """The widest profile a viewer's role reaches (for labelling rows read with it)."""
    best = PROFILES[DEFAULT_PROFILE]
    for p in PROFILES.values():
        if _RANK[p.role] <= _RANK[viewer.role]:
            best = p
    return best
