// A fixture for the layering check (tests/CMakeLists.txt): a kernels header that includes a
// plan header, which the build must refuse.
#include "base/status.h"
#include "plan/planner.h"
