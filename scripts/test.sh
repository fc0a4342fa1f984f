#!/usr/bin/env bash
# Everything CI checks: system packages, Python packages, a real PostGIS on 127.0.0.1,
# lint, format, types, then the whole test suite (browser tests in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system_packages.sh
bash scripts/setup.sh dev
pgdir=$(mktemp -d /tmp/incidents-pg.XXXXXX)
port=${INCIDENTS_TEST_PG_PORT:-54329}
trap 'bash scripts/postgis.sh stop "$pgdir"' EXIT
export INCIDENTS_TEST_PG
INCIDENTS_TEST_PG=$(bash scripts/postgis.sh start "$pgdir" "$port")
echo "PostGIS for tests: $INCIDENTS_TEST_PG"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache --no-logo  # the layer contracts in pyproject.toml
.venv/bin/vulture incidents geodata app_pages app.py scripts/vulture_whitelist.py --min-confidence 80  # dead code
.venv/bin/python -m pytest "$@"
