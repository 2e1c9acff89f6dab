"""The view registrations that recur in the HTML and JSON layers, named once:
which context, request methods and permission a kind of view has. Each is
`view_config` with those settings filled in; a view adds its name and renderer."""

from functools import partial

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from ..model import Content, Site

#: A view of an object that answers GET and POST (a form that posts back to
#: itself, or a query sent either way); what it may do is checked inside.
object_get_post = partial(
    view_config, context=Content, request_method=('GET', 'POST'), permission='view'
)

#: An administrators' page of the site whose form posts back to it.
admin_get_post = partial(
    view_config, context=Site, request_method=('GET', 'POST'), permission='manage'
)

#: A JSON endpoint of the site that needs no login.
public_json = partial(view_config, context=Site, renderer='json', permission=NO_PERMISSION_REQUIRED)
