"""Alerts for the account's managers: one open alert per cause, never a storm.

An alert is raised with a chatter message (managers mentioned) and one
activity per manager on the account, where people already look.  Raising a
cause that is already open does nothing; clearing it marks its activities
done and says so in the chatter.  Conditions that have no event of their own
(consent about to expire, order import late) are checked by a cron; the
others (revoked authorisation, a listing that keeps failing, drift) are
raised and cleared where they happen.
"""

from markupsafe import Markup, escape
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models

ALERT_CAUSES = [
    ("token_expiring", "Consent about to expire"),
    ("token_revoked", "Authorisation revoked"),
    ("listing_failing", "Listing keeps failing"),
    ("order_import_late", "Order import late"),
    ("drift_found", "Stock or price drift"),
]
ACTIVITY_TYPE = "marketplace_connector.mail_activity_type_marketplace_attention"


def text_to_html(text):
    """Plain text as HTML that shows it and never runs it.

    Notes carry the marketplace's error texts and buyers' data: every character is
    escaped (an ``<a href>`` or ``<img>`` shows as text), line breaks are
    kept, and nothing becomes a link (``plaintext2html`` would link URLs).
    """
    return Markup("<br/>").join(escape(line) for line in (text or "").splitlines())


class MarketplaceAlert(models.Model):
    _name = "marketplace.alert"
    _description = "Marketplace Alert"
    _order = "state, raised_at desc, id desc"
    _inherit = ["marketplace.issue.mixin"]

    # Raised and cleared by the connector (as the system), never by hand.
    cause = fields.Selection(
        ALERT_CAUSES, required=True, readonly=True, system_field=True
    )
    res_model = fields.Char(string="About model")
    res_id = fields.Many2oneReference(string="About")
    note = fields.Text(readonly=True, system_field=True)
    raised_at = fields.Datetime(
        readonly=True, default=fields.Datetime.now, system_field=True
    )
    cleared_at = fields.Datetime(readonly=True, system_field=True)
    clear_reason = fields.Char(readonly=True, system_field=True)
    activity_ids = fields.Many2many("mail.activity", readonly=True, system_field=True)

    def _issue_states(self):
        return [("open", "Open"), ("cleared", "Cleared")]

    def init(self):
        # The database holds the "one open alert per cause" rule, so two
        # workers raising the same cause at once cannot both succeed.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS marketplace_alert_one_open_per_cause
            ON marketplace_alert (account_id, cause, res_model, res_id)
            WHERE state = 'open'
            """
        )

    @api.model
    def _open_for(self, account, cause, record):
        return self.search(
            [
                ("account_id", "=", account.id),
                ("cause", "=", cause),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "=", "open"),
            ],
            limit=1,
        )

    @api.model
    def _raise(self, account, cause, summary, note, record=None):
        """Open the alert unless it is open already; returns it either way."""
        record = record or account
        Alert = self.sudo()
        alert = Alert._open_for(account, cause, record)
        if alert:
            return alert
        try:
            # Another worker may raise the same cause at the same moment: the
            # unique index lets one win, the other is not an error.
            with self.env.cr.savepoint():
                alert = Alert.create(
                    {
                        "name": summary,
                        "account_id": account.id,
                        "cause": cause,
                        "res_model": record._name,
                        "res_id": record.id,
                        "note": note,
                    }
                )
        except UniqueViolation:
            return Alert._open_for(account, cause, record)
        managers = account._alert_managers()
        account = account.sudo()
        account.message_post(
            body=text_to_html(
                self.env._("%(summary)s. %(note)s", summary=summary, note=note)
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        activities = self.env["mail.activity"]
        for user in managers:
            # The activity's note is HTML: escaped here, not merely sanitised.
            activities |= account.activity_schedule(
                ACTIVITY_TYPE, summary=summary, note=text_to_html(note), user_id=user.id
            )
        alert.activity_ids = activities
        return alert

    @api.model
    def _clear(self, account, cause, reason, record=None):
        """Close the open alert of this cause, if any."""
        record = record or account
        alert = self.sudo()._open_for(account, cause, record)
        if not alert:
            return alert
        alert.write(
            {
                "state": "cleared",
                "cleared_at": fields.Datetime.now(),
                "clear_reason": reason,
            }
        )
        alert.activity_ids.exists().action_feedback(feedback=reason)
        account.sudo().message_post(
            body=text_to_html(
                self.env._(
                    "Cleared: %(name)s (%(reason)s).", name=alert.name, reason=reason
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        return alert
