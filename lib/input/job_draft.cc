#include "input/job_draft.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sizer {
namespace {

std::string TrimText(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

StatusOr<std::vector<std::string>> SplitPath(std::string_view path, const std::string& origin) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    const bool ok = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
    if (!ok) {
      return Status::InvalidArgument(origin + ": '" + std::string(path) +
                                     "' is not a job key path such as gates.min_decode_tokens_per_s");
    }
    parts.push_back(std::move(part));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

JobDraft::Node* FindChild(std::vector<JobDraft::Node>& nodes, const std::string& key) {
  for (JobDraft::Node& n : nodes) {
    if (n.key == key) return &n;
  }
  return nullptr;
}

const JobDraft::Node* FindChild(const std::vector<JobDraft::Node>& nodes, std::string_view key) {
  for (const JobDraft::Node& n : nodes) {
    if (n.key == key) return &n;
  }
  return nullptr;
}

// A hand-written job's key order (input/job.cc ParseJobRoot); others follow in given order.
size_t KeyRank(const std::string& key) {
  static const char* kOrder[] = {
      "job", "description", "model", "quant", "kv_cache_dtype", "context_tokens", "concurrency",
      "runtime", "runtime_requires", "prompt_tokens", "output_tokens", "flash_attention",
      "quality", "sparsity", "candidates", "gates", "artifacts", "cost", "memory_overrides",
      "assumptions", "smoke_eval"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (key == kOrder[i]) return i;
  }
  return std::size(kOrder);
}

void EmitNodes(const std::vector<JobDraft::Node>& nodes, int indent, bool top, std::string& out) {
  std::vector<const JobDraft::Node*> order;
  for (const JobDraft::Node& n : nodes) order.push_back(&n);
  if (top) {
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return KeyRank(a->key) < KeyRank(b->key);
    });
  }
  for (const JobDraft::Node* n : order) {
    out += std::string(static_cast<size_t>(indent), ' ') + n->key + ":";
    if (n->value) {
      out += " " + *n->value + "\n";
    } else {
      out += "\n";
      EmitNodes(n->children, indent + 2, false, out);
    }
  }
}

}  // namespace

Status JobDraft::SetNode(std::string_view path, const std::string& value, const std::string& origin,
                         bool is_default) {
  SIZER_ASSIGN_OR_RETURN(std::vector<std::string> parts, SplitPath(path, origin));
  std::vector<Node>* level = &roots_;
  for (size_t i = 0; i < parts.size(); ++i) {
    Node* node = FindChild(*level, parts[i]);
    if (node == nullptr) {
      level->push_back(Node{parts[i], std::nullopt, origin, is_default, {}});
      node = &level->back();
    }
    const bool leaf = i + 1 == parts.size();
    if (!leaf) {
      if (node->value) {
        return Status::InvalidArgument(origin + " sets a key inside " + node->key + ", which " +
                                       node->origin + " set as a whole: give one");
      }
      level = &node->children;
      continue;
    }
    if (!node->children.empty()) {
      return Status::InvalidArgument(origin + " sets " + std::string(path) +
                                     " as a whole, but its keys were set apart: give one");
    }
    if (node->value && !node->is_default) {
      if (is_default) return Status();
      if (TrimText(*node->value) != TrimText(value)) {
        return Status::InvalidArgument(origin + " sets " + std::string(path) + " to '" + value +
                                       "' but " + node->origin + " set it to '" + *node->value +
                                       "': give one");
      }
      return Status();
    }
    node->value = value;
    node->origin = origin;
    node->is_default = is_default;
  }
  return Status();
}

Status JobDraft::Set(std::string_view path, const std::string& value, const std::string& origin) {
  return SetNode(path, value, origin, false);
}

Status JobDraft::SetDefault(std::string_view path, const std::string& value) {
  return SetNode(path, value, "the default", true);
}

Status JobDraft::SetFromFlag(std::string_view assignment) {
  const size_t eq = assignment.find('=');
  const std::string key = TrimText(assignment.substr(0, eq == std::string_view::npos ? 0 : eq));
  const std::string value =
      eq == std::string_view::npos ? "" : TrimText(assignment.substr(eq + 1));
  if (eq == std::string_view::npos || key.empty() || value.empty() ||
      value.find('\n') != std::string::npos) {
    return Status::InvalidArgument("--set: expected KEY=VALUE on one line, such as "
                                   "gates.min_decode_tokens_per_s=20, got '" +
                                   std::string(assignment) + "'");
  }
  return Set(key, value, "--set " + key);
}

std::optional<std::string> JobDraft::Value(std::string_view path) const {
  const std::vector<Node>* level = &roots_;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string_view part =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const Node* node = FindChild(*level, part);
    if (node == nullptr) return std::nullopt;
    if (dot == std::string_view::npos) return node->value;
    level = &node->children;
    start = dot + 1;
  }
}

std::optional<int64_t> JobDraft::IntValue(std::string_view path) const {
  std::optional<std::string> v = Value(path);
  if (!v) return std::nullopt;
  const std::string t = TrimText(*v);
  char* end = nullptr;
  const long long n = std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(n);
}

std::string JobDraft::Emit() const {
  std::string out =
      "# The job this question means (written by sizer fit/recommend --save); 'sizer plan' "
      "plans it.\n";
  EmitNodes(roots_, 0, true, out);
  return out;
}

std::string QuoteYaml(const std::string& text) {
  const bool plain =
      !text.empty() && (std::isalnum(static_cast<unsigned char>(text[0])) || text[0] == '/' ||
                        text[0] == '.' || text[0] == '_') &&
      std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == '/' || c == '+';
      });
  if (plain && text != "true" && text != "false" && text != "null" && text != "yes" &&
      text != "no") {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FormatShortest(double value) {
  char buffer[512];
  if (std::abs(value) < 1e15) {
    // Plain decimals ("100", "0.5"): a job reads better without exponents.
    for (int decimals = 0; decimals <= 12; ++decimals) {
      std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
      if (std::strtod(buffer, nullptr) == value) return buffer;
    }
  }
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace sizer
