#!/usr/bin/env bash
# Hand-run benchmarks against the emulator.  Usage: bench/run.sh publish [args]
# (publish, stock_push, reconcile, order, order_profile run against eBay's;
# amazon_publish, amazon_stock_push and amazon_order against the Amazon
# emulator; amazon_order with moto's SQS too, as scripts/test.sh starts it).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

which=${1:-publish}
shift || true
find_odoo
ensure_python_deps
find_contracts

RUN_DIR=$(mktemp -d /tmp/marketplace-bench.XXXXXX)
chmod 755 "$RUN_DIR"
cleanup() {
    [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null || true
    [ -n "${AMAZON_EMULATOR_PID:-}" ] && kill "$AMAZON_EMULATOR_PID" 2>/dev/null || true
    stop_moto
    stop_postgres
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

PG_PORT=$(free_port)
start_postgres "$RUN_DIR/pg" "$PG_PORT"
EMULATOR_PORT=$(free_port)
start_emulator "$EMULATOR_PORT" "$RUN_DIR/emulator.log"
# The server's switch for the emulator environment (see readme/CONFIGURE.md).
export EBAY_EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
BENCH_EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
case "$which" in
amazon_*)
    SQS_OPTIONS=()
    if [ "$which" = amazon_order ]; then
        MOTO_PORT=$(free_port)
        start_moto "$MOTO_PORT" "$RUN_DIR/moto.log"
        export AMAZON_SQS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
        SQS_OPTIONS=(--sqs-endpoint-url "$AMAZON_SQS_ENDPOINT_URL")
    fi
    AMAZON_EMULATOR_PORT=$(free_port)
    start_amazon_emulator "$AMAZON_EMULATOR_PORT" "$RUN_DIR/amazon-emulator.log" \
        "${SQS_OPTIONS[@]}"
    export AMAZON_EMULATOR_URL="http://127.0.0.1:$AMAZON_EMULATOR_PORT"
    BENCH_EMULATOR_URL=$AMAZON_EMULATOR_URL
    ;;
esac
MARKETPLACE_VAULT_KEYS="$(new_vault_key)"
export MARKETPLACE_VAULT_KEYS
link_addon "$RUN_DIR/addons"
cat >"$RUN_DIR/odoo.conf" <<CONF
[options]
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = odoo
db_password = False
addons_path = $ODOO_ADDONS,$RUN_DIR/addons
data_dir = $RUN_DIR/data
CONF
say "Installing $ADDON_NAME"
"$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d bench -i "$ADDON_NAME" \
    --without-demo=all --stop-after-init --log-level=warn >"$RUN_DIR/install.log" 2>&1 \
    || { cat "$RUN_DIR/install.log"; die "install failed"; }
"$PYTHON" "$REPO_DIR/bench/${which}_bench.py" --config "$RUN_DIR/odoo.conf" \
    --database bench --emulator "$BENCH_EMULATOR_URL" "$@"
