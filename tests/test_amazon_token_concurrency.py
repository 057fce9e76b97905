"""Several workers needing an Amazon access token at once make one LWA call;
several refused at once raise one alert.

Outside Odoo's test transaction on purpose: each thread has its own real
database connection, as job runner workers do, so the neutral refresh lock
(an advisory lock) is exercised for real.  Its records are committed and
then removed.
"""

import threading
import unittest
from datetime import timedelta

from cryptography.fernet import Fernet

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..amazon import AmazonAuthError
from ..emulator.client import AmazonEmulatorClient
from .amazon_common import (
    LWA_LOGGER,
    LWA_TOKEN,
    TOKEN_LOGGER,
    AmazonEmulatorMixin,
    amazon_emulator_url,
    query_of,
)

WORKERS = 4
ACCOUNT_LOGGER = (
    "odoo.addons.marketplace_connector.models.marketplace.marketplace_account"
)


class TestAmazonConcurrentRefresh(unittest.TestCase):
    def setUp(self):
        self.registry = Registry(get_db_name())
        self.emulator = AmazonEmulatorClient(amazon_emulator_url())
        self.emulator.reset()
        self.secret = Fernet.generate_key().decode()
        callback = "http://127.0.0.1/amazon/oauth/callback"
        self.emulator.add_app(
            AmazonEmulatorMixin.CLIENT_ID,
            self.secret,
            AmazonEmulatorMixin.APPLICATION_ID,
            callback,
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["ir.config_parameter"].set_param("web.base.url", "http://127.0.0.1")
            account = env["marketplace.account"].create(
                {
                    "channel": "amazon",
                    "name": "Amazon concurrency seller",
                    "environment": "emulator",
                    "amazon_region": "NA",
                    "client_id": AmazonEmulatorMixin.CLIENT_ID,
                    "amazon_application_id": AmazonEmulatorMixin.APPLICATION_ID,
                }
            )
            account._amazon_store_client_secret(self.secret)
            state = account._amazon_oauth_make_state()
            params = query_of(self.emulator.consent(account._amazon_consent_url(state)))
            account._amazon_oauth_check_state(params["state"])._amazon_oauth_complete(
                params["spapi_oauth_code"], params["selling_partner_id"]
            )
            Secret = env["marketplace.secret"]
            token, _exp = Secret._read_secret(account, "user_access")
            # Nearly expired: every worker will want a new one.
            Secret._store(
                account,
                "user_access",
                token,
                fields.Datetime.now() + timedelta(seconds=30),
            )
            self.account_id = account.id
            self.stale_token = token
            self.refresh_token = Secret._read_secret(account, "user_refresh")[0]
        self.addCleanup(self._remove_account)

    def _remove_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["marketplace.account"].browse(self.account_id).unlink()

    def _workers(self):
        """Ask for the access token in WORKERS threads on connections of
        their own, all having read the stale token before any goes on.
        Returns (tokens, exceptions) once all have finished."""
        barrier = threading.Barrier(WORKERS)
        tokens, exceptions = [], []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    account = env["marketplace.account"].browse(self.account_id)
                    env["marketplace.secret"]._read_secret(account, "user_access")
                    barrier.wait(timeout=10)
                    tokens.append(account._amazon_access_token())
            except Exception as exc:  # reported to the test, in the main thread
                exceptions.append(exc)

        threads = [threading.Thread(target=worker) for _i in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse([t for t in threads if t.is_alive()], "a worker hangs")
        return tokens, exceptions

    def _refreshes(self):
        return [
            c
            for c in self.emulator.calls(path=LWA_TOKEN)
            if (c.get("body") or {}).get("grant_type") == "refresh_token"
        ]

    def test_many_workers_one_lwa_call(self):
        # Slow LWA down so the refreshes would overlap without the lock.
        self.emulator.fault(LWA_TOKEN, "slow", delay=1.0, times=WORKERS)
        tokens, errors = self._workers()
        self.assertEqual(errors, [])
        self.assertEqual(len(tokens), WORKERS)
        self.assertEqual(len(set(tokens)), 1, "every worker got the same token")
        self.assertNotEqual(tokens[0], self.stale_token)
        self.assertEqual(len(self._refreshes()), 1, "one LWA call for all")
        self.assertEqual(self.emulator.violations(), [])

    def test_many_workers_refused_at_once_raise_one_alert(self):
        self.emulator.revoke(self.refresh_token)
        self.emulator.fault(LWA_TOKEN, "slow", delay=1.0, times=1)
        with mute_logger(LWA_LOGGER, TOKEN_LOGGER, ACCOUNT_LOGGER):
            tokens, exceptions = self._workers()
        self.assertEqual(tokens, [], "a revoked authorisation gave a token")
        refused = [exc for exc in exceptions if isinstance(exc, AmazonAuthError)]
        self.assertEqual(exceptions, refused, "only Amazon's refusal is raised")
        self.assertEqual(len(refused), WORKERS)
        # The first worker asked LWA; the others found the account stopped.
        self.assertEqual(len(self._refreshes()), 1)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["marketplace.account"].browse(self.account_id)
            self.assertEqual(account.state, "reauth")
            alerts = env["marketplace.alert"].search(
                [("account_id", "=", account.id), ("cause", "=", "token_revoked")]
            )
            self.assertEqual(len(alerts), 1, "one alert for one cause")
