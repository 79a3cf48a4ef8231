# pv_embed(OUT_C SYMBOL INPUT): generate a C file defining
#   const char SYMBOL[]; const size_t SYMBOL_len;
# holding INPUT's bytes, so data files (the attribute catalogue, the
# top-package lists) travel inside the binary and cannot go missing.
function(pv_embed out_c symbol input)
  add_custom_command(
    OUTPUT "${out_c}"
    COMMAND ${CMAKE_COMMAND} -DIN=${input} -DOUT=${out_c} -DSYM=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedRun.cmake"
    DEPENDS "${input}" "${PROJECT_SOURCE_DIR}/cmake/EmbedRun.cmake"
    VERBATIM)
endfunction()
