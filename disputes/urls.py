from django.urls import path

from . import import_views, views

app_name = "disputes"
urlpatterns = [
    path("incidents/import/", import_views.import_upload, name="import"),
    path("incidents/import/<int:pk>/", import_views.import_status, name="import-status"),
    path(
        "incidents/import/template.<str:kind>",
        import_views.import_template,
        name="import-template",
    ),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/dispatch/", views.incident_dispatch, name="incident-dispatch"),
    path("area/pushes/", views.push_list, name="pushes"),
    path("area/pushes/<int:pk>/acknowledge/", views.push_acknowledge, name="push-acknowledge"),
    path("center/pushes/", views.center_pushes, name="center-pushes"),
]
