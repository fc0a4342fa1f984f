#!/usr/bin/env bash
# Debian packages the tests use: Chromium (browser tests), PostgreSQL + PostGIS (shared
# store), LibreOffice Impress (decks open and convert), fonts with Arabic, poppler.
# Installs only what is missing, so a prepared machine spends no time here.
set -euo pipefail
packages=(chromium postgresql postgresql-15-postgis-3 libreoffice-impress fonts-dejavu-core
          fonts-noto-core poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
