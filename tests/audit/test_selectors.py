from audit import selectors
from audit.models import AuditAction
from audit.services import record


def test_last_logins_are_the_persons_own_newest_first(teacher, student):
    for _ in range(12):
        record(actor=teacher, action=AuditAction.LOGIN)
    record(actor=student, action=AuditAction.LOGIN)
    record(actor=teacher, action=AuditAction.LOGOUT)

    logins = selectors.last_logins(user=teacher)

    assert len(logins) == 10
    assert {e.actor for e in logins} == {teacher}
    assert {e.action for e in logins} == {AuditAction.LOGIN}
    assert logins[0].seq > logins[-1].seq
    assert len(selectors.last_logins(user=teacher, limit=3)) == 3


def test_who_viewed_lists_the_views_of_that_person_only(
    teacher, parent, student, outsider
):
    record(actor=teacher, action=AuditAction.VIEW, target=student)
    record(actor=parent, action=AuditAction.VIEW, target=student)
    record(actor=teacher, action=AuditAction.VIEW, target=outsider)
    record(actor=teacher, action=AuditAction.UPDATE, target=student)

    viewers = [e.actor for e in selectors.who_viewed(person=student)]

    assert viewers == [parent, teacher]


def test_who_viewed_costs_one_query(teacher, student, django_assert_num_queries):
    for _ in range(5):
        record(actor=teacher, action=AuditAction.VIEW, target=student)

    with django_assert_num_queries(1):
        assert len(list(selectors.who_viewed(person=student))) == 5
