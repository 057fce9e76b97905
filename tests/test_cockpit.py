"""One cockpit for both channels: the dashboard, the alerts, the dead letters
and the call log show eBay and Amazon accounts side by side, each row with
its channel, filterable and groupable by it; company A's people see A's
accounts of both channels and nothing of company B's.

Each company has a connected eBay and a connected Amazon account (real
OAuth and LWA consent round-trips against the two emulators: their calls
are the call log here); every account's order import is late, so the alert
cron raises a real alert on each, and each account has a marketplace order
that gave up (its dead letter).
"""

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .amazon_common import AmazonCase
from .cockpit_common import BothCompaniesMixin
from .common import ago

COCKPIT_MODELS = (
    "marketplace.account",
    "marketplace.alert",
    "marketplace.dead.letter",
    "marketplace.call",
)
CARD_FIELDS = [
    "name",
    "channel",
    "state",
    "dead_letter_count",
    "alert_count",
    "dashboard_call_count",
    "dashboard_failed_call_count",
    "dashboard_order_count",
]


@tagged("post_install", "-at_install")
class TestCockpitBothChannels(BothCompaniesMixin, AmazonCase):
    def setUp(self):
        super().setUp()
        self._setup_both_companies()
        self.accounts = self.accounts_a | self.accounts_b
        # Three hours since connecting and no order import ever succeeded.
        self.accounts.connected_since = ago(hours=3)
        self.accounts._check_alerts()
        self.letters = self.env["marketplace.dead.letter"]
        for account in self.accounts:
            order = self.env["marketplace.order"].create(
                {
                    "account_id": account.id,
                    "remote_order_id": f"GAVE-UP-{account.id}",
                    "state": "flagged",
                }
            )
            self.letters |= self.letters._report_failures(
                [
                    {
                        "record": order,
                        "account": account,
                        "kind": "order",
                        "error": "SKU NOT-HERE is unknown in Odoo.",
                    }
                ]
            )

    def _as(self, user, model):
        return self.env[model].with_user(user)

    def _search_filter(self, model, name):
        """The domain of the search view's filter ``name``, as the web client
        applies it."""
        arch = etree.fromstring(self.env[model].get_view(view_type="search")["arch"])
        [node] = arch.xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"))

    # -- who sees what -----------------------------------------------------------
    def test_manager_sees_both_channels_of_the_company_only(self):
        for manager, mine, theirs in (
            (self.manager_a, self.accounts_a, self.accounts_b),
            (self.manager_b, self.accounts_b, self.accounts_a),
        ):
            with self.subTest(manager=manager.login):
                # The dashboard: one card per account of the company.
                cards = self._as(manager, "marketplace.account").search_read(
                    [], CARD_FIELDS
                )
                self.assertEqual({c["id"] for c in cards}, set(mine.ids))
                self.assertEqual({c["channel"] for c in cards}, {"ebay", "amazon"})
                for card in cards:
                    self.assertEqual(card["state"], "connected")
                    self.assertEqual(card["alert_count"], 1, card["name"])
                    self.assertEqual(card["dead_letter_count"], 1, card["name"])
                    # Connecting made calls: the token exchange and the
                    # seller's identity, on either channel.
                    self.assertGreater(card["dashboard_call_count"], 0, card["name"])
                for model in COCKPIT_MODELS[1:]:
                    rows = self._as(manager, model).search([])
                    self.assertTrue(rows, model)
                    self.assertEqual(rows.account_id, mine, model)
                    self.assertEqual(
                        set(rows.mapped("channel")), {"ebay", "amazon"}, model
                    )
                # B's records are not even readable by id.
                theirs_alert = self.env["marketplace.alert"].search(
                    [("account_id", "in", theirs.ids)], limit=1
                )
                with self.assertRaises(AccessError):
                    theirs_alert.with_user(manager).read(["name"])
                theirs_letter = self.letters.filtered(
                    lambda x, accounts=theirs: x.account_id in accounts
                )
                with self.assertRaises(AccessError):
                    theirs_letter.with_user(manager).action_requeue()
                with self.assertRaises(AccessError):
                    theirs.with_user(manager).read(CARD_FIELDS)

    def test_user_sees_the_company_cockpit_and_cannot_change_it(self):
        user = self.user_a
        cards = self._as(user, "marketplace.account").search_read([], CARD_FIELDS)
        self.assertEqual({c["id"] for c in cards}, set(self.accounts_a.ids))
        alerts = self._as(user, "marketplace.alert").search([])
        self.assertEqual(alerts.account_id, self.accounts_a)
        letters = self._as(user, "marketplace.dead.letter").search([])
        self.assertEqual(letters.account_id, self.accounts_a)
        # The alerts, the letters and the accounts are the connector's.
        with self.assertRaises(AccessError):
            alerts[:1].write({"state": "cleared"})
        with self.assertRaises(AccessError):
            letters[:1].write({"state": "ignored"})
        with self.assertRaises(AccessError):
            alerts[:1].unlink()
        for account in self.accounts_a:
            with self.assertRaises(AccessError):
                account.with_user(user).action_disconnect()
        self.accounts_a.invalidate_recordset()
        self.assertEqual(set(self.accounts_a.mapped("state")), {"connected"})
        self.assertEqual(set(alerts.sudo().mapped("state")), {"open"})
        # B's user does nothing to A's letters.
        with self.assertRaises(AccessError):
            letters.with_user(self.user_b).action_requeue()
        self.assertEqual(set(letters.sudo().mapped("state")), {"open"})

    # -- the channel on every row -------------------------------------------------
    def test_channel_filter_returns_only_that_channel(self):
        for model in COCKPIT_MODELS:
            Model = self._as(self.manager_a, model)
            for channel, accounts in (
                ("ebay", self.ebay_a),
                ("amazon", self.amazon_a),
            ):
                with self.subTest(model=model, channel=channel):
                    domain = self._search_filter(model, f"channel_{channel}")
                    rows = Model.search(domain)
                    self.assertTrue(rows)
                    self.assertEqual(set(rows.mapped("channel")), {channel})
                    found = rows if model == "marketplace.account" else rows.account_id
                    self.assertEqual(found, accounts)
            # Grouped by channel: one group per channel, the rows split.
            groups = dict(Model._read_group([], ["channel"], ["__count"]))
            self.assertEqual(set(groups), {"ebay", "amazon"}, model)
            self.assertEqual(sum(groups.values()), Model.search_count([]), model)

    def test_the_channel_is_stored_and_indexed(self):
        for model in COCKPIT_MODELS[1:]:
            field = self.env[model]._fields["channel"]
            self.assertTrue(field.store and field.index, model)
            self.env.cr.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                (self.env[model]._table, "%(channel)%"),
            )
            self.assertTrue(self.env.cr.fetchone(), f"{model}: no index on channel")
        # The list and search views show it.
        for model in COCKPIT_MODELS:
            for view_type in ("list", "search"):
                arch = self.env[model].get_view(view_type=view_type)["arch"]
                self.assertIn('name="channel"', arch, f"{model} {view_type}")
        kanban = self.env.ref(
            "marketplace_connector.marketplace_account_view_kanban_dashboard"
        )
        arch = self.env["marketplace.account"].get_view(kanban.id, "kanban")["arch"]
        self.assertIn("o_marketplace_dash_channel", arch, "the card's channel badge")

    # -- orders late, on every channel ------------------------------------------
    def test_orders_late_alert_for_the_amazon_account(self):
        alert = self.env["marketplace.alert"].search(
            [("account_id", "=", self.amazon_a.id), ("cause", "=", "order_import_late")]
        )
        self.assertEqual(alert.state, "open")
        self.assertEqual(alert.name, "Amazon orders of Amazon test seller are late")
        self.assertIn("orders sold on Amazon meanwhile may be missing", alert.note)
        self.assertIn("Check that the account is connected", alert.note)
        self.assertEqual(alert.activity_ids.user_id, self.amazon_a._alert_managers())
        self.assertIn(self.manager_a, alert.activity_ids.user_id)
        self.assertNotIn(self.manager_b, alert.activity_ids.user_id)
        # Amazon's order poll runs (searchOrders on the emulator): cleared.
        self.amazon_a._job_amazon_poll_orders()
        self.assertTrue(self.amazon_a.last_order_poll)
        self.amazon_a._check_alerts()
        self.assertEqual(alert.state, "cleared")
        self.assertEqual(alert.clear_reason, "orders are imported again")
