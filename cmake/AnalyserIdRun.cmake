# Script: hash the analysis sources (SRCS, ';'-separated) into OUT as
#   const char pv_analyser_id[] = "<version>+<sha256 prefix>";
# so cached analysis results are reused only by a pkgvet whose analysers
# (and grammars) are byte for byte the same.
set(all "")
foreach(f IN LISTS SRCS)
  file(SHA256 "${f}" h)
  string(APPEND all "${h}")
endforeach()
string(SHA256 id "${all}")
string(SUBSTRING "${id}" 0 16 id)
file(WRITE "${OUT}.tmp" "/* generated; do not edit */\nconst char pv_analyser_id[] = \"${VERSION}+${id}\";\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
