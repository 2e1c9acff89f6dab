"""The named rules and workflow guards of the rectification types, chosen
by the schemas (`rules:` and `guards:`). Rules check values that span
fields or objects and set the computed fields; guards decide transitions."""

from datetime import timedelta

from translationstring import TranslationStringFactory

from ..types.rules import RuleFailed, check_version
from .deadlines import check_extension, due_date, extended_due_date, format_danish
from .records import NOTIFICATION, children_of, derived, evaluate

_ = TranslationStringFactory('tracker')

EXTENSION_FIELDS = (
    'extension_months',
    'extension_decided_on',
    'extension_reason',
    'extension_notice_on',
)


def _missing(field, message):
    raise RuleFailed(field, message)


def rectification_request(values, ctx):
    """Due date (art. 12(3)), the one extension, the representative's
    power of attorney, and restriction lifted only after notice (art. 18(3))."""
    values = dict(values)
    received = values['received']
    if values.get('requester') == 'representative':
        if not values.get('representative'):
            _missing('representative', _('rule-representative', default='Name the representative.'))
        if not values.get('power_of_attorney_on'):
            _missing(
                'power_of_attorney_on',
                _(
                    'rule-power-of-attorney',
                    default='A representative needs a power of attorney: give the date it was received.',
                ),
            )
    months = values.get('extension_months')
    before = tuple(ctx.previous.get(n) for n in EXTENSION_FIELDS)
    if before[0] is not None and tuple(values.get(n) for n in EXTENSION_FIELDS) != before:
        # recorded once, with the notice to the citizen: it is not undone or redone
        raise RuleFailed(
            'extension_months',
            'Fristen er allerede forlænget. Den kan kun forlænges én '
            'gang, og forlængelsen kan ikke ændres eller fjernes.',
        )
    given = [name for name in EXTENSION_FIELDS if values.get(name) is not None]
    if given and months is None:
        _missing(
            'extension_months',
            _('rule-extension-months', default='Give the extension in months (1 or 2).'),
        )
    if months is not None:
        decided_on = values.get('extension_decided_on')
        if decided_on is None:
            _missing(
                'extension_decided_on',
                _('rule-extension-decided', default='Give the date the extension was decided.'),
            )
        if not values.get('extension_reason'):
            _missing(
                'extension_reason',
                _(
                    'rule-extension-reason',
                    default='Give the reason for the extension: the citizen must be told it.',
                ),
            )
        problems = check_extension(
            received, decided_on, months, values.get('extension_notice_on') is not None
        )
        notice = values.get('extension_notice_on')
        if notice and notice < decided_on:
            problems.append(
                'Borgeren kan ikke være underrettet om forlængelsen, før den blev besluttet.'
            )
        if notice and notice > due_date(received):
            problems.append(
                f'Borgeren skal have besked om forlængelsen inden for den første måned '
                f'(senest {format_danish(due_date(received))}).'
            )
        if problems:
            raise RuleFailed('extension_months', ' '.join(problems))
        values['due'] = extended_due_date(received, months)
    else:
        values['due'] = due_date(received)
    lifted = values.get('restriction_lifted_on')
    if lifted is not None:
        if values.get('restricted_from') is None:
            _missing(
                'restricted_from',
                _(
                    'rule-restriction-from',
                    default='A restriction that is lifted must have a start date.',
                ),
            )
        notice = values.get('lift_notice_on')
        if notice is None or notice > lifted:
            _missing(
                'lift_notice_on',
                _(
                    'rule-lift-notice',
                    default='Tell the citizen before the restriction is lifted (art. 18(3)): '
                    'record the notice, dated no later than the lifting.',
                ),
            )
    values['restricted'] = values.get('restricted_from') is not None and lifted is None
    values['awaiting_answer'] = values.get('answered_on') is None
    return values


def contested_item(values, ctx):
    """A decision carries what the law asks of it: a refusal its reasons and
    complaint guidance (forvaltningsloven §§ 22-25) and, when it rests on
    information unfavourable to the citizen, a hearing (§ 19); a
    supplement the citizen's own statement (art. 16); a rectification the
    correct statement."""
    values = dict(values)
    path, first = values.get('document'), values.get('first_version')
    if first is not None:
        check_version('first_version', path, first, ctx)
    decision = values.get('decision')
    if decision is None:
        return values
    if values.get('decided_on') is None:
        _missing('decided_on', _('rule-decided-on', default='Give the date of the decision.'))
    if decision == 'rectified' and not values.get('correct_statement'):
        _missing(
            'correct_statement',
            _('rule-correct-statement', default='A rectification needs the correct statement.'),
        )
    if decision == 'supplemented' and not values.get('citizen_statement'):
        _missing(
            'citizen_statement',
            _(
                'rule-citizen-statement',
                default="A supplement needs the citizen's own statement (art. 16).",
            ),
        )
    if decision == 'refused':
        if not values.get('reasons'):
            _missing(
                'reasons',
                _(
                    'rule-refusal-reasons',
                    default='A refusal needs its reasons (forvaltningsloven § 22).',
                ),
            )
        if not values.get('complaint_guidance'):
            _missing(
                'complaint_guidance',
                _(
                    'rule-complaint-guidance',
                    default='A refusal needs complaint guidance (forvaltningsloven § 25).',
                ),
            )
        if values.get('unfavourable') and values.get('hearing_on') is None:
            _missing(
                'hearing_on',
                _(
                    'rule-hearing',
                    default='The refusal rests on information unfavourable to the citizen: '
                    'record the hearing (partshøring, forvaltningsloven § 19) first.',
                ),
            )
        if values.get('hearing_on') and values['hearing_on'] > values['decided_on']:
            _missing(
                'hearing_on',
                _('rule-hearing-before', default='The hearing must come before the decision.'),
            )
    return values


