"""Alerts follow the dead letters of listings: one that keeps failing is
raised, and cleared when it works again, is deleted or its letter ignored."""

from odoo import models

from ..res_config_settings import get_setting


class MarketplaceDeadLetter(models.Model):
    """A listing keeps failing: its letter counts the failures in a row."""

    _inherit = "marketplace.dead.letter"

    def _listing_letters(self):
        return self.filtered(
            lambda x: (
                x.res_model in self.env
                and getattr(self.env[x.res_model], "_dead_letter_is_listing", False)
            )
        )

    def _after_failure(self):
        super()._after_failure()
        threshold = get_setting(self.env, "listing_failure_alert_count")
        for letter in self._listing_letters():
            if letter.failure_count < threshold:
                continue
            record = letter._source_ref()
            letter.account_id._alert(
                "listing_failing",
                True,
                self.env._(
                    "%(channel)s listing %(name)s keeps failing",
                    channel=letter.account_id._channel_label(),
                    name=letter.name,
                ),
                self.env._(
                    "%(n)s failed tries in a row. Last error: %(error)s",
                    n=letter.failure_count,
                    error=letter.error or "",
                ),
                record=record,
            )

    def _after_recovery(self):
        super()._after_recovery()
        reason = (
            self.env._("the listing was deleted")
            if self.env.context.get("marketplace_source_deleted")
            else self.env._("the listing works again")
        )
        for letter in self._listing_letters():
            letter.account_id._alert(
                "listing_failing",
                False,
                record=letter._source_ref(),
                reason=reason,
            )

    def _after_ignore(self):
        super()._after_ignore()
        for letter in self._listing_letters():
            letter.account_id._alert(
                "listing_failing",
                False,
                record=letter._source_ref(),
                reason=self.env._("ignored by %(user)s", user=self.env.user.name),
            )
