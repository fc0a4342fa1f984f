#!/usr/bin/env bash
# Set up, load the bundled Tarhuna example (re-importing it changes nothing), serve the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export INCIDENTS_DB="${INCIDENTS_DB:-data/incidents.gpkg}"
.venv/bin/python -m incidents --db "$INCIDENTS_DB" import data/examples/tarhuna.csv --as example-loader >/dev/null \
  || { echo "The example data could not be loaded; see the message above." >&2; exit 1; }
# The demo opens as a public instance: anyone sees the public view of the example.
# For real records run a private instance (see "Running a private instance" in README.md).
export INCIDENTS_MODE="${INCIDENTS_MODE:-public}"
echo "Open http://localhost:${PORT:-8501} in a browser (works with no internet)."
echo "Instance mode: $INCIDENTS_MODE. To edit, create an account:"
echo "  .venv/bin/python -m incidents --db $INCIDENTS_DB users add NAME --role editor"
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.headless true \
  --browser.gatherUsageStats false "$@"
