"""Public project pages: what a project is for, where it stands, what it has done. They show
counts only, never a beneficiary's name, photo or any detail."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .models import Project


def project_list(request):
    stations = list(selectors.public_project_stations())
    station_code = request.GET.get("station") or ""
    category = request.GET.get("category") or ""
    station = next((s for s in stations if s.code == station_code), None)
    if category not in Project.Category.values:
        category = ""
    projects = selectors.public_projects(station=station, category=category or None)
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": list(projects),
            "stations": stations,
            "categories": Project.Category.choices,
            "selected_station": station.code if station else "",
            "selected_category": category,
        },
    )


def project_detail(request, code: str):
    try:
        project = selectors.public_project(code)
    except Project.DoesNotExist:
        raise Http404(_("There is no public project with this code.")) from None
    try:
        evaluation = project.evaluation
    except Project.evaluation.RelatedObjectDoesNotExist:
        evaluation = None
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "station": project.station,
            "updates": project.updates.all(),
            "evaluation": evaluation,
        },
    )
