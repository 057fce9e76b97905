"""The account's set-up checklist, and the words each set-up button ends with.

Every step's state is computed from what the account really is (connected,
what the marketplace holds, live listings), never kept in a flag of its
own: nothing can forget to update it.  The neutral part knows the first
step (connect) and the last (a first live listing); each channel adds the
steps between (:meth:`_marketplace_setup_steps`).
"""

from odoo import api, fields, models

SETUP_STATES = [("done", "Done"), ("todo", "To do"), ("problem", "Problem")]


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    setup_connect_state = fields.Selection(
        SETUP_STATES, string="Connect", compute="_compute_setup_connect"
    )
    setup_connect_hint = fields.Char(
        string="Connect, in words", compute="_compute_setup_connect"
    )
    setup_listing_state = fields.Selection(
        SETUP_STATES, string="First listing", compute="_compute_setup_listing"
    )
    setup_listing_hint = fields.Char(
        string="First listing, in words", compute="_compute_setup_listing"
    )
    setup_next_step = fields.Char(
        string="Next step",
        compute="_compute_setup_next_step",
        help="What to do next to finish setting up this account.",
    )
    setup_done = fields.Boolean(
        string="Set-up complete", compute="_compute_setup_next_step"
    )

    @api.depends("state")
    def _compute_setup_connect(self):
        for account in self:
            channel = account._channel_label() if account.channel else ""
            if account.state == "connected":
                account.setup_connect_state = "done"
                account.setup_connect_hint = self.env._(
                    "Connected to %(channel)s.", channel=channel
                )
            elif account.state in ("reauth", "error"):
                account.setup_connect_state = "problem"
                account.setup_connect_hint = self.env._(
                    "%(channel)s no longer accepts this connection: connect again.",
                    channel=channel,
                )
            else:
                account.setup_connect_state = "todo"
                account.setup_connect_hint = self.env._(
                    "Connect the account on %(channel)s's consent page.",
                    channel=channel,
                )

    def _compute_setup_listing(self):
        # No dependency to declare: listings live in each channel's model;
        # the value is computed when the form is read.
        for account in self:
            model = account.id and account._marketplace_stock_listing_model()
            if not model:
                live = failed = listings = 0
            else:
                Listing = self.env[model].sudo()
                mine = [("account_id", "=", account.id)]
                live = Listing.search_count(mine + [("is_live", "=", True)])
                failed = Listing.search_count(
                    mine + [("state", "in", ("error", "failed"))]
                )
                listings = Listing.search_count(mine)
            if live:
                account.setup_listing_state = "done"
                account.setup_listing_hint = self.env._(
                    "%(count)s listing(s) live.", count=live
                )
            elif failed:
                account.setup_listing_state = "problem"
                account.setup_listing_hint = self.env._(
                    "%(count)s listing(s) refused: open them to see why.",
                    count=failed,
                )
            elif listings:
                account.setup_listing_state = "todo"
                account.setup_listing_hint = self.env._(
                    "Listings are on their way to the marketplace."
                )
            else:
                account.setup_listing_state = "todo"
                account.setup_listing_hint = self.env._(
                    "Choose products, then publish them from the list's Action menu."
                )

    def _marketplace_setup_steps(self):
        """The checklist of this account, in order: ``[(state, hint)]``."""
        self.ensure_one()
        return (
            [(self.setup_connect_state, self.setup_connect_hint)]
            + self._marketplace_setup_channel_steps()
            + [(self.setup_listing_state, self.setup_listing_hint)]
        )

    def _marketplace_setup_channel_steps(self):
        """The channel's own steps, between connect and the first listing:
        ``[(state, hint)]`` (each channel returns its own)."""
        return []

    def _compute_setup_next_step(self):
        for account in self:
            todo = [
                hint
                for state, hint in account._marketplace_setup_steps()
                if state != "done"
            ]
            account.setup_done = not todo
            account.setup_next_step = (
                todo[0] if todo else self.env._("Set-up complete.")
            )

    def _marketplace_topic_labels(self):
        """``{topic: words}`` for the notification topics of this account's
        channel (each channel adds its own; a topic not named shows as is)."""
        return {}

    # -- what a button says when it is done ---------------------------------------
    def _marketplace_notify(self, title, message, next_step=True, kind="success"):
        """A notification in words for the end of a set-up button; with the
        next step of the checklist, and the form reloaded so buttons that no
        longer apply are gone."""
        self.ensure_one()
        if next_step:
            self.invalidate_recordset()
            if not self.setup_done:
                message = self.env._(
                    "%(done)s Next: %(next)s", done=message, next=self.setup_next_step
                )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": False,
                # Closing the (absent) dialog reloads the form behind it.
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_setup_open_products(self):
        """The products to publish (the checklist's last step)."""
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "sale.product_template_action"
        )
