"""eBay's figures on the dashboard: its listings by state, the stock pushes
waiting and the revisions each listing may make a day."""

from collections import defaultdict

from odoo import fields, models

from .ebay_listing import REVISIONS_PER_DAY

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

    ebay_dashboard_revisions_used = fields.Integer(
        string="Revisions today", compute="_compute_ebay_dashboard_revisions"
    )
    ebay_dashboard_revisions_max = fields.Integer(
        string="Revisions of the busiest listing today",
        compute="_compute_ebay_dashboard_revisions",
        help="eBay allows each listing a fixed number of revisions per day.",
    )
    ebay_dashboard_revision_budget = fields.Integer(
        string="Revisions per listing and day",
        compute="_compute_ebay_dashboard_revisions",
    )

    def _compute_ebay_dashboard_revisions(self):
        used = {}
        ebay = self.filtered(lambda account: account.channel == "ebay")
        if ebay.ids:
            for account, total, busiest in ebay._dashboard_group(
                "revisions", [], ["revisions_today:sum", "revisions_today:max"]
            ):
                used[account.id] = (total, busiest)
        for account in self:
            total, busiest = used.get(account.id, (0, 0))
            account.ebay_dashboard_revisions_used = total
            account.ebay_dashboard_revisions_max = busiest
            account.ebay_dashboard_revision_budget = (
                REVISIONS_PER_DAY if account.channel == "ebay" else 0
            )

    def _marketplace_dashboard_domains(self):
        domains = super()._marketplace_dashboard_domains()
        if self[:1].channel != "ebay":
            return domains
        listing_states = defaultdict(list)
        for state, figure in LISTING_STATE_FIGURES.items():
            listing_states[figure].append(state)
        domains.update(
            {
                figure: ("ebay.listing", [("state", "in", states)])
                for figure, states in listing_states.items()
            }
        )
        domains.update(
            {
                "push_waiting": (
                    "ebay.listing",
                    # Only live listings are pushed: others wait for nothing.
                    [("push_pending", "=", True), ("is_live", "=", True)],
                ),
                "revisions": (
                    "ebay.listing",
                    [("revision_day", "=", fields.Date.context_today(self))],
                ),
            }
        )
        return domains

    def _marketplace_dashboard_fill(self, values):
        if self[:1].channel != "ebay":
            return super()._marketplace_dashboard_fill(values)
        # Listings by state: one query for every state figure.
        for account, state, count in self.env["ebay.listing"]._read_group(
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
        titles["revisions"] = self.env._("Revisions today")
        return titles

    def _dashboard_views(self, figure, model):
        if figure == "revisions":
            busiest = self.env.ref(
                "marketplace_connector.ebay_listing_view_list_revisions"
            )
            return {"views": [(busiest.id, "list"), (False, "form")]}
        if model == "ebay.listing":
            return {"views": [(False, "list"), (False, "form")]}
        return super()._dashboard_views(figure, model)
