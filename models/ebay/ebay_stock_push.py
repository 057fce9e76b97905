"""Stock and price out to eBay: detected when they change, pushed in bulk.

Changes (validated moves, reservations, price changes) mark the affected
live listings and enqueue a push job per account at once.  Coalescing comes
from the identity key: while a push job waits or runs, further changes only
mark listings, and the next job sends them all in bulkUpdatePriceQuantity
calls of 25.  (No eta-based window: queue_job's runner may pick an eta job
up only at its next wake-up, up to a minute late.)  Run the channel
``root.ebay.stock`` with capacity 1 so pushes of an account never overlap.
A drop to zero is urgent and goes at once, even when a listing's daily
revision budget is nearly spent (a reserve is kept for it); other updates
wait for the next day when the budget runs low, and say so.

Nothing is lost: a listing stays marked until eBay confirmed its values.
A push that got no answer (timeout, dropped connection) may still be applied
by eBay after a later push: the listing is marked unsettled until the stalled
request can no longer land (see job_edge.py), and its current values are
sent again then, even when a later push went through meanwhile.
"""

import math
from datetime import timedelta

from odoo import api, fields, models

from ...ebay.endpoints import BULK_LIMIT
from ...ebay.inventory import InventoryApi
from ...ebay.messages import actionable_message
from ..marketplace.job_edge import marketplace_job
from .ebay_listing import REVISIONS_PER_DAY


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    stock_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Stock from warehouses",
        check_company=True,
        help="Warehouses whose free quantity (on hand minus reserved) is offered; "
        "empty: the account's warehouse.",
    )
    stock_buffer = fields.Integer(help="Units held back from eBay.")
    stock_percent = fields.Float(default=100.0, help="Share of the stock offered (%).")
    stock_max = fields.Integer(help="Never show more than this (0: no maximum).")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices on eBay come from this pricelist (fees, margins).",
    )
    price_rounding = fields.Float(default=0.01)
    revision_reserve = fields.Integer(
        default=10, help="Revisions per listing and day kept for drops to zero."
    )

    def _target_quantity(self, product):
        warehouses = self.stock_warehouse_ids or self.warehouse_id
        free = (
            sum(product.with_context(warehouse_id=w.id).free_qty for w in warehouses)
            if warehouses
            else product.free_qty
        )
        quantity = max(0, int(free) - self.stock_buffer)
        quantity = math.floor(quantity * (self.stock_percent or 0) / 100.0)
        if self.stock_max:
            quantity = min(quantity, self.stock_max)
        return max(0, quantity)

    def _target_price(self, product, fallback):
        price = fallback
        if self.pricelist_id and fallback == product.lst_price:
            price = self.pricelist_id._get_product_price(product, 1.0)
        step = self.price_rounding or 0.01
        return round(round(price / step) * step, 2)

    def _enqueue_stock_push(self, urgent=False):
        kind = "urgent" if urgent else "batch"
        for account in self:
            account.with_delay(
                identity_key=f"ebay.stock.push.{kind}:{account.id}",
                description=f"eBay stock push {account.name}",
                priority=5 if urgent else 10,
            )._job_push_stock()

    def _enqueue_settle(self, when):
        """A push at ``when``, when the unsettled listings' requests can no
        longer land.  One waits per account; if a later mark needs a later
        time, that push enqueues the next (``_job_push_stock``)."""
        for account in self:
            account.with_delay(
                eta=when,
                identity_key=f"ebay.stock.push.settle:{account.id}",
                description=f"eBay stock push {account.name} (after a lost answer)",
                priority=5,
            )._job_push_stock()

    @api.model
    def _cron_push_stock_safety(self):
        """Safety net: mark any live listing whose values drifted from Odoo."""
        listings = self.env["ebay.listing"].search(
            [("is_live", "=", True), ("account_id.state", "=", "connected")]
        )
        listings._mark_push()

    @marketplace_job
    def _job_push_stock(self):
        """Queue job: push every marked listing of the account, 25 per call.

        Marked: changed in Odoo, or unsettled (a lost answer) past the time
        its stalled request could land.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        pending = self.env["ebay.listing"].search(
            [
                ("account_id", "=", self.id),
                ("company_id", "=", self.company_id.id),
                ("is_live", "=", True),
                "|",
                ("push_pending", "=", True),
                ("push_unsettled_until", "<=", now),
            ],
            order="push_urgent desc, id",
        )
        ready = pending._filter_budget()
        pushed = 0
        for start in range(0, len(ready), BULK_LIMIT):
            batch = ready[start : start + BULK_LIMIT]
            with self._job_edge(
                record=batch, operation="bulkUpdatePriceQuantity"
            ) as edge:
                pushed += batch._push_batch(InventoryApi(edge.client), now)
            if edge.failed:
                # Still marked: the next try (or the next push) sends them.
                batch.write({"push_error": edge.message})
                if not edge.refused:
                    break  # eBay is unavailable: the other batches wait too
        # A listing that is not live has nothing left to settle: publishing
        # it again sends Odoo's current values anyway.
        self.env["ebay.listing"].search(
            [
                ("account_id", "=", self.id),
                ("is_live", "=", False),
                ("push_unsettled_until", "<=", now),
            ]
        ).write({"push_unsettled_until": False})
        self._enqueue_later_settle(now)
        if not pending:
            return "nothing to push"
        return f"{pushed} listing(s) pushed, {len(pending) - len(ready)} deferred"

    def _enqueue_later_settle(self, now):
        """Listings still unsettled past ``now`` get their push at the end of
        their window (another push may have taken the settle job's place)."""
        unsettled = self.env["ebay.listing"].search(
            [("account_id", "=", self.id), ("push_unsettled_until", ">", now)],
            order="push_unsettled_until desc",
            limit=1,
        )
        if unsettled:
            self._enqueue_settle(unsettled.push_unsettled_until)


class EbayListing(models.Model):
    _inherit = "ebay.listing"

    # What was pushed and what waits: the connector's bookkeeping only.
    push_pending = fields.Boolean(
        index=True, copy=False, readonly=True, system_field=True
    )
    push_urgent = fields.Boolean(copy=False, readonly=True, system_field=True)
    pushed_quantity = fields.Integer(readonly=True, copy=False, system_field=True)
    pushed_price = fields.Float(readonly=True, copy=False, system_field=True)
    pushed_at = fields.Datetime(readonly=True, copy=False, system_field=True)
    push_error = fields.Text(readonly=True, copy=False, system_field=True)
    push_deferred = fields.Boolean(
        readonly=True,
        copy=False,
        system_field=True,
        help="Waits for tomorrow: today's revisions are kept for drops to zero.",
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
        index=True,
        help="A push of this listing got no answer from eBay (timeout, dropped "
        "connection) and may still be applied by eBay until then. Odoo sends "
        "its current quantity and price again after it.",
    )

    def write(self, vals):
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
                    super(EbayListing, newly).write(
                        {"push_marked_at": fields.Datetime.now()}
                    )
                return result
        return super().write(vals)

    def _targets(self):
        self.ensure_one()
        account = self.account_id
        return (
            account._target_quantity(self.product_id),
            account._target_price(
                self.product_id, self.price or self.product_id.lst_price
            ),
        )

    def _marketplace_outcome_unknown(self, until):
        """A write of these listings may still land until ``until``: keep
        them marked, and push their current values once it cannot."""
        for listing in self:
            later = listing.push_unsettled_until
            if not later or later < until:
                listing.push_unsettled_until = until
        self.account_id._enqueue_settle(until)

    def _mark_push(self):
        """Mark live listings whose Odoo values differ from what eBay has, or
        whose lost push may have landed (its window is over)."""
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

    def _filter_budget(self):
        """Urgent drops always go; others wait when the budget runs low."""
        ready = self.browse()
        for listing in self:
            left = listing._revisions_left()
            reserve = listing.account_id.revision_reserve
            if (listing.push_urgent and left > 0) or left > reserve:
                ready |= listing
            else:
                listing.write(
                    {
                        "push_deferred": True,
                        "push_error": self.env._(
                            "eBay's %(max)s revisions for today are nearly used; "
                            "this update waits for tomorrow (a reserve is kept "
                            "for drops to zero).",
                            max=REVISIONS_PER_DAY,
                        ),
                    }
                )
        return ready

    def _push_batch(self, api_, now):
        """One bulkUpdatePriceQuantity; returns how many eBay accepted.

        ``now``: when the job looked for work.  A listing unsettled until
        then is settled by this push; one still in its window stays marked.
        """
        requests_, targets = [], {}
        for listing in self:
            quantity, price = listing._targets()
            targets[listing.sku] = (listing, quantity, price)
            requests_.append(
                {
                    "sku": listing.sku,
                    "shipToLocationAvailability": {"quantity": quantity},
                    "offers": [
                        {
                            "offerId": listing.offer_id,
                            "availableQuantity": quantity,
                            "price": {
                                "value": f"{price:.2f}",
                                "currency": listing.currency_id.name or "USD",
                            },
                        }
                    ],
                }
            )
        data = api_.bulk_update_price_quantity(requests_)
        pushed = 0
        pushed_at = fields.Datetime.now()
        for response in data.get("responses", []):
            listing, quantity, price = targets.get(response.get("sku"), (None, 0, 0))
            if not listing:
                continue
            if response.get("statusCode", 500) < 300:
                unsettled = listing.push_unsettled_until
                listing.write(
                    {
                        "pushed_quantity": quantity,
                        "pushed_price": price,
                        "pushed_at": pushed_at,
                        "push_pending": False,
                        "push_urgent": False,
                        "push_error": False,
                        "push_unsettled_until": unsettled
                        if unsettled and unsettled > now
                        else False,
                    }
                )
                listing._count_revisions(1)
                pushed += 1
            else:
                listing.push_error = actionable_message(response.get("errors"))
        return pushed


class StockMove(models.Model):
    _inherit = "stock.move"

    def _ebay_mark(self):
        products = self.product_id
        if products:
            self.env["ebay.listing"].sudo().search(
                [("product_id", "in", products.ids), ("is_live", "=", True)]
            )._mark_push()

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._ebay_mark()
        return moves

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self._ebay_mark()
        return result

    def _do_unreserve(self):
        result = super()._do_unreserve()
        self._ebay_mark()
        return result


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        result = super().write(vals)
        if "lst_price" in vals or "list_price" in vals:
            self.env["ebay.listing"].sudo().search(
                [("product_id", "in", self.ids), ("is_live", "=", True)]
            )._mark_push()
        return result


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if "list_price" in vals:
            self.product_variant_ids.env["ebay.listing"].sudo().search(
                [
                    ("product_id", "in", self.product_variant_ids.ids),
                    ("is_live", "=", True),
                ]
            )._mark_push()
        return result


def _tomorrow():
    return fields.Date.today() + timedelta(days=1)


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    def _ebay_mark(self):
        self._ebay_mark_pricelists(self.pricelist_id)

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._ebay_mark()
        return items

    def write(self, vals):
        result = super().write(vals)
        self._ebay_mark()
        return result

    def unlink(self):
        pricelists = self.pricelist_id
        result = super().unlink()
        self.browse()._ebay_mark_pricelists(pricelists)
        return result

    def _ebay_mark_pricelists(self, pricelists):
        accounts = (
            self.env["marketplace.account"]
            .sudo()
            .search([("pricelist_id", "in", pricelists.ids)])
        )
        if accounts:
            self.env["ebay.listing"].sudo().search(
                [("account_id", "in", accounts.ids), ("is_live", "=", True)]
            )._mark_push()
