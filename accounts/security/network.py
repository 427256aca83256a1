"""Who is knocking: the client's address and the username as typed, normalized."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR, or the address a trusted proxy put in X-Forwarded-For.

    The header is believed only when the request comes straight from a proxy
    named in PORTAL_TRUSTED_PROXIES; anyone else could write it themselves.
    The proxy appends the address it saw, so the last entry is the one it vouches for.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or remote not in settings.PORTAL_TRUSTED_PROXIES:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-1]))
    except ValueError:
        return remote


def normalize_username(username: str | None) -> str:
    """The same person whatever the case and spaces they typed."""
    return (username or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: failures count against the normalized username."""
    if credentials and credentials.get("username") is not None:
        return normalize_username(credentials["username"])
    return normalize_username(request.POST.get("username"))


def device_family(user_agent: str) -> str:
    """A short, stable name of the browser and system, e.g. "Firefox · Windows"."""
    agent = user_agent.lower()
    browser = next(
        (
            name
            for marker, name in (
                ("edg/", "Edge"),
                ("opr/", "Opera"),
                ("yabrowser", "Yandex"),
                ("firefox", "Firefox"),
                ("chrome", "Chrome"),
                ("chromium", "Chromium"),
                ("safari", "Safari"),
            )
            if marker in agent
        ),
        "",
    )
    system = next(
        (
            name
            for marker, name in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if marker in agent
        ),
        "",
    )
    return " · ".join(part for part in (browser, system) if part) or user_agent[:100]
