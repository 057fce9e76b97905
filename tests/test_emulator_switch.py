"""The emulator environment is the server's switch, never a user's choice.

A manager who could set an account's emulator URL had the access token, the
refresh token and client id:secret sent to a host of his own.  Now only the
server's configuration (EBAY_EMULATOR_URL or ``ebay_emulator_url``) names
the emulator, and only at a loopback address; a change of environment or
client id drops every vaulted secret of the account.
"""

import os
import socket
import threading
from unittest import mock

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import config, mute_logger

from ..const import EMULATOR_URL_CONFIG, EMULATOR_URL_ENV
from ..models.ebay.ebay_environment import enabled_emulator_url, loopback_base_url
from .ebay_common import EbayCase

ENVIRONMENT_LOGGER = "odoo.addons.marketplace_connector.models.ebay.ebay_environment"


class _Catcher:
    """A host of an attacker's choosing (on loopback here): records contacts."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.contacts = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    self.contacts.append(connection.recv(65536))
                except OSError:
                    self.contacts.append(b"")

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()


class TestEmulatorSwitch(EbayCase):
    def setUp(self):
        super().setUp()
        self.company_b = self.env["res.company"].create({"name": "Shop B"})
        self.manager_b = new_test_user(
            self.env,
            login="manager_b",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
        )
        self.user_b = new_test_user(
            self.env,
            login="user_b",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
            groups="marketplace_connector.group_marketplace_user,base.group_user",
        )
        self.account_a = self._connect(self._new_account(name="Seller A"))
        self.account_b = self._connect(
            self._new_account(name="Seller B", company_id=self.company_b.id)
        )
        self.catcher = _Catcher()
        self.addCleanup(self.catcher.close)

    def _vault_kinds(self, account):
        return set(
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "=", account.id)])
            .mapped("kind")
        )

    def _switched_off(self):
        """The server without the emulator switch (neither setting)."""
        stack = mock.patch.dict(os.environ, {EMULATOR_URL_ENV: ""})
        stack.start()
        self.addCleanup(stack.stop)
        options = mock.patch.dict(config.options, {EMULATOR_URL_CONFIG: ""})
        options.start()
        self.addCleanup(options.stop)

    # -- the URL is not the user's ----------------------------------------------
    def test_manager_cannot_point_an_account_at_a_host_of_his_choice(self):
        account = self.account_b.with_user(self.manager_b)
        for url in (self.catcher.url, "http://attacker.example:8099"):
            with self.assertRaisesRegex(UserError, "not chosen per account"):
                account.write({"emulator_url": url})
            with self.assertRaisesRegex(UserError, "not chosen per account"):
                self.env["marketplace.account"].with_user(self.manager_b).create(
                    {
                        "channel": "ebay",
                        "name": "Mine",
                        "company_id": self.company_b.id,
                        "environment": "emulator",
                        "emulator_url": url,
                    }
                )
        # Test connection still goes to the server's emulator, and only there.
        calls_before = len(self.emulator.calls())
        account.action_ebay_test_connection()
        self.assertGreater(len(self.emulator.calls()), calls_before)
        account.invalidate_recordset(["emulator_url"])
        self.assertEqual(account.emulator_url, self.emulator.url)
        # Connecting again through the wizard cannot pick the host either.
        wizard = (
            self.env["ebay.connect.wizard"]
            .with_user(self.manager_b)
            .create(
                {
                    "account_id": account.id,
                    "environment": "emulator",
                    "emulator_url": self.catcher.url,
                    "client_id": self.CLIENT_ID,
                    "ru_name": self.RU_NAME,
                }
            )
        )
        consent_url = wizard.action_connect()["url"]
        self.assertTrue(consent_url.startswith(self.emulator.url + "/"), consent_url)
        self.assertEqual(self.catcher.contacts, [], "nothing reached that host")

    def test_the_emulator_needs_the_servers_switch(self):
        sandbox = self.env["marketplace.account"].create(
            {"channel": "ebay", "name": "Sandbox B", "company_id": self.company_b.id}
        )
        self._switched_off()
        self.assertIsNone(enabled_emulator_url())
        Account = self.env["marketplace.account"].with_user(self.manager_b)
        with self.assertRaisesRegex(UserError, "not enabled on this server"):
            Account.create(
                {
                    "channel": "ebay",
                    "name": "Emulated",
                    "company_id": self.company_b.id,
                    "environment": "emulator",
                }
            )
        with self.assertRaisesRegex(UserError, "not enabled on this server"):
            sandbox.with_user(self.manager_b).write({"environment": "emulator"})
        # An account already on the emulator stops calling at all.
        calls_before = len(self.emulator.calls())
        with self.assertRaisesRegex(UserError, "not enabled on this server"):
            self.account_b.with_user(self.manager_b).action_ebay_test_connection()
        self.account_b.invalidate_recordset(["emulator_url"])
        self.assertFalse(self.account_b.emulator_url)
        self.assertEqual(len(self.emulator.calls()), calls_before)

    @mute_logger(ENVIRONMENT_LOGGER)
    def test_a_server_setting_off_loopback_enables_nothing(self):
        account = self.account_b.with_user(self.manager_b)
        port = self.emulator.url.rsplit(":", 1)[1]
        for url in (
            f"http://10.20.30.40:{port}",
            f"http://ebay-emulator.example:{port}",
            f"http://127.0.0.1.nip.io:{port}",
            f"http://127.0.0.1@attacker.example:{port}",
            f"{self.emulator.url}/somewhere",
        ):
            with mock.patch.dict(os.environ, {EMULATOR_URL_ENV: url}):
                self.assertIsNone(enabled_emulator_url(), url)
                calls_before = len(self.emulator.calls())
                with self.assertRaisesRegex(UserError, "not enabled on this server"):
                    account.action_ebay_test_connection()
                self.assertEqual(len(self.emulator.calls()), calls_before, url)

    def test_the_configuration_file_option_enables_it(self):
        self._switched_off()
        with mock.patch.dict(config.options, {EMULATOR_URL_CONFIG: self.emulator.url}):
            self.assertEqual(enabled_emulator_url(), self.emulator.url)
            self.account_b.with_user(self.manager_b).action_ebay_test_connection()
        self.assertEqual(self.account_b.ebay_username, "emulator_seller")

    def test_loopback_urls(self):
        accepted = {
            "http://127.0.0.1:8099": "http://127.0.0.1:8099",
            "http://127.8.9.10:1/": "http://127.8.9.10:1",
            "https://localhost:8443": "https://localhost:8443",
            "http://[::1]:8099": "http://[::1]:8099",
            " http://127.0.0.1:8099 ": "http://127.0.0.1:8099",
        }
        for url, base in accepted.items():
            self.assertEqual(loopback_base_url(url), base, url)
        for url in (
            "http://10.0.0.1:8099",
            "http://0.0.0.0:8099",
            "http://[::]:8099",
            "http://example.com",
            "http://localhost.example.com",
            "http://user:pw@127.0.0.1:8099",
            "ftp://127.0.0.1",
            "http://127.0.0.1:8099/api",
            "http://127.0.0.1:8099?x=1",
            "http://127.0.0.1:port",
            "127.0.0.1:8099",
            "",
            None,
        ):
            self.assertIsNone(loopback_base_url(url), url)

    # -- a new environment or app drops the secrets -----------------------------
    def test_changing_the_client_id_drops_tokens_and_secret(self):
        account = self.account_b.with_user(self.manager_b)
        account.write({"client_id": self.CLIENT_ID, "name": "Same app"})
        self.assertEqual(
            self._vault_kinds(account), {"client_secret", "user_access", "user_refresh"}
        )
        token_calls = len(self.emulator.token_calls())
        account.write({"client_id": "another-app"})
        self.assertEqual(self._vault_kinds(account), set())
        self.assertEqual(account.state, "draft")
        self.assertFalse(account.has_client_secret)
        self.assertIn(
            "the tokens and the client secret were removed",
            " ".join(account.message_ids.mapped("body")),
        )
        with self.assertRaises(UserError):
            account.action_ebay_test_connection()
        self.assertEqual(len(self.emulator.token_calls()), token_calls)
        # Company A's account is not touched.
        self.assertEqual(self.account_a.state, "connected")
        self.assertEqual(
            self._vault_kinds(self.account_a),
            {"client_secret", "user_access", "user_refresh"},
        )

    def test_changing_the_environment_drops_tokens_and_secret(self):
        self.account_b._get_app_access_token()
        account = self.account_b.with_user(self.manager_b)
        self.assertIn("app_access", self._vault_kinds(account))
        account.write({"environment": "sandbox"})
        self.assertEqual(self._vault_kinds(account), set())
        self.assertEqual(account.state, "draft")
        self.assertFalse(account.emulator_url)

    def test_the_wizard_asks_the_secret_again_for_another_app(self):
        Wizard = self.env["ebay.connect.wizard"].with_user(self.manager_b)
        values = {
            "account_id": self.account_b.id,
            "environment": "emulator",
            "client_id": "another-app",
            "ru_name": self.RU_NAME,
        }
        with self.assertRaisesRegex(UserError, "Enter the client secret"):
            Wizard.create(values).action_connect()
        self.assertEqual(
            self._vault_kinds(self.account_b),
            {"client_secret", "user_access", "user_refresh"},
            "a refused Connect changes nothing",
        )
        Wizard.create(dict(values, client_secret="another-secret")).action_connect()
        self.assertEqual(self._vault_kinds(self.account_b), {"client_secret"})
        self.assertEqual(
            self.env["marketplace.secret"]._read_secret(
                self.account_b, "client_secret"
            )[0],
            "another-secret",
        )
        self.assertEqual(self.account_b.state, "draft")

    def test_only_a_manager_of_the_company_changes_the_app(self):
        with self.assertRaises(AccessError):
            self.account_b.with_user(self.user_b).write({"environment": "sandbox"})
        with self.assertRaises(AccessError):
            self.account_a.with_user(self.manager_b).write({"client_id": "mine"})
        with self.assertRaises(AccessError):
            self.env["ebay.connect.wizard"].with_user(self.manager_b).create(
                {
                    "account_id": self.account_a.id,
                    "environment": "emulator",
                    "client_id": "mine",
                    "client_secret": "mine",
                    "ru_name": "mine",
                }
            ).action_connect()
        for account in (self.account_a, self.account_b):
            self.assertEqual(account.state, "connected")
            self.assertEqual(
                self._vault_kinds(account),
                {"client_secret", "user_access", "user_refresh"},
            )
