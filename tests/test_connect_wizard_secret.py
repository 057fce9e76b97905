"""The client secret typed in the Connect wizard never reaches the database
in clear, whether Connect succeeds or fails.

The web client saves the wizard (one request, committed) before it calls
Connect (another request); ``Form.save()`` is that first request here.
"""

import os
from unittest import mock

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user
from odoo.tools import config

from ..const import EMULATOR_URL_CONFIG, EMULATOR_URL_ENV, VAULT_KEYS_ENV
from .ebay_common import EbayCase


class TestConnectWizardSecret(EbayCase):
    def setUp(self):
        super().setUp()
        self.company_b = self.env["res.company"].create({"name": "Wizard shop B"})
        self.manager_b = new_test_user(
            self.env,
            login="wizard_manager_b",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
        )
        self.account = self.env["marketplace.account"].create(
            {
                "channel": "ebay",
                "name": "Seller of B",
                "company_id": self.company_b.id,
                "environment": "emulator",
                "client_id": self.CLIENT_ID,
                "ebay_ru_name": self.RU_NAME,
            }
        )

    def _saved_wizard(self, secret):
        form = Form(
            self.env["ebay.connect.wizard"]
            .with_user(self.manager_b)
            .with_context(default_account_id=self.account.id)
        )
        form.client_secret = secret
        return form.save()

    def _wizard_rows_text(self):
        """Every wizard row, every column, as the database holds them."""
        self.env.flush_all()
        self.env.cr.execute("SELECT w::text FROM ebay_connect_wizard w")
        return " ".join(row[0] for row in self.env.cr.fetchall())

    def _ciphertext(self, wizard):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT client_secret_ciphertext FROM ebay_connect_wizard WHERE id = %s",
            (wizard.id,),
        )
        return self.env.cr.fetchone()[0]

    def test_a_saved_wizard_holds_the_secret_encrypted_only(self):
        wizard = self._saved_wizard(self.client_secret)
        self.assertNotIn(self.client_secret, self._wizard_rows_text())
        self.assertTrue(self._ciphertext(wizard), "kept, encrypted, for Connect")
        self.assertFalse(wizard.client_secret, "and never shown back")

    def test_a_failed_connect_leaves_no_secret_in_clear(self):
        wizard = self._saved_wizard(self.client_secret)
        # Connect fails: this server no longer enables the emulator.
        with (
            mock.patch.dict(os.environ, {EMULATOR_URL_ENV: ""}),
            mock.patch.dict(config.options, {EMULATOR_URL_CONFIG: ""}),
        ):
            with self.assertRaisesRegex(UserError, "not enabled on this server"):
                with self.env.cr.savepoint():
                    wizard.action_connect()
        self.assertNotIn(self.client_secret, self._wizard_rows_text())
        self.assertFalse(self.account.has_client_secret, "nothing reached the vault")
        self.assertFalse(self.emulator.token_calls())

    def test_a_successful_connect_moves_the_secret_to_the_vault(self):
        wizard = self._saved_wizard(self.client_secret)
        action = wizard.action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertNotIn(self.client_secret, self._wizard_rows_text())
        self.assertFalse(self._ciphertext(wizard), "the wizard row keeps nothing")
        self.assertEqual(
            self.env["marketplace.secret"]._read_secret(self.account, "client_secret")[
                0
            ],
            self.client_secret,
        )
        self.env.cr.execute("SELECT t::text FROM marketplace_secret t")
        self.assertNotIn(
            self.client_secret, " ".join(r[0] for r in self.env.cr.fetchall())
        )

    def test_without_a_vault_key_the_secret_is_not_kept_at_all(self):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: ""}):
            with self.assertRaisesRegex(UserError, "No vault key is configured"):
                with self.env.cr.savepoint():
                    self._saved_wizard(self.client_secret)
        self.assertNotIn(self.client_secret, self._wizard_rows_text())

    def test_a_wizard_ciphertext_is_bound_to_its_row(self):
        first = self._saved_wizard(self.client_secret)
        second = self._saved_wizard("the-other-secret")
        # Someone with database access swaps the ciphertexts of two wizards.
        self.env.cr.execute(
            "UPDATE ebay_connect_wizard SET client_secret_ciphertext = %s "
            "WHERE id = %s",
            (self._ciphertext(first), second.id),
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "does not belong to the record"):
            second.action_connect()
