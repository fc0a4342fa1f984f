"""Two files that report one incident: the organisation's own records (two rows of the
Tarhuna example) and a partner's sheet with one row, the same mass grave announced on
1 January 2023 under the partner's own id, title and source event id. The duplicate
search proposes exactly that pair; the re-import and browser tests start from them."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import EXAMPLE

KEPT, ABSORBED = "tarhuna-ex-002", "tarhuna-partner-01"
PARTNER_EVENT = "partner:TRH-2023-001"


def write_two_files(folder: Path) -> tuple[Path, Path]:
    """own.csv (tarhuna-ex-001 and -002) and partner.csv (the partner's row), in folder."""
    with open(EXAMPLE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    own = [r for r in rows if r["id"] in ("tarhuna-ex-001", KEPT)]
    partner = {
        **own[1],
        "id": ABSORBED,
        "source_event_id": PARTNER_EVENT,
        "title": "Mass grave found in the Tarhuna landfill",
        "description": "A partner organisation recorded the announcement of a new mass "
        "grave in the public landfill of Tarhuna. SYNTHETIC",
        "date_end": "2023-01-01",
        "tags": "partner",
        **dict.fromkeys(("source2_title", "source2_publisher", "source2_date", "source2_url"), ""),
    }
    paths = folder / "own.csv", folder / "partner.csv"
    for path, columns, written in (
        (paths[0], fields, own),
        (paths[1], [*fields, "source_event_id"], [partner]),
    ):
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(written)
    return paths
