"""Machinery of the access table: the users, the real objects of each URL, and the outcome of
one request in one letter.

Outcome letters: o = 2xx, r = redirect to a sign-in page, z = another redirect, a = 401,
x = 403, n = 404, m = 405, b = 400, f = 415, u = 422, t = 429. The users, in this order:
superuser, director (street A), social worker (community B1), finance officer (street A),
committee member of fund B only, volunteer (community A1), anonymous.
"""

import datetime

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from stations.models import Station
from stations.scoping import station_lookup_for

USERS = (
    "superuser",
    "director",
    "social_worker",
    "finance_officer",
    "committee_member",
    "volunteer",
    "anonymous",
)


def user_objects(world) -> dict:
    cast = world.cast
    return {
        "superuser": cast.superuser,
        "director": cast.director,
        "social_worker": cast.social_worker,
        "finance_officer": cast.finance_officer,
        "committee_member": world.other_committee_member,
        "volunteer": world.volunteer_user,
        "anonymous": None,
    }


def clients(world) -> dict[str, Client]:
    result = {}
    for name, user in user_objects(world).items():
        client = Client(REMOTE_ADDR="192.0.2.10")
        if user is not None:
            client.force_login(user)
        result[name] = client
    return result


def letter(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "o"
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "r" if "login" in location else "z"
    return {401: "a", 403: "x", 404: "n", 405: "m", 400: "b", 415: "f", 422: "u", 429: "t"}.get(
        status, "?"
    )


# --- real objects ------------------------------------------------------------------------------


def under(model, station):
    """The first row of ``model`` at ``station`` or below (any row for an unscoped model)."""
    manager = model._default_manager
    lookup = station_lookup_for(model)
    if lookup is None:
        return manager.order_by("pk").first()
    if lookup == "":
        return manager.filter(path__startswith=station.path).order_by("pk").first()
    rows = manager.filter(**{f"{lookup}__path__startswith": station.path})
    return model._default_manager.filter(pk__in=rows.values("pk")).order_by("pk").first()


def api_model(route):
    view = getattr(route.callback, "cls", None)
    if view is None:
        return None, None
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else None
    if model is None and getattr(view, "serializer_class", None) is not None:
        model = view.serializer_class.Meta.model
    return model, getattr(view, "lookup_field", "pk")


def admin_model(route):
    """The model of an admin URL named ``admin:<app>_<model>_<view>``."""
    if not route.name.startswith("admin:"):
        return None
    name = route.name.split(":", 1)[1]
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def arguments(route, world, side: str) -> dict:
    """Real URL arguments for ``route``: an object at street A (``side="A"``) or B."""
    station = world.network.street_a if side == "A" else world.network.street_b
    if not route.arguments:
        return {}
    builder = PUBLIC_ARGUMENTS.get(route.name)
    if builder is not None:
        return builder(world, side)
    model = admin_model(route)
    if model is not None:
        obj = under(model, station)
        if obj is None:
            return {}
        key = next(k for k in ("object_id", "pk", "id") if k in route.arguments)
        return {key: obj.pk}
    model, lookup = api_model(route)
    if model is not None:
        obj = under(model, station)
        if obj is None:
            return {}
        return {route.arguments[0]: getattr(obj, lookup)}
    return {}


def _pick(world, side, a, b):
    return a(world) if side == "A" else b(world)


def _shift(world, side):
    return world.shift if side == "A" else world.other_shift


def _request(world, side):
    return world.disbursement if side == "A" else world.other_disbursement


def _receipt(world, side):
    donation = world.donation if side == "A" else world.other_donation
    return donation.receipts.first()


PUBLIC_ARGUMENTS = {
    "stations:detail": lambda w, s: {
        "code": (w.network.community_a1 if s == "A" else w.network.community_b1).code
    },
    "projects:detail": lambda w, s: {"code": (w.project if s == "A" else w.other_project).code},
    "funds:detail": lambda w, s: {"code": (w.fund if s == "A" else w.other_fund).code},
    "funds:ledger_csv": lambda w, s: {"code": (w.fund if s == "A" else w.other_fund).code},
    "funds:login": lambda w, s: {"code": (w.fund if s == "A" else w.other_fund).code},
    "funds:dashboard": lambda w, s: {"code": (w.fund if s == "A" else w.other_fund).code},
    "funds:vote": lambda w, s: {
        "code": _request(w, s).fund.code,
        "request_code": _request(w, s).code,
    },
    "funds:opinion": lambda w, s: {
        "code": _request(w, s).fund.code,
        "request_code": _request(w, s).code,
    },
    "donations:point": lambda w, s: {"code": (w.point if s == "A" else w.other_point).code},
    "donations:give": lambda w, s: {"target": f"f-{(w.fund if s == 'A' else w.other_fund).code}"},
    "donations:donation": lambda w, s: {
        "code": (w.donation if s == "A" else w.other_donation).code
    },
    "donations:sandbox_gateway": lambda w, s: {
        "code": (w.donation if s == "A" else w.other_donation).code
    },
    "donations:receipt": lambda w, s: {
        "number": _receipt(w, s).number,
        "check_code": _receipt(w, s).check_code,
    },
    "donations:receipt_pdf": lambda w, s: {
        "number": _receipt(w, s).number,
        "check_code": _receipt(w, s).check_code,
    },
    "donations:statement": lambda w, s: {"year": datetime.date.today().year},
    "donations:notify": lambda w, s: {"provider": "sandbox"},
    "reports:disclosure_file": lambda w, s: {
        "code": (w.report if s == "A" else w.other_report).code,
        "fmt": "pdf",
    },
    "reports:report_file": lambda w, s: {
        "code": (w.fund_report if s == "A" else w.other_fund_report).code,
        "fmt": "pdf",
    },
    "volunteers:opportunity": lambda w, s: {"code": _shift(w, s).opportunity.code},
    "volunteers:sign-up": lambda w, s: {"code": _shift(w, s).code},
    "volunteers:cancel": lambda w, s: {"code": _shift(w, s).code},
    "volunteers:self-check-in": lambda w, s: {"code": _shift(w, s).code, "token": "wrong"},
    "volunteers:staff-roster": lambda w, s: {"code": _shift(w, s).code},
    "volunteers:staff-attendance": lambda w, s: {
        "code": _shift(w, s).code,
        "signup_id": _shift(w, s).signups.first().pk,
        "action": "check-in",
    },
    "volunteers:staff-export": lambda w, s: {"kind": "volunteers", "file_format": "csv"},
    "volunteers:certificate-verify": lambda w, s: {"number": "C-0000", "check_code": "ABCD"},
    "admin:app_list": lambda w, s: {"app_label": "donations"},
    # A real object with a public page (a station), not whatever has pk 1 in this run.
    "admin:view_on_site": lambda w, s: {
        "content_type_id": ContentType.objects.get_for_model(Station).pk,
        "object_id": (w.network.street_a if s == "A" else w.network.street_b).pk,
    },
}
