"""Review attestations on public pages (review.attestations; docs/attestation.md).

{% attested "name" %}…{% endattested %} marks a region that attestations state, so that a verifier finds it
exactly; {% attestation_link slug %} is the <link> by which a verifier finds an article's attestation.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from review import attestations

register = template.Library()


class AttestedNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        return attestations.mark(self.name, self.nodelist.render(context))


@register.tag("attested")
def attested(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% attested "region name" %}…{% endattested %}.')
    nodelist = parser.parse(("endattested",))
    parser.delete_first_token()
    return AttestedNode(bits[1][1:-1], nodelist)


@register.simple_tag
def attestation_link(slug: str):
    return format_html('<link rel="alternate" type="{}" href="{}">', attestations.MEDIA_TYPE,
                       reverse("public:article_attestation", args=[slug]))
