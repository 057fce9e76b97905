"""Amazon's steps of the account set-up checklist: the marketplaces the
seller sells in and notifications through the seller's SQS queue, each
computed from what the account holds (see
models/marketplace/marketplace_account_checklist.py), and Amazon's
notification topics in words."""

from odoo import api, fields, models

from ...amazon.notifications import ORDER_CHANGE
from ..marketplace.marketplace_account_checklist import SETUP_STATES

AMAZON_SETUP_FIELDS = (
    "amazon_setup_marketplaces_state",
    "amazon_setup_marketplaces_hint",
    "amazon_setup_notifications_state",
    "amazon_setup_notifications_hint",
)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_setup_marketplaces_state = fields.Selection(
        SETUP_STATES, string="Marketplaces", compute="_compute_amazon_setup"
    )
    amazon_setup_marketplaces_hint = fields.Char(compute="_compute_amazon_setup")
    amazon_setup_notifications_state = fields.Selection(
        SETUP_STATES, string="Notifications (SQS)", compute="_compute_amazon_setup"
    )
    amazon_setup_notifications_hint = fields.Char(compute="_compute_amazon_setup")

    @api.depends(
        "channel",
        "state",
        "amazon_participation_ids.selected",
        "amazon_participation_ids.participating",
        "amazon_participation_ids.has_suspended_listings",
        "amazon_notification_destination_id",
        "amazon_order_subscription_id",
    )
    def _compute_amazon_setup(self):
        for account in self:
            if account.channel != "amazon":
                account.update(dict.fromkeys(AMAZON_SETUP_FIELDS, False))
                continue
            account.update(account._amazon_setup_marketplaces())
            account.update(account._amazon_setup_notifications())

    def _amazon_setup_marketplaces(self):
        _ = self.env._
        participations = self.amazon_participation_ids.sudo()
        selected = participations.filtered("selected")
        suspended = selected.filtered("has_suspended_listings")
        if not participations:
            state, hint = (
                "todo",
                _(
                    "Read the marketplaces you sell in from Amazon (they arrive "
                    "when the account is connected)."
                ),
            )
        elif suspended:
            state, hint = (
                "problem",
                _(
                    "Amazon has suspended listings in %(names)s: see Seller Central.",
                    names=", ".join(suspended.mapped("name")),
                ),
            )
        elif selected:
            state, hint = (
                "done",
                _("Selling in %(names)s.", names=", ".join(selected.mapped("name"))),
            )
        else:
            state, hint = (
                "problem",
                _("Choose at least one marketplace to sell in (tick Sell here)."),
            )
        return {
            "amazon_setup_marketplaces_state": state,
            "amazon_setup_marketplaces_hint": hint,
        }

    def _amazon_setup_notifications(self):
        _ = self.env._
        missing = self._amazon_sqs_missing()
        if self._amazon_notifications_ready():
            state, hint = (
                "done",
                _("Amazon tells Odoo of order changes through your SQS queue."),
            )
        elif self.amazon_order_subscription_id:
            state, hint = "problem", _("The queue changed: set up notifications again.")
        elif missing:
            state, hint = (
                "todo",
                _(
                    "In the Amazon notifications tab, enter %(missing)s, then set "
                    "up notifications.",
                    missing=", ".join(missing),
                ),
            )
        else:
            state, hint = (
                "todo",
                _("Set up notifications so order changes arrive within a minute."),
            )
        return {
            "amazon_setup_notifications_state": state,
            "amazon_setup_notifications_hint": hint,
        }

    def _marketplace_topic_labels(self):
        if self[:1].channel != "amazon":
            return super()._marketplace_topic_labels()
        return {ORDER_CHANGE: self.env._("Order changes")}

    def _marketplace_setup_channel_steps(self):
        if self.channel != "amazon":
            return super()._marketplace_setup_channel_steps()
        return [
            (self.amazon_setup_marketplaces_state, self.amazon_setup_marketplaces_hint),
            (
                self.amazon_setup_notifications_state,
                self.amazon_setup_notifications_hint,
            ),
        ]
