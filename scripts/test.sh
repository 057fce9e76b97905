#!/usr/bin/env bash
# The whole test suite: a throw-away PostgreSQL, eBay and Amazon emulators, moto
# (SQS), the addon
# installed in a fresh database, then pytest (pytest-odoo with --odoo-http, so
# HttpCase and Chromium tours run) over the Odoo tests and the emulator's own.
# Usage: scripts/test.sh [extra pytest arguments, e.g. -k oauth]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

find_odoo
ensure_python_deps with-tests
ensure_deb chromium chromium

RUN_DIR=$(mktemp -d /tmp/marketplace-test.XXXXXX)
chmod 755 "$RUN_DIR"
cleanup() {
    [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null || true
    [ -n "${AMAZON_EMULATOR_PID:-}" ] && kill "$AMAZON_EMULATOR_PID" 2>/dev/null || true
    stop_moto
    stop_postgres
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

find_contracts
[ -n "$EBAY_CONTRACTS_DIR" ] || die "eBay's contracts were not found beside the \
repository (../shared/ebay-contracts): the emulator must check every request \
against them. Set EBAY_CONTRACTS_DIR to their folder."

PG_PORT=$(free_port)
start_postgres "$RUN_DIR/pg" "$PG_PORT"
EMULATOR_PORT=$(free_port)
start_emulator "$EMULATOR_PORT" "$RUN_DIR/emulator.log"
export EBAY_EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
find_amazon_models
[ -n "$AMAZON_MODELS_DIR" ] || die "Amazon's models were not found beside the \
repository (../shared/amazon-models): the Amazon emulator must check every \
request against them. Set AMAZON_MODELS_DIR to their folder."
# moto's SQS, where the Amazon emulator delivers notifications and Odoo polls.
MOTO_PORT=$(free_port)
start_moto "$MOTO_PORT" "$RUN_DIR/moto.log"
export AMAZON_SQS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
AMAZON_EMULATOR_PORT=$(free_port)
start_amazon_emulator "$AMAZON_EMULATOR_PORT" "$RUN_DIR/amazon-emulator.log" \
    --sqs-endpoint-url "$AMAZON_SQS_ENDPOINT_URL"
export AMAZON_EMULATOR_URL="http://127.0.0.1:$AMAZON_EMULATOR_PORT"
# Two fresh keys, newest first: tests encrypt with the first, rotate, etc.
MARKETPLACE_VAULT_KEYS="$(new_vault_key),$(new_vault_key)"
export MARKETPLACE_VAULT_KEYS

link_addon "$RUN_DIR/addons"
DB=marketplace_test
cat >"$RUN_DIR/odoo.conf" <<CONF
[options]
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = odoo
db_password = False
addons_path = $ODOO_ADDONS,$RUN_DIR/addons
data_dir = $RUN_DIR/data
http_interface = 127.0.0.1
list_db = False
CONF

say "Installing $ADDON_NAME in a fresh database"
if ! "$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d "$DB" -i "$ADDON_NAME" \
        --without-demo=all --stop-after-init --log-level=warn \
        >"$RUN_DIR/install.log" 2>&1 \
        || grep -E " (ERROR|CRITICAL) " "$RUN_DIR/install.log" >/dev/null; then
    cat "$RUN_DIR/install.log" >&2
    die "Installing the addon failed."
fi

say "Running the tests"
cd "$RUN_DIR"
# One pytest session: the Odoo tests and the emulator's own (pure Python).
# Not exec: the EXIT trap must still stop PostgreSQL and the emulator.
status=0
ODOO_QUEUE_JOB_CHANNELS=root:0 "$PYTHON" -m pytest -p no:cacheprovider -q \
    -o addopts= --odoo-config="$RUN_DIR/odoo.conf" --odoo-database="$DB" \
    --odoo-http --odoo-log-level=warn \
    "$RUN_DIR/addons/$ADDON_NAME/tests" "$RUN_DIR/addons/$ADDON_NAME/emulator/tests" "$@" || status=$?
cd /
exit "$status"
