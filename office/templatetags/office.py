"""{% load office %}{% signals_for user as signals %}: the home-page signals."""

from django import template

from office import signals

register = template.Library()


@register.simple_tag
def signals_for(user) -> list[signals.Signal]:
    return signals.signals_for(user)


@register.filter
def of_kind(items: list[signals.Signal], kind: str) -> list[signals.Signal]:
    return [signal for signal in items if signal.kind == kind]
