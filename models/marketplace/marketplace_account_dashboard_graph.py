"""The dashboard's graphs: calls, throttled calls, orders imported and the
average delay from sale to Odoo, per day over the last two weeks.

Each graph is a computed JSON text in the shape of Odoo's ``dashboard_graph``
widget (the bar chart of the accounting dashboard, which the
``marketplace_dashboard_graph`` widget extends), grouped by day in the
user's time zone as the Day grouping of a graph view is.  Its domain is a
dashboard figure (``graph_calls``, ...), so the graph's title opens exactly
the records it counts.
"""

import json
from datetime import timedelta

from odoo import fields, models
from odoo.tools.misc import format_date

GRAPH_DAYS = 14

# Graph field -> (figure, aggregate, bar type: the marketplace_dashboard_graph
# widget draws "warning" bars in a warning colour, for throttled calls).
GRAPHS = {
    "dashboard_graph_calls": ("graph_calls", "__count", "normal"),
    "dashboard_graph_throttled": ("graph_throttled", "__count", "warning"),
    "dashboard_graph_orders": ("graph_orders", "__count", "normal"),
    "dashboard_graph_order_delay": (
        "graph_order_delay",
        "import_delay_minutes:avg",
        "normal",
    ),
}
# The day each figure's records are grouped by.
GRAPH_DAY_FIELDS = {
    "graph_calls": "create_date",
    "graph_throttled": "create_date",
    "graph_orders": "imported_at",
    "graph_order_delay": "imported_at",
}


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    dashboard_graph_calls = fields.Text(
        string="Calls per day", compute="_compute_dashboard_graphs"
    )
    dashboard_graph_throttled = fields.Text(
        string="Throttled calls per day", compute="_compute_dashboard_graphs"
    )
    dashboard_graph_orders = fields.Text(
        string="Orders imported per day", compute="_compute_dashboard_graphs"
    )
    dashboard_graph_order_delay = fields.Text(
        string="Average delay from sale to Odoo per day (min)",
        compute="_compute_dashboard_graphs",
    )

    def _dashboard_domains(self):
        domains = super()._dashboard_domains()
        since = fields.Datetime.to_string(self._dashboard_since(GRAPH_DAYS - 1))
        domains.update(
            {
                "graph_calls": ("marketplace.call", [("create_date", ">=", since)]),
                "graph_throttled": (
                    "marketplace.call",
                    [("create_date", ">=", since), ("is_throttled", "=", True)],
                ),
                "graph_orders": ("marketplace.order", [("imported_at", ">=", since)]),
                "graph_order_delay": (
                    "marketplace.order",
                    [("imported_at", ">=", since), ("remote_created_at", "!=", False)],
                ),
            }
        )
        return domains

    def _dashboard_days(self):
        """The graphs' days, oldest first, in the user's time zone."""
        today = fields.Date.context_today(self)
        return [today - timedelta(days=back) for back in range(GRAPH_DAYS - 1, -1, -1)]

    def _dashboard_graph_values(self):
        """{graph field: {account id: {day: value}}} for the accounts of self."""
        # Group by the user's days, as _dashboard_since counts them.
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        accounts = self.with_context(tz=tz)
        values = {}
        for graph, (figure, aggregate, _type) in GRAPHS.items():
            per_account = values[graph] = {}
            for account, day, value in accounts._dashboard_group(
                figure, [f"{GRAPH_DAY_FIELDS[figure]}:day"], [aggregate]
            ):
                if day:
                    per_account.setdefault(account.id, {})[day.date()] = value or 0
        return values

    def _compute_dashboard_graphs(self):
        days = self._dashboard_days()
        labels = [format_date(self.env, day, date_format="d MMM") for day in days]
        values = self._dashboard_graph_values() if self.ids else {}
        for account in self:
            for graph, (_figure, _aggregate, bar_type) in GRAPHS.items():
                per_day = values.get(graph, {}).get(account.id, {})
                account[graph] = json.dumps(
                    [
                        {
                            "key": account._fields[graph].string,
                            "is_sample_data": False,
                            "values": [
                                {
                                    "label": label,
                                    "value": round(per_day.get(day, 0), 1),
                                    "type": bar_type,
                                }
                                for day, label in zip(days, labels, strict=True)
                            ],
                        }
                    ]
                )

    def _dashboard_titles(self):
        titles = super()._dashboard_titles()
        _ = self.env._
        titles.update(
            {
                "graph_calls": _("Calls, last 14 days"),
                "graph_throttled": _("Throttled calls, last 14 days"),
                "graph_orders": _("Orders imported, last 14 days"),
                "graph_order_delay": _("Delay from sale to Odoo, last 14 days"),
            }
        )
        return titles

    def _dashboard_views(self, figure, model):
        if figure in ("graph_calls", "graph_throttled"):
            return super()._dashboard_views("calls", model)
        if figure == "graph_orders":
            views = super()._dashboard_views("order_delay", model)
            views["context"] = {
                "create": False,
                "graph_groupbys": ["imported_at:day"],
                "pivot_row_groupby": ["imported_at:day"],
            }
            return views
        if figure == "graph_order_delay":
            return super()._dashboard_views("order_delay", model)
        return super()._dashboard_views(figure, model)
