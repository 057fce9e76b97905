"""eBay's OAuth endpoints written down as a contract: they have no OpenAPI one.

eBay documents the consent page and the token endpoint only in prose
(``ebay-contracts/SOURCES.md``: "No OpenAPI contract exists for the OAuth
token endpoint"), so what the emulator checks there is written here from
``EBAY_FACTS.md`` section 1 and the eBay pages it cites:

* consent page, ``GET /oauth2/authorize``: ``client_id``, ``redirect_uri``
  (the RuName), ``response_type=code`` and ``scope`` are required; ``state``,
  ``prompt=login`` and ``locale`` optional (KB 5075,
  developer.ebay.com/support/kb-article?KBid=5075).  The answer is an HTML
  page (200, or 400 for a request eBay refuses);
* token endpoint, ``POST /identity/v1/oauth2/token``: a form body
  (``application/x-www-form-urlencoded``), HTTP Basic client authentication
  (``Basic base64(client_id:client_secret)``), and per ``grant_type`` the
  fields of :data:`TOKEN_GRANTS` (oauth-auth-code-grant-request.html,
  oauth-refresh-token-request.html, oauth-client-credentials-grant.html under
  developer.ebay.com/api-docs/static/).  Answers: 200 with the token fields
  of :data:`TOKEN_ANSWERS` (the same pages' samples; eBay's own Python client
  reads ``expires_in`` and ``refresh_token_expires_in``), or 400/401 with
  RFC 6749 section 5.2's ``{error, error_description}``.

``/oauth2/authorize/decide`` is not eBay's: it is the emulator's own
consent form (the seller's browser posts it), so nothing is checked there.
A mismatch is recorded as a violation exactly as for the REST operations;
the handler still answers as eBay would (an OAuth error, an error page).
"""

import base64
import binascii

from jsonschema import Draft202012Validator

CONSENT_PATH = "/oauth2/authorize"
TOKEN_PATH = "/identity/v1/oauth2/token"
# The emulator's consent form: not an eBay endpoint, not checked.
CONSENT_FORM_PATH = "/oauth2/authorize/decide"
PATHS = (CONSENT_PATH, TOKEN_PATH)

CONSENT_REQUIRED = ("client_id", "redirect_uri", "response_type", "scope")
CONSENT_VALUES = {"response_type": {"code"}, "prompt": {"login"}}
CONSENT_STATUSES = {200, 400}

# grant_type -> fields the form must carry (non-empty) and may carry.
TOKEN_GRANTS = {
    "authorization_code": (("code", "redirect_uri"), ()),
    "refresh_token": (("refresh_token",), ("scope",)),
    "client_credentials": (("scope",), ()),
}
FORM_TYPE = "application/x-www-form-urlencoded"

_STRING = {"type": "string", "minLength": 1}
_SECONDS = {"type": "integer", "minimum": 1}
TOKEN_ANSWERS = {
    "authorization_code": {
        "type": "object",
        "properties": {
            "access_token": _STRING,
            "expires_in": _SECONDS,
            "refresh_token": _STRING,
            "refresh_token_expires_in": _SECONDS,
            "token_type": {"const": "User Access Token"},
        },
        "required": [
            "access_token",
            "expires_in",
            "refresh_token",
            "refresh_token_expires_in",
            "token_type",
        ],
        "additionalProperties": False,
    },
    "refresh_token": {
        "type": "object",
        "properties": {
            "access_token": _STRING,
            "expires_in": _SECONDS,
            "token_type": {"const": "User Access Token"},
        },
        "required": ["access_token", "expires_in", "token_type"],
        "additionalProperties": False,
    },
    "client_credentials": {
        "type": "object",
        "properties": {
            "access_token": _STRING,
            "expires_in": _SECONDS,
            "token_type": {"const": "Application Access Token"},
        },
        "required": ["access_token", "expires_in", "token_type"],
        "additionalProperties": False,
    },
}
# RFC 6749 section 5.2: the error codes a token endpoint answers.
TOKEN_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "enum": [
                "invalid_request",
                "invalid_client",
                "invalid_grant",
                "unauthorized_client",
                "unsupported_grant_type",
                "invalid_scope",
            ]
        },
        "error_description": {"type": "string"},
    },
    "required": ["error"],
    "additionalProperties": False,
}
TOKEN_ERROR_STATUSES = {400, 401}
# Outages and throttling, which the fault injection answers with on either
# endpoint (see contracts.PLATFORM_STATUSES); their bodies are the gateway's.
PLATFORM_STATUSES = {429, 500, 503}

_VALIDATORS = {
    grant: Draft202012Validator(schema) for grant, schema in TOKEN_ANSWERS.items()
}
_ERROR_VALIDATOR = Draft202012Validator(TOKEN_ERROR)


def covers(path):
    return path in PATHS


def check_request(req):
    """The ways an OAuth request breaks eBay's documented form (empty if none)."""
    if req.path == CONSENT_PATH:
        return _check_consent(req)
    if req.path == TOKEN_PATH:
        return _check_token(req)
    return []


def _check_consent(req):
    if req.method != "GET":
        return [f"the consent page is opened with GET, not {req.method}"]
    reasons = [
        f"missing required query parameter {name}"
        for name in CONSENT_REQUIRED
        if not req.query.get(name)
    ]
    for name, allowed in CONSENT_VALUES.items():
        value = req.query.get(name)
        if value is not None and value not in allowed:
            reasons.append(
                f"query parameter {name} must be one of {sorted(allowed)}, "
                f"not {value!r}"
            )
    return reasons


def _check_token(req):
    if req.method != "POST":
        return [f"the token endpoint takes POST, not {req.method}"]
    reasons = []
    content_type = req.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() != FORM_TYPE:
        reasons.append(f"Content-Type {content_type or '(none)'!r} is not {FORM_TYPE}")
    if not _basic_credentials(req.headers.get("Authorization", "")):
        reasons.append("Authorization must be Basic base64(client_id:client_secret)")
    form = req.form or {}
    grant = form.get("grant_type")
    if grant not in TOKEN_GRANTS:
        reasons.append(
            f"grant_type must be one of {sorted(TOKEN_GRANTS)}, not {grant!r}"
        )
        return reasons
    required, _optional = TOKEN_GRANTS[grant]
    reasons += [
        f"missing required form field {name} for grant_type {grant}"
        for name in required
        if not form.get(name)
    ]
    return reasons


def _basic_credentials(header):
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return False
    client_id, sep, _secret = decoded.partition(":")
    return bool(client_id and sep)


def check_answer(req, status, body):
    """The ways an OAuth answer breaks eBay's documented form (empty if none)."""
    if status in PLATFORM_STATUSES:
        return []
    if req.path == CONSENT_PATH:
        if status not in CONSENT_STATUSES:
            return [f"answer HTTP {status} is not one the consent page gives"]
        if not isinstance(body, str):
            return [f"answer HTTP {status} of the consent page is not HTML"]
        return []
    if req.path != TOKEN_PATH:
        return []
    label = f"answer HTTP {status}"
    if status == 200:
        validator = _VALIDATORS.get((req.form or {}).get("grant_type"))
    elif status in TOKEN_ERROR_STATUSES:
        validator = _ERROR_VALIDATOR
    else:
        return [f"{label} is not one the token endpoint gives"]
    if not isinstance(body, dict):
        return [f"{label} is not a JSON object"]
    if validator is None:
        return [f"{label}: a token for an unknown grant_type"]
    return [
        f"{label} {'.'.join(map(str, e.absolute_path)) or 'answer'}: {e.message[:200]}"
        for e in validator.iter_errors(body)
    ][:10]
