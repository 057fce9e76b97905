"""The emulator tests' Amazon app, and what it does over HTTP: the seller's
consent and the app's LWA calls, on the one control client
(``emulator.client``)."""

import subprocess
from urllib.parse import urlencode

from emulator.client import AmazonEmulatorClient, query_of, start_process

APP = {
    "client_id": "amzn1.application-oa2-client.emulatortests",
    "client_secret": "amzn1.oa2-cs.v1.s3cret",
    "application_id": "amzn1.sp.solution.emulator-tests",
    "redirect_uri": "https://odoo.example/amazon/callback?x=1",
}
SELLER = "A1EMULATORSELLER"
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"
NOTIFICATIONS_SCOPE = "sellingpartnerapi::notifications"
PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"

__all__ = ["APP", "AmazonEmuClient", "query_of", "start_amazon_cli"]


class AmazonEmuClient(AmazonEmulatorClient):
    """The control client, with :data:`APP`'s side of LWA and consent."""

    def __init__(self, url, session=None):
        super().__init__(url, session, timeout=5)

    def consent_url(self, state="st-1", **overrides):
        query = {"application_id": APP["application_id"], "state": state, **overrides}
        return f"{self.url}{self.CONSENT_PATH}?{urlencode(query)}"

    def seller_consent(self, decision="confirm", seller_id=None, **page_args):
        """Open the consent page and answer it: (Location, its query)."""
        location = self.consent(
            self.consent_url(**page_args), decision, seller_id, session=self.session
        )
        return location, query_of(location)

    def app_lwa(self, secret=APP["client_secret"], **form):
        return self.lwa(client_id=APP["client_id"], client_secret=secret, **form)

    def exchange(self, code, redirect_uri=APP["redirect_uri"]):
        return self.app_lwa(
            grant_type="authorization_code", code=code, redirect_uri=redirect_uri
        )

    def refresh_token(self, seller_id=SELLER):
        return self.self_authorize(APP["client_id"], seller_id)

    def access_token(self, seller_id=SELLER):
        """A seller's access token through a refresh token."""
        answer = self.app_lwa(
            grant_type="refresh_token", refresh_token=self.refresh_token(seller_id)
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def grantless_token(self, scope=NOTIFICATIONS_SCOPE):
        answer = self.app_lwa(grant_type="client_credentials", scope=scope)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]


def start_amazon_cli(*args, stderr=subprocess.PIPE, env=None):
    """``python3 -m emulator.amazon`` on a free loopback port with ``args``:
    (process, its start line, its base URL); the caller terminates it."""
    process, url = start_process(
        args, stdout=subprocess.PIPE, stderr=stderr, env=env, module="emulator.amazon"
    )
    line = process.stdout.readline().strip()
    return process, line, url
