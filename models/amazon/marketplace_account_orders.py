"""Amazon order polling per account, and the import of orders by id.

The poll reads searchOrders (Orders API 2026-01-01) by lastUpdatedAfter,
from the neutral watermark less an overlap, page after page.  searchOrders
is Amazon's slowest door (0.0056 requests a second, burst 20: one page
every three minutes once the burst is spent), so the poll never waits for
it inside a transaction: when the client's limiter says the next page must
wait, the poll keeps its place on the account (the search's window, the
next page's paginationToken and the orders read but not imported yet),
ends, and is enqueued again for when the page may go.  A poll cut short by
a failure resumes from the same place.  So the backlog of a first poll or
of an outage is read at Amazon's pace, never with a 429.

An order the seller is to ship and Odoo has no sale order for needs the
buyer and the delivery address: Amazon gives them through getOrder with a
Restricted Data Token (Tokens API) naming the order.  Such orders are read
with getOrder, a token per batch, at most one getOrder burst per run; every
other order of a page (a change of an order already imported, a pending or
cancelled one) is applied from the page itself, without a call.  The token
lives in a local variable of one run: never stored, logged or enqueued.

Each order read goes to the neutral import (``marketplace.order``), which
reads Amazon's JSON through Amazon's order values
(models/amazon/marketplace_order.py).
"""

import logging
from datetime import timedelta

from odoo import api, fields, models

from ...amazon.errors import AmazonRateLimited, AmazonRefused, actionable
from ...amazon.orders import OrdersApi
from ...amazon.ratelimit import DEFAULT_RATES
from ...amazon.tokens import TokensApi, order_resource
from ..marketplace.job_edge import marketplace_job
from .marketplace_order import PAID_STATUSES, parse_amazon_datetime

_logger = logging.getLogger(__name__)

# Orders changed just before the watermark may reach Amazon's search late
# (Amazon's lastUpdatedBefore must be two minutes old: its index lags): every
# poll looks back this far; re-seen orders change nothing.
OVERLAP = timedelta(minutes=10)
FIRST_POLL_LOOKBACK = timedelta(days=30)
# searchOrders' maxResultsPerPage: the model's maximum (a page costs one
# call of the scarce bucket, whatever its size).  A lower value may be set
# in this system parameter (pages of fewer orders, shorter runs).
PAGE_SIZE = 100
PAGE_SIZE_PARAM = "marketplace_connector.amazon_order_page_size"
# A run reads at most one getOrder burst (Amazon's usage plan), so the
# limiter never has it sleep between calls; the rest waits for the next
# run, after the bucket refilled.
GET_ORDER_RATE, GET_ORDER_BURST = DEFAULT_RATES["getOrder"]
GET_ORDER_REFILL_SECONDS = int(GET_ORDER_BURST / GET_ORDER_RATE)
# createRestrictedDataToken: "restrictedResources ... Maximum: 50".
RDT_MAX_RESOURCES = 50
# What the import reads (ORDER_DATA adds the buyer and the recipient, which
# only getOrder with a token may carry).
SEARCH_DATA = ("PROCEEDS", "FULFILLMENT", "TAX")
ORDER_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "TAX")
PII_ELEMENTS = ("buyerInfo", "shippingAddress")
# Amazon gives buyer and address data of orders in these statuses only.
PII_STATUSES = PAID_STATUSES
# pg advisory lock namespace of the poll, one poll per account ("AO").
POLL_LOCK_NAMESPACE = 0x414F


