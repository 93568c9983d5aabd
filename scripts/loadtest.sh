#!/usr/bin/env bash
# Builds in Release and runs one load-test scenario; the program starts its own PostgreSQL and silo.
#   scripts/loadtest.sh ingest|due-burst|query-mix|scale [options]    (--help for each scenario's options)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build silo -c Release --nologo -v quiet
dotnet build loadtests -c Release --nologo -v quiet
exec dotnet run --project loadtests -c Release --no-build -- "$@"
