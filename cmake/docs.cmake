# docs.cmake - what is installed besides the programs: the man pages and the
# shell completions for `pkgvet` (completion of npm's and pip's own
# arguments belongs to npm and pip). Nothing here is built.
set(PV_MAN "${PROJECT_SOURCE_DIR}/docs/man")
set(PV_COMPLETIONS "${PROJECT_SOURCE_DIR}/hooks/completions")
install(FILES "${PV_MAN}/pkgvet.1" "${PV_MAN}/pkgvet-npm.1" "${PV_MAN}/pkgvet-pip.1"
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES "${PV_MAN}/pkgvet-policy.5" DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
# bash-completion loads completions/NAME on demand for the command NAME.
install(FILES "${PV_COMPLETIONS}/pkgvet.bash"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME pkgvet)
install(FILES "${PV_COMPLETIONS}/_pkgvet" DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES "${PV_COMPLETIONS}/pkgvet.fish" DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
