#!/usr/bin/env bash
# The main job: installs the dependencies, builds ncv and runs it on its built-in
# default configuration. Extra arguments are passed to `ncv demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release ncv
exec build/release/apps/ncv demo "$@"
