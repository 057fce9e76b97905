"""Amazon's figures on the dashboard: its listings by state, the stock
pushes waiting, and its feeds (on their way, and failed in the last 7 days)."""

from collections import defaultdict

from odoo import fields, models

from ..marketplace.marketplace_account_dashboard import WEEK_DAYS
from .amazon_feed import OPEN_STATES

# Listing state -> dashboard figure ("problem" gathers both dead ends).
LISTING_STATE_FIGURES = {
    "published": "live",
    "queued": "queued",
    "draft": "draft",
    "ended": "ended",
    "error": "problem",
    "failed": "problem",
}


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_dashboard_feed_open_count = fields.Integer(
        string="Feeds on their way",
        compute="_compute_amazon_dashboard_feeds",
        help="Feeds built or sent that Amazon has not finished yet.",
    )
    amazon_dashboard_feed_failed_count = fields.Integer(
        string="Feeds failed (7 days)",
        compute="_compute_amazon_dashboard_feeds",
        help="Feeds Amazon ended FATAL or CANCELLED in the last 7 days.",
    )

    def _compute_amazon_dashboard_feeds(self):
        counts = defaultdict(int)
        amazon = self.filtered(lambda account: account.channel == "amazon")
        if amazon.ids:
            for figure in ("feeds_open", "feeds_failed"):
                for account, count in amazon._dashboard_group(figure, [], ["__count"]):
                    counts[(account.id, figure)] = count
        for account in self:
            account.amazon_dashboard_feed_open_count = counts[
                (account.id, "feeds_open")
            ]
            account.amazon_dashboard_feed_failed_count = counts[
                (account.id, "feeds_failed")
            ]

    def _marketplace_dashboard_domains(self):
        domains = super()._marketplace_dashboard_domains()
        if self[:1].channel != "amazon":
            return domains
        listing_states = defaultdict(list)
        for state, figure in LISTING_STATE_FIGURES.items():
            listing_states[figure].append(state)
        domains.update(
            {
                figure: ("amazon.listing", [("state", "in", states)])
                for figure, states in listing_states.items()
            }
        )
        week = fields.Datetime.to_string(self._dashboard_since(WEEK_DAYS - 1))
        domains.update(
            {
                "push_waiting": (
                    "amazon.listing",
                    [("push_pending", "=", True), ("is_live", "=", True)],
                ),
                "feeds_open": ("amazon.feed", [("state", "in", OPEN_STATES)]),
                "feeds_failed": (
                    "amazon.feed",
                    [
                        ("state", "in", ("fatal", "cancelled")),
                        ("finished_at", ">=", week),
                    ],
                ),
            }
        )
        return domains

    def _marketplace_dashboard_fill(self, values):
        if self[:1].channel != "amazon":
            return super()._marketplace_dashboard_fill(values)
        for account, state, count in self.env["amazon.listing"]._read_group(
            [("account_id", "in", self.ids)], ["account_id", "state"], ["__count"]
        ):
            figure = LISTING_STATE_FIGURES.get(state)
            if figure:
                values[account.id][f"dashboard_{figure}_count"] += count
        for account, count in self._dashboard_group("push_waiting", [], ["__count"]):
            values[account.id]["dashboard_push_waiting_count"] = count
        return None

    def _dashboard_titles(self):
        titles = super()._dashboard_titles()
        titles["feeds_open"] = self.env._("Amazon feeds on their way")
        titles["feeds_failed"] = self.env._("Amazon feeds failed, last 7 days")
        return titles

    def _dashboard_views(self, figure, model):
        if model in ("amazon.listing", "amazon.feed"):
            return {"views": [(False, "list"), (False, "form")]}
        return super()._dashboard_views(figure, model)
