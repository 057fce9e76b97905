from odoo.exceptions import AccessError
from odoo.tests import new_test_user

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
        for field in ("client_id", "ru_name", "has_client_secret", "oauth_nonce"):
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
            account.read(["oauth_nonce"])
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
