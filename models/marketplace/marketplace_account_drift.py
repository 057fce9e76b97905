"""The account's reconciliation: when it runs, and what it records.

The cron asks each connected account's channel to reconcile
(:meth:`_marketplace_enqueue_reconcile`); the channel's job reads what the
marketplace shows and hands it to :meth:`_record_drift`, which keeps the
drift lines (marketplace_drift.py), repairs what no pending change
explains and raises or clears the drift alert.
"""

from odoo import api, fields, models

from ..res_config_settings import get_setting


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    drift_ids = fields.One2many("marketplace.drift", "account_id")
    last_reconciled_at = fields.Datetime(readonly=True, copy=False, system_field=True)

    @api.model
    def _cron_reconcile(self):
        for account in self.search([("state", "=", "connected")]):
            account._marketplace_enqueue_reconcile()

    def _marketplace_enqueue_reconcile(self):
        """Hook: enqueue the channel's reconciliation of this account.

        Its job reads the quantity and price the marketplace shows for the
        account's live listings and calls :meth:`_record_drift`.  A channel
        that does not override it reconciles nothing.
        """
        self.ensure_one()
        return False

    def _record_drift(self, listings, seen, missing=None):
        """Compare what the marketplace shows with what Odoo wants.

        ``listings``: the account's live listings that were read; ``seen``:
        ``{listing id: {"quantity": q, "price": p}}`` as the marketplace
        shows each listing (by listing, not SKU: one SKU may be offered on
        several marketplaces, each with its price and share of the stock; a
        value it did not give is None and not compared).  ``missing``:
        those of ``listings`` the marketplace does not show at all (a
        channel that reads a full list of the seller's listings can tell);
        each is drift of the field "listing" (Odoo 1, marketplace 0), which
        repair publishes again.
        """
        self.ensure_one()
        found = 0
        Drift = self.env["marketplace.drift"]
        drifting = Drift
        missing = missing if missing is not None else listings.browse()
        for listing in listings:
            open_drift = Drift.search(
                [
                    ("res_model", "=", listing._name),
                    ("res_id", "=", listing.id),
                    ("field", "=", "listing"),
                    ("state", "in", ("open", "repairing")),
                ],
                limit=1,
            )
            if listing not in missing:
                open_drift.state = "resolved"
                continue
            found += 1
            if open_drift:
                waiting = open_drift.state == "repairing" and listing._change_pending()
                open_drift.state = "repairing" if waiting else "open"
                drifting |= open_drift
            else:
                drifting |= Drift.create(
                    {
                        "account_id": self.id,
                        "res_model": listing._name,
                        "res_id": listing.id,
                        "field": "listing",
                        "odoo_value": 1.0,
                        "marketplace_value": 0.0,
                    }
                )
        for listing in listings - missing:
            quantity, price = listing._targets()
            for field_name, odoo_value in (("quantity", quantity), ("price", price)):
                shown = seen.get(listing.id, {}).get(field_name)
                open_drift = Drift.search(
                    [
                        ("res_model", "=", listing._name),
                        ("res_id", "=", listing.id),
                        ("field", "=", field_name),
                        ("state", "in", ("open", "repairing")),
                    ],
                    limit=1,
                )
                if shown is None or abs(float(shown) - odoo_value) < 0.005:
                    open_drift.state = "resolved"
                    continue
                found += 1
                values = {"odoo_value": odoo_value, "marketplace_value": float(shown)}
                if open_drift:
                    # A repair still on its way stays one; otherwise it failed.
                    waiting = (
                        open_drift.state == "repairing" and listing._change_pending()
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
                            res_model=listing._name,
                            res_id=listing.id,
                            field=field_name,
                        )
                    )
        if get_setting(self.env, "drift_auto_repair"):
            drifting._repair_automatically()
        self.last_reconciled_at = fields.Datetime.now()
        self._check_drift_alert()
        return f"{found} drift(s) in {len(listings)} listing(s)"
