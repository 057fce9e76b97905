"""A product listed on eBay: inventory item (SKU) + offer + live listing.

Every eBay call of a listing's operation runs in a queue job (``_job_run``)
through the job edge (job_edge.py): the job checks that its operation is
still wanted, does it and records each call in the call log.  A
transient failure is tried again by a new job with backoff and jitter (the
attempts stay recorded); when the tries are used up the listing lands in the
visible "failed" dead-letter state with a requeue button.  A refusal puts it
in "error", with eBay's reason.
"""

import base64
import hashlib
import logging
import re
from datetime import datetime, timedelta
from datetime import time as dt_time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, html2plaintext, html_sanitize, sql

from ... import const
from ...ebay import (
    EbayError,
    EbayNotFound,
    EbayValidationError,
    payloads,
)
from ...ebay.errors import actionable
from ...ebay.inventory import InventoryApi
from ...ebay.media import MediaApi
from ..marketplace.job_edge import marketplace_job

_logger = logging.getLogger(__name__)

OPERATIONS = [
    ("publish", "Publish / revise"),
    ("end", "End (withdraw)"),
    ("delete", "Delete offer"),
    ("retrieve", "Refresh from eBay"),
]
CONDITIONS = [(c, c.replace("_", " ").title()) for c in payloads.CONDITIONS]
REVISIONS_PER_DAY = 250
OLD_SKU_CONSTRAINT = "ebay_listing_account_sku_uniq"
# A revision of a live listing replaces the item and updates the offer.
CALLS_PER_REVISION = 2


def _normalise(text):
    return " ".join((text or "").split())


