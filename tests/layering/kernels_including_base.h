// A fixture for the layering check (tests/CMakeLists.txt): includes the layer may use.
#include <vector>

#include "base/status.h"
#include "gguf/ggml_types.h"
#include "version.h"
