#!/usr/bin/env bash
# Fetches the JavaScript library that graph.html embeds (Cytoscape.js) from the npm registry,
# at the pinned version below, checks it against the recorded checksums, and copies its
# minified build and its license into assets/. Run once, by hand, when changing the version;
# the build never touches the network (src/export/html.rs embeds assets/ with include_str!).
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=cytoscape
VERSION=3.34.4
# `npm view cytoscape@3.34.4 dist.integrity`: the registry's checksum of the package tarball.
INTEGRITY='sha512-msY99tMY8iWTg+sIPGfSqDcPNOt4xcj+v/K/7qUFaCUxxlqnMkUYLBjRUzn9W5CU/R2hrmtJa5+UtovrEM2ctg=='
# sha256sum of dist/cytoscape.min.js in that tarball, as committed in assets/.
MIN_SHA256=081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$NAME@$VERSION" --silent >/dev/null)
tarball="$work/$NAME-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
    echo "fetch_js: $NAME@$VERSION tarball is $got, expected $INTEGRITY" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work"
min="$work/package/dist/cytoscape.min.js"
sum=$(sha256sum "$min" | cut -d' ' -f1)
if [ "$sum" != "$MIN_SHA256" ]; then
    echo "fetch_js: cytoscape.min.js is $sum, expected $MIN_SHA256" >&2
    exit 1
fi
mkdir -p assets
cp "$min" assets/cytoscape.min.js
cp "$work/package/LICENSE" assets/cytoscape.LICENSE
echo "fetch_js: assets/cytoscape.min.js = $NAME@$VERSION (sha256 $sum), assets/cytoscape.LICENSE"
