"""Marketplace orders staged in Odoo: each becomes one sale order, exactly once.

The row (account, remote order id) is claimed with INSERT ... ON CONFLICT DO
NOTHING in the transaction that creates the sale order, so whatever mix of
polls, notifications and replays delivers an order, one transaction wins and
the others see the row and only apply changes.  An order Odoo cannot import
(unknown SKU...) is kept, flagged with the reason, and can be retried.

The import works from an :class:`~.order_values.OrderValues` only; the
channel reads its marketplace's order into one (``_marketplace_order_values``)
and fetches an order again on request (``_marketplace_fetch_order``).
"""

import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)


def _concurrency_error(exc):
    """True for a database race (serialisation failure, deadlock, lock not
    available): queue_job tries the whole job again; any other database
    error is the one order's."""
    return (
        isinstance(exc, psycopg2.OperationalError)
        and exc.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    )


ORDER_STATES = [
    ("new", "New"),
    ("waiting", "Waiting for the marketplace"),
    ("imported", "Imported"),
    ("flagged", "Needs attention"),
    ("cancelled", "Cancelled"),
]


class MarketplaceOrder(models.Model):
    _name = "marketplace.order"
    _description = "Marketplace Order"
    _inherit = ["mail.thread", "marketplace.protected.fields.mixin"]
    _order = "remote_modified_at desc, id desc"
    _rec_name = "remote_order_id"
    _check_company_auto = True

    # The marketplace's order and the buyer's data as it sent them: the
    # connector's.
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    remote_order_id = fields.Char(
        string="Marketplace order", required=True, readonly=True, system_field=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        system_field=True,
    )
    state = fields.Selection(
        ORDER_STATES,
        required=True,
        default="new",
        tracking=True,
        readonly=True,
        system_field=True,
    )
    flag_reason = fields.Text(readonly=True, system_field=True)
    payment_status = fields.Char(readonly=True, system_field=True)
    fulfillment_status = fields.Char(readonly=True, system_field=True)
    cancel_state = fields.Char(readonly=True, system_field=True)
    buyer_username = fields.Char(readonly=True, system_field=True)
    remote_created_at = fields.Datetime(
        string="Created on the marketplace", readonly=True, system_field=True
    )
    remote_modified_at = fields.Datetime(
        string="Modified on the marketplace",
        readonly=True,
        index=True,
        system_field=True,
    )
    currency_code = fields.Char(readonly=True, system_field=True)
    fulfilled_by_marketplace = fields.Boolean(
        readonly=True,
        system_field=True,
        help="The marketplace ships this order from its own stock: its sale "
        "order makes no delivery from the seller's warehouse.",
    )
    total = fields.Float(readonly=True, system_field=True)
    marketplace_collected_tax = fields.Float(
        string="Tax collected by the marketplace",
        readonly=True,
        system_field=True,
        help="Sales tax the marketplace collected and remits itself.",
    )
    payload = fields.Text(
        readonly=True,
        groups="marketplace_connector.group_marketplace_manager",
        system_field=True,
    )

    _sql_constraints = [
        (
            "account_order_uniq",
            "unique(account_id, remote_order_id)",
            "This marketplace order is already imported for this account.",
        )
    ]

    # -- channel hooks -----------------------------------------------------------------
    @api.model
    def _marketplace_order_values(self, account, data):
        """Hook: ``account``'s channel reads its order ``data`` (the parsed
        payload) into an OrderValues.  Each channel overrides it."""
        raise NotImplementedError(
            f"channel {account.channel!r} does not read marketplace orders"
        )

    def _marketplace_fetch_order(self):
        """Hook: this order's data as its marketplace gives it now (what
        ``_marketplace_order_values`` reads); a UserError when it cannot."""
        raise NotImplementedError(
            f"channel {self.account_id.channel!r} does not fetch orders"
        )

    def _shipping_product(self):
        """Hook: the service product a sale order's delivery line uses."""
        return self.env.ref("marketplace_connector.product_marketplace_shipping")

    def _charge_product(self, kind):
        """The service product of a charge (``Charge.kind``) line."""
        if kind == "gift_wrap":
            return self.env.ref("marketplace_connector.product_marketplace_gift_wrap")
        return self.env.ref("marketplace_connector.product_marketplace_charge")

    # -- claiming ------------------------------------------------------------------
    @api.model
    def _claim(self, account, remote_order_id):
        """Return (staging row, created?), creating it at most once."""
        rows, created = self._claim_many(account, [remote_order_id])
        return rows[remote_order_id], remote_order_id in created

    @api.model
    def _claim_many(self, account, remote_order_ids):
        """``({remote id: staging row}, {remote ids claimed now})``: one
        INSERT ... ON CONFLICT DO NOTHING for all of them, then one search
        for those another transaction claimed before.

        The ids are claimed in sorted order, so two transactions claiming
        overlapping batches wait on each other instead of deadlocking."""
        remote_ids = sorted(set(remote_order_ids))
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO marketplace_order (
                account_id, company_id, remote_order_id, state,
                create_uid, write_uid, create_date, write_date)
            SELECT %s, %s, remote_id, 'new', %s, %s, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM unnest(%s::varchar[]) WITH ORDINALITY AS t(remote_id, n)
             ORDER BY n
            ON CONFLICT (account_id, remote_order_id) DO NOTHING
            RETURNING id, remote_order_id
            """,
            (account.id, account.company_id.id, self.env.uid, self.env.uid, remote_ids),
        )
        claimed = {remote_id: id_ for id_, remote_id in self.env.cr.fetchall()}
        rows = {remote_id: self.browse(id_) for remote_id, id_ in claimed.items()}
        others = [remote_id for remote_id in remote_ids if remote_id not in claimed]
        if others:
            for order in self.search(
                [
                    ("account_id", "=", account.id),
                    ("remote_order_id", "in", others),
                ]
            ):
                rows[order.remote_order_id] = order
        missing = [remote_id for remote_id in others if remote_id not in rows]
        if missing:
            # Claimed by a transaction committed after ours began: look again
            # in a new one.  Not a marketplace outcome, so queue_job's own
            # retry (it rolls this transaction back, which sees nothing new
            # anyway), and counted: a claim that never becomes visible ends
            # as a failed job, not a loop.
            raise RetryableJobError(
                f"Marketplace order {missing[0]} is being imported by another worker",
                seconds=5,
            )
        return rows, set(claimed)

    @api.model
    def _import_payload(self, account, data):
        """Create or update Odoo's copy of the order ``data`` of ``account``'s
        channel; return the row."""
        return self._import_payloads(account, [data])

    @api.model
    def _import_payloads(self, account, payloads):
        """Create or update Odoo's copy of each order of ``payloads`` (the
        parsed orders of ``account``'s channel), in a batch; return the rows
        (one per order, in the order given)."""
        return self._import_many(
            account, [self._marketplace_order_values(account, d) for d in payloads]
        )

    @api.model
    def _import_values(self, account, values):
        """Create or update Odoo's copy of one order (an OrderValues)."""
        return self._import_many(account, [values])

    @api.model
    def _import_many(self, account, values_list):
        """Create or update Odoo's copy of each order (OrderValues) of
        ``values_list`` together: one claim, one read of the products,
        buyers, addresses and pricelists they need, one create of their
        sale orders and one confirmation.  An order Odoo fails on is flagged
        with the reason (its Retry imports it again) and holds back none of
        the others.  Returns the rows, one per order given, in that order."""
        if not values_list:
            return self
        # The account's company, as every import before batches ran: the
        # sale orders, their confirmation and pickings are that company's.
        Order = self.with_company(account.company_id)
        latest = {}
        for values in values_list:  # the same order twice: its last reading
            latest[values.remote_order_id] = values
        rows, _created = Order._claim_many(account, list(latest))
        company = account.company_id
        # One recordset for the batch: reading a field of one row reads it
        # for all of them.
        together = Order.browse([rows[remote_id].id for remote_id in latest])
        pairs = list(zip(together.with_company(company), latest.values(), strict=True))
        Order._apply_isolated(pairs)
        return Order.browse([rows[v.remote_order_id].id for v in values_list])

    @api.model
    def _apply_isolated(self, pairs):
        """Apply ``(row, values)`` pairs in one savepoint; if that fails,
        once more one savepoint per order, so that only the orders that
        fail are left out (and flagged)."""
        try:
            with self.env.cr.savepoint():
                self._apply_group(pairs)
            return
        except RetryableJobError:
            raise
        except Exception as exc:
            if _concurrency_error(exc):
                # A database race (serialisation failure, lock): the whole
                # job is tried again, as before batches.
                raise
            if len(pairs) == 1:
                pairs[0][0]._flag_failed(pairs[0][1], exc)
                return
        for pair in pairs:
            self._apply_isolated([pair])

    def _flag_failed(self, values, exc):
        """This order could not be imported: kept with its data and the
        reason, for staff to fix and Retry."""
        # The exception's class only: its text may carry the buyer's data.
        _logger.warning(
            "Marketplace order %s (account %s) not imported: %s",
            self.id,
            self.account_id.id,
            type(exc).__name__,
        )
        if isinstance(exc, UserError) and exc.args:
            # Written for staff by the connector or Odoo (an unknown
            # currency, a missing product...).
            reason = self.env._(
                "Odoo could not import this order: %(reason)s. Fix the cause, "
                "then click Retry.",
                reason=exc.args[0],
            )
        else:
            reason = self.env._(
                "Odoo could not import this order (%(error)s). Click Retry; if "
                "it fails again, report it to whoever maintains the connector.",
                error=type(exc).__name__,
            )
        flag = {"state": "flagged", "flag_reason": reason}
        # With the marketplace's data, for Retry; when that data is what
        # Odoo cannot store, with the order as the marketplace sent it only
        # (Retry reads it again), else the flag alone (Retry asks the
        # marketplace again).
        for written in (
            dict(self._staged_values(values), **flag),
            dict(flag, payload=values.payload),
        ):
            try:
                with self.env.cr.savepoint():
                    self.write(written)
                return
            except RetryableJobError:
                raise
            except Exception as error:
                if _concurrency_error(error):
                    raise
        self.write(flag)

    # -- applying the marketplace's state ---------------------------------------------
    def _apply(self, values):
        self.ensure_one()
        self._apply_group([(self, values)])

    @api.model
    def _staged_values(self, values):
        return {
            "payload": values.payload,
            "payment_status": values.payment_status,
            "fulfillment_status": values.fulfillment_status,
            "cancel_state": values.cancel_state,
            "remote_created_at": values.created_at or False,
            "remote_modified_at": values.modified_at or False,
            "currency_code": values.total.currency,
            "total": values.total.amount,
            "marketplace_collected_tax": values.collected_tax,
            "fulfilled_by_marketplace": values.fulfilled_by_marketplace,
        }

    @api.model
    def _apply_group(self, pairs):
        """Apply each ``(row, values)``: the rows take the marketplace's
        state; those without a sale order get one (made together); the
        paid ones are confirmed together."""
        new_sales, known = [], []
        for order, values in pairs:
            order.write(
                dict(
                    order._staged_values(values),
                    # A read without the buyer's data (some channels give it
                    # only on request) keeps the buyer known so far.
                    buyer_username=values.buyer_username or order.buyer_username,
                )
            )
            if order.sale_order_id:
                known.append((order, values))
            elif values.cancelled:
                order.write({"state": "cancelled", "flag_reason": False})
            elif values.waiting:
                order._wait(values)
            else:
                new_sales.append((order, values))
        made = self._create_sale_orders(new_sales)
        to_confirm = self.env["sale.order"]
        for order, values in made + known:
            sale = order.sale_order_id
            if values.cancelled:
                order._cancel_sale_order()
            elif values.paid and sale.state in ("draft", "sent"):
                to_confirm |= sale
        if to_confirm:
            # Their customers' subscriptions, deliveries' followers and
            # "created from" notes written together (models/mail_thread.py).
            with self.env["mail.thread"]._marketplace_mail_together():
                to_confirm.action_confirm()
        for order, values in made + known:
            if values.refunded:
                order.sale_order_id.message_post(
                    body=self.env._(
                        "%(channel)s reports the order %(status)s.",
                        channel=order.account_id._channel_label(),
                        status=order.payment_status,
                    )
                )
        self._queue_accounting(made + known)

    def _wait(self, values):
        """Staged, no sale order yet: the marketplace has not released the
        order for fulfilment (its next change imports it)."""
        self.write(
            {
                "state": "waiting",
                "flag_reason": self.env._(
                    "%(channel)s has not released this order for shipping yet "
                    "(status %(status)s): it becomes a sale order as soon as "
                    "%(channel)s does. Nothing to do for now.",
                    channel=self.account_id._channel_label(),
                    status=values.fulfillment_status or values.payment_status or "?",
                ),
            }
        )

    def _cancel_sale_order(self):
        sale = self.sale_order_id
        if sale.state == "cancel":
            self.state = "cancelled"
            return
        channel = self.account_id._channel_label()
        shipped = sale.picking_ids.filtered(lambda p: p.state == "done")
        if shipped:
            self.write(
                {
                    "state": "flagged",
                    "flag_reason": self.env._(
                        "The buyer's order was cancelled on %(channel)s but "
                        "%(pickings)s already shipped: handle the return by hand.",
                        channel=channel,
                        pickings=", ".join(shipped.mapped("name")),
                    ),
                }
            )
            return
        sale.with_context(disable_cancel_warning=True)._action_cancel()
        sale.message_post(
            body=self.env._(
                "Cancelled on %(channel)s: stock released.", channel=channel
            )
        )
        self.write({"state": "cancelled", "flag_reason": False})

    @api.model
    def _create_sale_orders(self, pairs):
        """Make the sale orders of ``(row, values)`` pairs, all in one
        create, with what they need read once for all: the products by SKU,
        the buyers by username, their delivery addresses, the countries and
        states, the pricelists by currency.  An order with an unknown SKU is
        flagged instead.  Returns the pairs that got a sale order."""
        if not pairs:
            return []
        products = self._products_by_sku(pairs)
        # Asked once per currency and company of the batch, not per order.
        problems = {}
        ready = []
        for order, values in pairs:
            unknown = [
                line.sku or line.title or "?"
                for line in values.lines
                if (line.sku, order.company_id.id) not in products
            ]
            if unknown:
                order.write(
                    {
                        "state": "flagged",
                        "flag_reason": self.env._(
                            "Unknown SKU(s) %(skus)s: no product has this internal "
                            "reference. Fix the product, then click Retry.",
                            skus=", ".join(unknown),
                        ),
                    }
                )
            elif problem := order._pricelist_problem_in(problems, values):
                order.write({"state": "flagged", "flag_reason": problem})
            else:
                ready.append((order, values))
        if not ready:
            return []
        addresses = self._buyers_and_addresses(ready)
        pricelists, warehouses = {}, {}
        sale_values = []
        for order, values in ready:
            company = order.company_id
            currency = values.total.currency or "USD"
            if (currency, company.id) not in pricelists:
                pricelists[currency, company.id] = order._pricelist(currency)
            if order.account_id not in warehouses:
                warehouses[order.account_id] = order._warehouse()
            partner, shipping = addresses[order.id]
            sale_values.append(
                {
                    "partner_id": partner.id,
                    "partner_shipping_id": shipping.id,
                    "company_id": company.id,
                    "warehouse_id": warehouses[order.account_id].id or False,
                    "pricelist_id": pricelists[currency, company.id].id,
                    "client_order_ref": order.remote_order_id,
                    "origin": f"{order.account_id._channel_label()} "
                    f"{order.remote_order_id}",
                    "marketplace_order_id": order.id,
                    "order_line": order._sale_lines(values, products),
                }
            )
        if not self._analytic_models_exist():
            # The lines' analytic distribution is then empty: said at once
            # rather than asked of the models line by line.
            for sale in sale_values:
                for _command, _id, line in sale["order_line"]:
                    line["analytic_distribution"] = False
        # The job's user (the system) does not follow every marketplace
        # order it makes: it would be notified of each, and following costs
        # queries per order.
        sales = (
            self.env["sale.order"]
            .with_context(mail_create_nosubscribe=True)
            .create(sale_values)
        )
        bodies = {}
        for (order, _values), sale in zip(ready, sales, strict=True):
            order.write(
                {"sale_order_id": sale.id, "state": "imported", "flag_reason": False}
            )
            bodies[order.id] = self.env._("Imported as %(sale)s.", sale=sale.name)
        self.browse(list(bodies))._message_log_batch(bodies)
        return ready

    @api.model
    def _analytic_models_exist(self):
        """Are there analytic distribution models (any company's)?"""
        return bool(
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([], limit=1)
        )

    @api.model
    def _products_by_sku(self, pairs):
        """``{(sku, company id): product}`` of every line of ``pairs``, in one
        search: the first product by Odoo's order with that internal
        reference, the company's or shared."""
        skus = {line.sku for _o, v in pairs for line in v.lines if line.sku}
        companies = {order.company_id.id for order, _v in pairs}
        found = {}
        if not skus:
            return found
        for product in self.env["product.product"].search(
            [
                ("default_code", "in", list(skus)),
                ("company_id", "in", [False, *companies]),
            ]
        ):
            for company_id in companies:
                if product.company_id.id in (False, company_id):
                    found.setdefault((product.default_code, company_id), product)
        return found

    def _sale_lines(self, values, products):
        lines = []
        for line in values.lines:
            quantity = line.quantity or 1
            lines.append(
                fields.Command.create(
                    {
                        "product_id": products[line.sku, self.company_id.id].id,
                        "product_uom_qty": quantity,
                        "price_unit": line.total.amount / quantity,
                        "tax_id": [fields.Command.clear()],
                        "marketplace_line_id": line.remote_line_id,
                    }
                )
            )
        if values.delivery_cost.amount:
            lines.append(
                fields.Command.create(
                    {
                        "product_id": self._shipping_product().id,
                        "product_uom_qty": 1,
                        "price_unit": values.delivery_cost.amount,
                        "tax_id": [fields.Command.clear()],
                    }
                )
            )
        for charge in values.charges:
            if not charge.total.amount:
                continue
            lines.append(
                fields.Command.create(
                    {
                        "product_id": self._charge_product(charge.kind).id,
                        "name": charge.label,
                        "product_uom_qty": 1,
                        "price_unit": charge.total.amount,
                        "tax_id": [fields.Command.clear()],
                    }
                )
            )
        return lines

    def _warehouse(self):
        """The account's warehouse, else the company's first: a confirmed
        sale of goods needs one (an account may leave it to the company)."""
        return self.account_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _order_currency(self, currency_code):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", currency_code or "USD")], limit=1)
        )
        if not currency:
            raise UserError(self.env._("Unknown currency %(c)s.", c=currency_code))
        return currency

    def _find_pricelist(self, currency):
        return self.env["product.pricelist"].search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "in", [False, self.company_id.id]),
            ],
            limit=1,
        )

    def _pricelist_problem(self, currency_code):
        """Why a sale order in ``currency_code`` cannot be made now, or None:
        a currency other than the company's needs a pricelist, and none is
        made while Odoo's pricelist feature is off (with it off, Odoo
        archives every pricelist when Settings are saved, so one made then
        would be archived and made again)."""
        currency = self._order_currency(currency_code)
        if (
            currency == self.company_id.currency_id
            or self._find_pricelist(currency)
            or self._pricelists_enabled()
        ):
            return None
        return self.env._(
            "This order is in %(currency)s, and Odoo records a sale in "
            "another currency than the company's through a pricelist, but "
            "pricelists are turned off. Turn on Pricelists in the Sales "
            "settings, then click Retry import.",
            currency=currency.name,
        )

    def _pricelist_problem_in(self, problems, values):
        """``_pricelist_problem`` of the order's currency, remembered in
        ``problems`` for the other orders of the batch."""
        key = (values.total.currency, self.company_id.id)
        if key not in problems:
            problems[key] = self._pricelist_problem(values.total.currency)
        return problems[key]

    def _pricelist(self, currency_code):
        """The sale order's pricelist: an active one in the order's currency,
        none in the company's currency when there is none, else a new one
        (only while the pricelist feature is on: ``_pricelist_problem``)."""
        currency = self._order_currency(currency_code)
        found = self._find_pricelist(currency)
        if currency == self.company_id.currency_id:
            return found
        problem = self._pricelist_problem(currency_code)
        if problem:
            raise UserError(problem)
        # Write only when needed: a shared, hot row.  (Odoo turns its
        # pricelists on with a second active currency: a sale in it needs
        # one, hence not before a pricelist may be made.)
        if not currency.active:
            currency.active = True
        return found or self.env["product.pricelist"].sudo().create(
            {
                "name": f"{self.account_id._channel_label()} {currency.name}",
                "currency_id": currency.id,
                "marketplace_order_pricelist": True,
            }
        )

    def _pricelists_enabled(self):
        """Is Odoo's pricelist feature on (Settings: employees get it)?"""
        feature = self.env.ref("product.group_product_pricelist")
        return feature in self.env.ref("base.group_user").sudo().implied_ids

    def _buyer_username(self, values):
        # An order without a username still gets a buyer: one per channel.
        return values.buyer_username or f"{self.account_id.channel}-buyer"

    @api.model
    def _buyers_and_addresses(self, pairs):
        """``{row id: (buyer, delivery address)}`` of ``pairs``: the buyer
        matched by their username on the marketplace (made when new), and a
        delivery address under it (made when new).  Read and made for all
        pairs at once."""
        # Buyers and addresses are followed by no one (see the sale orders').
        Partner = self.env["res.partner"].with_context(mail_create_nosubscribe=True)
        usernames = {order._buyer_username(values) for order, values in pairs}
        buyers = {}
        for partner in Partner.search(
            [("marketplace_buyer_username", "in", list(usernames))]
        ):
            buyers.setdefault(partner.marketplace_buyer_username, partner)
        new_buyers = {}
        for order, values in pairs:
            username = order._buyer_username(values)
            if username not in buyers and username not in new_buyers:
                new_buyers[username] = {
                    "name": values.buyer.name or values.ship_to.name or username,
                    "email": values.buyer.email or values.ship_to.email,
                    "marketplace_buyer_username": username,
                }
        if new_buyers:
            made = Partner.create(list(new_buyers.values()))
            buyers.update(zip(new_buyers, made, strict=True))
        places = self._places([values.ship_to for _o, values in pairs])
        # The known addresses of every buyer, read in one go.
        known = {}
        for child in Partner.browse(
            list({p.id for p in buyers.values()})
        ).child_ids.filtered(lambda c: c.type == "delivery"):
            key = (child.street, child.zip, child.city, child.country_id.id)
            known.setdefault((child.parent_id.id, key), child)
        wanted, to_make = {}, {}
        for order, values in pairs:
            partner = buyers[order._buyer_username(values)]
            ship_to = values.ship_to
            country, state = places.get(
                (ship_to.country_code, ship_to.state_code), (False, False)
            )
            address = {
                "type": "delivery",
                "parent_id": partner.id,
                "name": ship_to.name or partner.name,
                "street": ship_to.street,
                "street2": ship_to.street2,
                "city": ship_to.city,
                "zip": ship_to.zip,
                "country_id": country,
                "state_id": state,
                "phone": ship_to.phone,
            }
            key = (
                partner.id,
                (ship_to.street, ship_to.zip, ship_to.city, country),
            )
            wanted[order.id] = (partner, key)
            if key not in known and key not in to_make:
                to_make[key] = address
        if to_make:
            made = Partner.create(list(to_make.values()))
            known.update(zip(to_make, made, strict=True))
        return {
            order_id: (partner, known[key])
            for order_id, (partner, key) in wanted.items()
        }

    @api.model
    def _places(self, addresses):
        """``{(country code, state code): (country id or False, state id or
        False)}`` of ``addresses``, in two searches."""
        codes = {(a.country_code, a.state_code) for a in addresses}
        countries = {
            c.code: c.id
            for c in self.env["res.country"].search(
                [("code", "in", [c for c, _s in codes if c])]
            )
        }
        states = {}
        if countries:
            for state in self.env["res.country.state"].search(
                [
                    ("country_id", "in", list(countries.values())),
                    ("code", "in", [s for _c, s in codes if s]),
                ]
            ):
                states.setdefault((state.country_id.id, state.code), state.id)
        places = {}
        for country_code, state_code in codes:
            country = countries.get(country_code, False)
            places[country_code, state_code] = (
                country,
                states.get((country, state_code), False),
            )
        return places

    # -- actions --------------------------------------------------------------------
    # The caller's rights on the orders first; the import itself is the
    # connector's work and runs as the system (it writes the marketplace's
    # data).
    def action_retry(self):
        """Import a flagged order again (after its products were fixed)."""
        self.check_access("write")
        for order in self.filtered(lambda o: o.state in ("flagged", "new")).sudo():
            # No payload: Odoo could not store the order's data; read it
            # from the marketplace again.
            data = (
                json.loads(order.payload)
                if order.payload
                else order._marketplace_fetch_order()
            )
            values = order._marketplace_order_values(order.account_id, data)
            with self.env.cr.savepoint():
                order.with_company(order.company_id)._apply(values)
        return True

    def action_refresh_from_marketplace(self):
        """Read the order from its marketplace again and apply what changed."""
        self.check_access("write")  # before the marketplace is asked
        for order in self.sudo():
            data = order._marketplace_fetch_order()
            values = order._marketplace_order_values(order.account_id, data)
            order.with_company(order.company_id)._apply(values)
        return True
