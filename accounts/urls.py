from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.security import views as security_views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", security_views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("health/ready/", views.health_ready, name="health_ready"),
    path("health/signed-in/", views.signed_in, name="health_signed_in"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/import/", views.people_import, name="people_import"),
    path(
        "people/import/confirm/",
        views.people_import_confirm,
        name="people_import_confirm",
    ),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path(
        "people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"
    ),
    path("people/<int:pk>/children/", views.parent_link_add, name="parent_link_add"),
    path(
        "parent-links/<int:pk>/remove/",
        views.parent_link_remove,
        name="parent_link_remove",
    ),
    path("permissions/", views.grants, name="grants"),
    path(
        "permissions/<str:model>/<int:pk>/",
        views.object_permissions,
        name="object_permissions",
    ),
    path(
        "permissions/<str:model>/<int:pk>/revoke/",
        views.object_permission_revoke,
        name="object_permission_revoke",
    ),
    path("appointments/", views.appointments, name="appointments"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/pledge/", views.pledge_accept, name="pledge_accept"),
    path(
        "onboarding/familiarization/",
        views.familiarization_confirm,
        name="familiarization_confirm",
    ),
    path("onboarding/register/", views.onboarding_register, name="onboarding_register"),
    path(
        "onboarding/<int:pk>/briefing/", views.briefing_record, name="briefing_record"
    ),
]
