#!/usr/bin/env bash
# Set up and run Odoo 18 with this addon against the local eBay and Amazon
# emulators: a project-local PostgreSQL (in .run/), the emulators on
# 127.0.0.1:8099 and :8098, moto's SQS on :8097, a demo database with demo
# seller accounts, then Odoo on http://localhost:8069 with queue_job's job
# runner inside it.  No marketplace account is needed.  Without Odoo 18 it
# offers to get it (scripts/lib.sh get_odoo).  Stop with Ctrl-C (it stops all
# of them); run again to resume (the database stays, the addon is updated).
#
# Usage: bash scripts/run.sh [Odoo options, e.g. --dev=xml]
#        bash scripts/run.sh -- --workers=2
# The options go to the Odoo server only (not to the install/update step).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ODOO_PORT=${ODOO_PORT:-8069}
EMULATOR_PORT=${EMULATOR_PORT:-8099}
AMAZON_EMULATOR_PORT=${AMAZON_EMULATOR_PORT:-8098}
MOTO_PORT=${MOTO_PORT:-8097}
PG_PORT=${PG_PORT:-54329}
# Odoo's websocket port when it runs with --workers (Odoo's default 8072).
GEVENT_PORT=${GEVENT_PORT:-8072}
DB=${DB:-marketplace_demo}
RUN_DIR="$REPO_DIR/.run"
[ "${1:-}" = "--" ] && shift
ODOO_OPTIONS=("$@")
# The job runner's channels and how many jobs each runs at once
# (data/queue_job_channel_data.xml): each marketplace's kinds of work have
# their own lane, and root holds them all at once (a channel's jobs count
# against its parents too), so a publishing backlog never holds up order
# import (tests/test_job_channels.py).  Amazon's SQS poll waits at the queue
# all the time: one lane of its own.  Jobs of a channel not named here run
# in its parent's lane.
QUEUE_JOB_CHANNELS=${QUEUE_JOB_CHANNELS:-root:12,root.ebay.listing:2,root.ebay.order:1,root.ebay.stock:1,root.ebay.notification:1,root.amazon.listing:2,root.amazon.order:1,root.amazon.stock:1,root.amazon.feed:1,root.amazon.notification:1,root.amazon.sqs:1}

find_odoo offer
ensure_python_deps
mkdir -p "$RUN_DIR"
chmod 755 "$RUN_DIR"

# Ctrl-C (or a kill) ends the script, and its exit stops everything it
# started: Odoo (and with it the job runner) first, then the emulators, moto
# and PostgreSQL.
cleanup() {
    stop_process "${ODOO_PID:-}"
    stop_process "${EMULATOR_PID:-}"
    stop_process "${AMAZON_EMULATOR_PID:-}"
    stop_process "${MOTO_PID:-}"
    stop_postgres
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
gevent_port = $GEVENT_PORT
server_wide_modules = base,web,queue_job
marketplace_vault_keys = $(cat "$RUN_DIR/vault.key")

[queue_job]
channels = $QUEUE_JOB_CHANNELS
CONF
chmod 600 "$RUN_DIR/odoo.conf"

# Each emulator keeps its state (the demo seller's consent and tokens,
# listings, orders, notification destinations) in a file of .run/, so the
# accounts connected in an earlier run stay connected.  Delete the file to
# start that emulator afresh.  The eBay seller is one who has sold before: it
# has a shipping, a payment and a return policy on eBay US for Odoo to read.
start_emulator "$EMULATOR_PORT" "$RUN_DIR/emulator.log" \
    --app-file "$RUN_DIR/demo-app.emulator" \
    --state-file "$RUN_DIR/ebay-emulator-state.json" --demo-seller
start_moto "$MOTO_PORT" "$RUN_DIR/moto.log"
start_amazon_emulator "$AMAZON_EMULATOR_PORT" "$RUN_DIR/amazon-emulator.log" \
    --app-file "$RUN_DIR/amazon-demo-app.emulator" \
    --sqs-endpoint-url "$AMAZON_SQS_ENDPOINT_URL" \
    --state-file "$RUN_DIR/amazon-emulator-state.json"

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
# Amazon's notifications arrive through an SQS queue: the demo's is on moto
# (which keeps no state between runs, so the queue is made again each time;
# moto takes any key, and the one made here is vaulted like a real one).
if not amazon.amazon_sqs_queue_url:
    import secrets
    amazon.write({
        "amazon_sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/marketplace-demo-amazon",
        "amazon_sqs_region": "us-east-1",
        "amazon_aws_access_key_id": "AKIADEMOMOTO",
        "amazon_aws_secret_access_key": secrets.token_hex(20),
    })
amazon._amazon_sqs_queue_factory()()._client.create_queue(
    QueueName=amazon.amazon_sqs_queue_url.rsplit("/", 1)[1]
)
env["ir.config_parameter"].set_param("web.base.url", "$ODOO_URL")
env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
env.cr.commit()
PY

cat <<MSG

  Odoo is starting on $ODOO_URL  (login: admin, password: admin); it opens
  on the Marketplaces dashboard.  queue_job's job runner runs inside it
  (channels: $QUEUE_JOB_CHANNELS), so published listings, orders and
  stock pushes are worked off as you go.
  eBay: Sales > Marketplaces > Accounts > "Demo seller (emulator)" > Connect eBay
  > Connect, then Agree on the emulator's consent page.
  Amazon: Sales > Marketplaces > Amazon > Accounts > "Amazon demo seller (emulator)"
  > Connect Amazon > Connect, then Confirm on the emulator's Seller Central page.
  The eBay emulator runs on http://127.0.0.1:$EMULATOR_PORT, Amazon's on
  http://127.0.0.1:$AMAZON_EMULATOR_PORT, moto's SQS on http://127.0.0.1:$MOTO_PORT.
  Ctrl-C stops everything; run this command again to resume: the database
  and the emulators' state (.run/*-emulator-state.json) are kept, so the
  accounts stay connected.

MSG
# In the background and waited for: bash runs a trap only once the
# foreground command ends, while "wait" returns at once.  So a Ctrl-C, or a
# kill of this script alone, ends the script now, and its exit stops Odoo
# and the rest.
"$PYTHON" -m odoo -c "$RUN_DIR/odoo.conf" -d "$DB" "${ODOO_OPTIONS[@]}" &
ODOO_PID=$!
wait "$ODOO_PID"
