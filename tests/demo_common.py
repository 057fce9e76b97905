"""The demo data in a test's database, as ``scripts/run.sh`` makes the demo.

The test command installs the addon without demo data; a test that walks
the demo's own records (the demo products, the demo accounts) loads them
with :meth:`DemoDataMixin._load_demo_data`, in its own transaction (rolled
back with the test, as every test's records are).

What ``scripts/run.sh`` does to the demo accounts, this does too: it moves
them onto the emulators and vaults their client secrets.  The demo's
secrets are the demo machine's (``.run/*.secret``); a test run makes its
own and registers the demo apps under the demo's client ids in this run's
emulators, so the demo accounts connect there exactly as they do in the
demo.  The accounts are left *not connected* (a newcomer's first step is
Connect); :meth:`_connect_demo_ebay` and :meth:`_connect_demo_amazon` run
the real consent round-trips, and :meth:`_set_up_demo_ebay_seller` creates
the business policies and the location an eBay listing needs.
"""

from cryptography.fernet import Fernet

from odoo.modules.module import get_manifest
from odoo.tools import convert_file

from ..const import OAUTH_CALLBACK_PATH as EBAY_CALLBACK_PATH
from ..emulator.client import AmazonEmulatorClient, EbayEmulatorClient
from ..models.amazon.amazon_environment import (
    OAUTH_CALLBACK_PATH as AMAZON_CALLBACK_PATH,
)
from .amazon_common import amazon_emulator_url
from .common import emulator_url, query_of

MODULE = "marketplace_connector"


class DemoDataMixin:
    """Loads the addon's demo data and prepares the demo accounts.

    Call ``self._load_demo_data()`` in ``setUp`` (after ``super().setUp()``:
    the emulator of the test case is reset there, and the demo apps are
    registered after that reset).  It sets ``self.demo_ebay_account`` and
    ``self.demo_amazon_account`` and the two emulators' control clients,
    ``self.demo_ebay_emulator`` and ``self.demo_amazon_emulator``; the one
    that is not the case's ``self.emulator`` is checked for contract
    violations at the end of the test too.
    """

    def _load_demo_data(self):
        env = self.env(su=True)  # demo files load as the superuser, as at install
        # The first load installs the demo; a later one is what an update
        # (``-u``, at every later start of scripts/run.sh) does with it.
        loaded = env.ref(f"{MODULE}.product_demo_headphones", raise_if_not_found=False)
        mode = "update" if loaded else "init"
        for filename in get_manifest(MODULE)["demo"]:
            convert_file(env, MODULE, filename, {}, mode=mode, kind="demo")
        self.env.invalidate_all()
        self.demo_ebay_emulator = EbayEmulatorClient(emulator_url())
        self.demo_amazon_emulator = AmazonEmulatorClient(amazon_emulator_url())
        own = getattr(self, "emulator", None)
        for client in (self.demo_ebay_emulator, self.demo_amazon_emulator):
            if own is None or client.url != own.url:
                client.clear_violations()
                self.addCleanup(self._assert_no_demo_violation, client)
        self.demo_ebay_account = self.env.ref(f"{MODULE}.ebay_account_demo")
        self.demo_amazon_account = self.env.ref(f"{MODULE}.amazon_account_demo")
        self._prepare_demo_ebay_account(self.demo_ebay_account)
        self._prepare_demo_amazon_account(self.demo_amazon_account)

    def _demo_callback(self, path):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base.rstrip("/") + path

    def _prepare_demo_ebay_account(self, account):
        """What run.sh does: the emulator environment and the app's secret
        vaulted; the demo app registered in this run's eBay emulator."""
        secret = Fernet.generate_key().decode()  # this run's, never a fixture
        self.demo_ebay_emulator.register_app(
            account.client_id,
            secret,
            account.ebay_ru_name,
            self._demo_callback(EBAY_CALLBACK_PATH),
        )
        account = account.sudo()
        if account.environment != "emulator":
            account.environment = "emulator"
        self.env["marketplace.secret"]._store(account, "client_secret", secret)

    def _prepare_demo_amazon_account(self, account):
        """What run.sh does for Amazon: the emulator environment, the LWA
        secret vaulted, the demo app registered in this run's emulator."""
        secret = Fernet.generate_key().decode()
        self.demo_amazon_emulator.add_app(
            account.client_id,
            secret,
            account.amazon_application_id,
            self._demo_callback(AMAZON_CALLBACK_PATH),
        )
        account = account.sudo()
        if account.environment != "emulator":
            account.environment = "emulator"
        account._amazon_store_client_secret(secret)

    def _assert_no_demo_violation(self, client):
        violations = client.violations()
        self.assertEqual(
            violations,
            [],
            "requests or the emulator's answers broke the marketplace's contracts:\n"
            + "\n".join(
                f"{v['side']} {v['method']} {v['path']} ({v['operation']}): "
                f"{v['reason']}"
                for v in violations
            ),
        )

    # -- connecting (what the seller does first) ------------------------------------
    def _connect_demo_ebay(self):
        """The demo eBay account connected through eBay's consent page."""
        account = self.demo_ebay_account
        state = account._oauth_make_state()
        consent_url = account._oauth_client().consent_url(account._scope_list(), state)
        params = query_of(self.demo_ebay_emulator.consent(consent_url))
        checked = self.env["marketplace.account"]._oauth_check_state(params["state"])
        checked._oauth_complete(params["code"])
        self.assertEqual(account.state, "connected")
        return account

    def _set_up_demo_ebay_seller(self):
        """Business policies and the location on eBay for the connected demo
        account (the account's checklist buttons), with the address eBay
        wants for a location on the demo's warehouse."""
        account = self.demo_ebay_account
        partner = account.warehouse_id.partner_id
        if not (partner.zip and partner.city and partner.country_id):
            partner.write(
                {
                    "street": "250 Executive Park Blvd",
                    "city": "San Francisco",
                    "zip": "94134",
                    "country_id": self.env.ref("base.us").id,
                }
            )
        account.action_opt_in_business_policies()
        for kind in ("fulfillment", "payment", "return"):
            self.env["ebay.policy"].create(
                {"account_id": account.id, "kind": kind, "name": f"Demo {kind}"}
            ).action_create_on_ebay()
        account.action_sync_policies()
        account.action_create_location()
        return account

    def _connect_demo_amazon(self):
        """The demo Amazon account connected through Seller Central's consent
        page (the emulator's seller, its marketplaces read back)."""
        account = self.demo_amazon_account
        state = account._amazon_oauth_make_state()
        redirect = self.demo_amazon_emulator.consent(account._amazon_consent_url(state))
        params = query_of(redirect)
        checked = self.env["marketplace.account"]._amazon_oauth_check_state(
            params["state"]
        )
        checked._amazon_oauth_complete(
            params["spapi_oauth_code"], params["selling_partner_id"]
        )
        self.assertEqual(account.state, "connected")
        return account
