# CPack: `cpack` in the build directory writes two Debian 12 packages,
#   sizer_<version>_<arch>.deb      the binary and share/sizer (component Runtime)
#   sizer-dev_<version>_<arch>.deb  headers, static library, CMake package (component Development)
# installed under /usr, so the binary finds /usr/share/sizer next to itself.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sizer)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "sizer")
set(CPACK_PACKAGE_CONTACT "sizer maintainers <sizer@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Deployment planning and hardware sizing for local LLMs")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX "${PROJECT_BINARY_DIR}")
# Strips the executable (install/strip); static archives are left whole, they must link.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Runtime Development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME sizer)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}
 sizer plans LLM deployments: whether a model fits each candidate machine, how fast it
 decodes, and when it beats a hosted API on cost. Databases in /usr/share/sizer.")
# The Debian 12 packages owning the shared libraries the binary links (ldd + dpkg -S);
# versions as dpkg-shlibdeps computes them for this binary. scripts/ci-package.sh checks
# that every library the installed binary loads belongs to a package named here.
string(JOIN ", " CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
  "libboost-program-options1.74.0 (>= 1.74.0+ds1)"
  "libbrotli1 (>= 0.6.0)"     # through libcpp-httplib
  "libc6 (>= 2.34)"
  "libcpp-httplib0.11 (>= 0.11.4)"  # sizer serve
  "libfmt9 (>= 9.1.0+ds1)"
  "libgcc-s1 (>= 3.0)"
  "libhwy1 (>= 1.0.0)"
  "libicu72 (>= 72.1~rc-1~)"  # libicuuc, libicui18n, libicudata
  "libssl3 (>= 3.0.0)"        # libcrypto.so.3
  "libstdc++6 (>= 12)"
  "libyaml-cpp0.7 (>= 0.7.0)"
  "zlib1g (>= 1:1.1.4)")      # through libcpp-httplib

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME sizer-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION_SUMMARY} (library)
 Static library, public headers (/usr/include/sizer) and CMake package: find_package(sizer)
 and link sizer::core.")
# What a consumer's find_package(sizer) finds and links (cmake/sizerConfig.cmake.in).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "sizer (= ${PROJECT_VERSION}), cmake (>= 3.20), libyaml-cpp-dev, libfmt-dev, nlohmann-json3-dev, libeigen3-dev, libhwy-dev, libssl-dev, libicu-dev, libcpp-httplib-dev")

include(CPack)
