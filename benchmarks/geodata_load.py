"""Load time and peak memory of the offline gazetteer and districts, one stage per process.

    .venv/bin/python benchmarks/geodata_load.py [--cold]

Each stage runs in a fresh Python process (so one stage's caches do not hide
another's cost) and reports wall time and the process's peak resident memory
(ru_maxrss).  ``--cold`` points the world-index disk cache at an empty folder,
so the first world lookup pays the build (~10 s); without it the cache in
``GEODATA_CACHE_DIR`` / ``~/.cache/incidents-geodata`` is used when present.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAGES = {
    "import geodata": "import geodata",
    "geocode one name in Libya": "geodata.geocode('Tarhuna', 'LY')",
    "geocode one name in 5 countries": (
        "[geodata.geocode(n, c) for n, c in "
        "[('Tarhuna','LY'),('Goma','CD'),('Aleppo','SY'),('Mosul','IQ'),('Kharkiv','UA')]]"
    ),
    "geocode with no country (world index)": "geodata.geocode('Baidoa')",
    "district of 100k points, no country": (
        "import numpy as np; r = np.random.default_rng(0); "
        "geodata.districts_for_points(r.uniform(-35, 60, 100_000), r.uniform(-20, 100, 100_000))"
    ),
}

_PROBE = """
import json, resource, time
t0 = time.perf_counter()
import geodata
{code}
print(json.dumps({{"seconds": round(time.perf_counter() - t0, 2),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cold", action="store_true", help="empty world-index cache")
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        if args.cold:
            env["GEODATA_CACHE_DIR"] = tmp
        report = {}
        for label, code in STAGES.items():
            out = subprocess.run(
                [sys.executable, "-c", _PROBE.format(code=code)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            stage = report[label] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{label:42} {stage['seconds']:7.2f} s {stage['peak_mb']:8.1f} MB")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
