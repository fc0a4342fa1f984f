"""ACLED event and sub-event types as the tool's incident types, for every ACLED edition.

ACLED's own words are kept as tags on every record (``ACLED; Violence against
civilians; Attack``), so a mapping a researcher disagrees with can be found and
changed; the type only decides how the incident is drawn and counted. Definitions are
the ACLED codebook's (2015, 2017, 2019 and 2023/2024 editions).

Since 2019 (sub_event_type column):

=================================  ==============================  =====================
ACLED sub-event type               Tool type                       Why
=================================  ==============================  =====================
Abduction/forced disappearance     enforced_disappearance          the codebook's words
Sexual violence                    sexual_violence                 the codebook's words
Attack (violence against           killing if fatalities > 0,      an armed group's
civilians)                         else attack_on_civilians        violence on civilians
Excessive force against            attack_on_civilians             force used on
protesters                                                         unarmed protesters
Arrests                            arbitrary_detention             detention by forces
                                                                   (ACLED does not say
                                                                   it was arbitrary: the
                                                                   tag keeps "Arrests")
Looting/property destruction       destruction_of_property         the codebook's words
any other (armed clash, air/drone  other; attack_on_civilians      fighting, shelling,
strike, shelling, IED, grenade,    when civilians were the target  protests, strategic
mob violence, protests, agreement,                                 news: not a violation
HQ established, transfer of                                        in themselves
territory, "Other" ...)
=================================  ==============================  =====================

Before 2019 (one event_type column, no sub-event type):

=================================  ==============================
ACLED event type (2015-2018)       Tool type
=================================  ==============================
Violence against civilians         killing if fatalities > 0, else attack_on_civilians
Remote violence                    other; attack_on_civilians when civilians were the target
Riots/Protests                     other; attack_on_civilians when civilians were the target
Battle-No change of territory,     other
Battle-Government regains
territory, Battle-Non-state actor
overtakes territory
Strategic development,             other
Non-violent transfer of territory,
Headquarters or base established,
Non-violent activity by a
conflict actor
=================================  ==============================

"Civilians were the target" counts for violent events only (not for strategic
developments or peaceful protests, which ACLED codes as non-violent): ACLED's
civilian_targeting column says "Civilian targeting" (2023 on); files without that
column (all before 2023) name civilians as actor 2 with inter2 = 7 ("Civilians"),
which is how ACLED marked the targeting before it had a column.
The old "Violence against civilians" covered killings, abductions, sexual violence and
torture alike: without fatalities, only "attack on civilians" is sure, and nothing
is guessed from the notes. ACLED has no type for torture, mass graves or displacement,
so nothing maps to them (a mass grave found is a "Strategic developments / Other" event).
ACLED's fatalities count everyone killed, combatants included, as the least figure
reported.
"""

from __future__ import annotations

import re

SUB_EVENT_TYPES: dict[str, str] = {
    "abduction/forced disappearance": "enforced_disappearance",
    "sexual violence": "sexual_violence",
    "attack": "attack_on_civilians",  # killing when someone died: see incident_type
    "excessive force against protesters": "attack_on_civilians",
    "arrests": "arbitrary_detention",
    "looting/property destruction": "destruction_of_property",
}
# Event types of the 2015-2018 editions (and the same names in later files).
EVENT_TYPES: dict[str, str] = {
    "violence against civilians": "attack_on_civilians",
    "remote violence": "other",
    "riots/protests": "other",
    "battle-no change of territory": "other",
    "battle-government regains territory": "other",
    "battle-non-state actor overtakes territory": "other",
    "strategic development": "other",
    "non-violent transfer of territory": "other",
    "headquarters or base established": "other",
    "non-violent activity by a conflict actor": "other",
}
# ACLED marks civilian targeting on political violence only: these are not violence.
NOT_VIOLENCE = frozenset(
    {"strategic development", "strategic developments", "protests", "agreement"}
    | {"non-violent transfer of territory", "headquarters or base established"}
    | {"non-violent activity by a conflict actor"}
)
CIVILIAN_TARGETING = "civilian targeting"
CIVILIANS_INTER = frozenset({"7", "civilians"})
_SPACED = re.compile(r"\s*([-/])\s*")


def key(text: str) -> str:
    """'Battle - No change of territory ' and 'battle-no change of territory' are one type."""
    folded = " ".join(str(text or "").replace("\u2013", "-").split()).casefold()
    return _SPACED.sub(r"\1", folded)


def targets_civilians(civilian_targeting: str | None, inter2: str | None) -> bool:
    """Civilians were the target: ACLED's column when the file has it, else inter2 = 7."""
    if civilian_targeting is not None:
        return civilian_targeting.strip().casefold() == CIVILIAN_TARGETING
    code = (inter2 or "").strip().casefold()
    return (code[:-2] if code.endswith(".0") else code) in CIVILIANS_INTER


def killed_someone(fatalities: str | None) -> bool:
    try:
        return float((fatalities or "").strip() or 0) > 0
    except ValueError:
        return False


def incident_type(
    event_type: str,
    sub_event_type: str,
    civilian_targeting: str = "",
    fatalities: str = "",
) -> str:
    """Our type code for an ACLED event (see the tables in the module docstring).

    civilian_targeting is ACLED's column, or "Civilian targeting" when the caller found
    civilians targeted another way (inter2 = 7)."""
    sub, event = key(sub_event_type), key(event_type)
    if sub in SUB_EVENT_TYPES:
        code = SUB_EVENT_TYPES[sub]
        if sub == "attack" and event in ("", "violence against civilians"):
            return "killing" if killed_someone(fatalities) else code
        return code
    code = EVENT_TYPES.get(event, "other")
    if event == "violence against civilians" and not sub:
        return "killing" if killed_someone(fatalities) else code
    violent = event not in NOT_VIOLENCE
    if code == "other" and violent and civilian_targeting.strip().casefold() == CIVILIAN_TARGETING:
        return "attack_on_civilians"
    return code
