"""Routing machinery: a :class:`Router` of handlers per path template.

A handler takes a :class:`Request` and returns ``(status, body, headers)``;
``body`` is a dict or list (sent as JSON), a str (sent as HTML), bytes
(sent as they are, with the handler's own Content-Type header) or None.
Each personality keeps one router and registers its handlers on it, e.g.::

    ROUTER = Router()

    @ROUTER.route("GET", "/sell/inventory/v1/inventory_item/{sku}")
    def get_item(req):
        ...

Registering is all a new operation needs; the contract check,
authentication, faults and the call log apply to it without further work.
The core's own control API (``control.py``) has a router of its own.
"""

import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote


class Headers(dict):
    """Request headers whose lookups ignore case, as HTTP's do.

    It is a plain dict of the names as the client sent them (so it prints and
    serialises as such); ``get``, ``[]`` and ``in`` ignore case.
    """

    def __init__(self, items=()):
        super().__init__(items)
        self._lower = {key.lower(): value for key, value in self.items()}

    def __getitem__(self, key):
        return self._lower[key.lower()]

    def __contains__(self, key):
        return isinstance(key, str) and key.lower() in self._lower

    def get(self, key, default=None):
        return self._lower.get(key.lower(), default)


@dataclass
class Request:
    """One HTTP request as handlers see it."""

    method: str
    path: str
    query: dict
    headers: Headers
    raw_body: bytes
    state: object
    params: dict = field(default_factory=dict)  # path parameters, URL-decoded
    token: dict = None  # the access token's record once authenticated
    json: object = None  # parsed JSON body (None if absent or not JSON)
    form: dict = None  # parsed form body (x-www-form-urlencoded only)
    base_url: str = ""  # http://host:port of this emulator
    request_id: str = ""  # the caller's request id (the personality's header)
    operation: object = None  # the contract operation, when one matched
    refused_request: bool = False  # the request broke the contract (recorded)


def compile_template(template):
    """A regex for an OpenAPI-style path template and its parameter names.

    A parameter matches one path segment (``[^/]+``); the match is exact, so
    a template ending in ``/`` (identity's ``/user/``) needs that slash.
    """
    pattern = re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$"), re.findall(r"\{([^}]+)\}", template)


def template_shape(template):
    """``/policy/{policy_id}`` -> ``/policy/{}``: templates that differ only
    in their parameter names name the same operation."""
    return re.sub(r"\{[^/]+?\}", "{}", template)


class Router:
    """A routing table: handlers by method and path template.

    ``routes`` holds ``(specificity key, method, regex, parameter names,
    auth, handler, shape)`` tuples, most specific first: literal segments
    win over templated ones, so ``/offer/get_listing_fees`` is never taken
    for ``/offer/{offerId}``.  ``shape`` is the template with its parameter
    names blanked (``/offer/{}``): how a contract operation finds its handler.
    """

    def __init__(self, auth_kinds=None):
        """``auth_kinds``: the values ``route(auth=...)`` may take besides
        None (the personality's kinds of caller); any string when not given."""
        self.auth_kinds = tuple(auth_kinds) if auth_kinds is not None else None
        self.routes = []
        self._order = itertools.count()

    def route(self, method, template, auth="user"):
        """Register a handler for ``method`` on ``template``.

        ``auth`` is the personality's kind of caller the operation wants
        (its :meth:`Personality.authenticate` reads it), or None (no
        authentication: control API, consent page).
        """
        if auth is not None and (
            not isinstance(auth, str)
            or (self.auth_kinds is not None and auth not in self.auth_kinds)
        ):
            raise ValueError(f"auth must be None or one of {self.auth_kinds}")
        regex, names = compile_template(template)

        def decorator(func):
            key = (len(names), next(self._order))
            shape = template_shape(template)
            self.routes.append((key, method.upper(), regex, names, auth, func, shape))
            self.routes.sort(key=lambda entry: entry[0])
            return func

        return decorator

    def resolve(self, method, path):
        """``(handler, auth, path params)`` or ``(None, None, None)``.

        Path parameters are URL-decoded: clients quote SKUs and keys
        (``quote(sku, safe="")``) and the marketplace stores the decoded value.
        """
        for _key, route_method, regex, names, auth, func, _shape in self.routes:
            if route_method != method:
                continue
            match = regex.match(path)
            if match:
                values = (unquote(value) for value in match.groups())
                return func, auth, dict(zip(names, values, strict=True))
        return None, None, None

    def resolve_operation(self, method, template, path):
        """Like :meth:`resolve`, for the handler registered for exactly this
        template (parameter names aside): the contract, not the router's own
        order, decides which operation a path is."""
        shape = template_shape(template)
        for _key, route_method, regex, names, auth, func, route_shape in self.routes:
            if route_method == method and route_shape == shape:
                match = regex.match(path)
                if match:
                    values = (unquote(value) for value in match.groups())
                    return func, auth, dict(zip(names, values, strict=True))
        return None, None, None
