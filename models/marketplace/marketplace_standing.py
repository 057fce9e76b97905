"""The seller's standing with a marketplace: one reading per account, day
and metric, kept as history.

The account's channel reads the marketplace's figures once a day (its
standing job) and hands them to :meth:`marketplace.account._record_standing`
as readings (a level, a value and the threshold that keeps the level);
the neutral side stores them, compares each with the metric's previous
reading (the trend) and raises an alert when a level drops
(marketplace_account_standing.py).  A level's ``level_rank`` orders the
levels of one metric, higher is better, so a drop is a lower rank whatever
the channel calls its levels.
"""

from odoo import api, fields, models
from odoo.tools.float_utils import float_compare

TRENDS = [
    ("new", "First reading"),
    ("better", "Better"),
    ("same", "Unchanged"),
    ("worse", "Worse"),
]
KINDS = [("level", "Level"), ("rate", "Rate"), ("count", "Count")]


class MarketplaceStanding(models.Model):
    _name = "marketplace.standing"
    _description = "Marketplace Seller Standing"
    _order = "date desc, sequence, id"
    _rec_name = "label"
    _inherit = ["marketplace.account.record.mixin"]

    channel = fields.Selection(related="account_id.channel")
    date = fields.Date(required=True, index=True, readonly=True, system_field=True)
    metric = fields.Char(required=True, index=True, readonly=True, system_field=True)
    label = fields.Char(string="Figure", readonly=True, system_field=True)
    sequence = fields.Integer(readonly=True, system_field=True)
    kind = fields.Selection(KINDS, readonly=True, system_field=True)
    level = fields.Char(
        string="Level code",
        readonly=True,
        system_field=True,
        help="The level or rating as the marketplace names it.",
    )
    level_label = fields.Char(string="Level", readonly=True, system_field=True)
    level_rank = fields.Integer(
        readonly=True,
        system_field=True,
        help="Orders the levels of this figure: higher is better; 0 when the "
        "marketplace gives no level.",
    )
    value = fields.Float(
        string="Measured value", digits=(16, 6), readonly=True, system_field=True
    )
    threshold = fields.Float(
        digits=(16, 6),
        readonly=True,
        system_field=True,
        help="For a rate, the highest value that keeps the level; for a count, "
        "the lowest.",
    )
    window_start = fields.Date(
        string="Evaluated since",
        readonly=True,
        system_field=True,
        help="The first day of the period the marketplace evaluates.",
    )
    previous_id = fields.Many2one(
        "marketplace.standing",
        string="Previous reading",
        readonly=True,
        ondelete="set null",
        check_company=True,
        system_field=True,
    )
    trend = fields.Selection(TRENDS, readonly=True, system_field=True)
    dropped = fields.Boolean(
        string="Level dropped",
        readonly=True,
        system_field=True,
        help="The level is lower than at the previous reading.",
    )
    value_text = fields.Char(string="Value", compute="_compute_value_text")

    _sql_constraints = [
        (
            "account_date_metric_uniq",
            "unique(account_id, date, metric)",
            "One reading per figure and day for an account.",
        )
    ]

    @api.depends("kind", "value")
    def _compute_value_text(self):
        for reading in self:
            reading.value_text = reading._format_value(reading.value)

    def _format_value(self, value):
        """``value`` in the words of this figure: a rate as a percentage."""
        self.ensure_one()
        if self.kind == "rate":
            return f"{value * 100:.2f} %"
        if self.kind == "count":
            return f"{value:g}"
        return ""

    def _trend_of(self, previous):
        """better / same / worse / new of this reading against ``previous``:
        the level first, then the value (a rate is better lower, a count
        higher)."""
        self.ensure_one()
        if not previous:
            return "new"
        if (
            self.level_rank
            and previous.level_rank
            and self.level_rank != previous.level_rank
        ):
            return "better" if self.level_rank > previous.level_rank else "worse"
        if self.kind not in ("rate", "count"):
            return "same"
        change = float_compare(self.value, previous.value, precision_digits=6)
        if not change:
            return "same"
        lower_is_better = self.kind == "rate"
        return "better" if (change < 0) == lower_is_better else "worse"
