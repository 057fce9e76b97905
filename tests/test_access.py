from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .ebay_common import EbayCase


class TestAccess(EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account())
        self.user = new_test_user(
            self.env,
            login="mp_user",
            groups="marketplace_connector.group_marketplace_user,base.group_user",
        )
        self.manager = new_test_user(
            self.env,
            login="mp_manager",
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
        )

    def test_user_reads_status_but_no_secret(self):
        account = self.account.with_user(self.user)
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.ebay_username, "emulator_seller")
        self.assertTrue(account.access_token_expires_at)
        for field in (
            "client_id",
            "ebay_ru_name",
            "has_client_secret",
            "ebay_oauth_nonce",
        ):
            with self.assertRaises(AccessError, msg=field):
                account.read([field])
        with self.assertRaises(AccessError):
            self.env["marketplace.secret"].with_user(self.user).search([])
        token = self.env["marketplace.secret"].sudo().search([], limit=1)
        with self.assertRaises(AccessError):
            token.with_user(self.user).sudo(False).read(["kind"])
        with self.assertRaises(AccessError):
            account.write({"name": "renamed"})
        with self.assertRaises(AccessError):
            self.env["ebay.connect.wizard"].with_user(self.user).create(
                {
                    "account_id": account.id,
                    "environment": "emulator",
                    "client_id": "a",
                    "ru_name": "b",
                }
            )

    def test_manager_reads_credentials_but_not_the_vault(self):
        account = self.account.with_user(self.manager)
        self.assertEqual(account.client_id, self.CLIENT_ID)
        self.assertTrue(account.has_client_secret)
        with self.assertRaises(AccessError):
            account.read(["ebay_oauth_nonce"])
        with self.assertRaises(AccessError):
            self.env["marketplace.secret"].with_user(self.manager).search_read(
                [], ["ciphertext"]
            )
        # Views never carry token values: the form's fields are status only.
        arch = (
            self.env["marketplace.account"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("ciphertext", arch)
        self.assertNotIn("token_ids", arch)

    def test_accounts_are_isolated_by_company(self):
        other_company = self.env["res.company"].create({"name": "Other shop"})
        other = self._new_account(name="Other seller", company_id=other_company.id)
        visible = self.env["marketplace.account"].with_user(self.manager).search([])
        self.assertIn(self.account, visible)
        self.assertNotIn(other, visible)

    def test_neutralize_disconnects(self):
        self.env["marketplace.account"].flush_model()
        self.env["marketplace.secret"].flush_model()
        from odoo.modules.neutralize import get_neutralization_queries

        for query in get_neutralization_queries(["marketplace_connector"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertEqual(self.account.state, "draft")
        self.assertFalse(self.env["marketplace.secret"].sudo().search([]))

    def test_disconnect_drops_every_token_of_the_channel(self):
        # eBay adds its application token to the neutral kinds a disconnect
        # drops (_marketplace_token_kinds); the app's secret stays.
        Secret = self.env["marketplace.secret"].sudo()
        Secret._store(self.account, "app_access", "an-app-token")
        self.account.with_user(self.manager).action_disconnect()
        kinds = set(
            Secret.search([("account_id", "=", self.account.id)]).mapped("kind")
        )
        self.assertEqual(kinds, {"client_secret"})
        self.assertEqual(self.account.state, "draft")
        bodies = self.account.message_ids.mapped("body")
        self.assertIn("<p>Disconnected from eBay.</p>", bodies)

    def test_an_ebay_account_needs_its_marketplace(self):
        # Not a required field of the neutral account: required of eBay's.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._new_account(name="No marketplace", ebay_marketplace_id=False)
