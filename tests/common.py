"""Test plumbing: the eBay emulator on loopback and a connected account.

The test command starts one emulator for the whole run and exports
``EBAY_EMULATOR_URL``, the server's switch that enables the emulator
environment; run alone, these tests start their own emulator process and
set that switch to it.  Every test begins with a reset emulator and ends by asserting that
no request broke eBay's contracts.
"""

import atexit
import os

from cryptography.fernet import Fernet

from odoo import http
from odoo.tests.common import HttpCase, TransactionCase

from ..const import EMULATOR_URL_ENV, OAUTH_CALLBACK_PATH, VAULT_KEYS_ENV
from ..emulator.client import (
    EbayEmulatorClient,
    contracts_options,
    query_of,
    start_process,
)

_started = {}

# The emulator's one control client (pure Python, see emulator/client.py),
# under the names these tests use.
Emulator = EbayEmulatorClient


def start_emulator_process(options=None):
    """``(url, process)`` of an emulator started for these tests.

    ``options``: its contract options, by default ``--contracts`` with
    ``EBAY_CONTRACTS_DIR`` or ``../shared/ebay-contracts``; without contracts
    the emulator refuses to start (it never runs unchecked for these tests).
    """
    process, url = start_process(contracts_options() if options is None else options)
    atexit.register(process.terminate)
    return url, process


def checked(url):
    """``url`` once its emulator says it checks against eBay's contracts.

    Every test asserts "no contract violation"; against an emulator started
    with --no-contracts that proves nothing, so the tests refuse to run,
    whoever started the emulator.
    """
    EbayEmulatorClient(url).checked()
    return url


def emulator_url():
    if "url" not in _started:
        url = os.environ.get(EMULATOR_URL_ENV)
        url = url.rstrip("/") if url else start_emulator_process()[0]
        _started["url"] = checked(url)
        # What scripts/test.sh does for a whole run: the server's own switch
        # that enables the emulator environment at this (loopback) URL.
        os.environ[EMULATOR_URL_ENV] = _started["url"]
    return _started["url"]


class EmulatorMixin:
    """Reset the emulator before each test; fail on any contract violation."""

    CLIENT_ID = "odoo-test-app"
    RU_NAME = "odoo-test-runame"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = Emulator(emulator_url())
        # A secret for this run only: never a fixture.
        cls.client_secret = Fernet.generate_key().decode()

    def setUp(self):
        super().setUp()
        self.emulator.reset()
        self.emulator.register_app(
            self.CLIENT_ID, self.client_secret, self.RU_NAME, self._callback_url()
        )
        self.addCleanup(self._assert_no_contract_violation)

    def _callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base.rstrip("/") + OAUTH_CALLBACK_PATH

    def _assert_no_contract_violation(self):
        violations = self.emulator.violations()
        self.assertEqual(
            violations,
            [],
            "requests or the emulator's answers broke eBay's contracts:\n"
            + "\n".join(
                f"{v['side']} {v['method']} {v['path']} ({v['operation']}): "
                f"{v['reason']}"
                for v in violations
            ),
        )


class AccountMixin:
    """Accounts bound to the emulator, connected through real OAuth."""

    def _new_account(self, **values):
        account = self.env["marketplace.account"].create(
            dict(
                {
                    "channel": "ebay",
                    "name": "Test seller",
                    "environment": "emulator",
                    "client_id": self.CLIENT_ID,
                    "ebay_ru_name": self.RU_NAME,
                },
                **values,
            )
        )
        self.env["marketplace.secret"]._store(
            account, "client_secret", self.client_secret
        )
        return account

    def _connect(self, account):
        """Run the consent round-trip and complete it as the callback does."""
        state = account._oauth_make_state()
        consent_url = account._oauth_client().consent_url(account._scope_list(), state)
        redirect = self.emulator.consent(consent_url)
        params = query_of(redirect)
        self.assertEqual(params["state"], state)
        checked = self.env["marketplace.account"]._oauth_check_state(params["state"])
        checked._oauth_complete(params["code"])
        return account


class EbayCase(AccountMixin, EmulatorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Token refreshes commit in a cursor of their own; in test mode that
        # cursor shares the test transaction, as HttpCase does for requests.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        assert os.environ.get(VAULT_KEYS_ENV), "the test command sets vault keys"


class EbayHttpCase(AccountMixin, EmulatorMixin, HttpCase):
    """Real HTTP to this Odoo (controllers, Chromium tours) and the emulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Parse every manifest once, here, before Chromium's parallel requests
        # do it in several server threads at once: CPython 3.11's ast is not
        # thread-safe ("AST constructor recursion depth mismatch").
        assert http.root.statics

    def setUp(self):
        # Links Odoo builds (OAuth callback, notification endpoint) must point
        # at this test server.
        self.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", self.base_url()
        )
        super().setUp()
