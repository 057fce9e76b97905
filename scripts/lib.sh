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

# Where the set-up command gets Odoo 18 when none is installed (project-local,
# git-ignored): a shallow clone of ODOO_SOURCE_URL's ODOO_BRANCH and a
# virtual environment with Odoo's requirements.
ODOO_HOME="$REPO_DIR/.odoo"
ODOO_SOURCE_URL=${ODOO_SOURCE_URL:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=${ODOO_BRANCH:-18.0}
QUEUE_JOB_REQUIREMENT="odoo-addon-queue_job==18.0.3.1.2"

# Whether the python $1 imports Odoo 18.
odoo18_importable() {
    "$1" -c 'import sys, odoo.release as r; sys.exit(r.version_info[0] != 18)' 2>/dev/null
}

# Odoo 18 must be importable: installed in this python, a source tree named
# by ODOO_PATH (a checkout of odoo/odoo at branch 18.0), or the project-local
# one in .odoo/ (made by get_odoo).  With "offer" as $1 (the set-up command),
# a machine without any of them is offered get_odoo.
find_odoo() {
    local offer=${1:-}
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo/__init__.py" ] \
            || die "ODOO_PATH=$ODOO_PATH does not hold an Odoo source tree (no odoo/__init__.py)."
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    elif ! odoo18_importable "$PYTHON"; then
        if [ -f "$ODOO_HOME/venv/.complete" ] && odoo18_importable "$ODOO_HOME/venv/bin/python"; then
            PYTHON="$ODOO_HOME/venv/bin/python"
        elif [ "$offer" = "offer" ] && consent_to_get_odoo; then
            get_odoo
        fi
    fi
    local out
    if ! out=$("$PYTHON" -c 'import odoo.release as r, os, odoo; print(r.version_info[0], os.path.dirname(os.path.dirname(odoo.__file__)))' 2>&1); then
        printf 'ERROR: Odoo 18 cannot be imported by %s.\n%s\n' "$PYTHON" "$out" >&2
        odoo_wanted
        exit 3
    fi
    local major=${out%% *}
    ODOO_ROOT=${out#* }
    [ "$major" = "18" ] || die "Odoo $major found at $ODOO_ROOT; this addon needs Odoo 18."
    ODOO_ADDONS="$ODOO_ROOT/addons"
    [ -d "$ODOO_ADDONS/sale_stock" ] || die "No Odoo addons found at $ODOO_ADDONS."
    say "Odoo 18 found at $ODOO_ROOT"
}

# What to provide when Odoo 18 is missing (printed before giving up).
odoo_wanted() {
    cat >&2 <<MSG
Provide Odoo 18.0 in one of these ways, then run this command again:
  * let scripts/run.sh get it: ODOO_AUTO_INSTALL=1 bash scripts/run.sh
    (a shallow clone of $ODOO_SOURCE_URL, branch $ODOO_BRANCH,
    into .odoo/src and a virtual environment .odoo/venv with its
    requirements; needs git and network access to that URL and to PyPI),
    with ODOO_SOURCE_URL=<a mirror or a local clone> (and ODOO_BRANCH) where
    github.com cannot be reached;
  * install it into this python (pip install -e /path/to/odoo-18.0, or a .pth
    file in site-packages pointing at the source tree), or
  * export ODOO_PATH=/path/to/odoo-18.0 (a checkout of github.com/odoo/odoo,
    branch 18.0) and install its requirements.txt.
MSG
}

# Whether to get Odoo 18 into .odoo/: ODOO_AUTO_INSTALL=1 says yes, =0 no;
# otherwise the person at the terminal is asked.  A run nobody can answer
# (no terminal, or CI) does not wait: it says no.
consent_to_get_odoo() {
    case "${ODOO_AUTO_INSTALL:-}" in
    1 | yes | true) return 0 ;;
    0 | no | false) return 1 ;;
    esac
    if [ -n "${CI:-}" ] || [ ! -t 0 ] || [ ! -t 2 ]; then
        say "Odoo 18 is not installed; not getting it without ODOO_AUTO_INSTALL=1 (no one to ask)."
        return 1
    fi
    local answer
    printf '%s\n' "Odoo 18 cannot be imported by $PYTHON." \
        "Get it now? This makes a shallow clone of $ODOO_SOURCE_URL (branch $ODOO_BRANCH)" \
        "into .odoo/src and a virtual environment .odoo/venv with its requirements" \
        "(about 3 GB on disk, several minutes)." >&2
    read -r -p "Get Odoo 18 into .odoo/? [y/N] " answer
    [[ "$answer" =~ ^[Yy] ]]
}

