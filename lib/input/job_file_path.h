// Where the files a job names are opened: a `model:` GGUF or checkpoint, a `vision:` mmproj,
// a `draft:` model, an `adapters:` LoRA. One rule for all of them, so a service that confines
// requests to its models folder (service/api.h ResolveModelPath) confines every file.
#ifndef SIZER_INPUT_JOB_FILE_PATH_H_
#define SIZER_INPUT_JOB_FILE_PATH_H_

#include <functional>
#include <string>

#include "base/status.h"

namespace sizer {

class YamlValue;

// The path to open for a file name as the job wrote it, or why the name is refused (the job's
// error at that key). Unset: beside the job file, else from the working directory.
using ModelFileResolver = std::function<StatusOr<std::string>(const std::string& requested)>;

// A relative path is looked up beside the job file first, then from the working directory.
std::string PathBesideJobFile(const std::string& path, const std::string& job_file);

// The path to open for `path`, named at `node`: `resolver`'s answer when it is set (a refusal
// becomes the node's error), else PathBesideJobFile.
StatusOr<std::string> OpenableJobPath(const YamlValue& node, const std::string& path,
                                      const ModelFileResolver& resolver);

// "config.json" or ".../config.json": how a checkpoint is named through a resolver.
bool IsConfigJsonName(const std::string& path);

}  // namespace sizer

#endif  // SIZER_INPUT_JOB_FILE_PATH_H_
