"""The per-account dashboard: its figures, and the records behind each."""

from datetime import time, timedelta

import pytz

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..ebay import payloads
from ..models.ebay.ebay_listing import REVISIONS_PER_DAY
from .ebay_common import EbayCase, OrderCase

FIGURE_FIELDS = {
    "live": "dashboard_live_count",
    "queued": "dashboard_queued_count",
    "draft": "dashboard_draft_count",
    "ended": "dashboard_ended_count",
    "problem": "dashboard_problem_count",
    "push_waiting": "dashboard_push_waiting_count",
    "calls": "dashboard_call_count",
    "throttled": "dashboard_throttled_count",
    "failed_calls": "dashboard_failed_call_count",
    "orders": "dashboard_order_count",
}
CARD_FIELDS = [
    *FIGURE_FIELDS.values(),
    "dashboard_success_rate",
    "dashboard_order_delay",
    "ebay_dashboard_revisions_used",
    "ebay_dashboard_revisions_max",
    "ebay_dashboard_revision_budget",
    "dashboard_token_warning",
    "access_token_expires_at",
    "refresh_token_expires_at",
]


@tagged("post_install", "-at_install")
class TestDashboard(EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account(name="Dash seller"))
        # Another account's records must never leak into this one's figures.
        self.other = self._new_account(name="Other seller")
        # Connecting made calls (token, getUser), logged like any other: the
        # figures below count only the calls this fixture makes.
        self.env["marketplace.call"].search(
            [("account_id", "in", (self.account | self.other).ids)]
        ).unlink()

        self.now = fields.Datetime.now()
        self.today = self.account._dashboard_since(0)
        self.listings = {}
        for sku, values in (
            ("LIVE-1", {"state": "published", "is_live": True, "push_pending": True}),
            ("LIVE-2", {"state": "published", "is_live": True}),
            ("QUEUED-1", {"state": "queued"}),
            ("DRAFT-1", {"state": "draft"}),
            ("ERROR-1", {"state": "error"}),
            ("FAILED-1", {"state": "failed"}),
            # Marked but no longer live: nothing will push it.
            ("ENDED-1", {"state": "ended", "push_pending": True}),
        ):
            self.listings[sku] = self._listing(self.account, sku, **values)
        today = fields.Date.context_today(self.account)
        self.listings["LIVE-1"].write({"revision_day": today, "revisions_today": 7})
        self.listings["LIVE-2"].write({"revision_day": today, "revisions_today": 3})
        self.listings["ENDED-1"].write(
            {"revision_day": today - timedelta(days=1), "revisions_today": 200}
        )
        self._listing(self.other, "OTHER-1", state="failed", push_pending=True)

        attempts = {}
        for status, count in ((429, 3), (500, 2), (200, 5)):
            attempts[status] = self._attempts(self.account, status, count)
        self.attempts_today = attempts
        # Three days ago counts for the week, not for today; ten days ago: never.
        self.attempt_week = self._attempts(
            self.account, 200, 1, when=self.today - timedelta(days=2, hours=-1)
        )
        self.attempt_old = self._attempts(
            self.account, 429, 1, when=self.today - timedelta(days=10)
        )
        self._attempts(self.other, 429, 4)

        self.orders = {
            "today_30": self._order(self.account, self.now, 30),
            "today_90": self._order(self.account, self.now, 90),
            "week_120": self._order(
                self.account, self.today - timedelta(days=2, hours=-1), 120
            ),
            "old_1000": self._order(
                self.account, self.today - timedelta(days=10), 1000
            ),
        }
        # Claimed but not imported (unknown SKU): no import time, no delay.
        self.flagged = self.env["marketplace.order"].create(
            {
                "account_id": self.account.id,
                "remote_order_id": "FLAGGED",
                "state": "flagged",
                "remote_created_at": self.now - timedelta(minutes=5),
            }
        )
        self._order(self.other, self.now, 5000)

    # -- fixtures ----
    def _listing(self, account, sku, **values):
        product = self.env["product.product"].create(
            {"name": f"Product {sku}", "default_code": sku}
        )
        return self.env["ebay.listing"].create(
            dict(account_id=account.id, product_id=product.id, **values)
        )

    def _attempts(self, account, status, count, when=None):
        Attempt = self.env["marketplace.call"]
        attempts = Attempt.create(
            [
                Attempt._values_from_call(
                    {"operation": "publish", "status": status}, account
                )
                for _i in range(count)
            ]
        )
        if when:
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE marketplace_call SET create_date = %s WHERE id IN %s",
                (when, tuple(attempts.ids)),
            )
            attempts.invalidate_recordset(["create_date"])
        return attempts

    def _order(self, account, imported_at, delay_minutes):
        return self.env["marketplace.order"].create(
            {
                "account_id": account.id,
                "remote_order_id": f"{account.id}-{imported_at}-{delay_minutes}",
                "state": "imported",
                "remote_created_at": imported_at - timedelta(minutes=delay_minutes),
                "imported_at": imported_at,
            }
        )

    def _open(self, figure):
        return self.account.with_context(
            dashboard_figure=figure
        ).action_dashboard_open()

    def _behind(self, action):
        return self.env[action["res_model"]].search(action["domain"])

    # -- figures ----
    def test_figures_of_one_account(self):
        account = self.account
        self.assertEqual(account.dashboard_live_count, 2)
        self.assertEqual(account.dashboard_queued_count, 1)
        self.assertEqual(account.dashboard_draft_count, 1)
        self.assertEqual(account.dashboard_ended_count, 1)
        self.assertEqual(account.dashboard_problem_count, 2, "error and failed")
        self.assertEqual(account.dashboard_push_waiting_count, 1, "live ones only")
        self.assertEqual(account.ebay_dashboard_revisions_used, 10)
        self.assertEqual(account.ebay_dashboard_revisions_max, 7)
        self.assertEqual(account.ebay_dashboard_revision_budget, REVISIONS_PER_DAY)
        # 3 x 429, 2 x 500, 5 x 200 today and 1 x 200 earlier this week.
        self.assertEqual(account.dashboard_call_count, 11)
        self.assertAlmostEqual(
            account.dashboard_success_rate, 100.0 * 6 / 11, delta=0.05
        )
        self.assertEqual(account.dashboard_throttled_count, 3)
        self.assertEqual(account.dashboard_failed_call_count, 2, "429s aside")
        self.assertEqual(account.dashboard_order_count, 2)
        self.assertAlmostEqual(account.dashboard_order_delay, (30 + 90 + 120) / 3)
        self.assertTrue(account.access_token_expires_at)
        self.assertGreater(account.refresh_token_expires_at, self.now)

    def test_empty_account_shows_zeroes(self):
        other = self.env["marketplace.account"].create(
            {
                "channel": "ebay",
                "name": "Empty seller",
                "environment": "emulator",
                "emulator_url": self.emulator.url,
            }
        )
        self.assertEqual(other.dashboard_call_count, 0)
        self.assertEqual(other.dashboard_success_rate, 0.0)
        self.assertEqual(other.dashboard_order_delay, 0.0)
        self.assertEqual(other.dashboard_live_count, 0)
        self.assertFalse(other.refresh_token_expires_at)
        self.assertFalse(other.dashboard_token_warning)

    def test_token_warning_follows_the_setting(self):
        days_left = (self.account.refresh_token_expires_at - self.now).days
        self.assertFalse(self.account.dashboard_token_warning)
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_connector.token_warning_days", str(days_left + 1)
        )
        self.account.invalidate_recordset(["dashboard_token_warning"])
        self.assertTrue(self.account.dashboard_token_warning)

    # -- click-throughs ----
    def test_each_figure_opens_exactly_its_records(self):
        listings = self.listings
        expected = {
            "live": listings["LIVE-1"] | listings["LIVE-2"],
            "queued": listings["QUEUED-1"],
            "draft": listings["DRAFT-1"],
            "ended": listings["ENDED-1"],
            "problem": listings["ERROR-1"] | listings["FAILED-1"],
            "push_waiting": listings["LIVE-1"],
            "revisions": listings["LIVE-1"] | listings["LIVE-2"],
            "calls": self.attempts_today[429]
            | self.attempts_today[500]
            | self.attempts_today[200]
            | self.attempt_week,
            "throttled": self.attempts_today[429],
            "failed_calls": self.attempts_today[500],
            "orders": self.orders["today_30"] | self.orders["today_90"],
            "order_delay": self.orders["today_30"]
            | self.orders["today_90"]
            | self.orders["week_120"],
        }
        for figure, records in expected.items():
            with self.subTest(figure=figure):
                action = self._open(figure)
                self.assertEqual(action["type"], "ir.actions.act_window")
                self.assertEqual(action["res_model"], records._name)
                self.assertEqual(self._behind(action), records)
                if figure in FIGURE_FIELDS:
                    self.assertEqual(
                        self.account[FIGURE_FIELDS[figure]], len(records), figure
                    )

    def test_click_through_views(self):
        calls = self._open("calls")
        self.assertEqual(calls["views"][0][1], "graph", "calls per day first")
        self.assertEqual(
            calls["context"]["graph_groupbys"], ["create_date:day", "state"]
        )
        delay = self._open("order_delay")
        self.assertEqual(delay["context"]["graph_measure"], "import_delay_minutes")
        revisions = self._open("revisions")
        view = self.env["ir.ui.view"].browse(revisions["views"][0][0])
        self.assertIn("revisions_today desc", view.arch, "busiest listing first")
        tokens = self._open("tokens")
        self.assertEqual(
            (tokens["res_model"], tokens["res_id"]),
            ("marketplace.account", self.account.id),
        )
        # The graph and pivot views the windows open exist and load.
        for model in ("marketplace.call", "marketplace.order"):
            for view_type in ("graph", "pivot"):
                arch = self.env[model].get_view(view_type=view_type)["arch"]
                self.assertIn("interval", arch, f"{model} {view_type} by day")

    def test_marketplace_user_sees_the_dashboard(self):
        user = new_test_user(
            self.env,
            login="dash-user",
            groups="marketplace_connector.group_marketplace_user",
        )
        as_user = self.account.with_user(user)
        values = as_user.read(CARD_FIELDS)[0]
        self.assertEqual(values["dashboard_throttled_count"], 3)
        self.assertTrue(values["refresh_token_expires_at"])
        action = as_user.with_context(
            dashboard_figure="problem"
        ).action_dashboard_open()
        self.assertEqual(
            self.env[action["res_model"]].with_user(user).search(action["domain"]),
            self.listings["ERROR-1"] | self.listings["FAILED-1"],
        )

    # -- cost ----
    def test_query_count_does_not_grow_with_accounts(self):
        def queries_for(accounts):
            accounts.invalidate_recordset()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            accounts.read(CARD_FIELDS)
            return self.env.cr.sql_log_count - before

        many = self.env["marketplace.account"]
        for i in range(20):
            account = self._new_account(name=f"Busy seller {i}")
            self._listing(account, f"BUSY-{i}", state="published", is_live=True)
            self._attempts(account, 429, 1)
            self._order(account, self.now, 10)
            many |= account
        self.env.flush_all()
        queries_for(self.account)  # warm the caches (settings, views) first
        few = queries_for(self.account | self.other)
        lots = queries_for(many | self.account | self.other)
        self.assertEqual(lots, few, "grouped queries, not one per account")
        self.assertLessEqual(lots, 15)
        self.assertEqual(many.mapped("dashboard_throttled_count"), [1] * 20)

    # -- day boundaries ----
    def test_today_starts_at_the_users_midnight(self):
        tz = "Pacific/Auckland"
        start = self.account.with_context(tz=tz)._dashboard_since(0)
        local = pytz.utc.localize(start).astimezone(pytz.timezone(tz))
        self.assertEqual(local.time(), time.min)
        self.assertEqual(
            local.date(), fields.Date.context_today(self.account.with_context(tz=tz))
        )
        week = self.account.with_context(tz=tz)._dashboard_since(6)
        self.assertEqual(start - week, timedelta(days=6))


