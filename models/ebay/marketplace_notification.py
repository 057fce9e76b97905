"""eBay's side of the notification inbox: its topics and its signing keys.

An ORDER_CONFIRMATION re-reads the order from the Fulfillment API (the body
is never trusted for order data); a MARKETPLACE_ACCOUNT_DELETION forgets the
buyer it names.
"""

import logging
import time

from odoo import api, models
from odoo.exceptions import UserError

from ...ebay import EbayClient, EbayError, EbayNotFound
from ...ebay.errors import EbayValidationError
from ...ebay.fulfillment import ORDER_IDS_LIMIT, FulfillmentApi
from ...ebay.notification import NotificationApi, SignatureError
from ...ebay.paths import path_segment
from ..marketplace.http_session import http_session
from .ebay_environment import fixed_endpoints
from .notification_common import (
    ACCOUNT_DELETION_TOPIC,
    KEY_CACHE_SECONDS,
    ORDER_TOPIC,
    UNKNOWN_KEY_CACHE_SECONDS,
    KeyUnavailable,
    key_fields,
    public_keys,
)

_logger = logging.getLogger(__name__)


def _askable(order_id):
    """True when ``order_id`` can be asked of eBay (in a path or in
    getOrders' comma-separated list)."""
    if not isinstance(order_id, str) or "," in order_id:
        return False
    try:
        path_segment(order_id, "order id")
    except EbayValidationError:
        return False
    return True


def _ebay_refused(order_ids, by_order, edge, outcomes):
    """eBay refused reading ``order_ids``: their notifications in error."""
    for order_id in order_ids:
        for notification in by_order[order_id]:
            outcomes[notification.id] = (edge.message, "error")


def _ebay_wait(order_ids, by_order, edge, outcomes):
    """eBay could not be reached for ``order_ids``: their notifications stay
    new, with the reason.  Retrying: the job's next try takes them again;
    out of tries: the job is in the dead-letter inbox (its Requeue takes
    them again), and the next job of the account (the next notification's,
    or the one the order poll queues) takes them first, oldest first."""
    for order_id in order_ids:
        for notification in by_order[order_id]:
            outcomes[notification.id] = (edge.message, "new")


