#!/usr/bin/env bash
# Runs a load-test scenario against a silo on a throwaway PostgreSQL, both started here and removed after.
#   scripts/loadtest.sh ingest [--cases N] [--batch N] [--concurrency N] [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/loadtest.sh ingest [options]}; shift

pg_dir=$(mktemp -d /tmp/recouvrement-loadpg.XXXXXX)
port=${RECOUVREMENT_LOAD_PG_PORT:-25433}
http_port=${RECOUVREMENT_LOAD_HTTP_PORT:-5090}
key="rk_loadtest_$(date +%s)"
silo_pid=
cleanup() {
  [ -n "$silo_pid" ] && kill "$silo_pid" 2>/dev/null && wait "$silo_pid" 2>/dev/null || true
  bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

cs=$(bash scripts/postgres.sh start "$pg_dir" "$port")
dotnet build silo -c Release --nologo -v quiet
dotnet build loadtests -c Release --nologo -v quiet
ConnectionStrings__Recouvrement="$cs" Recouvrement__Demo__ApiKey="$key" Recouvrement__Outbox__Path="$pg_dir/outbox" \
  Logging__LogLevel__Default=Warning dotnet silo/bin/Release/net10.0/Recouvrement.Silo.dll --urls "http://127.0.0.1:$http_port" \
  > "$pg_dir/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$http_port/openapi/v1.json" && break
  sleep 0.5
done
dotnet loadtests/bin/Release/net10.0/Recouvrement.LoadTests.dll "$scenario" --url "http://127.0.0.1:$http_port" --key "$key" --pg "$cs" "$@"