# Clone Odoo 18 into .odoo/src and build .odoo/venv with its requirements and
# the known fixes, then use that python.  Each step resumes: a finished clone
# is kept, pip skips what is installed, .odoo/venv/.complete marks the end.
get_odoo() {
    local src="$ODOO_HOME/src" venv="$ODOO_HOME/venv" url=$ODOO_SOURCE_URL
    command -v git >/dev/null 2>&1 || die "git is missing: install it (Debian package git) to get Odoo 18."
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || die "$PYTHON is older than Python 3.10, which Odoo 18 needs: set PYTHON to a newer python3."
    mkdir -p "$ODOO_HOME"
    if [ ! -f "$src/odoo/release.py" ]; then
        # A local folder as a file:// URL, so --depth applies to it too.
        [ -d "$url" ] && url="file://$(cd "$url" && pwd)"
        rm -rf "$src.partial"
        say "Cloning Odoo $ODOO_BRANCH from $ODOO_SOURCE_URL into .odoo/src (shallow)"
        if ! git clone -q --depth 1 --single-branch --branch "$ODOO_BRANCH" "$url" "$src.partial"; then
            rm -rf "$src.partial"
            cat >&2 <<MSG
ERROR: cloning $ODOO_SOURCE_URL (branch $ODOO_BRANCH) failed (see git's message above).
Where github.com cannot be reached, provide a copy of Odoo 18.0 and run again:
  * ODOO_SOURCE_URL=<a mirror URL, or a local clone's folder> [ODOO_BRANCH=<its 18.0 branch>]
    ODOO_AUTO_INSTALL=1 bash scripts/run.sh, or
  * an installed Odoo 18 (importable by $PYTHON), or ODOO_PATH=<an Odoo 18.0 source tree>.
MSG
            exit 3
        fi
        mv "$src.partial" "$src"
    fi
    grep -q "^version_info = (18," "$src/odoo/release.py" \
        || die "$ODOO_SOURCE_URL (branch $ODOO_BRANCH) in .odoo/src is not Odoo 18: remove .odoo/ and set ODOO_SOURCE_URL/ODOO_BRANCH to an Odoo 18.0 branch."
    if [ ! -x "$venv/bin/python" ]; then
        say "Creating the virtual environment .odoo/venv"
        "$PYTHON" -m venv "$venv" \
            || die "$PYTHON could not create a virtual environment: install the Debian package python3-venv (or set PYTHON to a python that has venv)."
    fi
    # Odoo from its source tree, not from pip: a .pth file puts it on the path.
    "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
        | { read -r site && printf '%s\n' "$src" >"$site/odoo-src.pth"; }
    # Odoo's requirements with the known fixes: cbor2 5.4.2 no longer builds
    # (5.6.5 does); python-ldap needs the OpenLDAP headers and only serves
    # the auth_ldap addon.
    sed -e '/^python-ldap/d' -e 's/^cbor2==5\.4\.2/cbor2==5.6.5/' \
        "$src/requirements.txt" >"$ODOO_HOME/requirements.txt"
    say "Installing Odoo's requirements into .odoo/venv (several minutes the first time)"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q \
            -r "$ODOO_HOME/requirements.txt" websocket-client \
            -r "$REPO_DIR/requirements.txt" -r "$REPO_DIR/test-requirements.txt" \
        || ! "$venv/bin/python" -m pip install --disable-pip-version-check -q \
            --no-deps "$QUEUE_JOB_REQUIREMENT"; then
        cat >&2 <<MSG
ERROR: installing Odoo's requirements into .odoo/venv failed (see pip's message above).
Where PyPI cannot be reached, provide one of these and run again:
  * a package index pip can use (PIP_INDEX_URL=<a PyPI mirror>, or
    PIP_FIND_LINKS=<a folder of wheels>) holding .odoo/requirements.txt,
    $REPO_DIR/requirements.txt, test-requirements.txt, websocket-client and
    $QUEUE_JOB_REQUIREMENT;
  * or an installed Odoo 18 (importable by $PYTHON), or ODOO_PATH=<an Odoo 18.0
    source tree> with its requirements installed.
Building a requirement from source (psycopg2, for one) needs gcc and the
Debian packages libpq-dev and python3-dev.
MSG
        exit 3
    fi
    touch "$venv/.complete"
    PYTHON="$venv/bin/python"
    say "Odoo 18 is ready in .odoo/ (python: .odoo/venv/bin/python)"
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
        pip_install --no-deps "$QUEUE_JOB_REQUIREMENT"
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

# Stop the process $1 (TERM, then KILL after 15 s) and wait for it.
stop_process() {
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 75); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
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
