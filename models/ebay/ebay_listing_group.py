"""A product template with variants listed as one multi-variation listing.

On eBay this is an inventory item group: one inventory item per variant
(SKU), a group carrying the shared title, description, images and the
aspects the variants differ by, one offer per variant, then one publish of
the whole group.  Adding or removing variants and publishing again extends
or shrinks the live listing.
"""

from odoo import api, fields, models

from ...ebay import EbayError, payloads
from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ...ebay.messages import actionable_message
from ..marketplace.job_edge import marketplace_job
from ..marketplace.marketplace_listing_mixin import LISTING_STATES


class EbayListingGroup(models.Model):
    _name = "ebay.listing.group"
    _description = "eBay Multi-variation Listing"
    # Account and company, set once: marketplace.account.owned.mixin.
    _inherit = ["mail.thread", "marketplace.account.owned.mixin"]
    _rec_name = "group_key"

    product_tmpl_id = fields.Many2one(
        "product.template", required=True, ondelete="restrict", check_company=True
    )
    group_key = fields.Char(required=True, copy=False)
    title = fields.Char(required=True)
    description = fields.Html(sanitize=True, sanitize_style=False)
    image_urls = fields.Text(help="HTTPS image URLs, one per line.")
    category_id = fields.Char(string="eBay category ID")
    condition = fields.Selection(
        [(c, c.replace("_", " ").title()) for c in payloads.CONDITIONS],
        required=True,
        default="NEW",
    )
    aspect_ids = fields.One2many(
        "ebay.listing.group.aspect", "group_id", string="Shared item specifics"
    )
    listing_ids = fields.One2many("ebay.listing", "group_id", string="Variants")
    state = fields.Selection(
        LISTING_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,
        system_field=True,
    )
    pending_operation = fields.Selection(
        [("publish", "Publish / revise"), ("end", "End (withdraw)")],
        readonly=True,
        copy=False,
        system_field=True,
    )
    ebay_listing_id = fields.Char(
        string="eBay listing ID", readonly=True, copy=False, system_field=True
    )
    last_error = fields.Text(readonly=True, copy=False, system_field=True)
    retry_count = fields.Integer(readonly=True, copy=False, system_field=True)

    _sql_constraints = [
        (
            "account_key_uniq",
            "unique(account_id, group_key)",
            "This group key is already used on this eBay account.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            template = self.env["product.template"].browse(vals["product_tmpl_id"])
            vals.setdefault("group_key", template.default_code or f"TMPL-{template.id}")
            vals.setdefault("title", (template.name or "")[: payloads.TITLE_MAX])
            vals.setdefault("condition", template.ebay_condition or "NEW")
        return super().create(vals_list)

    # -- variants ---------------------------------------------------------------
    def _sync_variants(self):
        """One variant listing per active variant; gone variants leave the group."""
        self.ensure_one()
        variants = self.product_tmpl_id.product_variant_ids
        listings = variants._ebay_listings_for(self.account_id)
        listings.write({"group_id": self.id})
        (self.listing_ids - listings).write({"group_id": False})
        return listings

    def _varies_by(self, listings):
        """Each attribute's values in the order the product gives them (S,
        M, L), which is the order eBay offers them to buyers."""
        specs = {}
        ptavs = listings.product_id.product_template_attribute_value_ids
        for ptav in ptavs.sorted():
            values = specs.setdefault(ptav.attribute_id.name, [])
            if ptav.name not in values:
                values.append(ptav.name)
        return [{"name": name, "values": values} for name, values in specs.items()]

    def _shared_aspects(self):
        """The group's item specifics, then the product's of other names."""
        aspects = {}
        for line in self.aspect_ids:
            aspects.setdefault(line.name, []).append(line.value)
        for name, values in self.product_tmpl_id._ebay_aspects().items():
            if name.casefold() not in (n.casefold() for n in aspects):
                aspects[name] = values
        return aspects

    def _variant_data(self, listing):
        data = listing._listing_data()
        data.title = self.title
        # The group's category, else the product's (as the variant's data says).
        data.category_id = self.category_id or data.category_id
        data.condition = self.condition
        data.image_urls = self._images()
        data.aspects = dict(self._shared_aspects(), **listing._aspects())
        return data

    def _typed_images(self):
        return [u.strip() for u in (self.image_urls or "").splitlines() if u.strip()]

    def _images(self):
        """The group's pictures: the URLs typed on it, else the variants'
        product pictures uploaded to eBay (one per distinct picture)."""
        typed = self._typed_images()
        if typed:
            return typed
        uploaded = []
        for url in self.listing_ids.mapped("media_image_url"):
            if url and url not in uploaded:
                uploaded.append(url)
        return uploaded[: payloads.IMAGES_MAX]

    def _problems(self, listings):
        problems = []
        for listing in listings:
            found = payloads.validate(self._variant_data(listing))
            if not self._typed_images() and listing._uploadable_image():
                # The job uploads the variant's product picture first.
                found = [p for p in found if p[0] != "images"]
            for _field, message in found:
                line = f"{listing.sku or listing.product_id.display_name}: {message}"
                if line not in problems:
                    problems.append(line)
        if len(self.group_key) > 50:
            problems.append(self.env._("The group key is longer than 50 characters."))
        return problems

    # -- actions ------------------------------------------------------------------
    # Rights on the groups first; then the connector's work runs as the system.
    def action_publish(self):
        self.check_access("write")
        for group in self:
            listings = group._sync_variants()
            problems = group._problems(listings)
            if problems:
                group._write_system(
                    {"state": "error", "last_error": "\n".join(problems)}
                )
                continue
            group.sudo()._queue("publish")
        return True

    def action_end(self):
        self.check_access("write")
        self.filtered("ebay_listing_id").sudo()._queue("end")
        return True

    def action_requeue(self):
        self.check_access("write")
        for group in self.filtered(lambda g: g.state in ("failed", "error")).sudo():
            group.retry_count = 0
            group._queue(group.pending_operation or "publish")
        return True

    def _queue(self, operation):
        self.write({"state": "queued", "pending_operation": operation})
        for group in self:
            group.with_delay(
                identity_key=f"ebay.listing.group.{operation}:{group.id}",
                description=f"eBay {operation} group {group.group_key}",
            )._job_group_run(operation)

    # -- job ------------------------------------------------------------------------
    @marketplace_job
    def _job_group_run(self, operation):
        self.ensure_one()
        if self.state != "queued" or self.pending_operation != operation:
            return f"skipped: group {self.group_key} is {self.state}"
        with self.account_id._job_edge(record=self, operation=operation) as edge:
            getattr(self, f"_do_group_{operation}")(InventoryApi(edge.client))
        if edge.refused:
            self.write({"state": "error", "last_error": edge.message})
            self.message_post(
                body=self.env._(
                    "eBay refused %(op)s: %(m)s", op=operation, m=edge.message
                )
            )
        elif edge.retrying:
            self.write({"retry_count": edge.tries, "last_error": edge.message})
        return f"group {operation} {self.group_key}: {self.state}"

    def _marketplace_job_gave_up(self, edge):
        """A group out of tries shows it itself: the dead-letter state."""
        self.write(
            {"state": "failed", "retry_count": edge.tries, "last_error": edge.message}
        )
        self.message_post(body=edge.message)
        return True

    def _marketplace_outcome_unknown(self, until):
        """A group write may still land: its variants' values go again."""
        self.listing_ids._marketplace_outcome_unknown(until)

    def _do_group_publish(self, api):
        listings = self.listing_ids
        if not self._typed_images():
            for listing in listings:
                listing._ensure_media_image(api.client)
        for start in range(0, len(listings), BULK_LIMIT):
            chunk = listings[start : start + BULK_LIMIT]
            data = api.bulk_create_or_replace_inventory_item(
                [
                    dict(
                        payloads.inventory_item(self._variant_data(l)),
                        sku=l.sku,
                        locale="en_US",
                    )
                    for l in chunk
                ]
            )
            failed = [
                r for r in data.get("responses", []) if r.get("statusCode", 500) >= 300
            ]
            if failed:
                raise _BulkRefused(failed)
        body = {
            "title": self.title,
            "description": payloads.inventory_item(self._variant_data(listings[:1]))[
                "product"
            ]["description"]
            if listings
            else "",
            "imageUrls": self._images(),
            "aspects": self._shared_aspects(),
            "variantSKUs": listings.mapped("sku"),
            "variesBy": {"specifications": self._varies_by(listings)},
        }
        api.create_or_replace_inventory_item_group(self.group_key, body)
        for listing in listings:
            offer_body = payloads.offer(self._variant_data(listing))
            offer_id = listing.offer_id or listing._find_offer(api)
            if offer_id:
                api.update_offer(offer_id, offer_body)
            else:
                offer_id = listing._create_offer(api, offer_body)
            listing.offer_id = offer_id
        result = api.publish_offer_by_inventory_item_group(
            self.group_key, self.account_id.ebay_marketplace_id
        )
        listings._set_state(
            "published",
            is_live=True,
            ebay_listing_id=result.get("listingId"),
            pending_operation=False,
            last_error=False,
        )
        for listing in listings:
            quantity, price = listing._targets()
            listing.write({"pushed_quantity": quantity, "pushed_price": price})
        self.write(
            {
                "state": "published",
                "ebay_listing_id": result.get("listingId"),
                "pending_operation": False,
                "last_error": False,
                "retry_count": 0,
            }
        )
        self.message_post(
            body=self.env._(
                "Published on eBay as listing %(id)s with %(n)s variant(s).",
                id=self.ebay_listing_id,
                n=len(listings),
            )
        )

    def _do_group_end(self, api):
        api.withdraw_offer_by_inventory_item_group(
            self.group_key, self.account_id.ebay_marketplace_id
        )
        self.listing_ids._set_state("ended", is_live=False)
        self.write({"state": "ended", "pending_operation": False, "last_error": False})
        self.message_post(body=self.env._("Ended on eBay (all variants withdrawn)."))


class _BulkRefused(EbayError):
    """Some variants' inventory items were refused: the group cannot go live."""

    def __init__(self, responses):
        errors = [e for r in responses for e in (r.get("errors") or [])]
        skus = ", ".join(r.get("sku") or "?" for r in responses)
        super().__init__(
            f"eBay refused the variant(s) {skus}: {actionable_message(errors)}",
            status=207,
            errors=errors,
        )
