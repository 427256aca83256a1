"""A local S3-compatible server for the tests: moto in server mode, started
once per test run on a free port of 127.0.0.1, and a fresh bucket prefix per
test that points every store of the portal there (PORTAL_STORAGE_URL=s3://…)."""

import logging
import secrets

import pytest

from school_portal import stores

BUCKET = "portal-test"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # moto's server accepts any


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto server that lives for the whole test run."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    # One line per request on standard error says nothing a test needs.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def storage_url(endpoint: str, prefix: str) -> str:
    return f"s3://{BUCKET}/{prefix}?endpoint_url={endpoint}&region=us-east-1"


def use_s3(settings, monkeypatch, url: str) -> None:
    """Every store of the portal in the object store at url; no folder here."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    configured = stores.configure(url, var_dir=settings.VAR_DIR)
    settings.STORAGES = {**settings.STORAGES, **configured["storages"]}
    settings.PORTAL_STORAGE_URL = url
    settings.PORTAL_ATTACHMENT_DIR = None
    settings.PORTAL_BACKUP_DIR = None
    settings.PORTAL_AUDIT_ARCHIVE_DIR = None
    settings.PORTAL_STATE_DIR = None


@pytest.fixture
def s3_store(s3_server, settings, monkeypatch, tmp_path):
    """This test's school keeps its files under its own prefix of the bucket;
    PORTAL_VAR_DIR is tmp_path/var, which the test can check stays empty."""
    settings.VAR_DIR = tmp_path / "var"
    prefix = f"school-{secrets.token_hex(4)}"
    use_s3(settings, monkeypatch, storage_url(s3_server, prefix))
    return prefix


def objects(endpoint: str, prefix: str) -> dict[str, bytes]:
    """Every object under prefix, straight from the server: name -> bytes."""
    import boto3

    bucket = boto3.resource(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ).Bucket(BUCKET)
    return {
        item.key[len(prefix) + 1 :]: item.get()["Body"].read()
        for item in bucket.objects.filter(Prefix=prefix + "/")
    }
