"""The error of a consent callback whose state Odoo cannot accept (not a model:
the account's OAuth code raises it, the callback controller catches it)."""


class OAuthStateError(Exception):
    """The state of a consent callback is forged, replayed or expired."""
