"""``python3 -m emulator``: run the eBay emulator in the foreground.

Prints one line, ``eBay emulator listening on http://HOST:PORT``, once it
accepts connections; with ``--port 0`` a free port is chosen and, with
``--port-file``, written to that file (atomically, so a reader never sees a
partial number).
"""

import argparse
import logging
import os
import re
import signal
import sys
import tempfile

from .core.state_file import StateFile
from .ebay import UNCHECKED_WARNING, ContractsMissing, build_server
from .ebay.account_api import seed_demo_seller
from .ebay.notification_api import start_redelivery_pump


def parse_app(value):
    """``CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL]``.

    The URLs hold colons themselves, so the decline URL is told apart by its
    scheme: the first ``:http://`` or ``:https://`` after the accept URL.
    """
    parts = value.split(":", 3)
    if len(parts) < 4 or not all(parts):
        raise argparse.ArgumentTypeError(
            "--app needs CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL]"
        )
    client_id, secret, ru_name, urls = parts
    accept, *decline = re.split(r":(?=https?://)", urls, maxsplit=1)
    app = {
        "client_id": client_id,
        "client_secret": secret,
        "ru_name": ru_name,
        "accept_url": accept,
    }
    if decline:
        app["decline_url"] = decline[0]
    return app


def read_app_file(path):
    """The apps of ``path``: one ``--app`` value per line (# comments).

    Lets a script keep an app's client secret off the command line, where
    every user of the machine could read it.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.strip() for line in handle]
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"--app-file: {exc.strerror}") from exc
    return [parse_app(line) for line in lines if line and not line.startswith("#")]


def write_port_file(path, port):
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".emulator-port-")
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def add_state_file_option(parser):
    parser.add_argument(
        "--state-file",
        default=None,
        metavar="PATH",
        help="keep the state (apps, tokens, listings, orders...) in PATH: "
        "loaded at start (absent or unreadable: a clean start), saved as it "
        "changes and on stop",
    )


def serve(server, banner, state_file_path=None, prepare=None):
    """Serve ``server`` until Ctrl-C or SIGTERM, its state kept in
    ``state_file_path`` when given; ``prepare(state)`` runs once the kept
    state is loaded; prints ``banner`` once it listens."""
    state_file = None
    if state_file_path:
        state_file = StateFile(server.state, state_file_path)
        state_file.load()
    if prepare is not None:
        prepare(server.state)
    if state_file is not None:
        state_file.start()
    # A script stops its background processes with SIGTERM (they ignore
    # SIGINT): end as on Ctrl-C, so the last state is saved.
    signal.signal(signal.SIGTERM, _terminate)
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if state_file is not None:
            state_file.stop()
    return 0


def _terminate(signum, frame):
    # Once: a second SIGTERM must not cut the last save short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m emulator", description="A loopback eBay REST API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099, help="0: a free port")
    parser.add_argument(
        "--contracts",
        default=None,
        help="eBay's OpenAPI contracts folder (default: $EBAY_CONTRACTS_DIR, "
        "else ../shared/ebay-contracts beside the repository)",
    )
    parser.add_argument(
        "--app",
        action="append",
        type=parse_app,
        default=[],
        metavar="CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL]",
        help="an application registered at start and after every reset",
    )
    parser.add_argument(
        "--no-contracts",
        action="store_true",
        help="run WITHOUT checking requests and answers against eBay's contracts "
        "(without this flag the emulator refuses to start when none are found)",
    )
    parser.add_argument(
        "--app-file",
        action="append",
        type=read_app_file,
        default=[],
        metavar="PATH",
        help="a file of --app values, one per line (keeps secrets off argv)",
    )
    parser.add_argument("--port-file", default=None, help="write the port here")
    parser.add_argument(
        "--redeliver-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="send due notification redeliveries every SECONDS in the background "
        "(default 0: only when POST /_emulator/notifications/redeliver asks)",
    )
    add_state_file_option(parser)
    parser.add_argument(
        "--demo-seller",
        action="store_true",
        help="the seller has opted in to business policies and has a shipping, "
        "a payment and a return policy on EBAY_US (the demo's seller)",
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    apps = args.app + [app for apps in args.app_file for app in apps]
    if args.no_contracts and args.contracts:
        parser.error("--no-contracts and --contracts exclude each other")
    try:
        server = build_server(
            args.host, args.port, args.contracts, apps, args.no_contracts
        )
    except ContractsMissing as exc:
        print(f"ERROR: {exc}", file=sys.stderr, flush=True)
        return 2
    if args.no_contracts:
        banner = "!" * 78
        print(f"{banner}\n{UNCHECKED_WARNING}\n{banner}", file=sys.stderr, flush=True)
    if args.redeliver_every > 0:
        start_redelivery_pump(server.state, args.redeliver_every)
    host, port = server.server_address[:2]
    if args.port_file:
        write_port_file(args.port_file, port)
    return serve(
        server,
        f"eBay emulator listening on http://{host}:{port}",
        args.state_file,
        prepare=seed_demo_seller if args.demo_seller else None,
    )


if __name__ == "__main__":
    sys.exit(main())
