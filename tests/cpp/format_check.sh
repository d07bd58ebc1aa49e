#!/usr/bin/env bash
# Every C++ file under cpp/, tests/cpp/ and tests/fuzz/ is formatted as the project's .clang-format says:
# lists the files clang-format would change and fails, and fails when clang-format is missing
# (an unchecked tree must not pass).
#
#   format_check.sh [REPOSITORY]   (default: the repository this script is in)
set -euo pipefail

root=$(realpath "${1:-$(dirname "$0")/../..}")
cd "$root"

if ! command -v clang-format >/dev/null 2>&1; then
  echo "FAIL: clang-format is not installed, so the C++ formatting is unchecked" \
    "(apt-get install clang-format)" >&2
  exit 1
fi

unformatted=()
while IFS= read -r -d '' file; do
  clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
done < <(find cpp tests/cpp tests/fuzz -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)

if ((${#unformatted[@]})); then
  echo "FAIL: ${#unformatted[@]} C++ file(s) not formatted with .clang-format" \
    "(fix: clang-format -i FILE...):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "format check: every C++ file under cpp/, tests/cpp/ and tests/fuzz/ is formatted"
