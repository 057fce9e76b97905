"""The emulator's core: what every marketplace's emulator shares.

``server.py`` (HTTP server, request pipeline, call log), ``routes.py``
(routing), ``contracts.py`` (request and answer checks against OpenAPI 3
and Swagger 2.0 contracts), ``state.py`` (faults, clock, call log and
violations behind one lock), ``control.py`` (the ``/_emulator/`` control
API) and ``personality.py`` (what a marketplace must provide).  Nothing here
names a marketplace: each one is a personality package beside this one.
"""

from .contracts import ContractBook, Corrections
from .personality import Personality
from .routes import Headers, Request, Router
from .server import EmulatorHandle, EmulatorServer, serve_in_thread
from .state import State

__all__ = [
    "ContractBook",
    "ContractsMissing",
    "Corrections",
    "EmulatorHandle",
    "EmulatorServer",
    "Headers",
    "Personality",
    "Request",
    "Router",
    "State",
    "build_server",
    "serve_in_thread",
]


class ContractsMissing(RuntimeError):
    """No contracts where the emulator was told to find them."""


def build_server(personality, host="127.0.0.1", port=0, contracts=None, state=None):
    """An :class:`EmulatorServer` of ``personality`` bound to ``host:port``,
    not yet serving.

    ``contracts``: a :class:`ContractBook` (None: nothing is checked);
    ``state``: the personality's state (default ``personality.new_state()``).
    """
    state = state if state is not None else personality.new_state()
    state.contracts = contracts
    if contracts is not None:
        for operation in contracts.operations:  # compile now, not on first use
            operation.body_validator()
    return EmulatorServer((host, port), personality, state)
