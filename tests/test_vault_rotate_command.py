"""``odoo-bin marketplace_vault_rotate``, run as operators run it.

The command is a separate process on the test database, so what it must
rotate is committed first (outside Odoo's test transaction, as in
test_token_concurrency) and removed afterwards.
"""

import os
import subprocess
import sys
import unittest
from unittest import mock

from cryptography.fernet import Fernet

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name
from odoo.tools import config

from ..const import VAULT_KEYS_ENV
from ..vault import key_fingerprint

SECRETS = {
    "client_secret": "rotate-me-client-secret-" + Fernet.generate_key().decode(),
    "user_refresh": "rotate-me-refresh-token-" + Fernet.generate_key().decode(),
}


class TestVaultRotateCommand(unittest.TestCase):
    def setUp(self):
        self.registry = Registry(get_db_name())
        self.old_keys = os.environ[VAULT_KEYS_ENV]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # Rows other tests may have committed count too: the command
            # rotates the whole database.
            self.rows_before = env["marketplace.secret"].search_count([])
            account = env["marketplace.account"].create(
                {"channel": "ebay", "name": "Rotation seller"}
            )
            for kind, secret in SECRETS.items():
                env["marketplace.secret"]._store(account, kind, secret)
            self.account_id = account.id
        self.addCleanup(self._remove_account)

    def _remove_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["marketplace.account"].browse(self.account_id).unlink()

    def _run(self, keys):
        """The command line of the docs, with ``keys`` in the environment."""
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                f"--addons-path={config['addons_path']}",
                "marketplace_vault_rotate",
                "-c",
                config.rcfile,
                "-d",
                get_db_name(),
                "--log-level=warn",
            ],
            env=dict(os.environ, **{VAULT_KEYS_ENV: keys}),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def _rows(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT kind, ciphertext, key_fingerprint FROM marketplace_secret "
                "WHERE account_id = %s ORDER BY kind",
                (self.account_id,),
            )
            return cr.fetchall()

    def _read(self, keys):
        with mock.patch.dict(os.environ, {VAULT_KEYS_ENV: keys}):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                account = env["marketplace.account"].browse(self.account_id)
                return {
                    kind: env["marketplace.secret"]._read_secret(account, kind)[0]
                    for kind in SECRETS
                }

    def test_rotation_to_a_new_key(self):
        new_key = Fernet.generate_key().decode()
        done = self._run(f"{new_key},{self.old_keys}")
        self.assertEqual(done.returncode, 0, done.stderr)
        rotated = self.rows_before + len(SECRETS)
        self.assertIn(
            f"Re-encrypted {rotated} secret(s) under the newest vault key.",
            done.stdout,
        )
        self.assertEqual({row[2] for row in self._rows()}, {key_fingerprint(new_key)})
        # The old keys can go: the new one alone reads everything.
        self.assertEqual(self._read(new_key), SECRETS)
        for secret in SECRETS.values():
            self.assertNotIn(secret, done.stdout + done.stderr)

    def test_rotation_without_the_old_key_changes_nothing(self):
        before = self._rows()
        done = self._run(Fernet.generate_key().decode())
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("Vault rotation failed, nothing changed", done.stderr)
        self.assertEqual(self._rows(), before)
        self.assertEqual(self._read(self.old_keys), SECRETS)
