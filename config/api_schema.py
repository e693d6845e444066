"""OpenAPI post-processing: every operation documents the error answers it can give.

drf-spectacular documents only the success answer of an operation. The API answers errors in
one JSON shape (``config/api_errors.py``); this hook adds that shape as the ``Error`` component
and documents, on every operation, the 4xx answers the framework can give, so a client (and the
schema-driven tests) know every status the API may return.
"""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

ERROR_RESPONSES = {
    "400": "The request is not valid (bad parameters, body or filter values).",
    "401": "Authentication failed.",
    "403": "Not signed in, or the account lacks the permission.",
    "404": "Not found, or outside the stations the account may see.",
    "405": "Method not allowed.",
    "406": "The requested format is not available.",
    "415": "Unsupported media type.",
    "429": "Too many requests.",
}

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                documented = responses.setdefault(status, {"description": description})
                documented.setdefault("content", {"application/json": {"schema": reference}})
    return result
