"""The Amazon personality: what the core needs to answer as Amazon does.

Its routes (``routes.ROUTER``, filled by the API modules), its state
(``state.AmazonState``), its contracts (every Swagger 2.0 model of
``../shared/amazon-models/models/*/*.json``), authentication by LWA access
token in ``x-amz-access-token``, token buckets per (seller or client,
operation) (``rates.py``), Amazon's error bodies (``errors.py``), a fresh
``x-amzn-RequestId`` on every answer, and the written-down contract of LWA
and the consent page, which have no model (``lwa_contract.py``).
"""

import os
import uuid
from pathlib import Path

from ..core import ContractsMissing
from ..core.contracts import Corrections
from ..core.personality import Personality
from . import errors, lwa_contract, rates, tokens_api
from .routes import ROUTER
from .state import AmazonState

REPO_DIR = Path(__file__).resolve().parents[2]

UNCHECKED_WARNING = (
    "THE AMAZON EMULATOR RUNS WITHOUT AMAZON's MODELS (--no-contracts): no "
    "request and no answer is checked, and 'no contract violation' proves nothing."
)
# The scope a grantless operation's token needs, by path (AMAZON_FACTS.md 1).
GRANTLESS_SCOPES = {"/notifications/": "sellingpartnerapi::notifications"}
MIGRATION_SCOPE = "sellingpartnerapi::migration"
REQUEST_ID_HEADER = "x-amzn-RequestId"
RATE_HEADER = "x-amzn-RateLimit-Limit"
TOKEN_HEADER = "x-amz-access-token"


def default_models_dir():
    """``AMAZON_MODELS_DIR``, else ``<repo>/../shared/amazon-models`` if it
    exists, else None."""
    env = os.environ.get("AMAZON_MODELS_DIR")
    if env:
        return env
    candidate = REPO_DIR.parent / "shared" / "amazon-models"
    return str(candidate) if candidate.is_dir() else None


def model_files(models_dir):
    """The Swagger models of ``models_dir`` (``models/*/*.json``)."""
    return sorted(Path(models_dir, "models").glob("*/*.json"))


class AmazonCorrections(Corrections):
    marketplace = "Amazon"
    # Amazon's gateway answers these for any operation: 403 (token refused),
    # 429 (throttled), 500/503 (outages); most models declare them, a few
    # operations miss one.  Their bodies are still checked.
    platform_statuses = frozenset({403, 429, 500, 503})


def is_grantless(operation):
    """Does Amazon's model call this operation grantless?"""
    return "grantless" in (operation.op.get("description") or "").lower()


