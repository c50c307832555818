#!/usr/bin/env bash
# Create a PostgreSQL database and user for `numnet tune` workers on many machines.
#
# Run it on the machine that hosts the database (Debian/Ubuntu's `postgresql` package):
#
#   sudo apt-get install postgresql        # the server, once
#   sudo pg_ctlcluster 15 main start       # or: sudo service postgresql start
#   sudo benchmarks/postgres_setup.sh [DATABASE [USER [PASSWORD]]]
#
# It prints the storage URL to give every worker, e.g.
#   numnet tune --storage postgresql://numnet:numnet@localhost:5432/numnet_tune --study-name s
# Running it again changes nothing (and keeps the password first set).
#
# Workers on other machines also need the server to listen on the network and let them
# in: in /etc/postgresql/15/main/postgresql.conf set listen_addresses = '*', add to
# pg_hba.conf a line such as `host numnet_tune numnet 10.0.0.0/8 scram-sha-256`, restart,
# and replace localhost in the URL with this machine's address.
set -euo pipefail

database="${1:-numnet_tune}"
user="${2:-numnet}"
password="${3:-numnet}"
port="${PGPORT:-5432}"

# psql as the postgres superuser: directly when we are root, else through sudo.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! as_postgres pg_isready -q -p "$port"; then
    echo "postgres_setup.sh: no PostgreSQL server answers on port $port;" \
        "start it first (sudo pg_ctlcluster 15 main start, or sudo service postgresql start)" >&2
    exit 1
fi

# Names and password travel as psql variables (:'x' quotes a literal, :"x" an identifier),
# so no value is ever pasted into the SQL text; \gexec runs each generated statement.
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q \
    -v db="$database" -v user="$user" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

echo "postgresql://$user:$password@localhost:$port/$database"
