# `cmake --install`: the sizer binary in bin/, the databases and report templates in
# share/sizer/, the public headers in include/sizer/, the library, and a relocatable CMake
# package (find_package(sizer) -> sizer::core). Reads SIZER_LIBRARY_TARGETS (lib/CMakeLists.txt)
# and SIZER_PUBLIC_HEADERS (cmake/SizerPublicHeaders.cmake). Components: Runtime (binary and
# data, the `sizer` .deb) and Development (headers, library, CMake files, `sizer-dev`).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/SizerPublicHeaders.cmake)

if(NOT SIZER_LIBRARY_TARGETS)
  message(FATAL_ERROR "SizerInstall: SIZER_LIBRARY_TARGETS is empty (set it in lib/CMakeLists.txt)")
endif()

set(SIZER_HEADER_ROOT "${PROJECT_SOURCE_DIR}/lib")
set(SIZER_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/sizer")          # share/sizer
set(SIZER_INSTALL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/sizer")    # include/sizer
set(SIZER_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/sizer")

# The public headers and every project header they include ("..." includes, resolved under
# lib/ as the library itself resolves them). A public header that includes a header missing
# from lib/ stops the configure: an installed header must never dangle.
function(sizer_header_closure out_var root)
  set(todo ${ARGN})
  set(seen "")
  while(todo)
    list(POP_FRONT todo header)
    if(header IN_LIST seen)
      continue()
    endif()
    if(NOT EXISTS "${root}/${header}")
      message(FATAL_ERROR "SizerInstall: public header closure needs ${header}, not found under ${root}")
    endif()
    list(APPEND seen "${header}")
    # Re-run the configure when a header's includes change, so the closure stays exact.
    set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${root}/${header}")
    file(STRINGS "${root}/${header}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]+\"")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*$" "\\1" included "${line}")
      list(APPEND todo "${included}")
    endforeach()
  endwhile()
  list(SORT seen)
  set(${out_var} "${seen}" PARENT_SCOPE)
endfunction()

sizer_header_closure(SIZER_INSTALLED_HEADERS "${SIZER_HEADER_ROOT}" ${SIZER_PUBLIC_HEADERS})
list(LENGTH SIZER_PUBLIC_HEADERS _public_count)
list(LENGTH SIZER_INSTALLED_HEADERS _installed_count)
message(STATUS "sizer: ${_public_count} public headers, ${_installed_count} installed with their includes")
# scripts/ci-package.sh checks the installed include/ tree against these two lists.
string(REPLACE ";" "\n" _lines "${SIZER_PUBLIC_HEADERS}")
file(WRITE "${PROJECT_BINARY_DIR}/sizer_public_headers.txt" "${_lines}\n")
string(REPLACE ";" "\n" _lines "${SIZER_INSTALLED_HEADERS}")
file(WRITE "${PROJECT_BINARY_DIR}/sizer_installed_headers.txt" "${_lines}\n")

foreach(header IN LISTS SIZER_INSTALLED_HEADERS)
  get_filename_component(subdir "${header}" DIRECTORY)
  install(FILES "${SIZER_HEADER_ROOT}/${header}"
          DESTINATION "${SIZER_INSTALL_INCLUDEDIR}/${subdir}" COMPONENT Development)
endforeach()

# The library targets carry their source directory as an include path; an exported target
# must not (the package would point into this checkout), so split it into the build-tree
# path and include/sizer under whatever prefix the package ends up in. Done here rather than
# in lib/CMakeLists.txt so the per-layer targets need nothing install-specific.
foreach(target IN LISTS SIZER_LIBRARY_TARGETS)
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(wrapped "")
  if(dirs)
    foreach(dir IN LISTS dirs)
      if(IS_ABSOLUTE "${dir}" AND NOT dir MATCHES "^\\$<")
        list(APPEND wrapped "$<BUILD_INTERFACE:${dir}>")
      else()
        list(APPEND wrapped "${dir}")
      endif()
    endforeach()
  endif()
  list(APPEND wrapped "$<INSTALL_INTERFACE:${SIZER_INSTALL_INCLUDEDIR}>")
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${wrapped}")
  # sizer_core -> sizer::core, sizer_gguf -> sizer::gguf.
  string(REGEX REPLACE "^sizer_" "" export_name "${target}")
  set_target_properties(${target} PROPERTIES EXPORT_NAME "${export_name}")
endforeach()

install(TARGETS ${SIZER_LIBRARY_TARGETS} EXPORT sizerTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Development
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Development)
install(TARGETS sizer RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT Runtime)

# The data the binary reads; ResolveDataDir (lib/base/data_dir.h) finds it as
# <bin>/../share/sizer, so the prefix can move.
install(DIRECTORY hardware_db model_db runtime_db worksheets
        DESTINATION "${SIZER_INSTALL_DATADIR}" COMPONENT Runtime)
install(DIRECTORY reports/templates
        DESTINATION "${SIZER_INSTALL_DATADIR}/reports" COMPONENT Runtime)
install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT Runtime)

install(EXPORT sizerTargets NAMESPACE sizer:: FILE sizerTargets.cmake
        DESTINATION "${SIZER_INSTALL_CMAKEDIR}" COMPONENT Development)
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/sizerConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/sizerConfig.cmake"
  INSTALL_DESTINATION "${SIZER_INSTALL_CMAKEDIR}"
  PATH_VARS SIZER_INSTALL_DATADIR SIZER_INSTALL_INCLUDEDIR)
# 0.x: a minor release may change the API.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/sizerConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/sizerConfig.cmake" "${PROJECT_BINARY_DIR}/sizerConfigVersion.cmake"
        DESTINATION "${SIZER_INSTALL_CMAKEDIR}" COMPONENT Development)
