"""The one control client of the emulator: tests, benchmarks and scripts.

Pure Python (``requests`` and the standard library); it never imports odoo
nor the emulator's server code, so it drives an emulator in this process or
in another one alike::

    from emulator.client import EbayEmulatorClient, start_process

    process, url = start_process(["--contracts", contracts_dir])
    emulator = EbayEmulatorClient(url).checked()
    emulator.reset()
    emulator.fault("^/sell/inventory/", "503", times=2)
    ...
    assert emulator.violations() == []

:class:`EmulatorClient` speaks the core's control API (``core/control.py``);
:class:`EbayEmulatorClient` adds the eBay personality's endpoints
(``ebay/control.py``) and the seller's side of eBay's consent page;
:class:`AmazonEmulatorClient` the Amazon personality's (``amazon/control.py``)
and the seller's side of Seller Central's consent page.  A
control call that is not answered 2xx raises :class:`ControlError` (a
``requests.HTTPError``) whose text holds the emulator's answer.
"""

import html.parser
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlparse

import requests

REPO_DIR = Path(__file__).resolve().parents[1]


class ControlError(requests.HTTPError):
    """The control API refused a call (its status and answer are in the text)."""


class EmulatorUnchecked(RuntimeError):
    """The emulator checks nothing against contracts: "no violation" proves
    nothing there, so callers that assert it refuse to run."""


class EmulatorDidNotStart(RuntimeError):
    """``python3 -m emulator`` exited or never wrote its port."""


def query_of(url):
    """The first value of each query parameter of ``url``."""
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


class EmulatorClient:
    """The core's control API (``/_emulator/...``) of the emulator at ``url``."""

    def __init__(self, url, session=None, timeout=10):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout

    def control(self, method, path, **kwargs):
        """``method /_emulator/<path>``: its JSON answer (None when empty)."""
        kwargs.setdefault("timeout", self.timeout)
        answer = self.session.request(method, f"{self.url}/_emulator/{path}", **kwargs)
        if not 200 <= answer.status_code < 300:
            raise ControlError(
                f"{answer.status_code} from {method} /_emulator/{path}: {answer.text}",
                response=answer,
            )
        return answer.json() if answer.content else None

    # The name the Odoo tests have always called it by.
    _call = control

    def health(self):
        return self.control("GET", "health")

    def checked(self):
        """This client, once its emulator says it checks requests and answers
        against its contracts; :class:`EmulatorUnchecked` otherwise."""
        health = self.health()
        if not health.get("checked") or not health.get("contracts"):
            raise EmulatorUnchecked(
                f"the emulator at {self.url} does not check requests and answers "
                f"against its contracts ({health}): the tests refuse to run"
            )
        return self

    def reset(self):
        return self.control("POST", "reset")

    def config(self, **values):
        return self.control("POST", "config", json=values)

    # -- faults and clock ----------------------------------------------------------
    def fault(self, path, kind, **options):
        """Add a fault (see ``core/control.py`` for ``options``)."""
        return self.control("POST", "faults", json=dict(options, path=path, kind=kind))

    def faults(self):
        return self.control("GET", "faults")["faults"]

    def clear_faults(self):
        return self.control("DELETE", "faults")

    def advance(self, seconds):
        return self.control("POST", "clock/advance", json={"seconds": seconds})

    def clock(self):
        return self.control("GET", "clock")

    # -- call log and violations ---------------------------------------------------
    def calls(self, path=None, method=None):
        """The logged calls, filtered by a ``path`` regex and a ``method``."""
        params = {k: v for k, v in (("path", path), ("method", method)) if v}
        return self.control("GET", "calls", params=params)["calls"]

    def call_count(self, path=None):
        params = {"path": path} if path else {}
        return self.control("GET", "calls", params=params)["count"]

    def clear_calls(self):
        return self.control("DELETE", "calls")

    def violations(self):
        return self.control("GET", "violations")["violations"]

    def clear_violations(self):
        return self.control("DELETE", "violations")

    def take_violations(self):
        """The violations recorded so far, then forgotten."""
        found = self.violations()
        self.clear_violations()
        return found


