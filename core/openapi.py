"""The API's error answers, declared for every operation of the OpenAPI schema (a drf-spectacular
postprocessing hook): 400 {field: [messages]}, 401/403 for who-you-are, 404 outside the caller's
scope, 409 {detail} for a transition the state does not allow, 415 for a body of another type, 429
for too many tries. A client generated from the schema, or a fuzzer, then meets no undocumented
status."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "{detail: message}, or {field: [messages]} for bad input",
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Bad input: {field: [messages]} naming each field (or {detail} for a body that is not JSON)",
    "401": "Not signed in",
    "403": "Signed in, but this role may not do this",
    "404": "No such object, or not in the caller's scope",
    "409": "The object's state does not allow this action",
    "415": "A body of another media type than the ones declared",
    "429": "Too many tries: slow down, or the account is locked",
}


def declare_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404"]
            if method in ("post", "put", "patch", "delete"):
                codes += ["409", "415"]
            if path.endswith("/auth/token/"):
                codes.append("429")
            for code in codes:
                operation["responses"].setdefault(code, {"description": DESCRIPTIONS[code], "content": reference})
    return result
