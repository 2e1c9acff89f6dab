"""The advisor's pages: "Mine frister" (HTML, JSON, iCalendar feed), the
delay notice on a case, and the administrators' page for adding choices
(themes, legal bases)."""

import hashlib
from functools import partial

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPSeeOther
from pyramid.i18n import TranslationStringFactory
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from ..advisor.deadlines import KINDS, due_items
from ..model import Content, Site
from ..security.permissions import user_principals
from ..services import ServiceError, ValidationFailed
from ..web.formatting import long_date, number_label, url_of
from ..web.views import admin_get_post
from .layout import flash

_ = TranslationStringFactory('tracker')

KIND_TITLES = {
    'question': _('due-question', default='Answer to written questions'),
    'recommendation': _('due-recommendation', default='Follow-up of a recommendation'),
    'rectification': _('due-rectification', default='Rectification deadline'),
    'notification': _('due-notification', default='Reminder: no acknowledgement'),
    'next_contact': _('due-next-contact', default='Next contact with the citizen'),
    'case_deadline': _('due-case-deadline', default="The advisor's deadline"),
}


def _deadlines(request, user):
    mine = user.login if request.params.get('mine') in ('1', 'true', 'on') else None
    kind = request.params.get('kind') or None
    if kind is not None and kind not in KINDS:
        raise HTTPBadRequest(
            _('deadlines-bad-kind', default='Unknown kind: ${kind}', mapping={'kind': kind})
        )
    today = request.services.today()
    items = due_items(
        request.root,
        request.types,
        user_principals(request.types, user),
        today,
        mine=mine,
        kinds=[kind] if kind else None,
    )
    return items, today, mine


def _case_of(obj):
    while obj is not None and getattr(obj, 'type_name', None) != 'case':
        obj = obj.__parent__
    return obj


@view_config(
    context=Site,
    name='deadlines',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/deadlines.pt',
)
def deadlines_html(context, request):
    items, today, mine = _deadlines(request, request.identity)
    return dict(
        items=items,
        today=today,
        mine=mine,
        kind_titles=KIND_TITLES,
        case_of=_case_of,
        feed_url=request.session.pop('feed_url', None),
    )


@view_config(
    context=Site, name='@deadlines', request_method='GET', permission='view', renderer='json'
)
def deadlines_json(context, request):
    items, today, _mine = _deadlines(request, request.identity)
    translate = request.localizer.translate
    return {
        '@id': request.path_url,
        'today': today.isoformat(),
        'items': [
            {
                'date': d.day.isoformat(),
                'kind': d.kind,
                'kind_title': translate(KIND_TITLES[d.kind]),
                'overdue': d.overdue(today),
                '@id': url_of(request, d.obj).rstrip('/'),
                'title': d.obj.title,
                'number': number_label(_case_of(d.obj) or d.obj),
            }
            for d in items
        ],
    }


def _feed_user(request):
    """The user of a calendar feed: the personal feed token in the URL
    (Outlook sends no header), or the logged-in user."""
    token = request.params.get('feed')
    if token:
        digest = hashlib.sha256(token.encode('ascii', 'replace')).hexdigest()
        for user in request.root.users.values():
            if user.feed_token_digest and user.feed_token_digest == digest and user.active:
                return user
        return None
    return request.identity


@view_config(
    context=Site, name='@deadlines.ics', request_method='GET', permission=NO_PERMISSION_REQUIRED
)
def deadlines_ics(context, request):
    from icalendar import Calendar, Event

    user = _feed_user(request)
    if user is None:
        raise HTTPForbidden()
    items, today, _mine = _deadlines(request, user)
    translate = request.localizer.translate
    calendar = Calendar()
    calendar.add('prodid', '-//Borgerraadgiveren//tracker//DA')
    calendar.add('version', '2.0')
    calendar.add('x-wr-calname', translate(_('deadlines-title', default='My deadlines')))
    for d in items:
        case = _case_of(d.obj)
        event = Event()
        event.add('uid', f'{d.obj.uid}-{d.kind}@tracker')
        event.add('dtstart', d.day)
        event.add('dtstamp', request.services.now())
        # titles are anonymous by the schemas' rule: no names in a calendar
        event.add(
            'summary',
            f'{translate(KIND_TITLES[d.kind])}: {d.obj.title}'
            + (f' ({number_label(case)})' if case is not None else ''),
        )
        event.add('url', url_of(request, d.obj))
        calendar.add_component(event)
    response = Response(body=calendar.to_ical(), content_type='text/calendar', charset='utf-8')
    response.cache_control = 'private, no-store'
    return response


@view_config(
    context=Site, name='@deadlines-feed', request_method='POST', permission='view', renderer='json'
)
def deadlines_feed_json(context, request):
    token = request.services.accounts.issue_feed_token()
    return {'url': request.resource_url(context, '@deadlines.ics', query={'feed': token})}


@view_config(context=Site, name='deadlines-feed', request_method='POST', permission='view')
def deadlines_feed_html(context, request):
    token = request.services.accounts.issue_feed_token()
    # shown once, on the next page; only its hash is kept
    request.session['feed_url'] = request.resource_url(
        context, '@deadlines.ics', query={'feed': token}
    )
    return HTTPSeeOther(request.resource_url(context, 'deadlines'))


DELAY_TEXT = (
    'Borgerrådgiveren kan ikke besvare din henvendelse inden for den svartid, vi har '
    'oplyst. Vi beklager. Du hører fra os senest {day}.'
)


def _delay(request, context, text=None):
    day = context.fields.get('next_contact') or context.fields.get('deadline')
    text = (
        text
        if isinstance(text, str) and text.strip()
        else DELAY_TEXT.format(day=long_date(day, 'da') if day else 'snarest')
    )
    return request.services.content.record_delay_notice(context, text)


#: The views of an advisor case.
case_view = partial(view_config, context=Content, type_name='case', permission='view')


@case_view(name='delay-notice', request_method='POST')
def delay_notice_html(context, request):
    try:
        _delay(request, context)
    except ValidationFailed as e:
        request.tm.doom()
        flash(request, e.message, 'error')
    else:
        flash(
            request, _('delay-recorded', default='The notice to the citizen is recorded.'), 'info'
        )
    return HTTPSeeOther(url_of(request, context))


@case_view(name='@delay-notice', request_method='POST', renderer='json')
def delay_notice_json(context, request):
    from ..web.body import json_body

    _delay(request, context, (json_body(request) if request.body else {}).get('text'))
    return {'delay_notice_on': context.fields['delay_notice_on'].isoformat()}


def choices_info(request):
    locale = request.locale_name
    return [
        {
            'type': info.name,
            'field': f.name,
            'title': f'{info.title(locale)}: {f.title(locale)}',
            'choices': [{'value': c.value, 'title': c.title(locale)} for c in f.choices],
        }
        for info, f in request.types.extensible_fields()
    ]


@view_config(
    context=Site, name='@choices', request_method='GET', permission='view', renderer='json'
)
def choices_json(context, request):
    return {'@id': request.path_url, 'items': choices_info(request)}


@view_config(
    context=Site, name='@choices', request_method='POST', permission='manage', renderer='json'
)
def choices_add_json(context, request):
    from ..web.body import json_body

    body = json_body(request)
    request.services.admin.add_choice(
        body.get('type'),
        body.get('field'),
        body.get('value'),
        body.get('title_da'),
        body.get('title_en') or '',
    )
    request.response.status_int = 201
    return {'@id': request.path_url, 'items': choices_info(request)}


@admin_get_post(name='choices', renderer='tracker:templates/choices.pt')
def choices_html(context, request):
    message = None
    if request.method == 'POST':
        p = request.POST
        try:
            request.services.admin.add_choice(
                p.get('type', ''),
                p.get('field', ''),
                p.get('value', ''),
                p.get('title_da', ''),
                p.get('title_en', ''),
            )
        except ServiceError as e:
            request.response.status_int = e.status
            message = e.message
        else:
            flash(request, _('choice-added', default='The choice was added.'), 'info')
            return HTTPSeeOther(request.resource_url(context, 'choices'))
    return dict(fields=choices_info(request), message=message)


@view_config(
    context=Site,
    name='admin',
    request_method='GET',
    permission='view',
    renderer='tracker:templates/admin.pt',
)
def admin_html(context, request):
    """The administration menu: what this user may administer or audit."""
    if not (request.has_permission('manage', context) or request.has_permission('audit', context)):
        raise HTTPForbidden()
    return {}
