"""/marketplace/health covers Amazon accounts as it covers eBay ones: each
entry names its channel and carries the channel's own areas (Amazon's SQS
queue and LWA client secret), for the managers of the account's company and
the monitoring token's bearer; anyone else gets the one overall word."""

import secrets

from odoo.tests import tagged

from .amazon_common import EMULATOR_SELLER, AmazonHttpCase
from .amazon_sqs_common import AmazonSqsMixin
from .cockpit_common import BothCompaniesMixin
from .common import ago


@tagged("post_install", "-at_install")
class TestCockpitHealthUrl(BothCompaniesMixin, AmazonSqsMixin, AmazonHttpCase):
    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True))
        # Other tests' or demo accounts must not change the verdict.
        self.env["marketplace.account"].search([("id", "!=", self.account.id)]).write(
            {"active": False}
        )
        self._setup_both_companies()
        self.accounts = self.accounts_a | self.accounts_b
        self.accounts.write({"connected_since": ago(minutes=5)})
        # A's Amazon account receives its notifications from its SQS queue
        # (set up by AmazonSqsMixin), polled once.
        self._poll_sqs(self.amazon_a)
        self.token = secrets.token_urlsafe(32)
        self.env["marketplace.account"]._health_token_set(self.token)

    def _get(self, token=None):
        self.env.flush_all()
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        response = self.url_open(
            "/marketplace/health", headers=headers, allow_redirects=False
        )
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        return response

    def _assert_aggregate_only(self, response, status):
        self.assertEqual(response.json(), {"status": status})
        raw = response.text.lower()
        for word in [*self.accounts.mapped("name"), EMULATOR_SELLER, "amazon", "ebay"]:
            self.assertNotIn(word.lower(), raw)

    def _by_name(self, response):
        return {entry["name"]: entry for entry in response.json()["accounts"]}

    def test_anonymous_and_plain_users_get_the_overall_word_only(self):
        response = self._get()
        self.assertEqual(response.status_code, 200)
        self._assert_aggregate_only(response, "ok")
        for login in ("shop_a_user", "shop_b_user"):
            self.authenticate(login, login)
            self._assert_aggregate_only(self._get(), "ok")
        # A's queue stops draining: the word changes, and nothing else shows.
        self.amazon_a._write_system({"amazon_sqs_last_poll": ago(hours=2)})
        self.authenticate(None, None)
        response = self._get()
        self.assertEqual(response.status_code, 503)
        self._assert_aggregate_only(response, "degraded")

    def test_manager_sees_both_channels_of_the_company(self):
        self.authenticate("shop_a_manager", "shop_a_manager")
        response = self._get()
        self.assertEqual(response.status_code, 200)
        entries = self._by_name(response)
        self.assertEqual(set(entries), set(self.accounts_a.mapped("name")))
        ebay, amazon = entries[self.ebay_a.name], entries[self.amazon_a.name]
        self.assertEqual((ebay["channel"], amazon["channel"]), ("ebay", "amazon"))
        for entry in (ebay, amazon):
            self.assertEqual(
                (entry["tokens"], entry["order_import"], entry["stock_push"]),
                ("ok", "ok", "ok"),
            )
            self.assertTrue(entry["healthy"])
        # Amazon's own areas, beside the others; eBay has none of them.
        self.assertEqual(amazon["notifications"], "ok")
        self.assertEqual(
            amazon["details"]["notifications"],
            {
                "last_receive": self.amazon_a.amazon_sqs_last_poll.isoformat() + "Z",
                "backlog": 0,
            },
        )
        self.assertEqual(amazon["client_secret"], "ok")
        self.assertEqual(
            amazon["details"]["client_secret"],
            {"expires_on": self.amazon_a.amazon_client_secret_expires_on.isoformat()},
        )
        self.assertNotIn("notifications", ebay)
        self.assertNotIn("client_secret", ebay)
        # Never a secret, the queue or its subscription.
        raw = response.text
        for value in (
            self.amazon_a.amazon_order_subscription_id,
            self.queue_url,
            self.queue_arn,
            self.aws_secret,
            self.client_secret,
        ):
            self.assertNotIn(value, raw)
        self.assertNotIn(self.ebay_client_secret, raw)

        # B's manager: B's two accounts, none of A's.
        self.authenticate("shop_b_manager", "shop_b_manager")
        self.assertEqual(
            set(self._by_name(self._get())), set(self.accounts_b.mapped("name"))
        )

    def test_not_draining_queue_degrades_the_report(self):
        # Two hours since the last successful receive.
        self.amazon_a._write_system({"amazon_sqs_last_poll": ago(hours=2)})
        self.authenticate("shop_a_manager", "shop_a_manager")
        response = self._get()
        self.assertEqual(response.status_code, 503)
        entries = self._by_name(response)
        amazon = entries[self.amazon_a.name]
        self.assertEqual((amazon["notifications"], amazon["healthy"]), ("late", False))
        self.assertTrue(entries[self.ebay_a.name]["healthy"])

    def test_monitoring_token_sees_every_account_of_both_channels(self):
        response = self._get(token=self.token)
        entries = self._by_name(response)
        self.assertEqual(set(entries), set(self.accounts.mapped("name")))
        self.assertEqual(
            sorted(e["channel"] for e in entries.values()),
            ["amazon", "amazon", "ebay", "ebay"],
        )
        # A wrong token is refused, not treated as anonymous.
        self.assertEqual(self._get(token="x" * 40).status_code, 401)
