"""Checks requests against eBay's OpenAPI contracts.

Every ``*.json`` at the top of the contracts folder is loaded once at start
(the portal downloads, OpenAPI 3.1, one 3.0; see its SOURCES.md).  The host
of ``servers[0].url`` is dropped, so ``https://api.ebay.com{basePath}`` with
``basePath`` defaulting to ``/sell/inventory/v1`` serves ``/sell/inventory/v1``
on this origin.

What is checked, per operation (method + exact path template):

* required query and header parameters (headers ignore case; Authorization is
  the authentication step's business; Content-Type is checked against the
  request body's declared media types instead of by presence);
* the declared enum and integer type of query parameters;
* the JSON request body against the operation's ``requestBody`` schema: types,
  enums, ``int32``/``int64`` formats and ``additionalProperties`` where the
  schema declares it (extra properties are otherwise allowed, as eBay does).

The portal files' ``required`` arrays are sometimes wrong (e.g.
``EbayOfferDetailsWithKeys.required = [includeCatalogProductDetails]``,
``Address.required = [country, stateOrProvince]``), so body ``required`` is
ignored except for :data:`REQUIRED_ALLOW_LIST`, where eBay's own field texts
agree.  The files also type their enum schemas as ``object`` while listing
string values; those become strings with the listed values.

Each operation's body schema is compiled once, on first use, into a
self-contained JSON Schema (``$ref`` inlined, descriptions dropped) for a
jsonschema validator: about 1-2 ms for a 25-entry bulk body.
"""

import json
import logging
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from jsonschema import Draft202012Validator, FormatChecker

from .routes import compile_template

_logger = logging.getLogger(__name__)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")

# Headers the transport or the emulator's other steps handle.
IGNORED_HEADERS = {"authorization", "content-type", "accept", "content-length"}

# ``required`` fields kept (schema name -> fields): those whose eBay field text
# says they are required, or without which the request means nothing.
REQUIRED_ALLOW_LIST = {
    # Inventory: every bulk call's list of entries ...
    "BulkPriceQuantity": ["requests"],
    "BulkInventoryItem": ["requests"],
    "BulkGetInventoryItem": ["requests"],
    "BulkEbayOfferDetailsWithKeys": ["requests"],
    "BulkOffer": ["requests"],
    "BulkMigrateListing": ["requests"],
    # ... and the keys that name what an entry is about.
    "InventoryItemWithSkuLocale": ["sku"],  # "This field is required."
    "OfferKeyWithId": ["offerId"],
    "MigrateListing": ["listingId"],
    "InventoryItemGroup": ["variantSKUs"],  # "This required container ..."
    "PublishByInventoryItemGroupRequest": ["inventoryItemGroupKey", "marketplaceId"],
    "WithdrawByInventoryItemGroupRequest": ["inventoryItemGroupKey", "marketplaceId"],
    # Media, Fulfillment.
    "CreateImageFromUrlRequest": ["imageUrl"],
    "ShippingFulfillmentDetails": ["lineItems"],
    "LineItemReference": ["lineItemId"],
    "IssueRefundRequest": ["reasonForRefund"],  # "This field is required"
}

# Fields whose declared type contradicts eBay's own examples and live
# behaviour: ``aspects`` is documented as a string but is a JSON map of
# aspect name to list of values ({"Brand": ["GoPro"]}) in every eBay sample.
_ASPECTS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
CORRECTIONS = {
    ("Product", "aspects"): _ASPECTS,
    ("InventoryItemGroup", "aspects"): _ASPECTS,
}

# JSON Schema keywords that constrain an instance; all others (description,
# example, readOnly...) are dropped before compiling, which keeps the
# validators small and fast.
VALIDATION_KEYWORDS = {
    "$ref",
    "type",
    "enum",
    "const",
    "format",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "nullable",
}

ENUM_VALUE = re.compile(r"- \*\*([A-Za-z0-9_.-]+)\*\*")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("int32")
def _int32(value):
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value):
    return not isinstance(value, int) or -(2**63) <= value < 2**63