def _amazon_time(moment):
    """A naive UTC datetime as searchOrders' ISO 8601 parameter (always the
    same text for the same moment: a paginationToken is bound to it)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class MarketplaceAccount(models.Model):
    """Amazon's poll keeps the neutral watermark and poll status
    (models/marketplace/marketplace_account_orders.py) and its own place."""

    _inherit = "marketplace.account"

    # The place of the search in progress: kept between runs, cleared once
    # its last page and orders are imported.
    amazon_order_poll_since = fields.Datetime(
        string="Order search from",
        readonly=True,
        copy=False,
        system_field=True,
        help="lastUpdatedAfter of the order search in progress.",
    )
    amazon_order_poll_until = fields.Datetime(
        string="Order search until",
        readonly=True,
        copy=False,
        system_field=True,
        help="Amazon's lastUpdatedBefore of the order search in progress: "
        "the watermark once it is read through.",
    )
    amazon_order_poll_token = fields.Char(
        string="Next order page",
        readonly=True,
        copy=False,
        system_field=True,
        help="Amazon's paginationToken of the next page to read.",
    )
    amazon_order_poll_pages = fields.Integer(
        string="Order pages read",
        readonly=True,
        copy=False,
        system_field=True,
    )
    amazon_order_poll_pending = fields.Text(
        string="Orders to read",
        readonly=True,
        copy=False,
        system_field=True,
        help="Orders of the pages read that still wait for getOrder.",
    )

    # -- cron and jobs --------------------------------------------------------------
    @api.model
    def _cron_poll_orders(self):
        result = super()._cron_poll_orders()
        for account in self.search(
            [("channel", "=", "amazon"), ("state", "=", "connected")]
        ):
            account._amazon_enqueue_poll()
        return result

    def _amazon_enqueue_poll(self, eta=None):
        """The account's one poll job (a pending one is not doubled)."""
        self.ensure_one()
        return self.with_delay(
            eta=eta,
            identity_key=f"amazon.orders.poll:{self.id}",
            description=f"Amazon order poll {self.name}",
        )._job_amazon_poll_orders()

    @marketplace_job
    def _job_amazon_poll_orders(self):
        """Queue job: read the orders changed since the watermark, from the
        place the last run stopped at."""
        self.ensure_one()
        if self.channel != "amazon" or self.state != "connected":
            return f"skipped: account {self.id} is not a connected Amazon account"
        if not self._amazon_poll_lock():
            return "skipped: another poll of this account is running"
        place = self._amazon_poll_place()
        seen, pause = 0, None
        with self._job_edge(record=self, operation="searchOrders") as edge:
            budget = GET_ORDER_BURST
            while True:
                if place["pending"]:
                    batch = place["pending"][:budget]
                    read = []
                    try:
                        for order_id, data in self._amazon_read_orders(
                            edge.client, batch
                        ):
                            read.append(data)
                            place["pending"].remove(order_id)
                            budget -= 1
                            seen += 1
                    except AmazonRateLimited as err:
                        if err.status:  # Amazon's own 429: the edge's retry
                            raise
                        pause = err.retry_after
                        break
                    except AmazonRefused as err:
                        # Amazon refuses this one order for good: flagged
                        # where staff work, and the poll goes on without it
                        # (else every run would stop at it again).
                        refused = next(i for i in batch if i in place["pending"])
                        self._amazon_flag_unreadable(refused, err)
                        place["pending"].remove(refused)
                        budget -= 1
                        continue
                    finally:
                        # What was read is imported together, whatever ended
                        # the reading: it is off the pending list already.
                        self.env["marketplace.order"]._import_payloads(self, read)
                    if place["pending"]:
                        pause = GET_ORDER_REFILL_SECONDS
                        break
                if place["pages"] and not place["token"]:
                    break  # the search is read through
                try:
                    page = OrdersApi(edge.client).search_orders(
                        self._amazon_order_marketplaces(),
                        last_updated_after=_amazon_time(place["since"]),
                        pagination_token=place["token"] or None,
                        max_results=self._amazon_order_page_size(),
                        included_data=SEARCH_DATA,
                    )
                except AmazonRateLimited as err:
                    if err.status:
                        raise
                    # Our limiter: the page may not go yet.  Not a failure
                    # (no try is counted): the place is kept for later.
                    pause = err.retry_after
                    break
                seen += self._amazon_take_page(page, place)
        # Written after the calls (never between them): a token refresh in
        # the middle commits from a transaction of its own.
        self.write(self._amazon_place_values(place))
        if edge.refused:
            # Refused for good (a paginationToken Amazon no longer takes, an
            # order it no longer shows...): the next run starts this
            # window's search over; what was imported stays imported.
            self.write(
                self._amazon_place_values(
                    dict(place, token=False, pages=0, until=False, pending=[])
                )
            )
        if edge.failed:
            self.order_poll_error = edge.message
            return f"poll failed: {edge.message}"
        if pause:
            self._amazon_enqueue_poll(eta=pause)
            return f"{seen} order(s) seen; more in {pause} s (Amazon's rate)"
        self.write(
            {
                "last_order_poll": place["until"],
                "order_poll_error": False,
                "order_watermark": max(
                    place["until"], self.order_watermark or place["until"]
                ),
                "amazon_order_poll_since": False,
                "amazon_order_poll_until": False,
                "amazon_order_poll_token": False,
                "amazon_order_poll_pages": 0,
                "amazon_order_poll_pending": False,
            }
        )
        return f"{seen} order(s) seen"

    def _amazon_poll_lock(self):
        """One poll of the account at a time (a retry of the edge and a cron
        job could meet): a lock held until this transaction ends.  Not a row
        lock on the account, which the token refresh's own transaction may
        need."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)",
            (POLL_LOCK_NAMESPACE, self.id),
        )
        return self.env.cr.fetchone()[0]

    # -- the place ------------------------------------------------------------------
    def _amazon_poll_place(self):
        if self.amazon_order_poll_since:
            return {
                "since": self.amazon_order_poll_since,
                "until": self.amazon_order_poll_until,
                "token": self.amazon_order_poll_token or False,
                "pages": self.amazon_order_poll_pages,
                "pending": (self.amazon_order_poll_pending or "").split(),
            }
        start = self.order_watermark or fields.Datetime.now() - FIRST_POLL_LOOKBACK
        return {
            "since": start - OVERLAP,
            "until": False,
            "token": False,
            "pages": 0,
            "pending": [],
        }

    @api.model
    def _amazon_place_values(self, place):
        return {
            "amazon_order_poll_since": place["since"],
            "amazon_order_poll_until": place["until"],
            "amazon_order_poll_token": place["token"] or False,
            "amazon_order_poll_pages": place["pages"],
            "amazon_order_poll_pending": " ".join(place["pending"]) or False,
        }

    def _amazon_flag_unreadable(self, remote_order_id, err):
        """Stage an order Amazon would not give (getOrder refused), flagged
        with Amazon's reason; Refresh reads it again once it can."""
        order, _created = self.env["marketplace.order"]._claim(self, remote_order_id)
        order.write(
            {
                "state": "flagged",
                "flag_reason": self.env._(
                    "Amazon would not give this order: %(reason)s",
                    reason=actionable(err),
                ),
            }
        )

    def _amazon_take_page(self, page, place):
        """Apply what a searchOrders page says of the orders that need no
        call; queue the others for getOrder.  Returns the orders applied."""
        place["pages"] += 1
        if not place["until"]:
            # Amazon's bound of the whole search (its first page's): orders
            # changed after it are for the next search.
            place["until"] = (
                parse_amazon_datetime(page.get("lastUpdatedBefore"))
                or fields.Datetime.now()
            )
        place["token"] = (page.get("pagination") or {}).get("nextToken") or False
        summaries = page.get("orders") or []
        Order = self.env["marketplace.order"]
        staged = {
            o.remote_order_id: o
            for o in Order.search(
                [
                    ("account_id", "=", self.id),
                    ("remote_order_id", "in", [s["orderId"] for s in summaries]),
                ]
            )
        }
        applied = []
        for data in summaries:
            order = staged.get(data["orderId"])
            status = (data.get("fulfillment") or {}).get("fulfillmentStatus")
            modified = parse_amazon_datetime(data.get("lastUpdatedTime"))
            if (
                order
                and order.fulfillment_status == status
                and order.remote_modified_at
                and modified
                and order.remote_modified_at >= modified
            ):
                continue  # seen before, unchanged (the overlap)
            if (order and order.sale_order_id) or status not in PII_STATUSES:
                applied.append(data)
            elif data["orderId"] not in place["pending"]:
                place["pending"].append(data["orderId"])
        Order._import_payloads(self, applied)
        return len(applied)

    def _amazon_order_marketplaces(self):
        participations = self.amazon_participation_ids
        chosen = participations.filtered("participating") or participations
        return chosen.mapped("marketplace_id")[:50]

    def _amazon_order_page_size(self):
        raw = self.env["ir.config_parameter"].sudo().get_param(PAGE_SIZE_PARAM)
        try:
            size = int(raw) if raw else PAGE_SIZE
        except ValueError:
            size = PAGE_SIZE
        return min(max(size, 1), PAGE_SIZE)

    # -- import by id ---------------------------------------------------------------
    @marketplace_job
    def _job_amazon_import_orders(self, order_ids):
        """Queue job: read and import the orders ``order_ids`` (a refresh of
        known orders, a notification's orders)."""
        self.ensure_one()
        if self.channel != "amazon" or self.state != "connected":
            return f"skipped: account {self.id} is not a connected Amazon account"
        with self._job_edge(record=self, operation="getOrder") as edge:
            orders = self._amazon_import_orders(edge, order_ids)
        if edge.failed:
            return f"import failed: {edge.message}"
        return f"{len(orders)} order(s) imported"

    def _amazon_import_orders(self, edge, order_ids):
        """Read the orders ``order_ids`` with getOrder inside the caller's job
        ``edge`` and import them; returns their ``marketplace.order`` rows.

        The orders Odoo has no sale order for yet are read with a Restricted
        Data Token (their buyer and delivery address), one token per batch
        of them."""
        self.ensure_one()
        read = []
        try:
            for _order_id, data in self._amazon_read_orders(edge.client, order_ids):
                read.append(data)
        finally:
            # Imported together; what was read before a failure too.
            imported = self.env["marketplace.order"]._import_payloads(self, read)
        return imported

    def _amazon_restricted_token(self, client, order_ids):
        """A Restricted Data Token for the buyer data of ``order_ids``, or
        None.  Amazon's own guide to the Orders API 2026-01-01 says its PII
        comes by the application's roles and needs no RDT (AMAZON_FACTS
        §11; "Access Orders PII"), while v0 needed one: a refusal of the
        Tokens API must not stop an order from being imported, so a refused
        RDT means reading the orders with the seller's token (what Amazon
        then shows is what the roles allow).  A transient failure is left to
        the job edge like any other call."""
        if not order_ids:
            return None
        try:
            return TokensApi(client).restricted_data_token(
                [order_resource(order_id, PII_ELEMENTS) for order_id in order_ids]
            )
        except AmazonRefused as err:
            _logger.info(
                "Amazon account %s: no Restricted Data Token (%s); orders are "
                "read with the seller's token",
                self.id,
                err.status,
            )
            return None

    def _amazon_read_orders(self, client, order_ids):
        """Yield ``(order id, getOrder's order)`` of each of ``order_ids``,
        the ones without a sale order read with a Restricted Data Token."""
        self.ensure_one()
        order_ids = list(dict.fromkeys(order_ids))
        with_sale = set(
            self.env["marketplace.order"]
            .search(
                [
                    ("account_id", "=", self.id),
                    ("remote_order_id", "in", order_ids),
                    ("sale_order_id", "!=", False),
                ]
            )
            .mapped("remote_order_id")
        )
        orders_api = OrdersApi(client)
        for start in range(0, len(order_ids), RDT_MAX_RESOURCES):
            chunk = order_ids[start : start + RDT_MAX_RESOURCES]
            restricted = [i for i in chunk if i not in with_sale]
            token = self._amazon_restricted_token(client, restricted)
            for order_id in chunk:
                yield (
                    order_id,
                    orders_api.get_order(
                        order_id,
                        included_data=ORDER_DATA,
                        restricted_data_token=token if order_id in restricted else None,
                    ),
                )
            token = None
