"""/marketplace/health: one status for anonymous callers, details for the token's
bearer and for managers (their companies' accounts), and a token that is a
secret (only its digest is kept, never shown back)."""

import hashlib
import secrets

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MANAGER_GROUPS, ago
from .ebay_common import EbayAccountMixin, EbayEmulatorMixin

TOKEN_PARAM = "marketplace_connector.health_token_sha256"


@tagged("post_install", "-at_install")
class TestHealthToken(EbayAccountMixin, EbayEmulatorMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True))
        # Other tests' or demo accounts must not change the verdict.
        self.env["marketplace.account"].search([]).write({"active": False})
        self.account_a = self._connect(self._new_account(name="Kestrel Vintage"))
        self.company_b = self.env["res.company"].create({"name": "Shop B"})
        self.account_b = self._connect(
            self._new_account(name="Osprey Books", company_id=self.company_b.id)
        )
        (self.account_a | self.account_b).write({"connected_since": ago(minutes=5)})
        self.manager_b = new_test_user(
            self.env,
            login="health_manager_b",
            groups=MANAGER_GROUPS,
            company_id=self.company_b.id,
            company_ids=self.company_b.ids,
        )
        self.token = secrets.token_urlsafe(32)

    def _configure(self, token):
        settings = self.env["res.config.settings"].create(
            {"marketplace_health_token": token}
        )
        settings.execute()
        return settings

    def _get(self, token=None, status=200):
        self.env.flush_all()
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        response = self.url_open("/marketplace/health", headers=headers)
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        return response

    def _assert_aggregate_only(self, response, status):
        self.assertEqual(response.json(), {"status": status})
        for account in (self.account_a, self.account_b):
            self.assertNotIn(account.name, response.text)

    def test_anonymous_callers_get_one_status_only(self):
        self._assert_aggregate_only(self._get(), "ok")
        self.account_b.write({"last_order_poll": ago(hours=2)})  # late
        self._assert_aggregate_only(self._get(status=503), "degraded")
        # With a token configured, still nothing more without it.
        self._configure(self.token)
        self._assert_aggregate_only(self._get(status=503), "degraded")

    def test_the_token_bearer_gets_every_account_in_detail(self):
        self._configure(self.token)
        self.account_b.write({"last_order_poll": ago(hours=2)})
        response = self._get(self.token, status=503)
        body = response.json()
        self.assertEqual(body["status"], "degraded")
        by_name = {entry["name"]: entry for entry in body["accounts"]}
        self.assertEqual(set(by_name), {self.account_a.name, self.account_b.name})
        self.assertEqual(by_name[self.account_b.name]["order_import"], "late")
        self.assertEqual(
            by_name[self.account_b.name]["details"]["last_poll"],
            self.account_b.last_order_poll.isoformat() + "Z",
        )
        self.assertNotIn(self.token, response.text)

    def test_a_wrong_or_unconfigured_token_is_refused(self):
        response = self._get(self.token, status=401)  # none configured yet
        self.assertNotIn("accounts", response.json())
        self._configure(self.token)
        for wrong in (self.token[:-1], self.token + "x", "", "é" * 40):
            response = self._get(wrong, status=401)
            self.assertEqual(response.json(), {"error": "invalid monitoring token"})
            self.assertIn("Bearer", response.headers["WWW-Authenticate"])

    def test_managers_get_details_of_their_companies_only(self):
        self.authenticate("health_manager_b", "health_manager_b")
        body = self._get().json()
        self.assertEqual(
            [entry["account"] for entry in body["accounts"]], [self.account_b.id]
        )
        self.assertIn("details", body["accounts"][0])
        self.assertNotIn(self.account_a.name, str(body))

    def test_the_token_is_kept_as_a_digest_and_never_shown_back(self):
        settings = self._configure(self.token)
        digest = hashlib.sha256(self.token.encode()).hexdigest()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param(TOKEN_PARAM), digest)
        self.assertFalse(params.search([("value", "=", self.token)]))
        # Not in the settings' own table either (no column), and read back empty.
        field = self.env["res.config.settings"]._fields["marketplace_health_token"]
        self.assertFalse(field.store)
        settings.invalidate_recordset()
        self.assertFalse(settings.marketplace_health_token)
        fresh = self.env["res.config.settings"].create({})
        self.assertFalse(fresh.marketplace_health_token)
        self.assertTrue(fresh.marketplace_health_token_configured)
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        [node] = etree.fromstring(arch).xpath(
            "//field[@name='marketplace_health_token']"
        )
        self.assertEqual(node.get("password"), "True")
        # Saving the settings without a new token keeps the one set.
        self.env["res.config.settings"].create({}).execute()
        self.assertEqual(params.get_param(TOKEN_PARAM), digest)
        # Too short to be a secret, or not fit for an HTTP header: refused.
        for bad in ("short-token", "with spaces " * 4, "é" * 40):
            with self.assertRaises(ValidationError, msg=bad):
                self._configure(bad)
        self.assertEqual(params.get_param(TOKEN_PARAM), digest)
        # Removed: the bearer is refused, anonymous callers see the status.
        fresh.action_marketplace_clear_health_token()
        self.assertFalse(params.get_param(TOKEN_PARAM))
        self._get(self.token, status=401)
        self._assert_aggregate_only(self._get(), "ok")
