"""The Amazon test common, on the neutral one (tests/common.py).

The Amazon emulator on loopback (``AMAZON_EMULATOR_URL``, the server's own
switch that enables the emulator environment for Amazon accounts; run
alone, these tests start their own emulator process and set it), this run's
LWA application registered in it before each test, and Amazon accounts
connected through the real consent round-trip: the state signed by Odoo,
Seller Central's consent page, the code exchanged with LWA, the refresh
token in the vault and the marketplaces read from the Sellers API.

``AmazonCase`` and ``AmazonHttpCase`` give ``self.account``, connected; a
test class that needs an account not connected yet sets
``CONNECTED_ACCOUNT = False``.  In these cases ``self.emulator`` is the
Amazon emulator: the neutral mixin resets it before each test and fails
the test on any contract violation.
"""

import atexit
import os

from cryptography.fernet import Fernet

from ..emulator.client import AmazonEmulatorClient, amazon_models_options, start_process
from ..models.amazon.amazon_environment import EMULATOR_URL_ENV, OAUTH_CALLBACK_PATH
from .common import (
    EmulatorMixin,
    MarketplaceCase,
    MarketplaceHttpCase,
    TwoCompaniesMixin,
    query_of,
)

# Expected warnings: refused LWA calls, refused callbacks, refused refreshes.
CLIENT_LOGGER = "odoo.addons.marketplace_connector.amazon.client"
LWA_LOGGER = "odoo.addons.marketplace_connector.amazon.lwa"
CALLBACK_LOGGER = "odoo.addons.marketplace_connector.controllers.amazon_oauth"
TOKEN_LOGGER = (
    "odoo.addons.marketplace_connector.models.amazon.marketplace_account_token"
)
# Emulator paths (regular expressions).
LWA_TOKEN = "^/auth/o2/token$"
PARTICIPATIONS = "^/sellers/v1/marketplaceParticipations$"
# The seller the emulator knows after a reset, and its marketplaces.
EMULATOR_SELLER = "A1EMULATORSELLER"
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"

_started = {}


def amazon_emulator_url():
    """The Amazon emulator of this run (started here when the test command
    did not start one), checked against Amazon's models."""
    if "url" not in _started:
        url = os.environ.get(EMULATOR_URL_ENV)
        if url:
            url = url.rstrip("/")
        else:
            process, url = start_process(
                amazon_models_options(), module="emulator.amazon"
            )
            atexit.register(process.terminate)
        AmazonEmulatorClient(url).checked()
        _started["url"] = url
        # What the test command does for a whole run: the server's switch.
        os.environ[EMULATOR_URL_ENV] = url
    return _started["url"]


class AmazonEmulatorMixin(EmulatorMixin):
    """The neutral emulator mixin on the Amazon emulator, with this run's
    LWA application registered."""

    CLIENT_ID = "amzn1.application-oa2-client.odoo-test"
    APPLICATION_ID = "amzn1.sp.solution.odoo-test"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = AmazonEmulatorClient(amazon_emulator_url())
        # A secret for this run only: never a fixture.
        cls.client_secret = Fernet.generate_key().decode()

    def setUp(self):
        super().setUp()
        self.emulator.add_app(
            self.CLIENT_ID,
            self.client_secret,
            self.APPLICATION_ID,
            self._callback_url(),
        )

    def _callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base.rstrip("/") + OAUTH_CALLBACK_PATH

    def _lwa_calls(self, grant=None):
        """The LWA token calls the emulator answered (of one grant type)."""
        calls = self.emulator.calls(path=LWA_TOKEN)
        if grant:
            calls = [
                c for c in calls if (c.get("body") or {}).get("grant_type") == grant
            ]
        return calls


class AmazonAccountMixin:
    """Amazon accounts bound to the emulator, connected through the real
    consent round-trip."""

    CONNECTED_ACCOUNT = True

    def setUp(self):
        super().setUp()
        if self.CONNECTED_ACCOUNT:
            self.account = self._connected_account()

    def _new_account(self, **values):
        """An Amazon account on the emulator with this run's LWA credentials
        (the client secret in the vault), not connected yet."""
        account = self.env["marketplace.account"].create(
            dict(
                {
                    "channel": "amazon",
                    "name": "Amazon test seller",
                    "environment": "emulator",
                    "amazon_region": "NA",
                    "client_id": self.CLIENT_ID,
                    "amazon_application_id": self.APPLICATION_ID,
                },
                **values,
            )
        )
        account._amazon_store_client_secret(self.client_secret)
        return account

    def _consent(self, account, seller_id=None, decision="confirm"):
        """Start the consent for ``account`` and answer Seller Central's page:
        the redirect's query (state, selling_partner_id, spapi_oauth_code)."""
        state = account._amazon_oauth_make_state()
        redirect = self.emulator.consent(
            account._amazon_consent_url(state), decision=decision, seller_id=seller_id
        )
        params = query_of(redirect)
        self.assertEqual(params["state"], state)
        return params

    def _connect(self, account, seller_id=None):
        """Run the consent round-trip and complete it as the callback does."""
        params = self._consent(account, seller_id=seller_id)
        checked = self.env["marketplace.account"]._amazon_oauth_check_state(
            params["state"]
        )
        checked._amazon_oauth_complete(
            params["spapi_oauth_code"], params["selling_partner_id"]
        )
        self.assertEqual(account.state, "connected")
        return account

    def _wizard(self, account=None, **values):
        """The Connect wizard as the account's button opens it."""
        account = account or self.account
        return (
            self.env["amazon.connect.wizard"]
            .with_context(default_account_id=account.id)
            .create(values)
        )

    def _connected_account(self, seller_id=None, **values):
        return self._connect(self._new_account(**values), seller_id=seller_id)


class AmazonCase(AmazonAccountMixin, AmazonEmulatorMixin, MarketplaceCase):
    """A transaction test with a connected Amazon account (``self.account``)."""


class AmazonHttpCase(AmazonAccountMixin, AmazonEmulatorMixin, MarketplaceHttpCase):
    """Real HTTP to this Odoo (controllers, Chromium tours) and the Amazon
    emulator, with a connected Amazon account (``self.account``)."""


class AmazonTwoCompaniesMixin(TwoCompaniesMixin):
    """Company B beside A, with its own connected Amazon account (another
    seller: one Odoo account per seller and region)."""

    SELLER_B = "A2SHOPBSELLER"

    def _setup_company_b(self):
        super()._setup_company_b()
        self.emulator.add_seller(self.SELLER_B, region="NA", marketplaces=(US,))
        self.account_b = self._connected_account(
            seller_id=self.SELLER_B,
            name="Shop B Amazon seller",
            company_id=self.company_b.id,
            warehouse_id=self.warehouse_b.id,
        )
