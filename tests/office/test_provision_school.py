"""provision_school: a district's new school in one step (its database, keys,
bucket prefix and administrator), and never another school's database or prefix."""

import secrets
import stat
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.s3 import ACCESS_KEY, SECRET_KEY, objects, storage_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    """The suite's PostgreSQL server as the district's cluster; every school
    database a test made is dropped after it."""
    if connection.vendor != "postgresql":
        pytest.skip("a district's schools live on a PostgreSQL cluster")
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@"
        f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/postgres"
    )
    made = []
    yield url, made
    server = psycopg2.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
    )
    server.autocommit = True
    with server.cursor() as cursor:
        for database in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    server.close()


def databases(url: str) -> set[str]:
    server = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    with server.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        names = {row[0] for row in cursor.fetchall()}
    server.close()
    return names


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


@pytest.fixture
def district(s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    prefix = f"district-{secrets.token_hex(3)}"
    return prefix, storage_url(s3_server, prefix)


def provision(code, cluster_url, storage, env_dir):
    call_command(
        "provision_school",
        code,
        cluster_url=cluster_url,
        storage_url=storage,
        env_dir=str(env_dir),
        admin="director_admin",
    )


def test_a_school_is_provisioned_whole_in_one_step(
    cluster, district, s3_server, tmp_path
):
    cluster_url, made = cluster
    prefix, storage = district
    code = f"s18_{secrets.token_hex(3)}"
    made.append(f"school_{code}")

    provision(code, cluster_url, storage, tmp_path / "env")

    env_file = tmp_path / "env" / f"{code}.env"
    values = read_env(env_file)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert values["DATABASE_URL"].endswith(f"/school_{code}")
    assert values["PORTAL_STORAGE_URL"].startswith(f"s3://portal-test/{prefix}/{code}?")
    assert {"PORTAL_ENCRYPTION_KEYS", "PORTAL_AUDIT_KEY", "DJANGO_SECRET_KEY"} <= set(
        values
    )
    assert f"school_{code}" in databases(cluster_url)
    assert f"{code}/school.json" in objects(s3_server, prefix)
    school = psycopg2.connect(cluster_url.rsplit("/", 1)[0] + f"/school_{code}")
    with school.cursor() as cursor:
        cursor.execute(
            "SELECT g.name FROM accounts_user u JOIN accounts_user_groups ug "
            "ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id "
            "WHERE u.username = 'director_admin'"
        )
        assert cursor.fetchall() == [("administrator",)]
    school.close()
    password = (tmp_path / "env" / f"{code}-admin-password").read_text().strip()
    assert len(password) >= 12


def test_another_schools_database_is_refused_and_nothing_changes(
    cluster, district, tmp_path
):
    cluster_url, made = cluster
    _prefix, storage = district
    code = f"s18_{secrets.token_hex(3)}"
    made.append(f"school_{code}")
    provision(code, cluster_url, storage, tmp_path / "first")

    with pytest.raises(CommandError, match="already exists on the cluster"):
        provision(code, cluster_url, storage + "-other", tmp_path / "second")

    assert not (tmp_path / "second").exists()


def test_another_schools_prefix_is_refused_and_no_database_is_made(
    cluster, district, s3_server, tmp_path, settings, monkeypatch
):
    cluster_url, made = cluster
    prefix, storage = district
    code = f"s18_{secrets.token_hex(3)}"
    made.append(f"school_{code}")
    # Another school's files already under the prefix this code would take.
    import boto3

    boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ).put_object(Bucket="portal-test", Key=f"{prefix}/{code}/attachments/x", Body=b"x")

    with pytest.raises(CommandError, match="already holds files"):
        provision(code, cluster_url, storage, tmp_path / "env")

    assert f"school_{code}" not in databases(cluster_url)
    assert not (tmp_path / "env").exists()
    assert list(objects(s3_server, prefix)) == [f"{code}/attachments/x"]


def test_a_bad_code_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="must be 2-41 of a-z"):
        call_command(
            "provision_school",
            "../x",
            cluster_url="postgres://postgres@127.0.0.1/postgres",
            storage_url="s3://b/d",
            env_dir=str(tmp_path),
        )
