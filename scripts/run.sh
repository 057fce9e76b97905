#!/usr/bin/env bash
# Set up and run Odoo 18 with this addon against the local eBay emulator:
# a project-local PostgreSQL (in .run/), the emulator on 127.0.0.1:8099, a demo
# database with a demo seller account, then Odoo on http://localhost:8069.
# No eBay account is needed.  Stop with Ctrl-C; run again to resume.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ODOO_PORT=${ODOO_PORT:-8069}
EMULATOR_PORT=${EMULATOR_PORT:-8099}
AMAZON_EMULATOR_PORT=${AMAZON_EMULATOR_PORT:-8098}
MOTO_PORT=${MOTO_PORT:-8097}
PG_PORT=${PG_PORT:-54329}
DB=${DB:-marketplace_demo}
RUN_DIR="$REPO_DIR/.run"

find_odoo
ensure_python_deps
mkdir -p "$RUN_DIR"
chmod 755 "$RUN_DIR"

cleanup() {
    [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null || true
    [ -n "${AMAZON_EMULATOR_PID:-}" ] && kill "$AMAZON_EMULATOR_PID" 2>/dev/null || true
    stop_moto
    stop_postgres
}
trap cleanup EXIT

start_postgres "$RUN_DIR/pg" "$PG_PORT"

# Local secrets, made once and kept out of git (.run/ is ignored): the vault
# key and the demo app's client secret the emulator is told about.  They go
# to the emulator and to Odoo in files readable by this user only, never on
# a command line (which every user of the machine can read).
umask 077
[ -s "$RUN_DIR/vault.key" ] || new_vault_key >"$RUN_DIR/vault.key"
[ -s "$RUN_DIR/demo-app.secret" ] || new_vault_key >"$RUN_DIR/demo-app.secret"
ODOO_URL="http://localhost:$ODOO_PORT"
printf '%s:%s:%s:%s\n' marketplace-demo-app "$(cat "$RUN_DIR/demo-app.secret")" \
    marketplace-demo-runame "$ODOO_URL/ebay/oauth/callback" >"$RUN_DIR/demo-app.emulator"
# The Amazon demo app: CLIENT_ID:CLIENT_SECRET:APPLICATION_ID:REDIRECT_URI.
[ -s "$RUN_DIR/amazon-demo-app.secret" ] || new_vault_key >"$RUN_DIR/amazon-demo-app.secret"
printf '%s:%s:%s:%s\n' amzn1.application-oa2-client.marketplace-demo \
    "$(cat "$RUN_DIR/amazon-demo-app.secret")" amzn1.sp.solution.marketplace-demo \
    "$ODOO_URL/amazon/oauth/callback" >"$RUN_DIR/amazon-demo-app.emulator"
umask 022

# The server's own switch for the emulator environment (loopback only):
# without it, no account can use the emulator.
export EBAY_EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
export AMAZON_EMULATOR_URL="http://127.0.0.1:$AMAZON_EMULATOR_PORT"
# moto's SQS (a local AWS): Amazon's notifications go there in emulator mode.
export AMAZON_SQS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"

link_addon "$RUN_DIR/addons"
cat >"$RUN_DIR/odoo.conf" <<CONF
[options]
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = odoo
db_password = False
addons_path = $ODOO_ADDONS,$RUN_DIR/addons
data_dir = $RUN_DIR/data
http_interface = 127.0.0.1
http_port = $ODOO_PORT
dbfilter = ^$DB\$
marketplace_vault_keys = $(cat "$RUN_DIR/vault.key")
CONF
chmod 600 "$RUN_DIR/odoo.conf"

start_emulator "$EMULATOR_PORT" "$RUN_DIR/emulator.log" \
    --app-file "$RUN_DIR/demo-app.emulator"
start_moto "$MOTO_PORT" "$RUN_DIR/moto.log"
start_amazon_emulator "$AMAZON_EMULATOR_PORT" "$RUN_DIR/amazon-emulator.log" \
    --app-file "$RUN_DIR/amazon-demo-app.emulator" \
    --sqs-endpoint-url "$AMAZON_SQS_ENDPOINT_URL"

if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U odoo -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    say "Creating database $DB with demo data (takes a few minutes the first time)"
    "$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d "$DB" -i "$ADDON_NAME" \
        --stop-after-init --log-level=warn
else
    "$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d "$DB" -u "$ADDON_NAME" \
        --stop-after-init --log-level=warn
fi

# Move the demo account onto the emulator (once: a change of environment
# drops its tokens) and vault its app secret, read from its file in Python.
"$PYTHON" -m odoo shell -c "$RUN_DIR/odoo.conf" -d "$DB" --no-http --log-level=warn \
    >/dev/null <<PY
account = env.ref("marketplace_connector.ebay_account_demo")
if account.environment != "emulator":
    account.environment = "emulator"
with open("$RUN_DIR/demo-app.secret") as secret_file:
    env["marketplace.secret"]._store(account, "client_secret", secret_file.read().strip())
amazon = env.ref("marketplace_connector.amazon_account_demo")
if amazon.environment != "emulator":
    amazon.environment = "emulator"
if not amazon.has_client_secret:
    with open("$RUN_DIR/amazon-demo-app.secret") as secret_file:
        amazon._amazon_store_client_secret(secret_file.read().strip())
env["ir.config_parameter"].set_param("web.base.url", "$ODOO_URL")
env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
env.cr.commit()
PY

cat <<MSG

  Odoo is starting on $ODOO_URL  (login: admin, password: admin)
  Sales > Marketplaces > Accounts > "Demo seller (emulator)" > Connect eBay > Connect,
  then Agree on the emulator's consent page.
  Amazon: Sales > Marketplaces > Amazon > Accounts > "Amazon demo seller (emulator)"
  > Connect Amazon > Connect, then Confirm on the emulator's Seller Central page.
  The eBay emulator runs on http://127.0.0.1:$EMULATOR_PORT, Amazon's on
  http://127.0.0.1:$AMAZON_EMULATOR_PORT, moto's SQS on http://127.0.0.1:$MOTO_PORT.
  Ctrl-C stops everything.

MSG
"$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d "$DB"
