"""The dashboard's standing block: the account's latest standing readings
(level, key rates and their trend) and, from Odoo's own orders, what puts
that standing at risk in the evaluation window: late shipments (shipped
after their ship-by time, or not shipped and past it) and cancellations.

The window starts where the marketplace says its evaluation starts (the
latest rate readings' ``window_start``), else :data:`DEFAULT_WINDOW_DAYS`
ago.  The counts take a constant number of queries however many accounts
are shown: one grouped query per figure over the widest window, each
account's rows then kept from its own window's first day.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.tools.misc import format_date

# eBay's and Amazon's usual evaluation periods are about three months.
DEFAULT_WINDOW_DAYS = 90
# Readings older than this are not "the latest" any more: the block says
# the standing was not read lately instead of showing them.
STALE_DAYS = 7
STANDING_FIGURES = ("late_shipments", "cancellations", "standing")
# trend -> (icon, colour class) per kind: a rate that rose is worse.
ARROWS = {
    ("rate", "worse"): ("fa-arrow-up", "text-danger"),
    ("rate", "better"): ("fa-arrow-down", "text-success"),
    ("level", "worse"): ("fa-arrow-down", "text-danger"),
    ("level", "better"): ("fa-arrow-up", "text-success"),
    ("count", "worse"): ("fa-arrow-down", "text-danger"),
    ("count", "better"): ("fa-arrow-up", "text-success"),
}


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dashboard_standing_html = fields.Html(
        string="Standing",
        compute="_compute_dashboard_standing",
        sanitize=False,
        help="The latest seller standing the marketplace gave, with its trend.",
    )
    dashboard_standing_at_risk = fields.Boolean(
        compute="_compute_dashboard_standing",
        help="A level is below the best, or dropped at the latest reading.",
    )
    dashboard_window_start = fields.Date(
        string="Evaluated since", compute="_compute_dashboard_standing"
    )
    dashboard_late_shipment_count = fields.Integer(
        string="Late shipments", compute="_compute_dashboard_standing"
    )
    dashboard_cancel_count = fields.Integer(
        string="Cancelled orders", compute="_compute_dashboard_standing"
    )

    # -- where the figures come from ----
    def _standing_window_domain(self, start):
        since = fields.Datetime.to_string(datetime.combine(start, time.min))
        return [("remote_created_at", ">=", since)]

    def _standing_order_domains(self, start):
        """Per figure: the orders' domain from ``start`` (a date), the
        account left out."""
        now = fields.Datetime.to_string(fields.Datetime.now())
        window = self._standing_window_domain(start)
        return {
            "late_shipments": window
            + [
                "|",
                ("shipped_late", "=", True),
                "&",
                "&",
                ("shipped_at", "=", False),
                ("ship_by", "<", now),
                ("state", "!=", "cancelled"),
            ],
            "cancellations": window + [("state", "=", "cancelled")],
        }

    def _latest_standing(self):
        """{account id: its latest day's readings}, recent ones only."""
        since = fields.Date.context_today(self) - timedelta(days=STALE_DAYS)
        rows = self.env["marketplace.standing"].search(
            [("account_id", "in", self.ids), ("date", ">=", since)],
            order="date desc, sequence, id",
        )
        latest = defaultdict(lambda: self.env["marketplace.standing"])
        for row in rows:
            kept = latest[row.account_id.id]
            if not kept or kept[0].date == row.date:
                latest[row.account_id.id] = kept | row
        return latest

    def _standing_window_start(self, readings):
        self.ensure_one()
        starts = [r.window_start for r in readings if r.window_start]
        if starts:
            return min(starts)
        return fields.Date.context_today(self) - timedelta(days=DEFAULT_WINDOW_DAYS)

    # -- figures ----
    def _compute_dashboard_standing(self):
        latest = self._latest_standing() if self.ids else {}
        windows = {
            account.id: account._standing_window_start(
                latest.get(account.id, self.env["marketplace.standing"])
            )
            for account in self
        }
        counts = defaultdict(lambda: defaultdict(int))
        if self.ids:
            widest = min(windows.values())
            for figure, domain in self._standing_order_domains(widest).items():
                for account, day, count in self.env["marketplace.order"]._read_group(
                    domain + [("account_id", "in", self.ids)],
                    ["account_id", "remote_created_at:day"],
                    ["__count"],
                ):
                    if day and day.date() >= windows[account.id]:
                        counts[account.id][figure] += count
        for account in self:
            readings = latest.get(account.id, self.env["marketplace.standing"])
            account.dashboard_window_start = windows.get(account.id)
            account.dashboard_late_shipment_count = counts[account.id]["late_shipments"]
            account.dashboard_cancel_count = counts[account.id]["cancellations"]
            account.dashboard_standing_at_risk = any(
                r.dropped or (r.kind == "level" and r.level_rank and r.level_rank < 3)
                for r in readings
            )
            account.dashboard_standing_html = account._render_standing(readings)

    def _render_standing(self, readings):
        """The block's HTML (QWeb escapes every value)."""
        self.ensure_one()
        rows = []
        for reading in readings.filtered(lambda r: r.kind in ("level", "rate")):
            previous = reading.previous_id
            icon, colour = ARROWS.get((reading.kind, reading.trend), ("", ""))
            rows.append(
                {
                    "label": reading.label,
                    "level": reading.level_label or reading.level or "",
                    "value": reading.value_text if reading.kind == "rate" else "",
                    "hint": self._standing_hint(reading),
                    "icon": icon,
                    "colour": colour,
                    "trend_title": self._standing_trend_words(reading, previous),
                    "warn": reading.dropped
                    or (reading.level_rank and reading.level_rank < 3),
                }
            )
        return self.env["ir.qweb"]._render(
            "marketplace_connector.marketplace_dashboard_standing_block",
            {
                "rows": rows,
                "read_on": readings
                and format_date(self.env, readings[0].date)
                or False,
                "note": not readings and self._marketplace_standing_note(),
            },
        )

    def _standing_hint(self, reading):
        """The row's tooltip: its level and the limit that keeps it."""
        level = reading.level_label or reading.level or ""
        if reading.kind == "rate" and reading.threshold:
            return self.env._(
                "%(level)s: %(limit)s or less keeps this level",
                level=level,
                limit=reading._format_value(reading.threshold),
            )
        return level

    def _standing_trend_words(self, reading, previous):
        _ = self.env._
        if not previous:
            return _("First reading")
        before = (
            previous.value_text
            if reading.kind == "rate"
            else previous.level_label or previous.level
        )
        words = {
            "better": _("Better than on %(date)s (%(before)s)"),
            "worse": _("Worse than on %(date)s (%(before)s)"),
            "same": _("Unchanged since %(date)s"),
        }
        text = words.get(reading.trend)
        if not text:
            return ""
        return text % {"date": format_date(self.env, previous.date), "before": before}

    def _compute_dashboard_attention(self):
        super()._compute_dashboard_attention()
        _ = self.env._
        for account in self.filtered("dashboard_standing_at_risk"):
            line = _(
                "The seller standing is at risk: check the Seller standing "
                "figures in red below."
            )
            if account.dashboard_late_shipment_count:
                line += " " + _(
                    "%(count)s order(s) shipped late or still waiting past "
                    "their ship-by time.",
                    count=account.dashboard_late_shipment_count,
                )
            lines = [account.dashboard_attention or "", line]
            account.dashboard_attention = "\n".join(filter(None, lines))

    # -- click-throughs ----
    def _dashboard_titles(self):
        titles = super()._dashboard_titles()
        _ = self.env._
        titles.update(
            {
                "late_shipments": _("Late shipments"),
                "cancellations": _("Cancelled orders"),
                "standing": _("Seller standing"),
            }
        )
        return titles

    def action_dashboard_open(self):
        figure = self.env.context.get("dashboard_figure")
        if figure not in STANDING_FIGURES:
            return super().action_dashboard_open()
        self.ensure_one()
        title = self.env._(
            "%(figure)s: %(account)s",
            figure=self._dashboard_titles()[figure],
            account=self.name,
        )
        if figure == "standing":
            return {
                "type": "ir.actions.act_window",
                "name": title,
                "res_model": "marketplace.standing",
                "domain": [("account_id", "=", self.id)],
                "views": [(False, "list"), (False, "graph"), (False, "pivot")],
                "context": {"create": False, "search_default_group_metric": 1},
            }
        start = self._standing_window_start(self._latest_standing()[self.id])
        domain = self._standing_order_domains(start)[figure]
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "marketplace.order",
            "domain": [("account_id", "=", self.id), *domain],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }
