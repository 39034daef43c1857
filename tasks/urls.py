from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("stations/<slug:code>/queue/", views.station_queue, name="station-queue"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction-detail"),
]
