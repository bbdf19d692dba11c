#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite: start | stop | url | status.
#
#   export MARSAD_TEST_PG_URL="$(bash scripts/pg_test_server.sh start)"
#   .venv/bin/pytest -q tests/contract
#   bash scripts/pg_test_server.sh stop
#
# Installs Debian's `postgresql` package when initdb is missing, keeps the cluster in a scratch folder
# (MARSAD_PG_DIR, default /tmp/marsad-pg), listens on 127.0.0.1 only (MARSAD_PG_PORT, default 54329)
# with its unix socket inside that folder, and trusts local connections: it is for tests, never for data.
# Idempotent: `start` on a running server just prints the URL again. Only the URL goes to stdout.
set -euo pipefail

DIR="${MARSAD_PG_DIR:-/tmp/marsad-pg}"
PORT="${MARSAD_PG_PORT:-54329}"
DB="${MARSAD_PG_DB:-marsad_test}"
DATA="$DIR/data"
LOG="$DIR/server.log"

log() { echo "pg_test_server: $*" >&2; }

find_bin() {
    local b
    for b in "$(command -v "$1" 2>/dev/null || true)" /usr/lib/postgresql/*/bin/"$1"; do
        if [[ -n "$b" && -x "$b" ]]; then
            echo "$b"
            return 0
        fi
    done
    return 1
}

install_pg() {
    find_bin initdb >/dev/null && return 0
    [[ $(id -u) -eq 0 ]] || { log "PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql"; exit 1; }
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

# initdb refuses to run as root: as root, run the server tools as the `postgres` user the package creates.
RUN_AS=()
as_owner() { "${RUN_AS[@]}" "$@"; }
setup_user() {
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || { log "no 'postgres' OS user; reinstall the postgresql package"; exit 1; }
        RUN_AS=(runuser -u postgres --)
        DBUSER=postgres
    else
        DBUSER="$(id -un)"
    fi
}

url() { echo "postgresql://$DBUSER@127.0.0.1:$PORT/$DB"; }

running() { [[ -f "$DATA/postmaster.pid" ]] && as_owner "$PG_CTL" -D "$DATA" status >/dev/null 2>&1; }

start() {
    install_pg
    setup_user
    INITDB="$(find_bin initdb)"
    PG_CTL="$(find_bin pg_ctl)"
    PSQL="$(find_bin psql)"
    if ! running; then
        mkdir -p "$DIR"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$DIR"
        if [[ ! -f "$DATA/PG_VERSION" ]]; then
            as_owner "$INITDB" -D "$DATA" -U "$DBUSER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
                { cat "$DIR/initdb.log" >&2; exit 1; }
        fi
        # fsync off: a crash only loses a test cluster, and tests run several times faster.
        as_owner "$PG_CTL" -D "$DATA" -l "$LOG" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 ||
            { tail -20 "$LOG" >&2; exit 1; }
    fi
    if [[ "$(as_owner "$PSQL" -h "$DIR" -p "$PORT" -U "$DBUSER" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
        as_owner "$PSQL" -h "$DIR" -p "$PORT" -U "$DBUSER" -d postgres -qc "CREATE DATABASE $DB" >&2
    fi
    url
}

stop() {
    setup_user
    PG_CTL="$(find_bin pg_ctl)" || { log "PostgreSQL is not installed"; return 0; }
    if running; then
        as_owner "$PG_CTL" -D "$DATA" -w -m fast stop >&2
    else
        log "not running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) setup_user && url ;;
    status) setup_user && PG_CTL="$(find_bin pg_ctl)" && if running; then log "running: $(url)"; else log "stopped"; exit 3; fi ;;
    *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
