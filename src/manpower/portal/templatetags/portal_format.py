"""Formats the portal shows in both languages: money, counts and shares in Western digits with
Western grouping, so that `OMR 1,250.500` never reads as a different number in Arabic."""

from django import template

from manpower.core.money import format_omr

register = template.Library()


@register.filter
def omr(baisa):
    return format_omr(baisa)


@register.filter
def count(value):
    return f"{int(value or 0):,}"


@register.filter
def percent(share):
    return f"{float(share or 0) * 100:.1f}%"


@register.simple_tag(takes_context=True)
def with_query(context, key, value):
    """The current query string with one parameter replaced (for page links that keep filters)."""
    query = context["request"].GET.copy()
    query[key] = value
    return "?" + query.urlencode()
