"""Identity API: getUser (``GET /commerce/identity/v1/user/``, user token).

The answer is shaped as the contract's ``UserResponse``: a business account
returns its whole ``businessAccount`` container with the default
``commerce.identity.readonly`` scope, as the operation's text says.
"""

from .routes import route
from .state import deep_copy


@route("GET", "/commerce/identity/v1/user/", auth="user")
def get_user(req):
    with req.state.lock:
        return 200, deep_copy(req.state.user), {}
