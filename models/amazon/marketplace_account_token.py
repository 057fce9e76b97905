"""Amazon's LWA access token of an account: refreshed ahead of expiry under
the neutral refresh lock (one LWA call however many workers need it), and
what LWA's refusal of a refresh does to the account."""

import logging

from odoo import models

from ...amazon import AmazonAuthError, AmazonClientSecretError
from ..marketplace.timestamps import epoch_to_datetime

_logger = logging.getLogger(__name__)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _amazon_access_token(self, force_refresh=False):
        """A valid LWA access token, refreshed ahead of expiry when needed.

        The SP-API client calls it before each request (``force_refresh``
        after a 403 that says the token is no longer accepted).
        """
        self.ensure_one()
        self._amazon_check_can_call()
        token, expires_at = self.env["marketplace.secret"]._read_secret(
            self, "user_access"
        )
        if token and not force_refresh and self._still_valid(expires_at):
            return token
        return self._refresh_token_locked("user_access", stale_token=token)

    # -- the refresh lock's hooks (models/marketplace/marketplace_account_token.py)
    def _marketplace_mint_token(self, kind):
        if self.channel != "amazon":
            return super()._marketplace_mint_token(kind)
        if kind != "user_access":
            raise NotImplementedError(f"Amazon mints no {kind!r} token")
        # Checked again under the lock: a worker that waited for it may find
        # the account stopped by the refusal another worker just met.
        self._amazon_check_can_call()
        Secret = self.env["marketplace.secret"]
        refresh_token, _expiry = Secret._read_secret(self, "user_refresh")
        if not refresh_token:
            raise AmazonAuthError(
                self.env._("No refresh token is stored; connect the account.")
            )
        token = self._amazon_lwa_client().refresh(refresh_token)
        self._amazon_store_access_token(token)
        _logger.info("Amazon access token refreshed for account %s", self.id)
        return token.access_token

    def _marketplace_token_refused(self, kind, exc):
        if self.channel != "amazon" or not isinstance(exc, AmazonAuthError):
            return super()._marketplace_token_refused(kind, exc)
        if self.state != "connected":
            return True  # stopped already: its state and alert say why
        # Checked first: an expired secret may also be an auth error.
        if isinstance(exc, AmazonClientSecretError):
            self._amazon_set_client_secret_refused(exc)
        else:
            self._amazon_set_needs_reauthorisation(exc)
        return True

    def _amazon_store_access_token(self, token):
        """Vault an :class:`LwaToken`'s access token with its expiry."""
        expiry = epoch_to_datetime(token.expires_at)
        self.env["marketplace.secret"]._store(
            self, "user_access", token.access_token, expiry
        )

    def _amazon_set_needs_reauthorisation(self, exc):
        """LWA refused the refresh token (invalid_grant, unauthorized_client):
        the seller withdrew the authorisation.  Stop calls, ask a manager."""
        self.ensure_one()
        reason = exc.user_message
        self.env["marketplace.secret"]._drop(self, kinds=("user_access",))
        self._write_system({"state": "reauth", "last_error": reason})
        # One open alert per cause: a second refusal adds nothing.
        self._alert(
            "token_revoked",
            True,
            self.env._("Reconnect Amazon account %(name)s", name=self.name),
            self.env._(
                "Amazon refused to renew the access of this account "
                "(%(reason)s). Nothing is sent to Amazon until a manager opens "
                "the account and clicks Reconnect Amazon to authorise the app "
                "again.",
                reason=reason,
            ),
        )
        _logger.warning("Amazon account %s needs re-authorisation", self.id)

    def _amazon_set_client_secret_refused(self, exc):
        """LWA refused the app's client secret (invalid_client: expired or
        rotated away).  The seller's authorisation is intact (refresh tokens
        survive a rotation): the account waits for a manager to enter the
        new secret, then works again without a new consent."""
        self.ensure_one()
        reason = exc.user_message
        self.env["marketplace.secret"]._drop(self, kinds=("user_access",))
        self._write_system({"state": "error", "last_error": reason})
        self._alert(
            "amazon_client_secret_expired",
            True,
            self.env._(
                "Enter the new LWA client secret of Amazon account %(name)s",
                name=self.name,
            ),
            self.env._(
                "Amazon no longer accepts this application's LWA client secret "
                "(%(reason)s). Rotate the secret in Seller Central's Developer "
                "Central, then open the account, click Reconnect Amazon and "
                "enter the new secret; the seller does not need to authorise "
                "again.",
                reason=reason,
            ),
        )
        _logger.warning("Amazon account %s: LWA client secret refused", self.id)
