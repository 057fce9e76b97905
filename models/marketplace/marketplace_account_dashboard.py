"""The operations dashboard: one card of figures per marketplace account.

Every figure is a count or an average over one domain (``_dashboard_domains``)
and its click-through opens exactly that domain, so what a figure says and
the records behind it cannot disagree.  The figures are computed for all
shown accounts at once with grouped queries: a constant number of queries,
however many accounts the dashboard shows.

Each channel adds the figures of its listings through the hooks
``_marketplace_dashboard_domains`` and ``_marketplace_dashboard_fill``
(and its own figures, with its own fields, the same way).

"Today" and "the last 7 days" start at midnight in the user's time zone, as
the Today and Last 7 days search filters do.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.tools.misc import format_date

from ..res_config_settings import get_setting

WEEK_DAYS = 7


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dashboard_live_count = fields.Integer(
        string="Live listings", compute="_compute_dashboard"
    )
    dashboard_queued_count = fields.Integer(
        string="Queued listings", compute="_compute_dashboard"
    )
    dashboard_draft_count = fields.Integer(
        string="Draft listings", compute="_compute_dashboard"
    )
    dashboard_ended_count = fields.Integer(
        string="Ended listings", compute="_compute_dashboard"
    )
    dashboard_problem_count = fields.Integer(
        string="Failed listings",
        compute="_compute_dashboard",
        help="Listings the marketplace refused (error) or that gave up retrying "
        "(failed).",
    )
    dashboard_call_count = fields.Integer(
        string="Calls (7 days)", compute="_compute_dashboard"
    )
    dashboard_success_rate = fields.Float(
        string="Call success rate (7 days, %)",
        compute="_compute_dashboard",
        digits=(16, 1),
    )
    dashboard_throttled_count = fields.Integer(
        string="Throttled calls today",
        compute="_compute_dashboard",
        help="Calls the marketplace answered with 429 Too Many Requests.",
    )
    dashboard_failed_call_count = fields.Integer(
        string="Failed calls today",
        compute="_compute_dashboard",
        help="Failed calls other than throttled ones.",
    )
    dashboard_order_count = fields.Integer(
        string="Orders imported today", compute="_compute_dashboard"
    )
    dashboard_order_delay = fields.Float(
        string="Average delay from sale (7 days, min)",
        compute="_compute_dashboard",
        digits=(16, 1),
    )
    dashboard_push_waiting_count = fields.Integer(
        string="Stock pushes waiting", compute="_compute_dashboard"
    )
    dashboard_token_warning = fields.Boolean(
        compute="_compute_dashboard_token_warning",
        help="The consent (refresh token) expires soon or has expired.",
    )
    dashboard_attention = fields.Text(
        string="Needs attention",
        compute="_compute_dashboard_attention",
        help="What on this card asks the seller to act, one line each.",
    )

    # -- where each figure comes from ----
    def _dashboard_since(self, days_back=0):
        """UTC start of the user's day ``days_back`` days before today."""
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        tz = pytz.timezone(tz_name)
        day = fields.Date.context_today(self) - timedelta(days=days_back)
        start = tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _dashboard_domains(self):
        """Per figure: (model, domain), the account left out."""
        today = fields.Datetime.to_string(self._dashboard_since(0))
        week = fields.Datetime.to_string(self._dashboard_since(WEEK_DAYS - 1))
        domains = self._marketplace_dashboard_domains()
        domains.update(
            {
                "calls": ("marketplace.call", [("create_date", ">=", week)]),
                "throttled": (
                    "marketplace.call",
                    [("create_date", ">=", today), ("is_throttled", "=", True)],
                ),
                "failed_calls": (
                    "marketplace.call",
                    [
                        ("create_date", ">=", today),
                        ("state", "=", "failed"),
                        ("is_throttled", "=", False),
                    ],
                ),
                "orders": ("marketplace.order", [("imported_at", ">=", today)]),
                "order_delay": (
                    "marketplace.order",
                    [("imported_at", ">=", week), ("remote_created_at", "!=", False)],
                ),
            }
        )
        return domains

    def _marketplace_dashboard_domains(self):
        """Channel hook: ``{figure: (model, domain)}`` of the channel's own
        figures (its listings by state: live, queued, draft, ended, problem;
        push_waiting), the account left out.  ``self`` is of one channel."""
        return {}

    def _marketplace_dashboard_fill(self, values):
        """Channel hook: add the channel's figures of these accounts (all of
        one channel) to ``values`` ({account id: {field: value}})."""

    def _dashboard_group(self, figure, groupby, aggregates):
        """Grouped rows of one figure's domain for all accounts of ``self``."""
        model, domain = self._dashboard_domains()[figure]
        return self.env[model]._read_group(
            domain + [("account_id", "in", self.ids)],
            ["account_id", *groupby],
            aggregates,
        )

    # -- figures ----
    def _compute_dashboard(self):
        values = defaultdict(
            lambda: {
                "dashboard_live_count": 0,
                "dashboard_queued_count": 0,
                "dashboard_draft_count": 0,
                "dashboard_ended_count": 0,
                "dashboard_problem_count": 0,
                "dashboard_call_count": 0,
                "dashboard_success_rate": 0.0,
                "dashboard_throttled_count": 0,
                "dashboard_failed_call_count": 0,
                "dashboard_order_count": 0,
                "dashboard_order_delay": 0.0,
                "dashboard_push_waiting_count": 0,
            }
        )
        if self.ids:
            self._dashboard_fill(values)
        for account in self:
            account.update(values[account.id])

    def _dashboard_fill(self, values):
        # The channel's own figures: one channel at a time.
        for accounts in self.grouped("channel").values():
            accounts._marketplace_dashboard_fill(values)
        # Calls: success rate over the week, failures of today.
        calls = defaultdict(lambda: {"success": 0, "failed": 0})
        for account, state, count in self._dashboard_group(
            "calls", ["state"], ["__count"]
        ):
            calls[account.id][state] = count
        for account_id, by_state in calls.items():
            total = by_state["success"] + by_state["failed"]
            values[account_id]["dashboard_call_count"] = total
            values[account_id]["dashboard_success_rate"] = (
                100.0 * by_state["success"] / total if total else 0.0
            )
        for figure, field in (
            ("throttled", "dashboard_throttled_count"),
            ("failed_calls", "dashboard_failed_call_count"),
            ("orders", "dashboard_order_count"),
        ):
            for account, count in self._dashboard_group(figure, [], ["__count"]):
                values[account.id][field] = count
        for account, delay in self._dashboard_group(
            "order_delay", [], ["import_delay_minutes:avg"]
        ):
            values[account.id]["dashboard_order_delay"] = delay or 0.0

    def _compute_dashboard_token_warning(self):
        days = get_setting(self.env, "token_warning_days")
        limit = fields.Datetime.now() + timedelta(days=days)
        for account in self:
            expiry = account.refresh_token_expires_at
            account.dashboard_token_warning = bool(expiry) and expiry <= limit

    def _compute_dashboard_attention(self):
        _ = self.env._
        for account in self:
            lines = []
            if account.state == "draft":
                lines.append(_("Not connected yet: open the account and connect it."))
            elif account.state == "reauth":
                lines.append(
                    _(
                        "The marketplace asks for access to be granted again: "
                        "open the account and reconnect it."
                    )
                )
            elif account.state == "error":
                lines.append(_("The account is in error: open it to see why."))
            if account.dashboard_token_warning:
                lines.append(
                    _(
                        "The seller's consent ends on %(date)s: grant access "
                        "again before then.",
                        date=format_date(self.env, account.refresh_token_expires_at),
                    )
                )
            if account.dashboard_problem_count:
                lines.append(
                    _(
                        "%(count)s listing(s) failed or were refused.",
                        count=account.dashboard_problem_count,
                    )
                )
            if account.dead_letter_count:
                lines.append(
                    _(
                        "%(count)s task(s) gave up and wait in Dead letters.",
                        count=account.dead_letter_count,
                    )
                )
            if account.alert_count:
                lines.append(
                    _("%(count)s alert(s) are open.", count=account.alert_count)
                )
            if account.dashboard_failed_call_count:
                lines.append(
                    _(
                        "%(count)s call(s) failed today.",
                        count=account.dashboard_failed_call_count,
                    )
                )
            if account.dashboard_throttled_count:
                lines.append(
                    _(
                        "The marketplace slowed down %(count)s call(s) today.",
                        count=account.dashboard_throttled_count,
                    )
                )
            account.dashboard_attention = "\n".join(lines) or False

    # -- click-throughs ----
    def action_dashboard_open(self):
        """Open the records behind the figure named by ``dashboard_figure``."""
        self.ensure_one()
        figure = self.env.context.get("dashboard_figure")
        if figure == "tokens":
            return {
                "type": "ir.actions.act_window",
                "res_model": "marketplace.account",
                "res_id": self.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        model, domain = self._dashboard_domains()[figure]
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(figure)s: %(account)s",
                figure=self._dashboard_titles()[figure],
                account=self.name,
            ),
            "res_model": model,
            "domain": [("account_id", "=", self.id), *domain],
            "context": {"create": False},
        }
        action.update(self._dashboard_views(figure, model))
        return action

    def _dashboard_titles(self):
        """Per figure, the title of the window it opens (channels add theirs)."""
        _ = self.env._
        return {
            "live": _("Live listings"),
            "queued": _("Queued listings"),
            "draft": _("Draft listings"),
            "ended": _("Ended listings"),
            "problem": _("Failed listings"),
            "push_waiting": _("Stock pushes waiting"),
            "calls": _("Calls, last 7 days"),
            "throttled": _("Throttled calls today"),
            "failed_calls": _("Failed calls today"),
            "orders": _("Orders imported today"),
            "order_delay": _("Delay from sale to Odoo, last 7 days"),
        }

    def _dashboard_views(self, figure, model):
        """View modes and grouping of the window opened for ``figure``
        (channels override it for the figures of their own models)."""
        if figure == "calls":
            return {
                "views": [(False, "graph"), (False, "pivot"), (False, "list")],
                "context": {
                    "create": False,
                    "graph_groupbys": ["create_date:day", "state"],
                    "pivot_row_groupby": ["create_date:day"],
                    "pivot_column_groupby": ["state"],
                },
            }
        if figure == "order_delay":
            return {
                "views": [(False, "graph"), (False, "pivot"), (False, "list")],
                "context": {
                    "create": False,
                    "graph_measure": "import_delay_minutes",
                    "graph_groupbys": ["imported_at:day"],
                    "pivot_row_groupby": ["imported_at:day"],
                    "pivot_measures": ["__count", "import_delay_minutes"],
                },
            }
        return {
            "views": [
                (False, "list"),
                (False, "graph"),
                (False, "pivot"),
                (False, "form"),
            ]
        }
