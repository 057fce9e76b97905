"""The emulator tests' eBay app, and what it does over HTTP: the seller's
consent and the app's token calls, on the one control client
(``emulator.client``)."""

import subprocess
from pathlib import Path
from urllib.parse import urlencode

from emulator.client import EbayEmulatorClient, query_of, start_process

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
TOKEN_PATH = EbayEmulatorClient.TOKEN_PATH

__all__ = ["APP", "EmuClient", "query_of", "start_cli"]


class EmuClient(EbayEmulatorClient):
    """The control client, with :data:`APP`'s side of eBay's OAuth."""

    def __init__(self, url, session=None):
        super().__init__(url, session, timeout=5)

    # -- the seller's browser ----------------------------------------------------
    def consent_page(self, scope=SCOPES, state="st", **overrides):
        return self.session.get(self.consent_url(scope, state, **overrides), timeout=5)

    def consent_url(self, scope=SCOPES, state="st", **overrides):
        query = {
            "client_id": APP["client_id"],
            "redirect_uri": APP["ru_name"],
            "response_type": "code",
            "scope": scope,
            "state": state,
            **overrides,
        }
        return f"{self.url}/oauth2/authorize?{urlencode(query)}"

    def seller_consent(self, decision="accept", **page_args):
        """Open the consent page, answer it; return (Location, its query)."""
        location = self.consent(
            self.consent_url(**page_args), decision, session=self.session
        )
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
        _location, params = self.seller_consent(scope=scope)
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


def start_cli(*args, stderr=subprocess.PIPE, env=None):
    """``python3 -m emulator`` on a free loopback port with ``args``.

    Returns (process, its start line, its base URL) once it listens; the
    caller terminates the process.
    """
    process, url = start_process(args, stdout=subprocess.PIPE, stderr=stderr, env=env)
    line = process.stdout.readline().strip()  # printed once it listens
    return process, line, url
