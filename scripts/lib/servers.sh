# Starts throwaway PostgreSQL 15 and MariaDB servers on 127.0.0.1 in a temporary directory.
# Source it, then: start_servers DIR; it exports SHOPCORE_TEST_PG_URL and SHOPCORE_TEST_MYSQL_URL.
# stop_servers stops both (call it from an EXIT trap).

SERVER_PACKAGES=(postgresql-15 postgresql-client-15 mariadb-server mariadb-client)

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA=""
MY_PID=""

start_postgres() {
    local dir="$1"
    local port
    port="$(free_port)"
    PG_DATA="$dir/pg"
    mkdir -p "$PG_DATA" "$dir/pgsock" "$dir/pglog"
    chown -R postgres:postgres "$PG_DATA" "$dir/pgsock" "$dir/pglog"
    chmod 755 "$dir"
    log "starting PostgreSQL 15 on 127.0.0.1:$port"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U shopcore --auth=trust \
        --locale=C -E UTF8 >"$dir/pg-initdb.log" 2>&1 || { cat "$dir/pg-initdb.log" >&2; return 1; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/pglog/pg.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pgsock -c max_connections=200 -c fsync=on" \
        start >/dev/null || { cat "$dir/pglog/pg.log" >&2; return 1; }
    psql -h 127.0.0.1 -p "$port" -U shopcore -d postgres -qc 'CREATE DATABASE shopcore_test' >/dev/null
    export SHOPCORE_TEST_PG_URL="postgresql://shopcore@127.0.0.1:$port/shopcore_test"
}

start_mariadb() {
    local dir="$1"
    local port
    port="$(free_port)"
    local data="$dir/my"
    local run="$dir/myrun"
    mkdir -p "$data" "$run"
    chown -R mysql:mysql "$data" "$run"
    log "starting MariaDB on 127.0.0.1:$port"
    mariadb-install-db --no-defaults --datadir="$data" --user=mysql \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/my-install.log" 2>&1 \
        || { cat "$dir/my-install.log" >&2; return 1; }
    mariadbd --no-defaults --datadir="$data" --user=mysql --bind-address=127.0.0.1 \
        --port="$port" --socket="$run/my.sock" --pid-file="$run/my.pid" \
        --max-connections=300 --innodb-buffer-pool-size=256M --log-error="$run/my.log" &
    MY_PID=$!
    local i
    for i in $(seq 1 120); do
        if mariadb --no-defaults --socket="$run/my.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
            break
        fi
        if ! kill -0 "$MY_PID" 2>/dev/null; then cat "$run/my.log" >&2; return 1; fi
        sleep 0.5
    done
    mariadb --no-defaults --socket="$run/my.sock" -uroot -e "
        CREATE DATABASE shopcore_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
        CREATE USER 'shopcore'@'127.0.0.1' IDENTIFIED BY 'shopcore';
        GRANT ALL ON shopcore_test.* TO 'shopcore'@'127.0.0.1';" || return 1
    export SHOPCORE_TEST_MYSQL_URL="mysql://shopcore:shopcore@127.0.0.1:$port/shopcore_test"
}

start_servers() {
    local dir="$1"
    start_postgres "$dir" || { log "PostgreSQL failed to start"; return 1; }
    start_mariadb "$dir" || { log "MariaDB failed to start"; return 1; }
}

stop_servers() {
    if [ -n "$PG_DATA" ] && [ -d "$PG_DATA" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$MY_PID" ]; then
        kill "$MY_PID" 2>/dev/null || true
        wait "$MY_PID" 2>/dev/null || true
    fi
}
