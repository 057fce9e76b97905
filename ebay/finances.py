"""Sell Finances API v1: the seller's monetary transactions and payouts.

eBay serves it on the ``apiz`` host (the contract's first server).  Every
operation needs the ``sell.finances`` scope and the
``X-EBAY-C-MARKETPLACE-ID`` header (required by the contract; eBay assumes
EBAY_US without it).  A search that matches nothing is answered 204 with no
body: the page readers here return an empty page then.
"""

from dataclasses import dataclass
from decimal import Decimal

from .fulfillment import iso_utc
from .paths import path_segment

BASE = "/sell/finances/v1"
# getTransactions: "Maximum: 1000"; getPayouts: "Maximum: 200".
TRANSACTION_PAGE_LIMIT = 1000
PAYOUT_PAGE_LIMIT = 200
DEFAULT_MARKETPLACE = "EBAY_US"
# Payouts whose money has left the seller's eBay balance for the bank
# (PayoutStatusEnum); RETRYABLE_FAILED, TERMINAL_FAILED and REVERSED leave
# (or bring back) the money on eBay.
PAYOUT_SENT_STATUSES = ("INITIATED", "SUCCEEDED")


def _window(name, since, until):
    """``name:[from..to]`` in eBay's UTC format; open-ended without ``until``."""
    return f"{name}:[{iso_utc(since)}..{iso_utc(until) if until else ''}]"


def _amount(container):
    """Decimal value and currency code of an eBay ``Amount`` (0 when absent)."""
    container = container or {}
    return Decimal(str(container.get("value") or "0")), container.get("currency")


@dataclass(frozen=True)
class Fee:
    """One fee of a transaction: its eBay FeeTypeEnum value and amount."""

    fee_type: str
    amount: Decimal


@dataclass(frozen=True)
class Transaction:
    """A monetary transaction as the connector books it.

    ``signed_amount`` is what it did to the seller's eBay balance (credits
    positive, debits negative); ``fees`` are what eBay charged on it (on a
    SALE) or credited back (on a REFUND: positive amounts that reduce the
    fees); ``fee_total`` is their sum as eBay gives it.
    """

    transaction_id: str
    transaction_type: str
    date: str
    signed_amount: Decimal
    currency: str
    fee_total: Decimal
    fees: tuple
    order_id: str | None
    payout_id: str | None
    status: str | None
    memo: str | None

    @property
    def key(self):
        """eBay's transaction id is unique only with its type."""
        return f"{self.transaction_type}:{self.transaction_id}"


@dataclass(frozen=True)
class Payout:
    payout_id: str
    date: str
    status: str
    amount: Decimal
    currency: str
    transaction_count: int
    bank_reference: str | None

    @property
    def sent(self):
        return self.status in PAYOUT_SENT_STATUSES


def transaction_of(data):
    """A :class:`Transaction` from one entry of getTransactions."""
    value, currency = _amount(data.get("amount"))
    sign = 1 if data.get("bookingEntry") == "CREDIT" else -1
    fees = tuple(
        Fee(fee.get("feeType") or "OTHER_FEES", _amount(fee.get("amount"))[0])
        for line in data.get("orderLineItems") or []
        for fee in line.get("marketplaceFees") or []
    )
    fee_total = _amount(data.get("totalFeeAmount"))[0]
    if not fees and data.get("feeType"):
        # A NON_SALE_CHARGE names its fee on the transaction itself.
        fees = (Fee(data["feeType"], fee_total or value),)
    return Transaction(
        transaction_id=str(data.get("transactionId") or ""),
        transaction_type=data.get("transactionType") or "",
        date=data.get("transactionDate") or "",
        signed_amount=sign * value,
        currency=currency,
        fee_total=fee_total,
        fees=fees,
        order_id=data.get("orderId"),
        payout_id=data.get("payoutId"),
        status=data.get("transactionStatus"),
        memo=data.get("transactionMemo"),
    )


def payout_of(data):
    """A :class:`Payout` from getPayout or one entry of getPayouts."""
    value, currency = _amount(data.get("amount"))
    return Payout(
        payout_id=str(data.get("payoutId") or ""),
        date=data.get("payoutDate") or "",
        status=data.get("payoutStatus") or "",
        amount=value,
        currency=currency,
        transaction_count=int(data.get("transactionCount") or 0),
        bank_reference=data.get("bankReference"),
    )


class FinancesApi:
    def __init__(self, client):
        self.client = client

    def _get(self, path, operation, params=None):
        marketplace = self.client.marketplace_id or DEFAULT_MARKETPLACE
        return self.client.request(
            "GET",
            BASE + path,
            host="apiz",
            operation=operation,
            params=params,
            headers={"X-EBAY-C-MARKETPLACE-ID": marketplace},
        )

    def get_transactions_page(
        self, since, until=None, offset=0, limit=TRANSACTION_PAGE_LIMIT
    ):
        """One page of the transactions dated from ``since`` (to ``until``),
        oldest first: ``(transactions, more)``; ``more`` says a next page
        exists."""
        data = self._get(
            "/transaction",
            "getTransactions",
            params={
                "filter": _window("transactionDate", since, until),
                "sort": "transactionDate",
                "limit": limit,
                "offset": offset,
            },
        ).data
        data = data or {}  # 204: nothing matched
        found = [transaction_of(t) for t in data.get("transactions") or []]
        return found, bool(data.get("next"))

    def get_payouts_page(self, since, until=None, offset=0, limit=PAYOUT_PAGE_LIMIT):
        """One page of the payouts dated from ``since``, oldest first:
        ``(payouts, more)``."""
        data = self._get(
            "/payout",
            "getPayouts",
            params={
                "filter": _window("payoutDate", since, until),
                "sort": "payoutDate",
                "limit": limit,
                "offset": offset,
            },
        ).data
        data = data or {}
        return [payout_of(p) for p in data.get("payouts") or []], bool(data.get("next"))

    def get_payout(self, payout_id):
        data = self._get(
            f"/payout/{path_segment(payout_id, 'payout id')}", "getPayout"
        ).data
        return payout_of(data or {})

    def get_transaction_summary(self, status="FUNDS_AVAILABLE_FOR_PAYOUT"):
        """getTransactionSummary of the transactions in ``status`` (eBay
        requires a status), as eBay answers it."""
        return (
            self._get(
                "/transaction_summary",
                "getTransactionSummary",
                params={"filter": f"transactionStatus:{{{status}}}"},
            ).data
            or {}
        )
