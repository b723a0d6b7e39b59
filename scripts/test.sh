#!/usr/bin/env bash
# The whole test suite: installs the dependencies, builds everything with warnings as
# errors, runs every test except those labelled `slow` (with PyTorch installed for the test
# of a network exported from it, and Chromium for the reports rendered in a browser), then
# builds the suite again with AddressSanitizer + UndefinedBehaviorSanitizer (the `asan`
# preset) and runs it there too, and fuzzes every parser briefly (NCV_FUZZ_SECONDS per target, default 20;
# docs/robustness.md). Long runs: `ctest --preset release -L slow`.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/install-deps.sh --with-torch --with-browser   # cli.pytorch_import; cli.report_browser (headless Chromium)

scripts/build.sh release
ctest --preset release -j "$jobs" -LE slow

scripts/build.sh asan
# The quick reproductions (label `reproduce`, ~2 min in release) are not repeated under the
# sanitizers; cli.reproduce_one runs one experiment there. Nor is the browser test (label
# `browser`), which checks the HTML the release build wrote, not the memory of ncv.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$jobs" -LE "slow|reproduce|browser"

# Brief fuzzing of every parser with libFuzzer (clang, the `fuzz` preset); the corpus
# replays (ctest fuzz.*) already ran in both builds above.
scripts/fuzz.sh --seconds "${NCV_FUZZ_SECONDS:-20}"
