"""What the job edge asks the account's channel (job_edge.py).

Each channel overrides these behind a check of its own channel, the way a
payment provider overrides the transaction's hooks::

    def _marketplace_client(self, on_call=None):
        if self.channel != "mychannel":
            return super()._marketplace_client(on_call=on_call)
        ...
"""

from odoo import models

from ...apiclient import ApiError, TransientError
from .job_edge import REFUSED, TRANSIENT


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _marketplace_client(self, on_call=None):
        """The client every call of this account goes through.

        :param on_call: called with a dict per finished call (operation,
            method, status, error_ids, request_id, duration_ms, attempt,
            message); the job edge passes its own to write the call log.
        """
        raise NotImplementedError(
            f"channel {self.channel!r} offers no client to the job edge"
        )

    def _marketplace_error_outcome(self, exc):
        """What ``exc``, raised inside a job edge, means for the job:
        ``"transient"`` (tried again later), ``"refused"`` (never tried
        again), or None: not the marketplace's answer (a bug, a database
        race), left to queue_job.

        Every channel's client raises apiclient's errors (its own subclass
        them), so this reading serves them all; a channel overrides it only
        for errors of its own that are not apiclient's."""
        if isinstance(exc, TransientError):
            return TRANSIENT
        if isinstance(exc, ApiError):
            return REFUSED
        return None

    def _marketplace_error_message(self, exc):
        """The text for staff about a refusal: what to do, the channel's own
        words.  The channel's errors carry no secret (the clients build them
        from the marketplace's error texts only)."""
        return getattr(exc, "user_message", None) or str(exc)

    def _marketplace_read_only_call(self, call):
        """True when ``call`` (an ``on_call`` dict) changes nothing on the
        marketplace although it is not a GET (a read sent with POST): a lost
        answer to it leaves nothing unknown."""
        return False
