"""The Amazon personality of the emulator.

One loopback host plays all of Amazon: Login with Amazon (``POST
/auth/o2/token``), Seller Central's website authorization (``GET
/apps/authorize/consent``), the Selling Partner API on the models' own
paths, checked against Amazon's Swagger 2.0 models
(``../shared/amazon-models/models/*/*.json``, or ``AMAZON_MODELS_DIR``) by
the core, and presigned document URLs under ``/_documents/`` (Feeds).
Importing this package registers every API module's routes on
``routes.ROUTER``; :class:`AmazonPersonality` is what the core serves.

Every SP-API call needs an LWA access token in ``x-amz-access-token``
(``personality.py``; a Restricted Data Token of ``tokens_api.py`` is taken
on the paths it names only), goes through a token bucket per (seller, operation)
with the models' rates (``rates.py``), and every answer carries a fresh
``x-amzn-RequestId``.  Operations without a handler answer 501.  The
control endpoints are listed in ``control.py`` (and the core's in
``core/control.py``).

In a process (benchmarks, tests)::

    from emulator.amazon import start_emulator
    from emulator.client import AmazonEmulatorClient
    handle = start_emulator()            # 127.0.0.1, a free port
    AmazonEmulatorClient(handle.url).add_app("cid", "secret", "amzn1.sp.solution.x",
                                             "https://odoo.example/amazon/callback")
    ...
    handle.stop()

On the command line (from the repository root)::

    python3 -m emulator.amazon --host 127.0.0.1 --port 8098 \\
        [--models ../shared/amazon-models] [--no-contracts] \\
        [--app-file FILE] [--port-file FILE] [--sqs-endpoint-url URL]
"""

import logging
import os

from . import control, lwa, sellers_api
from . import definitions_api, listings_api, listings_control
from . import documents, feeds_api, feeds_control, reports_api
from . import notifications_api, sqs_delivery
from . import orders_api, orders_control, tokens_api
from . import orders_v0_api
from .personality import (
    UNCHECKED_WARNING,
    AmazonPersonality,
    default_models_dir,
)

__all__ = [
    "UNCHECKED_WARNING",
    "AmazonPersonality",
    "ContractsMissing",
    "EmulatorHandle",
    "build_server",
    "control",
    "default_models_dir",
    "definitions_api",
    "listings_api",
    "listings_control",
    "load_contracts",
    "lwa",
    "notifications_api",
    "orders_api",
    "orders_control",
    "sellers_api",
    "sqs_delivery",
    "start_emulator",
    "tokens_api",
]

from ..core import ContractsMissing, EmulatorHandle, serve_in_thread
from ..core import build_server as build_core_server

_logger = logging.getLogger("emulator")


def load_contracts(models_dir=None):
    """Amazon's contract book of ``models_dir`` (default: see
    :func:`default_models_dir`); :class:`ContractsMissing` when there is
    none."""
    return AmazonPersonality().load_contracts(models_dir)


def build_server(
    host="127.0.0.1",
    port=0,
    models_dir=None,
    apps=(),
    no_contracts=False,
    sqs_endpoint_url=None,
):
    """An Amazon emulator server bound to ``host:port``, not yet serving.

    ``apps``: dicts ``{client_id, client_secret, application_id,
    redirect_uri}`` registered now and again after every reset.  Without
    models it raises :class:`ContractsMissing`, unless ``no_contracts`` asks
    for an unchecked emulator (then nothing is checked, loudly).
    ``sqs_endpoint_url``: the SQS endpoint notifications are delivered to
    (default: ``AMAZON_SQS_ENDPOINT_URL``; none: nothing is delivered).
    """
    if sqs_endpoint_url is None:
        sqs_endpoint_url = os.environ.get(sqs_delivery.SQS_ENDPOINT_ENV) or None
    personality = AmazonPersonality(apps, sqs_endpoint_url)
    if no_contracts:
        _logger.warning(UNCHECKED_WARNING)
        contracts = None
    else:
        contracts = personality.load_contracts(models_dir)
    server = build_core_server(personality, host, port, contracts)
    sqs_delivery.install(server.state)
    # Feeds check documents against the same models' feed schemas.
    server.state.models_dir = models_dir or default_models_dir()
    return server


def start_emulator(
    host="127.0.0.1",
    port=0,
    models_dir=None,
    apps=(),
    no_contracts=False,
    sqs_endpoint_url=None,
):
    """Serve in a background (daemon) thread; return an :class:`EmulatorHandle`.

    ``port=0`` picks a free port (see ``handle.url``).
    """
    server = build_server(host, port, models_dir, apps, no_contracts, sqs_endpoint_url)
    return serve_in_thread(server, name="amazon-emulator")
