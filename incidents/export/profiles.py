"""Audience profiles: who an export is for, and the viewer role it is read with.

A profile never widens access: the export is read with the lesser of the person's
own role and the profile's role. The profile is printed on the face of every file.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.access import Role, Viewer
from incidents.translation import N_, _

_RANK = {Role.PUBLIC: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Profile:
    """An audience: its name, the role its data is read with, and what the face says.

    label and notice are English (file metadata keeps them, and tools read them);
    word, badge() and notice_shown() are what a face prints, in the active language.
    """

    name: str
    role: Role
    label: str
    notice: str
    confidential_in_tables: bool
    word: str = ""

    def name_shown(self) -> str:
        """'Public', 'عام', 'Public': the audience's name in the reader's language."""
        return _(self.word) if self.word else self.label.title()

    def badge(self) -> str:
        """The badge printed on a file's face ('PUBLIC'; scripts without case as is)."""
        return self.name_shown().upper()

    def notice_shown(self) -> str:
        """What the audience may do with the file, in the reader's language."""
        return _(self.notice)

    def choice_shown(self, badge: bool = False) -> str:
        """'Public: public records only; …' as the export panel lists it (with the badge,
        'PUBLIC: …', as a file's properties say it): the name, then the notice."""
        name = self.badge() if badge else self.name_shown()
        return _("{audience}: {notice}").format(audience=name, notice=self.notice_shown())

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
            N_(
                "Public records only; places shown at their town, a grid square or the "
                "district centre"
            ),
            False,
            N_("Public"),
        ),
        Profile(
            "partner",
            Role.VIEWER,
            "PARTNER",
            N_("For partner organisations; not for publication"),
            False,
            N_("Partner"),
        ),
        Profile(
            "internal",
            Role.EDITOR,
            "INTERNAL",
            N_("Staff only; do not share outside the organisation"),
            True,
            N_("Internal"),
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
