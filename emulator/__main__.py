"""``python3 -m emulator``: run the eBay emulator in the foreground."""

import argparse
import logging
import sys

from . import build_server


def parse_app(value):
    parts = value.split(":", 3)
    if len(parts) < 4:
        raise argparse.ArgumentTypeError(
            "--app needs CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL"
        )
    return {
        "client_id": parts[0],
        "client_secret": parts[1],
        "ru_name": parts[2],
        "accept_url": parts[3],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--contracts", default=None)
    parser.add_argument("--app", action="append", type=parse_app, default=[])
    parser.add_argument("--port-file", default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    server = build_server(args.host, args.port, args.contracts, args.app)
    host, port = server.server_address[:2]
    if args.port_file:
        with open(args.port_file, "w") as handle:
            handle.write(str(port))
    print(f"eBay emulator listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
