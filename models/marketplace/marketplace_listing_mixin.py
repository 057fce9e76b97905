"""What every channel's listing has: an account, a product and its SKU, a
state, and the bookkeeping of the stock and price sent to the marketplace.

A channel's listing model inherits this mixin and adds what only it has
(offers, categories, revision budgets).  The neutral flows find every
listing model through the mixin (:meth:`_listing_models`), never by name:
stock moves, price changes and pricelists mark the live listings of every
channel, and the account's channel pushes them (``_enqueue_stock_push``).

A listing's state changes through one method, :meth:`_set_state`: it knows
the states and the transitions the connector allows and writes as the
system.  A raw write of ``state`` is refused.
"""

from odoo import api, fields, models
from odoo.tools import format_amount, format_datetime

LISTING_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("published", "Published"),
    ("ended", "Ended"),
    ("error", "Error"),
    ("failed", "Failed (gave up)"),
]
# The states a listing may come from, for the states that are reached from
# some only (any other state may be reached from any state).  A listing
# gives up only on work that was queued.
STATES_FROM = {"failed": ("queued",)}
# The context key that lets _set_state's write through.
_STATE_KEY = "marketplace_listing_set_state"


class MarketplaceListingMixin(models.AbstractModel):
    _name = "marketplace.listing.mixin"
    _description = "Marketplace Listing"
    # Account and company, set once: marketplace.account.owned.mixin.
    _inherit = ["mail.thread", "marketplace.account.owned.mixin"]

    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    sku = fields.Char(string="SKU", required=True, index=True, tracking=True)
    price = fields.Float(
        string="Price override",
        digits="Product Price",
        help="Empty: the product's sales price (or the account's pricelist).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        LISTING_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,
        system_field=True,
    )
    is_live = fields.Boolean(
        readonly=True,
        copy=False,
        system_field=True,
        help="The listing is live on the marketplace (published, not ended).",
    )
    # What was pushed and what waits: the connector's bookkeeping only.
    push_pending = fields.Boolean(
        index=True, copy=False, readonly=True, system_field=True
    )
    push_urgent = fields.Boolean(copy=False, readonly=True, system_field=True)
    pushed_quantity = fields.Integer(readonly=True, copy=False, system_field=True)
    pushed_price = fields.Float(readonly=True, copy=False, system_field=True)
    pushed_at = fields.Datetime(readonly=True, copy=False, system_field=True)
    push_error = fields.Text(readonly=True, copy=False, system_field=True)
    # Held back by the channel's own limit, not by an error (eBay: today's
    # revisions are kept for drops to zero): the health report does not count
    # it as failing.
    push_deferred = fields.Boolean(
        readonly=True,
        copy=False,
        system_field=True,
        help="Held back by the marketplace's limits; sent when they allow.",
    )
    # When the listing became pending: kept while it stays pending (more
    # changes do not move it forward), cleared once pushed.  The health
    # report measures how long stock waits from it.
    push_marked_at = fields.Datetime(
        string="Waiting for push since", readonly=True, copy=False, system_field=True
    )
    push_unsettled_until = fields.Datetime(
        string="Unknown push outcome until",
        readonly=True,
        copy=False,
        system_field=True,
        index=True,
        help="A push of this listing got no answer from the marketplace (timeout, "
        "dropped connection) and may still be applied until then. Odoo sends "
        "its current quantity and price again after it.",
    )

    # What a seller reads on the listing: display only.
    marketplace_url = fields.Char(
        string="On the marketplace",
        compute="_compute_marketplace_url",
        help="The listing's page on the marketplace, as buyers see it.",
    )
    has_price_override = fields.Boolean(
        string="Own price",
        compute="_compute_has_price_override",
        inverse="_inverse_has_price_override",
        help="Sell at a price of the listing's own instead of the product's "
        "sales price (or the account's pricelist).",
    )
    last_push_summary = fields.Char(
        string="Last sent", compute="_compute_last_push_summary"
    )

    # -- the listing models ----------------------------------------------------
    @api.model
    def _listing_models(self):
        """The names of every concrete model that inherits this mixin."""
        registry = self.env.registry
        names, todo = [], list(registry[self._name]._inherit_children)
        while todo:
            name = todo.pop(0)
            if name in names or name not in registry:
                continue
            names.append(name)
            todo.extend(registry[name]._inherit_children)
        return [name for name in names if not registry[name]._abstract]

    @api.model
    def _mark_live_listings(self, domain):
        """Mark the live listings of every channel that ``domain`` selects.

        As the system: the person whose stock move or price change caused it
        may not read the listings, and the marks are the connector's.
        """
        for name in self._listing_models():
            self.env[name].sudo().search(
                list(domain) + [("is_live", "=", True)]
            )._mark_push()

    # -- display -------------------------------------------------------------------
    def _marketplace_item_url(self):
        """Hook: the listing's page on its marketplace, or False (not live
        yet, or an environment whose pages buyers do not see)."""
        return False

    def _compute_marketplace_url(self):
        for listing in self:
            listing.marketplace_url = listing._marketplace_item_url() or False

    @api.depends("price")
    def _compute_has_price_override(self):
        for listing in self:
            listing.has_price_override = bool(listing.price)

    def _inverse_has_price_override(self):
        # Ticked: the price is typed next; unticked: back to the product's.
        self.filtered(lambda l: not l.has_price_override and l.price).price = 0.0

    @api.depends("pushed_quantity", "pushed_price", "pushed_at")
    def _compute_last_push_summary(self):
        for listing in self:
            if not listing.pushed_at:
                listing.last_push_summary = self.env._("Nothing sent yet")
                continue
            listing.last_push_summary = self.env._(
                "%(quantity)s available at %(price)s, on %(when)s",
                quantity=listing.pushed_quantity,
                price=format_amount(
                    self.env, listing.pushed_price, listing.currency_id
                ),
                when=format_datetime(self.env, listing.pushed_at),
            )

    @api.onchange("product_id")
    def _onchange_product_id_fill(self):
        """A listing made by hand takes its SKU from the product (and each
        channel what else it takes); one already on the marketplace keeps
        its SKU, which is its identity there."""
        if self.product_id and not self.is_live and self.state == "draft":
            self.sku = self.product_id.default_code or self.sku

    def _notify(self, message, kind="success"):
        """An action's ending: a notification in words (sticky unless all
        went well), then the form reloads."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "message": message,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # -- a refusal fixed -------------------------------------------------------------
    def _marketplace_local_problems(self):
        """Hook: the channel's own check of the listing, made before any call
        (messages, [] when it finds nothing), or None when the listing's
        error is not one this check found (the marketplace's refusal)."""
        return

    def _marketplace_resting_state(self):
        """The state of a listing with no error and no work under way."""
        return "published" if self.is_live else "draft"

    def _recheck_error(self):
        """Listings refused by Odoo's own check, changed since: check again;
        the error goes once its cause is fixed, or says what is left."""
        for listing in self.filtered(lambda l: l.state == "error"):
            problems = listing._marketplace_local_problems()
            if problems is None:
                continue
            if problems:
                message = "\n".join(problems)
                if message != listing.last_error:
                    listing._write_system({"last_error": message})
                continue
            listing._set_state(listing._marketplace_resting_state(), last_error=False)

    @api.model
    def _recheck_errors_of(self, products):
        """The listings of ``products`` in error, of every channel, checked
        again: what a listing is made of is partly its product's (as the
        system: the person editing the product may not read listings)."""
        if not products:
            return
        for name in self._listing_models():
            self.env[name].sudo().search(
                [("product_id", "in", products.ids), ("state", "=", "error")]
            )._recheck_error()

    # -- create / write ----------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "sku" not in vals:
                product = self.env["product.product"].browse(vals.get("product_id"))
                vals["sku"] = product.default_code or ""
        return super().create(vals_list)

    def write(self, vals):
        result = self._write_bookkeeping(vals)
        protected = self._protected_field_names()[1]
        if any(name not in protected for name in vals):
            # A person's change of the listing (or of what it is made of).
            self._recheck_error()
        return result

    def _write_bookkeeping(self, vals):
        if "state" in vals and self.env.su and not self.env.context.get(_STATE_KEY):
            # A person's write is refused by the protected fields already.
            raise ValueError("a listing's state changes through _set_state only")
        if "push_error" in vals and "push_deferred" not in vals:
            # Any other outcome replaces a deferral: the flag must not hide
            # a real error from the health report.
            vals = dict(vals, push_deferred=False)
        if "push_pending" in vals and "push_marked_at" not in vals:
            if not vals["push_pending"]:
                vals = dict(vals, push_marked_at=False)
            else:
                result = super().write(vals)
                # Only listings without a date: one already pending keeps it.
                newly = self.filtered(lambda listing: not listing.push_marked_at)
                if newly:
                    super(MarketplaceListingMixin, newly).write(
                        {"push_marked_at": fields.Datetime.now()}
                    )
                return result
        return super().write(vals)

    def unlink(self):
        # Drift lines name their listing by model and id: they go with it.
        self.env["marketplace.drift"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        return super().unlink()

    # -- state ---------------------------------------------------------------------
    def _set_state(self, state, **values):
        """Move the listings to ``state``, writing ``values`` with it, as the
        system (the caller checked the person's rights first).

        Refuses a state the model does not know and a transition the
        connector does not make (``STATES_FROM``): a programming error, not a
        person's, so a ValueError.
        """
        if state not in self._fields["state"].get_values(self.env):
            raise ValueError(f"unknown listing state {state!r}")
        allowed = STATES_FROM.get(state)
        wrong = self.filtered(lambda l: allowed and l.state not in allowed)
        if wrong:
            raise ValueError(
                f"listing(s) {wrong.ids} cannot become {state!r} from "
                f"{sorted(set(wrong.mapped('state')))}"
            )
        return self.with_context(**{_STATE_KEY: True})._write_system(
            dict(values, state=state)
        )

    # -- stock and price -------------------------------------------------------------
    def _targets(self):
        """(quantity, price) Odoo wants the marketplace to show."""
        self.ensure_one()
        account = self.account_id
        return (
            account._target_quantity(self.product_id),
            account._target_price(
                self.product_id, self.price or self.product_id.lst_price
            ),
        )

    def _marketplace_publish_again(self):
        """Hook: publish again these live listings, which the marketplace no
        longer shows (drift repair).  Returns None once queued, or why it
        cannot be done by the connector (the drift then waits for a person).
        """
        return self.env._(
            "%(channel)s does not show this listing any more, and Odoo cannot "
            "publish it again by itself on this channel: publish it again by "
            "hand.",
            channel=self.account_id[:1]._channel_label(),
        )

    def _change_pending(self):
        """True when Odoo has a change of this listing on its way to the
        marketplace, which explains a difference (and will end it)."""
        self.ensure_one()
        return bool(
            self.push_pending or self.push_unsettled_until or self.state == "queued"
        )

    def _mark_push(self):
        """Mark live listings whose Odoo values differ from what the
        marketplace has, or whose lost push may have landed (its window is
        over), and have their accounts push them."""
        urgent_accounts = self.env["marketplace.account"]
        accounts = self.env["marketplace.account"]
        now = fields.Datetime.now()
        for listing in self.filtered("is_live"):
            quantity, price = listing._targets()
            settled = not (
                listing.push_unsettled_until and listing.push_unsettled_until <= now
            )
            if (
                settled
                and quantity == listing.pushed_quantity
                and price == listing.pushed_price
            ):
                continue
            urgent = quantity == 0 and listing.pushed_quantity > 0
            listing.write(
                {"push_pending": True, "push_urgent": urgent or listing.push_urgent}
            )
            if urgent:
                urgent_accounts |= listing.account_id
            else:
                accounts |= listing.account_id
        urgent_accounts._enqueue_stock_push(urgent=True)
        (accounts - urgent_accounts)._enqueue_stock_push()
