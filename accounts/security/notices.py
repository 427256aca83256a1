"""What a security notice says: on the person's home page and in the e-mail.

One wording for both. It names what happened, when and from which browser,
and what to do; never a secret, a code or an address list.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import NoticeKind, SecurityNotice


def headline(notice: SecurityNotice) -> str:
    return {
        NoticeKind.SECOND_FACTOR_REPLACED: _("Your second factor was replaced"),
        NoticeKind.SECOND_FACTOR_REMOVED: _("Your second factor was turned off"),
        NoticeKind.PASSWORD_GUESSING: _("Someone is trying passwords on your account"),
    }[notice.kind]


def text(notice: SecurityNotice) -> str:
    when = date_format(timezone.localtime(notice.created_at), "d.m.Y H:i")
    if notice.kind == NoticeKind.PASSWORD_GUESSING:
        lines = [
            _(
                "By %(when)s, wrong passwords entered for your account within a "
                "day: %(failures)s, from different addresses: %(addresses)s."
            )
            % {
                "when": when,
                "failures": notice.failures,
                "addresses": notice.addresses,
            },
            _(
                "While this goes on, a sign-in with the password alone has to "
                "wait; with a code from your authenticator app it does not."
            ),
            _(
                "If it was not you: choose a longer password and set up a second "
                "factor. If someone may know your password, report it."
            ),
        ]
    else:
        if notice.kind == NoticeKind.SECOND_FACTOR_REPLACED:
            what = _(
                "On %(when)s the second factor of your account was replaced. "
                "The old app and the old backup codes no longer work."
            )
        else:
            what = _("On %(when)s the second factor of your account was turned off.")
        lines = [what % {"when": when}]
        if notice.device:
            lines.append(_("Browser: %(device)s.") % {"device": notice.device})
        lines += [
            _("Your other sessions were ended."),
            _(
                "If this was not you, report it at once: “My account may be "
                "compromised”."
            ),
        ]
    return " ".join(lines)


def email(notice: SecurityNotice) -> tuple[str, str]:
    """(subject, body); the body has no link, so a look-alike message stands out."""
    subject = _("School Portal: %(what)s") % {"what": headline(notice)}
    body = "\n\n".join(
        [
            _("Account: %(username)s") % {"username": notice.person.get_username()},
            text(notice),
            _("Open the portal as you always do: this message has no links."),
        ]
    )
    return subject, body
