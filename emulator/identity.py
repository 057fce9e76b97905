"""Identity API: getUser."""

from .routes import route


@route("GET", "/commerce/identity/v1/user/", auth="user")
def get_user(req):
    return 200, dict(req.state.user), {}
