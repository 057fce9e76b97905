"""eBay's tokens of an account: the user token and the application token,
refreshed one worker at a time, and what eBay's refusal of a refresh does."""

import logging
import time

from odoo import api, fields, models

from ... import const
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

    @api.model
    def _still_valid(self, expires_at):
        margin = const.TOKEN_REFRESH_MARGIN_SECONDS
        return bool(expires_at) and expires_at.timestamp() - margin > time.time()

    def _refresh_token_locked(self, kind, stale_token=None):
        """Refresh one token kind, one worker at a time per account.

        An advisory lock serialises refreshes of the account across workers.
        The refresh itself runs in a transaction opened *after* the lock is
        held, so it sees a token another worker has just committed and then
        makes no call at all.  It commits on its own: a refreshed token (or
        the 'needs re-authorisation' state) must survive even if the job that
        asked for it rolls back.
        """
        self.ensure_one()
        # The other transaction must see this one's pending writes where it can.
        self.env.flush_all()
        registry = self.env.registry
        failure = None
        with registry.cursor() as lock_cr:
            lock_cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (const.TOKEN_LOCK_NAMESPACE, self.id),
            )
            with registry.cursor() as cr:
                account = self.with_env(self.env(cr=cr, su=True))
                token, expires_at = account.env["marketplace.secret"]._read_secret(
                    account, kind
                )
                if token and token != stale_token and self._still_valid(expires_at):
                    result = token  # another worker refreshed it meanwhile
                else:
                    try:
                        result = account._mint_token(kind)
                    except EbayAuthError as err:
                        failure = err
                        if kind == "user_access" and (
                            err.needs_reauthorisation
                            or err.oauth_error == "invalid_client"
                        ):
                            account._set_needs_reauthorisation(err.user_message)
                        else:
                            account._write_system({"last_error": err.user_message})
        # What the other transaction wrote must not be shadowed by our cache.
        self.env.invalidate_all()
        if failure is not None:
            raise failure
        return result

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
