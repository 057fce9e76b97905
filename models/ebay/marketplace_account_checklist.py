"""eBay's steps of the account set-up checklist (business policies, the
inventory location, notifications), each computed from what the account
holds (see models/marketplace/marketplace_account_checklist.py), and eBay's
notification topics in words."""

from odoo import api, fields, models

from ..marketplace.marketplace_account_checklist import SETUP_STATES
from .notification_common import ACCOUNT_DELETION_TOPIC, ORDER_TOPIC, TOPICS

EBAY_SETUP_FIELDS = (
    "ebay_setup_policies_state",
    "ebay_setup_policies_hint",
    "ebay_setup_location_state",
    "ebay_setup_location_hint",
    "ebay_setup_notifications_state",
    "ebay_setup_notifications_hint",
)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_setup_policies_state = fields.Selection(
        SETUP_STATES, string="Business policies", compute="_compute_ebay_setup"
    )
    ebay_setup_policies_hint = fields.Char(compute="_compute_ebay_setup")
    ebay_setup_location_state = fields.Selection(
        SETUP_STATES, string="Inventory location", compute="_compute_ebay_setup"
    )
    ebay_setup_location_hint = fields.Char(compute="_compute_ebay_setup")
    ebay_setup_notifications_state = fields.Selection(
        SETUP_STATES, string="Notifications", compute="_compute_ebay_setup"
    )
    ebay_setup_notifications_hint = fields.Char(compute="_compute_ebay_setup")
    ebay_notification_topics = fields.Char(
        string="Notifications received",
        compute="_compute_ebay_notification_topics",
        help="What eBay tells this Odoo as it happens.",
    )

    @api.depends("ebay_notification_subscriptions")
    def _compute_ebay_notification_topics(self):
        labels = self._ebay_topic_labels()
        for account in self:
            account.ebay_notification_topics = ", ".join(
                labels.get(topic, topic)
                for topic in sorted(account._ebay_subscribed_topics())
            )

    def _marketplace_topic_labels(self):
        if self[:1].channel != "ebay":
            return super()._marketplace_topic_labels()
        return self._ebay_topic_labels()

    def _ebay_topic_labels(self):
        """eBay's notification topics Odoo subscribes to, as a seller reads them."""
        return {
            ORDER_TOPIC: self.env._("New orders"),
            ACCOUNT_DELETION_TOPIC: self.env._("Account deletion requests"),
        }

    def _ebay_subscribed_topics(self):
        self.ensure_one()
        return set(
            filter(None, (self.ebay_notification_subscriptions or "").split(","))
        )

    @api.depends(
        "channel",
        "state",
        "ebay_business_policies_opted_in",
        "ebay_fulfillment_policy_id",
        "ebay_payment_policy_id",
        "ebay_return_policy_id",
        "ebay_merchant_location_key",
        "warehouse_id.partner_id.zip",
        "warehouse_id.partner_id.country_id",
        "ebay_notification_destination_id",
        "ebay_notification_subscriptions",
        "ebay_notification_setup_error",
    )
    def _compute_ebay_setup(self):
        for account in self:
            if account.channel != "ebay":
                account.update(dict.fromkeys(EBAY_SETUP_FIELDS, False))
                continue
            account.update(account._ebay_setup_policies())
            account.update(account._ebay_setup_location())
            account.update(account._ebay_setup_notifications())

    def _ebay_setup_policies(self):
        _ = self.env._
        defaults = (
            self.ebay_fulfillment_policy_id,
            self.ebay_payment_policy_id,
            self.ebay_return_policy_id,
        )
        if not self.ebay_business_policies_opted_in:
            state, hint = (
                "todo",
                _(
                    "Opt in to business policies: eBay's listings need a shipping, "
                    "a payment and a return policy."
                ),
            )
        elif all(defaults):
            state, hint = (
                "done",
                _(
                    "Listings use %(shipping)s, %(payment)s and %(returns)s.",
                    shipping=defaults[0].name,
                    payment=defaults[1].name,
                    returns=defaults[2].name,
                ),
            )
        else:
            state, hint = (
                "todo",
                _(
                    "Read your policies from eBay (or add them under Seller setup), "
                    "then choose a shipping, a payment and a return policy."
                ),
            )
        return {"ebay_setup_policies_state": state, "ebay_setup_policies_hint": hint}

    def _ebay_setup_location(self):
        _ = self.env._
        partner = self.warehouse_id.partner_id
        if self.ebay_merchant_location_key:
            state, hint = (
                "done",
                _("Items ship from warehouse %(wh)s.", wh=self.warehouse_id.name or ""),
            )
        elif not self.warehouse_id:
            state, hint = "problem", _("Choose the warehouse the items ship from.")
        elif not partner.zip or not partner.country_id:
            state, hint = (
                "problem",
                _(
                    "Give warehouse %(wh)s an address with a postal code and a "
                    "country: eBay needs them.",
                    wh=self.warehouse_id.name,
                ),
            )
        else:
            state, hint = (
                "todo",
                _(
                    "Tell eBay where items ship from: create the location from "
                    "warehouse %(wh)s.",
                    wh=self.warehouse_id.name,
                ),
            )
        return {"ebay_setup_location_state": state, "ebay_setup_location_hint": hint}

    def _ebay_setup_notifications(self):
        _ = self.env._
        subscribed = self._ebay_subscribed_topics()
        if self.ebay_notification_destination_id and subscribed >= set(TOPICS):
            state, hint = "done", _("eBay tells Odoo of new orders as they happen.")
        elif self.ebay_notification_setup_error:
            state, hint = (
                "problem",
                _(
                    "eBay notifications could not be set up: %(reason)s",
                    reason=self.ebay_notification_setup_error,
                ),
            )
        elif self._ebay_notifications_setup_under_way():
            state, hint = (
                "todo",
                _(
                    "Odoo is asking eBay to send it notifications; this step shows "
                    "Done once eBay has checked it can reach this Odoo."
                ),
            )
        elif self.ebay_notification_destination_id or subscribed:
            state, hint = (
                "problem",
                _("Some notifications are missing: set them up again."),
            )
        else:
            state, hint = (
                "todo",
                _("Set up notifications so new orders arrive within seconds."),
            )
        return {
            "ebay_setup_notifications_state": state,
            "ebay_setup_notifications_hint": hint,
        }

    def _marketplace_setup_channel_steps(self):
        if self.channel != "ebay":
            return super()._marketplace_setup_channel_steps()
        return [
            (self.ebay_setup_policies_state, self.ebay_setup_policies_hint),
            (self.ebay_setup_location_state, self.ebay_setup_location_hint),
            (self.ebay_setup_notifications_state, self.ebay_setup_notifications_hint),
        ]
