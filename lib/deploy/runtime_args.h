// The server arguments of each runtime sizer renders, derived from the plan. Flag spellings
// come from runtime_db/<id>.yaml; the values from the worksheet and the job.
#ifndef SIZER_DEPLOY_RUNTIME_ARGS_H_
#define SIZER_DEPLOY_RUNTIME_ARGS_H_

#include "base/status.h"
#include "deploy/deployment.h"

namespace sizer {

// Fills d.settings, d.args and the numbers (gpu_layers, tensor/pipeline sizes, pool fraction)
// for d.runtime. kUnsupported for a runtime sizer does not render, with the reason.
Status AddRuntimeArgs(Deployment& d);

}  // namespace sizer

#endif  // SIZER_DEPLOY_RUNTIME_ARGS_H_
