#!/usr/bin/env bash
# One quick experiment with one seed (seconds): the experiment code under the sanitizers,
# where the full quick reproduction (label `reproduce`) is too slow to repeat; and its
# tables, whose cells hold '|' (||D_l||_op), stay rectangular in summary.md (cells
# escaped) and in report.html. Usage: reproduce_one_test.sh NCV SOURCE_DIR
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
expect_exit 0 "reproduce balancedness --quick --seeds 1" "$ncv" reproduce balancedness --quick --seeds 1 --quiet \
  --config-dir "$source_dir/configs/experiments" --out "$work/one"
dir="$work/one/balancedness"
expect_in "$dir/summary.md" '\|\|D_l\|\|_op' "'|' escaped in the Markdown cells"
python3 "$(dirname "$0")/html_tables.py" --markdown "$dir/summary.md" "$dir/report.html" >"$work/tables" &&
  pass "every table row has as many cells as its header" || { fail "ragged tables"; cat "$work/tables"; }
finish reproduce_one
