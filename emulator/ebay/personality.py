"""The eBay personality: what the core needs to answer as eBay does.

Its routes (``routes.ROUTER``, filled by the API modules), its state
(``state.EbayState``), its contracts (eBay's OpenAPI files read with
``contracts.EbayCorrections``), its bearer-token authentication, its error
bodies (``errors.py``) and the OAuth endpoints' written-down contract
(``oauth_contract.py``).
"""

import os
import uuid
from pathlib import Path

from ..core import ContractsMissing
from ..core.personality import Personality
from . import errors, oauth_contract
from .contracts import CORRECTED
from .routes import ROUTER
from .state import EbayState

REPO_DIR = Path(__file__).resolve().parents[2]

UNCHECKED_WARNING = (
    "THE eBay EMULATOR RUNS WITHOUT eBay's CONTRACTS (--no-contracts): no "
    "request and no answer is checked, and 'no contract violation' proves nothing."
)


def default_contracts_dir():
    """``EBAY_CONTRACTS_DIR``, else ``<repo>/../shared/ebay-contracts`` if it
    exists, else None."""
    env = os.environ.get("EBAY_CONTRACTS_DIR")
    if env:
        return env
    candidate = REPO_DIR.parent / "shared" / "ebay-contracts"
    return str(candidate) if candidate.is_dir() else None


# Contracts of ``extra/`` (ebay-contracts/SOURCES.md) that the emulator
# serves: each is read from the folder's top level once moved up there, else
# from ``extra/``.  The other ``extra/`` files stay unknown APIs.
SERVED_EXTRA_CONTRACTS = ("sell_finances_v1_oas3.json", "sell_analytics_v1_oas3.json")


def _contract_files(folder):
    """Every ``*.json`` at ``folder``'s top, and the served extras."""
    paths = sorted(folder.glob("*.json"))
    names = {path.name for path in paths}
    for name in SERVED_EXTRA_CONTRACTS:
        extra = folder / "extra" / name
        if name not in names and extra.is_file():
            paths.append(extra)
    return paths


class EbayPersonality(Personality):
    name = "eBay"
    server_version = "eBayEmulator/1.0"
    request_id_header = "X-EBAY-C-REQUEST-ID"
    # A path under these that no contract covers and no handler serves is a
    # call to an eBay API the contracts do not know: a violation, not a 404.
    api_roots = ("/sell/", "/commerce/", "/buy/", "/developer/", "/post-order/")
    # Keys whose values never reach the call log (form and JSON bodies).
    redacted_keys = frozenset(
        {"client_secret", "refresh_token", "access_token", "code", "verificationToken"}
    )
    # The consent page and token endpoint have no OpenAPI contract.
    extra_contracts = (oauth_contract,)
    # eBay sends its JSON content type even on empty answers (204).
    empty_answer_content_type = "application/json"
    corrections = CORRECTED
    unhandled_auth = "any"

    def __init__(self, apps=()):
        """``apps``: dicts ``{client_id, client_secret, ru_name, accept_url,
        decline_url?}`` registered at start and again after every reset."""
        super().__init__(ROUTER)
        self.apps = list(apps)

    def new_state(self):
        return EbayState(cli_apps=self.apps)

    def load_contracts(self, source=None):
        """The contract book of ``source`` (default: see
        :func:`default_contracts_dir`); :class:`ContractsMissing` when there
        is none: the emulator does not run unchecked by accident."""
        source = source or default_contracts_dir()
        if not source or not Path(source).is_dir():
            raise ContractsMissing(
                f"No eBay contracts found ({source or 'none given'}): give their "
                "folder with --contracts or EBAY_CONTRACTS_DIR, or run unchecked "
                "with --no-contracts"
            )
        book = super().load_contracts(_contract_files(Path(source)))
        if not book.operations:
            raise ContractsMissing(f"No eBay operations in the contracts: {source}")
        return book

    def authenticate(self, req, auth, operation):
        """None if the bearer token may call this; else the error answer."""
        state = req.state
        scheme, _sep, token = req.headers.get("Authorization", "").partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        with state.lock:
            info = state.access_tokens.get(token) if token else None
            valid = info is not None and info["expires"] > state.now()
            info = dict(info, scopes=set(info["scopes"])) if valid else None
        if not valid:
            return 401, errors.invalid_token(), {}
        if auth in ("user", "app") and info["kind"] != auth:
            return 401, errors.invalid_token(), {}
        scopes = operation.scopes if operation is not None else None
        if scopes and not scopes & info["scopes"]:
            return 403, errors.insufficient_scope(), {}
        req.token = info
        return None

    # -- eBay's error bodies -------------------------------------------------------
    def fault_body(self, status, path, message=None):
        if status == 429:
            return errors.too_many_requests()
        if status == 400:
            return errors.user_error(path, message)
        return errors.system_error(path, message)

    def not_found(self, path):
        return errors.not_found(path)

    def contract_violation(self, path, reasons):
        return errors.contract_violation(path, reasons)

    def not_implemented(self, path, operation_id):
        return errors.not_implemented(path, operation_id)

    def system_error(self, path):
        return errors.system_error(path)

    def answer_headers(self):
        # eBay's log id header, on every answer.
        return {"rlogid": f"t6emulator%3C{uuid.uuid4().hex[:20]}"}
