"""The keep-alive HTTP session the channels' clients share, one per thread.

Not a model: the account's clients and the notification key lookup of every
channel take their ``requests.Session`` from here.
"""

import threading

import requests

_thread_local = threading.local()


def http_session():
    """One keep-alive ``requests.Session`` per worker thread."""
    session = getattr(_thread_local, "session", None)
    if session is None:
        session = _thread_local.session = requests.Session()
    return session
