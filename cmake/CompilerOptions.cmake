# Compiler settings shared by every ncverify target, applied through the interface
# target ncv::options. Warnings are on for the project's own code; third-party headers
# are included as system headers so their warnings do not drown ours.

add_library(ncv_options INTERFACE)
add_library(ncv::options ALIAS ncv_options)
target_compile_options(ncv_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  # GCC 12 reports -Wmaybe-uninitialized inside its own AVX-512 intrinsics
  # (avx512fintrin.h) once they are inlined into Eigen's packet math: a known false
  # positive that cannot be scoped to system headers because it fires at the call site.
  -Wno-maybe-uninitialized
  # GCC 12 at -O3 reports -Wrestrict inside std::string concatenation
  # (char_traits::copy; GCC bug 105651), a false positive in libstdc++ itself.
  -Wno-restrict)
if(NCV_NATIVE)
  target_compile_options(ncv_options INTERFACE -march=native)
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
