from django.urls import path

from accounts.security import views

app_name = "security"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("compromised/", views.breach_report, name="breach_report"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/<uidb64>/<token>/", views.reset_link, name="reset_link"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path(
        "second-factor/remove/",
        views.second_factor_remove,
        name="second_factor_remove",
    ),
    path("sign-in/code/", views.second_factor_verify, name="second_factor_verify"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]
