# CPack: a Debian package of the CLI and the Studio.
set(CPACK_PACKAGE_NAME "radapter-studio")
set(CPACK_PACKAGE_VENDOR "R-Adapter Studio")
set(CPACK_PACKAGE_CONTACT "R-Adapter Studio developers <dev@radapter.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Robust fine-tuning of CLIP zero-shot models with R-Adapter")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
