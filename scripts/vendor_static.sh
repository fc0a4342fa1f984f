#!/usr/bin/env bash
# Regenerate static/: the Leaflet files the map needs, served by the app itself so the
# map works with no internet. Sources are npm packages (pinned); run after changing a
# version and commit the result. Needs npm (the npm registry), nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
LEAFLET=leaflet@1.9.4
CLUSTER=leaflet.markercluster@1.5.3
HEAT=leaflet.heat@0.2.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pkg in "$LEAFLET" "$CLUSTER" "$HEAT"; do
  name=${pkg%@*}
  mkdir -p "$work/$name"
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$work/${name}-${pkg#*@}.tgz" -C "$work/$name" --strip-components=1
done

rm -rf static/leaflet static/leaflet.markercluster static/leaflet.heat
mkdir -p static/leaflet/images static/leaflet.markercluster static/leaflet.heat
cp "$work/leaflet/dist/leaflet.js" "$work/leaflet/dist/leaflet.css" static/leaflet/
cp "$work/leaflet/dist/images/"*.png static/leaflet/images/
cp "$work/leaflet/LICENSE" static/leaflet/LICENSE
cp "$work/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$work/leaflet.markercluster/dist/MarkerCluster.css" \
   "$work/leaflet.markercluster/dist/MarkerCluster.Default.css" static/leaflet.markercluster/
cp "$work/leaflet.markercluster/MIT-LICENCE.txt" static/leaflet.markercluster/LICENSE
cp "$work/leaflet.heat/dist/leaflet-heat.js" static/leaflet.heat/
cp "$work/leaflet.heat/LICENSE" static/leaflet.heat/LICENSE 2>/dev/null \
  || cp "$work/leaflet.heat/README.md" static/leaflet.heat/README.md
cat > static/VERSIONS.txt <<VERSIONS
Files under static/ come from these npm packages (scripts/vendor_static.sh):
$LEAFLET (BSD-2-Clause)
$CLUSTER (MIT)
$HEAT (BSD-2-Clause)
VERSIONS
find static -type f -exec chmod 644 {} +
echo "static/ regenerated from $LEAFLET $CLUSTER $HEAT"
