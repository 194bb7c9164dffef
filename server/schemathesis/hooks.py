"""Schemathesis hooks for consent-server's API document (server/openapi.json).

JSON Schema cannot state some of a record's rules (and that a shown text's SHA-256 is the hash
in its path): a category is not both granted and denied,
services are listed only for granted categories, the nil and max UUIDs are placeholders, a record is at most 4,096 bytes, and a
whole number is written as one (`2`, not `2.0` or `2e0`, which JSON Schema's `integer` admits;
the widget's reader and the server's refuse them alike). The document says so in words; these
hooks keep the requests that Schemathesis generates as valid ones to those rules too, so that a
valid request refused is a real mismatch. Requests generated to be invalid are left as they are.
"""

import hashlib
import json
import uuid

import schemathesis
from schemathesis.generation.modes import GenerationMode

PLACEHOLDERS = {str(uuid.UUID(int=0)), str(uuid.UUID(int=(1 << 128) - 1))}


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return case
    if isinstance(case.body, str) and case.path_parameters and "hash" in case.path_parameters:
        case.path_parameters["hash"] = hashlib.sha256(case.body.encode()).hexdigest()
        return case
    if not isinstance(case.body, dict):
        return case
    record = case.body
    granted = record.get("granted")
    if isinstance(granted, list):
        if isinstance(record.get("denied"), list):
            record["denied"] = [category for category in record["denied"] if category not in granted]
        if isinstance(record.get("services"), dict):
            record["services"] = {key: value for key, value in record["services"].items() if key in granted}
    for field in ("revision", "clientTime"):
        if isinstance(record.get(field), float) and record[field].is_integer():
            record[field] = int(record[field])
    for field in ("recordId", "consentId"):
        if record.get(field) in PLACEHOLDERS:
            record[field] = str(uuid.uuid4())
    # At most 4,096 bytes, as the server takes it: the longest lists give way first.
    while len(json.dumps(record).encode()) > 4096:
        longest = max(("granted", "denied"), key=lambda field: len(record.get(field) or []))
        if not record.get(longest):
            break
        dropped = record[longest].pop()
        if isinstance(record.get("services"), dict):
            record["services"].pop(dropped, None)
    return case