class EbayEmulatorClient(EmulatorClient):
    """The eBay personality's control API and the seller's side of consent."""

    TOKEN_PATH = "/identity/v1/oauth2/token"
    REQUEST_ID_HEADER = "X-EBAY-C-REQUEST-ID"

    def register_app(
        self, client_id, client_secret, ru_name, accept_url, decline_url=None
    ):
        return self.control(
            "POST",
            "apps",
            json={
                "client_id": client_id,
                "client_secret": client_secret,
                "ru_name": ru_name,
                "accept_url": accept_url,
                "decline_url": decline_url or accept_url,
            },
        )

    def revoke(self, **which):
        """Revoke ``refresh_token=``, a ``user=``'s tokens, or all."""
        return self.control("POST", "tokens/revoke", json=which)

    def token_calls(self, grant_type=None):
        """The logged calls of the token endpoint, of one ``grant_type``."""
        calls = self.calls(path=f"^{self.TOKEN_PATH}$")
        if grant_type:
            calls = [
                c
                for c in calls
                if (c.get("body") or {}).get("grant_type") == grant_type
            ]
        return calls

    def consent(self, consent_url, decision="accept", session=None):
        """Open eBay's consent page at ``consent_url`` as the seller and
        answer it (``accept`` or ``decline``).

        Returns the URL eBay redirects the browser to (the app's callback).
        """
        session = session or requests.Session()
        page = session.get(consent_url, timeout=self.timeout)
        page.raise_for_status()
        form = _FormParser.parse(page.text)
        data = dict(form.hidden, decision=decision)
        action = urljoin(page.url, form.action)
        answer = session.post(
            action, data=data, allow_redirects=False, timeout=self.timeout
        )
        if answer.status_code not in (302, 303):
            raise ControlError(
                f"the consent form answered {answer.status_code}: {answer.text}",
                response=answer,
            )
        return answer.headers["Location"]

    def seed_live_listings(self, listings):
        """Live listings made at once (``[{sku, price, quantity}]``); returns
        ``[{sku, offerId, listingId}]`` (``feed_api.py``)."""
        return self.control("POST", "listings/seed", json={"listings": listings})[
            "listings"
        ]

    def feed_tasks(self):
        """The Feed API's tasks, as the seller's API shows them."""
        return self.control("GET", "feed/tasks")["tasks"]

    def call(self, method, path, token=None, request_id=None, **kwargs):
        """An eBay API call with a bearer ``token`` and a request id."""
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers[self.REQUEST_ID_HEADER] = request_id or str(uuid.uuid4())
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(
            method, f"{self.url}{path}", headers=headers, **kwargs
        )


