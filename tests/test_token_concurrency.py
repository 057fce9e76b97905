"""Two workers needing a token at once make one refresh call; two workers
refused at once raise one alert.

This test runs outside Odoo's test transaction on purpose: each thread has
its own real database connection, as two job runner workers do, so the
advisory lock is exercised for real.  Its records are committed and then
removed.
"""

import threading
import unittest
from datetime import timedelta

from cryptography.fernet import Fernet

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..ebay import EbayAuthError
from .common import Emulator, EmulatorMixin, emulator_url, query_of

TOKEN_PATH = "^/identity/v1/oauth2/token$"
AUTH_LOGGER = "odoo.addons.marketplace_connector.ebay.auth"
ACCOUNT_LOGGER = (
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account"
)
ACTIVITY_TYPE = "marketplace_connector.mail_activity_type_marketplace_attention"


class TestConcurrentRefresh(unittest.TestCase):
    def setUp(self):
        self.registry = Registry(get_db_name())
        self.emulator = Emulator(emulator_url())
        self.emulator.reset()
        self.secret = Fernet.generate_key().decode()
        self.emulator.register_app(
            EmulatorMixin.CLIENT_ID,
            self.secret,
            EmulatorMixin.RU_NAME,
            "http://127.0.0.1/ebay/oauth/callback",
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            account = env["marketplace.account"].create(
                {
                    "channel": "ebay",
                    "name": "Concurrency seller",
                    "environment": "emulator",
                    "client_id": EmulatorMixin.CLIENT_ID,
                    "ru_name": EmulatorMixin.RU_NAME,
                }
            )
            env["marketplace.secret"]._store(account, "client_secret", self.secret)
            state = account._oauth_make_state()
            url = account._oauth_client().consent_url(account._scope_list(), state)
            code = query_of(self.emulator.consent(url))["code"]
            account._oauth_complete(code)
            token, _exp = env["marketplace.secret"]._read_secret(account, "user_access")
            # Nearly expired: every worker will want a new one.
            env["marketplace.secret"]._store(
                account,
                "user_access",
                token,
                fields.Datetime.now() + timedelta(seconds=30),
            )
            self.account_id = account.id
            self.stale_token = token
        self.addCleanup(self._remove_account)

    def _remove_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["marketplace.account"].browse(self.account_id).unlink()

    def _two_workers(self):
        """Ask for the user token in two workers on connections of their own,
        both having read the stale token before either goes on.

        Returns (tokens, exceptions), once both workers have finished.
        """
        barrier = threading.Barrier(2)
        tokens, exceptions = [], []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    account = env["marketplace.account"].browse(self.account_id)
                    env["marketplace.secret"]._read_secret(account, "user_access")
                    barrier.wait(timeout=10)
                    tokens.append(account._get_user_access_token())
            except Exception as exc:  # reported to the test, in the main thread
                exceptions.append(exc)

        threads = [threading.Thread(target=worker) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse([t for t in threads if t.is_alive()], "a worker hangs")
        return tokens, exceptions

    def test_two_workers_one_refresh(self):
        # Slow eBay down so the two refreshes would overlap without the lock.
        self.emulator.fault("^/identity/v1/oauth2/token$", "slow", delay=1.0, times=2)
        results, errors = self._two_workers()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 2)
        self.assertEqual(results[0], results[1], "both workers got the same token")
        self.assertNotEqual(results[0], self.stale_token)
        self.assertEqual(len(self.emulator.token_calls("refresh_token")), 1)
        self.assertEqual(self.emulator.violations(), [])

    def test_two_workers_refused_at_once_raise_one_alert(self):
        """eBay refuses the refresh token of both workers: one alert."""
        self.emulator.revoke()
        # The first refusal is slow: the second worker has already checked
        # that the account may call before the first one stores the refusal.
        self.emulator.fault(TOKEN_PATH, "slow", delay=1.0, times=1)
        with mute_logger(AUTH_LOGGER, ACCOUNT_LOGGER):
            tokens, exceptions = self._two_workers()
        self.assertEqual(tokens, [], "a revoked consent gave a token")
        refused = [exc for exc in exceptions if isinstance(exc, EbayAuthError)]
        self.assertEqual(exceptions, refused, "only eBay's refusal is raised")
        self.assertEqual(len(refused), 2)
        self.assertTrue(all(err.needs_reauthorisation for err in refused))
        self.assertEqual(self.emulator.violations(), [])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["marketplace.account"].browse(self.account_id)
            self.assertEqual(account.state, "reauth")
            alerts = env["marketplace.alert"].search(
                [("account_id", "=", account.id), ("cause", "=", "token_revoked")]
            )
            self.assertEqual(len(alerts), 1, "one alert for one cause")
            activity_type = env.ref(ACTIVITY_TYPE)
            activities = account.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            self.assertEqual(activities, alerts.activity_ids)
            self.assertEqual(
                len(activities), len(account._alert_managers()), "one per manager"
            )
