"""Formats the portal shows in both languages: money, counts and shares in Western digits with
Western grouping, so that `OMR 1,250.500` never reads as a different number in Arabic; and the
scrolling box of a wide table."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, page=None):
        self.nodelist = nodelist
        self.page = page

    def render(self, context):
        table = format_html(
            '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">'
            "<table>{}</table></div>",
            _("Table: scroll sideways to see every column"),
            self.nodelist.render(context),
        )
        if self.page is None:
            return table
        pages = context.template.engine.get_template("portal/_pages.html")
        with context.push(page=self.page.resolve(context)):
            return table + pages.render(context)


@register.tag
def scroll_table(parser, token):
    """`{% scroll_table %}<thead>…</tbody>{% endscroll_table %}`: a table that scrolls sideways in
    its own box on a narrow screen; the box is focusable and named, so a keyboard user can scroll
    it too (axe's scrollable-region-focusable). `{% scroll_table page %}` adds the links to the
    other pages of a paginated table under it."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scroll_table takes at most a page")
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, parser.compile_filter(bits[1]) if len(bits) == 2 else None)


class BreadcrumbsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<nav class="breadcrumbs wrap" aria-label="{}"><ol><li><a href="{}">{}</a></li>{}</ol>'
            "</nav>",
            _("Breadcrumb"),
            reverse("portal:dashboard"),
            _("My dashboard"),
            self.nodelist.render(context),
        )


@register.tag
def breadcrumbs(parser, token):
    """`{% breadcrumbs %}<li>…</li>{% endbreadcrumbs %}`: the trail from the user's dashboard
    to the page, the page itself last with aria-current."""
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)