class MarketplaceNotification(models.Model):
    _inherit = "marketplace.notification"

    def _marketplace_process(self, data):
        if self.account_id.channel != "ebay":
            return super()._marketplace_process(data)
        if self.topic == ORDER_TOPIC:
            return self._ebay_process_order(data)
        if self.topic == ACCOUNT_DELETION_TOPIC:
            return self._ebay_process_account_deletion(data), None
        return super()._marketplace_process(data)

    def _marketplace_process_batch(self):
        orders = self.filtered(
            lambda n: n.account_id.channel == "ebay" and n.topic == ORDER_TOPIC
        )
        outcomes = super(
            MarketplaceNotification, self - orders
        )._marketplace_process_batch()
        for account in orders.account_id:
            outcomes.update(
                orders.filtered(
                    lambda n, a=account: n.account_id == a
                )._ebay_process_orders()
            )
        return outcomes

    def _ebay_process_orders(self):
        """Re-read the orders these ORDER_CONFIRMATIONs (of one account) name,
        up to 50 a getOrders call, and import each batch together.  What
        fails for one order (an id eBay cannot be asked for, a refusal, data
        Odoo cannot read) puts only its notifications in error."""
        outcomes, by_order = {}, {}
        for notification in self:
            order_id = notification._data().get("orderId")
            if not order_id:
                outcomes[notification.id] = ("no order id", "done")
            elif not _askable(order_id):
                outcomes[notification.id] = (
                    self.env._(
                        "eBay named an order id Odoo cannot ask eBay for: "
                        "nothing was imported. If the order exists, the "
                        "order poll imports it."
                    ),
                    "error",
                )
            else:
                by_order.setdefault(order_id, []).append(notification)
        account = self.account_id.with_company(self.account_id.company_id)
        order_ids = list(by_order)
        for start in range(0, len(order_ids), ORDER_IDS_LIMIT):
            chunk = order_ids[start : start + ORDER_IDS_LIMIT]
            read, edge = self._ebay_read_orders(account, chunk, by_order, outcomes)
            self._ebay_import_read(account, read, by_order, outcomes)
            if edge.retrying or edge.gave_up:
                # eBay could not be reached: the chunks not read yet wait
                # with the one that failed (see _ebay_wait).
                _ebay_wait(
                    order_ids[start + ORDER_IDS_LIMIT :], by_order, edge, outcomes
                )
                break
        return outcomes

    def _ebay_read_orders(self, account, chunk, by_order, outcomes):
        """``([(order id, eBay's order)], last job edge)`` of reading the
        orders ``chunk`` in one getOrders call; when eBay refuses a call of
        several ids, each is read on its own (getOrder), so that one id eBay
        refuses puts only its own notifications in error."""
        served = self.browse([n.id for i in chunk for n in by_order[i]])
        with account._job_edge(record=served, operation="getOrders") as edge:
            orders = FulfillmentApi(edge.client).get_orders_by_ids(chunk)
        if not edge.failed:
            answered = {order.get("orderId"): order for order in orders}
            for order_id in chunk:
                if order_id not in answered:
                    for notification in by_order[order_id]:
                        outcomes[notification.id] = (
                            f"order {order_id}: eBay does not know this order",
                            "error",
                        )
            return [(i, answered[i]) for i in chunk if i in answered], edge
        if edge.refused and len(chunk) > 1:
            return self._ebay_read_orders_one_by_one(account, chunk, by_order, outcomes)
        if edge.refused:
            _ebay_refused(chunk, by_order, edge, outcomes)
        else:
            _ebay_wait(chunk, by_order, edge, outcomes)
        return [], edge

    def _ebay_read_orders_one_by_one(self, account, chunk, by_order, outcomes):
        read = []
        for position, order_id in enumerate(chunk):
            served = self.browse([n.id for n in by_order[order_id]])
            with account._job_edge(record=served, operation="getOrder") as edge:
                order = FulfillmentApi(edge.client).get_order(order_id)
            if not edge.failed:
                read.append((order_id, order))
            elif edge.refused:
                _ebay_refused([order_id], by_order, edge, outcomes)
            else:
                _ebay_wait(chunk[position:], by_order, edge, outcomes)
                break
        return read, edge

    def _ebay_import_read(self, account, read, by_order, outcomes):
        """Import the orders ``read`` together and record each one's outcome
        for its notifications; an order whose data Odoo cannot read is left
        out (its notifications in error), the others are imported."""
        Order = self.env["marketplace.order"]
        values_list = []
        for order_id, data in read:
            try:
                values_list.append(Order._marketplace_order_values(account, data))
            except Exception as exc:  # noqa: BLE001 (its notifications say so)
                _logger.warning(
                    "eBay order %s of account %s: its data could not be read (%s)",
                    order_id,
                    account.id,
                    type(exc).__name__,
                )
                for notification in by_order[order_id]:
                    outcomes[notification.id] = (
                        self.env._(
                            "Odoo could not read eBay's data for order "
                            "%(order)s (%(error)s): it was not imported. The "
                            "order poll reads it again; if this stays, report "
                            "it to whoever maintains the connector.",
                            order=order_id,
                            error=type(exc).__name__,
                        ),
                        "error",
                    )
        staged = {
            row.remote_order_id: row for row in Order._import_many(account, values_list)
        }
        for order_id, _data in read:
            row = staged.get(order_id)
            if row:
                for notification in by_order[order_id]:
                    outcomes[notification.id] = (
                        f"order {order_id}: {row.state}",
                        "done",
                    )

    def _marketplace_kept_data(self, data):
        if self.account_id.channel != "ebay":
            return super()._marketplace_kept_data(data)
        # An order's notification stays only as its id (the order itself
        # holds what the sale needs); an account deletion forgets the very
        # username it names.
        return {"orderId": data["orderId"]} if data.get("orderId") else None

    def _ebay_process_order(self, data):
        """(result, job edge) of importing the order the notification names."""
        order_id = data.get("orderId")
        if not order_id:
            return "no order id", None
        account = self.account_id.with_company(self.account_id.company_id)
        with account._job_edge(record=self, operation="getOrder") as edge:
            order = FulfillmentApi(edge.client).get_order(order_id)
        if edge.failed:
            return edge.message, edge
        staged = self.env["marketplace.order"]._import_payload(account, order)
        return f"order {order_id}: {staged.state}", edge

    def _ebay_process_account_deletion(self, data):
        """eBay asks to forget a buyer: anonymise that buyer's partners."""
        username = data.get("username")
        if not username:
            return "no username"
        return self._forget_buyer(username)

    # -- signature keys --------------------------------------------------------
    @api.model
    def _ebay_public_key(self, account, kid):
        """eBay's public key for ``kid``: ``(key text, digest)``.

        Asked only of eBay's fixed host for the account's environment (see
        ebay_environment), with the account's application token, and cached
        by (host, kid): an hour when eBay knows the key, a few minutes when
        it does not.  Raises SignatureError for a key eBay does not know and
        KeyUnavailable when it cannot be asked: an account that may not call
        eBay (not connected, or not bound to eBay's host) makes no call and
        mints no token; a key already cached still verifies for it.

        The lookup answers an anonymous request, so it writes no call-log
        row (the structured log line stays): posts cannot fill the table.
        """
        endpoints = fixed_endpoints(account.environment)
        if endpoints is None:
            raise KeyUnavailable("the account's eBay environment is not enabled")
        cache_key = (endpoints.api, kid)
        cached = public_keys.get(cache_key)
        if cached and cached[0] > time.time():
            if cached[1] is None:
                raise SignatureError("unknown key id")
            return cached[1], cached[2]
        self._ebay_check_may_fetch_key(account, endpoints)
        client = EbayClient(
            endpoints,
            token_provider=account._get_app_access_token,
            session=http_session(),
            marketplace_id=account.ebay_marketplace_id,
            log_fields={"account": account.id},
        )
        try:
            data = NotificationApi(client).get_public_key(kid)
        except EbayNotFound as err:
            expires = time.time() + UNKNOWN_KEY_CACHE_SECONDS
            public_keys[cache_key] = (expires, None, None)
            raise SignatureError("unknown key id") from err
        except EbayError as err:
            reason = f"eBay could not be asked (HTTP {err.status})"
            raise KeyUnavailable(reason, transient=err.retryable) from err
        except UserError as err:  # e.g. no app credentials in the vault
            raise KeyUnavailable("the account cannot ask eBay") from err
        key, digest = key_fields(data)
        public_keys[cache_key] = (time.time() + KEY_CACHE_SECONDS, key, digest)
        return key, digest

    @api.model
    def _ebay_check_may_fetch_key(self, account, endpoints):
        """KeyUnavailable unless ``account`` may ask ``endpoints`` for a key."""
        try:
            account._check_can_call()
        except EbayError as err:
            raise KeyUnavailable("the account may not call eBay") from err
        # The app token is minted at the account's own endpoints: they must
        # be eBay's, or its client secret and token would go elsewhere.
        try:
            bound = account._ebay_endpoints() == endpoints
        except ValueError:
            bound = False
        if not bound:
            raise KeyUnavailable("the account is not bound to eBay's host")
