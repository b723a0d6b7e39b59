#!/usr/bin/env bash
# Scale benchmark of `ncv check --import` on head-layout features (issue 17): for each
# (N, p) it writes an instance with make_head_instance.py into a scratch directory (never
# into the repository), runs the approximate and the certified check, and the NumPy peer
# (numpy_metrics.py) on the same files, and prints one Markdown row per instance:
# CPU seconds (user + system) and peak resident memory of each, and the feature matrix's
# size in double for reference.
#
# Usage: bench/scale/check_scale.sh [--ncv PATH] [--sizes "N:p N:p ..."] [--no-certified]
#   default sizes "5000:512 50000:512"; K = 10 classes throughout.
# Single-threaded runs (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1) so that CPU time is
# comparable between ncverify and NumPy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ncv="$here/../../build/release/apps/ncv"
sizes="5000:512 50000:512"
certified=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ncv) ncv="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --no-certified) certified=0; shift ;;
    *) echo "check_scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$ncv" ]] || { echo "check_scale.sh: no ncv at $ncv (build the release preset first)" >&2; exit 2; }
python=/usr/bin/python3
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

# "cpu_seconds peak_MB" of a command (its output discarded; a failing status is an error).
measure() {
  local out="$scratch/time"
  /usr/bin/time -f "%U %S %M" -o "$out" "$@" > "$scratch/stdout" 2> "$scratch/stderr" || {
    local status=$?
    # ncv check exits 1 on a violated verdict, which is a result, not a failure.
    [[ $status -eq 1 && "$1" == "$ncv" ]] || { cat "$scratch/stderr" >&2; exit 1; }
  }
  awk '{ printf "%.2f %.0f\n", $1 + $2, $3 / 1024 }' "$out"
}

echo "| N | p | features (double) | approximate: CPU s, peak MB | certified: CPU s, peak MB | NumPy peer: CPU s, peak MB |"
echo "|---|---|---|---|---|---|"
for size in $sizes; do
  n="${size%%:*}"; p="${size##*:}"
  dir="$scratch/instance"
  rm -rf "$dir"
  "$python" "$here/make_head_instance.py" "$dir" --samples "$n" --features "$p"
  features_mb=$(awk -v n="$n" -v p="$p" 'BEGIN { printf "%.0f", n * p * 8 / 1048576 }')
  read -r approx_s approx_mb < <(measure "$ncv" check --import "$dir" --layout head --nonlinear-layers 1)
  cert="-"
  if [[ $certified -eq 1 ]]; then
    read -r cert_s cert_mb < <(measure "$ncv" check --import "$dir" --layout head --nonlinear-layers 1 --certified)
    cert="$cert_s s, $cert_mb MB"
  fi
  read -r peer_s peer_mb < <(measure "$python" "$here/numpy_metrics.py" "$dir")
  echo "| $n | $p | $features_mb MB | $approx_s s, $approx_mb MB | $cert | $peer_s s, $peer_mb MB |"
done
