from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from stations.selectors import station_for

from . import selectors


@login_required
def station_queue(request: HttpRequest, code: str) -> HttpResponse:
    station = station_for(request.user, code)
    return TemplateResponse(
        request,
        "tasks/station_queue.html",
        {"station": station, "instructions": selectors.station_queue(request.user, station.pk)},
    )


@login_required
def instruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = get_object_or_404(selectors.instruction_detail(request.user), pk=pk)
    return TemplateResponse(request, "tasks/instruction_detail.html", {"instruction": instruction})
