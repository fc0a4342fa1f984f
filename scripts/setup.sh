#!/usr/bin/env bash
# Create .venv and install the Python packages. With "dev", also what the tests need.
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=requirements.txt
[ "${1:-}" = "dev" ] && requirements=requirements-dev.txt
python3 -m venv .venv
stamp=".venv/.installed-$(sha256sum "$requirements" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$requirements"
  touch "$stamp"
fi
# The interface's translations: .po catalogues compiled to .mo (not committed; the app
# reads a .po directly when its .mo is missing or older, see incidents/translation.py).
.venv/bin/pybabel -q compile -d incidents/locale -D incidents
