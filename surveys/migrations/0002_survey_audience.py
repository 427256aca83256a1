"""Keep each survey's audience with it, and estimate it for the surveys run so far.

Until now the response rate divided a survey's answers by today's audience, so
an old survey's rate moved with every pupil who came or left (the seeded 2022
survey showed 127 answers of 4 people). From now on the audience is counted
when a survey is published and fixed when it is closed. For the surveys already
published, the best that the records allow:

- the people who hold the audience's roles now, are active, match its grades
  or classes and had joined by its closing time (people who have left since
  are not known, nor classes that changed);
- and everyone who answered it, who was in the audience when they did;
- and never fewer than its responses: each of them came from someone in the
  audience (the 2022 paper survey has 127 responses and no accounts behind
  them, so its audience comes out as its 127 students).

The time of counting stays empty: the screens say that the number is an
estimate. A survey still open is counted again when it is closed.
"""

from django.db import migrations, models
from django.utils import timezone


def _grade(school_class):
    digits = "".join(ch for ch in school_class if ch.isdigit())
    return int(digits) if digits else None


def _class_matches(survey, school_class):
    # As surveys.selectors._class_matches did when this migration was written.
    classes = [c.strip().upper() for c in survey.classes.split(",") if c.strip()]
    if survey.min_grade is None and survey.max_grade is None and not classes:
        return True
    if classes:
        return school_class.strip().upper() in classes
    grade = _grade(school_class)
    if grade is None:
        return False
    low = survey.min_grade if survey.min_grade is not None else grade
    high = survey.max_grade if survey.max_grade is not None else grade
    return low <= grade <= high


def estimate_audiences(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Participation = apps.get_model("surveys", "Participation")
    Response = apps.get_model("surveys", "Response")
    User = apps.get_model("accounts", "User")
    now = timezone.now()
    published = Survey.objects.filter(
        status__in=["open", "closed"], audience_size__isnull=True
    )
    for survey in published.order_by("pk"):
        as_of = min(now, survey.closes_at)
        eligible = User.objects.filter(
            is_active=True,
            groups__name__in=survey.audience_roles,
            date_joined__lte=as_of,
        ).values_list("pk", "school_class")
        people = {
            pk for pk, school_class in eligible if _class_matches(survey, school_class)
        }
        people.update(
            Participation.objects.filter(survey=survey).values_list(
                "person_id", flat=True
            )
        )
        responses = Response.objects.filter(survey=survey).count()
        Survey.objects.filter(pk=survey.pk).update(
            audience_size=max(len(people), responses)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("surveys", "0001_surveys_questions_responses_recommendations"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="audience_counted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="audience counted"
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="audience_size",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="audience"
            ),
        ),
        migrations.RunPython(estimate_audiences, migrations.RunPython.noop),
    ]
