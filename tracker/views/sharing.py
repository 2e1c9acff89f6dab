"""The Sharing tab: grant and revoke local roles (HTML)."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.view import view_config

from ..model import Content
from ..security.permissions import lineage
from ..web.formatting import url_of
from .layout import flash
from .outcome import carried_out

_ = TranslationStringFactory('tracker')


@view_config(
    context=Content,
    name='sharing',
    request_method='GET',
    renderer='tracker:templates/sharing.pt',
    permission='view',
)
def sharing(context, request):
    types, locale = request.types, request.locale_name

    def roles_text(roles):
        return ', '.join(types.role_title(r, locale) for r in roles)

    inherited = [
        (login, roles_text(roles), obj.title)
        for obj in list(lineage(context))[1:]
        for login, roles in sorted(getattr(obj, 'local_roles', {}).items())
    ]
    users = [
        (u.login, f'{u.fullname} ({u.login})' if u.fullname else u.login)
        for u in request.root.users.values()
        if u.active
    ]
    return dict(
        entries=[
            (login, roles_text(roles)) for login, roles in sorted(context.local_roles.items())
        ],
        inherited=inherited,
        users=users,
        roles=[(r, types.role_title(r, locale)) for r in types.local_roles],
        can_share=bool(request.has_permission('share', context)),
    )


@view_config(context=Content, name='sharing', request_method='POST', permission='view')
def change_sharing(context, request):
    login = request.POST.get('login', '')
    roles = [] if request.POST.get('revoke') else [r for r in request.POST.getall('role') if r]
    if carried_out(request, request.services.share, context, login, roles):
        flash(request, _('sharing-saved', default='Sharing saved.'))
    return HTTPSeeOther(url_of(request, context) + 'sharing')