def notification(values, ctx):
    """One notification per recipient; its name and whether the disclosure
    log derived it are set here; the reminder falls due after the request's
    number of days without an acknowledgement."""
    values = dict(values)
    request = ctx.container if ctx.obj is None else ctx.obj.__parent__
    recipient_path = values['recipient']
    if ctx.obj is not None and ctx.previous.get('recipient') != recipient_path:
        raise RuleFailed(
            'recipient',
            _(
                'rule-recipient-fixed',
                default='The recipient of a notification cannot be changed: add a new one.',
            ),
        )
    if ctx.obj is None:
        for other in children_of(request, NOTIFICATION):
            if other.fields.get('recipient') == recipient_path:
                raise RuleFailed(
                    'recipient',
                    _(
                        'rule-recipient-twice',
                        default='${name} already has a notification on this request.',
                        mapping={'name': other.title},
                    ),
                )
        site = _site_of(request)
        values['origin'] = 'derived' if recipient_path in derived(site, request) else 'manual'
        values['title'] = ctx.resolve(recipient_path).title
    else:
        values['origin'] = ctx.previous.get('origin')
        values['title'] = ctx.previous.get('title')
    if values.get('exemption') and not values.get('exemption_explanation'):
        _missing(
            'exemption_explanation',
            _(
                'rule-exemption-explanation',
                default='An exemption needs an explanation of why notifying is impossible '
                'or would take a disproportionate effort.',
            ),
        )
    if values.get('exemption_explanation') and not values.get('exemption'):
        _missing(
            'exemption',
            _(
                'rule-exemption-kind',
                default='Say why the recipient is exempted: impossible or disproportionate effort.',
            ),
        )
    sent_on = values.get('sent_on')
    days = request.fields.get('reminder_days') or 14
    values['reminder_due'] = sent_on + timedelta(days=days) if sent_on else None
    return values


def _site_of(obj):
    while obj.__parent__ is not None:
        obj = obj.__parent__
    return obj


# -- guards ------------------------------------------------------------------


def items_decided(obj, ctx):
    result, _found = evaluate(_site_of(obj), obj)
    missing = [g for g in result.gaps if g.kind == 'items']
    if missing:
        return _(
            'guard-items-decided',
            default='Decide every contested item first: ${gaps}',
            mapping={'gaps': _join(missing)},
        )
    return None


def four_eyes(obj, ctx):
    """The approver is not the one who submitted the request for approval."""
    submitter = next(
        (e['actor'] for e in reversed(obj.review_history) if e['action'] == 'submit'), None
    )
    if ctx is not None and submitter == ctx.actor:
        return _(
            'guard-four-eyes',
            default='Four eyes: you submitted this request, so another jurist must approve it.',
        )
    return None


def complete(obj, ctx):
    result, _found = evaluate(_site_of(obj), obj)
    if result.gaps:
        return _(
            'guard-complete',
            default='Not complete, so it cannot be approved: ${gaps}',
            mapping={'gaps': _join(result.gaps)},
        )
    return None


def _join(gaps):
    from translationstring import TranslationString

    # A TranslationString whose mapping holds the sentences: the web's
    # NestedLocalizer translates each before joining.
    mapping = {f'g{i}': g.message for i, g in enumerate(gaps)}
    return TranslationString(
        'gap-list',
        domain='tracker',
        default='; '.join('${g%d}' % i for i in range(len(gaps))) + '.',
        mapping=mapping,
    )


def disclosure_basis(values, ctx):
    """A disclosure rests on a legal basis or on a consent in force that day."""
    values = dict(values)
    consent_path = values.get('consent')
    if not consent_path:
        if not values.get('legal_basis'):
            _missing(
                'legal_basis', _('rule-basis', default='Give the legal basis or choose a consent.')
            )
        return values
    consent = ctx.resolve(consent_path)
    case = ctx.container if ctx.obj is None else ctx.obj.__parent__
    if consent.__parent__ is not case:
        raise RuleFailed(
            'consent',
            _('rule-consent-other-case', default='The consent must be one given in this case.'),
        )
    if consent.fields.get('recipient') and consent.fields['recipient'] != values.get('recipient'):
        raise RuleFailed(
            'consent',
            _('rule-consent-other-recipient', default='The consent covers another recipient.'),
        )
    day = values['disclosed_on']
    given, expires, withdrawn = (
        consent.fields.get(n) for n in ('given_on', 'expires_on', 'withdrawn_on')
    )
    if day < given or (expires and day > expires) or (withdrawn and day >= withdrawn):
        raise RuleFailed(
            'consent',
            _(
                'rule-consent-not-in-force',
                default='The consent was not in force on ${day} (given ${given}${until}).',
                mapping={
                    'day': format_danish(day),
                    'given': format_danish(given),
                    'until': (', ' + format_danish(withdrawn or expires))
                    if (withdrawn or expires)
                    else '',
                },
            ),
        )
    return values


def register(registrar):
    """The rectification types' named rules and guards (the configuration calls this)."""
    registrar.add_rule('rectification_request', rectification_request)
    registrar.add_rule('contested_item', contested_item)
    registrar.add_rule('notification', notification)
    registrar.add_rule('disclosure_basis', disclosure_basis)
    registrar.add_guard('items_decided', items_decided)
    registrar.add_guard('four_eyes', four_eyes)
    registrar.add_guard('complete', complete)
