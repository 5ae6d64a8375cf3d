#!/usr/bin/env bash
# Lists functions in lib/ and cli/ longer than a limit (default 80 lines), longest first.
# A heuristic that fits this code base's Google style: a definition starts at column 0 with a
# line holding "(" (not a declaration ending in ";") and ends at the next line that is exactly "}".
# Usage: scripts/function_lengths.sh [LIMIT] [PATHS...]
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-80}"; shift || true
paths=("${@:-lib cli}")
# shellcheck disable=SC2068
find ${paths[@]} -name '*.cc' -print0 | xargs -0 awk -v limit="$limit" '
  FNR == 1 { start = 0 }
  start == 0 && /^[A-Za-z].*\(/ && !/[;}][[:space:]]*$/ && !/^(namespace|struct|class|enum|using|typedef|#)/ {
    start = FNR; name = $0; next
  }
  start > 0 && /^}[[:space:]]*$/ {
    n = FNR - start + 1
    if (n > limit) printf "%5d %s:%d %s\n", n, FILENAME, start, substr(name, 1, 90)
    start = 0
  }
  start > 0 && /^};/ { start = 0 }
' | sort -rn
