"""Machinery of the access table: the users, the real objects of each URL, and the outcome of
one request in one letter.

Outcome letters: o = 2xx, r = redirect to a sign-in page, z = another redirect, a = 401,
x = 403, n = 404, m = 405, b = 400, f = 415, u = 422, t = 429. The users, in this order:
superuser, director (street A), social worker (community B1), finance officer (street A),
committee member of fund B only, volunteer (community A1), anonymous.
"""

import datetime
from dataclasses import dataclass

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


# --- what a list shows -------------------------------------------------------------------------
# The status letters say who may open a list; these say what is in it. Every list (an admin
# changelist, an API list endpoint, an admin export action, an export or staff list page) is
# read by each user whose stations lie on one side of the test world: nothing of the other
# side's objects may be in it. The superuser's copy of the same list must show the objects of
# both sides, so that a marker that is never shown fails instead of passing silently.

# The side of the world each scoped user belongs to (the other side is what they must not see).
SIDE = {
    "director": "A",
    "finance_officer": "A",
    "volunteer": "A",
    "social_worker": "B",
    "committee_member": "B",
}


def _volunteer_number(volunteer) -> str:
    return volunteer.number


def _roster_url(shift) -> str:
    from django.urls import reverse

    return reverse("volunteers:staff-roster", args=[shift.code])


def _other_lists() -> dict:
    """Lists that are neither an admin changelist nor an API list: their model and what of an
    object they show. (Imported late: the apps are not ready when this module loads.)"""
    from volunteers.models import Shift, Volunteer

    return {
        "volunteers:staff-export": (Volunteer, _volunteer_number),  # kind "volunteers", CSV
        "volunteers:staff-ranking": (Volunteer, _volunteer_number),
        "volunteers:staff-shifts": (Shift, _roster_url),
    }


# Pages that look like lists by their name but show one object.
NOT_LISTS = {
    "funds:ledger_csv": "one fund's public ledger",
    "volunteers:staff-roster": "one shift's roster",
    "volunteers:staff-attendance": "one sign-up's check-in",
}


def _export_markers() -> dict:
    """What of an object an admin export action writes, by model."""
    from donations.models import Donation, GoodsDonation
    from projects.models import Beneficiary

    return {
        Donation: lambda d: d.reference,
        GoodsDonation: lambda g: g.receipt_number,
        Beneficiary: lambda b: b.name,
    }


def looks_like_a_list(name: str) -> bool:
    return name.endswith(("_changelist", "-list")) or any(
        word in name for word in ("export", "csv", "staff-")
    )


@dataclass
class ListCheck:
    """One list of the world and how to tell which objects it shows."""

    route: object
    model: type
    identity: object  # object -> the string the list shows for it
    shown: object  # (response, identity string) -> bool
    method: str = "get"
    data: dict | None = None


class Kept:
    """What the list checks read of an answer: kept instead of the test client's response,
    which holds the page's whole template context."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.content = response.content
        self.headers = {"Content-Type": response.headers.get("Content-Type", "")}

    def json(self):
        import json

        return json.loads(self.content)


def _in_text(response, identity: str) -> bool:
    return identity in response.content.decode("utf-8-sig", errors="replace")


def _in_api_results(lookup: str):
    key = "id" if lookup == "pk" else lookup

    def shown(response, identity: str) -> bool:
        data = response.json()
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        return identity in {str(row.get(key)) for row in rows}

    return shown


def _in_workbook_or_text(response, identity: str) -> bool:
    if "spreadsheetml" not in response.headers.get("Content-Type", ""):
        return _in_text(response, identity)
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return any(identity == str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def list_checks(routes) -> list[ListCheck]:
    """A check for every list among ``routes`` whose model is scoped to stations. A name that
    looks like a list but is neither an admin nor an API list needs an entry above."""
    from django.urls import reverse

    other = _other_lists()
    unknown = [
        route.name
        for route in routes
        if looks_like_a_list(route.name)
        and not route.name.startswith("admin:")
        and not route.name.endswith("-list")
        and route.name not in other
        and route.name not in NOT_LISTS
    ]
    assert not unknown, f"lists with no entry in _other_lists() or NOT_LISTS: {unknown}"
    checks = []
    for route in routes:
        if route.name.endswith("_changelist"):
            model = admin_model(route)
            change = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
            checks.append(
                ListCheck(
                    route,
                    model,
                    lambda obj, change=change: reverse(change, args=[obj.pk]),
                    _in_text,
                )
            )
            checks.extend(_export_action_checks(route, model))
        elif route.name.endswith("-list") and not route.name.startswith("admin:"):
            model, lookup = api_model(route)
            checks.append(
                ListCheck(
                    route,
                    model,
                    lambda obj, lookup=lookup: str(getattr(obj, lookup)),
                    _in_api_results(lookup),
                )
            )
        elif route.name in other:
            model, identity = other[route.name]
            checks.append(ListCheck(route, model, identity, _in_text))
    return [check for check in checks if station_lookup_for(check.model) is not None]


def _export_action_checks(route, model) -> list[ListCheck]:
    """An admin action named export_* on ``model``'s changelist, run on both sides' objects."""
    model_admin = admin.site._registry[model]
    names = [name for name in (model_admin.actions or ()) if str(name).startswith("export")]
    if not names:
        return []
    markers = _export_markers()
    assert model in markers, f"{model.__name__} has export actions: add its export marker"
    return [
        ListCheck(route, model, markers[model], _in_workbook_or_text, "post", {"action": name})
        for name in names
    ]


def check_list(check: ListCheck, world, users: dict, responses: dict | None = None) -> list[str]:
    """What went wrong with one list: a side's object missing from the superuser's copy, or
    a scoped user seeing the other side's object. ``responses`` are the GET answers already
    fetched by the status table (by user name), reused to keep the test quick."""
    objects = {
        "A": under(check.model, world.network.street_a),
        "B": under(check.model, world.network.street_b),
    }
    missing = [side for side, obj in objects.items() if obj is None]
    if missing:
        return [f"{check.route.name}: no {check.model.__name__} at street {missing} in the world"]
    identities = {side: check.identity(obj) for side, obj in objects.items()}
    url = check.route.url(**arguments(check.route, world, "A"))
    label = check.route.name + (f" ({check.data['action']})" if check.data else "")

    def fetch(user: str):
        if check.method == "get" and responses and user in responses:
            return responses[user]
        if check.method == "post":
            data = {**check.data, "_selected_action": [o.pk for o in objects.values()]}
            return users[user].post(url, data)
        return users[user].get(url)

    problems = []
    everything = fetch("superuser")
    if everything.status_code != 200:
        return [f"{label}: the superuser gets {everything.status_code}"]
    for side, identity in identities.items():
        if not check.shown(everything, identity):
            problems.append(f"{label}: street {side}'s {identity!r} not in the superuser's list")
    for user, side in SIDE.items():
        response = fetch(user)
        if response.status_code != 200:
            continue
        other_side = "B" if side == "A" else "A"
        if check.shown(response, identities[other_side]):
            problems.append(
                f"{label}: {user} (street {side}) sees street {other_side}'s "
                f"{identities[other_side]!r}"
            )
    return problems
