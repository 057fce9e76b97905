"""The dashboard's graphs per day (calls, throttled calls, orders, delay
from sale to Odoo) and its "needs attention" lines, from the rows that real
calls to the eBay emulator leave: listing jobs that eBay throttles, and a
buyer's purchase imported an hour after the sale."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.marketplace.marketplace_account_dashboard_graph import (
    GRAPH_DAYS,
    GRAPHS,
)
from .ebay_common import OrderCase, TwoCompaniesCase

DELAY_MINUTES = 60


def bars(account, field):
    """{label: value} of one graph, oldest day first, and its labels."""
    [graph] = json.loads(account[field])
    return [(point["label"], point["value"]) for point in graph["values"]]


@tagged("post_install", "-at_install")
class TestDashboardGraph(OrderCase):
    def setUp(self):
        super().setUp()
        # Throttled by eBay twice, then published on the third try.
        self.throttled = self._listing(self._product("GRAPH-429", "Graph lamp", 3))
        self.throttled.action_publish()
        self.emulator.fault(
            "^/sell/inventory/v1/inventory_item/GRAPH-429$",
            "429",
            times=2,
            retry_after=1,
        )
        for _try in range(3):
            self._run(self.throttled)
        self.assertEqual(self.throttled.state, "published", self.throttled.last_error)
        # Bought on eBay an hour before Odoo imports it.
        self.emulator.advance(-DELAY_MINUTES * 60)
        self._buy([{"sku": "TSHIRT-1", "quantity": 1}])
        self.emulator.advance(DELAY_MINUTES * 60)
        self._poll()
        [self.order] = self._orders()
        self.calls = self.env["marketplace.call"].search(
            [("account_id", "=", self.account.id)]
        )

    def _move_to(self, records, column, days_back):
        """Time passes: these real rows were written ``days_back`` days ago."""
        self.env.flush_all()
        self.env.cr.execute(
            f"UPDATE {records._table} SET {column} = {column} - %s WHERE id IN %s",
            (timedelta(days=days_back), tuple(records.ids)),
        )
        self.env.invalidate_all()

    def test_todays_bars_are_the_rows_real_calls_left(self):
        account = self.account
        throttled = self.calls.filtered(lambda c: c.http_status == 429)
        self.assertEqual(len(throttled), 2, "eBay throttled the two first tries")
        self.assertAlmostEqual(self.order.import_delay_minutes, DELAY_MINUTES, delta=1)
        for field in GRAPHS:
            with self.subTest(graph=field):
                values = bars(account, field)
                self.assertEqual(len(values), GRAPH_DAYS)
                self.assertEqual(
                    [value for _label, value in values[:-1]],
                    [0] * (GRAPH_DAYS - 1),
                    "nothing happened before today",
                )
        today = fields.Date.context_today(account)
        self.assertEqual(bars(account, "dashboard_graph_calls")[-1][1], len(self.calls))
        self.assertEqual(
            bars(account, "dashboard_graph_calls")[-1][0], today.strftime("%-d %b")
        )
        self.assertEqual(bars(account, "dashboard_graph_throttled")[-1][1], 2)
        self.assertEqual(bars(account, "dashboard_graph_orders")[-1][1], 1)
        self.assertAlmostEqual(
            bars(account, "dashboard_graph_order_delay")[-1][1], DELAY_MINUTES, delta=1
        )

    def test_bars_fall_on_the_day_the_rows_were_made(self):
        throttled = self.calls.filtered(lambda c: c.http_status == 429)
        earlier = (
            throttled[:1] | self.calls.filtered(lambda c: c.http_status == 200)[:2]
        )
        self._move_to(earlier, "create_date", 3)
        self._move_to(self.order, "imported_at", 3)
        # Older than the graphs' two weeks: on no bar.
        self._move_to(self.calls - earlier, "create_date", GRAPH_DAYS)
        account = self.account
        calls = [value for _label, value in bars(account, "dashboard_graph_calls")]
        self.assertEqual(calls[-4], 3)
        self.assertEqual(sum(calls), 3)
        self.assertEqual(
            [v for _l, v in bars(account, "dashboard_graph_throttled")][-4], 1
        )
        self.assertEqual(
            [v for _l, v in bars(account, "dashboard_graph_orders")][-4:], [1, 0, 0, 0]
        )
        delay = [v for _l, v in bars(account, "dashboard_graph_order_delay")]
        self.assertAlmostEqual(delay[-4], DELAY_MINUTES, delta=1)
        # Each graph's title opens exactly the records it counts.
        for figure, records in (
            ("graph_calls", earlier),
            ("graph_throttled", throttled[:1]),
            ("graph_orders", self.order),
            ("graph_order_delay", self.order),
        ):
            with self.subTest(figure=figure):
                action = account.with_context(
                    dashboard_figure=figure
                ).action_dashboard_open()
                self.assertEqual(
                    self.env[action["res_model"]].search(action["domain"]), records
                )
                self.assertEqual(action["views"][0][1], "graph")

    def test_graphs_cost_the_same_queries_for_many_accounts(self):
        def queries_for(accounts):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            accounts.read([*GRAPHS, "dashboard_attention"])
            return self.env.cr.sql_log_count - before

        others = self.env["marketplace.account"]
        for i in range(6):
            others |= self._new_account(name=f"Graph seller {i}")
        queries_for(self.account | others)  # warm the caches (settings, views)
        few = queries_for(self.account | others[:1])
        self.assertEqual(queries_for(self.account | others), few)

    def test_attention_names_what_to_act_on(self):
        account = self.account
        # Two throttles today and nothing else wrong.
        self.assertEqual(
            account.dashboard_attention,
            "The marketplace slowed down 2 call(s) today.",
        )
        # eBay refuses a listing: it joins the lines.
        refused = self._listing(self._product("GRAPH-BAD", "Graph vase", 1))
        refused.action_publish()
        self.emulator.fault("/publish$", "400")
        self._run(refused)
        self.assertEqual(refused.state, "error")
        account.invalidate_recordset()
        lines = account.dashboard_attention.split("\n")
        self.assertIn("1 listing(s) failed or were refused.", lines)
        disconnected = self._new_account(name="Not yet connected")
        self.assertIn("Not connected yet", disconnected.dashboard_attention)


@tagged("post_install", "-at_install")
class TestDashboardGraphCompanies(TwoCompaniesCase):
    def test_company_b_sees_nothing_of_company_a(self):
        # Company A's seller publishes (real calls); B's account made its own
        # calls when it connected.
        listing = self._published()
        self.assertEqual(listing.state, "published")
        a_calls = self.env["marketplace.call"].search_count(
            [("account_id", "=", self.account.id)]
        )
        b_calls = self.env["marketplace.call"].search_count(
            [("account_id", "=", self.account_b.id)]
        )
        self.assertTrue(a_calls and b_calls)
        as_b = self.account_b.with_user(self.user_b)
        self.assertEqual(bars(as_b, "dashboard_graph_calls")[-1][1], b_calls)
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_b).read(["dashboard_graph_calls"])
        self.assertEqual(
            self.env["marketplace.account"].with_user(self.user_b).search([]),
            self.account_b,
        )
