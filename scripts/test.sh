#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL that it starts in a temporary folder and removes after.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=$(mktemp -d /tmp/recouvrement-pg.XXXXXX)
pg_port=${RECOUVREMENT_TEST_PG_PORT:-25432}
cleanup() { bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

export RECOUVREMENT_TEST_PG
RECOUVREMENT_TEST_PG=$(bash scripts/postgres.sh start "$pg_dir" "$pg_port")
echo "PostgreSQL for tests: 127.0.0.1:$pg_port"

dotnet build Recouvrement.sln -c Release --nologo -v quiet
results=$(mktemp -d /tmp/recouvrement-results.XXXXXX)
status=0
dotnet test tests/Recouvrement.Tests -c Release --no-build --nologo \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

# One plain closing line, whatever the runner printed.
if [ -f "$results/tests.trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$results/tests.trx" | head -1 | grep -o '[0-9]*')
  failed=$(grep -o 'failed="[0-9]*"' "$results/tests.trx" | head -1 | grep -o '[0-9]*')
  echo "tests: ${passed:-0} passed, ${failed:-0} failed"
fi
rm -rf "$results"
exit $status
