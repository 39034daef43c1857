from django.urls import path

from . import views

app_name = "field"
urlpatterns = [
    # The community officer's phone
    path("m/", views.inbox, name="mobile-inbox"),
    path("m/i/<int:pk>/", views.item, name="mobile-item"),
    path("m/sw.js", views.service_worker, name="mobile-sw"),
    path("m/visit/<slug:key>/", views.visit, name="mobile-visit"),
    path("m/combined/<slug:key>/", views.combined, name="standard-combined"),
    path("m/notifications/", views.notifications, name="mobile-notifications"),
]
