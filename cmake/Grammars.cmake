# Download the two tree-sitter grammars from the npm registry at configure
# time, verify them against pinned SHA-512 digests, and unpack them into the
# build tree. The grammar sources are never committed. Set
# PKGVET_GRAMMAR_DIR to a directory holding the two .tgz files to build
# offline.
set(PV_GRAMMARS
  "python|0.23.6|c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc"
  "javascript|0.23.1|fdb9e16eb4c3f5fad46074138989cf731c87391230d79ec44416ba76acda2b1bd1ff1dcf0b863377e0f5a5920c4baccd836bf76bc059d282bb8c7aac428f5f58")
set(PKGVET_NPM_REGISTRY "https://registry.npmjs.org" CACHE STRING "Where the grammar tarballs are downloaded from")
set(PKGVET_GRAMMAR_DIR "" CACHE PATH "Directory with pre-downloaded grammar tarballs")

set(PV_GRAMMAR_SOURCES "")
foreach(entry IN LISTS PV_GRAMMARS)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 lang)
  list(GET parts 1 ver)
  list(GET parts 2 sha)
  set(tgz_name "tree-sitter-${lang}-${ver}.tgz")
  set(dl_dir "${CMAKE_BINARY_DIR}/_grammars")
  set(tgz "${dl_dir}/${tgz_name}")
  if(PKGVET_GRAMMAR_DIR AND EXISTS "${PKGVET_GRAMMAR_DIR}/${tgz_name}")
    file(COPY "${PKGVET_GRAMMAR_DIR}/${tgz_name}" DESTINATION "${dl_dir}")
  endif()
  if(EXISTS "${tgz}")
    file(SHA512 "${tgz}" have)
    if(NOT have STREQUAL sha)
      file(REMOVE "${tgz}")
    endif()
  endif()
  if(NOT EXISTS "${tgz}")
    message(STATUS "Downloading ${tgz_name}")
    file(DOWNLOAD "${PKGVET_NPM_REGISTRY}/tree-sitter-${lang}/-/${tgz_name}" "${tgz}"
         EXPECTED_HASH SHA512=${sha} STATUS st TLS_VERIFY ON)
    list(GET st 0 code)
    if(NOT code EQUAL 0)
      file(REMOVE "${tgz}")
      message(FATAL_ERROR "Could not download ${tgz_name} (or its SHA-512 did not match the pinned one): ${st}")
    endif()
  endif()
  set(src_dir "${dl_dir}/${lang}")
  if(NOT EXISTS "${src_dir}/.sha512-${sha}")
    file(REMOVE_RECURSE "${src_dir}")
    file(MAKE_DIRECTORY "${src_dir}")
    file(ARCHIVE_EXTRACT INPUT "${tgz}" DESTINATION "${src_dir}" PATTERNS "package/src/*")
    file(WRITE "${src_dir}/.sha512-${sha}" "")
  endif()
  list(APPEND PV_GRAMMAR_SOURCES "${src_dir}/package/src/parser.c" "${src_dir}/package/src/scanner.c")
  set(PV_GRAMMAR_INCLUDE_${lang} "${src_dir}/package/src")
endforeach()
