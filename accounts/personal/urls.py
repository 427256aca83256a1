from django.urls import path

from accounts.personal import views

app_name = "personal"

urlpatterns = [
    path("", views.cabinet, name="cabinet"),
    path("class/", views.my_class, name="my_class"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/show/", views.reveal, name="reveal"),
    path("people/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
    path("people/<int:pk>/requests/new/", views.request_new, name="request_new"),
    path("requests/", views.requests, name="requests"),
    path("requests/overdue/", views.overdue, name="overdue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path(
        "requests/<int:pk>/export.json",
        views.export,
        {"file_format": "json"},
        name="export_json",
    ),
    path(
        "requests/<int:pk>/export.html",
        views.export,
        {"file_format": "html"},
        name="export_html",
    ),
    path("requests/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