class AmazonEmulatorClient(EmulatorClient):
    """The Amazon personality's control API (``amazon/control.py``) and the
    seller's side of Seller Central's consent page."""

    TOKEN_PATH = "/auth/o2/token"
    CONSENT_PATH = "/apps/authorize/consent"
    TOKEN_HEADER = "x-amz-access-token"

    def amazon(self, method, path, **kwargs):
        """``method /_emulator/amazon/<path>``: its JSON answer."""
        return self.control(method, f"amazon/{path}", **kwargs)

    def add_app(
        self,
        client_id,
        client_secret,
        application_id,
        redirect_uri,
        secret_expires_at=None,
    ):
        """Register an LWA application (``redirect_uri``: one URI or a list)."""
        uris = [redirect_uri] if isinstance(redirect_uri, str) else list(redirect_uri)
        return self.amazon(
            "POST",
            "apps",
            json={
                "client_id": client_id,
                "client_secret": client_secret,
                "application_id": application_id,
                "redirect_uris": uris,
                "secret_expires_at": secret_expires_at,
            },
        )

    def add_seller(
        self, seller_id, region="NA", marketplaces=("ATVPDKIKX0DER",), name=None
    ):
        return self.amazon(
            "POST",
            "sellers",
            json={
                "seller_id": seller_id,
                "region": region,
                "marketplaces": list(marketplaces),
                "name": name,
            },
        )

    def self_authorize(self, client_id, seller_id="A1EMULATORSELLER"):
        """A refresh token of ``seller_id`` for ``client_id``, as Seller
        Central's self-authorization gives one."""
        answer = self.amazon(
            "POST",
            "self-authorize",
            json={"client_id": client_id, "seller_id": seller_id},
        )
        return answer["refresh_token"]

    def expire_client_secret(self, client_id):
        return self.amazon(
            "POST", "expire-client-secret", json={"client_id": client_id}
        )

    def revoke(self, refresh_token):
        return self.amazon("POST", "revoke", json={"refresh_token": refresh_token})

    def set_rate(self, operation, rate, burst):
        """Override a token bucket (an operationId, or one of the emulator's
        own bucket names, see ``amazon/rates.py``)."""
        return self.amazon(
            "POST", "rates", json={"operation": operation, "rate": rate, "burst": burst}
        )

    # -- listings (amazon/listings_control.py) -------------------------------------
    def listings(self, seller_id="A1EMULATORSELLER"):
        """``{sku: listing}`` of a seller as the emulator holds them."""
        return self.amazon("GET", f"listings/{quote(seller_id, safe='')}")

    def listing(self, seller_id, sku):
        """One listing (with its pending submissions); ControlError 404 if none."""
        return self.amazon(
            "GET", f"listings/{quote(seller_id, safe='')}/{quote(sku, safe='')}"
        )

    def apply_pending(self):
        """Apply every ACCEPTED submission now: the number applied."""
        return self.amazon("POST", "listings/apply")["applied"]

    def seed_listings(self, listings, seller_id="A1EMULATORSELLER"):
        """Listings already on Amazon (``[{sku, productType, requirements?,
        marketplaceIds, attributes}]``), applied at once as puts would be:
        the number listed."""
        return self.amazon(
            "POST",
            f"listings/{quote(seller_id, safe='')}/seed",
            json={"listings": listings},
        )["listed"]

    def add_issue(self, seller_id, sku, marketplace_id, issue):
        """Raise an issue on a live listing, as Amazon does after acceptance."""
        return self.amazon(
            "POST",
            f"listings/{quote(seller_id, safe='')}/{quote(sku, safe='')}/issues",
            json={"marketplace_id": marketplace_id, "issue": issue},
        )

    def clear_issues(self, seller_id, sku):
        return self.amazon(
            "DELETE",
            f"listings/{quote(seller_id, safe='')}/{quote(sku, safe='')}/issues",
        )

    def consent(self, consent_url, decision="confirm", seller_id=None, session=None):
        """Open the consent page at ``consent_url`` as the seller and answer
        it (``confirm`` or ``cancel``), as ``seller_id`` (default: the first
        the page offers).  Returns the URL the browser is redirected to."""
        session = session or requests.Session()
        page = session.get(consent_url, timeout=self.timeout)
        if page.status_code != 200:
            raise ControlError(
                f"the consent page answered {page.status_code}: {page.text}",
                response=page,
            )
        form = _FormParser.parse(page.text)
        data = dict(form.hidden, decision=decision)
        data["selling_partner_id"] = seller_id or form.first_option
        answer = session.post(
            urljoin(page.url, form.action),
            data=data,
            allow_redirects=False,
            timeout=self.timeout,
        )
        if answer.status_code != 302:
            raise ControlError(
                f"the consent form answered {answer.status_code}: {answer.text}",
                response=answer,
            )
        return answer.headers["Location"]

    def lwa_calls(self, grant_type=None):
        """The logged calls of LWA's token endpoint, of one ``grant_type``
        (secrets redacted)."""
        calls = self.calls(path=f"^{self.TOKEN_PATH}$")
        if grant_type:
            calls = [
                c
                for c in calls
                if isinstance(c.get("body"), dict)
                and c["body"].get("grant_type") == grant_type
            ]
        return calls

    def lwa(self, **form):
        """``POST /auth/o2/token`` with ``form`` (the raw answer)."""
        return self.session.post(
            f"{self.url}{self.TOKEN_PATH}", data=form, timeout=self.timeout
        )

    def call(self, method, path, token=None, **kwargs):
        """An SP-API call with an access ``token`` (the raw answer)."""
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers[self.TOKEN_HEADER] = token
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(
            method, f"{self.url}{path}", headers=headers, **kwargs
        )

    # -- orders and RDTs (amazon/orders_control.py, amazon/tokens_api.py) ----------
    def create_order(self, marketplace_id, items, seller_id="A1EMULATORSELLER", **kw):
        """A new order (``OrdersStore.create``'s keywords: fulfilled_by,
        status, shipping, gift_wrap, tax, buyer, ship_to, order_id), as
        stored: every dataset, PII and packages, plus ``sellerId``."""
        body = {"seller_id": seller_id, "marketplace_id": marketplace_id, **kw}
        return self.amazon("POST", "orders", json={**body, "items": list(items)})

    def set_order_status(self, order_id, status):
        """Move an order (PENDING -> UNSHIPPED...; CANCELLED cancels)."""
        return self.amazon(
            "POST", f"orders/{quote(order_id, safe='')}/status", json={"status": status}
        )

    def cancel_order(self, order_id, cancelled_by="BUYER", reason="Buyer cancelled"):
        return self.amazon(
            "POST",
            f"orders/{quote(order_id, safe='')}/cancel",
            json={"cancelled_by": cancelled_by, "reason": reason},
        )

    def orders(self, seller_id=None):
        """Every order (of ``seller_id``) as stored, oldest first."""
        params = {"seller_id": seller_id} if seller_id else {}
        return self.amazon("GET", "orders", params=params)["orders"]

    def order(self, order_id):
        """One order as stored (with its packages); ControlError 404 if none."""
        return self.amazon("GET", f"orders/{quote(order_id, safe='')}")

    def restricted_tokens(self):
        """What createRestrictedDataToken issued: ``{count, paths,
        dataElements, tokens: [{seller_id, resources, issued_at,
        expires_at}]}``, never a token."""
        return self.amazon("GET", "restricted-tokens")

    # -- feeds, documents, reports (amazon/feeds_control.py) -----------------------
    def feeds(self, seller_id=None):
        """The feeds (of ``seller_id``), oldest first, as getFeed shows them
        plus ``seller_id`` and ``inputFeedDocumentId``."""
        params = {"seller_id": seller_id} if seller_id else {}
        return self.amazon("GET", "feeds", params=params)["feeds"]

    def feed(self, feed_id):
        """One feed with its decoded ``messages`` and its processing
        ``report`` (once processed)."""
        return self.amazon("GET", f"feeds/{feed_id}")

    def process_feeds(self):
        """Process every queued or running feed now (the clock aside)."""
        return self.amazon("POST", "feeds/process")

    def process_reports(self):
        """Finish every queued or running report now."""
        return self.amazon("POST", "reports/process")

    def documents(self):
        """The stored documents (feed inputs, processing reports, reports),
        without their bytes."""
        return self.amazon("GET", "documents")["documents"]

    # -- notifications (amazon/sqs_delivery.py) ------------------------------------
    def notification_delivery(self, duplicates=None, hold=None):
        """Each ORDER_CHANGE sent 1 + ``duplicates`` times; ``hold`` keeps
        them until :meth:`release_notifications`."""
        body = {
            k: v
            for k, v in (("duplicates", duplicates), ("hold", hold))
            if v is not None
        }
        return self.amazon("POST", "notifications/delivery", json=body)

    def release_notifications(self, order="sent"):
        """Send the held messages, ``"sent"`` order or ``"reverse"``d."""
        return self.amazon("POST", "notifications/release", json={"order": order})[
            "released"
        ]

    def sqs_send_raw(self, queue_arn, body):
        """A raw message into ``queue_arn`` (malformed or foreign ones)."""
        return self.amazon(
            "POST", "sqs/send", json={"queue_arn": queue_arn, "body": body}
        )["sent"]

    def notifications_sent(self):
        """What was sent: ``[{queue_arn, notification_id, order_id, at, ok,
        error?}]`` (no bodies)."""
        return self.amazon("GET", "notifications/sent")["sent"]

    def notification_setup(self):
        """``{"destinations": [...], "subscriptions": [...]}`` of every app."""
        return self.amazon("GET", "notifications/setup")


