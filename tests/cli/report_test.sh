#!/usr/bin/env bash
# End-to-end test of `ncv report` (ctest label `cli`). Usage: report_test.sh NCV SOURCE_DIR
# Needs gnuplot (Debian package gnuplot-nox, installed by scripts/install-deps.sh): without
# it the test fails rather than skips.
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
# valid_svg FILE / valid_png FILE: non-empty, with the format's signature.
valid_svg() { [[ -s "$1" ]] && head -c 200 "$1" | grep -qE '^(<\?xml|<svg)'; }
valid_png() { [[ -s "$1" ]] && [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]]; }

if command -v gnuplot >/dev/null; then pass "gnuplot is installed"; else fail "gnuplot is not installed (Debian package gnuplot-nox; scripts/install-deps.sh)"; fi

expect_exit 0 "train synthetic-collapse" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/run" --quiet
expect_exit 0 "report on the run directory" "$ncv" report "$work/run"
report="$work/run/report/report.html"
[[ $(cat "$work/out") == "$report" ]] && pass "prints the path of report.html" || fail "printed '$(cat "$work/out")', expected $report"
[[ -s "$report" ]] && pass "report.html written" || fail "no report.html"
expect_in "$report" "</html>" "report.html is complete"
expect_in "$report" "<th>double products</th><td>OpenBLAS" "the run summary names the BLAS kernel"
# the status badge is not repeated by the message after it ("completed completed 5000 steps")
expect_in "$report" 'status-completed">completed</span> 5000 steps' "status badge followed by the rest of the message"
grep -q 'completed</span> completed' "$report" && fail "the status word is repeated after its badge" ||
  pass "the status word is not repeated after its badge"

# every plot: both images exist, are valid, and report.html references the SVG and the PNG
plots=(loss gradient-norm balancedness weight-norms final-nc1 final-nc2 final-nc3 final-balancedness final-negativity)
for plot in "${plots[@]}"; do
  valid_svg "$work/run/report/$plot.svg" && pass "$plot.svg is an SVG image" || fail "$plot.svg missing or not SVG"
  valid_png "$work/run/report/$plot.png" && pass "$plot.png is a PNG image" || fail "$plot.png missing or not PNG"
  expect_in "$report" "<img src=\"$plot.svg\"" "report.html shows $plot.svg"
  expect_in "$report" "href=\"$plot.png\"" "report.html links $plot.png"
done
# ... and every image it references exists
for src in $(grep -oE '<img src="[^"]+"' "$report" | sed -E 's/<img src="([^"]+)"/\1/'); do
  valid_svg "$work/run/report/$src" && pass "referenced $src exists" || fail "report.html references a missing $src"
done
# ... and no image of the report directory is left unreferenced, no temporary file is left
for file in "$work/run/report/"*.svg "$work/run/report/"*.png; do
  name=$(basename "$file")
  grep -qF "\"$name\"" "$report" && pass "$name is referenced" || fail "$name is not referenced by report.html"
done
leftovers=$(find "$work/run/report" -name '.*' -type f | wc -l)
((leftovers == 0)) && pass "no temporary files left" || fail "$leftovers temporary files left in the report directory"

# contents: manifest summary, checker table with every verdict, per-layer tables
expect_in "$report" "synthetic-collapse" "run name"
expect_in "$report" "double (IEEE binary64, 53 bits)" "precision in the summary"
expect_in "$report" '<table class="verdicts">' "checker table"
for result in T1 T2 T3 L1; do expect_in "$report" "<td><b>$result</b></td>" "checker table has $result"; done
expect_in "$report" '<span class="status status-holds">holds</span>' "verdict status"
expect_in "$report" "Hypotheses that do not hold, and tight or failing proof steps" "failing steps section"
expect_in "$report" "<th>certified</th>" "certified column in the verdicts table"
expect_in "$report" "<th>informative</th>" "informative column in the verdicts table"
expect_in "$report" "Per-layer measurements of the final state" "per-layer measurement table"

# certificates of `ncv check --certified` appear in the report, per verdict (status, bits, slack)
cp -r "$work/run" "$work/certified-run"
rm -rf "$work/certified-run/report"
expect_exit 0 "check --certified" "$ncv" check "$work/certified-run" --certified
expect_exit 0 "report after check --certified" "$ncv" report "$work/certified-run" --quiet
certified_report="$work/certified-run/report/report.html"
expect_in "$certified_report" '<span class="status status-proved">proved</span> at 53 bits' "certificate status and bits per verdict"
expect_in "$certified_report" "slack in [" "certificate slack enclosure"
expect_in "$certified_report" "NC3 = mean<sub>c</sub> cos(μ<sub>c</sub>, w<sub>c</sub>)</span></td><td>≥</td>" \
  "a lower bound reads measured >= bound, its name rendered (subscripts, Greek letters)"

