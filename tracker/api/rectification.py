"""Rectification endpoints: @completeness, @derive-notifications and
@timeline on a request; @dashboard on the site."""

from functools import partial

from pyramid.view import view_config

from ..model import Content, Site
from ..rectification.deadlines import deadline_state
from ..web.by_type import json_extra
from ..web.rectification import (
    completeness_report,
    dashboard_filters,
    dashboard_for,
    timeline_for,
)
from .serialize import json_value, summary


@json_extra('rectification')
def deadline_of(request, obj):
    """done, overdue, due_soon or open: the request's deadline today."""
    due = obj.fields.get('due')
    return {
        'deadline': deadline_state(
            due, request.services.today(), done=obj.fields.get('answered_on') is not None
        )
        if due
        else None
    }


#: The JSON views of a rectification request.
request_json_view = partial(
    view_config, context=Content, type_name='rectification', renderer='json', permission='view'
)


@request_json_view(name='@completeness', request_method='GET')
def completeness_json(context, request):
    report = completeness_report(request, context)
    translate = request.localizer.translate
    return {
        '@id': request.path_url,
        'complete': report['result'].complete,
        'gaps': [
            {'kind': g.kind, 'subject': g.subject, 'message': translate(g.message)}
            for g in report['result'].gaps
        ],
        'deadline': {k: json_value(v) for k, v in report['deadline'].items()},
        'restricted': report['restricted'],
        'recipients': [
            _recipient_json(request, row, report) for row in report['result'].recipients
        ],
    }


def _recipient_json(request, row, report):
    n = row.notification
    disclosures = report['disclosures'].get(row.key, [])
    return {
        'recipient': row.key,
        'name': row.name,
        'origin': 'derived' if row.derived else 'manual',
        'accounted': row.accounted,
        'disclosures': [
            dict(
                summary(request, d),
                document=d.fields.get('document'),
                version=d.fields.get('document_version'),
                disclosed_on=json_value(d.fields.get('disclosed_on')),
                channel=d.fields.get('channel'),
            )
            for d in disclosures
            if request.has_permission('view', d)
        ],
        'notification': None
        if n is None
        else {
            '@id': request.application_url + n.path,
            'review_state': n.state,
            'sent_on': json_value(n.sent_on),
            'channel': n.channel,
            'sent_evidence': n.sent_evidence,
            'acknowledged_on': json_value(n.acknowledged_on),
            'acknowledged_evidence': n.acknowledged_evidence,
            'confirmed_on': json_value(n.confirmed_on),
            'exemption': n.exemption,
            'exemption_explained': n.exemption_explained,
        },
    }


@request_json_view(name='@derive-notifications', request_method='POST')
def derive_notifications(context, request):
    created = request.services.rectification.derive_notifications(context)
    request.response.status_int = 201 if created else 200
    return {'items': [summary(request, n) for n in created]}


@request_json_view(name='@timeline', request_method='GET')
def timeline_json(context, request):
    return {
        '@id': request.path_url,
        'items': [
            {
                'when': json_value(e.when),
                'kind': e.kind,
                'subject': e.subject,
                'what': e.what,
                'actor': e.actor,
                'detail': e.detail,
            }
            for e in timeline_for(request, context)
        ],
    }


def _notice_list(request, counted, fields):
    """A (total, notifications) pair of the dashboard as JSON: each notification
    names its request, plus what `fields` picks from it."""
    total, notices = counted
    return {
        'items_total': total,
        'items': [
            dict(summary(request, n), request=summary(request, n.__parent__)['@id'], **fields(n))
            for n in notices
        ],
    }


@view_config(
    context=Site, name='@dashboard', request_method='GET', renderer='json', permission='view'
)
def dashboard_json(context, request):
    board, start, size = dashboard_for(request, dashboard_filters(request))
    translate = request.localizer.translate
    data = {
        '@id': request.path_url,
        'items_total': board.total,
        'counts': board.counts,
        'items': [
            dict(
                summary(request, row.request),
                due=json_value(row.due),
                deadline=row.deadline,
                restricted=row.restricted,
                received=json_value(row.request.fields.get('received')),
                gaps=[translate(g.message) for g in row.gaps],
            )
            for row in board.rows
        ],
        'unacknowledged': _notice_list(
            request,
            board.unacknowledged,
            lambda n: {
                'sent_on': json_value(n.fields.get('sent_on')),
                'reminder_due': json_value(n.fields.get('reminder_due')),
            },
        ),
        'exemptions': _notice_list(
            request, board.exemptions, lambda n: {'exemption': n.fields.get('exemption')}
        ),
    }
    if start + size < board.total:
        data['batching'] = {'next': f'{request.path_url}?b_start={start + size}&b_size={size}'}
    return data
