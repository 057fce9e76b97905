"""Anonymous posts to the notification endpoints, two companies.

Company A sells on eBay with notifications set up; company B has a manager
of its own.  Whatever B's manager does with his account, A's endpoint
accepts only what eBay signed, and nobody's post makes an account that may
not call eBay call it.
"""

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.res_config_settings import PARAM_PREFIX
from .ebay_common import CONTROLLER_LOGGER, EbayHttpCase, NotificationMixin

CLIENT_LOGGER = "odoo.addons.marketplace_connector.ebay.client"
KEY_PATH = "^/commerce/notification/v1/public_key/"


class AttackerHost:
    """A host of B's manager's own, on loopback: it answers eBay's token and
    public-key calls with his key, and remembers every request it got."""

    def __init__(self, kid, private_key):
        pem = (
            private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )
        seen = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body):
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                seen.append(("GET", self.path, self.headers.get("Authorization")))
                self._answer({"algorithm": "ECDSA", "digest": "SHA1", "key": pem})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                seen.append(("POST", self.path, self.headers.get("Authorization")))
                self._answer(
                    {
                        "access_token": "attacker-app-token",
                        "expires_in": 7200,
                        "token_type": "Application Access Token",
                    }
                )

            def log_message(self, format, *args):
                pass

        self.kid = kid
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@tagged("post_install", "-at_install")
class TestNotificationSecurity(NotificationMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        self.company_a = self.env.company
        self.account = self._connect(self._new_account(name="Shop A seller"))
        self._set_up_notifications(self.account)
        self.partner_a = self.env["res.partner"].create(
            {
                "name": "Jo Buyer",
                "email": "jo@example.com",
                "marketplace_buyer_username": "jo_buyer",
                "company_id": self.company_a.id,
            }
        )
        self.company_b = self.env["res.company"].create({"name": "Shop B"})
        self.manager_b = new_test_user(
            self.env,
            login="b_manager",
            company_id=self.company_b.id,
            company_ids=[(6, 0, [self.company_b.id])],
            groups="marketplace_connector.group_marketplace_manager,base.group_user",
        )
        self.user_b = new_test_user(
            self.env,
            login="b_user",
            company_id=self.company_b.id,
            company_ids=[(6, 0, [self.company_b.id])],
            groups="marketplace_connector.group_marketplace_user,base.group_user",
        )
        self.attacker_key = ec.generate_private_key(ec.SECP256R1())
        self.attacker = AttackerHost(f"attacker-{uuid.uuid4().hex}", self.attacker_key)
        self.addCleanup(self.attacker.stop)
        self.url = f"/ebay/notification/{self.account.id}"
        self.env.flush_all()

    # -- helpers ------------------------------------------------------------------
    def _account_b(self, **values):
        """B's manager creates his account in his company, as the form does."""
        account = (
            self.env["marketplace.account"]
            .with_user(self.manager_b)
            .create(
                dict(
                    {
                        "channel": "ebay",
                        "name": "Shop B seller",
                        "environment": "emulator",
                        "emulator_url": self.emulator.url,
                        "client_id": self.CLIENT_ID,
                        "ebay_ru_name": self.RU_NAME,
                        "company_id": self.company_b.id,
                    },
                    **values,
                )
            )
        )
        # From here on as the test's own user, like every other account.
        account = self.env["marketplace.account"].browse(account.id)
        self.env["marketplace.secret"]._store(
            account, "client_secret", self.client_secret
        )
        return account

    def _point_at_attacker(self, account):
        """B's manager tries to point his account at his own host.

        The server's switch alone says where the emulator is, so the write is
        refused; what follows checks that nothing else he can do makes his
        key trusted either.
        """
        with self.assertRaises(UserError), self.env.cr.savepoint():
            account.with_user(self.manager_b).write({"emulator_url": self.attacker.url})
        self.assertNotEqual(account.emulator_url, self.attacker.url)
        self.env.flush_all()

    def _forged_deletion(self):
        """A MARKETPLACE_ACCOUNT_DELETION naming A's buyer, signed by B."""
        raw = self._message(
            topic="MARKETPLACE_ACCOUNT_DELETION",
            data={"username": "jo_buyer", "userId": "u1", "eiasToken": "t"},
        )
        return raw, self._signed(raw, self.attacker.kid, self.attacker_key)

    def _assert_partner_a_untouched(self):
        self._run_jobs()
        self.partner_a.invalidate_recordset()
        self.assertEqual(self.partner_a.name, "Jo Buyer")
        self.assertEqual(self.partner_a.email, "jo@example.com")

    def _attempt_count(self):
        return self.env["marketplace.call"].sudo().search_count([])

    # -- forged notifications across companies ------------------------------------
    @mute_logger(CONTROLLER_LOGGER, CLIENT_LOGGER)
    def test_company_b_key_never_signs_for_company_a(self):
        account_b = self._account_b()
        self._point_at_attacker(account_b)
        raw, signature = self._forged_deletion()
        # B's own endpoint first: before, this cached his key for everyone.
        answer_b = self._post(raw, signature, url=f"/ebay/notification/{account_b.id}")
        self.assertTrue(400 <= answer_b.status_code < 500, answer_b.status_code)
        answer_a = self._post(raw, signature)
        self.assertEqual(answer_a.status_code, 412)
        # Logged in as B's user, the same post is refused the same way.
        self.authenticate("b_user", "b_user")
        self.assertEqual(self._post(raw, signature).status_code, 412)
        self.assertEqual(self.attacker.requests, [], "his host was never asked")
        self.assertFalse(self._inbox() | self._inbox(account_b))
        self._assert_partner_a_untouched()

    @mute_logger(CONTROLLER_LOGGER, CLIENT_LOGGER)
    def test_a_connected_account_moved_to_another_host_fetches_no_key(self):
        # B sets up a real account and its notifications, then re-points it.
        account_b = self._connect(self._account_b())
        self._set_up_notifications(account_b)
        self._point_at_attacker(account_b)
        raw, signature = self._forged_deletion()
        answer_b = self._post(raw, signature, url=f"/ebay/notification/{account_b.id}")
        self.assertEqual(answer_b.status_code, 412)
        self.assertEqual(
            self.attacker.requests, [], "no token, no secret, no call to his host"
        )
        self.assertEqual(self._post(raw, signature).status_code, 412)
        self.assertFalse(self._inbox() | self._inbox(account_b))
        self._assert_partner_a_untouched()
        # eBay's own signature still goes through on A's endpoint.
        genuine = self._message(
            topic="MARKETPLACE_ACCOUNT_DELETION", data={"username": "someone"}
        )
        self.assertEqual(self._post(genuine, self._signed(genuine)).status_code, 204)

    @mute_logger(CONTROLLER_LOGGER, CLIENT_LOGGER)
    def test_unknown_key_ids_are_remembered_and_write_no_call_rows(self):
        before = self._attempt_count()
        raw = self._message()
        stranger = ec.generate_private_key(ec.SECP256R1())
        unknown = f"unknown-{uuid.uuid4().hex}"
        for _i in range(3):
            answer = self._post(raw, self._signed(raw, unknown, stranger))
            self.assertEqual(answer.status_code, 412)
        calls = self.emulator.calls(path=KEY_PATH + unknown)
        self.assertEqual(len(calls), 1, "one lookup, then the answer is remembered")
        others = [f"other-{i}-{uuid.uuid4().hex}" for i in range(3)]
        for kid in others:
            self._post(raw, self._signed(raw, kid, stranger))
        self.assertEqual(len(self.emulator.calls(path=KEY_PATH + "other-")), 3)
        self.assertEqual(self._attempt_count(), before, "no call-log row per post")
        self.assertFalse(self._inbox())

    @mute_logger(CONTROLLER_LOGGER)
    def test_an_account_without_destination_is_refused_without_any_call(self):
        account = self._connect(self._new_account(name="Not set up"))
        self.env.flush_all()
        self.emulator._call("DELETE", "calls")
        raw = self._message()
        answer = self._post(
            raw, self._signed(raw), url=f"/ebay/notification/{account.id}"
        )
        self.assertEqual(answer.status_code, 404)
        self.assertEqual(self.emulator.calls(), [], "eBay was not asked anything")
        self.assertFalse(self._inbox(account))

    # -- nothing is sent to eBay until it is reconnected -------------------------
    @mute_logger(CONTROLLER_LOGGER)
    def test_a_disconnected_account_asks_eBay_nothing(self):
        self.account.action_disconnect()
        self.env.flush_all()
        self.emulator._call("DELETE", "calls")
        raw = self._message()
        self.assertEqual(self._post(raw, self._signed(raw)).status_code, 412)
        self.assertEqual(self.emulator.calls(), [], "no app token, no key lookup")
        self.assertFalse(self._inbox())

    @mute_logger(
        CONTROLLER_LOGGER,
        CLIENT_LOGGER,
        "odoo.addons.marketplace_connector.ebay.auth",
        "odoo.addons.marketplace_connector.models.marketplace.marketplace_account",
    )
    def test_an_account_needing_reauthorisation_asks_eBay_nothing(self):
        self.emulator.revoke()
        # Not assertRaises: its savepoint rollback would undo the new state.
        try:
            self.account.action_ebay_test_connection()
        except UserError:
            pass
        else:
            self.fail("a revoked consent must fail the connection test")
        self.assertEqual(self.account.state, "reauth")
        self.env.flush_all()
        self.emulator._call("DELETE", "calls")
        raw = self._message()
        self.assertEqual(self._post(raw, self._signed(raw)).status_code, 412)
        self.assertEqual(self.emulator.calls(), [], "no key lookup")
        self.assertFalse(self._inbox())

    # -- small leaks ----------------------------------------------------------------
    @mute_logger(CONTROLLER_LOGGER)
    def test_answers_never_name_the_account(self):
        secret_name = "Confidential Shop A"
        self.account.name = secret_name
        # An account that cannot ask eBay (no app credentials left).
        self.env["marketplace.secret"]._drop(
            self.account, kinds=("client_secret", "app_access")
        )
        self.env.flush_all()
        raw = self._message()
        answers = [
            self._post(raw, self._signed(raw)),
            self._post(raw, None),
            self._post(b"{", self._signed(b"{")),
        ]
        for answer in answers:
            self.assertTrue(400 <= answer.status_code < 500, answer.status_code)
            self.assertNotIn(secret_name, answer.text)
        self.assertFalse(self._inbox())

    # -- replays and the retention ------------------------------------------------
    def test_retention_cannot_go_below_the_replay_window(self):
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"marketplace_retention_days": 1})

    @mute_logger(CONTROLLER_LOGGER)
    def test_a_replay_inside_the_window_is_known_whatever_the_retention(self):
        published = datetime.now(timezone.utc) - timedelta(hours=36)
        raw = self._message(
            topic="MARKETPLACE_ACCOUNT_DELETION",
            data={"username": "nobody"},
            published=published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        )
        signature = self._signed(raw)
        self.assertEqual(self._post(raw, signature).status_code, 204)
        self._run_jobs()
        stored = self._inbox()
        self.assertEqual(stored.state, "done")
        # Received when published; a system parameter set to 1 day.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE marketplace_notification SET create_date = %s WHERE id = %s",
            (published.replace(tzinfo=None), stored.id),
        )
        self.env.invalidate_all()
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "retention_days", "1"
        )
        self.env["marketplace.account"]._cron_vacuum()
        self.assertTrue(stored.exists(), "kept while a replay can still arrive")
        jobs = self.env["queue.job"].search_count([])
        self.assertEqual(self._post(raw, signature).status_code, 204)
        self.assertEqual(self._inbox(), stored, "not stored a second time")
        self.assertEqual(self.env["queue.job"].search_count([]), jobs)
