from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from . import selectors


@login_required
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = selectors.station_for(request.user, code)
    return TemplateResponse(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "communities": selectors.communities_of(station),
            "officers": selectors.officers_of(station, request.user),
        },
    )
