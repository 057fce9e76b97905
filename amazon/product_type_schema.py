"""Check listing attributes against an Amazon product type schema, offline.

Amazon's product type schemas (Product Type Definitions API, downloaded from
``schema.link.resource``) are JSON Schema 2019-09 plus the vocabulary of the
*Amazon Product Type Definition Meta-Schema v1* (AMAZON_FACTS §8):

- ``maxUtf8ByteLength`` / ``minUtf8ByteLength``: limits on a string's length
  in UTF-8 bytes (not characters: "é" counts 2);
- ``selectors`` with ``maxUniqueItems`` / ``minUniqueItems``: ``selectors``
  names the properties that tell the items of an attribute's array apart
  (usually ``marketplace_id`` and ``language_tag``); each combination of their
  values may occur at most ``maxUniqueItems`` times (one title per
  marketplace and language);
- ``editable``, ``hidden``, ``enumNames``: annotations for forms, never
  validated.

:class:`ProductTypeSchema` validates with jsonschema's Draft201909Validator
extended with those keywords, resolves ``$ref`` inside the schema only (a
schema never makes this module fetch anything) and turns each error into a
:class:`Problem` a seller can act on ("Brand: this attribute is required").

Caching is the caller's: building a ProductTypeSchema checks the schema and
compiles its validator, so keep one per (product type, marketplace,
requirements, checksum), and build a new one only when Amazon's ``checksum``
(a Base64 MD5 of the schema's bytes, see :func:`schema_checksum`) changes; a
schema stored after a first check may be rebuilt with ``checked=True``.
Nothing here imports odoo.
"""

import base64
import hashlib
import json
from dataclasses import dataclass

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema import Draft201909Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema_specifications import REGISTRY as SPECIFICATIONS

# The $id of Amazon's meta-schema; it does not resolve online (PTG), so a
# caller that wants the schema itself checked passes the downloaded copy.
META_SCHEMA_ID = (
    "https://schemas.amazon.com/selling-partners/definitions/product-types/"
    "meta-schema/v1"
)
# Amazon's vocabulary keywords that are annotations only (never validated).
ANNOTATION_KEYWORDS = ("editable", "hidden", "enumNames", "selectors")
# How many allowed values a message lists before "...".
ENUM_SHOWN = 8

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
    "null": "empty",
}