class Operation:
    """One operation of one contract, with what checking it needs."""

    def __init__(self, contract, base, template, method, op, path_parameters=()):
        self.contract = contract
        self.base = base
        self.template = template
        self.method = method.upper()
        self.op = op
        self.operation_id = op.get("operationId", "")
        self.full_template = base + template
        self.regex, self.param_names = compile_template(self.full_template)
        self.specificity = len(self.param_names)
        self.scopes = set()
        for requirement in op.get("security") or []:
            for scopes in requirement.values():
                self.scopes.update(scopes)
        params = {}
        for param in [*path_parameters, *op.get("parameters", [])]:
            param = contract.resolve(param)
            if "name" in param and param.get("in") in ("query", "header"):
                params[(param["in"], param["name"].lower())] = param
        self.parameters = [
            _ParamCheck(p)
            for p in params.values()
            if not (p["in"] == "header" and p["name"].lower() in IGNORED_HEADERS)
        ]
        request_body = contract.resolve(op.get("requestBody") or {})
        self.body_required = bool(request_body.get("required"))
        self.media_types = list(request_body.get("content") or {})
        self._json_schema = (
            (request_body.get("content") or {})
            .get("application/json", {})
            .get("schema")
        )
        self._validator = None
        self._lock = threading.Lock()

    def __repr__(self):
        return f"<Operation {self.operation_id} {self.method} {self.full_template}>"

    @property
    def has_json_body(self):
        return self._json_schema is not None

    def match(self, path):
        """Path parameters (URL-decoded) if ``path`` is this operation's."""
        found = self.regex.match(path)
        if not found:
            return None
        values = (unquote(value) for value in found.groups())
        return dict(zip(self.param_names, values, strict=True))

    def body_validator(self):
        """The compiled validator of the JSON body (False if none declared)."""
        with self._lock:
            if self._validator is None:
                if self._json_schema is None:
                    self._validator = False
                else:
                    schema = self.contract.self_contained(self._json_schema)
                    Draft202012Validator.check_schema(schema)
                    self._validator = Draft202012Validator(
                        schema, format_checker=FORMATS
                    )
            return self._validator


class _ParamCheck:
    """A query or header parameter's checks, prepared once."""

    def __init__(self, param):
        schema = param.get("schema") or {}
        self.where = param["in"]
        self.original_name = param["name"]
        self.name = param["name"].lower() if self.where == "header" else param["name"]
        self.required = bool(param.get("required"))
        self.enum = schema.get("enum")
        self.type = schema.get("type")

    def problem(self, present, value):
        label = f"{self.where} parameter {self.original_name}"
        if not present:
            return f"missing required {label}" if self.required else None
        if self.enum and value not in self.enum:
            return f"{label} must be one of {self.enum}, not {value!r}"
        if self.type == "integer" and not re.fullmatch(r"-?\d+", value or ""):
            return f"{label} must be an integer, not {value!r}"
        return None


