"""OpenAPI post-processing: the schema says exactly what the API accepts and answers.

drf-spectacular documents only the success answer of an operation. The API answers errors in
one JSON shape (``core/api_errors.py``); this hook adds that shape as the ``Error`` component
and documents, on every operation, the 4xx answers the framework can give, and on the
operations in ``RULE_ANSWERS`` the 422 answer for the business rules the schema cannot state,
so a client (and the schema-driven tests) know every status the API may return.

It also states what every input field shares and drf-spectacular leaves out: no text accepts a
NUL character; a required text is not only whitespace (the API trims it); a decimal has at
least one digit; an empty query parameter is the same as an absent one (no filter).
"""

import re

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

# Operations that answer 422 when well-formed data breaks a rule the schema cannot state, and
# which rules. "Outside your stations" covers a code or id that does not exist at all.
_REFERENCES = "a referenced {} must exist and be within the user's stations"
_STATION = "the parent must be one of the user's stations, one level up; the code must be free"
_PROJECT_CHANGE = (
    _REFERENCES.format("lead, team member or assessment")
    + "; the end date is not before the start date; budget lines and indicators are set at "
    "creation only"
)
_HOST = "the credit code's check character; the credit code is free"
RULE_ANSWERS = {
    "POST /api/v1/stations/": _STATION,
    "PUT /api/v1/stations/{code}/": _STATION,
    "PATCH /api/v1/stations/{code}/": _STATION,
    "POST /api/v1/needs-assessments/": _REFERENCES.format("station"),
    "POST /api/v1/projects/": _REFERENCES.format("station, lead, team member or assessment")
    + "; the end date is not before the start date; budget amounts, planned values and the "
    "fundraising goal are above zero",
    "PUT /api/v1/projects/{code}/": _PROJECT_CHANGE,
    "PATCH /api/v1/projects/{code}/": _PROJECT_CHANGE,
    "POST /api/v1/projects/{code}/submit/": "only a project in design, with what review needs",
    "POST /api/v1/projects/{code}/approve/": "only a project under review",
    "POST /api/v1/projects/{code}/return-to-design/": "only a project under review",
    "POST /api/v1/projects/{code}/start/": "only a fundraising project ready to start",
    "POST /api/v1/projects/{code}/reopen-fundraising/": "only an active project whose "
    "progress updates are not long overdue",
    "POST /api/v1/projects/{code}/close/": "only an active project with no open activity",
    "POST /api/v1/projects/{code}/evaluation/": "only a closed project; results are keyed by "
    "the ids of the project's indicators and not below zero; satisfaction is 0 to 100%",
    "POST /api/v1/projects/{code}/complete-evaluation/": "only a closed project with a "
    "recorded evaluation",
    "POST /api/v1/beneficiaries/": _REFERENCES.format("station, project or staff member")
    + "; the ID number's birth date and check digit; consent and a guardian's consent",
    "POST /api/v1/assistance-records/": _REFERENCES.format("project or beneficiary")
    + "; the beneficiary belongs to the project's station and the project is running; an "
    "amount is above zero",
    "POST /api/v1/progress-updates/": _REFERENCES.format("project")
    + "; the project takes updates in its current state",
    "POST /api/v1/hosts/": _HOST,
    "PUT /api/v1/hosts/{id}/": _HOST,
    "PATCH /api/v1/hosts/{id}/": _HOST,
    "POST /api/v1/campaigns/": _REFERENCES.format("host, lead fund, fund or project")
    + "; the dates are in order; the goal is above zero; the shares add up to 100%",
    "POST /api/v1/campaigns/{code}/publish/": "only a draft campaign, with its filing number",
    "POST /api/v1/disbursement-requests/": _REFERENCES.format("fund, project or budget line")
    + "; the amount is positive and within the fund's balance",
    "POST /api/v1/disbursement-requests/{code}/submit/": "only a draft request",
    "POST /api/v1/disbursement-requests/{code}/vote/": "only a request in voting, by a "
    "member who has not voted",
    "POST /api/v1/disbursement-requests/{code}/review/": "only an approved request",
    "POST /api/v1/disbursement-requests/{code}/pay/": "only a reviewed request, within the "
    "fund's balance",
    "POST /api/v1/disbursement-requests/{code}/reconcile/": "only a paid request",
    "POST /api/v1/goods-lots/{id}/distribute/": _REFERENCES.format(
        "project, activity or beneficiary"
    )
    + "; the quantity is positive and at most what the lot has left",
    "POST /api/v1/reports/": _REFERENCES.format("station, fund, project or host")
    + "; the kind's scope is given; the period is in order",
    "POST /api/v1/service-records/{id}/verify/": "only a reported record; the hours are "
    "between 0 and 24",
    "POST /api/v1/volunteers/{number}/approve/": "only a volunteer awaiting review",
    "POST /api/v1/volunteers/{number}/reject/": "only a volunteer awaiting review",
    "POST /api/v1/donations/": "the target must exist, be open and (with a point) be collected "
    "at that open point; the amount is within the online limits; the mobile number is a "
    "mainland mobile number; the payment method is offered; an Idempotency-Key already used "
    "with a different body is refused",
}

NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
# drf-spectacular's decimal pattern (``^-?\d{0,12}(?:\.\d{0,2})?$``) admits "", "-" and ".".
_DECIMAL = re.compile(r"^\^(-\?)?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def _tighten(schema) -> None:
    """Input strings: no NUL, not only whitespace when required, decimals with a digit."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and "enum" not in schema:
        decimal = _DECIMAL.match(schema.get("pattern", ""))
        if schema.get("format") == "decimal" and decimal:
            sign, whole, places = decimal.groups()
            schema["pattern"] = (
                f"^{sign or ''}(?:\\d{{1,{whole}}}(?:\\.\\d{{0,{places}}})?|\\.\\d{{1,{places}}})$"
            )
        elif schema.get("format") == "binary":
            schema.setdefault("minLength", 1)  # an empty file is refused
        elif "pattern" not in schema and "format" not in schema:
            schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) >= 1 else NO_NUL
    for value in schema.get("properties", {}).values():
        _tighten(value)
    for key in ("items", "additionalProperties"):
        _tighten(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for value in schema.get(key, []):
            _tighten(value)


def add_error_responses(result, generator, request, public):
    from donations.api import IDEMPOTENCY_KEY_RE  # the donation POST's key header

    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for name, schema in components.items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the input side
            _tighten(schema)
            # A field the serializer does not have is refused (core/serializers.py).
            if "properties" in schema:
                schema["additionalProperties"] = False
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter["name"] == "Idempotency-Key":
                    parameter["schema"]["pattern"] = IDEMPOTENCY_KEY_RE.pattern
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
                    _tighten(parameter.get("schema"))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _tighten(content.get("schema"))
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                documented = responses.setdefault(status, {"description": description})
                documented.setdefault("content", {"application/json": {"schema": reference}})
            rule = RULE_ANSWERS.get(f"{method.upper()} {path}")
            if rule:
                responses["422"] = {
                    "description": f"Well-formed, but refused by a business rule: {rule}.",
                    "content": {"application/json": {"schema": reference}},
                }
    return result
