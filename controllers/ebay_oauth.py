"""eBay's redirect back to Odoo after the seller's consent.

Everything that can go wrong ends on a page that tells the person what
happened and what to do; nothing is stored unless the state checks out and
the code exchange succeeds.  The code and the state never reach the log.
"""

import logging
import re

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..const import OAUTH_CALLBACK_PATH
from ..ebay import EbayAuthError, EbayError
from ..models.marketplace.oauth_state import OAuthStateError

_logger = logging.getLogger(__name__)

# The callback path, plain or percent-encoded (as in /web/login?redirect=…),
# then its query up to the end of the request target.
_CALLBACK_QUERY = re.compile(
    "((?:/|%2F)"
    + "(?:/|%2F)".join(re.escape(p) for p in OAUTH_CALLBACK_PATH.strip("/").split("/"))
    + r")(?:\?|%3F)[^\s\x1b\"]*",
    re.IGNORECASE,
)


class RedactOAuthCallbackQuery(logging.Filter):
    """Keeps eBay's authorisation code and Odoo's state out of the request log.

    eBay sends the seller back with ``?state=…&code=…`` in the URL, and the
    HTTP server (werkzeug) logs every request line, query string included,
    at INFO, Odoo's default level; so does the login redirect that carries
    the callback URL when the session has expired.  This filter, on the
    ``werkzeug`` logger, cuts the query off those lines.
    """

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # not ours to repair
            return True
        redacted = _CALLBACK_QUERY.sub(r"\1?[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _install_request_log_filter():
    request_log = logging.getLogger("werkzeug")
    # By name: a reloaded module must not add a second one.
    if not any(
        type(existing).__name__ == RedactOAuthCallbackQuery.__name__
        for existing in request_log.filters
    ):
        request_log.addFilter(RedactOAuthCallbackQuery())


_install_request_log_filter()

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
