# sizer_add_layer(NAME SOURCES ... [LAYERS ...] [PUBLIC_LINKS ...] [PRIVATE_LINKS ...])
#
# One static library `sizer_NAME` built from lib/NAME/. LAYERS are the lower layers it may
# use: they are linked PUBLIC, and the layer may include their headers and those of the
# layers they use in turn, nothing else. A build-time check (CheckLayerIncludes.cmake) reads
# every .h and .cc of lib/NAME/ and fails the build on an include from any other layer.
function(sizer_add_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LAYERS;PUBLIC_LINKS;PRIVATE_LINKS")
  set(target sizer_${name})
  add_library(${target} STATIC ${arg_SOURCES})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${SIZER_SOURCE_DIR}/lib>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE ${SIZER_WARNINGS})
  set(layer_targets "")
  set(allowed ${name})
  foreach(layer IN LISTS arg_LAYERS)
    if(NOT TARGET sizer_${layer})
      message(FATAL_ERROR "layer ${name} uses '${layer}', which is not defined before it")
    endif()
    list(APPEND layer_targets sizer_${layer})
    get_property(below GLOBAL PROPERTY SIZER_LAYER_ALLOWED_${layer})
    list(APPEND allowed ${below})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY SIZER_LAYER_ALLOWED_${name} ${allowed})
  target_link_libraries(${target} PUBLIC ${layer_targets} ${arg_PUBLIC_LINKS}
                                  PRIVATE ${arg_PRIVATE_LINKS})

  file(GLOB layer_files CONFIGURE_DEPENDS ${SIZER_SOURCE_DIR}/lib/${name}/*.h
                                          ${SIZER_SOURCE_DIR}/lib/${name}/*.cc)
  file(GLOB layer_dirs LIST_DIRECTORIES true RELATIVE ${SIZER_SOURCE_DIR}/lib
       ${SIZER_SOURCE_DIR}/lib/*)
  set(all_layers "")
  foreach(d IN LISTS layer_dirs)
    if(IS_DIRECTORY ${SIZER_SOURCE_DIR}/lib/${d})
      list(APPEND all_layers ${d})
    endif()
  endforeach()
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/layer_check_${name}.stamp)
  string(REPLACE ";" "," allowed_arg "${allowed}")
  string(REPLACE ";" "," layers_arg "${all_layers}")
  string(REPLACE ";" "," files_arg "${layer_files}")
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DLAYER=${name} "-DALLOWED=${allowed_arg}" "-DALL_LAYERS=${layers_arg}"
            "-DFILES=${files_arg}" -DSTAMP=${stamp}
            -P ${SIZER_SOURCE_DIR}/cmake/CheckLayerIncludes.cmake
    DEPENDS ${layer_files} ${SIZER_SOURCE_DIR}/cmake/CheckLayerIncludes.cmake
    COMMENT "Checking the includes of layer ${name}"
    VERBATIM)
  add_custom_target(${target}_layer_check DEPENDS ${stamp})
  add_dependencies(${target} ${target}_layer_check)
  set_property(GLOBAL APPEND PROPERTY SIZER_LAYER_TARGETS ${target})
  get_property(targets GLOBAL PROPERTY SIZER_LAYER_TARGETS)
  set(SIZER_LAYER_TARGETS ${targets} PARENT_SCOPE)
endfunction()
