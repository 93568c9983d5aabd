#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL. Installs what the tests need from the system when it is
# missing, and gives the run a private temporary folder that it removes at the end, however the run ends: the tests
# leave nothing behind in /tmp. Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~SiloRestartTests).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need from the system: PostgreSQL's server binaries (scripts/postgres.sh), Debian's Chromium (the
# debtor-page browser tests; Playwright's own browser download does not work offline) and DejaVu Sans (letters; the
# tests read the accents back). Installed with apt-get when missing, as root; otherwise one line says what to install.
# To try this step without changing the machine: RECOUVREMENT_SETUP_DRY_RUN=1 says what it would do and stops, and
# RECOUVREMENT_SETUP_INITDB, RECOUVREMENT_SETUP_CHROMIUM and RECOUVREMENT_SETUP_FONT point the checks elsewhere.
initdb=${RECOUVREMENT_SETUP_INITDB:-/usr/lib/postgresql/*/bin/initdb}
chromium=${RECOUVREMENT_SETUP_CHROMIUM:-/usr/bin/chromium}
font=${RECOUVREMENT_SETUP_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}
dry_run=${RECOUVREMENT_SETUP_DRY_RUN:-}

missing_packages() {
  compgen -G "$initdb" >/dev/null || echo postgresql
  [ -x "$chromium" ] || echo chromium
  [ -f "$font" ] || echo fonts-dejavu-core
}

mapfile -t missing < <(missing_packages)
if (( ${#missing[@]} > 0 )); then
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: the tests need ${missing[*]}: install them (Debian: sudo apt-get install -y ${missing[*]}) and run this again" >&2
    exit 1
  fi
  echo "Installing what the tests need: ${missing[*]}"
  if [[ -n $dry_run ]]; then
    echo "dry run: apt-get update -qq; apt-get install -y -qq ${missing[*]}"
    exit 0
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  mapfile -t missing < <(missing_packages)
  if (( ${#missing[@]} > 0 )); then
    echo "test.sh: still missing after apt-get install: ${missing[*]}" >&2
    exit 1
  fi
elif [[ -n $dry_run ]]; then
  echo "dry run: PostgreSQL, Chromium and DejaVu Sans are there, nothing to install"
  exit 0
fi

# One private folder for the run: the test PostgreSQL, the results, and the tests' TMPDIR (outboxes, logs, their own
# PostgreSQL servers, browser profiles, the runtime's diagnostic sockets). As root, PostgreSQL runs as the "postgres"
# user, which must be able to reach its folders below: 0711 lets it through without letting it list anything.
run_dir=$(mktemp -d /tmp/recouvrement-test.XXXXXX)
chmod 0711 "$run_dir"
mkdir -m 0711 "$run_dir/tmp" "$run_dir/results"
pg_dir=$run_dir/pg
pg_port=${RECOUVREMENT_TEST_PG_PORT:-25432}
status=0
cleanup() {
  # Servers a test could not stop (an interrupted run) are stopped too, before their folders go.
  for dir in "$pg_dir" "$run_dir"/tmp/recouvrement-pg-*; do
    [ -d "$dir" ] && bash scripts/postgres.sh stop "$dir" >/dev/null 2>&1 || true
  done
  if (( status != 0 )) && compgen -G "$run_dir/tmp/*.log" >/dev/null; then
    rm -rf artifacts/test-logs && mkdir -p artifacts/test-logs
    cp "$run_dir"/tmp/*.log artifacts/test-logs/
    echo "the processes' logs of this failed run are in artifacts/test-logs/"
  fi
  rm -rf -- "$run_dir"
}
trap cleanup EXIT
trap 'status=130; exit 130' INT
trap 'status=143; exit 143' TERM

export RECOUVREMENT_TEST_PG
RECOUVREMENT_TEST_PG=$(bash scripts/postgres.sh start "$pg_dir" "$pg_port")
echo "PostgreSQL for tests: 127.0.0.1:$pg_port"

# The SDK too leaves folders in the temporary folder, so the build runs in ours, without the compiler and MSBuild
# servers that would outlive the run (and its folder): on two cores they saved nothing measurable.
export TMPDIR=$run_dir/tmp MSBUILDDISABLENODEREUSE=1
dotnet build Recouvrement.sln -c Release --nologo -v quiet --disable-build-servers
# The fast unit project first (pure decisions and formats, seconds), then the engine at work (silos, PostgreSQL,
# processes, a browser). A filter that matches nothing in one of them is not a failure.
passed=0 failed=0
for project in UnitTests IntegrationTests; do
  dotnet test "tests/Recouvrement.$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$project.trx" --results-directory "$run_dir/results" "$@" || status=$?
  if [ -f "$run_dir/results/$project.trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$run_dir/results/$project.trx" | head -1)
    passed=$((passed + $(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*' || echo 0)))
    failed=$((failed + $(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*' || echo 0)))
  fi
done

# One plain closing line, whatever the runner printed.
echo "tests: $passed passed, $failed failed"
exit $status
