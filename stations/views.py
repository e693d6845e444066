from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .models import Station


def home(request):
    return render(request, "stations/home.html", {"stations": list(selectors.public_stations())})


def station_detail(request, code: str):
    try:
        station = selectors.public_station(code)
    except Station.DoesNotExist:
        raise Http404(_("There is no station with this code.")) from None
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "breadcrumb": selectors.breadcrumb(station),
            "children": selectors.public_children(station),
        },
    )
