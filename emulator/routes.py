"""The emulator's routing table: eBay operations and their handlers.

Handlers take a :class:`Request` and return ``(status, body, headers)``;
``body`` is a dict (sent as JSON), a str (sent as HTML) or None.
Later APIs register more handlers with :func:`route`.
"""

import re
from dataclasses import dataclass, field

ROUTES = []


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    raw_body: bytes
    state: object
    params: dict = field(default_factory=dict)
    token: dict = None
    json: object = None
    form: dict = None
    base_url: str = ""


def route(method, template, auth="user"):
    """Register a handler; ``auth`` is "user", "app", "any" or None."""
    pattern = re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template))
    names = re.findall(r"\{([^}]+)\}", template)

    def decorator(func):
        ROUTES.append((method.upper(), re.compile(f"^{pattern}$"), names, auth, func))
        return func

    return decorator


def resolve(method, path):
    for route_method, regex, names, auth, func in ROUTES:
        if route_method != method:
            continue
        match = regex.match(path)
        if match:
            return func, auth, dict(zip(names, match.groups(), strict=True))
    return None, None, None
