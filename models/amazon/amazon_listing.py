"""A product listed on Amazon: one SKU in one marketplace, through the
Listings Items API (one call per SKU; the feed of many SKUs is amazon.feed).

On Amazon the listing is its attributes: the product data (title, brand,
bullet points, images, identifiers), the offer (``purchasable_offer``) and
the quantity (``fulfillment_availability``) are all attributes of one
listings item, described by the product type's JSON schema.  So:

* Odoo maps the product to attributes (:meth:`_amazon_attributes`, with the
  product's overrides) and checks them against the product type's schema
  (amazon.product.type, cached by checksum) before anything is sent: the
  problems become issues on the listing and the product, and nothing leaves.
* Publish is putListingsItem, Delete is deleteListingsItem, a change of price
  or quantity of a live listing is patchListingsItem; every call runs in a
  queue job through the job edge (job_edge.py): logged with Amazon's request
  id, tried again on 429/5xx/timeouts, dead-lettered when the tries run out.
* Amazon answers ACCEPTED long before it applies a submission, and only then
  raises most issues.  So an accepted submission is read back later
  (getListingsItem with summaries and issues, :meth:`_job_readback`): the
  status (BUYABLE, DISCOVERABLE), the ASIN and Amazon's issues land here.
* Variations: a template's variants are children of a parent listing (no
  offer, ``parentage_level`` parent, ``variation_theme``); each child names
  its parent in ``child_parent_sku_relationship``.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...amazon.attributes import listing_attributes, merge_overrides, offer_patches
from ...amazon.errors import AmazonError, AmazonNotFound, actionable
from ..marketplace.job_edge import marketplace_job

_logger = logging.getLogger(__name__)

OPERATIONS = [
    ("publish", "Publish / replace"),
    ("patch", "Update price and quantity"),
    ("delete", "Delete"),
    ("refresh", "Refresh from Amazon"),
]
CONDITIONS = [
    ("new_new", "New"),
    ("new_open_box", "New, open box"),
    ("new_oem", "New, OEM"),
    ("refurbished_refurbished", "Refurbished"),
    ("used_like_new", "Used, like new"),
    ("used_very_good", "Used, very good"),
    ("used_good", "Used, good"),
    ("used_acceptable", "Used, acceptable"),
    ("collectible_like_new", "Collectible, like new"),
    ("collectible_very_good", "Collectible, very good"),
    ("collectible_good", "Collectible, good"),
    ("collectible_acceptable", "Collectible, acceptable"),
]
PARENTAGE = [
    ("none", "Single product"),
    ("parent", "Variation parent"),
    ("child", "Variation child"),
]
# Amazon applies an accepted submission minutes later (sometimes more); the
# read-back looks after these delays (seconds), then gives up looking: the
# seller can still refresh by hand, and reconciliation (amazon.feed) reads
# every listing's status anyway.
READBACK_DELAYS = (60, 120, 300, 600, 1800, 3600)


class AmazonListing(models.Model):
    _name = "amazon.listing"
    _description = "Amazon Listing"
    # Account, company, product, SKU, state, price override and the push
    # bookkeeping come from the mixin; a listing that gives up reaches the
    # dead-letter inbox like every channel's (its Requeue runs it again).
    _inherit = ["marketplace.listing.mixin", "marketplace.listing.dead.letter.source"]
    _order = "id desc"
    _rec_name = "sku"

    _dead_letter_kind = "listing"

    # The marketplace of the listing: one listing per SKU and marketplace.
    participation_id = fields.Many2one(
        "amazon.marketplace.participation",
        string="Marketplace",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        set_once=True,
        domain="[('account_id', '=', account_id), ('selected', '=', True)]",
    )
    marketplace_code = fields.Char(
        string="Marketplace ID",
        related="participation_id.marketplace_id",
        store=True,
        index=True,
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, index=True
    )
    product_type_id = fields.Many2one(
        "amazon.product.type",
        string="Product type",
        ondelete="restrict",
        help="Empty: the product's. The definition is the listing marketplace's.",
    )
    condition = fields.Selection(
        CONDITIONS, help="Empty: the product's condition (new by default)."
    )
    parentage = fields.Selection(
        PARENTAGE, required=True, default="none", readonly=True, set_once=True
    )
    parent_id = fields.Many2one(
        "amazon.listing",
        string="Variation parent",
        index=True,
        ondelete="restrict",
        check_company=True,
        readonly=True,
        set_once=True,
    )
    child_ids = fields.One2many("amazon.listing", "parent_id", string="Variations")
    variation_theme = fields.Char(
        help="Amazon's variation theme of the family (e.g. SIZE, COLOR, "
        "SIZE_COLOR): the attributes the children differ by.",
    )
    # What the connector records of Amazon's side: written by the system only.
    asin = fields.Char(string="ASIN", readonly=True, copy=False, system_field=True)
    amazon_status = fields.Char(
        string="Status on Amazon",
        readonly=True,
        copy=False,
        system_field=True,
        help="Amazon's statuses of the listing (BUYABLE, DISCOVERABLE), read back "
        "after Amazon applied the submission.",
    )
    submission_id = fields.Char(readonly=True, copy=False, system_field=True)
    last_submitted_at = fields.Datetime(readonly=True, copy=False, system_field=True)
    last_read_at = fields.Datetime(
        string="Read back at", readonly=True, copy=False, system_field=True
    )
    readback_count = fields.Integer(readonly=True, copy=False, system_field=True)
    pending_operation = fields.Selection(
        OPERATIONS, readonly=True, copy=False, system_field=True
    )
    last_error = fields.Text(readonly=True, copy=False, system_field=True)
    retry_count = fields.Integer(readonly=True, copy=False, system_field=True)
    preview_status = fields.Selection(
        [("VALID", "Valid"), ("INVALID", "Invalid")],
        readonly=True,
        copy=False,
        system_field=True,
    )
    issue_ids = fields.One2many("amazon.listing.issue", "listing_id", string="Issues")
    issue_count = fields.Integer(compute="_compute_issue_count")
    call_ids = fields.One2many(
        "marketplace.call",
        "res_id",
        domain=[("res_model", "=", "amazon.listing")],
        string="Calls",
    )
    call_count = fields.Integer(compute="_compute_call_count")

    _sql_constraints = [
        (
            "participation_sku_uniq",
            "unique(participation_id, sku)",
            "This SKU is already listed in this Amazon marketplace.",
        ),
    ]

    @api.depends("issue_ids")
    def _compute_issue_count(self):
        for listing in self:
            listing.issue_count = len(listing.issue_ids)

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

    @api.constrains("parent_id", "parentage")
    def _check_parentage(self):
        for listing in self:
            if listing.parentage == "child" and not listing.parent_id:
                raise ValidationError(
                    self.env._("A variation child needs its parent listing.")
                )
            if listing.parent_id and listing.parent_id.parentage != "parent":
                raise ValidationError(
                    self.env._("%(sku)s is not a variation parent.", sku=listing.sku)
                )

    @api.constrains("participation_id", "account_id")
    def _check_participation_account(self):
        for listing in self:
            if listing.participation_id.account_id != listing.account_id:
                raise ValidationError(
                    self.env._(
                        "%(marketplace)s is not a marketplace of %(account)s.",
                        marketplace=listing.participation_id.display_name,
                        account=listing.account_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("participation_id") and vals.get("account_id"):
                account = self.env["marketplace.account"].browse(vals["account_id"])
                default = account.amazon_default_participation_id
                if default:
                    vals["participation_id"] = default.id
            if not vals.get("product_type_id") and vals.get("product_id"):
                product = self.env["product.product"].browse(vals["product_id"])
                product_type = product.product_tmpl_id.amazon_product_type_id
                if product_type:
                    vals["product_type_id"] = product_type.id
        return super().create(vals_list)

    # -- what Odoo sends ----------------------------------------------------------
    def _amazon_marketplace(self):
        """(marketplace id, language tag, currency code) of the listing."""
        self.ensure_one()
        participation = self.participation_id
        currency = participation.currency_id or self.currency_id
        return (
            self.marketplace_code,
            participation.language or "en_US",
            currency.name or "USD",
        )

    def _amazon_image_urls(self):
        """Public URLs of the product's images.

        Amazon downloads listing images itself, from the URL it is given: the
        URL must be reachable from the internet (web.base.url must be the
        public address of this Odoo, and the image readable without a
        session, e.g. a published product).  An image Amazon cannot fetch
        becomes an INVALID_IMAGE / MISSING_IMAGE issue after acceptance.
        """
        self.ensure_one()
        product = self.product_id
        if not product.image_1920:
            return []
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        # The write date in the URL changes when the product does: Amazon
        # sees a new URL, and fetches the image again, only then.
        unique = (product.write_date or product.create_date).strftime("%Y%m%d%H%M%S")
        path = f"/web/image/product.product/{product.id}/image_1920"
        return [f"{base.rstrip('/')}{path}?unique={unique}"]

    def _amazon_values(self):
        """The plain product values amazon/attributes.py turns into attributes."""
        self.ensure_one()
        product = self.product_id
        template = product.product_tmpl_id
        bullets = [
            line.strip()
            for line in (template.amazon_bullet_points or "").splitlines()
            if line.strip()
        ]
        description = product.description_sale or template.description_sale or ""
        images = self._amazon_image_urls()
        values = {
            "title": template.amazon_title or template.name,
            "brand": template.amazon_brand or "",
            "bullet_points": bullets,
            "description": description.strip(),
            # The barcode's type (EAN, UPC, GTIN) is read from its length;
            # a wrong check digit is a problem shown before anything is sent.
            "barcode": product.barcode or "",
            "condition": self.condition or template.amazon_condition or "new_new",
            "main_image_url": images[0] if images else "",
            "other_image_urls": images[1:],
        }
        if self.parentage == "parent":
            # A parent is not for sale: no offer, no quantity, and no barcode
            # (its product is one of the variants, whose barcode is the
            # child's own).
            values.update(
                parentage="parent", variation_theme=self.variation_theme, barcode=""
            )
            return values
        quantity, price = self._targets()
        values.update(price=price, quantity=quantity)
        if self.parentage == "child":
            values.update(
                parentage="child",
                parent_sku=self.parent_id.sku,
                variation_theme=self.parent_id.variation_theme,
                variant_attributes=self._variation_values(),
            )
        return values

    def _variation_values(self):
        """{attribute: value} of the variant, by Amazon's lower-case names
        (Odoo's attribute "Size" is Amazon's ``size``)."""
        return {
            ptav.attribute_id.name.strip().lower(): ptav.name
            for ptav in self.product_id.product_template_attribute_value_ids
        }

    def _amazon_attributes(self):
        """The attributes of the listing as Amazon wants them: mapped from
        the product, then the template's overrides, then the variant's (a
        parent takes the template's only)."""
        self.ensure_one()
        marketplace, language, currency = self._amazon_marketplace()
        attributes = listing_attributes(
            self._amazon_values(), marketplace, language, currency
        )
        owners = [self.product_id.product_tmpl_id]
        if self.parentage != "parent":
            owners.append(self.product_id)
        for owner in owners:
            attributes = merge_overrides(
                attributes, owner.amazon_attribute_overrides or None
            )
        return attributes

    def _amazon_offer_patches(self):
        """The patches of the listing's price and quantity (patchListingsItem,
        or a PATCH message of a feed)."""
        self.ensure_one()
        marketplace, _language, currency = self._amazon_marketplace()
        quantity, price = self._targets()
        return offer_patches(
            price=price,
            quantity=quantity,
            marketplace_id=marketplace,
            currency=currency,
        )

    def _amazon_message(self, operation):
        """This listing as one message of a JSON_LISTINGS_FEED, without its
        ``messageId`` (the feed numbers its messages).

        ``operation``: ``UPDATE`` (the whole listing, as a put), ``PATCH``
        (price and quantity only) or ``DELETE``.  The caller validated an
        UPDATE first (:meth:`_amazon_check`).
        """
        self.ensure_one()
        message = {"sku": self.sku, "operationType": operation}
        if operation == "UPDATE":
            message.update(
                productType=self.product_type_id.code,
                requirements=self.product_type_id.requirements,
                attributes=self._amazon_attributes(),
            )
        elif operation == "PATCH":
            message.update(
                productType=self.product_type_id.code or "PRODUCT",
                patches=self._amazon_offer_patches(),
            )
        elif operation != "DELETE":
            raise ValueError(f"unknown feed operation {operation!r}")
        return message

    # -- validation ---------------------------------------------------------------
    def _amazon_checkable(self):
        """Can Odoo check the listing without asking Amazon (no product type
        yet, or its definition cached for the listing's marketplace)?"""
        product_type = self.product_type_id
        return not product_type or bool(
            product_type.marketplace_code == self.marketplace_code
            and product_type.schema
        )

    def _amazon_check(self):
        """Problems found before anything is sent: issue values (see
        amazon.product.type._problems); records them as the listing's
        ``validation`` issues.  Needs the product type's cached definition."""
        self.ensure_one()
        problems = []
        if not self.product_type_id:
            problems.append(
                {
                    "code": "PRODUCT_TYPE",
                    "message": self.env._(
                        "Choose an Amazon product type for %(product)s (Amazon tab "
                        "of the product, Search).",
                        product=self.product_id.display_name,
                    ),
                    "severity": "ERROR",
                    "categories": "MISSING_ATTRIBUTE",
                }
            )
        else:
            try:
                attributes = self._amazon_attributes()
            except ValueError as err:
                problems.append(
                    {"code": "VALUE", "message": str(err), "severity": "ERROR"}
                )
            else:
                problems += self.product_type_id._problems(attributes)
        self._replace_issues("validation", problems)
        return problems

    def _replace_issues(self, source, issues):
        """Replace this listing's issues of ``source`` by ``issues`` (values)."""
        self.ensure_one()
        Issue = self.env["amazon.listing.issue"].sudo()
        Issue.search([("listing_id", "=", self.id), ("source", "=", source)]).unlink()
        Issue.create(
            [dict(issue, listing_id=self.id, source=source) for issue in issues]
        )

    def _amazon_issues(self, issues, source):
        """Record Amazon's ``issues`` (its objects) as this listing's ``source``
        issues; returns the ERROR ones."""
        values = [
            self.env["amazon.listing.issue"]._values_from_amazon(i, source)
            for i in issues or []
        ]
        self._replace_issues(source, values)
        return [v for v in values if v["severity"] == "ERROR"]

    @staticmethod
    def _summary(problems):
        return "\n".join(p["message"] for p in problems)

    # -- the product type ------------------------------------------------------------
    def _definition(self, client):
        """The listing's product type, for its marketplace, cached (one
        getDefinitionsProductType call when the cache is older than a day or
        is another marketplace's)."""
        self.ensure_one()
        product_type = self.product_type_id
        if not product_type:
            return product_type
        marketplace = self.marketplace_code
        fresh = product_type.fetched_at and product_type.fetched_at > (
            fields.Datetime.now() - timedelta(days=1)
        )
        if product_type.marketplace_code == marketplace and fresh:
            return product_type
        fetched = self.env["amazon.product.type"]._fetch(
            client,
            product_type.code,
            marketplace,
            seller_id=self.account_id.amazon_selling_partner_id,
            requirements=product_type.requirements,
        )
        if fetched != product_type:
            # As the system: the job or the action checked the rights.
            self.sudo().product_type_id = fetched
        return fetched

    # -- actions (UI) ----------------------------------------------------------------
    # Each action checks the caller's rights on the listings first; then the
    # connector's own work (states, issues, queued jobs) is done as the system.
    def action_publish(self):
        """Check what can be checked without a call, then queue the put (a
        first publish, a replace of a live listing, or a re-list)."""
        self.check_access("write")
        queued = self.env["amazon.listing"]
        for listing in self:
            problems = listing._amazon_check() if listing._amazon_checkable() else []
            if problems:
                listing._set_state(
                    "error", pending_operation=False, last_error=self._summary(problems)
                )
                continue
            queued |= listing
        queued.sudo()._queue("publish")
        return self._notify_queued(queued, len(self) - len(queued))

    def action_update_offer(self):
        """Send the live listing's price and quantity now (patchListingsItem)."""
        self.check_access("write")
        self.filtered(lambda l: l.is_live).sudo()._queue("patch")
        return True

    def action_delete(self):
        self.check_access("write")
        self.filtered(lambda l: l.state not in ("draft", "queued")).sudo()._queue(
            "delete"
        )
        return True

    def action_refresh(self):
        self.check_access("write")
        self.filtered(lambda l: l.state != "queued").sudo()._queue("refresh")
        return True

    def action_requeue(self):
        """Try again a listing that failed or was refused (dead-letter)."""
        self.check_access("write")
        for listing in self.filtered(lambda l: l.state in ("failed", "error")).sudo():
            listing.retry_count = 0
            listing._queue(listing.pending_operation or "publish")
        return True

    def action_preview(self):
        """Ask Amazon whether it would accept the listing (putListingsItem in
        VALIDATION_PREVIEW mode: nothing is created or changed on Amazon).

        Interactive on purpose: the seller waits for the answer.  Odoo's own
        check runs first and its problems are shown beside Amazon's: Amazon
        says more than the schema does (and in its own words), and a preview
        changes nothing, so it is asked even when Odoo found problems.  The
        calls are logged like any other; a refusal is shown, not raised, so
        the log stays.
        """
        self.ensure_one()
        self.check_access("write")  # before Amazon is asked
        if self.state == "queued":
            raise UserError(self.env._("The listing is on its way to Amazon."))
        if not self.product_type_id:
            problems = self._amazon_check()
            return self._notify(self._summary(problems), "warning")
        account = self.account_id
        client = account._amazon_client(on_call=account._call_recorder(self))
        try:
            product_type = self._definition(client)
            problems = self._amazon_check()
            try:
                attributes = self._amazon_attributes()
            except ValueError:
                # A value no listing can carry (a mistyped barcode): Odoo's
                # check named it, and there is nothing Amazon could judge.
                self._write_system({"preview_status": "INVALID"})
                return self._notify(self._summary(problems), "warning")
            answer = client.listings.put(
                self.sku,
                [self.marketplace_code],
                product_type.code,
                attributes,
                requirements=product_type.requirements,
                preview=True,
            )
        except AmazonError as err:
            self._write_system({"last_error": actionable(err)})
            return self._notify(actionable(err), "danger")
        errors = self._amazon_issues(answer.get("issues"), "preview")
        status = answer.get("status")
        self._write_system(
            {"preview_status": status if status in ("VALID", "INVALID") else False}
        )
        if status == "VALID" and not errors and not problems:
            return self._notify(self.env._("Amazon would accept this listing."))
        return self._notify(
            self._summary(errors + problems)
            or self.env._("Amazon would not accept this listing."),
            "warning",
        )

    def action_open_calls(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amazon calls of %(sku)s", sku=self.sku),
            "res_model": "marketplace.call",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    def _notify_queued(self, queued, refused):
        return self._notify(
            self.env._(
                "%(queued)s listing(s) queued for Amazon; %(refused)s need fixing "
                "first.",
                queued=len(queued),
                refused=refused,
            ),
            "warning" if refused else "success",
        )

    def _marketplace_publish_again(self):
        """Drift repair of a listing Amazon no longer shows: the put again
        (putListingsItem replaces the whole listing, so it makes it anew)."""
        self.filtered(lambda l: l.state != "queued")._queue("publish")

    # -- jobs ------------------------------------------------------------------
    def _queue(self, operation):
        for listing in self:
            listing._set_state("queued", pending_operation=operation, last_error=False)
            listing.with_delay(
                identity_key=f"amazon.listing.{operation}:{listing.id}",
                description=f"Amazon {operation} {listing.sku}",
            )._job_run(operation)

    @marketplace_job
    def _job_run(self, operation):
        """Queue job: one Listings Items operation for this listing."""
        self.ensure_one()
        if self.pending_operation != operation or self.state != "queued":
            return (
                f"skipped: {self.sku} is {self.state}, wants {self.pending_operation}"
            )
        with self.account_id._job_edge(record=self, operation=operation) as edge:
            getattr(self, f"_do_{operation}")(edge.client)
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

    def _marketplace_outcome_unknown(self, until):
        """A put or patch got no answer: Amazon may still apply it, so Odoo's
        values are sent again after ``until``."""
        self.write({"push_unsettled_until": until})

    def _do_publish(self, client):
        product_type = self._definition(client)
        problems = self._amazon_check()
        if problems:
            # Nothing is sent: Amazon would refuse it, or accept it and
            # suppress the listing later.
            self._set_state(
                "error", pending_operation=False, last_error=self._summary(problems)
            )
            return
        attributes = self._amazon_attributes()
        sent_at = fields.Datetime.now()
        answer = client.listings.put(
            self.sku,
            [self.marketplace_code],
            product_type.code,
            attributes,
            requirements=product_type.requirements,
        )
        self._accepted_or_invalid(answer, "publish", sent_at)
        if self.state != "published":
            return
        if self.parentage == "parent":
            # The children name this parent: they go once Amazon took it.
            self.child_ids.filtered(lambda c: c.state != "queued")._queue("publish")

    def _accepted_or_invalid(self, answer, operation, sent_at):
        """Record a submission's answer: ACCEPTED (read back later) or
        INVALID (Amazon's issues, nothing changed on Amazon).

        ``sent_at``: when the request left, before Amazon accepted it; a
        read-back showing a later update than that shows it applied.
        """
        errors = self._amazon_issues(answer.get("issues"), "submission")
        if answer.get("status") != "ACCEPTED":
            message = self._summary(errors) or self.env._(
                "Amazon did not accept the submission (%(status)s).",
                status=answer.get("status"),
            )
            self._refused(operation, message)
            return
        identifiers = answer.get("identifiers") or []
        asin = next(
            (
                i.get("asin")
                for i in identifiers
                if i.get("marketplaceId") == self.marketplace_code
            ),
            None,
        )
        values = {
            "submission_id": answer.get("submissionId"),
            "last_submitted_at": sent_at,
            "readback_count": 0,
            "push_unsettled_until": False,
        }
        if asin:
            values["asin"] = asin
        if self.parentage != "parent":
            quantity, price = self._targets()
            values.update(
                pushed_quantity=quantity,
                pushed_price=price,
                pushed_at=fields.Datetime.now(),
                push_pending=False,
                push_urgent=False,
                push_error=False,
            )
        self._done(
            self.env._(
                "Amazon accepted the %(op)s (submission %(id)s); its status is read "
                "back once Amazon applied it.",
                op=dict(OPERATIONS)[operation],
                id=answer.get("submissionId"),
            )
        )
        # A parent is not for sale: it is never live for stock and price.
        self._set_state("published", is_live=self.parentage != "parent", **values)
        self._queue_readback()

    def _do_patch(self, client):
        sent_at = fields.Datetime.now()
        answer = client.listings.patch(
            self.sku,
            [self.marketplace_code],
            self.product_type_id.code or "PRODUCT",
            self._amazon_offer_patches(),
        )
        self._accepted_or_invalid(answer, "patch", sent_at)

    def _do_delete(self, client):
        try:
            answer = client.listings.delete(self.sku, [self.marketplace_code])
        except AmazonNotFound:
            answer = {"status": "ACCEPTED"}  # already gone: the goal is reached
        if answer.get("status") != "ACCEPTED":
            errors = self._amazon_issues(answer.get("issues"), "submission")
            self._refused("delete", self._summary(errors) or answer.get("status"))
            return
        self._done(self.env._("Deleted on Amazon; Publish lists it again."))
        self._set_state(
            "ended",
            is_live=False,
            amazon_status=False,
            submission_id=False,
            push_pending=False,
        )

    def _do_refresh(self, client):
        found = self._read_back(client, submitted=False)
        self._done(self.env._("Refreshed from Amazon."))
        if found:
            self._set_state("published", is_live=self.parentage != "parent")
        else:
            # Amazon has no listing for this SKU (deleted there, or never
            # applied): Publish lists it again.
            self._set_state("ended" if self.asin else "draft", is_live=False)

    # -- read-back ------------------------------------------------------------------
    def _queue_readback(self):
        """Read the listing back once Amazon had time to apply the submission."""
        for listing in self:
            count = listing.readback_count
            if count >= len(READBACK_DELAYS):
                continue
            listing.with_delay(
                eta=READBACK_DELAYS[count],
                identity_key=f"amazon.listing.readback:{listing.id}:"
                f"{listing.submission_id}:{count}",
                description=f"Amazon read back {listing.sku}",
            )._job_readback()

    @marketplace_job
    def _job_readback(self):
        """Queue job: read back an accepted submission (getListingsItem)."""
        self.ensure_one()
        if self.state != "published" or not self.last_submitted_at:
            return f"skipped: {self.sku} is {self.state}"
        with self.account_id._job_edge(record=self, operation="readback") as edge:
            applied = self._read_back(edge.client)
        if edge.failed:
            return f"read back {self.sku}: {edge.message}"
        if not applied:
            self.write({"readback_count": self.readback_count + 1})
            self._queue_readback()
            return f"read back {self.sku}: not applied yet"
        return f"read back {self.sku}: {self.amazon_status or 'not buyable'}"

    def _read_back(self, client, submitted=True):
        """Read Amazon's status, ASIN and issues of the listing: True when
        read, None when Amazon has no such listing, False while Amazon has
        not applied the last submission yet (``submitted``: compare with it)."""
        marketplace = self.marketplace_code
        try:
            item = client.listings.get(
                self.sku, [marketplace], included=("summaries", "issues")
            )
        except AmazonNotFound:
            # Not there yet (a put applied later), or gone.
            return False if submitted else None
        summaries = [
            s
            for s in item.get("summaries") or []
            if s.get("marketplaceId") in (None, marketplace)
        ]
        summary = summaries[0] if summaries else {}
        updated = summary.get("lastUpdatedDate")
        if submitted and updated and self.last_submitted_at:
            when = fields.Datetime.to_datetime(updated[:19].replace("T", " "))
            if when < self.last_submitted_at.replace(microsecond=0):
                return False
        errors = self._amazon_issues(item.get("issues"), "amazon")
        statuses = summary.get("status") or []
        self._write_system(
            {
                "asin": summary.get("asin") or self.asin,
                "amazon_status": ", ".join(statuses) or False,
                "last_read_at": fields.Datetime.now(),
            }
        )
        if errors and "BUYABLE" not in statuses and self.parentage != "parent":
            self.message_post(
                body=self.env._(
                    "Amazon raised issues after accepting the listing: %(issues)s",
                    issues=self._summary(errors),
                )
            )
        return True

    def _done(self, message):
        self.write({"pending_operation": False, "last_error": False, "retry_count": 0})
        self.message_post(body=message)

    def _refused(self, operation, message):
        self._set_state("error", last_error=message)
        self.message_post(
            body=self.env._(
                "Amazon refused %(op)s: %(reason)s",
                op=dict(OPERATIONS).get(operation, operation),
                reason=message,
            )
        )