class AmazonPersonality(Personality):
    name = "Amazon"
    server_version = "Server"  # Amazon's gateway names no product
    request_id_header = REQUEST_ID_HEADER
    # A path under these that no model covers is a call to an SP-API the
    # models do not know: a violation, not a plain 404.
    api_roots = (
        "/listings/",
        "/feeds/",
        "/reports/",
        "/definitions/",
        "/sellers/",
        "/orders/",
        "/catalog/",
        "/fba/",
        "/notifications/",
        "/tokens/",
        "/products/",
        "/batches/",
        "/authorization/",
        "/finances/",
        "/fulfillment/",
        "/messaging/",
        "/solicitations/",
        "/vendor/",
    )
    redacted_keys = frozenset(
        {"client_secret", "refresh_token", "access_token", "code", "spapi_oauth_code"}
    )
    redacted_headers = frozenset({TOKEN_HEADER})
    extra_contracts = (lwa_contract,)
    corrections = AmazonCorrections()
    # An operation without a handler: the caller its model asks for.
    unhandled_auth = "model"

    def __init__(self, apps=(), sqs_endpoint_url=None):
        """``apps``: dicts ``{client_id, client_secret, application_id,
        redirect_uri}`` registered at start and again after every reset;
        ``sqs_endpoint_url``: where notifications are delivered (moto)."""
        super().__init__(ROUTER)
        self.apps = list(apps)
        self.sqs_endpoint_url = sqs_endpoint_url

    def new_state(self):
        return AmazonState(cli_apps=self.apps, sqs_endpoint_url=self.sqs_endpoint_url)

    def load_contracts(self, source=None):
        """The contract book of the models under ``source`` (default: see
        :func:`default_models_dir`); :class:`ContractsMissing` when there are
        none: the emulator does not run unchecked by accident."""
        source = source or default_models_dir()
        files = model_files(source) if source and Path(source).is_dir() else []
        if not files:
            raise ContractsMissing(
                f"No Amazon models found ({source or 'none given'}): give the "
                "amazon-models folder with --models or AMAZON_MODELS_DIR, or run "
                "unchecked with --no-contracts"
            )
        book = super().load_contracts(files)
        if not book.operations:
            raise ContractsMissing(f"No Amazon operations in the models: {source}")
        return book

    def request_id_for(self, headers):
        # Amazon mints a request id for every answer; it does not echo one.
        return str(uuid.uuid4())

    # -- authentication ----------------------------------------------------------
    def authenticate(self, req, auth, operation):
        """None if the ``x-amz-access-token`` may call this (then the token
        bucket is taken); else Amazon's 403 (or 429) answer."""
        state = req.state
        token = (req.headers.get(TOKEN_HEADER) or "").strip()
        if not token:
            return 403, errors.unauthorized(errors.TOKEN_MISSING), {}
        with state.lock:
            info = state.access_tokens.get(token)
            info = dict(info) if info else None
            app = state.apps.get(info["client_id"]) if info else None
        if info is None or app is None:
            return 403, errors.unauthorized(errors.TOKEN_INVALID), {}
        if info["expires"] <= state.now():
            return 403, errors.unauthorized(errors.TOKEN_EXPIRED), {}
        if state.secret_expired(app):
            # Amazon: after the deadline "calls fail"; the one reported
            # symptom is this SP-API 403 (AMAZON_FACTS.md section 1).
            return 403, errors.unauthorized(errors.SECRET_EXPIRED), {}
        kind = auth
        if auth == "model":
            kind = "grantless" if operation and is_grantless(operation) else "seller"
        if kind == "seller" and info["seller_id"] is None:
            return 403, errors.unauthorized(errors.TOKEN_INVALID), {}
        if kind == "grantless":
            if info["seller_id"] is not None:
                return 403, errors.unauthorized(errors.TOKEN_INVALID), {}
            if self.grantless_scope(req.path) not in info["scopes"]:
                return 403, errors.unauthorized(errors.TOKEN_INVALID), {}
        seller_in_path = (operation.match(req.path) or {}) if operation else {}
        seller_in_path = seller_in_path.get("sellerId")
        if seller_in_path and info["seller_id"] and seller_in_path != info["seller_id"]:
            # [UNCONFIRMED] Amazon's exact answer to another seller's id; a
            # refusal is the safe one.
            return (
                403,
                errors.unauthorized(
                    "The sellerId in the request is not the seller who authorized "
                    "this access token."
                ),
                {},
            )
        resources = info.get("restricted_resources")
        if resources is not None and not tokens_api.covers(
            resources, req.method, req.path
        ):
            # A Restricted Data Token authorizes only the restricted
            # resources it was issued for (Tokens API).
            return 403, errors.unauthorized(errors.UNAUTHORIZED_MESSAGE), {}
        req.token = info
        if operation is not None:
            key = info["seller_id"] or ("client", info["client_id"])
            throttled = rates.throttle(req, operation, key, info["client_id"])
            if throttled:
                return throttled
        return None

    @staticmethod
    def grantless_scope(path):
        for prefix, scope in GRANTLESS_SCOPES.items():
            if path.startswith(prefix):
                return scope
        return MIGRATION_SCOPE

    # -- Amazon's error bodies ---------------------------------------------------
    def fault_body(self, status, path, message=None):
        if path == lwa_contract.TOKEN_PATH:
            # LWA answers its own shape; PYO retries these two codes.
            code = "server_error" if status == 500 else "temporarily_unavailable"
            if status == 400:
                code = "invalid_request"
            return errors.lwa(code, message or "Injected fault")
        if status == 429:
            return errors.quota_exceeded(message or errors.QUOTA_MESSAGE)
        if status == 400:
            return errors.invalid_input(message or "Invalid input")
        if status == 503:
            return errors.service_unavailable(message)
        return errors.internal_failure(message)

    def not_found(self, path):
        return errors.not_found(path)

    def contract_violation(self, path, reasons):
        return errors.invalid_input("Invalid input", "; ".join(reasons)[:2000])

    def not_implemented(self, path, operation_id):
        return errors.not_implemented(operation_id or path)

    def system_error(self, path):
        return errors.internal_failure()

    def answer_headers_for(self, req, status):
        # Best effort, "for HTTP status codes 20x, 400 and 404 only" (RL).
        rate = getattr(req, "rate_limit", None) if req is not None else None
        if rate and (200 <= status < 300 or status in (400, 404)):
            return {RATE_HEADER: rate}
        return {}