def schema_checksum(data):
    """Amazon's checksum of a schema: the Base64 MD5 of its bytes.

    Compare it with getDefinitionsProductType's ``schema.checksum`` to know
    whether a cached schema is still current (MD5 is Amazon's choice, used
    here for change detection only, not for security).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


@dataclass(frozen=True)
class Problem:
    """One reason the attributes would be refused.

    :param attribute: the top-level attribute (``item_name``), or None when
        the problem is with the whole set of attributes
    :param path: where, as a JSON pointer (``/item_name/0/value``)
    :param message: what is wrong, in a seller's words, naming the attribute
        by its title ("Title: at most 200 bytes (UTF-8), 231 given")
    """

    attribute: str | None
    path: str
    message: str


# -- Amazon's keywords ------------------------------------------------------
def _utf8_length(instance):
    return len(instance.encode("utf-8"))


def _max_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string") and _utf8_length(instance) > limit:
        yield ValidationError(
            f"at most {limit} bytes (UTF-8), {_utf8_length(instance)} given"
        )


def _min_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string") and _utf8_length(instance) < limit:
        yield ValidationError(
            f"at least {limit} bytes (UTF-8), {_utf8_length(instance)} given"
        )


def _selector_counts(instance, schema):
    """{selector values: count} over the object items of ``instance``.

    Without ``selectors`` every property tells items apart (as in Amazon's
    example validators).  Values are compared as canonical JSON.
    """
    selectors = schema.get("selectors") or None
    counts = {}
    for item in instance:
        if not isinstance(item, dict):
            continue
        key = tuple(
            sorted(
                (name, json.dumps(value, sort_keys=True))
                for name, value in item.items()
                if selectors is None or name in selectors
            )
        )
        counts[key] = counts.get(key, 0) + 1
    return counts


_SELECTOR_WORDS = {"marketplace_id": "marketplace", "language_tag": "language"}


def _describe_selectors(key):
    """("marketplace ATVPDKIKX0DER and language en_US") for a selector key."""
    if not key:
        return "value"
    return " and ".join(
        f"{_SELECTOR_WORDS.get(name, _humanize(name).lower())} {json.loads(value)}"
        for name, value in key
    )


def _max_unique_items(validator, limit, instance, schema):
    if not validator.is_type(instance, "array"):
        return
    for key, count in _selector_counts(instance, schema).items():
        if count > limit:
            yield ValidationError(
                f"at most {limit} for {_describe_selectors(key)}, {count} given"
            )


def _min_unique_items(validator, limit, instance, schema):
    # Amazon's example validators check maxUniqueItems only; minUniqueItems
    # is read the same way (each combination given needs ``limit`` items)
    # [UNCONFIRMED].  With the value 1 that Amazon's schemas use, both this
    # reading and "at least N combinations" only ask for a non-empty list,
    # which minItems already asks.
    if not validator.is_type(instance, "array"):
        return
    for key, count in _selector_counts(instance, schema).items():
        if count < limit:
            yield ValidationError(
                f"at least {limit} for {_describe_selectors(key)}, {count} given"
            )


def _required(validator, required, instance, schema):
    # jsonschema's own, keeping the missing property's name on the error
    # (its message only quotes it) so a message can give its title.
    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            error = ValidationError(f"{name!r} is a required property")
            error.missing_property = name
            yield error


AmazonSchemaValidator = validators.extend(
    Draft201909Validator,
    validators={
        "required": _required,
        "maxUtf8ByteLength": _max_utf8_byte_length,
        "minUtf8ByteLength": _min_utf8_byte_length,
        "maxUniqueItems": _max_unique_items,
        "minUniqueItems": _min_unique_items,
    },
)


# -- the schema ---------------------------------------------------------------
def _resource(contents):
    return referencing.Resource.from_contents(
        contents, default_specification=referencing.jsonschema.DRAFT201909
    )


def _humanize(name):
    if name in _SELECTOR_WORDS:
        return _SELECTOR_WORDS[name].capitalize()
    return str(name).replace("_", " ").strip().capitalize() or str(name)


def _pointer(parts):
    return (
        "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)
        if parts
        else ""
    )


def _short(value, limit=40):
    text = (
        json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ProductTypeSchema:
    """One product type's schema, ready to check attributes.

    :param schema_dict: the downloaded schema (a dict)
    :param meta_schema: optional, Amazon's meta-schema (downloaded from
        ``metaSchema.link.resource``): when given, the schema is checked
        against it first and a ValueError says when it is not a product type
        schema
    :param checked: True when this schema was already checked (when it was
        downloaded and stored): the checks against JSON Schema's meta-schema
        and of its ``$ref`` (a fifth of a second for a small schema, more
        for Amazon's big ones) are skipped
    :raises ValueError: the schema is not a JSON schema this validator can
        use (or a ``$ref`` in it points outside it)
    """

    def __init__(self, schema_dict, meta_schema=None, checked=False):
        if not isinstance(schema_dict, dict):
            raise TypeError("A product type schema is a JSON object (a dict).")
        self.schema = schema_dict
        root = _resource(schema_dict)
        # The JSON Schema specifications ship with jsonschema (no network);
        # no ``retrieve``: a $ref outside the schema (and the meta-schema)
        # is an error, never a download.
        registry = SPECIFICATIONS.combine(referencing.Registry())
        if meta_schema is not None:
            registry = registry.with_resource(
                meta_schema.get("$id", META_SCHEMA_ID), _resource(meta_schema)
            )
            self._check_against_meta_schema(meta_schema, registry)
        if root.id():
            registry = registry.with_resource(root.id(), root)
        self._resolver = registry.resolver_with_root(root)
        if not checked:
            try:
                AmazonSchemaValidator.check_schema(schema_dict)
            except SchemaError as exc:
                message = f"Not a usable product type schema: {exc.message}"
                raise ValueError(message) from exc
            self._check_refs(schema_dict)
        self._validator = AmazonSchemaValidator(schema_dict, registry=registry)

    def _check_refs(self, node):
        """Every ``$ref`` of the schema resolves inside it (checked once
        here, so validating never stops half-way on one)."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    self._resolver.lookup(ref)
                except referencing.exceptions.Unresolvable as exc:
                    raise ValueError(
                        f"The product type schema refers to {ref!r}, which it "
                        "does not contain."
                    ) from exc
            for value in node.values():
                self._check_refs(value)
        elif isinstance(node, list):
            for value in node:
                self._check_refs(value)

    @classmethod
    def from_bytes(cls, data, checksum=None, meta_schema=None):
        """A schema from its downloaded bytes, checked against Amazon's
        ``checksum`` when one is given (ValueError on a mismatch: the bytes
        are not the schema Amazon announced)."""
        if checksum is not None and schema_checksum(data) != checksum:
            raise ValueError(
                "The downloaded product type schema does not match Amazon's "
                "checksum; download it again."
            )
        try:
            schema_dict = json.loads(data)
        except ValueError as exc:
            raise ValueError("The product type schema is not JSON.") from exc
        return cls(schema_dict, meta_schema=meta_schema)

    def _check_against_meta_schema(self, meta_schema, registry):
        try:
            meta_validator = Draft201909Validator(meta_schema, registry=registry)
            error = next(iter(meta_validator.iter_errors(self.schema)), None)
        except referencing.exceptions.Unresolvable as exc:
            raise ValueError(
                f"The meta-schema refers to {exc.ref!r}, which is not at hand."
            ) from exc
        if error is not None:
            where = _pointer(list(error.absolute_path)) or "/"
            raise ValueError(
                f"Not a product type schema (meta-schema: {error.message} at {where})"
            )

    # -- what the schema says -----------------------------------------------
    @property
    def properties(self):
        return self.schema.get("properties") or {}

    def required_attributes(self):
        """The attributes the schema always requires (its top-level
        ``required``; conditional ones come out of :meth:`problems`)."""
        return list(self.schema.get("required") or [])

    def property_title(self, name):
        """The title Amazon gives attribute ``name`` (e.g. "Brand Name"),
        else the name made readable."""
        title = self._resolve(self.properties.get(name) or {}).get("title")
        return title or _humanize(name)

    def enum_choices(self, name, field="value"):
        """``[(value, label)]`` allowed for ``field`` of attribute ``name``
        (labels from ``enumNames``), from ``enum`` or the enum branches of
        ``anyOf``/``oneOf``; empty when any value goes."""
        attribute = self._resolve(self.properties.get(name) or {})
        items = self._resolve(attribute.get("items") or {})
        target = self._resolve((items.get("properties") or {}).get(field) or {})
        choices = []
        for schema in [target, *target.get("anyOf", []), *target.get("oneOf", [])]:
            schema = self._resolve(schema)
            values = schema.get("enum") or []
            names = schema.get("enumNames") or []
            for index, value in enumerate(values):
                label = names[index] if index < len(names) else str(value)
                if (value, label) not in choices:
                    choices.append((value, label))
        return choices

    def _resolve(self, schema):
        """``schema`` with its local ``$ref`` followed (one level at a time)."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            seen += 1
            # __init__ checked that every $ref resolves (or was told, by
            # checked=True, that the schema had been checked before).
            resolved = self._resolver.lookup(schema["$ref"]).contents
            schema = {**resolved, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema if isinstance(schema, dict) else {}

    # -- checking -----------------------------------------------------------
    def problems(self, attributes):
        """Every reason Amazon would refuse ``attributes`` (a dict of
        Amazon attribute JSON), as :class:`Problem` sorted by attribute
        and path; empty when the schema accepts them."""
        if not isinstance(attributes, dict):
            return [Problem(None, "", "The attributes must be a JSON object.")]
        found = []
        for error in self._validator.iter_errors(attributes):
            for leaf in self._leaves(error):
                problem = self._problem(leaf, attributes)
                if problem not in found:
                    found.append(problem)
        return sorted(found, key=lambda p: (p.attribute or "", p.path, p.message))

    def is_valid(self, attributes):
        return not self.problems(attributes)

    def _leaves(self, error):
        """The errors worth showing: for anyOf/oneOf, the branch that got
        deepest into the value (then the one with the fewest failures),
        not "is not valid under any of the given schemas"."""
        if error.validator in ("anyOf", "oneOf") and error.context:
            best = min(
                error.context,
                key=lambda e: (-len(e.absolute_path), len(e.context or ())),
            )
            yield from self._leaves(best)
            return
        yield error

    def _schema_at(self, parts):
        """The schema that describes the instance at ``parts`` (following
        ``properties`` and ``items`` from the root), or {}."""
        schema = self._resolve(self.schema)
        for part in parts:
            if isinstance(part, int):
                schema = self._resolve(schema.get("items") or {})
            else:
                schema = self._resolve((schema.get("properties") or {}).get(part) or {})
        return schema

    def _label(self, parts, attributes):
        """How a message names what failed: the attribute's title, its
        position when it has several values, and the title of the field
        inside it (not for ``value``, the attribute's main field)."""
        if not parts:
            return None
        attribute = str(parts[0])
        label = self.property_title(attribute)
        value = attributes.get(attribute)
        several = isinstance(value, list) and len(value) > 1
        if several and len(parts) > 1 and isinstance(parts[1], int):
            label = f"{label} {parts[1] + 1}"
        field = next((p for p in reversed(parts[1:]) if isinstance(p, str)), None)
        if field is not None and field != "value":
            title = self._schema_at(parts).get("title") or _humanize(field)
            if title != label:
                label = f"{label}, {title}"
        return label

    def _problem(self, error, attributes):
        parts = list(error.absolute_path)
        missing = getattr(error, "missing_property", None)
        if missing is not None and not parts:
            return Problem(
                missing,
                _pointer([missing]),
                f"{self.property_title(missing)}: this attribute is required",
            )
        if not parts and error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(self.properties))
            attribute = extra[0] if extra else None
            return Problem(
                attribute,
                _pointer([attribute] if attribute else []),
                f"{attribute}: this product type has no such attribute",
            )
        text = self._text(error, parts)
        label = self._label(parts, attributes)
        attribute = str(parts[0]) if parts else None
        message = f"{label}: {text}" if label else text[:1].upper() + text[1:]
        return Problem(attribute, _pointer(parts), message)

    def _text(self, error, parts):
        """What is wrong, without naming the attribute (``_label`` does)."""
        kind, expected, instance = (
            error.validator,
            error.validator_value,
            error.instance,
        )
        if kind == "required":
            missing = getattr(error, "missing_property", None)
            field = self._schema_at([*parts, missing]) if missing else {}
            return f"{field.get('title') or _humanize(missing)} is required"
        if kind == "not" and isinstance(expected, dict) and isinstance(instance, dict):
            excluded = expected.get("required")
            if excluded:
                titles = [self.property_title(name) for name in excluded]
                return f"{' and '.join(titles)} cannot be given together"
        text = _TEXTS.get(kind)
        return text(expected, instance, error) if text else error.message


def _enum_text(expected, instance, error):
    schema = error.schema if isinstance(error.schema, dict) else {}
    names = schema.get("enumNames") or []
    shown = [
        f"{names[i]} ({v})" if i < len(names) and names[i] != v else str(v)
        for i, v in enumerate(expected[:ENUM_SHOWN])
    ]
    more = ", …" if len(expected) > ENUM_SHOWN else ""
    return (
        f"{_short(instance)!r} is not allowed; choose one of {', '.join(shown)}{more}"
    )


def _type_text(expected, instance, error):
    kinds = expected if isinstance(expected, list) else [expected]
    return f"must be {' or '.join(_TYPE_WORDS.get(k, k) for k in kinds)}"


def _min_length_text(expected, instance, error):
    if expected == 1 and not instance:
        return "must not be empty"
    return f"at least {expected} characters, {len(instance)} given"


def _unknown_fields_text(expected, instance, error):
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = set(schema.get("properties") or {})
    extra = sorted(set(instance) - known) if isinstance(instance, dict) else []
    return f"unknown field{'s' if len(extra) != 1 else ''} {', '.join(extra)}"


def _own_message(expected, instance, error):
    return error.message


# What each failed keyword means, in a seller's words: (value of the
# keyword, the instance, the error) -> text.
_TEXTS = {
    "maxUtf8ByteLength": _own_message,
    "minUtf8ByteLength": _own_message,
    "maxUniqueItems": _own_message,
    "minUniqueItems": _own_message,
    "dependentRequired": _own_message,
    "maxLength": lambda n, value, e: f"at most {n} characters, {len(value)} given",
    "minLength": _min_length_text,
    "maxItems": lambda n, value, e: f"at most {n} values, {len(value)} given",
    "minItems": lambda n, value, e: f"at least {n} value{'s' if n != 1 else ''} needed",
    "enum": _enum_text,
    "const": lambda c, value, e: f"must be {_short(c)}",
    "type": _type_text,
    "minimum": lambda n, value, e: f"must be at least {n}, {value} given",
    "maximum": lambda n, value, e: f"must be at most {n}, {value} given",
    "exclusiveMinimum": lambda n, value, e: f"must be more than {n}, {value} given",
    "exclusiveMaximum": lambda n, value, e: f"must be less than {n}, {value} given",
    "multipleOf": lambda n, value, e: f"must be a multiple of {n}",
    "pattern": lambda p, value, e: f"{_short(value)} does not have the expected format",
    "format": lambda f, value, e: f"{_short(value)} is not a valid {f}",
    "uniqueItems": lambda u, value, e: "the same value is given twice",
    "additionalProperties": _unknown_fields_text,
    "unevaluatedProperties": _unknown_fields_text,
    "not": lambda s, value, e: "this value is not allowed here",
    "anyOf": lambda s, value, e: "does not match any allowed form",
    "oneOf": lambda s, value, e: "does not match exactly one allowed form",
}