class Contract:
    """One contract file: its components, normalised for checking."""

    def __init__(self, path, spec):
        self.name = Path(path).name
        self.spec = spec
        components = spec.get("components") or {}
        self.schemas = {
            name: _normalise(schema, name)
            for name, schema in (components.get("schemas") or {}).items()
        }
        for name, fields in REQUIRED_ALLOW_LIST.items():
            schema = self.schemas.get(name)
            if schema and all(f in (schema.get("properties") or {}) for f in fields):
                schema["required"] = list(fields)
        for (name, field), corrected in CORRECTIONS.items():
            schema = self.schemas.get(name)
            if schema and field in (schema.get("properties") or {}):
                schema["properties"][field] = dict(corrected)

    def resolve(self, node):
        """Follow a ``$ref`` into ``components`` (parameters, bodies)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            parts = node["$ref"].lstrip("#/").split("/")
            target = self.spec
            for part in parts:
                target = target.get(part, {})
            node, seen = target, seen + 1
        return node

    def self_contained(self, schema):
        """``schema`` with every ``$ref`` inlined; a recursive type is put
        once under ``$defs`` and referenced from there."""
        defs = {}

        def inline(node, stack):
            if isinstance(node, list):
                return [inline(item, stack) for item in node]
            if not isinstance(node, dict):
                return node
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                target = self.schemas.get(name)
                if target is None:
                    return {}  # a dangling reference constrains nothing
                if name in stack:
                    defs.setdefault(name, None)
                    return {"$ref": f"#/$defs/{name}"}
                expanded = inline(target, stack | {name})
                if name in defs and defs[name] is None:
                    defs[name] = expanded
                return expanded
            out = {}
            for key, value in node.items():
                if key == "properties":
                    out[key] = {p: inline(s, stack) for p, s in value.items()}
                elif isinstance(value, dict | list) and key != "enum":
                    out[key] = inline(value, stack)
                else:
                    out[key] = value
            return out

        root = inline(_normalise(schema, None), frozenset())
        if defs:
            root["$defs"] = {name: value or {} for name, value in defs.items()}
        return root


class ContractBook:
    """All operations of all contracts in a folder."""

    def __init__(self, folder):
        self.folder = str(folder)
        self.contracts = []
        self.operations = []
        self.bases = set()
        self._by_method = {}
        for path in sorted(Path(folder).glob("*.json")):
            try:
                spec = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                _logger.warning("Skipping contract %s: %s", path.name, exc)
                continue
            if not isinstance(spec, dict) or "paths" not in spec:
                continue
            base = _base_path(spec)
            if base is None:
                _logger.warning("Skipping contract %s: no servers[0].url", path.name)
                continue
            contract = Contract(path, spec)
            self.contracts.append(contract)
            self.bases.add(base)
            for template, item in spec["paths"].items():
                shared = item.get("parameters", [])
                for method, op in item.items():
                    if method in HTTP_METHODS:
                        self.operations.append(
                            Operation(contract, base, template, method, op, shared)
                        )
        for operation in sorted(self.operations, key=lambda o: o.specificity):
            self._by_method.setdefault(operation.method, []).append(operation)
        _logger.info(
            "Loaded %s eBay operations from %s contracts in %s",
            len(self.operations),
            len(self.contracts),
            folder,
        )

    def covers(self, path):
        """Is ``path`` under one of the contracts' base paths?"""
        return any(path == base or path.startswith(base + "/") for base in self.bases)

    def find(self, method, path):
        """``(operation, path params)`` or ``(None, None)``; templates with
        fewer parameters win, so literal segments beat ``{id}``."""
        for operation in self._by_method.get(method.upper(), ()):
            params = operation.match(path)
            if params is not None:
                return operation, params
        return None, None

    def check(self, operation, query, headers, raw_body, parsed=None):
        """The ways the request breaks the contract (an empty list if none).

        ``parsed`` is the already-decoded JSON body, to save a second
        ``json.loads``; it is decoded here when not given.
        """
        reasons = []
        lower_headers = {k.lower(): v for k, v in headers.items()}
        for param in operation.parameters:
            source = query if param.where == "query" else lower_headers
            problem = param.problem(param.name in source, source.get(param.name))
            if problem:
                reasons.append(problem)
        has_body = bool(raw_body and raw_body.strip())
        if not has_body:
            if operation.body_required and operation.media_types:
                reasons.append("missing request body")
            return reasons
        if not operation.media_types:
            return reasons  # a body eBay does not read (e.g. publishOffer)
        content_type = lower_headers.get("content-type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in (m.lower() for m in operation.media_types):
            reasons.append(
                f"Content-Type {content_type or '(none)'!r} is not one of "
                f"{operation.media_types}"
            )
            return reasons
        validator = operation.body_validator()
        if not validator:
            return reasons
        if parsed is None:
            try:
                parsed = json.loads(raw_body)
            except ValueError:
                reasons.append("request body is not valid JSON")
                return reasons
        for error in validator.iter_errors(parsed):
            reasons.append(f"{_where(error.absolute_path)}: {error.message[:200]}")
            if len(reasons) >= 10:
                break
        return reasons


def _base_path(spec):
    servers = spec.get("servers") or []
    if not servers or not servers[0].get("url"):
        return None
    url = servers[0]["url"]
    for name, var in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", var.get("default", ""))
    return urlparse(url).path.rstrip("/")


def _where(path):
    """``requests[0].offers`` for a jsonschema error path."""
    text = "body"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _normalise(node, name):
    """A copy of a schema fit for checking requests (see the module doc):
    no ``required`` lists, no descriptions, enum "objects" as strings,
    OpenAPI 3.0 ``nullable`` as a JSON Schema type."""
    if isinstance(node, list):
        return [_normalise(item, None) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in VALIDATION_KEYWORDS or key == "nullable":
            continue
        if key == "required":
            # A list here is the keyword; a dict would be a property schema
            # (kept by the "properties" branch).
            continue
        if key == "properties":
            out[key] = {p: _normalise(s, None) for p, s in value.items()}
        elif key == "enum":
            out[key] = list(value)
        else:
            out[key] = _normalise(value, None)
    enum_like = out.get("type") == "object" and not out.get("properties")
    if enum_like and out.get("enum"):
        out["type"] = "string"
    elif enum_like and name and name.endswith("Enum"):
        values = ENUM_VALUE.findall(node.get("description", ""))
        out["type"] = "string"
        if values:
            out["enum"] = sorted(set(values))
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out
