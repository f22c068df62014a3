#!/usr/bin/env bash
# A local PostgreSQL for Storyline's tests and users, from Debian's packages.
#   scripts/postgres.sh start   initdb if needed, start on 127.0.0.1, create `storyline`, print its URL
#   scripts/postgres.sh url     print the URL of the running server (exit 1 when it is not running)
#   scripts/postgres.sh stop    stop the server (the data stays for the next start)
# Settings: STORYLINE_PG_DIR (default /tmp/storyline-pg), STORYLINE_PG_PORT (default: first free
# port from 55432, chosen once at initdb), STORYLINE_PG_INSTALL=0 forbids `apt-get install`.
# The server runs as the `postgres` OS user when called as root (initdb refuses root).
set -euo pipefail

DIR=${STORYLINE_PG_DIR:-/tmp/storyline-pg}
DATA=$DIR/data
SUPERUSER=storyline
DATABASE=storyline

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local bin
    bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -z $bin && ${STORYLINE_PG_INSTALL:-1} != 0 && $(id -u) == 0 ]]; then
        say "installing Debian's postgresql"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
            { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
        bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin | sort -V | tail -n 1)
    fi
    [[ -n $bin ]] || { say "no PostgreSQL binaries under /usr/lib/postgresql"; exit 1; }
    echo "$bin"
}

# Runs a server command as the data directory's owner: `postgres` for root, else the caller.
as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
    if [[ -n ${STORYLINE_PG_PORT:-} ]]; then
        echo "$STORYLINE_PG_PORT"
        return
    fi
    local port=55432
    until port_free "$port"; do port=$((port + 1)); done
    echo "$port"
}

running() { [[ -f $DATA/PG_VERSION ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

url() { echo "postgresql://$SUPERUSER:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/$DATABASE"; }

init() {
    if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin postgres
    fi
    mkdir -p "$DIR"
    # A fresh password per data directory, readable by its owner (and root) only.
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$DIR/password"
    pick_port >"$DIR/port"
    chmod 700 "$DIR"
    chmod 600 "$DIR/password"
    if [[ $(id -u) == 0 ]]; then chown -R postgres: "$DIR"; fi
    # The socket sits in the 0700 data folder, so trusting it admits only its owner.
    as_owner "$BIN/initdb" -D "$DATA" -U "$SUPERUSER" --pwfile="$DIR/password" -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$DIR/initdb.log" 2>&1 ||
        { cat "$DIR/initdb.log" >&2; exit 1; }
}

start() {
    [[ -f $DATA/PG_VERSION ]] || init
    if ! running; then
        # 9>&-: the server must not inherit (and so hold forever) the starters' lock.
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $(cat "$DIR/port") -k $DIR" start >&2 9>&- ||
            { tail -n 20 "$DIR/server.log" >&2; exit 1; }
    fi
    local psql=("$BIN/psql" -h "$DIR" -p "$(cat "$DIR/port")" -U "$SUPERUSER" -d postgres -qtA)
    if [[ -z $(as_owner "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") ]]; then
        as_owner "${psql[@]}" -c "CREATE DATABASE $DATABASE" >/dev/null
    fi
    url
}

case ${1:-} in
start)
    BIN=$(find_bin)
    # One starter at a time: parallel test runs may all ask for the server at once.
    mkdir -p "$(dirname "$DIR")"
    exec 9>"$DIR.lock"
    flock 9
    start
    ;;
url)
    BIN=$(STORYLINE_PG_INSTALL=0 find_bin)
    running || { say "not running (scripts/postgres.sh start)"; exit 1; }
    url
    ;;
stop)
    BIN=$(STORYLINE_PG_INSTALL=0 find_bin)
    if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2; fi
    ;;
*)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
