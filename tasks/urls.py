from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("stations/<slug:code>/queue/", views.station_queue, name="station-queue"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction-detail"),
    path("instructions/<int:pk>/sign-off/", views.instruction_sign_off, name="instruction-sign-off"),
    path("instructions/<int:pk>/feedback/", views.instruction_feedback, name="instruction-feedback"),
    path("instructions/<int:pk>/accept/", views.instruction_accept, name="instruction-accept"),
    path("instructions/<int:pk>/return/", views.instruction_return, name="instruction-return"),
    path("instructions/<int:pk>/cancel/", views.instruction_cancel, name="instruction-cancel"),
]
