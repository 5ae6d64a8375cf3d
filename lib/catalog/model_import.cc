#include "catalog/model_import.h"

#include <cctype>
#include <filesystem>

#include "base/sha256.h"
#include "catalog/model_db_writer.h"
#include "catalog/model_from_gguf.h"
#include "catalog/model_from_hf.h"
#include "gguf/artifact.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;

bool EndsWithGguf(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".gguf";
}

StatusOr<ImportedModel> FromGguf(const std::string& path, const std::string& date) {
  SIZER_ASSIGN_OR_RETURN(gguf::Artifact artifact, gguf::Artifact::Open(path));
  StatusOr<ModelSpec> model = ModelFromGguf(artifact);
  if (!model.ok()) return model.status().WithContext(path);
  ImportedModel out;
  out.kind = "gguf";
  out.model = std::move(model).value();
  out.hashed_file = artifact.paths().front();
  SIZER_ASSIGN_OR_RETURN(out.sha256, Sha256File(out.hashed_file));
  const ArtifactSpec a = DescribeArtifact(artifact);
  out.model.source = "sizer db import of " + fs::path(path).filename().string() + " (GGUF, " +
                     a.file_type + ", " + std::to_string(a.file_bytes) + " bytes, sha256 " +
                     out.sha256 + ") on " + date;
  out.model.notes = "Imported from GGUF metadata and tensor infos; params_total counts the file's "
                    "tensor elements; artifact_weights are the file's tensor bytes.";
  out.model.artifact_weights = ArtifactWeights{a.file_type, static_cast<double>(a.tensor_data_bytes)};
  return out;
}

StatusOr<ImportedModel> FromHf(const std::string& path, const std::string& date) {
  SIZER_ASSIGN_OR_RETURN(HfCheckpoint hf, OpenHfCheckpoint(path));
  ImportedModel out;
  out.kind = "hf";
  out.model = hf.config.model;
  out.hashed_file = hf.config.path;
  SIZER_ASSIGN_OR_RETURN(out.sha256, Sha256File(out.hashed_file));
  const std::string folder = fs::path(hf.folder).lexically_normal().filename().string();
  std::string weights;
  if (hf.artifact) {
    double text_bytes = 0;  // the language model's tensors: a vision tower ("mm.") is not planned here
    for (const ArtifactTensor& t : hf.artifact->tensors) {
      if (t.name.rfind("mm.", 0) != 0) text_bytes += static_cast<double>(t.bytes);
    }
    out.model.artifact_weights = ArtifactWeights{hf.artifact->file_type, text_bytes};
    weights = ", " + std::to_string(hf.artifact->files.size()) + " safetensors shard(s), " +
              std::to_string(hf.artifact->tensor_data_bytes) + " tensor bytes, " +
              hf.quantization.format_id;
  }
  out.model.source = "sizer db import of " + (folder.empty() ? path : folder) + " (Hugging Face " +
                     hf.config.model_type + ", config.json sha256 " + out.sha256 + weights +
                     ") on " + date;
  out.model.notes = "Imported from config.json (transformers field names); params counted from "
                    "the dimensions. Weights: " + hf.quantization.description + ".";
  return out;
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-' || c == '.' || c == '_')) {
      return false;
    }
  }
  return id.front() != '.' && id.front() != '-';
}

}  // namespace

StatusOr<ImportedModel> ImportModelEntry(const std::string& path, const std::string& id,
                                         const Catalog& catalog, const std::string& date) {
  StatusOr<ImportedModel> imported = Status::InvalidArgument(
      path + ": not a .gguf file, a Hugging Face folder with config.json, or a config.json");
  if (EndsWithGguf(path)) {
    imported = FromGguf(path, date);
  } else if (IsHfCheckpointPath(path)) {
    imported = FromHf(path, date);
  }
  if (!imported.ok()) return imported.status();
  ModelSpec& m = imported->model;
  m.id = id.empty() ? ModelIdSlug(m.name) : id;
  if (!ValidId(m.id)) {
    return Status::InvalidArgument("--id '" + m.id + "': use lower-case letters, digits, '-', '.' "
                                   "and '_' (it names model_db/ID.yaml)");
  }
  if (catalog.FindModel(m.id).ok()) {
    return Status::InvalidArgument("--id '" + m.id + "' is already in the database (sizer db show " +
                                   m.id + "); choose another with --id");
  }
  imported->yaml = ModelDbEntryYaml(m);
  return imported;
}

}  // namespace sizer
