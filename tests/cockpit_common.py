"""Both channels in one test: the cockpit common, on the Amazon one.

An Amazon case (``self.emulator`` is the Amazon emulator, ``self.account``
a connected Amazon account) gets the eBay emulator beside it
(``self.ebay_emulator``, reset before each test, its contract violations
failing the test), this run's eBay application registered in it, and eBay
accounts connected through eBay's real OAuth round-trip
(``_ebay_account``).  ``BothCompaniesMixin`` adds company B's eBay account
to B's Amazon one, and company A's marketplace user and manager.

``AmazonBesideMixin`` is the mirror, for an eBay case: the Amazon emulator
(``self.amazon_emulator``) and Amazon accounts connected through the real
consent round-trip (``_amazon_account``).
"""

from cryptography.fernet import Fernet

from odoo.tests import new_test_user

from ..const import OAUTH_CALLBACK_PATH as EBAY_CALLBACK_PATH
from ..emulator.client import AmazonEmulatorClient
from ..models.amazon.amazon_environment import (
    OAUTH_CALLBACK_PATH as AMAZON_CALLBACK_PATH,
)
from .amazon_common import AmazonTwoCompaniesMixin, amazon_emulator_url
from .common import MANAGER_GROUPS, USER_GROUPS, Emulator, emulator_url, query_of

EBAY_CLIENT_ID = "odoo-test-app"
EBAY_RU_NAME = "odoo-test-runame"


class EbayBesideMixin:
    """The eBay emulator and eBay accounts beside an Amazon case's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ebay_emulator = Emulator(emulator_url())
        # A secret for this run only: never a fixture.
        cls.ebay_client_secret = Fernet.generate_key().decode()

    def setUp(self):
        super().setUp()
        self.ebay_emulator.reset()
        self.addCleanup(self._assert_no_ebay_contract_violation)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.ebay_emulator.register_app(
            EBAY_CLIENT_ID,
            self.ebay_client_secret,
            EBAY_RU_NAME,
            base.rstrip("/") + EBAY_CALLBACK_PATH,
        )

    def _assert_no_ebay_contract_violation(self):
        self.assertEqual(self.ebay_emulator.violations(), [])

    def _ebay_account(self, **values):
        """An eBay account on the eBay emulator, connected through the real
        consent round-trip."""
        account = self.env["marketplace.account"].create(
            dict(
                {
                    "channel": "ebay",
                    "name": "eBay test seller",
                    "environment": "emulator",
                    "client_id": EBAY_CLIENT_ID,
                    "ebay_ru_name": EBAY_RU_NAME,
                },
                **values,
            )
        )
        self.env["marketplace.secret"]._store(
            account, "client_secret", self.ebay_client_secret
        )
        state = account._oauth_make_state()
        consent_url = account._oauth_client().consent_url(account._scope_list(), state)
        params = query_of(self.ebay_emulator.consent(consent_url))
        self.assertEqual(params["state"], state)
        Account = self.env["marketplace.account"]
        Account._oauth_check_state(params["state"])._oauth_complete(params["code"])
        self.assertEqual(account.state, "connected")
        return account


class BothCompaniesMixin(EbayBesideMixin, AmazonTwoCompaniesMixin):
    """Companies A and B, each with a connected eBay and a connected Amazon
    account; A's marketplace user and manager beside B's."""

    def _setup_both_companies(self):
        self._setup_company_b()
        self.amazon_a = self.account
        self.amazon_b = self.account_b
        self.ebay_a = self._ebay_account(name="Shop A eBay seller")
        self.ebay_b = self._ebay_account(
            name="Shop B eBay seller",
            company_id=self.company_b.id,
            warehouse_id=self.warehouse_b.id,
        )
        people = {"company_id": self.company_a.id, "company_ids": self.company_a.ids}
        self.user_a = new_test_user(
            self.env, login="shop_a_user", groups=USER_GROUPS, **people
        )
        self.manager_a = new_test_user(
            self.env, login="shop_a_manager", groups=MANAGER_GROUPS, **people
        )
        self.accounts_a = self.ebay_a | self.amazon_a
        self.accounts_b = self.ebay_b | self.amazon_b


class AmazonBesideMixin:
    """The Amazon emulator and Amazon accounts beside an eBay case's."""

    AMAZON_CLIENT_ID = "amzn1.application-oa2-client.odoo-test"
    AMAZON_APPLICATION_ID = "amzn1.sp.solution.odoo-test"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.amazon_emulator = AmazonEmulatorClient(amazon_emulator_url())
        # A secret for this run only: never a fixture.
        cls.amazon_client_secret = Fernet.generate_key().decode()

    def setUp(self):
        super().setUp()
        self.amazon_emulator.reset()
        self.addCleanup(self._assert_no_amazon_contract_violation)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.amazon_emulator.add_app(
            self.AMAZON_CLIENT_ID,
            self.amazon_client_secret,
            self.AMAZON_APPLICATION_ID,
            base.rstrip("/") + AMAZON_CALLBACK_PATH,
        )

    def _assert_no_amazon_contract_violation(self):
        self.assertEqual(self.amazon_emulator.violations(), [])

    def _amazon_account(self, **values):
        """An Amazon account on the Amazon emulator, connected through the
        real consent round-trip (Seller Central's page, LWA's exchange)."""
        account = self.env["marketplace.account"].create(
            dict(
                {
                    "channel": "amazon",
                    "name": "Amazon test seller",
                    "environment": "emulator",
                    "amazon_region": "NA",
                    "client_id": self.AMAZON_CLIENT_ID,
                    "amazon_application_id": self.AMAZON_APPLICATION_ID,
                },
                **values,
            )
        )
        account._amazon_store_client_secret(self.amazon_client_secret)
        state = account._amazon_oauth_make_state()
        params = query_of(
            self.amazon_emulator.consent(account._amazon_consent_url(state))
        )
        self.assertEqual(params["state"], state)
        Account = self.env["marketplace.account"]
        Account._amazon_oauth_check_state(params["state"])._amazon_oauth_complete(
            params["spapi_oauth_code"], params["selling_partner_id"]
        )
        self.assertEqual(account.state, "connected")
        return account
