"""Reconciliation: compare what eBay shows with what Odoo wants it to show.

A scheduled job reads eBay's quantities (bulkGetInventoryItem, 25 per
call) and prices (getOffer), and keeps one open drift line per listing and
field, dated from when it was first seen.  Repair pushes Odoo's value.
Drift on a listing with no change pending (nothing marked for a push, no
push with a lost answer, no listing operation queued) is repaired at once
unless the setting "Repair drift automatically" is off; the listing's
chatter says so, and the push's calls are in its call log.
"""

from odoo import api, fields, models

from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ..res_config_settings import get_setting
from .job_edge import marketplace_job


class MarketplaceDrift(models.Model):
    _name = "marketplace.drift"
    _description = "eBay Drift"
    _order = "since desc"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True

    # Found by the reconciliation: every field is the connector's.
    account_id = fields.Many2one(
        "marketplace.account",
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
        self.filtered(lambda d: d.state == "open").sudo()._repair()
        return True

    def _repair(self):
        """As the system: push marks and drift states are the connector's."""
        listings = self.listing_id
        listings._write_system({"push_pending": True})
        listings.account_id._enqueue_stock_push(urgent=True)
        self._write_system({"state": "repairing"})

    def _repair_automatically(self):
        """Repair drift no pending change explains, and say so on the listing."""
        unexplained = self.filtered(
            lambda d: d.state == "open" and not d.listing_id._ebay_change_pending()
        )
        for listing in unexplained.listing_id:
            lines = unexplained.filtered(lambda d, lst=listing: d.listing_id == lst)
            listing.message_post(
                body=self.env._(
                    "eBay showed %(found)s while Odoo wants %(wanted)s, with no "
                    "change pending: Odoo's values are pushed again (automatic "
                    "drift repair).",
                    found=", ".join(f"{d.field} {d.ebay_value:g}" for d in lines),
                    wanted=", ".join(f"{d.field} {d.odoo_value:g}" for d in lines),
                )
            )
        unexplained._repair()
        return unexplained


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    drift_ids = fields.One2many("marketplace.drift", "account_id")
    last_reconciled_at = fields.Datetime(readonly=True, copy=False, system_field=True)

    @api.model
    def _cron_reconcile(self):
        for account in self.search([("state", "=", "connected")]):
            account.with_delay(
                identity_key=f"ebay.reconcile:{account.id}",
                description=f"eBay reconciliation {account.name}",
            )._job_reconcile()

    @marketplace_job
    def _job_reconcile(self):
        """Queue job: find drift between eBay and Odoo for live listings."""
        self.ensure_one()
        listings = self.env["ebay.listing"].search(
            [("account_id", "=", self.id), ("is_live", "=", True)]
        )
        seen = {}
        with self._job_edge(record=self, operation="reconcile") as edge:
            api_ = InventoryApi(edge.client)
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
        if edge.failed:
            if not edge.retrying:
                self.message_post(
                    body=self.env._("Reconciliation failed: %(r)s", r=edge.message)
                )
            return f"failed: {edge.message}"
        found = 0
        Drift = self.env["marketplace.drift"]
        drifting = Drift
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
                    # A repair still on its way stays one; otherwise it failed.
                    waiting = (
                        open_drift.state == "repairing"
                        and listing._ebay_change_pending()
                    )
                    open_drift.write(
                        dict(values, state="repairing" if waiting else "open")
                    )
                    drifting |= open_drift
                else:
                    drifting |= Drift.create(
                        dict(
                            values,
                            account_id=self.id,
                            listing_id=listing.id,
                            field=field_name,
                        )
                    )
        if get_setting(self.env, "drift_auto_repair"):
            drifting._repair_automatically()
        self.last_reconciled_at = fields.Datetime.now()
        self._check_drift_alert()

        return f"{found} drift(s) in {len(listings)} listing(s)"


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    def _ebay_change_pending(self):
        """True when Odoo has a change of this listing on its way to eBay,
        which explains a difference (and will end it)."""
        self.ensure_one()
        return bool(
            self.push_pending or self.push_unsettled_until or self.state == "queued"
        )
