import os
from unittest import mock

from cryptography.fernet import Fernet

from odoo.exceptions import UserError

from ..const import VAULT_KEYS_ENV
from .common import EbayCase


class TestVault(EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account())

    def _raw_rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT kind, ciphertext, key_fingerprint FROM ebay_token "
            "WHERE account_id = %s ORDER BY kind",
            (self.account.id,),
        )
        return self.env.cr.fetchall()

    def test_secrets_are_encrypted_at_rest(self):
        rows = self._raw_rows()
        self.assertEqual(
            [r[0] for r in rows], ["client_secret", "user_access", "user_refresh"]
        )
        plaintexts = [
            self.env["ebay.token"]._read_secret(self.account, kind)[0]
            for kind, _c, _f in rows
        ]
        self.assertIn(self.client_secret, plaintexts)
        self.env.cr.execute("SELECT * FROM ebay_token")
        dump = repr(self.env.cr.fetchall())
        for plaintext in plaintexts:
            self.assertTrue(plaintext)
            self.assertNotIn(plaintext, dump)
        # Nor anywhere on the account row (tokens are never fields there).
        self.env.cr.execute(
            "SELECT * FROM ebay_account WHERE id = %s", (self.account.id,)
        )
        account_dump = repr(self.env.cr.fetchall())
        for plaintext in plaintexts:
            self.assertNotIn(plaintext, account_dump)

    def test_rotation_reencrypts_under_the_newest_key(self):
        old_keys = os.environ[VAULT_KEYS_ENV]
        secret_before = self.env["ebay.token"]._read_secret(
            self.account, "user_refresh"
        )[0]
        new_key = Fernet.generate_key().decode()
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: f"{new_key},{old_keys}"}):
            rotated = self.env["ebay.token"]._rotate_all()
            self.assertEqual(rotated, 3)
            self.assertEqual(self.env["ebay.token"]._rotate_all(), 0, "idempotent")
        fingerprints = {r[2] for r in self._raw_rows()}
        self.assertEqual(len(fingerprints), 1)
        # Only the new key is needed now: the old ones can be dropped.
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: new_key}):
            self.env.invalidate_all()
            self.assertEqual(
                self.env["ebay.token"]._read_secret(self.account, "user_refresh")[0],
                secret_before,
            )

    def test_missing_key_is_a_clear_error(self):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: ""}):
            with self.assertRaisesRegex(UserError, "No vault key is configured"):
                self.env["ebay.token"]._read_secret(self.account, "user_access")
            wizard = self.env["ebay.connect.wizard"].create(
                {
                    "account_id": self.account.id,
                    "environment": "emulator",
                    "emulator_url": self.emulator.url,
                    "client_id": "x",
                    "client_secret": "a-new-secret",
                    "ru_name": "y",
                }
            )
            with self.assertRaisesRegex(UserError, "No vault key is configured"):
                wizard.action_connect()

    def test_wrong_key_is_a_clear_error(self):
        other = Fernet.generate_key().decode()
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: other}):
            with self.assertRaisesRegex(UserError, "key that encrypted it is missing"):
                self.env["ebay.token"]._read_secret(self.account, "user_refresh")
            with self.assertRaisesRegex(UserError, "Rotation stopped"):
                self.env["ebay.token"]._rotate_all()

    def test_malformed_key_is_named_without_echoing_it(self):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: "not-a-fernet-key"}):
            with self.assertRaises(UserError) as caught:
                self.env["ebay.token"]._vault()
        self.assertIn("Vault key #1", str(caught.exception))
        self.assertNotIn("not-a-fernet-key", str(caught.exception))
