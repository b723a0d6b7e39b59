# The Python module (python/): built with pybind11 (Debian pybind11-dev) against Debian's
# python3 (/usr/bin/python3, the interpreter python3-numpy and python3-torch belong to),
# whatever python3 comes first in PATH. Not built in the sanitizer and fuzz presets (an
# instrumented extension cannot be loaded by an uninstrumented interpreter), nor when
# pybind11 is missing (a message says which package to install). Every library linked
# into the module is compiled as position-independent code.

if(NCV_PYTHON AND (NCV_SANITIZE OR NCV_FUZZ))
  set(NCV_PYTHON OFF)
endif()
if(NCV_PYTHON)
  if(EXISTS /usr/bin/python3 AND NOT Python_EXECUTABLE)
    set(Python_EXECUTABLE /usr/bin/python3)
  endif()
  set(PYBIND11_FINDPYTHON ON)
  find_package(Python 3 COMPONENTS Interpreter Development.Module QUIET)
  find_package(pybind11 CONFIG QUIET)
  if(NOT Python_FOUND OR NOT pybind11_FOUND)
    message(STATUS "ncverify: no Python module (install the Debian packages python3-dev and pybind11-dev)")
    set(NCV_PYTHON OFF)
  else()
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
    message(STATUS "ncverify: Python module for ${Python_EXECUTABLE} (${Python_VERSION})")
  endif()
endif()
