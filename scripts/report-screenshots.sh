#!/usr/bin/env bash
# Regenerates the screenshots of docs/report.md: builds ncv, makes one report of each kind
# (run, diverged run, resumed run, experiment, index: the fixtures of the browser test,
# tests/cli/report_browser_test.sh, which also checks them) and saves the top of each page
# as shown by headless Chromium, 1000 px wide, to docs/images/report-<kind>.png, reduced
# to 256 colours by pngquant. Needs the packages of `scripts/install-deps.sh --with-browser`
# and pngquant (Debian package pngquant). Usage: scripts/report-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pngquant >/dev/null || { echo "report-screenshots: pngquant not found (apt-get install pngquant)" >&2; exit 2; }
scripts/install-deps.sh --with-browser
scripts/build.sh release ncv
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
status=0
tests/cli/report_browser_test.sh build/release/apps/ncv "$PWD" "" "$shots" || status=$?
((status == 0)) || { echo "report-screenshots: the browser test failed (exit $status); no image written" >&2; exit 1; }
for kind in run-report diverged-run-report resumed-run-report experiment-report index; do
  pngquant --force --strip --quality 60-90 --output "docs/images/report-$kind.png" "$shots/$kind.png"
  echo "docs/images/report-$kind.png"
done
