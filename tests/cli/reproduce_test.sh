#!/usr/bin/env bash
# The quick reproductions (ctest label `cli`, `reproduce`): `ncv reproduce all --quick` runs
# every experiment end to end, writes each report and the index, and the claims whose
# quick-variant margins are wide are asserted (docs/reproduce.md lists them and the
# measured margins). Also `ncv list` and the errors of `ncv reproduce`.
# Usage: reproduce_test.sh NCV SOURCE_DIR
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
html_tables="$(cd "$(dirname "$0")" && pwd)/html_tables.py"  # (the script changes directory below)

"$ncv" list >"$work/list" 2>&1 && pass "ncv list" || fail "ncv list"
for name in balancedness head-depth per-layer nonlinear-depth final-checks step-size T1 T2 T3 T4 T5 T6 L1 smooth_leaky_relu fashion-mnist; do
  expect_in "$work/list" "$name" "ncv list names $name"
done

cd "$source_dir" || exit 1
"$ncv" reproduce all --quick --quiet --out "$work/quick" >"$work/out" 2>"$work/err"
status=$?
cat "$work/out"
# Exit status 1 means some claim was not reproduced (reported, not an error); 0 all were.
[[ $status == 0 || $status == 1 ]] && pass "reproduce all --quick ran (exit $status)" || { fail "reproduce exit $status"; cat "$work/err"; }
for name in balancedness head-depth per-layer nonlinear-depth final-checks step-size; do
  dir="$work/quick/$name"
  for file in report.html results.json summary.md; do
    [[ -s "$dir/$file" ]] && pass "$name has $file" || fail "$name lacks $file"
  done
  python3 "$html_tables" --markdown "$dir/summary.md" "$dir/report.html" >"$work/tables" &&
    pass "$name: every table row has as many cells as its header" || { fail "$name: ragged tables"; cat "$work/tables"; }
  # every plot the report links exists as SVG and PNG
  for stem in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['plots']))" "$dir/results.json"); do
    if [[ -s "$dir/$stem.svg" && -s "$dir/$stem.png" ]] && grep -qF "$stem.svg" "$dir/report.html"; then
      pass "$name plot $stem"
    else
      fail "$name plot $stem missing or not linked"
    fi
  done
done
[[ -s "$work/quick/index.html" ]] && pass "index.html" || fail "no index.html"
# the index states each claim with its outcome, not only its id
python3 - "$work/quick" <<'PYTHON' && pass "index.html states every claim and its outcome" || fail "index.html lacks claims"
import html, json, re, sys
text = html.unescape(re.sub(r"<[^>]+>", "", open(sys.argv[1] + "/index.html", encoding="utf-8").read()))
for name in ["balancedness", "head-depth", "per-layer", "nonlinear-depth", "final-checks", "step-size"]:
    for c in json.load(open(f"{sys.argv[1]}/{name}/results.json"))["claims"]:
        expected = f"{c['id']} {c['claim']} {'reproduced' if c['reproduced'] else 'not-reproduced'}"
        if expected not in text:
            print("index.html lacks:", expected)
            sys.exit(1)
PYTHON
python3 "$html_tables" "$work/quick/index.html" && pass "index.html: rectangular table" || fail "index.html: ragged table"
# the step-size plot: x tics at the step sizes run (not whole decades around them), and
# the edge of stability drawn
python3 - "$work/quick/step-size" <<'PYTHON'
import json, re, sys
svg = open(sys.argv[1] + "/step-size-quick.svg", encoding="utf-8").read()
if "edge of stability" not in svg:
    sys.exit("no edge-of-stability line in the legend")
texts = {t.strip() for t in re.findall(r">([^<>]+)<", svg)}
etas = sorted({run["parameter"] for run in json.load(open(sys.argv[1] + "/results.json"))["runs"]})
missing = [eta for eta in etas if "%g" % eta not in texts]
if missing:
    sys.exit(f"no x tic at the step sizes {missing}")
PYTHON
(($? == 0)) && pass "step-size plot: tics at the step sizes, edge of stability" ||
  fail "step-size plot: x tics or edge-of-stability line missing"
# the plots of means over seeds have error bars (± std, as the tables): in the SVG, the
# first series draws vertical segments (M x,y1 L x,y2) at its points
python3 - "$work/quick" <<'PYTHON'
import re, sys
for plot in ["head-depth/head-depth-nc1-quick", "per-layer/per-layer-quick", "nonlinear-depth/nonlinear-depth-quick",
             "step-size/step-size-quick"]:
    svg = open(f"{sys.argv[1]}/{plot}.svg", encoding="utf-8").read()
    group = svg[svg.index('<g id="gnuplot_plot_1"'):svg.index('<g id="gnuplot_plot_2"')]
    bars = re.findall(r"M([\d.]+),([\d.]+)\s+L\1,([\d.]+)", group)
    if len(bars) < 4:  # the legend sample's two caps, and at least one bar with its caps
        sys.exit(f"{plot}.svg: no error bars in its first series ({len(bars)} vertical segments)")
PYTHON
(($? == 0)) && pass "means over seeds are plotted with error bars" || fail "plots of means without error bars"
# the cosine heat maps: vector cells (no embedded raster image, which browsers blur), with
# their values printed
for map in "$work/quick/per-layer/"per-layer-gram-*.svg; do
  if [[ -s "$map" ]] && ! grep -q "<image" "$map" && (($(grep -cE '>-?0\.[0-9]{2,}</tspan>' "$map") >= 2)); then
    pass "$(basename "$map"): crisp cells with values"
  else
    fail "$(basename "$map"): missing, a raster image, or without values"
  fi
done
# Robust claims of the quick variants (margins in docs/reproduce.md).
claim() {  # claim EXPERIMENT ID: asserts results.json says reproduced
  if python3 -c "import json,sys; c=[c for c in json.load(open(sys.argv[1]))['claims'] if c['id']==sys.argv[2]][0]; sys.exit(0 if c['reproduced'] else 1)" \
      "$work/quick/$1/results.json" "$2"; then pass "claim $2 reproduced"; else fail "claim $2 not reproduced"; fi
}
claim balancedness a1
claim balancedness a2
claim head-depth b1
claim per-layer c2
claim final-checks e1
claim final-checks e2

"$ncv" reproduce nosuch --quick --out "$work/x" >"$work/out" 2>"$work/err"
[[ $? == 2 ]] && pass "unknown experiment exits 2" || fail "unknown experiment exit status"
expect_in "$work/err" 'unknown experiment "nosuch"' "unknown experiment message"
"$ncv" reproduce balancedness --quick --config-dir "$work/none" --out "$work/x" >"$work/out" 2>"$work/err"
[[ $? == 2 ]] && pass "missing config dir exits 2" || fail "missing config dir exit status"
expect_in "$work/err" "no such directory" "missing config dir message"

finish reproduce
