"""The Amazon account's secrets stay in the vault: the LWA client secret, the
refresh token and the access token are encrypted, and never reach a view,
a log line, the chatter, the call log or a wizard row in clear."""

import logging

from odoo.tests import tagged

from .amazon_common import EMULATOR_SELLER, AmazonCase

ADDON_LOGGER = "odoo.addons.marketplace_connector"


@tagged("post_install", "-at_install")
class TestAmazonVault(AmazonCase):
    CONNECTED_ACCOUNT = False

    def _secrets(self, account):
        Secret = self.env["marketplace.secret"]
        return [
            value
            for kind in ("client_secret", "user_refresh", "user_access")
            for value in [Secret._read_secret(account, kind)[0]]
            if value
        ]

    def _assert_nowhere_in_clear(self, account, secrets):
        self.env.flush_all()
        cr = self.env.cr
        tables = {
            "marketplace_secret": "account_id",
            "marketplace_account": "id",
            "marketplace_call": "account_id",
            "amazon_connect_wizard": "account_id",
            "amazon_marketplace_participation": "account_id",
        }
        for table, column in tables.items():
            cr.execute(
                f"SELECT t::text FROM {table} t WHERE {column} = %s", [account.id]
            )
            dump = repr(cr.fetchall())
            for secret in secrets:
                self.assertNotIn(secret, dump, table)
        bodies = " ".join(account.message_ids.mapped("body"))
        for secret in secrets:
            self.assertNotIn(secret, bodies, "the chatter")
        # What a manager's form reads: every field of the account.
        manager = self.env.ref("base.user_admin")
        values = repr(account.with_user(manager).read(list(account._fields)))
        for secret in secrets:
            self.assertNotIn(secret, values, "the form")

    def test_consent_keeps_every_secret_in_the_vault(self):
        with self.assertLogs(ADDON_LOGGER, logging.DEBUG) as logs:
            account = self._connected_account()
            # A refresh too: its log lines and call rows.
            account._refresh_token_locked("user_access")
        secrets = self._secrets(account)
        self.assertEqual(len(secrets), 3)
        text = "\n".join(logs.output)
        for secret in secrets:
            self.assertNotIn(secret, text, "a log line")
        self._assert_nowhere_in_clear(account, secrets)
        # Encrypted, each bound to its own row.
        rows = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
        )
        self.assertEqual(len(rows), 3)
        for row in rows:
            self.assertTrue(row.ciphertext.startswith("v1:") or row.ciphertext)
            self.assertTrue(row.key_fingerprint)

    def test_self_authorised_refresh_token_is_vaulted(self):
        account = self.env["marketplace.account"].create(
            {
                "channel": "amazon",
                "name": "Self-authorised seller",
                "environment": "emulator",
                "amazon_region": "NA",
            }
        )
        refresh = self.emulator.self_authorize(self.CLIENT_ID, EMULATOR_SELLER)
        wizard = self.env["amazon.connect.wizard"].create(
            {
                "account_id": account.id,
                "method": "self",
                "environment": "emulator",
                "region": "NA",
                "client_id": self.CLIENT_ID,
                "client_secret": self.client_secret,
                "refresh_token": refresh,
                "selling_partner_id": EMULATOR_SELLER,
            }
        )
        # Saved by the web client before Connect: only ciphertext on the row.
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT w::text FROM amazon_connect_wizard w WHERE id = %s", [wizard.id]
        )
        dump = repr(self.env.cr.fetchall())
        self.assertNotIn(refresh, dump)
        self.assertNotIn(self.client_secret, dump)
        action = wizard.action_connect()
        self.assertEqual(action["res_id"], account.id)
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.amazon_selling_partner_id, EMULATOR_SELLER)
        self.assertTrue(account.amazon_participation_ids)
        Secret = self.env["marketplace.secret"]
        self.assertEqual(Secret._read_secret(account, "user_refresh")[0], refresh)
        self.assertFalse(wizard.sudo().refresh_token_ciphertext, "nothing kept")
        self._assert_nowhere_in_clear(account, self._secrets(account))
        # No consent happened: one refresh, no code exchange.
        self.assertFalse(self._lwa_calls("authorization_code"))
        self.assertEqual(len(self._lwa_calls("refresh_token")), 1)

    def test_disconnect_drops_the_seller_tokens(self):
        account = self._connected_account()
        account.action_disconnect()
        kinds = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
            .mapped("kind")
        )
        self.assertEqual(kinds, ["client_secret"])
        self.assertEqual(account.state, "draft")

    def test_a_new_region_drops_every_secret(self):
        account = self._connected_account()
        account.amazon_region = "EU"
        self.assertFalse(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
        )
        self.assertEqual(account.state, "draft")
        self.assertFalse(account.amazon_selling_partner_id)
