"""A loopback marketplace emulator for tests, benchmarks and the demo.

Two places: ``core/`` (HTTP server, request pipeline, contract checks of
requests and answers against OpenAPI 3 and Swagger 2.0 contracts, faults,
clock, call log, control API; it names no marketplace) and one personality
per marketplace: ``ebay/`` and ``amazon/`` (LWA, Seller Central's consent
page and the Selling Partner API, checked against Amazon's Swagger 2.0
models; ``python3 -m emulator.amazon``, see ``amazon/__init__.py``).
``client.py`` is the one control client tests, benchmarks and scripts use.

The eBay personality answers as eBay's REST APIs do (OAuth consent page and
token endpoint, Identity, Inventory, Account, Fulfillment, ...), on eBay's
own paths, and
checks every request to an eBay path, and every answer it gives there,
against eBay's OpenAPI contracts (``../shared/ebay-contracts`` beside the
repository, or ``EBAY_CONTRACTS_DIR``); the OAuth endpoints, which have no
contract, against the form eBay documents (``ebay/oauth_contract.py``).  Without
contracts it refuses to start, unless ``--no-contracts`` asks for an
unchecked emulator.
It is pure Python (stdlib HTTP server + jsonschema) and never imports odoo;
the Odoo addon never imports its server.  This package's ``__init__`` imports
nothing, so the Odoo tests and the benchmarks import ``emulator.client``
without loading the server.

In a process (benchmarks, tests)::

    from emulator.client import EbayEmulatorClient
    from emulator.ebay import start_emulator
    handle = start_emulator()            # 127.0.0.1, a free port
    EbayEmulatorClient(handle.url).register_app(...)
    ...
    handle.stop()

On the command line (from the repository root)::

    python3 -m emulator --host 127.0.0.1 --port 8099 \\
        --contracts ../shared/ebay-contracts \\
        --app CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL] \\
        [--port-file FILE] [--no-contracts]

The control API (``/_emulator/...``) is listed in ``core/control.py`` and
``ebay/control.py``; the request pipeline in ``core/server.py``; what the
contract check checks in ``core/contracts.py`` (and eBay's corrections in
``ebay/contracts.py``).

Its tests, from the repository root::

    python3 -m pytest emulator/tests -q

``emulator/tests/pytest.ini`` makes that folder pytest's rootdir, so pytest
never imports the repository's top-level ``__init__.py`` (the Odoo addon),
and turns the pytest-odoo plugin off (it wants a database); ``conftest.py``
puts the repository root on ``sys.path`` so ``emulator`` imports as a
top-level package.
"""
