"""The object-store backend: django-storages' S3Storage, imported only when an
s3:// PORTAL_STORAGE_URL names it (boto3 costs start-up time and memory)."""

from botocore.config import Config
from storages.backends.s3 import S3Storage


class PortalS3Storage(S3Storage):
    """An S3 prefix. Short timeouts and few retries: a request waits seconds,
    not minutes, for a store that is gone."""

    def __init__(self, **options):
        options.setdefault(
            "client_config",
            Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": options.get("addressing_style") or "auto"},
            ),
        )
        super().__init__(**options)
