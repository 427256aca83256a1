from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from audit.models import AuditAction
from surveys import charts, exports, selectors, services
from surveys.forms import (
    AnswerForm,
    CompareForm,
    ConclusionsForm,
    QuestionForm,
    RecommendationForm,
    SurveyForm,
)
from surveys.models import Question, Recommendation, RecommendationStatus

ADD = services.ADD
MANAGE = services.CHANGE
RESULTS = services.RESULTS


@require_GET
def survey_list(request):
    return render(
        request,
        "surveys/list.html",
        {
            "answerable": selectors.open_surveys_for(user=request.user),
            "surveys": selectors.managed_surveys(user=request.user),
            "can_add": access.can(request.user, ADD),
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_create(request):
    access.require_visible(request.user, ADD)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(
                actor=request.user, fields=form.cleaned_data
            )
        except services.SurveyRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The survey is saved as a draft."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": None})


@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(
                actor=request.user, survey=survey, fields=form.cleaned_data
            )
        except services.SurveyRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": survey})


@require_GET
def survey_detail(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    return _detail(request, survey, QuestionForm(initial={"required": True}))


def _detail(request, survey, question_form):
    audience, audience_live = selectors.audience_of(survey=survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey=survey),
            "question_form": question_form,
            "audience": audience,
            "audience_live": audience_live,
        },
    )


@require_POST
def question_add(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                actor=request.user,
                survey=survey,
                fields=data,
                options=data["options"],
            )
        except services.SurveyRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The question is added."))
            return redirect("surveys:detail", pk=survey.pk)
    return _detail(request, survey, form)


@require_POST
def question_delete(request, pk, question_pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    question = get_object_or_404(Question, survey=survey, pk=question_pk)
    try:
        services.delete_question(actor=request.user, question=question)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("surveys:detail", pk=survey.pk)


@require_POST
def survey_publish(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    try:
        services.publish_survey(actor=request.user, survey=survey)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The survey is open for answers."))
    return redirect("surveys:detail", pk=survey.pk)


@require_POST
def survey_close(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    try:
        services.close_survey(actor=request.user, survey=survey)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("surveys:detail", pk=survey.pk)


@require_POST
def survey_copy(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    copy = services.copy_survey(actor=request.user, survey=survey)
    messages.success(request, _("A copy is saved as a draft: set its dates."))
    return redirect("surveys:edit", pk=copy.pk)


@require_http_methods(["GET", "POST"])
def survey_answer(request, pk):
    survey = selectors.get_answerable(user=request.user, pk=pk)
    questions = selectors.questions_of(survey=survey)
    refusal = None
    if selectors.has_answered(user=request.user, survey=survey):
        refusal = _("You have already answered this survey. Thank you!")
    elif not survey.is_open_now:
        refusal = _("This survey is not open for answers.")
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questions=questions
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.submit_response(
                actor=request.user, survey=survey, answers=form.answers()
            )
        except services.SurveyRefused as error:
            for question_pk, message in error.errors.items():
                form.add_error(f"q{question_pk}", message)
            if not error.errors:
                refusal = error.message
        else:
            messages.success(request, _("Thank you! Your answers are saved."))
            return redirect("surveys:list")
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "refusal": refusal},
    )


@require_GET
def survey_results(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=RESULTS)
    services.record_results_read(
        actor=request.user, survey=survey, action=AuditAction.VIEW
    )
    return _results_page(request, survey)


def _results_page(request, survey, conclusions_form=None, recommendation_form=None):
    results = selectors.results(survey=survey)
    charts_by_question = [
        (result, charts.bar_chart(result.bars, title=result.question.text))
        for result in results.questions
    ]
    can_manage = access.can(request.user, MANAGE, survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": results,
            "charts": charts_by_question,
            "numeric": [r.question for r in results.questions if r.question.is_numeric],
            "recommendations": selectors.recommendations_of(survey=survey),
            "runs": selectors.runs_of(survey=survey),
            "can_manage": can_manage,
            "conclusions_form": conclusions_form
            or ConclusionsForm(initial={"conclusions": survey.conclusions}),
            "recommendation_form": recommendation_form or RecommendationForm(),
        },
    )


@require_POST
def conclusions_write(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    # The stored text as initial: sent back untouched (CRLF), it stays as it is.
    form = ConclusionsForm(request.POST, initial={"conclusions": survey.conclusions})
    if not form.is_valid():
        return _results_page(request, survey, conclusions_form=form)
    services.write_conclusions(
        actor=request.user, survey=survey, text=form.cleaned_data["conclusions"]
    )
    messages.success(request, _("The conclusions are saved."))
    return redirect("surveys:results", pk=survey.pk)


@require_POST
def recommendation_add(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=MANAGE)
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        return _results_page(request, survey, recommendation_form=form)
    services.add_recommendation(actor=request.user, survey=survey, **form.cleaned_data)
    messages.success(request, _("The recommendation is added."))
    return redirect("surveys:results", pk=survey.pk)


@require_POST
def recommendation_status(request, pk):
    recommendation = get_object_or_404(Recommendation, pk=pk)
    access.require_visible(request.user, MANAGE, recommendation.survey)
    status = request.POST.get("status")
    if status in RecommendationStatus.values:
        services.set_recommendation_status(
            actor=request.user,
            recommendation=recommendation,
            status=RecommendationStatus(status),
        )
    return redirect("surveys:results", pk=recommendation.survey_id)


@require_GET
def survey_report(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=RESULTS)
    services.record_results_read(
        actor=request.user, survey=survey, action=AuditAction.PRINT
    )
    results = selectors.results(survey=survey)
    return render(
        request,
        "surveys/report.html",
        {
            "survey": survey,
            "results": results,
            "recommendations": selectors.recommendations_of(survey=survey),
            "today": timezone.localdate(),
        },
    )


@require_GET
def survey_export(request, pk, fmt):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=RESULTS)
    services.record_results_read(
        actor=request.user,
        survey=survey,
        action=AuditAction.EXPORT,
        details={"format": fmt},
    )
    if fmt == "xlsx":
        content = exports.as_xlsx(survey=survey)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        content = exports.as_csv(survey=survey)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.pk}-results.{fmt}"'
    )
    return response


@require_GET
def survey_compare(request, pk):
    survey = selectors.get_survey(user=request.user, pk=pk, permission=RESULTS)
    runs = selectors.runs_of(survey=survey)
    form = CompareForm(request.GET or None, runs=runs)
    comparison = None
    if form.is_valid():
        other = form.cleaned_data["other"]
        first, second = sorted([other, survey], key=lambda s: (s.opens_at, s.pk))
        comparison = selectors.compare(first=first, second=second)
    return render(
        request,
        "surveys/compare.html",
        {"survey": survey, "form": form, "comparison": comparison},
    )
