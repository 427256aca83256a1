"""Reading settings from the environment, with one clear line on a bad value.

A school without a system administrator must be told exactly which variable is
wrong, not shown a traceback from deep inside Django. Every reader here stops
start-up with ``configuration error: NAME ...`` on standard error.
"""

import base64
import binascii
import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"configuration error: {name} {problem}")


def fail(error: ConfigError) -> None:
    """Print the one line and stop; settings.py calls this on any ConfigError."""
    sys.stderr.write(f"{error}\n")
    raise SystemExit(2)


def raw(name: str) -> str | None:
    """The value of NAME, or of the file named by NAME_FILE (for secrets)."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name:
        raise ConfigError(name, f"and {name}_FILE are both set; set only one")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"{name}_FILE", f"names a file that can't be read: {exc.strerror}"
            ) from None
    return value


def boolean(name: str, *, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ConfigError(name, f"must be 1 or 0 (true or false), not {value!r}")


def text(name: str, *, default: str = "") -> str:
    value = raw(name)
    return default if value is None else value.strip()


def integer(name: str, *, default: int) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(name, f"must be a whole number, not {value!r}") from None


def words(name: str, *, default: list[str]) -> list[str]:
    """A comma-separated list."""
    value = raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def networks(
    name: str, *, default: list[str]
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    result = []
    for item in words(name, default=default):
        try:
            result.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                name, f"must be a comma-separated list of networks, not {item!r}"
            ) from None
    return result


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode())) == 32
    except (ValueError, binascii.Error):
        return False


def database(name: str, *, default: str) -> dict:
    value = raw(name) or default
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ConfigError(name, f"is not a database URL we can use: {exc}") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ConfigError(name, "must name an engine and a database")
    if boolean("DATABASE_BEHIND_PGBOUNCER", default=False):
        if "postgresql" not in config["ENGINE"]:
            raise ConfigError(
                "DATABASE_BEHIND_PGBOUNCER", "is for a PostgreSQL DATABASE_URL only"
            )
        # Transaction pooling gives each transaction whichever server
        # connection is free: a server-side cursor (a named cursor that lives
        # across fetches, as .iterator() uses) would be lost between them.
        # Session state is never relied on: the chain's lock is
        # pg_advisory_xact_lock and settings are SET LOCAL, both per transaction.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config
