"""Reconciliation: compare what eBay shows with what Odoo wants it to show.

A scheduled job reads eBay's quantities (bulkGetInventoryItem, 25 per
call) and prices (getOffer), and keeps one open drift line per listing and
field, dated from when it was first seen.  Repair pushes Odoo's value.
"""

from odoo import api, fields, models

from ..ebay import EbayError
from ..ebay.endpoints import BULK_LIMIT
from ..ebay.errors import actionable
from ..ebay.inventory import InventoryApi

STOCK_CHANNEL = "root.ebay.stock"


class EbayDrift(models.Model):
    _name = "ebay.drift"
    _description = "eBay Drift"
    _order = "since desc"
    _inherit = ["ebay.protected.fields.mixin"]
    _check_company_auto = True

    # Found by the reconciliation: every field is the connector's.
    account_id = fields.Many2one(
        "ebay.account",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    listing_id = fields.Many2one(
        "ebay.listing",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        system_field=True,
    )
    sku = fields.Char(related="listing_id.sku", store=True)
    field = fields.Selection(
        [("quantity", "Quantity"), ("price", "Price")],
        required=True,
        readonly=True,
        system_field=True,
    )
    odoo_value = fields.Float(string="Odoo value", readonly=True, system_field=True)
    ebay_value = fields.Float(string="eBay value", readonly=True, system_field=True)
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

    def action_repair(self):
        """Push Odoo's values for the drifting listings."""
        self.check_access("write")
        drifts = self.filtered(lambda d: d.state == "open").sudo()
        drifts.listing_id.write({"push_pending": True})
        drifts.account_id._enqueue_stock_push(urgent=True)
        drifts.state = "repairing"
        return True


class EbayAccount(models.Model):
    _inherit = "ebay.account"

    drift_ids = fields.One2many("ebay.drift", "account_id")
    last_reconciled_at = fields.Datetime(readonly=True, copy=False, system_field=True)

    @api.model
    def _cron_reconcile(self):
        for account in self.search([("state", "=", "connected")]):
            account.with_delay(
                channel=STOCK_CHANNEL,
                identity_key=f"ebay.reconcile:{account.id}",
                description=f"eBay reconciliation {account.name}",
            )._job_reconcile()

    def _job_reconcile(self):
        """Queue job: find drift between eBay and Odoo for live listings."""
        self.ensure_one()
        listings = self.env["ebay.listing"].search(
            [("account_id", "=", self.id), ("is_live", "=", True)]
        )
        api_ = InventoryApi(self._ebay_client())
        seen = {}
        try:
            for start in range(0, len(listings), BULK_LIMIT):
                chunk = listings[start : start + BULK_LIMIT]
                data = api_.bulk_get_inventory_item(chunk.mapped("sku"))
                for response in data.get("responses", []):
                    item = response.get("inventoryItem") or {}
                    quantity = (
                        (item.get("availability") or {}).get(
                            "shipToLocationAvailability"
                        )
                        or {}
                    ).get("quantity")
                    seen[response.get("sku")] = {"quantity": quantity}
            for listing in listings:
                offer = api_.get_offer(listing.offer_id)
                price = ((offer.get("pricingSummary") or {}).get("price") or {}).get(
                    "value"
                )
                seen.setdefault(listing.sku, {})["price"] = (
                    float(price) if price else None
                )
        except EbayError as err:
            self.message_post(
                body=self.env._("Reconciliation failed: %(r)s", r=actionable(err))
            )
            return f"failed: {err.user_message}"
        found = 0
        Drift = self.env["ebay.drift"]
        for listing in listings:
            quantity, price = listing._targets()
            for field_name, odoo_value in (("quantity", quantity), ("price", price)):
                ebay_value = seen.get(listing.sku, {}).get(field_name)
                open_drift = Drift.search(
                    [
                        ("listing_id", "=", listing.id),
                        ("field", "=", field_name),
                        ("state", "in", ("open", "repairing")),
                    ],
                    limit=1,
                )
                if ebay_value is None or abs(float(ebay_value) - odoo_value) < 0.005:
                    open_drift.state = "resolved"
                    continue
                found += 1
                values = {"odoo_value": odoo_value, "ebay_value": float(ebay_value)}
                if open_drift:
                    open_drift.write(dict(values, state="open"))
                else:
                    Drift.create(
                        dict(
                            values,
                            account_id=self.id,
                            listing_id=listing.id,
                            field=field_name,
                        )
                    )
        self.last_reconciled_at = fields.Datetime.now()
        self._check_drift_alert()

        return f"{found} drift(s) in {len(listings)} listing(s)"
