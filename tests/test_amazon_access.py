"""Who may do what with Amazon accounts: two companies, a Marketplace User and
a Marketplace Manager of company B (the anonymous caller and the user at the
consent callback: tests/test_amazon_oauth_controller.py).  The wizard and
the buttons that call Amazon need a manager of the account's company, and
are refused before anything reaches the vault or Amazon."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .amazon_common import PARTICIPATIONS, AmazonCase, AmazonTwoCompaniesMixin


@tagged("post_install", "-at_install")
class TestAmazonAccess(AmazonTwoCompaniesMixin, AmazonCase):
    def setUp(self):
        super().setUp()
        self._setup_company_b()

    def _wizard_values(self, account):
        return {
            "account_id": account.id,
            "environment": "emulator",
            "region": "NA",
            "client_id": self.CLIENT_ID,
            "client_secret": "forged-secret",
            "application_id": self.APPLICATION_ID,
        }

    def _client_secret(self, account):
        return self.env["marketplace.secret"]._read_secret(account, "client_secret")[0]

    def test_company_b_does_not_see_company_a_account(self):
        for person in (self.user_b, self.manager_b):
            Account = self.env["marketplace.account"].with_user(person)
            self.assertEqual(
                Account.search([("channel", "=", "amazon")]),
                self.account_b,
                person.login,
            )
            with self.assertRaises(AccessError, msg=person.login):
                self.account.with_user(person).read(["name"])
            Participation = self.env["amazon.marketplace.participation"].with_user(
                person
            )
            self.assertEqual(
                Participation.search([]).account_id, self.account_b, person.login
            )
            with self.assertRaises(AccessError, msg=person.login):
                self.account.amazon_participation_ids.with_user(person).read(["name"])

    def test_manager_b_cannot_connect_or_refresh_company_a_account(self):
        calls = len(self.emulator.calls())
        wizard = (
            self.env["amazon.connect.wizard"]
            .with_user(self.manager_b)
            .create(self._wizard_values(self.account))
        )
        with self.assertRaises(AccessError):
            wizard.action_connect()
        with self.assertRaises(AccessError):
            self.account.with_user(self.manager_b).action_amazon_refresh_marketplaces()
        with self.assertRaises(AccessError):
            self.account.with_user(self.manager_b).action_amazon_open_connect_wizard()
        self.assertEqual(self._client_secret(self.account), self.client_secret)
        self.assertEqual(len(self.emulator.calls()), calls, "Amazon saw nothing")

    def test_user_cannot_use_the_wizard_nor_the_buttons(self):
        calls = len(self.emulator.calls())
        with self.assertRaises(AccessError):
            self.env["amazon.connect.wizard"].with_user(self.user_b).create(
                self._wizard_values(self.account_b)
            )
        account = self.account_b.with_user(self.user_b)
        for action in (
            account.action_amazon_open_connect_wizard,
            account.action_amazon_refresh_marketplaces,
            account.action_disconnect,
        ):
            with self.assertRaises(AccessError, msg=action.__name__):
                action()
        with self.assertRaises(AccessError):
            account.read(["client_id"])  # the app's credentials: managers only
        self.assertEqual(len(self.emulator.calls()), calls, "Amazon saw nothing")
        self.assertEqual(self.account_b.state, "connected")

    def test_manager_refreshes_own_marketplaces(self):
        self.emulator.add_seller(
            self.SELLER_B, marketplaces=("ATVPDKIKX0DER", "A1AM78C64UM0Y8")
        )
        before = len(self.emulator.calls(path=PARTICIPATIONS))
        self.account_b.with_user(self.manager_b).action_amazon_refresh_marketplaces()
        self.assertEqual(len(self.emulator.calls(path=PARTICIPATIONS)), before + 1)
        self.assertEqual(
            set(self.account_b.amazon_participation_ids.mapped("marketplace_id")),
            {"ATVPDKIKX0DER", "A1AM78C64UM0Y8"},
        )
        mexico = self.account_b.amazon_participation_ids.filtered(
            lambda p: p.marketplace_id == "A1AM78C64UM0Y8"
        )
        self.assertEqual(mexico.currency_id.name, "MXN")

    def test_participations_are_the_connector_s(self):
        participation = self.account_b.amazon_participation_ids[:1]
        with self.assertRaises(AccessError):
            participation.with_user(self.user_b).write({"selected": False})
        # A manager chooses where to sell, but not what Amazon said.
        participation.with_user(self.manager_b).write({"selected": False})
        self.assertFalse(participation.selected)
        with self.assertRaises(AccessError):
            participation.with_user(self.manager_b).write({"marketplace_id": "X"})
        with self.assertRaises(AccessError):
            self.env["amazon.marketplace.participation"].with_user(
                self.manager_b
            ).create({"account_id": self.account_b.id, "marketplace_id": "X"})
        with self.assertRaises(AccessError):
            self.account_b.with_user(self.manager_b).write(
                {"amazon_selling_partner_id": "AFORGED"}
            )

    def test_one_account_per_seller_and_region(self):
        with self.assertRaises(UserError) as caught:
            self._connected_account(seller_id=self.SELLER_B, name="Second for B")
        self.assertIn("already connected", str(caught.exception))
        self.assertNotIn(self.account_b.name, str(caught.exception))
