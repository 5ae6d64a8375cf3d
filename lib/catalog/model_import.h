// `sizer db import`: a model_db entry from a GGUF file or a Hugging Face checkpoint, with its
// source (file, sha256, date), so a team can add its own models to its database.
#ifndef SIZER_CATALOG_MODEL_IMPORT_H_
#define SIZER_CATALOG_MODEL_IMPORT_H_

#include <string>

#include "base/status.h"
#include "catalog/catalog.h"
#include "catalog/model.h"

namespace sizer {

struct ImportedModel {
  ModelSpec model;
  std::string yaml;      // the entry, as model_db/ID.yaml holds it
  std::string kind;      // "gguf" or "hf"
  std::string sha256;    // of the GGUF file, or of config.json
  std::string hashed_file;
};

// Reads `path` (a .gguf file, an HF folder or its config.json) and builds the entry with id
// `id` (empty: a slug of the model's name). kInvalidArgument when the id is not a valid slug
// or clashes with an entry of `catalog`; the readers' errors otherwise. `date` is written
// into `source` ("2026-11-30").
StatusOr<ImportedModel> ImportModelEntry(const std::string& path, const std::string& id,
                                         const Catalog& catalog, const std::string& date);

}  // namespace sizer

#endif  // SIZER_CATALOG_MODEL_IMPORT_H_
