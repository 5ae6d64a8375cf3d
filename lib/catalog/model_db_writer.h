// A ModelSpec written as a model_db/*.yaml entry (the schema ParseModelSpec reads), for
// `sizer db import`.
#ifndef SIZER_CATALOG_MODEL_DB_WRITER_H_
#define SIZER_CATALOG_MODEL_DB_WRITER_H_

#include <string>

#include "catalog/model.h"

namespace sizer {

// "Llama 3.1 8B Instruct" -> "llama-3.1-8b-instruct": lower case, [a-z0-9.] kept, runs of
// anything else one '-'.
std::string ModelIdSlug(const std::string& name);

// The entry's YAML text: every field ParseModelSpec reads, params exact (integers), the
// attention/mla/moe mappings only when they say something.
std::string ModelDbEntryYaml(const ModelSpec& m);

}  // namespace sizer

#endif  // SIZER_CATALOG_MODEL_DB_WRITER_H_