class EbayListing(models.Model):
    _name = "ebay.listing"
    _description = "eBay Listing"
    # Account, company, product, SKU, state, price override and the push
    # bookkeeping come from the mixin; eBay's offer and listing are here.
    _inherit = ["marketplace.listing.mixin"]
    _order = "id desc"
    _rec_name = "sku"

    # The marketplace of the listing's offer: one listing is one offer, and
    # a SKU has one offer per marketplace the account sells on (its
    # inventory item is shared by them).  Given at creation, the home
    # marketplace unless another is chosen.
    marketplace_id = fields.Selection(
        const.MARKETPLACES,
        string="Marketplace",
        compute="_compute_marketplace_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        set_once=True,
    )
    # Prices (the listing's own, the pushed ones) are in the currency of
    # the offer's marketplace.
    currency_id = fields.Many2one(
        "res.currency", related=False, compute="_compute_currency_id"
    )
    title = fields.Char(required=True)
    description = fields.Html(sanitize=True, sanitize_style=False)
    condition = fields.Selection(CONDITIONS, required=True, default="NEW")
    category_id = fields.Char(string="eBay category ID")
    aspect_ids = fields.One2many(
        "ebay.listing.aspect", "listing_id", string="Item specifics"
    )
    image_urls = fields.Text(help="HTTPS image URLs, one per line.")
    group_id = fields.Many2one(
        "ebay.listing.group",
        string="Variation group",
        index=True,
        ondelete="set null",
        check_company=True,
    )
    # What the connector records of eBay's side: written by the system only.
    offer_id = fields.Char(
        string="eBay offer ID",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
    )
    ebay_listing_id = fields.Char(
        string="eBay listing ID",
        readonly=True,
        copy=False,
        index=True,
        system_field=True,
    )
    pending_operation = fields.Selection(
        OPERATIONS, readonly=True, copy=False, system_field=True
    )
    last_error = fields.Text(readonly=True, copy=False, system_field=True)
    retry_count = fields.Integer(readonly=True, copy=False, system_field=True)
    revision_day = fields.Date(readonly=True, copy=False, system_field=True)
    revisions_today = fields.Integer(
        readonly=True,
        copy=False,
        system_field=True,
        help="Revisions sent today (eBay allows 250 per day).",
    )
    # The call log links its rows by model and id (as the chatter does).
    call_ids = fields.One2many(
        "marketplace.call",
        "res_id",
        domain=[("res_model", "=", "ebay.listing")],
        string="Calls",
    )
    fee_preview = fields.Text(readonly=True, copy=False, system_field=True)
    media_image_url = fields.Char(
        readonly=True,
        copy=False,
        system_field=True,
        help="The product image on eBay.",
    )
    media_image_checksum = fields.Char(readonly=True, copy=False, system_field=True)
    call_count = fields.Integer(compute="_compute_call_count")

    _sql_constraints = [
        (
            "account_sku_marketplace_uniq",
            "unique(account_id, sku, marketplace_id)",
            "This SKU is already listed on this eBay marketplace of the account.",
        ),
    ]

    def init(self):
        # A SKU was once listed once per account: that constraint goes, on a
        # database that had it, for one listing per marketplace.
        if sql.constraint_definition(self.env.cr, self._table, OLD_SKU_CONSTRAINT):
            sql.drop_constraint(self.env.cr, self._table, OLD_SKU_CONSTRAINT)

    @api.depends("account_id")
    def _compute_marketplace_id(self):
        for listing in self:
            listing.marketplace_id = (
                listing.marketplace_id or listing.account_id.ebay_marketplace_id
            )

    @api.depends(
        "marketplace_id",
        "company_id",
        "account_id.ebay_marketplace_ids.currency_id",
        "account_id.ebay_marketplace_ids.marketplace_id",
    )
    def _compute_currency_id(self):
        for listing in self:
            row = listing._ebay_marketplace()
            listing.currency_id = (
                row.currency_id
                or listing.company_id.currency_id
                or listing.account_id.company_id.currency_id
            )

    # -- the offer's marketplace ----------------------------------------------------
    def _ebay_marketplace(self):
        """The account's row of the listing's marketplace (empty: the home
        marketplace, by the account's own settings, or one it has no row of)."""
        self.ensure_one()
        if not self.account_id:
            return self.env["ebay.account.marketplace"]
        return self.account_id._ebay_marketplace_row(self.marketplace_id)

    def _ebay_sold_here(self):
        """True when the account sells on the listing's marketplace."""
        return self.marketplace_id == self.account_id.ebay_marketplace_id or bool(
            self._ebay_marketplace()
        )

    def _ebay_quantities(self):
        """(shared, offered): the quantity all offers of the SKU share (the
        inventory item's) and the offer's own (its marketplace's share)."""
        self.ensure_one()
        shared = self.account_id._target_quantity(self.product_id)
        row = self._ebay_marketplace()
        return shared, (row._offered_quantity(shared) if row else shared)

    def _ebay_price(self):
        """The offer's price, in the currency of its marketplace."""
        self.ensure_one()
        row = self._ebay_marketplace()
        if row:
            return row._price(self.product_id, self.price)
        return self.account_id._target_price(
            self.product_id, self.price or self.product_id.lst_price
        )

    def _ebay_policy_ids(self):
        """eBay's ids of the offer's (fulfillment, payment, return) policies."""
        row = self._ebay_marketplace()
        if row:
            return row._policy_ids()
        account = self.account_id
        if self.marketplace_id != account.ebay_marketplace_id:
            return ("", "", "")
        return (
            account.ebay_fulfillment_policy_id.policy_id or "",
            account.ebay_payment_policy_id.policy_id or "",
            account.ebay_return_policy_id.policy_id or "",
        )

    def _targets(self):
        """(quantity, price) of the offer: its marketplace's share of the
        stock and its price there."""
        self.ensure_one()
        return self._ebay_quantities()[1], self._ebay_price()

    def _compute_call_count(self):
        counts = dict(
            self.env["marketplace.call"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for listing in self:
            listing.call_count = counts.get(listing.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            product = self.env["product.product"].browse(vals.get("product_id"))
            vals.setdefault("title", (product.name or "")[: payloads.TITLE_MAX])
            if "description" not in vals and product.description_sale:
                vals["description"] = product.description_sale
        return super().create(vals_list)

    # -- data --------------------------------------------------------------
    def _aspects(self):
        """Item specifics: the variant's attribute values, then the listing's own.

        Names and values are normalised (trimmed, inner whitespace collapsed,
        duplicates dropped case-insensitively) so "Blue " and "blue" do not
        become two values eBay would refuse for a single-value aspect.
        """
        aspects = {}
        own = {_normalise(line.name).casefold() for line in self.aspect_ids}
        pairs = (
            [
                (ptav.attribute_id.name, ptav.name)
                for ptav in self.product_id.product_template_attribute_value_ids
            ]
            + [(line.name, line.value) for line in self.aspect_ids]
            # The product's item specifics, where the listing sets none of
            # that name.
            + [
                (line.name, line.value)
                for line in self.product_id.product_tmpl_id.ebay_aspect_ids
                if _normalise(line.name).casefold() not in own
            ]
        )
        for name, value in pairs:
            name, value = _normalise(name), _normalise(value)
            if not name or not value:
                continue
            values = aspects.setdefault(name, [])
            if value.casefold() not in (v.casefold() for v in values):
                values.append(value)
        return aspects

    def _listing_data(self):
        self.ensure_one()
        account = self.account_id
        description = html_sanitize(self.description or "", strip_classes=True) or ""
        shared, offered = self._ebay_quantities()
        fulfillment, payment, returns = self._ebay_policy_ids()
        return payloads.ListingData(
            sku=self.sku,
            title=(self.title or "").strip(),
            description=description if html2plaintext(description).strip() else "",
            condition=self.condition,
            aspects=self._aspects(),
            image_urls=self._listing_image_urls(),
            # What Odoo wants eBay to show: buffer, share and cap applied
            # (marketplace_account_stock), the item's quantity shared by the
            # SKU's offers, the offer's its marketplace's share; the price of
            # the offer's marketplace, in its currency.
            quantity=shared,
            available_quantity=offered,
            price=self._ebay_price(),
            currency=self.currency_id.name or "USD",
            marketplace_id=self.marketplace_id,
            # The listing's own category, else the one chosen on the product.
            category_id=self.category_id
            or self.product_id.product_tmpl_id._ebay_category_for(self.marketplace_id),
            merchant_location_key=account.ebay_merchant_location_key or "",
            fulfillment_policy_id=fulfillment,
            payment_policy_id=payment,
            return_policy_id=returns,
            setup_scope=self._ebay_setup_scope(),
            weight_kg=self.product_id.weight,
        )

    def _ebay_setup_scope(self):
        """Where the seller chooses the offer's policies, in words."""
        if self._ebay_marketplace() and self.marketplace_id != (
            self.account_id.ebay_marketplace_id
        ):
            return self.env._(
                "%(marketplace)s on the account's Marketplaces page",
                marketplace=self._ebay_marketplace_label(),
            )
        return self.env._("the account")

    def _ebay_marketplace_label(self):
        return dict(const.MARKETPLACES).get(self.marketplace_id, self.marketplace_id)

    def _listing_image_urls(self):
        """The picture URLs the listing gives eBay: its own, else the product
        image the job uploaded."""
        return [
            u.strip() for u in (self.image_urls or "").splitlines() if u.strip()
        ] or ([self.media_image_url] if self.media_image_url else [])

    def _problems(self):
        """Problems eBay would refuse, found before any listing call.

        Required aspects come from eBay's Taxonomy API (cached a week).  A
        product image not yet uploaded to eBay counts as a picture: the job
        uploads it.
        """
        self.ensure_one()
        data = self._listing_data()
        required, category_problem = (), None
        if data.category_id:
            category_problem, aspects = self.env["ebay.category"]._lookup(
                self.account_id, data.category_id
            )
            required = [a["name"] for a in aspects if a.get("required")]
        problems = payloads.validate(data, required_aspects=required)
        if not self._ebay_sold_here():
            problems.append(
                (
                    "marketplace",
                    self.env._(
                        "The account does not sell on %(marketplace)s: add it on "
                        "the account's Marketplaces page.",
                        marketplace=self._ebay_marketplace_label(),
                    ),
                )
            )
        if category_problem:
            problems.append(("category", category_problem))
        if not data.image_urls and self._uploadable_image():
            problems = [p for p in problems if p[0] != "images"]
        return problems

    def _uploadable_image(self):
        return self.product_id.image_1920

    def _ensure_media_image(self, client):
        """Upload the product's image to eBay when the listing has no URL.

        Re-uploaded only when the image changed (checksum), never on every
        revision.
        """
        if self.image_urls or not self._uploadable_image():
            return
        content = base64.b64decode(self.product_id.image_1920)
        checksum = hashlib.sha256(content).hexdigest()
        if self.media_image_url and self.media_image_checksum == checksum:
            return
        _image_id, url = MediaApi(client).upload_image(
            f"{self.sku}.png", content, "image/png"
        )

        self.write({"media_image_url": url, "media_image_checksum": checksum})

    def action_suggest_category(self):
        self.ensure_one()
        self.check_access("write")  # before eBay is asked
        found = self.env["ebay.category"]._suggest(self.account_id, self.title or "")
        if not found:
            raise UserError(self.env._("eBay suggests no category for this title."))
        self.category_id = found[0][0]
        self.message_post(
            body=self.env._(
                "eBay category %(id)s (%(path)s) chosen from eBay's suggestions.",
                id=found[0][0],
                path=" > ".join(found[0][2] + [found[0][1]]),
            )
        )
        return True

    # -- actions (UI) --------------------------------------------------------
    # Each action checks the caller's rights on the listings first; then the
    # connector's own work (states, queued jobs) is done as the system.
    def action_publish(self):
        """Validate, then queue publish (or revise, for a live listing)."""
        self.check_access("write")
        queued = self.env["ebay.listing"]
        for listing in self:
            problems = listing._problems()
            if problems:
                listing._set_state(
                    "error",
                    pending_operation=False,
                    last_error="\n".join(message for _f, message in problems),
                )
                continue
            queued |= listing
        queued.sudo()._queue_publish()
        return self._notify_queued(queued, len(self) - len(queued))

    def _queue_publish(self):
        self._queue("publish")
        return True

    def action_end(self):
        self.check_access("write")
        self.filtered(lambda l: l.offer_id).sudo()._queue("end")
        return True

    def action_delete_offer(self):
        self.check_access("write")
        self.filtered(lambda l: l.offer_id).sudo()._queue("delete")
        return True

    def action_retrieve(self):
        self.check_access("write")
        self.filtered(lambda l: l.offer_id).sudo()._queue("retrieve")
        return True

    def action_requeue(self):
        """Try again a listing that failed or was refused (dead-letter)."""
        self.check_access("write")
        for listing in self.filtered(lambda l: l.state in ("failed", "error")).sudo():
            listing.retry_count = 0
            listing._queue(listing.pending_operation or "publish")
        return True

    def action_preview_fees(self):
        """Ask eBay what publishing would cost (getListingFees).

        eBay prices an unpublished offer, so the item and offer are created
        (or replaced) first, without publishing.  Interactive on purpose: the
        seller waits for the answer; the calls are logged like any other.
        """
        self.ensure_one()
        self.check_access("write")  # before eBay is asked
        problems = self._problems()
        if problems:
            raise UserError("\n".join(message for _f, message in problems))
        if self.is_live:
            raise UserError(
                self.env._("The listing is live: eBay prices new listings only.")
            )
        calls = []
        try:
            api = InventoryApi(self.account_id._ebay_client(on_call=calls.append))
            data = self._listing_data()
            api.create_or_replace_inventory_item(
                self.sku, payloads.inventory_item(data)
            )
            offer_id = self.offer_id or self._find_offer(api)
            if offer_id:
                api.update_offer(offer_id, payloads.offer(data))
            else:
                offer_id = self._create_offer(api, payloads.offer(data))
            self._write_system({"offer_id": offer_id})
            fees = api.get_listing_fees([offer_id])
        except EbayError as err:
            self._write_system({"last_error": actionable(err)})
            fees = None
        finally:
            Call = self.env["marketplace.call"].sudo()
            Call.create(
                [Call._values_from_call(c, self.account_id, self) for c in calls]
            )
        if fees is None:
            return self._notify(
                self.env._(
                    "eBay could not price this listing: %(reason)s",
                    reason=self.last_error,
                ),
                "danger",
            )
        preview = self._fee_words(fees)
        self._write_system({"fee_preview": preview})
        return self._notify(
            self.env._(
                "eBay's fees to publish this listing: %(fees)s. The offer waits "
                "on eBay, unpublished, until you publish it.",
                fees=preview.replace("\n", "; "),
            )
        )

    def _fee_words(self, fees):
        """getListingFees' answer as a seller reads it, a fee per line
        ("Insertion fee: $0.35"); fees of zero are left out."""
        lines = []
        for summary in fees.get("feeSummaries", []):
            for fee in summary.get("fees", []):
                amount = fee.get("amount") or {}
                value = float(amount.get("value") or 0.0)
                if not value:
                    continue
                currency = (
                    self.env["res.currency"]
                    .with_context(active_test=False)
                    .search([("name", "=", amount.get("currency") or "")], limit=1)
                )
                label = re.sub(r"(?<!^)([A-Z])", r" \1", fee.get("feeType") or "")
                lines.append(
                    f"{label.capitalize() or self.env._('Fee')}: "
                    + (
                        format_amount(self.env, value, currency)
                        if currency
                        else f"{value:.2f} {amount.get('currency') or ''}".strip()
                    )
                )
        return "\n".join(lines) or self.env._("No fees")

    def action_open_calls(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("eBay calls of %(sku)s", sku=self.sku),
            "res_model": "marketplace.call",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    def _notify_queued(self, queued, refused):
        message = self.env._(
            "%(queued)s listing(s) queued for eBay; %(refused)s need fixing first.",
            queued=len(queued),
            refused=refused,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if refused else "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # -- jobs ------------------------------------------------------------------
    def _queue(self, operation):
        for listing in self:
            listing._set_state("queued", pending_operation=operation, last_error=False)
            listing.with_delay(
                identity_key=f"ebay.listing.{operation}:{listing.id}",
                description=f"eBay {operation} {listing.sku}",
            )._job_run(operation)

    @marketplace_job
    def _job_run(self, operation):
        """Queue job: one eBay operation for this listing."""
        self.ensure_one()
        if self.pending_operation != operation or self.state != "queued":
            return (
                f"skipped: {self.sku} is {self.state}, wants {self.pending_operation}"
            )
        if operation == "publish" and self.is_live:
            deferred = self._defer_if_over_budget()
            if deferred:
                return deferred
        with self.account_id._job_edge(record=self, operation=operation) as edge:
            getattr(self, f"_do_{operation}")(InventoryApi(edge.client))
        if edge.refused:
            self._refused(operation, edge.message)
        elif edge.retrying:
            self.write({"retry_count": edge.tries, "last_error": edge.message})
        return f"{operation} {self.sku}: {self.state}"

    def _marketplace_job_gave_up(self, edge):
        """The listings out of tries show it themselves: the dead-letter state."""
        for listing in self.filtered(lambda l: l.state == "queued"):
            listing._set_state(
                "failed", retry_count=edge.tries, last_error=edge.message
            )
            listing.message_post(body=edge.message)
        return True

    def _count_revisions(self, count):
        today = fields.Date.context_today(self)
        used = self.revisions_today if self.revision_day == today else 0
        self.write({"revision_day": today, "revisions_today": used + count})

    def _revisions_left(self):
        today = fields.Date.context_today(self)
        used = self.revisions_today if self.revision_day == today else 0
        return REVISIONS_PER_DAY - used

    def _defer_if_over_budget(self):
        if self._revisions_left() >= CALLS_PER_REVISION:
            return None
        tomorrow = datetime.combine(
            fields.Date.context_today(self) + timedelta(days=1), dt_time(0, 5)
        )
        message = self.env._(
            "eBay allows %(max)s revisions per listing per day and this listing has "
            "used them: the revision is deferred to %(when)s (UTC).",
            max=REVISIONS_PER_DAY,
            when=fields.Datetime.to_string(tomorrow),
        )
        self.message_post(body=message)
        self.last_error = message
        self.with_delay(
            eta=tomorrow,
            identity_key=f"ebay.listing.publish.deferred:{self.id}",
            description=f"eBay revise {self.sku} (deferred)",
        )._job_run("publish")
        return "deferred: revision budget used"

    def _do_publish(self, api):
        self._ensure_media_image(api.client)
        data = self._listing_data()
        live = self.is_live and bool(self.offer_id)
        api.create_or_replace_inventory_item(self.sku, payloads.inventory_item(data))
        offer_body = payloads.offer(data)
        offer_id = self.offer_id or self._find_offer(api)
        if offer_id:
            api.update_offer(offer_id, offer_body)
        else:
            offer_id = self._create_offer(api, offer_body)
        # Stored before publishing: a retry must reuse this offer.
        self.offer_id = offer_id
        if live:
            self._count_revisions(CALLS_PER_REVISION)
        else:
            result = api.publish_offer(offer_id)
            self.ebay_listing_id = result.get("listingId")
        self.write(
            {
                "pushed_quantity": data.available_quantity,
                "pushed_price": float(data.price),
                "pushed_at": fields.Datetime.now(),
            }
        )

        self._done(
            self.env._("Published on eBay as listing %(id)s.", id=self.ebay_listing_id)
        )
        self._set_state("published", is_live=True)

    def _find_offer(self, api):
        """The offer eBay already has for this SKU and marketplace, if any."""
        try:
            data = api.get_offers(self.sku, self.marketplace_id)
        except EbayNotFound:
            return None
        for offer in data.get("offers", []):
            if offer.get("marketplaceId") == self.marketplace_id:
                return offer.get("offerId")
        return None

    def _create_offer(self, api, offer_body):
        try:
            return api.create_offer(offer_body)["offerId"]
        except EbayValidationError as err:
            # "Offer entity already exists": a lost transaction created it.
            for entry in err.errors:
                for param in entry.get("parameters") or []:
                    if param.get("name") == "offerId":
                        return param["value"]
            raise

    def _do_end(self, api):
        api.withdraw_offer(self.offer_id)
        self._done(
            self.env._("Ended on eBay (withdrawn); the offer is kept for relisting.")
        )
        self._set_state("ended", is_live=False)

    def _do_delete(self, api):
        try:
            api.delete_offer(self.offer_id)
        except EbayNotFound:
            pass  # already gone: the goal is reached
        self._done(self.env._("Offer deleted on eBay."))
        self._set_state("draft", offer_id=False, ebay_listing_id=False, is_live=False)

    def _do_retrieve(self, api):
        offer = self._pull_from_ebay(api)
        self._done(
            self.env._(
                "Refreshed from eBay: offer %(status)s.", status=offer.get("status")
            )
        )

    def _pull_from_ebay(self, api):
        """Odoo's view of the listing, refreshed from eBay's item and offer."""
        offer = api.get_offer(self.offer_id)
        item = api.get_inventory_item(self.sku)
        product = item.get("product") or {}
        listing = offer.get("listing") or {}
        live = (
            offer.get("status") == "PUBLISHED"
            and listing.get("listingStatus") == "ACTIVE"
        )
        state = (
            "published"
            if live
            else ("ended" if listing.get("listingStatus") == "ENDED" else "draft")
        )
        values = {
            "ebay_listing_id": listing.get("listingId") or self.ebay_listing_id,
            "is_live": live,
            "category_id": offer.get("categoryId") or self.category_id,
            "title": product.get("title") or self.title,
            "image_urls": "\n".join(product.get("imageUrls") or []) or self.image_urls,
        }
        price = ((offer.get("pricingSummary") or {}).get("price") or {}).get("value")
        if price:
            values["price"] = float(price)
        if item.get("condition"):
            values["condition"] = item["condition"]
        self._set_state(state, **values)
        return offer

    def _done(self, message):
        self.write({"pending_operation": False, "last_error": False, "retry_count": 0})
        self.message_post(body=message)

    def _refused(self, operation, message):
        self._set_state("error", last_error=message)
        self.message_post(
            body=self.env._(
                "eBay refused %(op)s: %(reason)s", op=operation, reason=message
            )
        )
