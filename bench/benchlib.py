"""Shared set-up of the benchmarks: Odoo registry, a connected account."""

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# The emulator's control client is pure Python: import it from the
# repository (the benchmarks run as scripts, outside the addon's package).
sys.path.append(str(Path(__file__).resolve().parents[1]))
from emulator.client import EbayEmulatorClient

CLIENT_ID, SECRET, RU_NAME = "bench-app", "bench-secret-for-this-run", "bench-ru"


def open_registry(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    return Registry(database)


# What the benchmarks count: calls to eBay's APIs, not to the consent page.
API_CALLS = "^/(sell|commerce|identity)/"


class Emulator(EbayEmulatorClient):
    """The one control client, with a benchmark's patience."""

    def __init__(self, url):
        super().__init__(url, timeout=30)

    def call_count(self, path=API_CALLS):
        return super().call_count(path)


def connected_account(env, emulator):
    """An account connected through the emulator's consent page, set up to list."""
    emulator.reset()
    emulator.register_app(
        CLIENT_ID, SECRET, RU_NAME, "http://127.0.0.1/ebay/oauth/callback"
    )
    warehouse = env.ref("stock.warehouse0")
    warehouse.partner_id.write({"zip": "95125", "country_id": env.ref("base.us").id})
    account = env["marketplace.account"].create(
        {
            "channel": "ebay",
            "name": "Bench seller",
            "environment": "emulator",
            "client_id": CLIENT_ID,
            "ebay_ru_name": RU_NAME,
            "warehouse_id": warehouse.id,
        }
    )
    env["marketplace.secret"]._store(account, "client_secret", SECRET)
    state = account._oauth_make_state()
    url = account._oauth_client().consent_url(account._scope_list(), state)
    location = emulator.consent(url, session=emulator.session)
    code = parse_qs(urlparse(location).query)["code"][0]
    account._oauth_complete(code)
    account.action_opt_in_business_policies()
    for kind in ("fulfillment", "payment", "return"):
        env["ebay.policy"].create(
            {"account_id": account.id, "kind": kind, "name": f"Bench {kind}"}
        ).action_create_on_ebay()
    account.action_sync_policies()
    account.action_create_location()
    return account


def environment(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
