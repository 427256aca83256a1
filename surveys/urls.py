from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/publish/", views.survey_publish, name="publish"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/copy/", views.survey_copy, name="copy"),
    path("<int:pk>/answer/", views.survey_answer, name="answer"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/conclusions/", views.conclusions_write, name="conclusions"),
    path(
        "<int:pk>/recommendations/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:pk>/status/",
        views.recommendation_status,
        name="recommendation_status",
    ),
    path("<int:pk>/report/", views.survey_report, name="report"),
    path("<int:pk>/export.csv", views.survey_export, {"fmt": "csv"}, name="export_csv"),
    path(
        "<int:pk>/export.xlsx",
        views.survey_export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path("<int:pk>/compare/", views.survey_compare, name="compare"),
]
