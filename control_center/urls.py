from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from rest_framework.routers import DefaultRouter

from disputes import api as disputes_api
from disputes import instruction_api
from patrol import api as patrol_api
from standard import api as standard_api
from stations import api as stations_api
from stations import audit_views
from tasks import api as tasks_api

from . import api as center_api
from . import api_docs, health, rankings_api, rankings_views, supervision_views, views

router = DefaultRouter()
router.register("stations", stations_api.StationViewSet, basename="station")
router.register("communities", stations_api.CommunityViewSet, basename="community")
router.register("officers", stations_api.OfficerViewSet, basename="officer")
router.register("categories", disputes_api.CategoryViewSet, basename="category")
router.register("instructions", instruction_api.InstructionViewSet, basename="instruction")
router.register("notifications", tasks_api.NotificationViewSet, basename="notification")
router.register("standard-tasks", standard_api.StandardTaskViewSet, basename="standard-task")
router.register("incidents", disputes_api.IncidentViewSet, basename="incident")
router.register("selections", center_api.SelectionViewSet, basename="selection")
router.register("units", patrol_api.UnitViewSet, basename="unit")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", stations_api.ObtainToken.as_view(), name="api-token"),
    path("api/v1/rankings/weekly/", rankings_api.WeeklyRankingView.as_view(), name="api-rankings-weekly"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", api_docs.SchemaView.as_view(), name="schema"),
    path(
        "api/docs/",
        api_docs.DocsView.as_view(url_name="schema", template_name="api_docs.html"),  # the CSP's nonce
        name="api-docs",
    ),
    path("", views.home, name="home"),
    path("center/", views.dashboard, name="dashboard"),
    path("center/selection/run/", views.selection_run, name="selection-run"),
    path("center/selection/<str:date>/add/", views.selection_add, name="selection-add"),
    path("center/selection/<str:date>/remove/", views.selection_remove, name="selection-remove"),
    path("center/selection/<str:date>/dispatch/", views.selection_dispatch, name="selection-dispatch"),
    path("rankings/", rankings_views.rankings_page, name="rankings"),
    path("rankings/export.xlsx", rankings_views.rankings_export, name="rankings-export"),
    path("rankings/print/", rankings_views.rankings_print, name="rankings-print"),
    path("rankings/recompute/", rankings_views.rankings_recompute, name="rankings-recompute"),
    path("rankings/<str:week>/<slug:code>/", rankings_views.rankings_unit, name="rankings-unit"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("supervision/", supervision_views.supervision_page, name="supervision"),
    path("supervision/check/<int:pk>/", supervision_views.supervision_check, name="supervision-check"),
    path("supervision/rectify/", supervision_views.supervision_rectify, name="supervision-rectify"),
    path("stations/<slug:code>/", include("stations.urls")),
    path("", include("tasks.urls")),
    path("", include("field.urls")),
    path("", include("standard.urls")),
    path("", include("disputes.urls")),
    path("", include("patrol.urls")),
]

# Under /api/, Django's own 400/403/404 answer JSON like the rest of the API.
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
# A database outage answers 503 with Retry-After (JSON under /api/), not the 500 page.
handler500 = "core.error_pages.server_error"
