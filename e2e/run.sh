#!/usr/bin/env bash
# End-to-end suites with real third-party peers. Each suite is a script in e2e/suites/, run in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
suites=(e2e/suites/*.sh)
passed=0 failed=0
for suite in "${suites[@]}"; do
  echo "=== e2e: ${suite}"
  if bash "$suite"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: ${suite}"; fi
done
echo "e2e: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
