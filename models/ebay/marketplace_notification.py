"""eBay's side of the notification inbox: its topics and its signing keys.

An ORDER_CONFIRMATION re-reads the order from the Fulfillment API (the body
is never trusted for order data); a MARKETPLACE_ACCOUNT_DELETION forgets the
buyer it names.
"""

import time

from odoo import api, models
from odoo.exceptions import UserError

from ...ebay import EbayClient, EbayError, EbayNotFound
from ...ebay.fulfillment import ORDER_IDS_LIMIT, FulfillmentApi
from ...ebay.notification import NotificationApi, SignatureError
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
        up to 50 a getOrders call, and import each batch together."""
        outcomes, by_order = {}, {}
        for notification in self:
            order_id = notification._data().get("orderId")
            if order_id:
                by_order.setdefault(order_id, []).append(notification)
            else:
                outcomes[notification.id] = ("no order id", "done")
        account = self.account_id.with_company(self.account_id.company_id)
        order_ids = list(by_order)
        Order = self.env["marketplace.order"]
        for start in range(0, len(order_ids), ORDER_IDS_LIMIT):
            chunk = order_ids[start : start + ORDER_IDS_LIMIT]
            served = self.browse([n.id for i in chunk for n in by_order[i]])
            with account._job_edge(record=served, operation="getOrders") as edge:
                orders = FulfillmentApi(edge.client).get_orders_by_ids(chunk)
            if edge.failed:
                # Refused: in error.  Retrying, or out of tries (the job is in
                # the dead-letter inbox): still new, with the reason, so that
                # the next try, the requeued job or the next notification's
                # job reads them; the chunks not read yet wait with them.
                waiting = edge.retrying or edge.gave_up
                state = "new" if waiting else "error"
                rest = order_ids[start:] if waiting else chunk
                for order_id in rest:
                    for notification in by_order[order_id]:
                        outcomes[notification.id] = (edge.message, state)
                if waiting:
                    break
                continue
            staged = {
                row.remote_order_id: row
                for row in Order._import_payloads(account, orders)
            }
            for order_id in chunk:
                row = staged.get(order_id)
                result = (
                    f"order {order_id}: {row.state}"
                    if row
                    else f"order {order_id}: eBay does not know this order"
                )
                for notification in by_order[order_id]:
                    outcomes[notification.id] = (result, "done" if row else "error")
        return outcomes

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
