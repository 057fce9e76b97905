"""LWA's token endpoint and Seller Central's consent page written down as a
contract: Amazon publishes no model for them.

From AMAZON_FACTS.md section 1 (the Developer Guide's "Connecting to the
Selling Partner API" and "Website authorization workflow", Amazon's Java
library ``LWAClient.java``):

* consent page, ``GET /apps/authorize/consent``: ``application_id`` and
  ``state`` are required, ``version`` is ``beta`` if given, ``redirect_uri``
  optional.  Answers an HTML page (200, or 400 for a request it refuses);
* token endpoint, ``POST /auth/o2/token``: a form body (or JSON, which
  Amazon's Java library sends) with ``grant_type``, ``client_id``,
  ``client_secret`` and, per grant, the fields of :data:`TOKEN_GRANTS`
  (never both ``refresh_token`` and ``scope``).  Answers 200 with
  :data:`TOKEN_ANSWER` or 400/401 with ``{error, error_description}`` and
  one of the codes the Java library knows (:data:`LWA_ERROR_CODES`).

``/apps/authorize/decide`` is the emulator's own consent form: unchecked.
"""

from jsonschema import Draft202012Validator

CONSENT_PATH = "/apps/authorize/consent"
TOKEN_PATH = "/auth/o2/token"
PATHS = (CONSENT_PATH, TOKEN_PATH)
FORM_TYPES = ("application/x-www-form-urlencoded", "application/json")
TOKEN_GRANTS = {
    "refresh_token": ("refresh_token",),
    "client_credentials": ("scope",),
    "authorization_code": ("code", "redirect_uri"),
}
LWA_ERROR_CODES = [
    "access_denied",
    "invalid_grant",
    "invalid_request",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "unauthorized_client",
    "invalid_client",
]
_TOKEN = {"type": "string", "minLength": 1, "maxLength": 2048}
TOKEN_ANSWER = {
    "type": "object",
    "properties": {
        "access_token": _TOKEN,
        "refresh_token": _TOKEN,
        "scope": {"type": "string"},
        "token_type": {"const": "bearer"},
        "expires_in": {"type": "integer", "minimum": 1},
    },
    "required": ["access_token", "token_type", "expires_in"],
    "additionalProperties": False,
}
TOKEN_ERROR = {
    "type": "object",
    "properties": {
        "error": {"enum": LWA_ERROR_CODES},
        "error_description": {"type": "string"},
    },
    "required": ["error", "error_description"],
    "additionalProperties": False,
}
# Outages and throttling the fault injection may answer with.
PLATFORM_STATUSES = {429, 500, 503}
_ANSWER = Draft202012Validator(TOKEN_ANSWER)
_ERROR = Draft202012Validator(TOKEN_ERROR)


def covers(path):
    return path in PATHS


def _fields(req):
    if req.form is not None:
        return req.form
    return req.json if isinstance(req.json, dict) else {}


def check_request(req):
    """The ways a request breaks LWA's documented form (empty if none)."""
    if req.path == CONSENT_PATH:
        if req.method != "GET":
            return [f"the consent page is opened with GET, not {req.method}"]
        reasons = [
            f"missing required query parameter {name}"
            for name in ("application_id", "state")
            if not req.query.get(name)
        ]
        if req.query.get("version") not in (None, "beta"):
            reasons.append("query parameter version must be beta")
        return reasons
    if req.method != "POST":
        return [f"the token endpoint takes POST, not {req.method}"]
    content_type = req.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() not in FORM_TYPES:
        return [f"Content-Type {content_type or '(none)'!r} is not one of {FORM_TYPES}"]
    form = _fields(req)
    grant = form.get("grant_type")
    if grant not in TOKEN_GRANTS:
        return [f"grant_type must be one of {sorted(TOKEN_GRANTS)}, not {grant!r}"]
    required = ("client_id", "client_secret", *TOKEN_GRANTS[grant])
    reasons = [
        f"missing required field {name} for grant_type {grant}"
        for name in required
        if not form.get(name)
    ]
    if form.get("refresh_token") and form.get("scope"):
        reasons.append("refresh_token and scope exclude each other")
    return reasons


def check_answer(req, status, body):
    """The ways an answer breaks LWA's documented form (empty if none)."""
    if status in PLATFORM_STATUSES:
        return []
    if req.path == CONSENT_PATH:
        if status not in (200, 400):
            return [f"answer HTTP {status} is not one the consent page gives"]
        if not isinstance(body, str):
            return [f"answer HTTP {status} of the consent page is not HTML"]
        return []
    label = f"answer HTTP {status}"
    if status == 200:
        validator = _ANSWER
    elif status in (400, 401):
        validator = _ERROR
    else:
        return [f"{label} is not one the token endpoint gives"]
    if not isinstance(body, dict):
        return [f"{label} is not a JSON object"]
    return [
        f"{label} {'.'.join(map(str, e.absolute_path)) or 'answer'}: {e.message[:200]}"
        for e in validator.iter_errors(body)
    ][:10]
