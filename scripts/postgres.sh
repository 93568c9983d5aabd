#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests and load runs.
#
#   scripts/postgres.sh start DIR PORT   create (if needed) and start a cluster in DIR,
#                                        listening on 127.0.0.1:PORT and on a unix socket
#                                        in DIR; prints the Npgsql connection string
#   scripts/postgres.sh stop DIR         stop it (fast mode) and delete DIR
#   scripts/postgres.sh halt DIR         stop it (fast mode) and keep DIR: "start DIR PORT" brings it back
#
# Uses the highest /usr/lib/postgresql/<version>/bin; installing PostgreSQL is done
# elsewhere. Run as root, the server runs as the "postgres" user. Authentication is
# "trust" (local connections only). fsync stays on: durable writes are what we measure.
# Prints nothing but errors, except the connection string after a successful start.
set -euo pipefail

readonly DB_NAME=recouvrement
readonly DB_USER=recouvrement
readonly DB_PASSWORD=recouvrement
readonly MARKER=.recouvrement-postgres

die() { echo "postgres.sh: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 start DIR PORT | $0 stop DIR | $0 halt DIR" >&2
    exit 2
}

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$dir" || ! -x "$dir/initdb" || ! -x "$dir/pg_ctl" || ! -x "$dir/psql" ]]; then
        die "no PostgreSQL server binaries found in /usr/lib/postgresql/*/bin (install PostgreSQL first)"
    fi
    echo "$dir"
}

# Runs a command as the server's owner: "postgres" when we are root, ourselves otherwise.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

absolute() { (cd "$1" && pwd -P); }

start() {
    local dir=$1 port=$2
    [[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "invalid port: $port"

    local bin
    bin=$(find_bindir)

    if [[ -e "$dir" && ! -f "$dir/$MARKER" ]] && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
        die "$dir exists, is not empty and was not created by this script"
    fi
    mkdir -p "$dir"
    dir=$(absolute "$dir")
    touch "$dir/$MARKER"

    if [[ $EUID -eq 0 ]]; then
        id -u postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
        chown -R postgres: "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "user 'postgres' cannot write to $dir (check the permissions of its parent folders)"
    fi

    local data="$dir/data" log="$dir/postgres.log"

    if [[ ! -f "$data/PG_VERSION" ]]; then
        as_owner "$bin/initdb" --pgdata="$data" --username=postgres --auth=trust \
            --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

        # Later settings in postgresql.conf win, so appending is enough.
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# ---- added by scripts/postgres.sh (test cluster) ----
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
work_mem = 8MB
maintenance_work_mem = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_cache_size = 1GB
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_min_messages = warning
log_min_error_statement = error
EOF
    else
        # Re-using an existing cluster: make sure it listens where we were asked to.
        as_owner sed -i -e "s/^port = .*/port = $port/" "$data/postgresql.conf"
    fi

    if ! as_owner "$bin/pg_ctl" --pgdata="$data" status >/dev/null 2>&1; then
        # Ports in the ephemeral range (32768-60999 on Linux) can be held for ~60 s by
        # the TIME_WAIT of an earlier client connection; that is the only failure we wait
        # out (while nothing is actually listening on the port).
        local attempt=0
        until as_owner "$bin/pg_ctl" --pgdata="$data" --log="$log" --wait --timeout=60 --silent start \
                >/dev/null 2>"$dir/pg_ctl.err"; do
            attempt=$((attempt + 1))
            if (( attempt < 14 )) && tail -n 5 "$log" 2>/dev/null | grep -q "Address already in use" \
                && command -v ss >/dev/null && [[ -z "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]; then
                sleep 5
                continue
            fi
            cat "$dir/pg_ctl.err" >&2
            tail -n 20 "$log" >&2 2>/dev/null || true
            die "the server did not start (log: $log)"
        done
    fi

    as_owner "$bin/psql" --no-psqlrc --quiet --host="$dir" --port="$port" --username=postgres \
        --dbname=postgres --set=ON_ERROR_STOP=1 >/dev/null <<EOF
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$DB_USER', '$DB_PASSWORD')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB_NAME', '$DB_USER')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')
\gexec
EOF

    echo "Host=127.0.0.1;Port=$port;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASSWORD"
}

halt() {
    local dir=$1
    [[ -e "$dir" ]] || return 0
    [[ -f "$dir/$MARKER" ]] || die "$dir was not created by this script; not touching it"
    dir=$(absolute "$dir")

    if [[ -f "$dir/data/PG_VERSION" ]]; then
        local bin
        bin=$(find_bindir)
        if as_owner "$bin/pg_ctl" --pgdata="$dir/data" status >/dev/null 2>&1; then
            as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 --silent stop >/dev/null \
                || die "could not stop the server in $dir/data"
        fi
    fi
}

stop() {
    local dir=$1
    [[ -e "$dir" ]] || return 0
    halt "$dir"
    rm -rf -- "$(absolute "$dir")"
}

case "${1:-}" in
    start) [[ $# -eq 3 ]] || usage; start "$2" "$3" ;;
    stop)  [[ $# -eq 2 ]] || usage; stop "$2" ;;
    halt)  [[ $# -eq 2 ]] || usage; halt "$2" ;;
    *)     usage ;;
esac
