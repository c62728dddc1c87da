"""The e-mails about an account: an invitation, a password-reset link, a password changed.

Each is written in the recipient's language. The two that carry a link carry its
secret; the outbox removes the link from its copy once the message is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.clock import JST, local_date
from engine.domain.mail import Mail, MailKind
from engine.domain.users import ROLE_LABELS, Role, User
from engine.i18n import N_, translate
from engine.services.reminders import FOOTER, GREETING, format_day

INVITATION_SUBJECT = N_("[Mimamori] {inviter} invites you to Mimamori")
INVITATION_INTRO = N_(
    "{inviter} has made you an account in Mimamori, the system of the watch network"
    " for its partner collaborations, as {role}."
)
INVITATION_WHERE = N_("Your networks: {networks}")
INVITATION_PARTNER = N_("Your organisation: {partner}")
INVITATION_ACTION = N_("Choose your password here to start (the link works once, until {until}):")
INVITATION_LOGIN = N_("Afterwards you log in with this e-mail address: {email}")
RESET_SUBJECT = N_("[Mimamori] Setting a new password")
RESET_INTRO = N_("Someone, probably you, asked to set a new password for your Mimamori account.")
RESET_ACTION = N_("Choose a new password here (the link works once, until {until}):")
RESET_IGNORE = N_(
    "If you did not ask for this, you can ignore this message: your password stays as it is."
)
CHANGED_SUBJECT = N_("[Mimamori] Your password was changed")
CHANGED_BODY = N_("The password of your Mimamori account ({email}) was changed on {when}.")
CHANGED_WARNING = N_(
    "If this was not you, tell your administrator at once: they can disable the account."
)


def when(moment: datetime, locale: str) -> str:
    """A moment as its reader writes it, in Japan time: 2026年12月7日月曜日 18:05."""
    return f"{format_day(local_date(moment), locale)} {moment.astimezone(JST):%H:%M}"


def invitation_mail(
    user: User,
    link: str,
    link_id: int,
    until: datetime,
    inviter: str,
    where: Sequence[str],
) -> Mail:
    """The invitation to ``user``: who invited them, as what, and the link to set a password."""
    locale = user.locale
    lines = [
        translate(GREETING, locale, name=user.name),
        "",
        translate(
            INVITATION_INTRO,
            locale,
            inviter=inviter,
            role=translate(ROLE_LABELS[Role(user.role)], locale),
        ),
    ]
    if where:
        label = INVITATION_PARTNER if user.role == Role.PARTNER else INVITATION_WHERE
        key = "partner" if user.role == Role.PARTNER else "networks"
        lines.append(translate(label, locale, **{key: "、".join(where)}))
    lines += [
        "",
        translate(INVITATION_ACTION, locale, until=when(until, locale)),
        link,
        "",
        translate(INVITATION_LOGIN, locale, email=user.email),
    ]
    return _mail(
        f"invitation:{link_id}",
        MailKind.INVITATION,
        user,
        translate(INVITATION_SUBJECT, locale, inviter=inviter),
        lines,
    )


def reset_mail(user: User, link: str, link_id: int, until: datetime) -> Mail:
    """The password-reset link for ``user``."""
    locale = user.locale
    lines = [
        translate(GREETING, locale, name=user.name),
        "",
        translate(RESET_INTRO, locale),
        translate(RESET_ACTION, locale, until=when(until, locale)),
        link,
        "",
        translate(RESET_IGNORE, locale),
    ]
    return _mail(
        f"reset:{link_id}", MailKind.PASSWORD_RESET, user, translate(RESET_SUBJECT, locale), lines
    )


def changed_mail(user: User, at: datetime, link_id: int) -> Mail:
    """The notice that ``user``'s password changed through a link (ASVS V2.2.3)."""
    locale = user.locale
    lines = [
        translate(GREETING, locale, name=user.name),
        "",
        translate(CHANGED_BODY, locale, email=user.email, when=when(at, locale)),
        translate(CHANGED_WARNING, locale),
    ]
    return _mail(
        f"password-changed:{link_id}",
        MailKind.ACCOUNT,
        user,
        translate(CHANGED_SUBJECT, locale),
        lines,
    )


def _mail(key: str, kind: MailKind, user: User, subject: str, lines: list[str]) -> Mail:
    body = "\n".join([*lines, "", "-- ", translate(FOOTER, user.locale)]) + "\n"
    return Mail(
        dedupe_key=key, kind=kind, to_addr=user.email, subject=subject, body=body, user_id=user.id
    )