@tagged("post_install", "-at_install")
class TestImportDelay(OrderCase):
    """The import time is set for orders claimed by the raw INSERT too."""

    def _sold_minutes_ago(self, minutes, sku):
        """A buyer's order placed on eBay ``minutes`` ago (eBay's clock)."""
        self.emulator.advance(-minutes * 60)
        try:
            return self._buy([{"sku": sku, "quantity": 1}])
        finally:
            self.emulator.advance(minutes * 60)

    def test_imported_order_gets_its_delay(self):
        before = fields.Datetime.now().replace(microsecond=0)
        self._sold_minutes_ago(90, "MUG-1")
        self._poll()
        order = self._orders()
        self.assertEqual(order.state, "imported")
        self.assertGreaterEqual(order.imported_at, before)
        self.assertAlmostEqual(order.import_delay_minutes, 90, delta=1)
        self.assertEqual(self.account.dashboard_order_count, 1)
        self.assertAlmostEqual(self.account.dashboard_order_delay, 90, delta=1)
        # Seen again (the next poll's overlap, a refresh): the changes are
        # applied, the first import time stays.
        first = order.imported_at
        self._poll()
        order.action_refresh_from_marketplace()
        self.assertEqual(order.imported_at, first)

    def test_flagged_order_counts_when_its_retry_imports_it(self):
        # Listed on eBay outside Odoo: Odoo knows no product with this SKU.
        api = self._api()
        data = self.mug._ebay_listings_for(self.account)._listing_data()
        data.sku = "NOT-YET"
        api.create_or_replace_inventory_item("NOT-YET", payloads.inventory_item(data))
        api.publish_offer(api.create_offer(payloads.offer(data))["offerId"])
        self._sold_minutes_ago(600, "NOT-YET")
        self._poll()
        order = self._orders()
        self.assertEqual(order.state, "flagged")
        self.assertFalse(order.imported_at)
        self.assertEqual(order.import_delay_minutes, 0.0)
        self.assertEqual(self.account.dashboard_order_count, 0)
        self._product("NOT-YET", "Not yet", 1)
        order.action_retry()
        self.assertEqual(order.state, "imported")
        self.assertTrue(order.imported_at)
        self.assertAlmostEqual(order.import_delay_minutes, 600, delta=1)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.dashboard_order_count, 1)
