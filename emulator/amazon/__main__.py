"""``python3 -m emulator.amazon``: run the Amazon emulator in the foreground.

Prints one line, ``Amazon emulator listening on http://HOST:PORT``, once it
accepts connections; with ``--port 0`` a free port is chosen and, with
``--port-file``, written to that file (atomically).
"""

import argparse
import logging
import os
import sys

from ..__main__ import add_state_file_option, serve, write_port_file
from . import UNCHECKED_WARNING, ContractsMissing, build_server


def parse_app(value):
    """``CLIENT_ID:CLIENT_SECRET:APPLICATION_ID:REDIRECT_URI`` (the URI holds
    colons itself: everything after the third colon)."""
    parts = value.split(":", 3)
    if len(parts) < 4 or not all(parts):
        raise argparse.ArgumentTypeError(
            "an app is CLIENT_ID:CLIENT_SECRET:APPLICATION_ID:REDIRECT_URI"
        )
    client_id, secret, application_id, redirect_uri = parts
    return {
        "client_id": client_id,
        "client_secret": secret,
        "application_id": application_id,
        "redirect_uri": redirect_uri,
    }


def read_app_file(path):
    """The apps of ``path``: one app per line (# comments); keeps the client
    secret off the command line, where every user of the machine reads it."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.strip() for line in handle]
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"--app-file: {exc.strerror}") from exc
    return [parse_app(line) for line in lines if line and not line.startswith("#")]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m emulator.amazon",
        description="A loopback Amazon (LWA + Selling Partner API) emulator.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8098, help="0: a free port")
    parser.add_argument(
        "--models",
        default=None,
        help="the amazon-models folder (default: $AMAZON_MODELS_DIR, else "
        "../shared/amazon-models beside the repository)",
    )
    parser.add_argument(
        "--no-contracts",
        action="store_true",
        help="run WITHOUT checking requests and answers against Amazon's models "
        "(without this flag the emulator refuses to start when none are found)",
    )
    parser.add_argument(
        "--app-file",
        action="append",
        type=read_app_file,
        default=[],
        metavar="PATH",
        help="apps registered at start and after every reset, one "
        "CLIENT_ID:CLIENT_SECRET:APPLICATION_ID:REDIRECT_URI a line",
    )
    parser.add_argument(
        "--sqs-endpoint-url",
        default=os.environ.get("AMAZON_SQS_ENDPOINT_URL") or None,
        metavar="URL",
        help="the SQS endpoint (moto on loopback) notifications are delivered "
        "to (default: $AMAZON_SQS_ENDPOINT_URL; none: nothing is delivered)",
    )
    parser.add_argument("--port-file", default=None, help="write the port here")
    add_state_file_option(parser)
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.no_contracts and args.models:
        parser.error("--no-contracts and --models exclude each other")
    apps = [app for apps in args.app_file for app in apps]
    try:
        server = build_server(
            args.host,
            args.port,
            args.models,
            apps,
            args.no_contracts,
            args.sqs_endpoint_url or "",
        )
    except ContractsMissing as exc:
        print(f"ERROR: {exc}", file=sys.stderr, flush=True)
        return 2
    if args.no_contracts:
        banner = "!" * 78
        print(f"{banner}\n{UNCHECKED_WARNING}\n{banner}", file=sys.stderr, flush=True)
    host, port = server.server_address[:2]
    if args.port_file:
        write_port_file(args.port_file, port)
    return serve(
        server, f"Amazon emulator listening on http://{host}:{port}", args.state_file
    )


if __name__ == "__main__":
    sys.exit(main())
