# Finds every dependency of ncverify. Each one comes from a Debian 12 package; when one
# is missing, configuration stops with a message naming the package to install
# (scripts/install-deps.sh installs them all).

function(ncv_missing what package)
  message(FATAL_ERROR
    "ncverify: ${what} was not found. Install the Debian package '${package}' "
    "(apt-get install ${package}), or run scripts/install-deps.sh as root.")
endfunction()

# Finds a header + library pair that ships without a CMake or pkg-config file and
# defines the imported target ncv::<name>.
function(ncv_find_plain_library name header library package)
  find_path(NCV_${name}_INCLUDE_DIR ${header})
  find_library(NCV_${name}_LIBRARY ${library})
  if(NOT NCV_${name}_INCLUDE_DIR OR NOT NCV_${name}_LIBRARY)
    ncv_missing("${name} (${header}, lib${library})" ${package})
  endif()
  add_library(ncv::${name} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(ncv::${name} PROPERTIES
    IMPORTED_LOCATION "${NCV_${name}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${NCV_${name}_INCLUDE_DIR}")
endfunction()

find_package(Eigen3 3.4 QUIET NO_MODULE)
if(NOT TARGET Eigen3::Eigen)
  ncv_missing("Eigen 3.4" libeigen3-dev)
endif()

find_package(Boost 1.74 QUIET)
if(NOT Boost_FOUND)
  ncv_missing("Boost (Multiprecision)" libboost-dev)
endif()

ncv_find_plain_library(gmp gmp.h gmp libgmp-dev)
ncv_find_plain_library(mpfr mpfr.h mpfr libmpfr-dev)
ncv_find_plain_library(flint flint/flint.h flint libflint-dev)
ncv_find_plain_library(arb arb_mat.h flint-arb libflint-arb-dev)
set_property(TARGET ncv::mpfr APPEND PROPERTY INTERFACE_LINK_LIBRARIES ncv::gmp)
set_property(TARGET ncv::arb APPEND PROPERTY INTERFACE_LINK_LIBRARIES ncv::flint ncv::mpfr)

# OpenBLAS for the double products (lib/ncverify/linalg/blas_product.cpp): Debian's
# pthread variant, deliberately (not the -openmp one, whose openblas_set_num_threads also
# sets OpenMP's thread count, nor the serial one, which is not built for concurrent
# callers); ncverify calls it with one thread from its own OpenMP panels. Looked up in
# the variant's own directories, not through the libblas.so alternatives.
find_path(NCV_openblas_INCLUDE_DIR cblas.h PATHS /usr/include/x86_64-linux-gnu/openblas-pthread NO_DEFAULT_PATH)
find_library(NCV_openblas_LIBRARY openblas PATHS /usr/lib/x86_64-linux-gnu/openblas-pthread NO_DEFAULT_PATH)
if(NOT NCV_openblas_INCLUDE_DIR OR NOT NCV_openblas_LIBRARY)
  ncv_missing("OpenBLAS, pthread variant (openblas-pthread/cblas.h, libopenblas)" libopenblas-pthread-dev)
endif()
add_library(ncv::openblas UNKNOWN IMPORTED GLOBAL)
set_target_properties(ncv::openblas PROPERTIES
  IMPORTED_LOCATION "${NCV_openblas_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${NCV_openblas_INCLUDE_DIR}")

find_package(ZLIB QUIET)
if(NOT ZLIB_FOUND)
  ncv_missing("zlib" zlib1g-dev)
endif()

find_package(OpenMP QUIET)
if(NOT OpenMP_CXX_FOUND)
  ncv_missing("OpenMP (used by Eigen's parallel products)" "libgomp1 (part of g++)")
endif()

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  ncv_missing("fmt" libfmt-dev)
endif()
find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  ncv_missing("CLI11" libcli11-dev)
endif()
find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  ncv_missing("nlohmann-json" nlohmann-json3-dev)
endif()
find_package(tomlplusplus QUIET)
if(NOT tomlplusplus_FOUND)
  ncv_missing("toml++" libtomlplusplus-dev)
endif()

if(NCV_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    ncv_missing("GoogleTest" libgtest-dev)
  endif()
  find_package(rapidcheck QUIET)
  if(NOT rapidcheck_FOUND)
    ncv_missing("rapidcheck" librapidcheck-dev)
  endif()
  find_path(NCV_RAPIDCHECK_GTEST_DIR rapidcheck/gtest.h)
  if(NOT NCV_RAPIDCHECK_GTEST_DIR)
    ncv_missing("rapidcheck's GoogleTest glue (rapidcheck/gtest.h)" librapidcheck-dev)
  endif()
endif()
if(NCV_BUILD_BENCH)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    ncv_missing("Google Benchmark" libbenchmark-dev)
  endif()
endif()
