"""The seller standing: eBay's Analytics API read daily per account, kept as
history with a trend, an alert once per level drop, the dashboard's block
(with late shipments and cancellations from Odoo's orders), and rights
across two companies."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..ebay.analytics import SCOPE
from ..ebay.endpoints import DEFAULT_SCOPES
from .common import ShippingMixin, TwoCompaniesMixin
from .ebay_common import EbayCase, OrderCase

ANALYTICS_PATH = "^/sell/analytics/v1/"


class StandingMixin:
    def _standards(self, **body):
        return self.emulator._call(
            "POST", "analytics/standards", json=dict({"program": "PROGRAM_US"}, **body)
        )

    def _customer_service(self, **body):
        return self.emulator._call("POST", "analytics/customer_service", json=body)

    def _read(self, account=None):
        return (account or self.account)._job_read_standing()

    def _readings(self, account=None, day=None):
        rows = self.env["marketplace.standing"].search(
            [
                ("account_id", "=", (account or self.account).id),
                ("date", "=", day or fields.Date.context_today(self.account)),
            ]
        )
        return {row.metric: row for row in rows}

    def _a_day_passes(self, account=None):
        """Yesterday's readings are what today's compare with: move the
        stored history one day back, as a day passing would leave it."""
        rows = self.env["marketplace.standing"].search(
            [("account_id", "=", (account or self.account).id)]
        )
        for row in rows.sorted("date"):
            row.date = row.date - timedelta(days=1)

    def _drop_alerts(self, account=None):
        return self.env["marketplace.alert"].search(
            [
                ("account_id", "=", (account or self.account).id),
                ("cause", "=", "standing_dropped"),
            ]
        )


@tagged("post_install", "-at_install")
class TestStanding(StandingMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account(name="Standing seller"))

    def test_the_cron_enqueues_one_job_per_connected_account(self):
        draft = self._new_account(name="Not connected")
        with trap_jobs() as trap:
            self.env["marketplace.account"]._cron_read_standing()
        day = fields.Date.context_today(self.account)
        trap.assert_enqueued_job(
            self.account._job_read_standing,
            properties={"identity_key": f"ebay.standing:{self.account.id}:{day}"},
        )
        self.assertNotIn(draft, [job.recordset for job in trap.enqueued_jobs])

    def test_a_reading_keeps_levels_rates_and_customer_service(self):
        result = self._read()
        self.assertIn("read", result)
        readings = self._readings()
        level = readings["standards_level"]
        self.assertEqual(
            (level.level, level.level_label, level.trend),
            ("TOP_RATED", "Top Rated", "new"),
        )
        self.assertEqual(readings["projected_level"].level, "TOP_RATED")
        defects = readings["defect_rate"]
        self.assertAlmostEqual(defects.value, 0.002)
        self.assertAlmostEqual(defects.threshold, 0.005)
        self.assertEqual(defects.value_text, "0.20 %")
        self.assertTrue(defects.window_start)
        self.assertEqual(readings["late_shipment_rate"].label, "Late shipment rate")
        inr = readings["item_not_received_rate"]
        self.assertEqual((inr.level, inr.level_rank), ("LOW", 4))
        self.assertIn("item_not_as_described_rate", readings)
        self.assertFalse(self._drop_alerts())
        # Read again the same day: the same rows, updated, not doubled.
        self._read()
        self.assertEqual(
            self.env["marketplace.standing"].search_count(
                [("account_id", "=", self.account.id)]
            ),
            len(readings),
        )
        calls = self.emulator.calls(path=ANALYTICS_PATH)
        self.assertEqual(len(calls), 6)  # profiles + two metrics, twice

    def test_a_level_drop_is_alerted_once_in_words_and_cleared_when_back(self):
        self._read()
        self._a_day_passes()
        self._standards(
            standardsLevel="ABOVE_STANDARD",
            metrics={
                "SHIPPING_MISS_RATE": {
                    "value": 0.05,
                    "level": "ABOVE_STANDARD",
                    "thresholdUpperBound": 0.07,
                }
            },
        )
        self._read()
        readings = self._readings()
        level = readings["standards_level"]
        self.assertEqual((level.trend, level.dropped), ("worse", True))
        self.assertEqual(level.previous_id.level, "TOP_RATED")
        late = readings["late_shipment_rate"]
        self.assertEqual((late.trend, late.dropped), ("worse", True))
        self.assertEqual(late.value_text, "5.00 %")
        alerts = self._drop_alerts()
        self.assertEqual(
            sorted(alerts.mapped("res_id")),
            sorted((level | late | readings["projected_level"]).ids),
        )
        late_alert = alerts.filtered(lambda a: a.res_id == late.id)
        self.assertEqual(
            late_alert.name,
            "Late shipment rate of Standing seller dropped to Above Standard",
        )
        self.assertIn("from Top Rated to Above Standard", late_alert.note)
        self.assertIn("It is 5.00 % now (it was 1.00 %)", late_alert.note)
        self.assertIn("Top Rated needs 3.00 % or less.", late_alert.note)
        self.assertIn("Ship orders by their ship-by date", late_alert.note)
        self.assertNotIn("SHIPPING_MISS_RATE", late_alert.note)
        self.assertNotIn("ABOVE_STANDARD", late_alert.note)
        # The managers are told where they work.
        self.assertTrue(late_alert.activity_ids)

        # Read again the same day: the drop is the same, no second alert.
        self._read()
        self.assertEqual(self._drop_alerts(), alerts)
        # A day later the level is still down: no new drop, no new alert.
        self._a_day_passes()
        self._read()
        self.assertFalse(self._readings()["standards_level"].dropped)
        self.assertEqual(self._readings()["standards_level"].trend, "same")
        self.assertEqual(self._drop_alerts(), alerts)
        self.assertEqual(set(alerts.mapped("state")), {"open"})

        # Back to Top Rated: the drop alerts of those figures clear.
        self._a_day_passes()
        self._standards(
            standardsLevel="TOP_RATED",
            metrics={"SHIPPING_MISS_RATE": {"value": 0.01, "level": "TOP_RATED"}},
        )
        self._read()
        self.assertEqual(self._readings()["standards_level"].trend, "better")
        self.assertEqual(set(alerts.mapped("state")), {"cleared"})
        self.assertEqual(
            alerts.filtered(lambda a: a.res_id == late.id).clear_reason,
            "Late shipment rate is Top Rated again",
        )

    def test_a_worse_customer_service_rating_is_a_drop(self):
        self._read()
        self._a_day_passes()
        self._customer_service(
            metricType="ITEM_NOT_AS_DESCRIBED",
            evaluationType="CURRENT",
            rating="HIGH",
            rate=0.03,
        )
        self._read()
        inad = self._readings()["item_not_as_described_rate"]
        self.assertEqual(
            (inad.level_label, inad.trend, inad.dropped), ("High", "worse", True)
        )
        [alert] = self._drop_alerts()
        self.assertEqual(
            alert.name,
            "Item not as described returns of Standing seller dropped to High",
        )
        self.assertIn("item specifics", alert.note)

    def test_a_marketplace_without_metrics_reads_the_standards_only(self):
        self._customer_service(
            metricType="ITEM_NOT_RECEIVED", evaluationType="CURRENT", rating=None
        )
        self._read()
        readings = self._readings()
        self.assertNotIn("item_not_received_rate", readings)
        self.assertIn("item_not_as_described_rate", readings)
        self.assertIn("standards_level", readings)

    def test_an_outage_reads_nothing_and_tries_again(self):
        self.emulator.fault(ANALYTICS_PATH, "503", times=1)
        with trap_jobs() as trap:
            result = self._read()
        self.assertTrue(result.startswith("failed"), result)
        self.assertFalse(self._readings())
        retries = [
            job for job in trap.enqueued_jobs if job.method_name == "_job_read_standing"
        ]
        self.assertEqual(len(retries), 1)

    def test_an_account_connected_without_the_scope_is_told_to_reconnect(self):
        narrow = [s for s in DEFAULT_SCOPES if s != SCOPE]
        account = self._connect(
            self._new_account(name="Old consent", ebay_scopes="\n".join(narrow))
        )
        self.emulator.clear_calls()
        result = account._job_read_standing()
        self.assertIn("skipped", result)
        self.assertEqual(self.emulator.calls(path=ANALYTICS_PATH), [])
        self.assertIn("Reconnect eBay", account.dashboard_standing_html)
        # Connecting again asks for the scope the account lacks.
        wizard = (
            self.env["ebay.connect.wizard"]
            .with_context(default_account_id=account.id)
            .new({})
        )
        self.assertIn(SCOPE, wizard.scopes.split())

    def test_the_dashboard_shows_the_standing_with_trend_arrows(self):
        self._read()
        self._a_day_passes()
        self._standards(
            standardsLevel="ABOVE_STANDARD",
            metrics={
                "DEFECTIVE_TRANSACTION_RATE": {
                    "value": 0.011,
                    "level": "ABOVE_STANDARD",
                    "thresholdUpperBound": 0.02,
                }
            },
        )
        self._read()
        self.account.invalidate_recordset()
        html = str(self.account.dashboard_standing_html)
        self.assertTrue(self.account.dashboard_standing_at_risk)
        self.assertIn("Seller level", html)
        self.assertIn("Above Standard", html)
        self.assertIn("1.10 %", html)
        self.assertIn("fa-arrow-up text-danger", html)  # the defect rate rose
        self.assertIn("fa-arrow-down text-danger", html)  # the level fell
        self.assertIn("Worse than on", html)
        self.assertIn(
            "The seller standing is at risk: check the Seller standing figures in "
            "red below.",
            self.account.dashboard_attention.split("\n"),
        )
        action = self.account.with_context(
            dashboard_figure="standing"
        ).action_dashboard_open()
        self.assertEqual(action["res_model"], "marketplace.standing")
        self.assertEqual(
            self.env[action["res_model"]].search_count(action["domain"]),
            self.env["marketplace.standing"].search_count(
                [("account_id", "=", self.account.id)]
            ),
        )

    def test_the_standing_block_costs_the_same_for_many_accounts(self):
        fields_ = [
            "dashboard_standing_html",
            "dashboard_standing_at_risk",
            "dashboard_late_shipment_count",
            "dashboard_cancel_count",
            "dashboard_window_start",
        ]
        today = fields.Date.context_today(self.account)

        def reading(level, rank, value):
            return [
                {"metric": "standards_level", "level": level, "rank": rank},
                {
                    "metric": "defect_rate",
                    "kind": "rate",
                    "level": level,
                    "rank": rank,
                    "value": value,
                    "threshold": 0.02,
                    "window_start": today - timedelta(days=90),
                },
            ]

        def queries_for(accounts):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            accounts.read(fields_)
            return self.env.cr.sql_log_count - before

        many = self.env["marketplace.account"]
        for i in range(10):
            account = self._new_account(name=f"Seller {i}")
            account._record_standing(
                reading("TOP_RATED", 3, 0.001), day=today - timedelta(days=1)
            )
            account._record_standing(reading("ABOVE_STANDARD", 2, 0.01), day=today)
            many |= account
        self.env.flush_all()
        queries_for(many[0])  # warm the caches (templates, settings) first
        few = queries_for(many[:2])
        lots = queries_for(many)
        self.assertEqual(lots, few, "grouped queries, not one per account")
        self.assertEqual(many.mapped("dashboard_standing_at_risk"), [True] * 10)


@tagged("post_install", "-at_install")
class TestStandingOrders(StandingMixin, ShippingMixin, OrderCase):
    """Late shipments and cancellations, from orders bought on the emulator."""

    def setUp(self):
        super().setUp()
        self.carrier = self._usps_carrier()

    def _order(self, remote_id):
        return self._orders().filtered(lambda o: o.remote_order_id == remote_id)

    def test_late_shipments_and_cancellations_in_the_window(self):
        overdue = self._buy([{"sku": "MUG-1", "quantity": 1}], handlingDays=-1)
        shipped_late = self._buy([{"sku": "MUG-1", "quantity": 1}], handlingDays=-1)
        on_time = self._buy([{"sku": "TSHIRT-1", "quantity": 1}], handlingDays=2)
        cancelled = self._buy([{"sku": "MUG-1", "quantity": 1}], handlingDays=-1)
        self._poll()
        for data in (shipped_late, on_time):
            picking = self._order(data["orderId"]).sale_order_id.picking_ids
            self._ship(picking, {"MUG-1": 1, "TSHIRT-1": 1}, f"TRK{data['orderId']}")
        self.emulator._call("POST", f"orders/{cancelled['orderId']}/cancel")
        self._poll()

        overdue_order = self._order(overdue["orderId"])
        self.assertTrue(overdue_order.ship_by)
        self.assertLess(overdue_order.ship_by, fields.Datetime.now())
        self.assertFalse(overdue_order.shipped_at)
        self.assertTrue(self._order(shipped_late["orderId"]).shipped_late)
        self.assertFalse(self._order(on_time["orderId"]).shipped_late)
        self.assertTrue(self._order(on_time["orderId"]).shipped_at)

        self._read()  # the evaluation window comes with the reading
        account = self.account
        account.invalidate_recordset()
        self.assertEqual(account.dashboard_late_shipment_count, 2)
        self.assertEqual(account.dashboard_cancel_count, 1)
        self.assertEqual(
            account.dashboard_window_start,
            self._readings()["defect_rate"].window_start,
        )
        for figure, expected in (
            ("late_shipments", {overdue["orderId"], shipped_late["orderId"]}),
            ("cancellations", {cancelled["orderId"]}),
        ):
            action = account.with_context(
                dashboard_figure=figure
            ).action_dashboard_open()
            found = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(set(found.mapped("remote_order_id")), expected, figure)


@tagged("post_install", "-at_install")
class TestStandingCompanies(StandingMixin, TwoCompaniesMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self.account = self._connect(self._new_account(name="Shop A seller"))
        self._setup_company_b()
        self.account_b = self._connect(
            self._new_account(
                name="Shop B seller",
                company_id=self.company_b.id,
                warehouse_id=self.warehouse_b.id,
            )
        )
        self._read(self.account)
        self._read(self.account_b)

    def test_company_b_never_sees_company_a_standing(self):
        a_rows = self.env["marketplace.standing"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertTrue(a_rows)
        for person in (self.user_b, self.manager_b):
            Standing = self.env["marketplace.standing"].with_user(person)
            seen = Standing.search([])
            self.assertTrue(seen)
            self.assertEqual(seen.account_id, self.account_b)
            with self.assertRaises(AccessError):
                Standing.browse(a_rows[0].id).read(["value"])
            accounts = self.env["marketplace.account"].with_user(person).search([])
            self.assertNotIn(self.account, accounts)
            # B's dashboard shows B's standing.
            self.assertIn(
                "Top Rated",
                str(
                    accounts.filtered(
                        lambda a: a == self.account_b
                    ).dashboard_standing_html
                ),
            )

    def test_nobody_writes_a_standing_by_hand(self):
        row = self.env["marketplace.standing"].search(
            [("account_id", "=", self.account_b.id)], limit=1
        )
        for person in (self.user_b, self.manager_b):
            with self.assertRaises(AccessError):
                row.with_user(person).write({"level": "TOP_RATED"})
            with self.assertRaises(AccessError):
                row.with_user(person).unlink()
            with self.assertRaises(AccessError):
                self.env["marketplace.standing"].with_user(person).create(
                    {
                        "account_id": self.account_b.id,
                        "date": fields.Date.today(),
                        "metric": "standards_level",
                    }
                )
