"""Build the letter templates (.docx with docxtpl merge fields) in the
municipality's house style: letterhead, sender, date, journal number, the
addressee, the text, and a footer with the document number and "Side X af
Y". Run `make templates` after changing this file; the .docx files are
committed, and every issued letter records the SHA-256 of the template it
came from, so a changed template is visible.

The templates are written from code rather than by hand in Word so that
their merge fields can be reviewed in a diff and every letter shares one
house style.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).parent
BLUE = RGBColor(0x1F, 0x3A, 0x5F)


def _field(paragraph, instruction, placeholder='1'):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    fld = OxmlElement('w:fldSimple')
    fld.set(qn('w:instr'), instruction)
    run = OxmlElement('w:r')
    text = OxmlElement('w:t')
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _base(title):
    doc = Document()
    style = doc.styles['Normal']
    style.font.name = 'Calibri'
    style.font.size = Pt(11)
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = footer.add_run(
            '{{ sender.municipality }} · {{ sender.unit }} · Dokumentnr. '
            '{{ letter.number }} · Side '
        )
        run.font.size = Pt(8)
        _field(footer, 'PAGE')
        footer.add_run(' af ').font.size = Pt(8)
        _field(footer, 'NUMPAGES')
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    brand = left.paragraphs[0].add_run('{{ sender.municipality }}')
    brand.bold, brand.font.size, brand.font.color.rgb = True, Pt(16), BLUE
    left.add_paragraph('{{ sender.unit }}')
    lines = (
        '{{ sender.address }}',
        '{{ sender.email }} · {{ sender.phone }}',
        'Dato: {{ letter.date }}',
        'Journalnr.: {{ journal }}',
        'Dokumentnr.: {{ letter.number }}',
    )
    for i, line in enumerate(lines):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.add_run(line).font.size = Pt(9)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    doc.add_paragraph('{{ to.name }}')
    doc.add_paragraph('{{ to.lines }}')
    doc.add_paragraph()
    heading = doc.add_paragraph()
    run = heading.add_run(title)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(14), BLUE
    return doc


def _close(doc):
    doc.add_paragraph()
    doc.add_paragraph('Med venlig hilsen')
    doc.add_paragraph('{{ letter.issuer }}')
    doc.add_paragraph('{{ sender.unit }}, {{ sender.municipality }}')
    return doc


def _lines(doc, *lines):
    for line in lines:
        doc.add_paragraph(line)


TEMPLATES = {}


def template(name):
    def register(func):
        TEMPLATES[name] = func
        return func

    return register


@template('rectification_receipt')
def receipt():
    doc = _base('Kvittering for din anmodning om berigtigelse')
    _lines(
        doc,
        'Vi har {{ request.received }} modtaget din anmodning om berigtigelse af oplysninger, '
        'som kommunen har registreret om dig (databeskyttelsesforordningen artikel 16). '
        'Sagen har nummer {{ request.number }}.',
        'Du får svar senest {{ request.due }}. Kan vi ikke nå det, skriver vi til dig inden da '
        'og fortæller hvorfor og hvornår du kan forvente svar.',
        'Mens vi undersøger, om oplysningerne er rigtige, kan du bede om, at kommunen kun '
        'opbevarer dem og ikke bruger dem (artikel 18).',
        'Har du spørgsmål, er du velkommen til at kontakte os.',
    )
    return _close(doc)


@template('rectification_extension')
def extension():
    doc = _base('Vi har brug for mere tid til din anmodning om berigtigelse')
    _lines(
        doc,
        'Du bad {{ request.received }} om berigtigelse af oplysninger om dig (sag '
        '{{ request.number }}). Vi kan ikke give dig svar inden for én måned.',
        'Begrundelse: {{ request.extension_reason }}',
        'Fristen forlænges derfor med {{ request.extension_months }} måned(er), og du får svar '
        'senest {{ request.due }} (databeskyttelsesforordningen artikel 12, stk. 3).',
    )
    return _close(doc)


@template('rectification_decision')
def decision():
    doc = _base('Afgørelse om berigtigelse')
    _lines(
        doc,
        'Du bad {{ request.received }} om berigtigelse af oplysninger om dig (sag '
        '{{ request.number }}). Din anmodning er {{ outcome }}.',
        '{%p for item in items %}',
        '{{ item.title }}: {{ item.decision }} ({{ item.decided_on }})',
        'Den oplysning, du har gjort indsigelse mod: {{ item.wrong_statement }}',
        '{%p if item.decision_code == "rectified" %}',
        'Oplysningen er rettet til: {{ item.correct_statement }}',
        '{%p elif item.decision_code == "supplemented" %}',
        'Din egen erklæring er lagt på sagen: {{ item.citizen_statement }}',
        '{%p else %}',
        'Begrundelse: {{ item.reasons }}',
        'Klagevejledning: {{ item.complaint_guidance }}',
        '{%p endif %}',
        '{%p endfor %}',
        'Den oprindelige oplysning slettes ikke, men er markeret som forkert og må ikke anvendes. '
        'Vi underretter dem, der har modtaget oplysningen (artikel 19).',
    )
    return _close(doc)


@template('recipient_notice')
def recipient_notice():
    doc = _base('Underretning om berigtigelse af oplysninger')
    _lines(
        doc,
        'I har modtaget oplysninger fra kommunen, som nu er berigtiget (databeskyttelsesforordningen '
        'artikel 19). Vores sag: {{ request.number }}.',
        '{%p for item in items %}',
        '{{ item.title }}',
        'Forkert oplysning, som ikke må anvendes: {{ item.wrong_statement }}',
        'Korrekt oplysning: {{ item.correct_statement }}',
        '{%p endfor %}',
        'Vi beder jer rette oplysningen i jeres eget materiale og bekræfte over for os, at det er '
        'sket, med henvisning til dokumentnummer {{ letter.number }}.',
        'Underretningen sendes til {{ notification.title }} via {{ notification.channel }}.',
    )
    return _close(doc)


@template('rectification_completion')
def completion():
    doc = _base('Berigtigelsen er gennemført')
    _lines(
        doc,
        'Du bad {{ request.received }} om berigtigelse (sag {{ request.number }}). Her er, hvad der '
        'er rettet, og hvem der er underrettet.',
        '{%p for item in items %}',
        '{{ item.title }}: {{ item.decision }} ({{ item.decided_on }})',
        '{%p endfor %}',
        'Modtagere af de forkerte oplysninger:',
        '{%p for r in recipients %}',
        '{%p if r.exemption %}',
        '{{ r.name }}: ikke underrettet – {{ r.exemption }}: {{ r.explanation }}',
        '{%p else %}',
        '{{ r.name }}: underrettet {{ r.sent_on }} via {{ r.channel }}',
        '{%p endif %}',
        '{%p endfor %}',
    )
    return _close(doc)


@template('statement')
def statement():
    doc = _base('Udtalelse: {{ statement.title }}')
    _lines(
        doc,
        'Til: {{ statement.centre }}',
        'Baggrund',
        '{{ statement.background }}',
        'Spørgsmål og svar',
        '{{ statement.questions_answers }}',
        'Borgerrådgiverens vurdering',
        '{%p for f in findings %}',
        '{{ f.title }} ({{ f.legal_basis }}{{ f.other_basis }}): {{ f.criticism }}',
        '{%p endfor %}',
        'Borgerens retssikkerhed er krænket: {{ statement.legal_protection_violated }}. '
        'Retssikkerheden er genoprettet: {{ statement.restored }}. '
        'Kritikkens grad: {{ statement.criticism_grade }}.',
        'Henstillinger',
        '{%p for r in recommendations %}',
        '{{ r.title }} (opfølgning senest {{ r.follow_up_on }})',
        '{%p endfor %}',
        'Centret bedes inden fristen meddele borgerrådgiveren, om henstillingerne følges.',
    )
    return _close(doc)


@template('written_questions')
def written_questions():
    doc = _base('Skriftlige spørgsmål (borgerrådgivervedtægtens § 10)')
    _lines(
        doc,
        'Til: {{ question.centre }}',
        'Borgerrådgiveren behandler en henvendelse (sag {{ case.number }}) og beder centret '
        'besvare følgende spørgsmål:',
        '{{ question.questions }}',
        'Svar bedes sendt senest {{ question.answer_due }}.',
    )
    return _close(doc)


@template('process_overview')
def process_overview():
    doc = _base('Sådan går det videre med din sag')
    _lines(
        doc,
        'Sag {{ case.number }}: {{ case.title }}',
        'Hvad skal der ske nu?',
        '{{ case.next_step }}',
        'Hvornår hører du fra os?',
        '{{ case.next_contact }}',
        'Hvilke opgaver har du?',
        '{{ case.citizen_tasks }}',
        'Hvad gør vi?',
        '{{ case.our_tasks }}',
    )
    return _close(doc)


@template('rectification_note')
def rectification_note():
    doc = _base('Berigtigelsesnote')
    _lines(
        doc,
        'Denne note er lagt på sagen {{ item.decided_on }} efter anmodning om berigtigelse '
        '({{ request.number }}).',
        'Oplysningen nedenfor er FORKERT og må ikke anvendes:',
        '{{ item.wrong_statement }}',
        'Korrekt oplysning: {{ item.correct_statement }}',
        'Sådan opstod fejlen: {{ item.how_arose }}',
        'Den oprindelige oplysning er ikke slettet. Sted i dokumentet: {{ item.passage }} '
        '({{ item.document_title }}).',
    )
    return _close(doc)


@template('annual_report')
def annual_report():
    doc = _base('{{ report.title }}: Året i tal')
    _lines(
        doc,
        'Perioden {{ stats.period }}.',
        '{{ report.introduction }}',
        'Borgerrådgiveren modtog {{ stats.total }} unikke henvendelser, heraf {{ stats.within }} inden '
        'for vedtægtens formål ({{ stats.within_share }} %). Der blev stillet {{ stats.questions }} '
        'sæt skriftlige spørgsmål og afgivet {{ stats.statements_count }} udtalelser.',
        '{{ figure1 }}',
        'Unikke henvendelser pr. år:',
        '{%p for y in history %}',
        '{{ y.year }}: {{ y.count }}',
        '{%p endfor %}',
        'Fordeling mellem centrene (henvendelser inden for formålet):',
        '{{ figure2 }}',
        '{%p for r in centres %}',
        '{{ r.name }}: {{ r.count }} ({{ r.share }} %)',
        '{%p endfor %}',
        'Vejledning eller klage:',
        '{{ figure3 }}',
        '{%p for r in kinds %}',
        '{{ r.name }}: {{ r.count }} ({{ r.share }} %)',
        '{%p endfor %}',
        'Hvordan henvender borgerne sig:',
        '{{ figure4 }}',
        '{%p for r in channels %}',
        '{{ r.name }}: {{ r.count }}',
        '{%p endfor %}',
        'Hvor hurtigt får borgerne hjælp:',
        '{{ figure5 }}',
        '{%p for r in help %}',
        '{{ r.name }}: {{ r.count }} ({{ r.share }} %)',
        '{%p endfor %}',
        'Anbefalingerne og sagerne bag dem:',
        '{%p for t in themes %}',
        '{{ t.name }}: {{ t.line }}',
        '{%p endfor %}',
        'Udtalelser',
        '{%p for u in statements %}',
        'Udtalelse {{ u.position }} – {{ u.title }} (til {{ u.centre }}, {{ u.issued_on }})',
        '{{ u.summary }}',
        '{%p endfor %}',
        'Henstillinger fra udtalelserne i perioden:',
        '{%p for r in recommendations %}',
        '{{ r.name }}: {{ r.count }}',
        '{%p endfor %}',
    )
    return _close(doc)


def build():
    for name, func in TEMPLATES.items():
        doc = func()
        doc.core_properties.title = name
        doc.core_properties.author = 'tracker'
        doc.save(HERE / f'{name}.docx')
        print(f'{name}.docx')


if __name__ == '__main__':
    build()
