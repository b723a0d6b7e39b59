#!/usr/bin/env bash
# Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): small valid
# inputs of each format, plus a few near-misses, so that fuzzing starts from the
# readers' deep paths. Run from the repository root with a built ncv:
#   tests/fuzz/make_corpus.sh build/release/apps/ncv
# The corpus is committed; this script documents where each seed came from and rebuilds
# it after a format change. Sources: the NumPy fixtures written by Python's standard
# library (tests/io/data), the shipped configurations, IDX files written here with
# Python's struct and gzip, and the files of a tiny run of `ncv train` (double and 64
# bits) with its export manifest.
set -euo pipefail
ncv=$(realpath "$1")
corpus=tests/fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "${corpus:?}"/*
mkdir -p "$corpus"/{idx_file,npy_file,npz_archive,run_config,checkpoint,import_manifest,run_directory}

# .npy / .npz: the reader tests' fixtures (make_fixtures.py)
cp tests/io/data/*.npy "$corpus/npy_file/"
cp tests/io/data/*.npz "$corpus/npz_archive/"

# TOML configurations
cp configs/*.toml configs/experiments/*.toml "$corpus/run_config/"

# IDX: images (magic 0x803) and labels (0x801), raw and gzip-compressed
python3 - "$corpus/idx_file" <<'PY'
import gzip, struct, sys
out = sys.argv[1]
images = struct.pack('>IIII', 0x803, 2, 3, 3) + bytes(range(18))
labels = struct.pack('>II', 0x801, 5) + bytes([0, 1, 2, 1, 0])
for name, data in [('images', images), ('labels', labels)]:
    open(f'{out}/{name}.idx', 'wb').write(data)
    open(f'{out}/{name}.idx.gz', 'wb').write(gzip.compress(data, mtime=0))
open(f'{out}/images-truncated.idx', 'wb').write(images[:-4])
PY

# A tiny run: checkpoints (double and 64 bits), its run directory, its export manifest
cp tests/cli/tiny.toml "$work/tiny.toml"
"$ncv" train "$work/tiny.toml" --out "$work/run" --quiet
"$ncv" train "$work/tiny.toml" --out "$work/run64" --precision 64 --quiet --no-checks
cp "$work/run/checkpoints/final.json" "$corpus/checkpoint/double.json"
cp "$work/run64/checkpoints/final.json" "$corpus/checkpoint/mpfr64.json"
for layout in json csv; do
  {
    for file in manifest.json config.toml "trajectory.$layout" measurements.json checks.json reports.json; do
      echo "--- $file"
      cat "$work/run/$file"
    done
  } >"$corpus/run_directory/run-$layout"
done

"$ncv" export "$work/run" --out "$work/model.npz" >/dev/null
cp "$work/model.json" "$corpus/import_manifest/whole.json"
cat >"$corpus/import_manifest/head.json" <<'JSON'
{"layout": "head", "archive": "head.npz", "arrays": {"weights": ["W2", "W3"], "features": "H", "labels": "y"},
 "nonlinear_layers": 1, "classes": 2, "samples_as_rows": true, "weight_decay": 0.01, "learning_rate": 0.1,
 "description": "a linear head on supplied features"}
JSON
cat >"$corpus/import_manifest/activation-name.json" <<'JSON'
{"format": "ncverify-import", "version": 1, "layout": "whole", "nonlinear_layers": 2, "activation": "tanh"}
JSON
ls -R "$corpus" | wc -l
du -sh "$corpus"
