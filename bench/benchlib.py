"""Shared set-up of the benchmarks: Odoo registry, a connected account."""

import re
from urllib.parse import parse_qs, urlparse

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

CLIENT_ID, SECRET, RU_NAME = "bench-app", "bench-secret-for-this-run", "bench-ru"


def open_registry(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    return Registry(database)


class Emulator:
    def __init__(self, url):
        self.url = url
        self.session = requests.Session()

    def control(self, method, path, **kwargs):
        response = self.session.request(
            method, f"{self.url}/_emulator/{path}", timeout=30, **kwargs
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def call_count(self):
        return self.control("GET", "calls?path=^/(sell|commerce|identity)/")["count"]


def connected_account(env, emulator):
    """An account connected through the emulator's consent page, set up to list."""
    emulator.control("POST", "reset")
    emulator.control(
        "POST",
        "apps",
        json={
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
            "ru_name": RU_NAME,
            "accept_url": "http://127.0.0.1/ebay/oauth/callback",
        },
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
    page = emulator.session.get(url, timeout=30)
    ticket = re.search(r"name='ticket' value='([^']+)'", page.text).group(1)
    answer = emulator.session.post(
        f"{emulator.url}/oauth2/authorize/decide",
        data={"ticket": ticket, "decision": "accept"},
        allow_redirects=False,
        timeout=30,
    )
    code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
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
