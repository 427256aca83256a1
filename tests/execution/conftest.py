import pytest

from tests.documents.conftest import (  # noqa: F401  (fixtures)
    cabinet,
    clear,
    incoming,
    letter_class,
    official,
    register,
)


@pytest.fixture
def letter(register, records_officer):  # noqa: F811
    """An incoming letter the records officer registered today."""
    return register(records_officer, summary="Райондук бөлүмдөн кат")


@pytest.fixture
def outgoing(db):
    from documents.models import Journal, JournalKind

    return Journal.objects.get(kind=JournalKind.OUTGOING, name="")
