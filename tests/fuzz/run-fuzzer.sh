#!/bin/sh
# run-fuzzer.sh FUZZER CORPUS [DICT]: one libFuzzer target for a bounded time
#
# What `meson test --suite fuzz` runs (docs/fuzzing.md). The corpus of the
# repository is read, never written: new inputs go to a temporary
# directory, deleted afterwards. A crash, a leak, an input slower than
# TD_FUZZ_TIMEOUT seconds or memory past TD_FUZZ_RSS_MB fails the test,
# and the input that did it is kept in TD_FUZZ_ARTIFACTS (the build
# directory's tests/fuzz/artifacts/) for reproducing:
#   build-asan/tests/fuzz/fuzz-NAME build-asan/tests/fuzz/artifacts/crash-…
set -eu
# Absolute: it runs from the temporary directory (meson passes it relative).
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
dict=${3:-}
seconds=${TD_FUZZ_SECONDS:-20}
artifacts=${TD_FUZZ_ARTIFACTS:-$(dirname "$fuzzer")/artifacts}

mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/td-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

set -- -max_total_time="$seconds" -timeout="${TD_FUZZ_TIMEOUT:-10}" -rss_limit_mb="${TD_FUZZ_RSS_MB:-2048}" \
  -artifact_prefix="$artifacts/$(basename "$fuzzer")-" -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1
[ -n "$dict" ] && set -- "$@" -dict="$dict"
cd "$work"
status=0
"$fuzzer" "$@" "$work" "$corpus" || status=$?
if [ "$status" -ne 0 ]; then
  echo "$(basename "$fuzzer") failed (exit $status). Reproduce with:" >&2
  echo "  $fuzzer $artifacts/$(basename "$fuzzer")-<crash|leak|timeout|oom>-…" >&2
fi
exit "$status"
