"""An account's access token, refreshed one worker at a time: the lock every
channel's token refresh goes through.

A channel says how a token of a kind is minted (``_marketplace_mint_token``)
and what the marketplace's refusal of a refresh does to the account
(``_marketplace_token_refused``); the lock, the fresh transaction and the
"someone else already refreshed it" check are the same for all.
"""

import time

from odoo import api, models

from ... import const


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

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
        the state a refusal leaves) must survive even if the job that asked
        for it rolls back.
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
                        result = account._marketplace_mint_token(kind)
                    except Exception as err:
                        # Anything but the marketplace's refusal rolls the
                        # refresh's transaction back and goes up as it is.
                        if not account._marketplace_token_refused(kind, err):
                            raise
                        failure = err
        # What the other transaction wrote must not be shadowed by our cache.
        self.env.invalidate_all()
        if failure is not None:
            raise failure
        return result

    # -- channel hooks -------------------------------------------------------------
    def _marketplace_mint_token(self, kind):
        """Ask the marketplace for a new token of ``kind``; store it in the
        vault; return it.  Runs inside the refresh lock."""
        raise NotImplementedError(
            f"channel {self.channel!r} cannot mint a {kind!r} token"
        )

    def _marketplace_token_refused(self, kind, exc):
        """Record what the marketplace's refusal ``exc`` of a refresh means for
        the account (it is written in the refresh's own transaction, which
        commits); True when ``exc`` was such a refusal, False to let it go
        up unrecorded."""
        return False
