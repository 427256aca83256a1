"""The school's survey of 3 October 2022 ("Маалымат коопсуздук"), for seed_demo.

The texts in Kyrgyz are the school's own (seed/regulation-and-survey-ky.txt);
the Russian and English are ours.

That survey was taken on paper by 127 students of grades 5–9 who have no
accounts here, so its responses are written directly, without Participation
rows: there is no person to record, and its audience (all 127 of them) is
written with it rather than counted among today's accounts. The simulated
answers are fixed counts whose most frequent value and rounded mean are the
values the school reported.
Every real answer goes through surveys.services.submit_response, which keeps
one Participation per person.
"""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from accounts.models import User
from accounts.roles import Role
from surveys.models import (
    Answer,
    Option,
    Question,
    QuestionKind,
    Recommendation,
    Response,
    Survey,
    SurveyStatus,
)

BISHKEK = ZoneInfo("Asia/Bishkek")
RESPONDENTS_BY_GRADE = {5: 26, 6: 26, 7: 25, 8: 25, 9: 25}
# Everyone asked on paper answered: the audience was these 127 students.
AUDIENCE = sum(RESPONDENTS_BY_GRADE.values())
CLOSES_AT = datetime(2022, 10, 3, 17, 0, tzinfo=BISHKEK)

TITLE = ("Маалымат коопсуздук", "Информационная безопасность", "Information security")
PURPOSE = (
    "Билим бер мекеменин маалымат коопсуздугунун денгээлин жана зарылчылыгын аныктоо.",
    "Определить уровень информационной безопасности образовательного "
    "учреждения и то, что для неё необходимо.",
    "To find out how well the school's information is protected and what it needs.",
)

# (ky, ru, en), range, labels {value: (ky, ru, en)}, answer counts {value: n},
# the value the school reported.
QUESTIONS = [
    (
        (
            "Компютердик класстын саны",
            "Количество компьютерных классов",
            "Number of computer classes",
        ),
        (0, 3),
        {
            0: ("жок", "нет", "none"),
            1: ("бир класс бар", "есть один класс", "one class"),
            2: ("эки класс", "два класса", "two classes"),
            3: ("үч класс", "три класса", "three classes"),
        },
        {0: 6, 1: 115, 2: 4, 3: 2},
        1,
    ),
    (
        (
            "Билим берүү уюмунда окуучулардын мугалимдердин пайдалана турган "
            "зымсыз желе (тармак) барбы?",
            "Есть ли в школе беспроводная сеть, которой пользуются ученики и учителя?",
            "Does the school have a wireless network for students and teachers?",
        ),
        (0, 1),
        {0: ("жок", "нет", "no"), 1: ("бар", "есть", "yes")},
        {0: 15, 1: 112},
        1,
    ),
    (
        (
            "Техникалык адис / системдик администратору",
            "Технический специалист / системный администратор",
            "A technical specialist / system administrator",
        ),
        (0, 2),
        {0: ("жок", "нет", "none"), 2: ("бар", "есть", "yes")},
        {0: 118, 1: 6, 2: 3},
        0,
    ),
    (
        (
            "Мугалимдер маалыматтык коопсуздук (тышкы жана ички) квалификациясын "
            "жогорулатуудан өткөнбү?",
            "Прошли ли учителя повышение квалификации по информационной "
            "безопасности (внешней и внутренней)?",
            "Have the teachers been trained in information security "
            "(external and internal)?",
        ),
        (0, 3),
        {0: ("өткөн жок", "не прошли", "no"), 3: ("өткөн", "прошли", "yes")},
        {0: 2, 1: 4, 2: 17, 3: 104},
        3,
    ),
]

CONCLUSIONS = (
    "Сурамжылоонун жыйынтыгында билим берүү мекеменин ар бир предметтик "
    "класстарына күчтүү зымсыз желенин, интерактивдүү такталардын, "
    "сыналгылардын жетишсиздиги."
)
RECOMMENDATIONS = [
    (
        "Билим берүү мекеменин ар бир предметтик класстарына күчтүү зымсыз "
        "желени таратуу.",
        date(2023, 9, 1),
    ),
    (
        "Интерактивдүү такталары, сыналгысы жок класстарды камсыз кылуу.",
        date(2023, 12, 25),
    ),
]


def seed() -> Survey:
    """Create the 2022 survey once; running again changes nothing."""
    officer = User.objects.filter(username="security").first()
    principal = User.objects.filter(username="director").first()
    survey, _created = Survey.objects.get_or_create(
        title_ky=TITLE[0],
        opens_at=datetime(2022, 10, 3, 8, 0, tzinfo=BISHKEK),
        defaults={
            "title_ru": TITLE[1],
            "title_en": TITLE[2],
            "purpose_ky": PURPOSE[0],
            "purpose_ru": PURPOSE[1],
            "purpose_en": PURPOSE[2],
            "audience_roles": [Role.STUDENT.value],
            "min_grade": 5,
            "max_grade": 9,
            "closes_at": CLOSES_AT,
            "anonymous": True,
            "status": SurveyStatus.CLOSED,
            "audience_size": AUDIENCE,
            "audience_counted_at": CLOSES_AT,
            "conclusions": CONCLUSIONS,
            "created_by": officer,
        },
    )
    if not survey.questions.exists():
        _questions(survey)
    if not survey.responses.exists():
        _responses(survey)
    if survey.audience_size is None:
        # Seeded before the audience was kept with the survey.
        survey.audience_size, survey.audience_counted_at = AUDIENCE, CLOSES_AT
        survey.save(update_fields=["audience_size", "audience_counted_at"])
    if principal is not None and not survey.recommendations.exists():
        for text, due_on in RECOMMENDATIONS:
            Recommendation.objects.create(
                survey=survey,
                text=text,
                responsible=principal,
                due_on=due_on,
                created_by=officer or principal,
            )
    return survey


def _questions(survey: Survey) -> None:
    for order, (texts, (low, high), labels, _counts, _reported) in enumerate(
        QUESTIONS, start=1
    ):
        question = Question.objects.create(
            survey=survey,
            order=order,
            kind=QuestionKind.SCALE,
            text_ky=texts[0],
            text_ru=texts[1],
            text_en=texts[2],
            min_value=low,
            max_value=high,
        )
        for value, (ky, ru, en) in labels.items():
            Option.objects.create(
                question=question, value=value, label_ky=ky, label_ru=ru, label_en=en
            )


def _responses(survey: Survey) -> None:
    # A fixed seed keeps the demo the same on every machine; the order of the
    # answers is shuffled so that grades and answers are mixed as in life.
    shuffle = random.Random(20221003).shuffle  # noqa: S311 - not a secret
    grades = [g for g, n in RESPONDENTS_BY_GRADE.items() for _i in range(n)]
    columns = []
    for question in survey.questions.order_by("order"):
        counts = QUESTIONS[question.order - 1][3]
        values = [value for value, n in counts.items() for _i in range(n)]
        shuffle(values)
        columns.append((question, values))
    responses = Response.objects.bulk_create(
        Response(survey=survey, grade=grade) for grade in grades
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=values[i])
        for question, values in columns
        for i, response in enumerate(responses)
    )
