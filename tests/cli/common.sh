# Shared by the tests/cli/*.sh scripts (sourced, after `set -uo pipefail`): a scratch
# directory $work removed on exit, PASS / FAIL lines with a failure count, and the
# checks the scripts share. A script ends with `finish NAME`, which exits 1 on any failure.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

# expect_exit CODE NAME COMMAND... : runs COMMAND (output in $work/out, $work/err), checks its exit status.
expect_exit() {
  local expected=$1 name=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local status=$?
  if [[ $status == "$expected" ]]; then pass "$name"; else fail "$name (exit $status, expected $expected)"; cat "$work/err"; fi
}
# expect_in FILE TEXT NAME: FILE contains TEXT (shows the start of FILE otherwise).
expect_in() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; head -c 4000 "$1"; fi
}
# expect_same_files REFERENCE DIR NAME FILE...: each FILE (a path relative to the two run
# directories) of DIR is byte-identical to REFERENCE's.
expect_same_files() {
  local reference=$1 dir=$2 name=$3 file
  shift 3
  for file in "$@"; do
    cmp -s "$reference/$file" "$dir/$file" && pass "$name: $file identical to $(basename "$reference")'s" ||
      fail "$name: $dir/$file differs from $reference/$file"
  done
}
# finish NAME: the summary line and the exit status.
finish() {
  if ((failures)); then echo "$failures $1 check(s) failed"; exit 1; fi
  echo "all $1 checks passed"
}
