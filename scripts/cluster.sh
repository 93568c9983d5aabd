#!/usr/bin/env bash
# A local cluster: PostgreSQL, three silos and one API process, each on its own ports.
#
#   scripts/cluster.sh start [DIR]   build (Release), start everything, print the addresses and keys
#   scripts/cluster.sh stop [DIR]    stop the processes gracefully (SIGTERM: silos drain), then PostgreSQL
#   scripts/cluster.sh kill N [DIR]  kill -9 silo N (1-3), to watch the others take over
#   scripts/cluster.sh restart N [DIR]  start silo N again; the cluster rebalances onto it
#
# DIR (default .cluster) holds PostgreSQL's data, the logs, the pids and the outbox.
# Ports: API 5080, silos' HTTP 5081-5083, silo-to-silo 11111-11113, gateways 30001-30003, PostgreSQL 25433.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PG_PORT=25433
command=${1:-}
case "$command" in
    kill|restart) index=${2:?silo number}; dir=${3:-.cluster} ;;
    *) dir=${2:-.cluster} ;;
esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
readonly OUT=silo/bin/Release/net10.0
readonly API_OUT=client-api/bin/Release/net10.0

settings() {
    export ConnectionStrings__Recouvrement
    ConnectionStrings__Recouvrement=$(cat "$dir/connection")
    export Recouvrement__PaymentLinks__SigningKey
    Recouvrement__PaymentLinks__SigningKey=$(cat "$dir/signing-key")
    export Recouvrement__PaymentLinks__BaseUrl=http://localhost:5080
    export Recouvrement__Outbox__Path="$dir/outbox"
    # A local cluster runs on the outbox folder and the sandbox checkout, on purpose.
    export Recouvrement__Channels__Outbox=true Recouvrement__Payments__Sandbox=true
    export Recouvrement__Channels__Letters__Path="$dir/outbox/letters"
    export Recouvrement__OperatorKey
    Recouvrement__OperatorKey=$(cat "$dir/operator-key")
}

start_silo() {
    local n=$1
    settings
    Recouvrement__Cluster__SiloPort=$((11110 + n)) Recouvrement__Cluster__GatewayPort=$((30000 + n)) \
        nohup dotnet "$OUT/Recouvrement.Silo.dll" --urls "http://127.0.0.1:$((5080 + n))" >"$dir/silo$n.log" 2>&1 &
    echo $! >"$dir/silo$n.pid"
}

wait_ready() {
    local url=$1
    for _ in $(seq 1 120); do
        if curl -fs "$url" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo "cluster.sh: $url did not become ready; see $dir/*.log" >&2
    return 1
}

case "$command" in
    start)
        dotnet build Recouvrement.sln -c Release -v quiet -nologo >/dev/null
        scripts/postgres.sh start "$dir/pg" "$PG_PORT" >"$dir/connection"
        [[ -f "$dir/signing-key" ]] || head -c 32 /dev/urandom | base64 >"$dir/signing-key"
        [[ -f "$dir/operator-key" ]] || echo "op_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/operator-key"
        for n in 1 2 3; do start_silo "$n"; wait_ready "http://127.0.0.1:$((5080 + n))/health/ready"; done
        settings
        nohup dotnet "$API_OUT/Recouvrement.ClientApi.dll" --urls http://127.0.0.1:5080 >"$dir/api.log" 2>&1 &
        echo $! >"$dir/api.pid"
        wait_ready http://127.0.0.1:5080/openapi/v1.json
        echo "API:        http://127.0.0.1:5080 (operator key in $dir/operator-key)"
        echo "silos:      http://127.0.0.1:5081-5083 (/dashboard, /metrics, /health/ready)"
        echo "PostgreSQL: $(cat "$dir/connection")"
        ;;
    stop)
        for pidfile in "$dir"/api.pid "$dir"/silo*.pid; do
            [[ -f "$pidfile" ]] || continue
            kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
        done
        for pidfile in "$dir"/api.pid "$dir"/silo*.pid; do
            [[ -f "$pidfile" ]] || continue
            while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.5; done
            rm -f "$pidfile"
        done
        scripts/postgres.sh stop "$dir/pg" || true
        ;;
    kill)
        kill -9 "$(cat "$dir/silo$index.pid")"
        rm -f "$dir/silo$index.pid"
        ;;
    restart)
        start_silo "$index"
        wait_ready "http://127.0.0.1:$((5080 + index))/health/ready"
        ;;
    *)
        sed -n '2,11p' "$0" >&2
        exit 2
        ;;
esac
