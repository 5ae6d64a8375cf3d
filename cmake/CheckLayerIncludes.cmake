# cmake -DLAYER=plan -DALLOWED=plan,base,... -DALL_LAYERS=base,gguf,... -DFILES=a.cc,b.h
#       -DSTAMP=out.stamp -P CheckLayerIncludes.cmake
# Fails when a file of LAYER includes "X/..." for a library layer X outside ALLOWED.
cmake_minimum_required(VERSION 3.20)
string(REPLACE "," ";" allowed "${ALLOWED}")
string(REPLACE "," ";" all_layers "${ALL_LAYERS}")
string(REPLACE "," ";" files "${FILES}")
set(violations "")
foreach(file IN LISTS files)
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z_0-9]+/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([a-z_0-9]+)/.*$" "\\1" used "${line}")
    if(used IN_LIST all_layers AND NOT used IN_LIST allowed)
      string(STRIP "${line}" line)
      string(APPEND violations "\n  ${file}: ${line}")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "layer '${LAYER}' may include only ${ALLOWED}; these includes break the "
                      "layering (lib/CMakeLists.txt):${violations}")
endif()
file(WRITE ${STAMP} "ok\n")
