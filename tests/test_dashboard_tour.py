"""Staff read the dashboard in Chromium after eBay throttled and failed calls.

Real listing jobs run against the emulator with injected faults: one SKU is
throttled (429) until it gives up, another meets a 500 on publish and goes
live on its retry, and a buyer's order is imported 90 minutes after the sale.
The tour then reads the account's card, follows figures to the records
behind them and checks that the graphs show what those records say.

An Amazon account of the same company, connected through its real consent
round-trip, has its card beside the eBay one: each card names its channel,
the Amazon card shows Amazon's own lines (the LWA client secret's end, the
notifications queue), and the channel filter leaves one card.
"""

import json
from urllib.parse import quote

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .cockpit_common import AmazonBesideMixin
from .ebay_common import EbayHttpCase, SellerMixin

DELAY_MINUTES = 90


@tagged("post_install", "-at_install")
class TestDashboardTour(AmazonBesideMixin, SellerMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        self.account = self._seller_account(name="Dash seller")
        self.amazon = self._amazon_account(name="Dash Amazon seller")

    def _queued(self, sku):
        """A listing of a new product, queued for publishing (job trapped)."""
        listing = self._listing(self._product(sku, f"Dash {sku}", 5))
        with trap_jobs():
            listing.action_publish()
        return listing

    def test_dashboard_shows_throttled_and_failed_work(self):
        failing = self._queued("DASH-FAIL")
        self.emulator.fault(
            "^/sell/inventory/v1/inventory_item/DASH-FAIL$",
            "429",
            times=-1,
            retry_after=1,
        )
        for _try in range(self._listing_tries()):
            self._run(failing)
        self.assertEqual(failing.state, "failed")
        self.emulator.clear_faults()

        selling = self._queued("DASH-OK")
        self.emulator.fault("/publish$", "500")
        self._run(selling)
        self.assertEqual(selling.state, "queued", "a 500 is retried")
        self._run(selling)
        self.assertEqual(selling.state, "published", selling.last_error)
        # Sold on eBay 90 minutes before Odoo imports it.
        self.emulator.advance(-DELAY_MINUTES * 60)
        self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [{"sku": "DASH-OK", "quantity": 1}],
                "buyer": {"username": "dash_buyer"},
            },
        )
        self.emulator.advance(DELAY_MINUTES * 60)
        self.account._job_poll_orders()
        [order] = self.account.order_ids
        self.assertAlmostEqual(order.import_delay_minutes, DELAY_MINUTES, delta=1)

        # What the card must show, read from the records themselves.
        Attempt = self.env["marketplace.call"]
        throttled = Attempt.search(
            [("account_id", "=", self.account.id), ("http_status", "=", 429)]
        )
        self.assertEqual(len(throttled), self._listing_tries())
        self.assertEqual(
            {(c.res_model, c.res_id) for c in throttled}, {(failing._name, failing.id)}
        )
        failed_calls = Attempt.search(
            [
                ("account_id", "=", self.account.id),
                ("state", "=", "failed"),
                ("http_status", "!=", 429),
            ]
        )
        self.assertIn(500, failed_calls.mapped("http_status"))
        account = self.account
        self.assertEqual(account.dashboard_throttled_count, self._listing_tries())
        self.assertEqual(account.dashboard_failed_call_count, len(failed_calls))
        self.assertEqual(account.dashboard_problem_count, 1)
        self.assertEqual(account.dashboard_live_count, 1)
        self.assertEqual(account.dashboard_order_count, 1)
        self.assertLess(account.dashboard_success_rate, 100.0)
        self.assertGreater(account.dashboard_success_rate, 0.0)

        # The tour must find these in the card and in the graphs.
        states = dict(Attempt._fields["state"].selection)
        calls = Attempt.search([("account_id", "=", account.id)])
        expected = {
            "failed_calls": len(failed_calls),
            # Stacked bars per outcome, and the graph's line of their sum.
            "calls_by_state": dict(
                {
                    states[state]: len(calls.filtered(lambda c, s=state: c.state == s))
                    for state in sorted(set(calls.mapped("state")))
                },
                Sum=len(calls),
            ),
            "delay_label": order._fields["import_delay_minutes"].string,
            "delay_minutes": round(order.import_delay_minutes, 1),
        }
        self.assertEqual(set(expected["calls_by_state"]), {"Success", "Failed", "Sum"})
        # The card's graphs: everything happened today.
        expected["graphs"] = {
            "calls": len(calls),
            "throttled": self._listing_tries(),
            "orders": 1,
            "order_delay": round(order.import_delay_minutes, 1),
        }
        expected["attention"] = "1 listing(s) failed or were refused."
        self.assertIn(expected["attention"], account.dashboard_attention.split("\n"))
        # The Amazon card beside it: the secret's end as the admin's language
        # writes dates, and no notifications set up yet.
        lang = self.env["res.lang"]._lang_get(self.env.ref("base.user_admin").lang)
        secret_expires = self.amazon.amazon_client_secret_expires_on
        self.assertTrue(secret_expires)
        expected["amazon"] = {
            "name": self.amazon.name,
            "secret_expires": secret_expires.strftime(lang.date_format),
            "sqs": dict(self.amazon._fields["amazon_dashboard_sqs_status"].selection)[
                self.amazon.amazon_dashboard_sqs_status
            ],
        }
        self.assertEqual(expected["amazon"]["sqs"], "Not set up")
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "marketplace_connector_dashboard_tour",
            login="admin",
            cookies={"ebay_dashboard_expected": quote(json.dumps(expected))},
        )
        # The tour only reads: nothing it clicked changed the records.
        failing.invalidate_recordset()
        self.assertEqual(failing.state, "failed")
        self.assertEqual(
            Attempt.search_count([("account_id", "=", account.id)]),
            account.dashboard_call_count,
        )
