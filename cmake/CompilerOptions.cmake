# Compiler settings shared by every ncverify target, applied through the interface
# target ncv::options. Warnings are on for the project's own code; third-party headers
# are included as system headers so their warnings do not drown ours.

add_library(ncv_options INTERFACE)
add_library(ncv::options ALIAS ncv_options)
target_compile_options(ncv_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O3 reports -Wrestrict inside std::string concatenation
  # (char_traits::copy; GCC bug 105651), a false positive in libstdc++ itself.
  target_compile_options(ncv_options INTERFACE -Wno-restrict)
endif()
if(NCV_NATIVE)
  # GCC 12 reports -W(maybe-)uninitialized inside its own AVX-512 intrinsics
  # (avx512fintrin.h, `__m512d __Y = __Y;` in _mm512_undefined_*) once they are inlined
  # into Eigen's packet math (GCC bug 105593, fixed in GCC 13): a false positive that
  # cannot be scoped to system headers because it fires at the call site. The sanitizer
  # build (NCV_NATIVE=OFF, no AVX-512) keeps both warnings on for the project's code.
  target_compile_options(ncv_options INTERFACE -march=native -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
if(NCV_WARNINGS_AS_ERRORS)
  target_compile_options(ncv_options INTERFACE -Werror)
endif()

# Sanitizer builds (the `asan` preset) set NCV_SANITIZE=ON.
option(NCV_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(NCV_SANITIZE)
  target_compile_options(ncv_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ncv_options INTERFACE -fsanitize=address,undefined)
endif()

# libFuzzer builds (the `fuzz` preset, clang only) set NCV_FUZZ=ON: every translation
# unit gets libFuzzer's coverage instrumentation; the fuzz targets (tests/fuzz) link
# the fuzzer's main with -fsanitize=fuzzer.
option(NCV_FUZZ "Build the libFuzzer targets (clang)" OFF)
if(NCV_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NCV_FUZZ needs clang (libFuzzer); configure with the `fuzz` preset")
  endif()
  target_compile_options(ncv_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

# Precompiled headers: every translation unit includes Eigen, Boost.Multiprecision (MPFR),
# Arb, nlohmann-json and fmt; compiling them once per target instead of once per file
# roughly halves the build (measured in the foundation's closing note).
set(NCV_PRECOMPILED_HEADERS
  <vector> <string> <optional> <functional>
  <Eigen/Core>
  <boost/multiprecision/mpfr.hpp>
  <arb_mat.h>
  <nlohmann/json.hpp>
  <fmt/core.h>)
function(ncv_precompile target)
  target_precompile_headers(${target} PRIVATE ${NCV_PRECOMPILED_HEADERS} ${ARGN})
endfunction()