class _FormParser(html.parser.HTMLParser):
    """Reads the consent page's form: its action and hidden fields."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.hidden = {}
        self.first_option = None

    @classmethod
    def parse(cls, text):
        parser = cls()
        parser.feed(text)
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs.get("name")] = attrs.get("value", "")
        if tag == "option" and self.first_option is None:
            self.first_option = attrs.get("value")


def start_process(
    args=(), stdout=subprocess.DEVNULL, stderr=None, env=None, module="emulator"
):
    """``python3 -m <module> --port 0 ARGS`` from the repository root
    (``emulator``: eBay's; ``emulator.amazon``: Amazon's).

    Returns ``(process, url)`` once it has written its port.  ``stderr``
    defaults to a temporary log file (a pipe nobody reads would fill and
    stall it), shown in :class:`EmulatorDidNotStart` if it exits first.
    The caller terminates the process.
    """
    folder = tempfile.mkdtemp(prefix="emulator-")
    port_file = Path(folder, "port")
    log = None
    if stderr is None:
        log = open(Path(folder, "emulator.log"), "w")  # noqa: SIM115 (the child's)
        stderr = log
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0"]
        + ["--port-file", str(port_file), *args],
        cwd=REPO_DIR,
        stdout=stdout,
        stderr=stderr,
        text=True,
        env=env,
    )
    if log is not None:
        log.close()  # the child holds its own descriptor
    for _i in range(200):
        if port_file.exists():
            return process, f"http://127.0.0.1:{port_file.read_text().strip()}"
        if process.poll() is not None:
            text = Path(log.name).read_text() if log is not None else ""
            raise EmulatorDidNotStart(f"the emulator did not start: {text}")
        time.sleep(0.05)
    process.terminate()
    raise EmulatorDidNotStart("the emulator did not write its port in 10 s")


SQS_ENDPOINT_ENV = "AMAZON_SQS_ENDPOINT_URL"


def start_moto(stderr=None):
    """moto's server mode (a local AWS: SQS) on a free loopback port, as
    ``scripts/lib.sh``'s ``start_moto`` runs it: ``(process, url)`` once it
    answers.  The caller terminates the process."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    log = None
    if stderr is None:
        folder = tempfile.mkdtemp(prefix="moto-")
        log = open(Path(folder, "moto.log"), "w")  # noqa: SIM115 (the child's)
        stderr = log
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    if log is not None:
        log.close()
    url = f"http://127.0.0.1:{port}"
    for _i in range(300):
        try:
            requests.get(f"{url}/moto-api/", timeout=1)
            return process, url
        except requests.ConnectionError:
            if process.poll() is not None:
                text = Path(log.name).read_text() if log is not None else ""
                raise EmulatorDidNotStart(f"moto did not start: {text}") from None
            time.sleep(0.05)
    process.terminate()
    raise EmulatorDidNotStart("moto did not answer in 15 s")


def contracts_options():
    """``--contracts`` with ``EBAY_CONTRACTS_DIR`` or ``../shared/ebay-contracts``."""
    contracts = (
        os.environ.get("EBAY_CONTRACTS_DIR")
        or REPO_DIR.parent / "shared" / "ebay-contracts"
    )
    return ["--contracts", str(contracts)]


def amazon_models_options():
    """``--models`` with ``AMAZON_MODELS_DIR`` or ``../shared/amazon-models``."""
    models = (
        os.environ.get("AMAZON_MODELS_DIR")
        or REPO_DIR.parent / "shared" / "amazon-models"
    )
    return ["--models", str(models)]
