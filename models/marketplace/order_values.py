"""The order a channel hands to the neutral import: plain values, no Odoo.

A channel reads its marketplace's order (JSON, XML, a report row...) into an
:class:`OrderValues`; ``marketplace.order`` claims it, matches the buyer and
the delivery address, and makes or updates the sale order from these values
alone.  Nothing here knows a channel, and nothing imports Odoo, so a
channel's mapping can be read and tested as plain Python.

It lives next to the neutral order model because it is that model's input;
it is a module of its own (not a model file) so that the channels' order
files import it without importing a model.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Money:
    """An amount as the marketplace sent it (0.0 when it sent none)."""

    amount: float = 0.0
    currency: str | None = None


@dataclass(frozen=True)
class Address:
    """A person and a postal address; every part may be missing."""

    name: str | None = None
    email: str | None = None
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    zip: str | None = None
    country_code: str | None = None
    state_code: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class OrderLine:
    """One line of the order: ``total`` is the line's price for its whole
    quantity, before the taxes the marketplace collects."""

    remote_line_id: str
    sku: str | None
    quantity: int = 1
    total: Money = field(default_factory=Money)
    title: str | None = None


@dataclass(frozen=True)
class Charge:
    """Something the buyer paid for besides the goods and the delivery (gift
    wrap...): a service line of its own.  ``kind`` names the service
    (``"gift_wrap"``); ``label`` is the line's text; ``total`` is before the
    taxes the marketplace collects."""

    kind: str
    label: str
    total: Money = field(default_factory=Money)


@dataclass(frozen=True)
class RefundValues:
    """A refund the marketplace reports on the order, under its own id.

    ``amount`` is the whole refund; ``line_amounts`` its share of each line
    (``(remote line id, amount)``), empty for a refund of the order as a
    whole.  ``status`` is the marketplace's word; ``done`` says the money
    went back to the buyer, ``failed`` that it never will."""

    remote_refund_id: str
    amount: Money = field(default_factory=Money)
    line_amounts: tuple[tuple[str, float], ...] = ()
    refunded_at: datetime | None = None
    status: str | None = None
    done: bool = False
    failed: bool = False


@dataclass(frozen=True)
class OrderValues:
    """One marketplace order, as the neutral import needs it.

    ``payment_status``, ``fulfillment_status`` and ``cancel_state`` are the
    marketplace's own words, shown to staff; ``paid``, ``cancelled`` and
    ``refunded`` are what the import acts on.  ``payload`` is the order as
    the marketplace sent it (text), kept so a flagged order can be imported
    again once its products are fixed.

    ``waiting``: the marketplace has the order but the seller may not fulfil
    it yet (the buyer's payment is not through, say): it is staged without a
    sale order until the marketplace releases it.
    ``fulfilled_by_marketplace``: the marketplace ships it from its own
    stock; the sale order is made and confirmed but nothing leaves the
    seller's warehouse.
    ``charges``: the order's other paid services, each a service line.
    ``refunds``: the refunds made to the buyer so far, each once by its id.
    """

    remote_order_id: str
    buyer_username: str
    lines: tuple[OrderLine, ...] = ()
    buyer: Address = field(default_factory=Address)
    ship_to: Address = field(default_factory=Address)
    total: Money = field(default_factory=Money)
    delivery_cost: Money = field(default_factory=Money)
    collected_tax: float = 0.0
    created_at: datetime | None = None
    modified_at: datetime | None = None
    payment_status: str | None = None
    fulfillment_status: str | None = None
    cancel_state: str | None = None
    paid: bool = False
    cancelled: bool = False
    refunded: bool = False
    waiting: bool = False
    fulfilled_by_marketplace: bool = False
    charges: tuple[Charge, ...] = ()
    refunds: tuple[RefundValues, ...] = ()
    payload: str | None = None
