"""Drift: a value the marketplace shows that differs from what Odoo wants.

The account's channel reads what the marketplace shows (its reconciliation
job) and hands it to :meth:`marketplace.account._record_drift`, which keeps
one open drift line per listing and field, dated from when it was first
seen.  A line names its listing by model and id, since every channel has
its own listing model (``marketplace.listing.mixin``).  Repair pushes Odoo's
value.  Drift on a listing with no change pending (nothing marked for a
push, no push with a lost answer, no listing operation queued) is repaired
at once unless the setting "Repair drift automatically" is off; the
listing's chatter says so, and the push's calls are in its call log.
"""

from odoo import api, fields, models


class MarketplaceDrift(models.Model):
    _name = "marketplace.drift"
    _description = "Marketplace Drift"
    _order = "since desc"
    # Account and company: the connector's, as every field here is.
    _inherit = ["marketplace.account.record.mixin"]

    channel = fields.Selection(related="account_id.channel")
    # The listing, of whichever channel's listing model (it removes its
    # drift lines when it is deleted).
    res_model = fields.Char(
        string="Listing model", required=True, index=True, system_field=True
    )
    res_id = fields.Many2oneReference(
        string="Listing ID", model_field="res_model", required=True, system_field=True
    )
    listing_ref = fields.Reference(
        selection="_selection_listing_model",
        string="Listing",
        compute="_compute_listing_ref",
    )
    sku = fields.Char(
        string="SKU", compute="_compute_sku", store=True, index=True, readonly=True
    )
    field = fields.Selection(
        # "listing": the marketplace does not show the listing at all.
        [("quantity", "Quantity"), ("price", "Price"), ("listing", "Listed")],
        required=True,
        readonly=True,
        system_field=True,
    )
    odoo_value = fields.Float(string="Odoo value", readonly=True, system_field=True)
    marketplace_value = fields.Float(
        string="Marketplace value", readonly=True, system_field=True
    )
    since = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, system_field=True
    )
    state = fields.Selection(
        [("open", "Open"), ("repairing", "Repair queued"), ("resolved", "Resolved")],
        default="open",
        required=True,
        index=True,
        readonly=True,
        system_field=True,
    )

    @api.model
    def _selection_listing_model(self):
        Model = self.env["ir.model"]
        names = self.env["marketplace.listing.mixin"]._listing_models()
        return [(name, Model._get(name).name or name) for name in names]

    @api.depends("res_model", "res_id")
    def _compute_listing_ref(self):
        for drift in self:
            drift.listing_ref = (
                f"{drift.res_model},{drift.res_id}"
                if drift.res_model and drift.res_id
                else False
            )

    @api.depends("res_model", "res_id")
    def _compute_sku(self):
        for drift in self:
            drift.sku = drift._listing().sku if drift.res_model else False

    def _listing(self):
        """The drifting listing, as the system reads it."""
        self.ensure_one()
        return self.env[self.res_model].sudo().browse(self.res_id).exists()

    def _listings(self):
        """The drifting listings, one recordset per listing model."""
        by_model = {}
        for drift in self:
            by_model.setdefault(drift.res_model, set()).add(drift.res_id)
        return [
            self.env[model].sudo().browse(sorted(ids)).exists()
            for model, ids in by_model.items()
        ]

    def action_repair(self):
        """Push Odoo's values for the drifting listings."""
        self.check_access("write")
        self.filtered(lambda d: d.state == "open").sudo()._repair()
        return True

    def _repair(self):
        """As the system: push marks and drift states are the connector's.

        A listing the marketplace does not show is published again (a push
        of its values would patch nothing); a channel that cannot do that by
        itself says why, on the listing, and its line stays open."""
        absent = self.filtered(lambda d: d.field == "listing")
        for listings in (self - absent)._listings():
            listings._write_system({"push_pending": True})
            listings.account_id._enqueue_stock_push(urgent=True)
        unrepaired = self.browse()
        for listings in absent._listings():
            reason = listings._marketplace_publish_again()
            if reason:
                for listing in listings:
                    listing.message_post(body=reason)
                unrepaired |= absent.filtered(
                    lambda d, key=(listings._name, listings.ids): (
                        d.res_model == key[0] and d.res_id in key[1]
                    )
                )
        (self - unrepaired)._write_system({"state": "repairing"})

    def _repair_automatically(self):
        """Repair drift no pending change explains, and say so on the listing."""
        unexplained = self.filtered(
            lambda d: d.state == "open" and not d._listing()._change_pending()
        )
        for listings in unexplained._listings():
            for listing in listings:
                lines = unexplained.filtered(
                    lambda d, lst=listing: (
                        (d.res_model, d.res_id) == (lst._name, lst.id)
                    )
                )
                account = listing.account_id
                if lines.filtered(lambda d: d.field == "listing"):
                    listing.message_post(
                        body=self.env._(
                            "%(channel)s does not show this listing, with no "
                            "change pending: Odoo publishes it again (automatic "
                            "drift repair).",
                            channel=account._channel_label(),
                        )
                    )
                    continue
                listing.message_post(
                    body=self.env._(
                        "%(channel)s showed %(found)s while Odoo wants %(wanted)s, "
                        "with no change pending: Odoo's values are pushed again "
                        "(automatic drift repair).",
                        channel=account._channel_label(),
                        found=", ".join(
                            f"{d.field} {d.marketplace_value:g}" for d in lines
                        ),
                        wanted=", ".join(f"{d.field} {d.odoo_value:g}" for d in lines),
                    )
                )
        unexplained._repair()
        return unexplained
