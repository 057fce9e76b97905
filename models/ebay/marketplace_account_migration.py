"""Bring listings made elsewhere (eBay's site, Trading API tools) under Odoo.

bulkMigrateListing turns up to 5 legacy listings per call into inventory
items and offers; each migrated SKU is then linked to the Odoo product with
that internal reference.  SKUs Odoo does not know are reported, not dropped.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ...ebay.inventory import InventoryApi
from ...ebay.messages import actionable_message
from ..marketplace.job_edge import marketplace_job

MIGRATE_BATCH = 5  # eBay's limit for bulkMigrateListing


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_migration_report = fields.Text(
        string="Migration report", readonly=True, copy=False, system_field=True
    )
    ebay_listings_to_migrate = fields.Char(
        string="eBay listing IDs to migrate",
        copy=False,
        help="Listing IDs of existing eBay listings, separated by commas or spaces.",
    )

    def action_migrate_from_form(self):
        self.ensure_one()
        self.check_access("write")  # managers only, before anything is queued
        ids = (self.ebay_listings_to_migrate or "").replace(",", " ").split()
        self.action_migrate_listings(ids)
        self.ebay_listings_to_migrate = False
        return True

    def action_migrate_listings(self, listing_ids):
        """Queue the migration of these eBay listing ids, 5 per job."""
        self.ensure_one()
        self.check_access("write")  # managers only, before anything is queued
        ids = [str(i).strip() for i in listing_ids if str(i).strip()]
        if not ids:
            raise UserError(self.env._("Give at least one eBay listing ID."))
        for start in range(0, len(ids), MIGRATE_BATCH):
            batch = ids[start : start + MIGRATE_BATCH]
            # As the system: the job links listings and writes their eBay ids.
            self.sudo().with_delay(
                identity_key=f"ebay.migrate:{self.id}:{','.join(batch)}",
                description=f"eBay migrate listings {', '.join(batch)}",
            )._job_migrate_listings(batch)
        return True

    @marketplace_job
    def _job_migrate_listings(self, listing_ids):
        """Queue job: migrate up to 5 listings, link their SKUs, report."""
        self.ensure_one()
        lines = []
        with self._job_edge(record=self, operation="bulkMigrateListing") as edge:
            api = InventoryApi(edge.client)
            data = api.bulk_migrate_listing(listing_ids)
            for response in data.get("responses", []):
                lines += self._link_migrated(response, api)
        if edge.failed:
            lines.append(
                self.env._(
                    "Migration of %(ids)s stopped: %(reason)s",
                    ids=", ".join(listing_ids),
                    reason=edge.message,
                )
            )
        report = "\n".join(lines)
        self.ebay_migration_report = "\n".join(
            filter(None, [self.ebay_migration_report, report])
        )
        self.message_post(body=report)
        return report

    def _link_migrated(self, response, api):
        listing_id = response.get("listingId")
        if response.get("statusCode", 500) >= 300:
            return [
                self.env._(
                    "Listing %(id)s was not migrated: %(reason)s",
                    id=listing_id,
                    reason=actionable_message(response.get("errors")),
                )
            ]
        lines = []
        Listing = self.env["ebay.listing"]
        Product = self.env["product.product"].with_context(active_test=False)
        for item in response.get("inventoryItems") or []:
            sku = item.get("sku")
            product = Product.search(
                [
                    ("default_code", "=", sku),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                limit=1,
            )
            if not product:
                lines.append(
                    self.env._(
                        "Listing %(id)s: SKU %(sku)s has no Odoo product with that "
                        "internal reference; create it, then migrate again.",
                        id=listing_id,
                        sku=sku,
                    )
                )
                continue
            listing = Listing.search(
                [("account_id", "=", self.id), ("sku", "=", sku)], limit=1
            ) or Listing.create(
                {"account_id": self.id, "product_id": product.id, "sku": sku}
            )
            listing.write(
                {"offer_id": item.get("offerId"), "ebay_listing_id": listing_id}
            )
            listing._pull_from_ebay(api)
            lines.append(
                self.env._(
                    "Listing %(id)s: SKU %(sku)s linked to %(product)s.",
                    id=listing_id,
                    sku=sku,
                    product=product.display_name,
                )
            )
        return lines
