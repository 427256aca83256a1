"""What an audit event changed, for the report's table (audit.reports.changes)."""

from django import template

from audit import reports

register = template.Library()


@register.filter
def changes(event) -> list[reports.Change]:
    return reports.changes(event)
