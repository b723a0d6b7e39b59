#!/usr/bin/env bash
# Every kind of HTML report rendered in headless Chromium (ctest label `cli`, `browser`):
# a run report, a diverged run's, a resumed run's, an experiment report and the index of
# the reproductions, each checked by report_browser.py (tables rectangular, images loaded,
# no raw '||' '^{' '_{' in the text of the pages and of their SVG plots, plot text at
# least 11 px, internal links resolve). The fixtures are those of report_test.sh
# (synthetic-collapse), robustness_test.sh (tiny.toml diverging), workflow_test.sh (a
# resume into the run itself with --force) and reproduce_test.sh (the quick variants, here
# with one seed). Needs /usr/bin/chromium, /usr/bin/chromedriver and Debian's
# python3-selenium (scripts/install-deps.sh --with-browser): without them SKIPPED (exit 77).
#
# Usage: report_browser_test.sh NCV SOURCE_DIR [ARTEFACTS_DIR [DOCS_IMAGES_DIR]]
#   ARTEFACTS_DIR: full-page screenshots of every page (ctest: the build folder's
#     report-screenshots/), kept for reviewers;
#   DOCS_IMAGES_DIR: the top of each page, 1000 px wide, as the PNGs of docs/report.md
#     (scripts/report-screenshots.sh).
set -uo pipefail
ncv=$1
source_dir=$2
artefacts=${3:-}
docs_images=${4:-}
python=/usr/bin/python3
checker="$(cd "$(dirname "$0")" && pwd)/report_browser.py"
source "$(dirname "$0")/common.sh"

# The checker skips by itself when the browser is missing: ask it first, before training.
"$python" "$checker" --probe
probe=$?
((probe == 77)) && exit 77
((probe == 0)) || { echo "FAIL: $checker --probe exited $probe"; exit 1; }

config="$source_dir/configs/synthetic-collapse.toml"
expect_exit 0 "train synthetic-collapse" "$ncv" train "$config" --out "$work/run" --quiet
expect_exit 0 "report on the run" "$ncv" report "$work/run" --quiet

sed 's/learning_rate = 0.1/learning_rate = 50.0/; s/steps = 4/steps = 200/' "$(dirname "$0")/tiny.toml" >"$work/diverging.toml"
expect_exit 3 "train a diverging run" "$ncv" train "$work/diverging.toml" --out "$work/diverged" --quiet
expect_exit 0 "report on the diverged run" "$ncv" report "$work/diverged" --quiet

cp -r "$work/run" "$work/resumed"
rm -rf "$work/resumed/report"
expect_exit 0 "resume the run into itself from step 3000" "$ncv" train "$config" --quiet --force \
  --resume "$work/resumed/checkpoints/step-00003000.json" --out "$work/resumed"
expect_exit 0 "report on the resumed run" "$ncv" report "$work/resumed" --quiet
expect_in "$work/resumed/report/report.html" "resumed from" "the resumed run's report says so"

# exit status 1: a claim not reproduced in a variant, a result rather than an error
(cd "$source_dir" && "$ncv" reproduce all --quick --seeds 1 --quiet --out "$work/quick") >"$work/out" 2>"$work/err"
status=$?
[[ $status == 0 || $status == 1 ]] && pass "reproduce all --quick --seeds 1 (exit $status)" ||
  { fail "reproduce exit $status"; cat "$work/err"; }

options=()
[[ -n "$artefacts" ]] && rm -rf "$artefacts" && options+=(--screenshots "$artefacts")
[[ -n "$docs_images" ]] && options+=(--top-screenshots "$docs_images")
"$python" "$checker" "${options[@]}" \
  run-report="$work/run/report/report.html" \
  diverged-run-report="$work/diverged/report/report.html" \
  resumed-run-report="$work/resumed/report/report.html" \
  experiment-report="$work/quick/balancedness/report.html" \
  experiment-report-per-layer="$work/quick/per-layer/report.html" \
  experiment-report-step-size="$work/quick/step-size/report.html" \
  index="$work/quick/index.html" && pass "every page passes the browser checks" || fail "browser checks"
[[ -z "$artefacts" ]] || echo "screenshots: $artefacts"
finish report_browser
