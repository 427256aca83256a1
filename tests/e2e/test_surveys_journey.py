"""The security officer builds a survey, a 7th-grader answers it on a phone, the
officer reads the chart and writes a recommendation, the principal sees it at home."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from surveys.models import Participation, Response, Survey
from tests.e2e.helpers import enrolled, ky
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    ("Компьютердик класстар канча?", 0, 3),
    ("Зымсыз тармак барбы?", 0, 1),
    ("Техникалык адис барбы?", 0, 2),
    ("Мугалимдер окуудан өтүштүбү?", 0, 3),
]


def test_survey_from_building_to_the_principals_home(
    live_server, browser, phone, sign_in
):
    officer = UserFactory(
        username="security", roles=[Role.SECURITY_OFFICER, Role.STAFF]
    )
    director = UserFactory(
        username="director",
        first_name="Айгүл",
        last_name="Сыдыкова",
        roles=[Role.PRINCIPAL, Role.STAFF],
    )
    UserFactory(username="student1", school_class="7A", roles=[Role.STUDENT])
    officer_device = enrolled(officer)
    director_device = enrolled(director)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # The security officer builds a four-question scale survey for grades 5-9.
    sign_in(desk, "security", PASSWORD, device=officer_device)
    desk.goto(f"{live_server.url}/surveys/new/")
    now = timezone.localtime()
    desk.fill("input[name=title_ky]", "Маалымат коопсуздугу")
    desk.check("input[name=audience_roles][value=student]")
    desk.fill("input[name=min_grade]", "5")
    desk.fill("input[name=max_grade]", "9")
    desk.fill(
        "input[name=opens_at]", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    desk.fill(
        "input[name=closes_at]", (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    desk.click("form.card button[type=submit]")
    for text, low, high in QUESTIONS:
        desk.select_option("select[name=kind]", "scale")
        desk.fill("textarea[name=text_ky]", text)
        desk.fill("input[name=min_value]", str(low))
        desk.fill("input[name=max_value]", str(high))
        desk.get_by_role("button", name=ky("Add the question")).click()
        expect(desk.locator("ol.questions")).to_contain_text(text)
    desk.get_by_role("button", name=ky("Publish")).click()
    survey = Survey.objects.get()
    assert survey.is_open_now
    assert survey.questions.count() == 4

    # A 7th-grader answers on a 360-px phone.
    sign_in(phone, "student1", PASSWORD)
    phone.get_by_role("link", name="Маалымат коопсуздугу").click()
    for i, choice in enumerate([1, 1, 0, 3]):
        phone.locator("fieldset.question").nth(i).locator("label.choice").nth(
            choice
        ).click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name=ky("Send my answers")).click()
    expect(phone.locator(".message.success")).to_have_text(
        ky("Thank you! Your answers are saved.")
    )
    assert Participation.objects.count() == Response.objects.count() == 1

    # The officer sees the chart and writes a recommendation.
    desk.goto(f"{live_server.url}/surveys/{survey.pk}/results/")
    expect(desk.locator("svg.chart")).to_have_count(4)
    expect(desk.locator(".mean").first).to_have_text("1.0")
    desk.fill("textarea[name=text]", "Ар бир класска күчтүү зымсыз тармак")
    desk.select_option("select[name=responsible]", str(director.pk))
    desk.fill("input[name=due_on]", (now + timedelta(days=60)).strftime("%Y-%m-%d"))
    desk.get_by_role("button", name=ky("Add the recommendation")).click()
    expect(desk.locator(".message.success")).to_have_text(
        ky("The recommendation is added.")
    )

    # The principal sees it on the home page.
    page = browser.new_context().new_page()
    sign_in(page, "director", PASSWORD, device=director_device)
    expect(page.locator(".recommendation")).to_contain_text(
        "Ар бир класска күчтүү зымсыз тармак"
    )
