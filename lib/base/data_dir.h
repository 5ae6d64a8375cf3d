// Where the bundled databases and report templates live (model_db/, hardware_db/,
// runtime_db/, worksheets/, reports/templates/), and which rule found them.
#ifndef SIZER_BASE_DATA_DIR_H_
#define SIZER_BASE_DATA_DIR_H_

#include <string>

namespace sizer {

// The rules, in the order they are tried.
enum class DataDirRule {
  kFlag,         // --db DIR
  kEnvironment,  // $SIZER_DATA_DIR
  kExecutable,   // <prefix>/share/sizer for a binary in <prefix>/bin (an installed tree)
  kSourceTree,   // the source tree the build was configured from (a build-tree run)
};

// "--db", "$SIZER_DATA_DIR", "next to the executable", "source tree".
const char* DataDirRuleName(DataDirRule rule);

struct DataDir {
  std::string path;
  DataDirRule rule = DataDirRule::kSourceTree;
};

// Everything the resolver looks at, so that tests can set each input.
struct DataDirInputs {
  std::string flag;        // --db; empty when not given
  std::string env;         // $SIZER_DATA_DIR; empty when unset
  std::string executable;  // the running binary; empty when unknown
  std::string source_dir;  // the configured source tree
};

// The first rule that applies. --db and $SIZER_DATA_DIR are taken as given (a wrong path is
// reported by whoever reads it); <exe dir>/../share/sizer only when it holds a model_db/,
// so that a build tree falls through to its source tree. The source tree is the last resort
// and is returned even when it is gone.
DataDir ResolveDataDir(const DataDirInputs& inputs);

// The same for this process: $SIZER_DATA_DIR, /proc/self/exe and the compiled-in source tree.
DataDir ResolveDataDir(const std::string& flag);

// The running binary's path (/proc/self/exe); empty where that cannot be read.
std::string CurrentExecutablePath();

}  // namespace sizer

#endif  // SIZER_BASE_DATA_DIR_H_
