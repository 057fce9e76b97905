"""eBay's redirect back to Odoo after the seller's consent.

Everything that can go wrong ends on a page that tells the person what
happened and what to do; nothing is stored unless the state checks out and
the code exchange succeeds.  The code and the state never reach the log.
"""

import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..const import OAUTH_CALLBACK_PATH
from ..ebay import EbayAuthError, EbayError
from ..models.marketplace.oauth_state import OAuthStateError
from .callback_log_filter import redact_callback_queries

_logger = logging.getLogger(__name__)

redact_callback_queries(OAUTH_CALLBACK_PATH)

RESULT_TEMPLATE = "marketplace_connector.ebay_oauth_result_page"


class EbayOAuthController(http.Controller):
    @http.route(OAUTH_CALLBACK_PATH, type="http", auth="user", methods=["GET"])
    def ebay_oauth_callback(self, state=None, code=None, error=None, **kwargs):
        Account = request.env["marketplace.account"]
        if not request.env.user.has_group(
            "marketplace_connector.group_marketplace_manager"
        ):
            return self._page(
                403,
                request.env._("Not allowed"),
                request.env._("Only marketplace managers can connect eBay accounts."),
            )
        try:
            account = Account._oauth_check_state(state)
        except OAuthStateError as exc:
            _logger.warning("Refused an eBay OAuth callback: %s", exc)
            return self._page(
                403,
                request.env._("This eBay connection request is not valid"),
                str(exc),
            )
        if error or not code:
            reason = request.env._(
                "Access was not granted on eBay (%(error)s).",
                error=error or request.env._("no authorisation code"),
            )
            account._oauth_record_failure(reason)
            return self._page(
                400,
                request.env._("eBay access was not granted"),
                reason
                + " "
                + request.env._("Nothing was stored; click Connect to try again."),
                account,
            )
        try:
            with request.env.cr.savepoint():
                account._oauth_complete(code)
        except (EbayError, UserError) as exc:
            reason = exc.user_message if isinstance(exc, EbayError) else exc.args[0]
            if isinstance(exc, EbayAuthError):
                reason = request.env._(
                    "eBay refused the authorisation code: %(reason)s", reason=reason
                )
            account._oauth_record_failure(reason)
            return self._page(
                400,
                request.env._("eBay connection failed"),
                reason
                + " "
                + request.env._("Nothing was stored; click Connect to try again."),
                account,
            )
        # The eBay username is personal data: the log names the account only.
        _logger.info("eBay account %s connected", account.id)
        return request.redirect(
            f"/odoo/action-marketplace_connector.marketplace_account_action/{account.id}"
        )

    def _page(self, status, title, message, account=None):
        response = request.render(
            RESULT_TEMPLATE,
            {
                "title": title,
                "message": message,
                "back_url": (
                    f"/odoo/action-marketplace_connector.marketplace_account_action/{account.id}"
                    if account
                    else "/odoo/action-marketplace_connector.marketplace_account_action"
                ),
            },
        )
        response.status_code = status
        return response
