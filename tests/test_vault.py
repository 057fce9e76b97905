import os
from unittest import mock

from cryptography.fernet import Fernet

from odoo.exceptions import UserError

from ..const import VAULT_KEYS_ENV
from ..vault import key_fingerprint
from .ebay_common import EbayCase


class TestVault(EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account())

    def _raw_rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT kind, ciphertext, key_fingerprint FROM marketplace_secret "
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
            self.env["marketplace.secret"]._read_secret(self.account, kind)[0]
            for kind, _c, _f in rows
        ]
        self.assertIn(self.client_secret, plaintexts)
        self.env.cr.execute("SELECT * FROM marketplace_secret")
        dump = repr(self.env.cr.fetchall())
        for plaintext in plaintexts:
            self.assertTrue(plaintext)
            self.assertNotIn(plaintext, dump)
        # Nor anywhere on the account row (tokens are never fields there).
        self.env.cr.execute(
            "SELECT * FROM marketplace_account WHERE id = %s", (self.account.id,)
        )
        account_dump = repr(self.env.cr.fetchall())
        for plaintext in plaintexts:
            self.assertNotIn(plaintext, account_dump)

    def test_rotation_reencrypts_under_the_newest_key(self):
        old_keys = os.environ[VAULT_KEYS_ENV]
        secret_before = self.env["marketplace.secret"]._read_secret(
            self.account, "user_refresh"
        )[0]
        new_key = Fernet.generate_key().decode()
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: f"{new_key},{old_keys}"}):
            rotated = self.env["marketplace.secret"]._rotate_all()
            self.assertEqual(rotated, 3)
            self.assertEqual(
                self.env["marketplace.secret"]._rotate_all(), 0, "idempotent"
            )
        fingerprints = {r[2] for r in self._raw_rows()}
        self.assertEqual(len(fingerprints), 1)
        # Only the new key is needed now: the old ones can be dropped.
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: new_key}):
            self.env.invalidate_all()
            self.assertEqual(
                self.env["marketplace.secret"]._read_secret(
                    self.account, "user_refresh"
                )[0],
                secret_before,
            )

    def test_missing_key_is_a_clear_error(self):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: ""}):
            with self.assertRaisesRegex(UserError, "No vault key is configured"):
                self.env["marketplace.secret"]._read_secret(self.account, "user_access")
            # Without a key the wizard cannot even keep a typed secret.
            with self.assertRaisesRegex(UserError, "No vault key is configured"):
                self.env["ebay.connect.wizard"].create(
                    {
                        "account_id": self.account.id,
                        "environment": "emulator",
                        "client_id": "x",
                        "client_secret": "a-new-secret",
                        "ru_name": "y",
                    }
                )

    def test_wrong_key_is_a_clear_error(self):
        other = Fernet.generate_key().decode()
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: other}):
            with self.assertRaisesRegex(UserError, "key that encrypted it is missing"):
                self.env["marketplace.secret"]._read_secret(
                    self.account, "user_refresh"
                )
            with self.assertRaisesRegex(UserError, "Rotation stopped"):
                self.env["marketplace.secret"]._rotate_all()

    def test_malformed_key_is_named_without_echoing_it(self):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: "not-a-fernet-key"}):
            with self.assertRaises(UserError) as caught:
                self.env["marketplace.secret"]._vault()
        self.assertIn("Vault key #1", str(caught.exception))
        self.assertNotIn("not-a-fernet-key", str(caught.exception))

    # -- binding: a ciphertext belongs to its (account, kind) ---------------------
    def _ciphertext(self, account, kind):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT ciphertext FROM marketplace_secret WHERE account_id = %s AND kind = %s",
            (account.id, kind),
        )
        return self.env.cr.fetchone()[0]

    def _overwrite(self, account, kind, ciphertext):
        """What someone with write access to the database, not the keys, does."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE marketplace_secret SET ciphertext = %s WHERE account_id = %s AND kind = %s",
            (ciphertext, account.id, kind),
        )
        self.env.invalidate_all()

    def _account_of_company_b(self):
        company_b = self.env["res.company"].create({"name": "Vault company B"})
        return self._connect(
            self._new_account(name="Seller of B", company_id=company_b.id)
        )

    def test_a_ciphertext_moved_to_another_account_does_not_decrypt(self):
        other = self._account_of_company_b()
        refresh_a = self.env["marketplace.secret"]._read_secret(
            self.account, "user_refresh"
        )[0]
        self._overwrite(
            other, "user_refresh", self._ciphertext(self.account, "user_refresh")
        )
        with self.assertRaisesRegex(UserError, "does not belong to the record"):
            self.env["marketplace.secret"]._read_secret(other, "user_refresh")
        # Company B's account cannot renew itself with company A's consent:
        # the refresh is refused before anything reaches eBay.
        self._overwrite(
            other, "user_access", self._ciphertext(self.account, "user_access")
        )
        before = len(self.emulator.token_calls())
        with self.assertRaisesRegex(UserError, "does not belong to the record"):
            other._get_user_access_token()
        self.assertEqual(len(self.emulator.token_calls()), before)
        # The row it was copied from is untouched.
        self.assertEqual(
            self.env["marketplace.secret"]._read_secret(self.account, "user_refresh")[
                0
            ],
            refresh_a,
        )

    def test_a_ciphertext_moved_to_another_kind_does_not_decrypt(self):
        self._overwrite(
            self.account, "client_secret", self._ciphertext(self.account, "user_access")
        )
        with self.assertRaisesRegex(UserError, "does not belong to the record"):
            self.env["marketplace.secret"]._read_secret(self.account, "client_secret")

    def test_rotation_keeps_the_binding(self):
        other = self._account_of_company_b()
        refresh_a = self.env["marketplace.secret"]._read_secret(
            self.account, "user_refresh"
        )[0]
        new_key = Fernet.generate_key().decode()
        old_keys = os.environ[VAULT_KEYS_ENV]
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: f"{new_key},{old_keys}"}):
            self.env["marketplace.secret"]._rotate_all()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT DISTINCT key_fingerprint FROM marketplace_secret WHERE account_id IN %s",
            ((self.account.id, other.id),),
        )
        self.assertEqual(self.env.cr.fetchall(), [(key_fingerprint(new_key),)])
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: new_key}):
            self.env.invalidate_all()
            self.assertEqual(
                self.env["marketplace.secret"]._read_secret(
                    self.account, "user_refresh"
                )[0],
                refresh_a,
            )
            self._overwrite(
                other, "user_refresh", self._ciphertext(self.account, "user_refresh")
            )
            with self.assertRaisesRegex(UserError, "does not belong to the record"):
                self.env["marketplace.secret"]._read_secret(other, "user_refresh")

    def test_rotation_does_not_launder_a_moved_ciphertext(self):
        other = self._account_of_company_b()
        # Still under the old key, so the rotation would re-encrypt it.
        self._overwrite(
            other, "user_access", self._ciphertext(self.account, "user_access")
        )
        new_key = Fernet.generate_key().decode()
        old_keys = os.environ[VAULT_KEYS_ENV]
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: f"{new_key},{old_keys}"}):
            with self.assertRaisesRegex(
                UserError, "Rotation stopped.*does not belong to the record"
            ):
                self.env["marketplace.secret"]._rotate_all()
