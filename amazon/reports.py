"""Reports API 2021-06-30: the merchant listings report, for reconciliation.

GET_MERCHANT_LISTINGS_ALL_DATA lists every listing of a seller in one
marketplace (GET_MERCHANT_LISTINGS_DATA: the active ones) as tab-separated
text: createReport, getReport until DONE, getReportDocument, download
(:mod:`.documents`), then :func:`parse_merchant_listings`.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from .documents import DocumentTransfer
from .paths import path_segment

BASE = "/reports/2021-06-30"
MERCHANT_LISTINGS_ALL = "GET_MERCHANT_LISTINGS_ALL_DATA"
MERCHANT_LISTINGS_ACTIVE = "GET_MERCHANT_LISTINGS_DATA"
TERMINAL_STATUSES = frozenset({"DONE", "FATAL", "CANCELLED"})

# Report columns -> the keys parse_merchant_listings gives.  The columns are
# those of Amazon's "All Listings Report" as sample files and third-party
# parsers show them; the report-type page lists no columns [UNCONFIRMED in
# detail], so every column is also kept under "columns" as it came.
COLUMNS = {
    "seller-sku": "sku",
    "asin1": "asin",
    "item-name": "item_name",
    "listing-id": "listing_id",
    "price": "price",
    "quantity": "quantity",
    "status": "status",
    "fulfillment-channel": "fulfillment_channel",
    "product-id": "product_id",
    "product-id-type": "product_id_type",
    "item-condition": "condition",
    "open-date": "open_date",
}


def _decimal(text):
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _integer(text):
    try:
        return int(text) if text else None
    except ValueError:
        return None


def decode_report(data):
    """Report bytes as text: UTF-8 (with or without BOM), else Windows-1252.

    Older flat files came in the marketplace's legacy code page
    [UNCONFIRMED for today]: cp1252 reads any byte, so a report is never
    lost to one odd character.
    """
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_merchant_listings(text):
    """The rows of a merchant listings report, one dict per listing:
    ``sku``, ``asin``, ``item_name``, ``listing_id``, ``price`` (Decimal or
    None), ``quantity`` (int, or None for Amazon-fulfilled stock, which the
    report leaves empty), ``status``, ``fulfillment_channel``,
    ``product_id``, ``product_id_type``, ``condition``, ``open_date`` (text,
    as Amazon wrote it) and ``columns`` (every column of the row, as it came).

    Rows without a SKU are skipped.  ``text`` may be bytes.
    """
    text = decode_report(text)
    # Flat files are not quoted: a '"' in an item name is just a character.
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return []
    header = [name.strip().lower() for name in header]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        columns = {
            name: (cells[i].strip() if i < len(cells) else "")
            for i, name in enumerate(header)
        }
        row = {key: columns.get(column, "") for column, key in COLUMNS.items()}
        if not row["sku"]:
            continue
        row["price"] = _decimal(row["price"])
        row["quantity"] = _integer(row["quantity"])
        row["columns"] = columns
        rows.append(row)
    return rows


class ReportsApi:
    """Reports 2021-06-30 for one client (``client.reports``)."""

    def __init__(self, client, document_session=None):
        self.client = client
        self.documents = DocumentTransfer(client, document_session)

    def create_report(self, report_type, marketplace_ids, options=None):
        """createReport: the report's id (Amazon answers 202: queued)."""
        body = {"reportType": report_type, "marketplaceIds": list(marketplace_ids)}
        if options:
            body["reportOptions"] = dict(options)
        data = self.client.request(
            "createReport", "POST", f"{BASE}/reports", json=body
        ).data
        return (data or {}).get("reportId")

    def get_report(self, report_id):
        """getReport: ``{reportId, processingStatus, reportDocumentId?, ...}``."""
        segment = path_segment(report_id, "report id")
        return self.client.request("getReport", "GET", f"{BASE}/reports/{segment}").data

    def get_document(self, document_id):
        """getReportDocument: ``{reportDocumentId, url, compressionAlgorithm?}``."""
        segment = path_segment(document_id, "report document id")
        return self.client.request(
            "getReportDocument", "GET", f"{BASE}/documents/{segment}"
        ).data

    def download(self, url, compression=None):
        """A report document's bytes (gunzipped when they are gzip)."""
        return self.documents.download(url, compression, operation="downloadReport")

    def merchant_listings(self, document_id):
        """The parsed rows of a finished merchant listings report."""
        document = self.get_document(document_id)
        data = self.download(document["url"], document.get("compressionAlgorithm"))
        return parse_merchant_listings(data)
