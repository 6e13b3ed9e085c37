# The sanitizer tree, -DSALESMEET_FUZZ=ON with clang (scripts/fuzz.sh and
# scripts/test.sh configure it as build-sanitize/). Every object, generated
# protobuf code included, is compiled once with AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage instrumentation, so the
# same libraries serve the unit tests (run sanitized) and the fuzz targets
# under tests/fuzz. Debian's gRPC, protobuf and Abseil stay uninstrumented;
# clang and gcc share libstdc++'s ABI, so they link as they are.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "SALESMEET_FUZZ needs clang (configure with CXX=clang++-14): "
    "${CMAKE_CXX_COMPILER_ID} has no libFuzzer")
endif()

# The build type this tree defaults to: optimised enough to fuzz fast, line
# tables enough for symbolized stacks, and far quicker to compile and link
# than full debug information.
set(CMAKE_CXX_FLAGS_FUZZ "-O1 -gline-tables-only" CACHE STRING
    "C++ flags of the Fuzz build type")

set(SALESMEET_SANITIZERS -fsanitize=address,undefined -fno-omit-frame-pointer)
# fuzzer-no-link: coverage for libFuzzer without its main(); the unit tests
# link the sanitizer runtimes only, which stub the coverage callbacks.
# UBSan reports and carries on unless UBSAN_OPTIONS has halt_on_error=1,
# which scripts/test.sh and scripts/fuzz.sh set (sanitizer_env in lib.sh).
add_compile_options(${SALESMEET_SANITIZERS} -fsanitize=fuzzer-no-link)
add_link_options(${SALESMEET_SANITIZERS})

# Generated protobuf code is protoc's, not ours: sanitized, it compiles
# three times slower and checks nothing we wrote. It keeps the coverage,
# which guides the fuzzers through the messages they parse. Run once every
# directory is configured, for every library proto/ defines.
function(salesmeet_unsanitize_generated_code)
  get_property(targets DIRECTORY ${CMAKE_SOURCE_DIR}/proto
               PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
      target_compile_options(${target} PRIVATE -fno-sanitize=address,undefined)
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
               CALL salesmeet_unsanitize_generated_code)

# lld links the sanitized test binaries four times faster than GNU ld.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld SALESMEET_HAVE_LLD)
if(SALESMEET_HAVE_LLD)
  add_link_options(-fuse-ld=lld)
endif()
