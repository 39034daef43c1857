from django.urls import path

from . import notification_views, photos, views

app_name = "tasks"
urlpatterns = [
    path("stations/<slug:code>/queue/", views.station_queue, name="station-queue"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction-detail"),
    path("instructions/<int:pk>/sign-off/", views.instruction_sign_off, name="instruction-sign-off"),
    path("instructions/<int:pk>/feedback/", views.instruction_feedback, name="instruction-feedback"),
    path("instructions/<int:pk>/accept/", views.instruction_accept, name="instruction-accept"),
    path("instructions/<int:pk>/return/", views.instruction_return, name="instruction-return"),
    path("instructions/<int:pk>/cancel/", views.instruction_cancel, name="instruction-cancel"),
    # Notifications, for every role (desktop) and the officer's phone
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read-all/", notification_views.notifications_read_all, name="notifications-read-all"),
    # Feedback photos (API v1, beside the router's instruction routes)
    path("api/v1/instructions/<int:pk>/photos/", photos.PhotoUpload.as_view(), name="photo-upload"),
    path("api/v1/photos/<uuid:photo_id>/", photos.PhotoFile.as_view(), name="photo"),
]
