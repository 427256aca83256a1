from django.urls import path

from office import views

app_name = "office"
urlpatterns = [
    path("", views.index, name="index"),
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/export.<str:fmt>", views.resources_export, name="resources_export"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path(
        "resources/<int:pk>/approve/", views.resource_approve, name="resource_approve"
    ),
    path("carriers/", views.carriers, name="carriers"),
    path("carriers/new/", views.carrier_create, name="carrier_create"),
    path("carriers/<int:pk>/", views.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/issue/", views.carrier_issue, name="carrier_issue"),
    path("carriers/<int:pk>/return/", views.carrier_return, name="carrier_return"),
    path("carriers/<int:pk>/check/", views.carrier_check, name="carrier_check"),
    path("carriers/<int:pk>/destroy/", views.carrier_destroy, name="carrier_destroy"),
    path("controls/", views.controls, name="controls"),
    path("controls/new/", views.control_create, name="control_create"),
    path("controls/<int:pk>/", views.control_detail, name="control_detail"),
    path("controls/<int:pk>/edit/", views.control_edit, name="control_edit"),
    path("controls/<int:pk>/done/", views.control_done, name="control_done"),
    path("health/", views.system_health, name="health"),
]
