"""The portal's one set of form components (see templates/forms/)."""

from django.forms.renderers import DjangoTemplates


class PortalFormRenderer(DjangoTemplates):
    """`{{ form }}` and `{{ field.as_field_group }}` draw the portal's components: an error
    summary at the top linking to each field, and each field with its label, hint and error."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
