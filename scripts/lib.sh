# shellcheck shell=bash
# Shared helpers of scripts/run.sh and scripts/test.sh: find Odoo 18, start a
# project-local PostgreSQL on loopback, start the eBay and Amazon emulators
# and moto (SQS).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
ADDON_NAME="marketplace_connector"
PG_BIN=""

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Odoo 18 must be importable: installed in this python, or a source tree
# named by ODOO_PATH (a checkout of odoo/odoo at branch 18.0).
find_odoo() {
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo/__init__.py" ] \
            || die "ODOO_PATH=$ODOO_PATH does not hold an Odoo source tree (no odoo/__init__.py)."
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    fi
    local out
    if ! out=$("$PYTHON" -c 'import odoo.release as r, os, odoo; print(r.version_info[0], os.path.dirname(os.path.dirname(odoo.__file__)))' 2>&1); then
        cat >&2 <<MSG
ERROR: Odoo 18 cannot be imported by $PYTHON.
$out
Provide Odoo 18.0 in one of these ways, then run this command again:
  * install it into this python (pip install -e /path/to/odoo-18.0, or a .pth
    file in site-packages pointing at the source tree), or
  * export ODOO_PATH=/path/to/odoo-18.0 (a checkout of github.com/odoo/odoo,
    branch 18.0) and install its requirements.txt.
MSG
        exit 3
    fi
    local major=${out%% *}
    ODOO_ROOT=${out#* }
    [ "$major" = "18" ] || die "Odoo $major found at $ODOO_ROOT; this addon needs Odoo 18."
    ODOO_ADDONS="$ODOO_ROOT/addons"
    [ -d "$ODOO_ADDONS/sale_stock" ] || die "No Odoo addons found at $ODOO_ADDONS."
    say "Odoo 18 found at $ODOO_ROOT"
}

pip_install() {
    "$PYTHON" -m pip install --disable-pip-version-check -q "$@"
}

# The project's Python requirements (queue_job without its 'odoo' dependency:
# Odoo itself is not a PyPI package).
ensure_python_deps() {
    local with_tests=${1:-}
    "$PYTHON" -c 'import cryptography, requests' 2>/dev/null \
        || pip_install requests cryptography
    if ! "$PYTHON" -m pip show -q odoo-addon-queue_job >/dev/null 2>&1; then
        say "Installing OCA queue_job (18.0)"
        pip_install --no-deps "odoo-addon-queue_job==18.0.3.1.2"
    fi
    if [ -n "$with_tests" ]; then
        "$PYTHON" -c 'import pytest_odoo, websocket, jsonschema' 2>/dev/null \
            || pip_install -r "$REPO_DIR/test-requirements.txt"
    fi
}

# Debian packages (installed when missing and we are root).
ensure_deb() {
    local cmd=$1 pkg=$2
    command -v "$cmd" >/dev/null 2>&1 && return 0
    [ -x "/usr/lib/postgresql/15/bin/$cmd" ] && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        say "Installing Debian package $pkg"
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
    else
        die "$cmd is missing: install the Debian package $pkg."
    fi
}

free_port() {
    "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Start (or reuse) a PostgreSQL cluster in $1 listening on 127.0.0.1:$2.
# A role 'odoo' (Odoo refuses to run as 'postgres') may create databases.
start_postgres() {
    local dir=$1 port=$2
    ensure_deb pg_ctl postgresql
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql."
    local run_as=()
    if [ "$(id -u)" = "0" ]; then
        run_as=(runuser -u postgres --)
        mkdir -p "$dir"
        chown postgres "$dir"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        "${run_as[@]}" "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    PG_DIR=$dir
    PG_RUN_AS=("${run_as[@]}")
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
        || "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc \
            "CREATE ROLE odoo LOGIN CREATEDB" >/dev/null
    say "PostgreSQL on 127.0.0.1:$port ($dir)"
}

stop_postgres() {
    if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/postmaster.pid" ]; then
        "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

# Contracts live beside the repo (../shared/ebay-contracts) unless told.
find_contracts() {
    if [ -z "${EBAY_CONTRACTS_DIR:-}" ]; then
        local candidate
        for candidate in "$REPO_DIR/../shared/ebay-contracts" "$REPO_DIR/shared/ebay-contracts"; do
            if [ -d "$candidate" ]; then
                EBAY_CONTRACTS_DIR=$(cd "$candidate" && pwd)
                break
            fi
        done
    fi
    export EBAY_CONTRACTS_DIR="${EBAY_CONTRACTS_DIR:-}"
}

# Wait until the service $1 started as process $4 answers on
# http://127.0.0.1:$2$3 (tries of 0.2 s: $6); its log $5 is shown if it dies.
wait_for_service() {
    local name=$1 port=$2 path=$3 pid=$4 log=$5 tries=$6 i
    for i in $(seq 1 "$tries"); do
        if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port$path', timeout=1)" 2>/dev/null; then
            say "$name on http://127.0.0.1:$port"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$name did not start."; }
        sleep 0.2
    done
    die "$name did not answer on port $port."
}

# Start the emulator on 127.0.0.1:$1 (extra CLI arguments follow); log to $2.
# It checks every request and answer against eBay's contracts, so they must
# be found; EBAY_EMULATOR_NO_CONTRACTS=1 runs it unchecked, and says so.
start_emulator() {
    local port=$1 log=$2
    shift 2
    find_contracts
    local contracts=()
    if [ -n "$EBAY_CONTRACTS_DIR" ]; then
        contracts=(--contracts "$EBAY_CONTRACTS_DIR")
    elif [ "${EBAY_EMULATOR_NO_CONTRACTS:-}" = "1" ]; then
        say "WARNING: the eBay emulator runs WITHOUT eBay's contracts: nothing it receives or answers is checked."
        contracts=(--no-contracts)
    else
        die "eBay's contracts were not found beside the repository \
(../shared/ebay-contracts): the emulator checks every request and answer \
against them. Set EBAY_CONTRACTS_DIR to their folder (or, knowingly, \
EBAY_EMULATOR_NO_CONTRACTS=1 to run it unchecked)."
    fi
    (cd "$REPO_DIR" && exec "$PYTHON" -m emulator --host 127.0.0.1 --port "$port" \
        "${contracts[@]}" "$@" >"$log" 2>&1) &
    EMULATOR_PID=$!
    wait_for_service "eBay emulator" "$port" /_emulator/health "$EMULATOR_PID" "$log" 100
}

# Amazon's models live beside the repo (../shared/amazon-models) unless told.
find_amazon_models() {
    if [ -z "${AMAZON_MODELS_DIR:-}" ]; then
        local candidate
        for candidate in "$REPO_DIR/../shared/amazon-models" "$REPO_DIR/shared/amazon-models"; do
            if [ -d "$candidate/models" ]; then
                AMAZON_MODELS_DIR=$(cd "$candidate" && pwd)
                break
            fi
        done
    fi
    export AMAZON_MODELS_DIR="${AMAZON_MODELS_DIR:-}"
}

# Start the Amazon emulator on 127.0.0.1:$1 (extra CLI arguments follow,
# e.g. --app-file F); log to $2.  It checks every request and answer against
# Amazon's models, so they must be found; AMAZON_EMULATOR_NO_CONTRACTS=1 runs
# it unchecked, and says so.
start_amazon_emulator() {
    local port=$1 log=$2
    shift 2
    find_amazon_models
    local models=()
    if [ -n "$AMAZON_MODELS_DIR" ]; then
        models=(--models "$AMAZON_MODELS_DIR")
    elif [ "${AMAZON_EMULATOR_NO_CONTRACTS:-}" = "1" ]; then
        say "WARNING: the Amazon emulator runs WITHOUT Amazon's models: nothing it receives or answers is checked."
        models=(--no-contracts)
    else
        die "Amazon's models were not found beside the repository \
(../shared/amazon-models): the Amazon emulator checks every request and \
answer against them. Set AMAZON_MODELS_DIR to their folder (or, knowingly, \
AMAZON_EMULATOR_NO_CONTRACTS=1 to run it unchecked)."
    fi
    (cd "$REPO_DIR" && exec "$PYTHON" -m emulator.amazon --host 127.0.0.1 --port "$port" \
        "${models[@]}" "$@" >"$log" 2>&1) &
    AMAZON_EMULATOR_PID=$!
    wait_for_service "Amazon emulator" "$port" /_emulator/health "$AMAZON_EMULATOR_PID" "$log" 100
}

# Start moto's server mode (a local AWS: SQS for Amazon's notifications) on
# 127.0.0.1:$1; log to $2.  Stopped by the scripts' cleanup (MOTO_PID).
start_moto() {
    local port=$1 log=$2
    "$PYTHON" -c 'import moto.server, boto3' 2>/dev/null \
        || die "moto's server and boto3 are missing: pip install 'moto[server]' boto3."
    (exec "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1) &
    MOTO_PID=$!
    wait_for_service "moto (SQS)" "$port" /moto-api/ "$MOTO_PID" "$log" 150
}

stop_moto() {
    [ -n "${MOTO_PID:-}" ] && kill "$MOTO_PID" 2>/dev/null || true
}

# Odoo wants the addon in a folder named after it: link the repo there.
link_addon() {
    local addons_dir=$1
    mkdir -p "$addons_dir"
    ln -sfn "$REPO_DIR" "$addons_dir/$ADDON_NAME"
}

new_vault_key() {
    "$PYTHON" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
}
