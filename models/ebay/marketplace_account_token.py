"""eBay's tokens of an account: the user token and the application token,
refreshed one worker at a time, and what eBay's refusal of a refresh does."""

import logging

from odoo import fields, models

from ...ebay import EbayAuthError
from ..marketplace.timestamps import epoch_to_datetime

_logger = logging.getLogger(__name__)


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    ebay_app_token_expires_at = fields.Datetime(
        string="Application token expires", compute="_compute_ebay_app_token_expiry"
    )

    def _compute_ebay_app_token_expiry(self):
        # Read from the vault rows, like the neutral expiries.
        tokens = (
            self.env["marketplace.secret"]
            .sudo()
            .search([("account_id", "in", self.ids), ("kind", "=", "app_access")])
        )
        expiries = {t.account_id.id: t.expires_at for t in tokens}
        for account in self:
            account.ebay_app_token_expires_at = expiries.get(account.id)

    def _marketplace_token_kinds(self):
        kinds = super()._marketplace_token_kinds()
        if self.channel != "ebay":
            return kinds
        return (*kinds, "app_access")

    def _get_user_access_token(self, force_refresh=False):
        """A valid user access token, refreshed ahead of expiry when needed."""
        self.ensure_one()
        self._check_can_call()
        token, expires_at = self.env["marketplace.secret"]._read_secret(
            self, "user_access"
        )
        if token and not force_refresh and self._still_valid(expires_at):
            return token
        return self._refresh_token_locked("user_access", stale_token=token)

    def _get_app_access_token(self, force_refresh=False):
        """The application token (client credentials), cached until it expires."""
        self.ensure_one()
        # Minting one is a call with the app's secret: not for a stopped account.
        self._check_can_call()
        token, expires_at = self.env["marketplace.secret"]._read_secret(
            self, "app_access"
        )
        if token and not force_refresh and self._still_valid(expires_at):
            return token
        return self._refresh_token_locked("app_access", stale_token=token)

    # -- the refresh lock's hooks (models/marketplace/marketplace_account_token.py)
    def _marketplace_mint_token(self, kind):
        if self.channel != "ebay":
            return super()._marketplace_mint_token(kind)
        return self._mint_token(kind)

    def _marketplace_token_refused(self, kind, exc):
        if self.channel != "ebay" or not isinstance(exc, EbayAuthError):
            return super()._marketplace_token_refused(kind, exc)
        if kind == "user_access" and (
            exc.needs_reauthorisation or exc.oauth_error == "invalid_client"
        ):
            self._set_needs_reauthorisation(exc.user_message)
        else:
            self._write_system({"last_error": exc.user_message})
        return True

    def _mint_token(self, kind):
        """Ask eBay for a new token of ``kind``; store it; return it."""
        Token = self.env["marketplace.secret"]
        oauth = self._oauth_client()
        if kind == "app_access":
            tokens = oauth.application_token()
            expiry = epoch_to_datetime(tokens.access_expires_at)
            Token._store(self, "app_access", tokens.access_token, expiry)
            _logger.info("eBay application token renewed for account %s", self.id)
            return tokens.access_token
        refresh_token, _expiry = Token._read_secret(self, "user_refresh")
        if not refresh_token:
            raise EbayAuthError(
                self.env._("No refresh token is stored; connect the account."),
                oauth_error="invalid_grant",
            )
        tokens = oauth.refresh(refresh_token, self._scope_list())
        expiry = epoch_to_datetime(tokens.access_expires_at)
        Token._store(self, "user_access", tokens.access_token, expiry)
        _logger.info("eBay user token refreshed for account %s", self.id)
        return tokens.access_token

    def _set_needs_reauthorisation(self, reason):
        """eBay refused our refresh token: stop calls and ask a manager."""
        self.ensure_one()
        self.env["marketplace.secret"]._drop(self, kinds=("user_access",))
        self._write_system({"state": "reauth", "last_error": reason})
        # One open alert per cause: a second refusal adds nothing.
        self._alert(
            "token_revoked",
            True,
            self.env._("Reconnect eBay account %(name)s", name=self.name),
            self.env._(
                "eBay refused to renew the access of this account (%(reason)s). "
                "Nothing is sent to eBay until a manager opens the account and "
                "clicks Reconnect eBay to grant access again.",
                reason=reason,
            ),
        )
        _logger.warning("eBay account %s needs re-authorisation", self.id)
