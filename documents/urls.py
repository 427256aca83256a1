from django.urls import path

from documents import views
from execution import views as execution_views

app_name = "documents"

urlpatterns = [
    path("", views.journal_list, name="journal"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/annul/", views.annul, name="annul"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/paper-copy/", views.paper_copy, name="paper_copy"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/copy/", views.attachment_copy, name="attachment_copy"),
    path("custody/", views.custody, name="custody"),
    path("custody/<int:pk>/sign/", views.sign, name="sign"),
    path("custody/<int:pk>/hand-back/", views.hand_back, name="hand_back"),
    path("custody/<int:pk>/return/", views.confirm_return, name="confirm_return"),
    path("copies/", views.copy_log, name="copy_log"),
    path("copies/<int:pk>/fate/", views.copy_fate, name="copy_fate"),
]

urlpatterns += [
    path("acts/destruction/", views.destruction_acts, name="destruction_acts"),
    path(
        "acts/destruction/new/",
        views.destruction_act_new,
        name="destruction_act_new",
    ),
    path("acts/destruction/<int:pk>/", views.destruction_act, name="destruction_act"),
    path(
        "acts/destruction/<int:pk>/confirm/",
        views.destruction_act_confirm,
        name="destruction_act_confirm",
    ),
    path(
        "acts/destruction/<int:pk>/approve/",
        views.destruction_act_approve,
        name="destruction_act_approve",
    ),
    path(
        "acts/destruction/<int:pk>/print/",
        views.destruction_act_print,
        name="destruction_act_print",
    ),
    path("print/", views.journal_print_pick, name="journal_print_pick"),
    path("print/<int:journal>/<int:year>/", views.journal_print, name="journal_print"),
    path("export/journal/", views.journal_export, name="journal_export"),
    path("export/copies/", views.copy_log_export, name="copy_log_export"),
    path("export/custody/", views.custody_export, name="custody_export"),
]

urlpatterns += [
    path("acts/hand-over/", views.hand_over_new, name="hand_over_new"),
    path("acts/hand-over/<int:pk>/", views.hand_over, name="hand_over"),
    path(
        "acts/hand-over/<int:pk>/confirm/",
        views.hand_over_confirm,
        name="hand_over_confirm",
    ),
    path(
        "acts/hand-over/<int:pk>/refresh/",
        views.hand_over_refresh,
        name="hand_over_refresh",
    ),
    path(
        "acts/hand-over/<int:pk>/print/", views.hand_over_print, name="hand_over_print"
    ),
]

urlpatterns += [
    path("lists/", views.reference_lists, name="reference_lists"),
    path("lists/journals/", views.journal_add, name="journal_add"),
    path("lists/classes/", views.class_add, name="class_add"),
    path("lists/cases/", views.case_add, name="case_add"),
    path("lists/places/", views.place_add, name="place_add"),
]

# Execution control (issue 21): the views live in execution/.
urlpatterns += [
    path("execution/", execution_views.execution_list, name="execution"),
    path("execution/print/", execution_views.execution_print, name="execution_print"),
    path(
        "execution/export/", execution_views.execution_export, name="execution_export"
    ),
    path("execution/discipline/", execution_views.discipline, name="discipline"),
    path(
        "execution/discipline/print/",
        execution_views.discipline_print,
        name="discipline_print",
    ),
    path(
        "execution/discipline/export/",
        execution_views.discipline_export,
        name="discipline_export",
    ),
    path("<int:pk>/resolution/", execution_views.resolution_new, name="resolution_new"),
    path(
        "resolutions/<int:pk>/",
        execution_views.resolution_detail,
        name="resolution",
    ),
    path(
        "resolutions/<int:pk>/edit/",
        execution_views.resolution_edit,
        name="resolution_edit",
    ),
    path(
        "resolutions/<int:pk>/report/",
        execution_views.resolution_report,
        name="resolution_report",
    ),
    path(
        "resolutions/<int:pk>/take-off-control/",
        execution_views.resolution_take_off,
        name="resolution_take_off",
    ),
]