# a line through fewer than 20 points marks each point (tiny.toml records steps 0, 2, 4: two
# loss series of 3 points, and their 2 legend samples); synthetic-collapse's 51 records are lines
point_markers() { grep -c "<use xlink:href='#gpPt[0-9]*' transform" "$1"; }
expect_exit 0 "train tiny" "$ncv" train "$source_dir/tests/cli/tiny.toml" --out "$work/tiny" --quiet --no-checks
expect_exit 0 "report on tiny" "$ncv" report "$work/tiny" --quiet
markers=$(point_markers "$work/tiny/report/loss.svg")
((markers == 8)) && pass "3-point loss series drawn with markers" || fail "tiny loss.svg has $markers point markers, expected 8"
markers=$(point_markers "$work/run/report/loss.svg")
((markers == 0)) && pass "51-point loss series drawn as lines" || fail "synthetic-collapse loss.svg has $markers point markers, expected 0"

# --out and --quiet; the CSV trajectory when trajectory.json is absent
cp -r "$work/run" "$work/csv-run"
rm -rf "$work/csv-run/report" "$work/csv-run/trajectory.json"
expect_exit 0 "report --out --quiet from trajectory.csv" "$ncv" report "$work/csv-run" --out "$work/elsewhere" --quiet
[[ ! -s "$work/out" ]] && pass "--quiet prints nothing" || fail "--quiet printed $(cat "$work/out")"
[[ -s "$work/elsewhere/report.html" ]] && pass "--out directory holds report.html" || fail "no report.html in --out"
expect_in "$work/elsewhere/report.html" "trajectory.csv" "report read trajectory.csv"
valid_png "$work/elsewhere/loss.png" && pass "--out directory holds the plots" || fail "no loss.png in --out"

# the per-layer reports along training (reports.json, run.report_every > 0), here made
# by hand from measurements.json: NC1 and NC2 along training are plotted
cp -r "$work/run" "$work/reports-run"
rm -rf "$work/reports-run/report"
{
  printf '{"format": "ncverify.report_trajectory/1", "reports": [{"step": 0, "report": '
  cat "$work/run/measurements.json"
  printf '}, {"step": 5000, "report": '
  cat "$work/run/measurements.json"
  printf '}]}\n'
} >"$work/reports-run/reports.json"
expect_exit 0 "report with reports.json" "$ncv" report "$work/reports-run" --quiet
for plot in nc1-along-training nc2-along-training; do
  valid_svg "$work/reports-run/report/$plot.svg" && pass "$plot.svg is an SVG image" || fail "$plot.svg missing or not SVG"
  valid_png "$work/reports-run/report/$plot.png" && pass "$plot.png is a PNG image" || fail "$plot.png missing or not PNG"
  expect_in "$work/reports-run/report/report.html" "<img src=\"$plot.svg\"" "report.html shows $plot.svg"
done
printf '{"format": "ncverify.report_trajectory/1", "reports": [{"step": 0}]}\n' >"$work/reports-run/reports.json"
expect_exit 2 "malformed reports.json" "$ncv" report "$work/reports-run"
expect_in "$work/err" "$work/reports-run/reports.json: reports[0]: key 'report' is missing" "message names reports.json"

# errors: exit status 2 and a message naming the offending path
expect_exit 2 "missing run directory" "$ncv" report "$work/nonexistent"
expect_in "$work/err" "$work/nonexistent" "message names the missing directory"
cp -r "$work/run" "$work/bad"
echo '{"format": "ncverify-run", ' >"$work/bad/manifest.json"
expect_exit 2 "corrupt manifest.json" "$ncv" report "$work/bad"
expect_in "$work/err" "$work/bad/manifest.json: not valid JSON" "message names manifest.json"
cp "$work/run/manifest.json" "$work/bad/manifest.json"
rm "$work/bad/measurements.json"
expect_exit 2 "missing measurements.json" "$ncv" report "$work/bad"
expect_in "$work/err" "$work/bad/measurements.json: missing" "message names measurements.json"
cp "$work/run/measurements.json" "$work/bad/measurements.json"
printf 'step,phase\n' >"$work/bad/trajectory.csv"
rm "$work/bad/trajectory.json"
expect_exit 2 "malformed trajectory.csv" "$ncv" report "$work/bad"
expect_in "$work/err" "$work/bad/trajectory.csv: line 1" "message names trajectory.csv and the line"

# gnuplot not found: a message naming the Debian package, and no report.html left behind
expect_exit 2 "gnuplot missing" env PATH=/nonexistent "$ncv" report "$work/run"
expect_in "$work/err" "gnuplot-nox" "message names the Debian package"
[[ ! -e "$report" ]] && pass "no report.html after a failed report" || fail "report.html left after a failed report"

finish report
