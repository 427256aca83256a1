from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("print/", views.print_view, name="print"),
    path("sign-head/", views.sign_head, name="sign_head"),
]
