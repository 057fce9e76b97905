"""Amazon's side of the notification inbox: an ORDER_CHANGE re-reads its
order through the Orders API (the message is never trusted for order data).

The SQS poll's processing job (marketplace_account_notification.py) handles
every new ORDER_CHANGE of an account at once; this hook serves the neutral
per-notification job, so that a notification processed that way is read,
not ignored.
"""

from odoo import models

from ...amazon.notifications import ORDER_CHANGE


class MarketplaceNotification(models.Model):
    _inherit = "marketplace.notification"

    def _marketplace_process(self, data):
        if self.account_id.channel != "amazon" or self.topic != ORDER_CHANGE:
            return super()._marketplace_process(data)
        order_id = data.get("order_id")
        if not order_id:
            return "no order id", None
        account = self.account_id.with_company(self.account_id.company_id)
        with account._job_edge(record=self, operation="getOrder") as edge:
            account._amazon_import_orders(edge, [order_id])
        if edge.failed:
            return edge.message, edge
        return f"order {order_id} re-read", edge

    def _marketplace_kept_data(self, data):
        if self.account_id.channel != "amazon":
            return super()._marketplace_kept_data(data)
        # Only what names the order: the order itself holds the sale's data.
        kept = {k: data[k] for k in ("order_id", "change_type") if data.get(k)}
        return kept or None
