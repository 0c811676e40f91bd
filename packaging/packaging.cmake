# Installation layout and CPack: `cpack -G DEB` in the build folder makes a Debian package with
# the CLI (and its bash completion), the Studio, the demo project (without its generated data) and the shipped model.
include(GNUInstallDirs)
if(RA_BUILD_STUDIO)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/radapter-studio.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/radapter-studio.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/projects/digits-shift/digits-shift.json ${PROJECT_SOURCE_DIR}/projects/digits-shift/digits-retrieval.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/radapter-studio/projects/digits-shift)
install(FILES ${PROJECT_SOURCE_DIR}/resources/models/glyphclip-tiny.safetensors ${PROJECT_SOURCE_DIR}/resources/models/MODEL_CARD.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/radapter-studio/resources/models OPTIONAL)
# bash-completion loads it when `radapter` is first completed.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/bash-completion/radapter
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${PROJECT_SOURCE_DIR}/resources/clip/NOTICE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/radapter-studio RENAME NOTICE.clip-vocabulary)

set(CPACK_PACKAGE_NAME "radapter-studio")
set(CPACK_PACKAGE_VENDOR "R-Adapter Studio")
set(CPACK_PACKAGE_CONTACT "R-Adapter Studio developers <dev@radapter.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Robust fine-tuning of CLIP zero-shot models with R-Adapter")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "/usr")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
# Shared-library dependencies come from dpkg-shlibdeps; these are the ones it cannot see: the fast
# BLAS libtorch loads at run time and Qt's platform plugins (the window needs the xcb plugin).
if(RA_BUILD_STUDIO)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp, qt6-qpa-plugins")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp")
endif()
# The demo world is prepared on first start from these packages' data files (digits, typefaces).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "opencv-doc, python3-sklearn, fonts-liberation2, fonts-urw-base35, fonts-freefont-ttf, \
fonts-dejavu-extra, fonts-crosextra-caladea, fonts-crosextra-carlito, fonts-comic-neue, fonts-cantarell, fonts-roboto-unhinted, \
fonts-noto-mono")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
