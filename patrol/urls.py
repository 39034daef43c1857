from django.urls import path

from . import views

app_name = "patrol"
urlpatterns = [
    path("posts/units/", views.units_board, name="units-board"),
    path("posts/<slug:code>/units/", views.post_units, name="post-units"),
    path("units/<slug:code>/status/", views.unit_status, name="unit-status"),
]
