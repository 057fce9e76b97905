"""What the emulator's tests do over HTTP: consent, tokens, eBay calls, control."""

import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

APP = {
    "client_id": "app",
    "client_secret": "s3cret",
    "ru_name": "ru",
    "accept_url": "http://127.0.0.1:1/accept",
    "decline_url": "http://127.0.0.1:1/decline",
}
API_SCOPE = "https://api.ebay.com/oauth/api_scope"
SCOPES = (
    f"{API_SCOPE} {API_SCOPE}/sell.inventory {API_SCOPE}/commerce.identity.readonly"
)
USER_PATH = "/commerce/identity/v1/user/"
REPO_DIR = Path(__file__).resolve().parents[2]
TOKEN_PATH = "/identity/v1/oauth2/token"


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


class EmuClient:
    def __init__(self, url, session):
        self.url = url
        self.session = session

    # -- the seller's browser ----------------------------------------------------
    def consent_page(self, scope=SCOPES, state="st", **overrides):
        query = {
            "client_id": APP["client_id"],
            "redirect_uri": APP["ru_name"],
            "response_type": "code",
            "scope": scope,
            "state": state,
            **overrides,
        }
        return self.session.get(
            f"{self.url}/oauth2/authorize?{urlencode(query)}", timeout=5
        )

    def consent(self, decision="accept", **page_args):
        """Open the consent page, answer it; return (Location, its query)."""
        page = self.consent_page(**page_args)
        assert page.status_code == 200, page.text
        ticket = re.search(r"name='ticket' value='([^']+)'", page.text).group(1)
        answer = self.session.post(
            f"{self.url}/oauth2/authorize/decide",
            data={"ticket": ticket, "decision": decision},
            allow_redirects=False,
            timeout=5,
        )
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
        return location, query_of(location)

    # -- the app's token calls ---------------------------------------------------
    def token(self, secret=APP["client_secret"], **form):
        return self.session.post(
            f"{self.url}{TOKEN_PATH}",
            data=form,
            auth=(APP["client_id"], secret),
            timeout=5,
        )

    def user_tokens(self, scope=SCOPES):
        _location, params = self.consent(scope=scope)
        answer = self.token(
            grant_type="authorization_code",
            code=params["code"],
            redirect_uri=APP["ru_name"],
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def app_token(self):
        answer = self.token(grant_type="client_credentials", scope=API_SCOPE)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    # -- eBay calls ----------------------------------------------------------------
    def call(self, method, path, token=None, request_id=None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers["X-EBAY-C-REQUEST-ID"] = request_id or str(uuid.uuid4())
        kwargs.setdefault("timeout", 5)
        return self.session.request(
            method, f"{self.url}{path}", headers=headers, **kwargs
        )

    # -- control API -----------------------------------------------------------------
    def control(self, method, path, **kwargs):
        answer = self.session.request(
            method, f"{self.url}/_emulator/{path}", timeout=5, **kwargs
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def fault(self, **fault):
        return self.control("POST", "faults", json=fault)

    def advance(self, seconds):
        return self.control("POST", "clock/advance", json={"seconds": seconds})

    def calls(self, **params):
        return self.control("GET", "calls", params=params)["calls"]

    def violations(self):
        return self.control("GET", "violations")["violations"]

    def take_violations(self):
        """The violations recorded so far, then forgotten (the ``emu``
        fixture fails a test that leaves any)."""
        found = self.violations()
        self.control("DELETE", "violations")
        return found


def start_cli(tmp_path, *args, stderr=subprocess.PIPE, env=None):
    """``python3 -m emulator`` on a free loopback port with ``args``.

    Returns (process, its start line, its base URL) once it listens; the
    caller terminates the process.
    """
    port_file = tmp_path / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0"]
        + ["--port-file", str(port_file), *args],
        cwd=REPO_DIR,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=env,
    )
    line = process.stdout.readline().strip()  # printed once it listens
    return process, line, f"http://127.0.0.1:{port_file.read_text().strip()}"
