"""Named rules and guards of the advisor's types (chosen by the schemas)."""

from translationstring import TranslationStringFactory

from ..types.rules import RuleFailed
from .anonymity import leaks
from .processing import case_deadline, processing_group

_ = TranslationStringFactory('tracker')


def case_processing(values, ctx):
    """The advisor's deadline and the processing-time group."""
    values = dict(values)
    values['deadline'] = case_deadline(
        values['received'], int(ctx.settings.get('deadline_days', 30))
    )
    values['processing_group'] = processing_group(values['received'], values.get('resolved'))
    return values


def question(values, ctx):
    values = dict(values)
    if values.get('sent_on') and not values.get('answer_due'):
        raise RuleFailed(
            'answer_due',
            _('rule-answer-due', default='Questions that are sent need an answer due date.'),
        )
    values['awaiting_answer'] = bool(values.get('sent_on')) and values.get('answered_on') is None
    return values


def recommendation(values, ctx):
    values = dict(values)
    if values.get('verified_on') and not values.get('verification'):
        raise RuleFailed(
            'verification', _('rule-verification', default='Say how the follow-up was verified.')
        )
    values['awaiting_answer'] = values.get('answered_on') is None
    return values


def finding(values, ctx):
    if not values.get('legal_basis') and not values.get('other_basis'):
        raise RuleFailed(
            'legal_basis',
            _(
                'rule-legal-basis',
                default='Choose the legal basis, or write it under "other legal basis".',
            ),
        )
    return values


def _protected_values(case, ctx, types_fields):
    """(field title, clear value) of every protected text of the case and
    of the rectification requests in it."""
    out = []
    objects = [case] + [
        case.get_child(n)
        for n in case.child_names()
        if getattr(case.get_child(n), 'type_name', None) == 'rectification'
    ]
    for obj in objects:
        clear = ctx.open(obj)
        for name, title, by_word in types_fields(obj.type_name):
            value = clear.get(name)
            if isinstance(value, str):
                out.append((title, value, by_word))
    return out


def statement(values, ctx):
    """The anonymised summary must hold none of the case's personal data."""
    summary = values.get('summary')
    if not summary:
        return values
    case = ctx.container if ctx.obj is None else ctx.obj.__parent__
    types = ctx.types

    def fields(type_name):
        return [
            (f.name, f.title_da, f.type != 'text')
            for f in types[type_name].fields
            if f.protected and f.type in ('string', 'text', 'cpr')
        ]

    own = [
        (types['statement'].by_name[n].title_da, values.get(n))
        for n in ('background', 'questions_answers')
    ]
    # the statement's own long texts only count as whole values
    found = leaks(summary, _protected_values(case, ctx, fields)) + [
        label
        for label, value in own
        if isinstance(value, str)
        and value.strip()
        and value.strip().casefold() in summary.casefold()
    ]
    if found:
        raise RuleFailed(
            'summary',
            _(
                'rule-summary-personal',
                default='The summary is printed in the annual report and must be anonymous: '
                'it contains personal data from ${fields}.',
                mapping={'fields': ', '.join(dict.fromkeys(found))},
            ),
        )
    return values


def has_findings(obj, ctx):
    """A statement with criticism names at least one finding."""
    if obj.fields.get('criticism_grade') != 'none' and not any(
        obj.get_child(n).type_name == 'finding' for n in obj.child_names()
    ):
        return _(
            'guard-has-findings',
            default='Record at least one finding (or grade the statement "no criticism").',
        )
    return None


def register(registrar):
    """The advisor types' named rules and guards (the configuration calls this)."""
    registrar.add_rule('case_processing', case_processing)
    registrar.add_rule('question', question)
    registrar.add_rule('recommendation', recommendation)
    registrar.add_rule('finding', finding)
    registrar.add_rule('statement', statement)
    registrar.add_guard('has_findings', has_findings)
