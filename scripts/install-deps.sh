#!/usr/bin/env bash
# Installs ncverify's build and test dependencies from Debian 12 packages.
# `--with-torch` adds PyTorch for /usr/bin/python3 (the test of a network exported from
# PyTorch, cli.pytorch_import, the ncverify.torch tests and the peer comparison in bench/peer/).
# `--with-browser` adds headless Chromium, its driver and Debian's Selenium (the reports
# rendered in a browser, cli.report_browser, and scripts/report-screenshots.sh).
# Idempotent: when every package is present it prints nothing and returns at once;
# `apt-get update` runs only when something is missing. Run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config zlib1g-dev   # toolchain, gzip for IDX files
  libeigen3-dev                                             # Eigen 3.4 (linear algebra)
  libboost-dev                                              # Boost.Multiprecision (mpfr_float)
  libmpfr-dev libgmp-dev                                    # MPFR + GMP
  libflint-dev libflint-arb-dev                             # FLINT/Arb (ball arithmetic, fast products)
  libopenblas-pthread-dev                                   # OpenBLAS (double GEMM; pthread variant, called with 1 thread: linalg/blas_product.hpp)
  libgtest-dev librapidcheck-dev libbenchmark-dev           # tests and benchmarks
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev   # CLI, config, JSON, formatting
  gnuplot-nox                                               # plots in reports
  jq                                                        # JSON queries of the CLI tests
  clang libclang-rt-14-dev libomp-dev                       # fuzzing (scripts/fuzz.sh: libFuzzer, OpenMP for clang)
  dataset-fashion-mnist                                     # real data (IDX files)
  python3-dev pybind11-dev python3-numpy python3-pytest    # the Python module (python/) and its tests
)
for option in "$@"; do
  case "$option" in
    --with-torch) packages+=(python3-torch) ;;
    --with-browser) packages+=(chromium chromium-driver python3-selenium) ;;
    *) echo "install-deps: unknown option $option (valid: --with-torch, --with-browser)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
((EUID == 0)) || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
