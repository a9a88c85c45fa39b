#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for the tests, on 127.0.0.1.
#
#   .ci/postgres.sh start DIR [PORT]   initdb into DIR (if new), start on 127.0.0.1:PORT,
#                                      create role + databases, print `export …` lines
#   .ci/postgres.sh stop DIR           stop the cluster in DIR
#
# Uses the Debian packages (apt-get install postgresql) but not the system cluster: the data
# directory, the socket and the log stay in DIR, so nothing clashes with a cluster that already
# runs on the machine, and nothing needs systemd. As root the server runs as the `postgres`
# user (initdb refuses root); as any other user it runs as that user. Durability is switched
# off (fsync, synchronous_commit) – this cluster only ever holds test data.
#
# Printed URLs (role foerderflow, password foerderflow):
#   FOERDERFLOW_TEST_DATABASE_URL   postgresql+psycopg://…/foerderflow_test  (the test suite)
#   FOERDERFLOW_TEST_PG_ADMIN_URL   postgresql+psycopg://…/postgres  (role may CREATE DATABASE;
#                                   the scale-out test creates its own databases with it)
set -euo pipefail

ROLE=foerderflow
PASSWORD=foerderflow
DATABASE=foerderflow_test

die() { echo "postgres.sh: $*" >&2; exit 1; }

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  die "PostgreSQL nicht gefunden (apt-get install postgresql)"
}

# Run a command as the cluster owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_start() {
  local dir=${1:?Verzeichnis fehlt} port=${2:-}
  local bin
  bin=$(pg_bindir)
  [ -n "$port" ] || port=$(free_port)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "Benutzer postgres fehlt (apt-get install postgresql)"
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb fehlgeschlagen"; }
  fi
  if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(cat "$dir/port")  # already running: reuse it
  else
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
       -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null || { tail -n 30 "$dir/server.log" >&2; die "PostgreSQL startet nicht"; }
    echo "$port" >"$dir/port"
  fi
  local psql=("$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  as_owner "${psql[@]}" >/dev/null <<SQL
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD ''$PASSWORD'''
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') \gexec
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL
  local base="postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$port"
  echo "export FOERDERFLOW_TEST_DATABASE_URL=$base/$DATABASE"
  echo "export FOERDERFLOW_TEST_PG_ADMIN_URL=$base/postgres"
}

cmd_stop() {
  local dir=${1:?Verzeichnis fehlt}
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_owner "$(pg_bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "Aufruf: $0 start DIR [PORT] | stop DIR" ;;
esac
