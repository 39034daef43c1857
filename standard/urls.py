"""Standard tasks (标准件): catalogue, issuing and progress (the officer's combined sheet is the phone's:
field.urls, `field:standard-combined`)."""

from django.urls import path

from . import views

app_name = "standard"
urlpatterns = [
    path("standard-tasks/", views.catalogue, name="catalogue"),
    path("standard-tasks/catalogue.xlsx", views.catalogue_export, name="catalogue-export"),
    path("standard-tasks/import/", views.catalogue_import, name="catalogue-import"),
    path("standard-tasks/issue/", views.issue, name="issue"),
    path("standard-tasks/issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("standard-tasks/issues/<int:pk>/stop/", views.issue_stop, name="issue-stop"),
    path("standard-tasks/<slug:code>/progress/", views.progress, name="progress"),
    path("standard-tasks/<slug:code>/progress.xlsx", views.progress_export, name="progress-export"),
]
