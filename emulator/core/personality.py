"""What a marketplace brings to the core: a :class:`Personality`.

The core (``server.py``) runs the pipeline; a personality fills in what only
its marketplace knows.  A personality provides:

* ``name``: how violations name the marketplace ("no such operation in
  <name>'s contract");
* ``router``: a :class:`~.routes.Router` with its API handlers and its own
  control endpoints (under ``/_emulator/``);
* ``new_state()``: its :class:`~.state.State` subclass;
* ``load_contracts(source)``: its :class:`~.contracts.ContractBook`, read
  with its :class:`~.contracts.Corrections`;
* ``authenticate(req, auth, operation)``: None when the caller may call, else
  the ``(status, body, headers)`` refusal; it may set ``req.token``;
* its error bodies: ``fault_body`` (what an injected 400/429/5xx carries),
  ``not_found``, ``contract_violation``, ``not_implemented``, ``system_error``;
* optionally: ``request_id_header`` (read, logged and echoed; or minted
  fresh for every answer by ``request_id_for(headers)``),
  ``answer_headers()`` (sent on every answer; ``answer_headers_for(req,
  status)`` when they depend on the call and its status), ``api_roots``
  (path prefixes where a path no contract covers is a violation),
  ``redacted_keys`` (body fields the call log never shows),
  ``redacted_headers`` (likewise, headers), ``extra_contracts`` (checks for
  endpoints that have no machine-readable contract: objects with
  ``covers(path)``, ``check_request(req)`` and
  ``check_answer(req, status, body)``), ``empty_answer_content_type``.

The defaults below are the plainest answers; readme/DEVELOP.md walks
through the first marketplace's personality as the worked example.
"""

from .contracts import ContractBook, Corrections
from .routes import Router
from .state import State


class Personality:
    name = "the marketplace"
    server_version = "Emulator/1.0"
    request_id_header = None
    api_roots = ()
    redacted_keys = frozenset()
    #: lower-case header names whose values the call log never shows
    #: (besides Authorization, always redacted)
    redacted_headers = frozenset()
    extra_contracts = ()
    empty_answer_content_type = None
    corrections = Corrections()
    #: the ``auth`` an operation with no handler is authenticated with
    unhandled_auth = None

    def __init__(self, router=None):
        self.router = router if router is not None else Router()

    def new_state(self):
        return State()

    def load_contracts(self, source):
        return ContractBook(source, self.corrections)

    def authenticate(self, req, auth, operation):
        return None

    # -- error bodies -------------------------------------------------------------
    def error_body(self, status, path, message):
        """The generic envelope the defaults below send."""
        return {"errors": [{"code": str(status), "message": message}]}

    def fault_body(self, status, path, message=None):
        return self.error_body(status, path, message or "Injected fault")

    def not_found(self, path):
        return self.error_body(404, path, "Resource not found")

    def contract_violation(self, path, reasons):
        return self.error_body(400, path, "; ".join(reasons))

    def not_implemented(self, path, operation_id):
        return self.error_body(
            501, path, f"The emulator has no handler for {operation_id or path}"
        )

    def system_error(self, path):
        return self.error_body(500, path, "Internal error")

    def request_id_for(self, headers):
        """The request id of a call (logged and sent back in
        ``request_id_header``): by default the one the caller sent, if any."""
        header = self.request_id_header
        return (headers.get(header) if header else None) or ""

    def answer_headers(self):
        return {}

    def answer_headers_for(self, req, status):
        """The headers of one answer (``req`` is None for a request the
        server could not read); by default :meth:`answer_headers`."""
        return self.answer_headers()
