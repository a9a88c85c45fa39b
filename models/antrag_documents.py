"""Template contexts of the funding lifecycle documents, plus their pure builders.

Covered templates: Absichtserklärung, Förderantrag, Kosten- und Finanzierungsplan,
Kooperationsvereinbarung, Sitzungsvorlage (generic; filled here for an application) and the
Zwischen-/Verwendungsnachweis. As in :mod:`models.documents`, every value is a finished German
string: the builders write the prose (with the right articles for Kreis, Stadt and Gemeinde)
and the templates only place it. No I/O here.

Amounts come from a :class:`~models.money.FinancingPlan`; its shares are keyed by
``BodyView.name`` (e.g. ``"Dülmen"``) and are matched to the application's bodies by that name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from models.bodies import BodyView
from models.deadlines import format_date_de
from models.documents import AGENCY, DocumentContext
from models.mail import MailContext
from models.money import FinancingPlan, PartnerShare, SplitKey, format_eur, format_percent
from models.views import ApplicationView, PartnerView

STRATEGY_NAME = "„Coesfeld 12.0 – Im Kreis gemeinsam digital“"
POPULATION_AS_OF = "31.12.2023"
KREISTAG_BASIS = "§ 26 (1) KrO NRW"
RAT_BASIS = "§ 41 (1) GO NRW"
NOT_RECORDED = "(noch nicht erfasst)"

_NUMBER_WORDS = {
    1: "eine",
    2: "zwei",
    3: "drei",
    4: "vier",
    5: "fünf",
    6: "sechs",
    7: "sieben",
    8: "acht",
    9: "neun",
    10: "zehn",
    11: "elf",
    12: "zwölf",
}


# --- row models (lists of these feed the table loops) ----------------------------------------


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShareRow(Row):
    """One body's part of the own share (Eigenanteil)."""

    body: str  # official name, e.g. "Stadt Dülmen"
    basis: str  # key figure: "47.300 Einwohner", "40 %" or "gleicher Anteil"
    percent: str  # share of the own share, "60,94 %"
    amount: str  # "5.179,90 €"


class PartyRow(Row):
    """A contracting body of the Kooperationsvereinbarung."""

    name: str  # official name
    designation: str  # "der Stadt Olfen, vertreten durch … (Verbundpartner)" (after "zwischen")
    role: str
    council: str
    seat: str
    signatory: str
    signing_for: str  # "Für die Stadt Olfen"


class NachweisRow(Row):
    """A line of the zahlenmäßiger Nachweis: planned (laut Bescheid) against actual."""

    label: str
    planned: str
    actual: str


# --- German wording helpers ------------------------------------------------------------------


def _count_word(n: int) -> str:
    """Numbers up to twelve as words in running text (``3`` -> ``"drei"``)."""
    return _NUMBER_WORDS.get(n, str(n))


def _join(parts: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b und c"``."""
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} und {items[-1]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """Strip *text* and make sure it ends with a full stop (for user-written summaries)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def _format_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _inhabitants(n: int) -> str:
    return f"{_format_int(n)} Einwohner"


def _nom(body: BodyView) -> str:
    """Nominative with article: "der Kreis Coesfeld", "die Stadt Olfen"."""
    return f"{'der' if body.is_kreis else 'die'} {body.official_name}"


def _acc(body: BodyView) -> str:
    """Accusative with article: "den Kreis Coesfeld", "die Stadt Olfen"."""
    return f"{'den' if body.is_kreis else 'die'} {body.official_name}"


def _dat(body: BodyView) -> str:
    """Dative with article: "dem Kreis Coesfeld", "der Stadt Olfen"."""
    return f"{'dem' if body.is_kreis else 'der'} {body.official_name}"


def _gen(body: BodyView) -> str:
    """Genitive with article: "des Kreises Coesfeld", "der Stadt Olfen"."""
    if body.is_kreis:
        name = body.official_name
        if name.startswith("Kreis "):
            name = "Kreises " + name.removeprefix("Kreis ")
        return f"des {name}"
    return f"der {body.official_name}"


def _pronoun(body: BodyView) -> str:
    return "er" if body.is_kreis else "sie"


def _pronoun_acc(body: BodyView) -> str:
    return "ihn" if body.is_kreis else "sie"


def _at(body: BodyView) -> str:
    """Locative: "beim Kreis Coesfeld", "bei der Stadt Olfen"."""
    return f"beim {body.official_name}" if body.is_kreis else f"bei der {body.official_name}"


def _possessive(body: BodyView) -> str:
    return "seine" if body.is_kreis else "ihre"


def _applicant(body: BodyView) -> str:
    return "Antragsteller" if body.is_kreis else "Antragstellerin"


def _council_gen(body: BodyView) -> str:
    """Genitive of the council: "des Rates der Stadt Olfen", "des Kreistages des Kreises …"."""
    first, _, rest = body.council.partition(" ")
    if first == "Rat":
        return f"des Rates {rest}"
    if first == "Kreistag":
        return f"des Kreistages {rest}"
    return f"des Gremiums „{body.council}“"


def _council_organ(body: BodyView) -> str:
    return "der Kreistag" if body.is_kreis else "der Rat"


def _seat(body: BodyView) -> str:
    """Place for "Ort, Datum": the town, or the seat of the Kreis (Coesfeld)."""
    return body.name.removeprefix("Kreis ") if body.is_kreis else body.name


def _signatory(body: BodyView) -> str:
    return "Landrat / Landrätin" if body.is_kreis else "Bürgermeister / Bürgermeisterin"


def _represented_by(body: BodyView) -> str:
    return (
        "vertreten durch den Landrat bzw. die Landrätin"
        if body.is_kreis
        else "vertreten durch den Bürgermeister bzw. die Bürgermeisterin"
    )


def _signing_for(body: BodyView) -> str:
    return f"Für {_acc(body)}"


def competence_sentence(body: BodyView) -> str:
    """Section IV of a Sitzungsvorlage: Kreistag (§ 26 (1) KrO NRW) or Rat (§ 41 (1) GO NRW)."""
    basis = KREISTAG_BASIS if body.is_kreis else RAT_BASIS
    return f"Zuständig für die Entscheidung ist {_council_organ(body)} gem. {basis}."


def _percent_of_costs(part: int, whole: int) -> str:
    if whole == 0:
        return format_percent(Decimal(0))
    exact = Decimal(part) * 100 / Decimal(whole)
    shown = exact.quantize(Decimal("0.01"))
    return format_percent(shown) if shown == exact else f"rund {format_percent(shown)}"


def _duration(app: ApplicationView, dative: bool = False) -> str:
    months = app.programme.max_duration_months
    if not months:
        return "ohne Vorgabe des Programms"
    return f"bis zu {months} {'Monaten' if dative else 'Monate'}"


# --- the financing plan, matched to the application's bodies ----------------------------------


def _bodies(app: ApplicationView) -> dict[str, BodyView]:
    out = {p.body.name: p.body for p in app.partners}
    out.setdefault(app.lead.name, app.lead)
    return out


def _plan_body(app: ApplicationView, share: PartnerShare) -> BodyView:
    body = _bodies(app).get(share.body)
    if body is None:
        raise ValueError(
            f"Der Finanzierungsplan enthält „{share.body}“, die Körperschaft ist aber nicht "
            f"am Förderantrag {app.reference} beteiligt."
        )
    return body


def _share_of(plan: FinancingPlan, body: BodyView) -> PartnerShare:
    for share in plan.shares:
        if share.body == body.name:
            return share
    raise ValueError(f"Für {_acc(body)} ist im Finanzierungsplan kein Eigenanteil ausgewiesen.")


def _checked(plan: FinancingPlan) -> FinancingPlan:
    total = sum(s.amount for s in plan.shares)
    if total != plan.grant.own_share:
        raise ValueError(
            f"Die Anteile des Finanzierungsplans ({format_eur(total)}) ergeben nicht den "
            f"Eigenanteil ({format_eur(plan.grant.own_share)})."
        )
    return plan


def _partner_view(app: ApplicationView, body: BodyView) -> PartnerView | None:
    for partner in app.partners:
        if partner.body.name == body.name:
            return partner
    return None


def _basis(app: ApplicationView, plan: FinancingPlan, share: PartnerShare) -> str:
    body = _plan_body(app, share)
    if plan.key is SplitKey.EINWOHNER:
        return _inhabitants(body.population)
    if plan.key is SplitKey.PROZENT:
        partner = _partner_view(app, body)
        agreed = partner.share_percent if partner and partner.share_percent is not None else None
        return f"vereinbart {format_percent(agreed if agreed is not None else share.percent)}"
    return "gleicher Anteil"


def _share_rows(app: ApplicationView, plan: FinancingPlan) -> list[ShareRow]:
    return [
        ShareRow(
            body=_plan_body(app, share).official_name,
            basis=_basis(app, plan, share),
            percent=format_percent(share.percent),
            amount=format_eur(share.amount),
        )
        for share in plan.shares
    ]


def _total_basis(app: ApplicationView, plan: FinancingPlan) -> str:
    if plan.key is SplitKey.EINWOHNER:
        return _inhabitants(sum(_plan_body(app, s).population for s in plan.shares))
    if plan.key is SplitKey.PROZENT:
        return format_percent(Decimal(100))
    n = len(plan.shares)
    return f"{_count_word(n).capitalize()} Körperschaft" + ("" if n == 1 else "en")


def _key_label(plan: FinancingPlan) -> str:
    if plan.key is SplitKey.EINWOHNER:
        return f"nach Einwohnerzahlen (Stand {POPULATION_AS_OF})"
    if plan.key is SplitKey.PROZENT:
        return "nach vereinbarten Prozentanteilen"
    return "zu gleichen Teilen"


def _key_sentence(app: ApplicationView, plan: FinancingPlan, focus: BodyView | None) -> str:
    """The split key in words; with *focus*, the sentence names that body's key figure."""
    n = len(plan.shares)
    bodies = f"{_count_word(n)} Körperschaft" + ("" if n == 1 else "en")
    if plan.key is SplitKey.GLEICH:
        return f"Der Eigenanteil wird zu gleichen Teilen auf {bodies} aufgeteilt."
    if plan.key is SplitKey.EINWOHNER:
        total = sum(_plan_body(app, s).population for s in plan.shares)
        text = (
            f"Der Eigenanteil wird nach Einwohnerzahlen (Stand {POPULATION_AS_OF}) auf {bodies} "
            f"aufgeteilt, die zusammen {_format_int(total)} Einwohnerinnen und Einwohner zählen."
        )
        if focus is not None:
            text += (
                f" Für {_acc(focus)} wird eine Einwohnerzahl von "
                f"{_format_int(focus.population)} zugrunde gelegt."
            )
        return text
    text = f"Der Eigenanteil wird nach vereinbarten Prozentanteilen auf {bodies} aufgeteilt."
    if focus is not None:
        share = _share_of(plan, focus)
        text += f" Auf {_acc(focus)} entfällt ein Anteil von {format_percent(share.percent)}."
    return text


def _grant_notes(app: ApplicationView, plan: FinancingPlan) -> list[str]:
    notes: list[str] = []
    grant = plan.grant
    if grant.capped and grant.cap is not None:
        notes.append(
            f"Die Zuwendung ist auf den Förderhöchstbetrag des Programms „{app.programme.name}“ "
            f"von {format_eur(grant.cap)} begrenzt; der übersteigende Betrag erhöht den "
            "Eigenanteil."
        )
    if grant.below_minimum and grant.minimum is not None:
        notes.append(
            "Achtung: Die Zuwendung liegt unter der Mindestzuwendung des Programms von "
            f"{format_eur(grant.minimum)}."
        )
    return notes


# === 1. Absichtserklärung ======================================================================


class AbsichtserklaerungContext(DocumentContext):
    reference: str
    date: str
    title: str
    summary: str
    intro: str
    partner_body: str
    partner_council: str
    lead_body: str
    programme: str
    funder: str
    eligible_costs: str
    funding_rate: str
    expected_grant: str
    own_share: str
    grant_notes: list[str]
    key_explanation: str
    share_amount: str
    share_percent: str
    share_sentence: str
    response_due: str
    declaration: str
    reservation: str
    coordinator_email: str
    place: str
    signatory: str
    signing_for: str


def absichtserklaerung_context(
    app: ApplicationView,
    partner: PartnerView,
    plan: FinancingPlan,
    response_due: dt.date,
    today: dt.date,
) -> AbsichtserklaerungContext:
    """Draft letter of intent for *partner* with its proposed share of the own share."""
    body = partner.body
    lead = app.lead
    grant = plan.grant
    share = _share_of(plan, body)
    amount = format_eur(share.amount)
    if partner.is_lead:
        intro = (
            f"Die {AGENCY} bereitet gemeinsam mit {_dat(body)} einen Förderantrag für das "
            f"Vorhaben „{app.title}“ im Förderprogramm „{app.programme.name}“ vor. "
            f"{_cap(_nom(body))} ist als federführende Körperschaft und {_applicant(body)} "
            f"vorgesehen. Mit dieser Erklärung bestätigt {_pronoun(body)} {_possessive(body)} "
            f"Bereitschaft, den auf {_pronoun_acc(body)} entfallenden Eigenanteil zu tragen."
        )
        declaration = (
            f"{_cap(_nom(body))} beabsichtigt, das Vorhaben „{app.title}“ als federführende "
            f"Körperschaft im Förderprogramm „{app.programme.name}“ zu beantragen und einen "
            f"Eigenanteil in Höhe von bis zu {amount} zu tragen."
        )
    else:
        intro = (
            f"Die {AGENCY} bereitet gemeinsam mit {_dat(lead)} als federführender Körperschaft "
            f"einen Förderantrag für das Vorhaben „{app.title}“ im Förderprogramm "
            f"„{app.programme.name}“ vor. {_cap(_nom(body))} ist als Verbundpartner vorgesehen. "
            f"Mit dieser Absichtserklärung bekundet {_pronoun(body)} {_possessive(body)} "
            "Bereitschaft, "
            "sich an dem Vorhaben zu beteiligen und den auf "
            f"{_pronoun_acc(body)} entfallenden Eigenanteil zu tragen."
        )
        declaration = (
            f"{_cap(_nom(body))} beabsichtigt, sich an dem Vorhaben „{app.title}“ unter "
            f"Federführung {_gen(lead)} im Förderprogramm „{app.programme.name}“ zu beteiligen "
            f"und einen Eigenanteil in Höhe von bis zu {amount} zu tragen."
        )
    reservation = (
        f"Die Erklärung steht unter dem Vorbehalt der Zustimmung {_council_gen(body)} sowie der "
        "Bewilligung der Zuwendung. Eine rechtliche Verpflichtung wird mit dieser Erklärung noch "
        "nicht begründet; sie entsteht erst mit dem Abschluss der Kooperationsvereinbarung."
    )
    share_sentence = (
        f"Auf {_acc(body)} entfällt danach ein Anteil von {amount}; das sind "
        f"{format_percent(share.percent)} des Eigenanteils von {format_eur(grant.own_share)}."
    )
    return AbsichtserklaerungContext(
        reference=app.reference,
        date=format_date_de(today),
        title=app.title,
        summary=app.summary,
        intro=intro,
        partner_body=body.official_name,
        partner_council=body.council,
        lead_body=lead.official_name,
        programme=app.programme.name,
        funder=app.programme.funder,
        eligible_costs=format_eur(grant.eligible_costs),
        funding_rate=format_percent(grant.funding_rate),
        expected_grant=format_eur(grant.grant),
        own_share=format_eur(grant.own_share),
        grant_notes=_grant_notes(app, plan),
        key_explanation=_key_sentence(app, plan, body),
        share_amount=amount,
        share_percent=format_percent(share.percent),
        share_sentence=share_sentence,
        response_due=format_date_de(response_due),
        declaration=declaration,
        reservation=reservation,
        coordinator_email=app.coordinator_email,
        place=_seat(body),
        signatory=_signatory(body),
        signing_for=_signing_for(body),
    )


# === 2. Förderantrag ===========================================================================


class FoerderantragContext(DocumentContext):
    reference: str
    date: str
    version: int
    previous_version: int
    title: str
    summary: str
    lead_body: str
    lead_council: str
    lead_email: str
    partners: list[str]
    consortium: str
    programme: str
    funder: str
    duration: str
    eligible_costs: str
    funding_rate: str
    requested_grant: str
    own_share: str
    own_share_rate: str
    grant_notes: list[str]
    key_explanation: str
    shares: list[ShareRow]
    total_basis: str
    total_percent: str
    total_amount: str
    coordinator_email: str
    notes: str
    changes: list[str]


def _change_lines(change_note: str) -> list[str]:
    """One comment per line; list markers typed by the coordinator are dropped."""
    lines: list[str] = []
    for raw in change_note.splitlines():
        line = raw.strip()
        for marker in ("- ", "* ", "• ", "– "):
            if line.startswith(marker):
                line = line[len(marker) :].strip()
                break
        if line:
            lines.append(line)
    return lines


def _confirmed_partners(app: ApplicationView) -> list[BodyView]:
    return [p.body for p in app.confirmed if not p.is_lead]


def _consortium_sentence(app: ApplicationView) -> str:
    lead = app.lead
    partners = _confirmed_partners(app)
    if not partners:
        return (
            f"{_cap(_nom(lead))} führt das Vorhaben als {_applicant(lead)} ohne weitere "
            "Verbundpartner durch."
        )
    n = len(partners) + 1
    return (
        f"{_cap(_nom(lead))} stellt den Antrag als federführende Körperschaft zugleich im Namen "
        f"der folgenden Verbundpartner, die ihre Beteiligung zugesagt haben. Insgesamt tragen "
        f"{_count_word(n)} Körperschaften im Kreis Coesfeld das Vorhaben gemeinsam."
    )


def foerderantrag_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
    notes: str = "",
    change_note: str = "",
) -> FoerderantragContext:
    """Draft of the funding application, version *version* (``change_note`` from the review)."""
    grant = _checked(plan).grant
    return FoerderantragContext(
        reference=app.reference,
        date=format_date_de(today),
        version=version,
        previous_version=max(version - 1, 1),
        title=app.title,
        summary=app.summary,
        lead_body=app.lead.official_name,
        lead_council=app.lead.council,
        lead_email=app.lead.email,
        partners=[b.official_name for b in _confirmed_partners(app)],
        consortium=_consortium_sentence(app),
        programme=app.programme.name,
        funder=app.programme.funder,
        duration=_duration(app),
        eligible_costs=format_eur(grant.eligible_costs),
        funding_rate=format_percent(grant.funding_rate),
        requested_grant=format_eur(grant.grant),
        own_share=format_eur(grant.own_share),
        own_share_rate=_percent_of_costs(grant.own_share, grant.eligible_costs),
        grant_notes=_grant_notes(app, plan),
        key_explanation=_key_sentence(app, plan, None),
        shares=_share_rows(app, plan),
        total_basis=_total_basis(app, plan),
        total_percent=format_percent(Decimal(100)),
        total_amount=format_eur(grant.own_share),
        coordinator_email=app.coordinator_email,
        notes=notes.strip(),
        changes=_change_lines(change_note),
    )


# === 3. Kosten- und Finanzierungsplan ==========================================================


class FinanzierungsplanContext(DocumentContext):
    reference: str
    date: str
    version: int
    title: str
    lead_body: str
    programme: str
    funder: str
    eligible_costs: str
    funding_rate: str
    grant: str
    grant_note: str
    own_share: str
    own_share_note: str
    key_label: str
    key_explanation: str
    shares: list[ShareRow]
    total_basis: str
    total_percent: str
    total_amount: str
    grant_notes: list[str]
    note: str


def finanzierungsplan_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
    note: str = "",
) -> FinanzierungsplanContext:
    """Kosten- und Finanzierungsplan: grant summary and each body's share of the own share."""
    grant = _checked(plan).grant
    if grant.capped and grant.cap is not None:
        grant_note = f"begrenzt auf den Förderhöchstbetrag von {format_eur(grant.cap)}"
    else:
        grant_note = f"{format_percent(grant.funding_rate)} der zuwendungsfähigen Gesamtausgaben"
    own_share_note = (
        f"{_percent_of_costs(grant.own_share, grant.eligible_costs)} der zuwendungsfähigen "
        f"Gesamtausgaben; Aufteilung {_key_label(plan)}"
    )
    return FinanzierungsplanContext(
        reference=app.reference,
        date=format_date_de(today),
        version=version,
        title=app.title,
        lead_body=app.lead.official_name,
        programme=app.programme.name,
        funder=app.programme.funder,
        eligible_costs=format_eur(grant.eligible_costs),
        funding_rate=format_percent(grant.funding_rate),
        grant=format_eur(grant.grant),
        grant_note=grant_note,
        own_share=format_eur(grant.own_share),
        own_share_note=own_share_note,
        key_label=_key_label(plan),
        key_explanation=_key_sentence(app, plan, None),
        shares=_share_rows(app, plan),
        total_basis=_total_basis(app, plan),
        total_percent=format_percent(Decimal(100)),
        total_amount=format_eur(grant.own_share),
        grant_notes=_grant_notes(app, plan),
        note=note.strip(),
    )


# === 4. Kooperationsvereinbarung ===============================================================


class KooperationsvereinbarungContext(DocumentContext):
    reference: str
    date: str
    version: int
    title: str
    programme: str
    lead_body: str
    parties: list[PartyRow]
    subject_clauses: list[str]
    lead_clauses: list[str]
    financing_clauses: list[str]
    shares: list[ShareRow]
    total_basis: str
    total_percent: str
    total_amount: str
    financing_followup: list[str]
    term_clauses: list[str]
    copies: str


def _role(body: BodyView, lead: BodyView) -> str:
    return "federführende Körperschaft" if body.name == lead.name else "Verbundpartner"


def kooperationsvereinbarung_context(
    app: ApplicationView,
    plan: FinancingPlan,
    version: int,
    today: dt.date,
) -> KooperationsvereinbarungContext:
    """Cooperation agreement among the bodies of the financing plan (lead first)."""
    grant = _checked(plan).grant
    lead = app.lead
    bodies = [_plan_body(app, s) for s in plan.shares]
    if all(b.name != lead.name for b in bodies):
        bodies.insert(0, lead)
    else:
        bodies.sort(key=lambda b: b.name != lead.name)  # stable: lead first, order kept
    parties = [
        PartyRow(
            name=b.official_name,
            designation=f"{_dat(b)}, {_represented_by(b)} ({_role(b, lead)})",
            role=_role(b, lead),
            council=b.council,
            seat=_seat(b),
            signatory=_signatory(b),
            signing_for=_signing_for(b),
        )
        for b in bodies
    ]
    subject_clauses = [
        f"(1) Die Partner arbeiten bei der Vorbereitung, Beantragung und Durchführung des "
        f"Vorhabens „{app.title}“ (Aktenzeichen {app.reference}) zusammen. Das Vorhaben soll im "
        f"Förderprogramm „{app.programme.name}“ – Zuwendungsgeber: {app.programme.funder} – "
        "gefördert werden.",
        f"(2) Inhalt des Vorhabens: {_sentence(app.summary)}",
        "(3) Die Zusammenarbeit erfolgt im Rahmen der gemeinsamen Digitalisierungsstrategie "
        f"{STRATEGY_NAME} des Kreises Coesfeld und seiner Städte und Gemeinden; die "
        f"{AGENCY} unterstützt die Partner bei der Koordination.",
    ]
    lead_clauses = [
        f"(1) Die Federführung liegt {_at(lead)}. {_cap(_nom(lead))} stellt den Förderantrag "
        "im eigenen Namen und zugleich im Auftrag der übrigen Partner. "
        f"{'Er' if lead.is_kreis else 'Sie'} ist gegenüber dem Zuwendungsgeber "
        f"{'Zuwendungsempfänger' if lead.is_kreis else 'Zuwendungsempfängerin'} und bewirtschaftet "
        "die Fördermittel.",
        "(2) Die federführende Körperschaft koordiniert das Vorhaben gemeinsam mit der "
        f"{AGENCY}, ruft die Fördermittel ab und erstellt die Zwischen- und "
        "Verwendungsnachweise.",
        "(3) Die federführende Körperschaft unterrichtet die Partner regelmäßig, mindestens "
        "halbjährlich, über den Stand des Vorhabens und den Mittelabfluss.",
    ]
    financing_clauses = [
        f"(1) Die zuwendungsfähigen Gesamtausgaben des Vorhabens betragen "
        f"{format_eur(grant.eligible_costs)}. Bei einer Förderquote von "
        f"{format_percent(grant.funding_rate)} wird eine Zuwendung in Höhe von "
        f"{format_eur(grant.grant)} beantragt.",
        f"(2) Der Eigenanteil in Höhe von {format_eur(grant.own_share)} wird "
        f"{_key_label(plan)} aufgeteilt und von den Partnern wie folgt getragen:",
    ]
    financing_followup = [
        "(3) Die Partner stellen ihre Eigenanteile der federführenden Körperschaft nach "
        "Anforderung entsprechend dem Mittelbedarf des Vorhabens zur Verfügung.",
        "(4) Wird die Zuwendung in geringerer Höhe bewilligt oder ändern sich die "
        "zuwendungsfähigen Ausgaben, werden die Anteile nach demselben Schlüssel neu "
        "berechnet. Eine Erhöhung des Eigenanteils eines Partners bedarf seiner Zustimmung.",
        "(5) Rückforderungen des Zuwendungsgebers tragen die Partner im Verhältnis ihrer "
        "Anteile, soweit sie nicht von einem Partner allein zu vertreten sind; in diesem Fall "
        "trägt dieser Partner die Rückforderung.",
    ]
    term_clauses = [
        "(1) Die Vereinbarung tritt mit der Unterzeichnung durch alle Partner in Kraft. Sie "
        "endet mit der abschließenden Prüfung des Verwendungsnachweises durch den "
        "Zuwendungsgeber. Wird die Zuwendung nicht bewilligt, endet sie mit dem Zugang des "
        "ablehnenden Bescheids.",
        f"(2) Die Laufzeit des Vorhabens ist mit {_duration(app, dative=True)} geplant"
        + (
            f" (Höchstlaufzeit des Programms „{app.programme.name}“)."
            if app.programme.max_duration_months
            else "."
        ),
        "(3) Eine ordentliche Kündigung ist während der Laufzeit des Vorhabens ausgeschlossen. "
        "Das Recht zur Kündigung aus wichtigem Grund bleibt unberührt; die Kündigung bedarf der "
        "Schriftform.",
        "(4) Ein ausscheidender Partner bleibt verpflichtet, die bis zu seinem Ausscheiden "
        "entstandenen Eigenanteile zu tragen und an der Erstellung der Nachweise mitzuwirken.",
    ]
    n = len(parties)
    return KooperationsvereinbarungContext(
        reference=app.reference,
        date=format_date_de(today),
        version=version,
        title=app.title,
        programme=app.programme.name,
        lead_body=lead.official_name,
        parties=parties,
        subject_clauses=subject_clauses,
        lead_clauses=lead_clauses,
        financing_clauses=financing_clauses,
        shares=_share_rows(app, plan),
        total_basis=_total_basis(app, plan),
        total_percent=format_percent(Decimal(100)),
        total_amount=format_eur(grant.own_share),
        financing_followup=financing_followup,
        term_clauses=term_clauses,
        copies=f"{_count_word(n)} gleichlautenden Ausfertigungen",
    )


# === 5. Sitzungsvorlage (generic) ==============================================================


class SitzungsvorlageContext(DocumentContext):
    """A council paper in the structure of the seed (SV-10-0123). Generic: any subject."""

    number: str
    date: str
    body: str  # "Stadt Dülmen"
    council: str  # "Rat der Stadt Dülmen"
    visibility: str = "öffentlich"
    department: str = AGENCY
    draft_note: str = ""
    subject: str
    proposal: str
    restriction: str = ""  # Sperrvermerk; the paragraph appears only when set
    facts: list[str]  # I. Sachdarstellung
    alternatives: list[str]  # II. Entscheidungsalternativen
    finances: str  # III. Finanzen
    personnel: str  # III. Personal
    it: str  # III. IT
    climate: str  # III. Klima
    competence: str  # IV., see competence_sentence()
    attachments: list[str] = Field(default_factory=list)


def sitzungsvorlage_antrag_context(
    app: ApplicationView,
    plan: FinancingPlan,
    body: BodyView,
    number: str,
    version: int,
    today: dt.date,
) -> SitzungsvorlageContext:
    """Council paper asking *body*'s council to approve participation and its own share."""
    grant = _checked(plan).grant
    share = _share_of(plan, body)
    amount = format_eur(share.amount)
    lead = app.lead
    is_lead = body.name == lead.name
    programme = app.programme
    partners = _confirmed_partners(app)
    declined = [p.body for p in app.partners if not p.is_lead and p.decision == "abgesagt"]

    role = (
        "als federführende Körperschaft"
        if is_lead
        else f"als Verbundpartner unter Federführung {_gen(lead)}"
    )
    joint = "gemeinsamen " if partners else ""
    proposal = (
        f"Der {body.council} beschließt, dass sich {_nom(body)} {role} an dem Vorhaben "
        f"„{app.title}“ im Förderprogramm „{programme.name}“ beteiligt"
        + (f" und den {joint}Förderantrag stellt" if is_lead else "")
        + f". {_cap(_nom(body))} trägt einen Eigenanteil in Höhe von bis zu {amount}. "
        "Die Bereitstellung der Mittel erfolgt vorbehaltlich der Bewilligung der Zuwendung."
    )
    if partners:
        proposal += (
            " Die Verwaltung wird beauftragt, die Kooperationsvereinbarung auf Grundlage des "
            "beigefügten Entwurfs abzuschließen."
        )

    facts = [
        f"Der Kreis Coesfeld und seine elf kreisangehörigen Städte und Gemeinden setzen "
        f"gemeinsam die kreisweite Digitalisierungsstrategie {STRATEGY_NAME} um. Zu den "
        f"Kernaufgaben der dafür eingerichteten „{AGENCY}“ gehört neben der Begleitung der "
        "Umsetzungsprojekte ausdrücklich die Akquise von Fördermitteln. Interkommunale "
        "Vorhaben, die auf die gemeinsam abgestimmte Strategie verweisen können, haben sich "
        f"dabei als besonders förderwürdig erwiesen. Vor diesem Hintergrund hat die {AGENCY} "
        f"gemeinsam mit {_dat(lead)} das Vorhaben „{app.title}“ (Aktenzeichen {app.reference}) "
        f"vorbereitet, das im Förderprogramm „{programme.name}“ – Zuwendungsgeber: "
        f"{programme.funder} – beantragt werden soll.",
        f"Inhaltlich ist das Vorhaben wie folgt angelegt: {_sentence(app.summary)}"
        + (
            f" Die Laufzeit ist mit {_duration(app, dative=True)} geplant."
            if programme.max_duration_months
            else ""
        ),
    ]
    consortium = (
        f"Die Federführung liegt {_at(lead)}, {'der' if lead.is_kreis else 'die'} den "
        f"Förderantrag als {_applicant(lead)} stellt."
    )
    if partners:
        names = _join([_nom(p) for p in partners])
        if len(partners) == 1:
            consortium += (
                f" Als Verbundpartner hat {names} {_possessive(partners[0])} Beteiligung "
                "durch eine Absichtserklärung zugesagt."
            )
        else:
            consortium += (
                f" Als Verbundpartner haben {names} ihre Beteiligung durch "
                "Absichtserklärungen zugesagt."
            )
    if declined:
        consortium += (
            f" {_cap(_join([_nom(d) for d in declined]))} "
            f"{'hat' if len(declined) == 1 else 'haben'} von einer Beteiligung abgesehen."
        )
    n = len(partners) + 1
    if n > 1:
        consortium += (
            f" Damit tragen insgesamt {_count_word(n)} Körperschaften im Kreis Coesfeld das "
            "Vorhaben gemeinsam. Die Zusammenarbeit, insbesondere die Aufgaben der "
            "federführenden Körperschaft und die Tragung der Eigenanteile, wird in einer "
            "Kooperationsvereinbarung geregelt, deren Entwurf dieser Vorlage beigefügt ist."
        )
    facts.append(consortium)

    financing = (
        f"Die zuwendungsfähigen Gesamtausgaben des Vorhabens belaufen sich auf "
        f"{format_eur(grant.eligible_costs)}. Bei einer Förderquote von "
        f"{format_percent(grant.funding_rate)} wird eine Zuwendung in Höhe von "
        f"{format_eur(grant.grant)} beantragt."
    )
    if grant.capped and grant.cap is not None:
        financing += (
            f" Die Zuwendung ist dabei auf den Förderhöchstbetrag des Programms von "
            f"{format_eur(grant.cap)} begrenzt."
        )
    financing += (
        f" Der verbleibende Eigenanteil von {format_eur(grant.own_share)} wird "
        f"{_key_label(plan)} auf die beteiligten Körperschaften aufgeteilt. Auf {_acc(body)} "
        f"entfällt danach ein Anteil von {amount} ({format_percent(share.percent)} des "
        "Eigenanteils). Die Einzelheiten ergeben sich aus dem beigefügten Kosten- und "
        "Finanzierungsplan."
    )
    if programme.call_deadline is not None and programme.call_deadline >= today:
        financing += (
            f" Der Förderantrag ist bis zum {format_date_de(programme.call_deadline)} beim "
            "Zuwendungsgeber einzureichen; eine Beschlussfassung vor diesem Termin ist daher "
            "erforderlich."
        )
    facts.append(financing)

    if is_lead:
        others = "einen der Verbundpartner" if partners else "eine andere Körperschaft"
        alternatives = [
            f"{_cap(_council_organ(body))} stimmt der Beteiligung nicht zu. Da {_nom(body)} das "
            f"Vorhaben federführend beantragt, könnte der Förderantrag in der vorliegenden Form "
            f"nicht gestellt werden. Die Federführung müsste durch {others} übernommen und der "
            "Finanzierungsplan neu aufgestellt werden; andernfalls entfiele das Vorhaben und "
            f"die Zuwendung von bis zu {format_eur(grant.grant)} stünde nicht zur Verfügung.",
        ]
    else:
        alternatives = [
            f"{_cap(_council_organ(body))} stimmt der Beteiligung nicht zu. Der auf "
            f"{_acc(body)} entfallende Eigenanteil von {amount} müsste dann auf die übrigen "
            "Partner umverteilt werden, was deren erneute Zustimmung voraussetzt. Gelingt dies "
            "nicht, kann der Förderantrag nicht wie geplant gestellt werden und die Zuwendung "
            f"von bis zu {format_eur(grant.grant)} stünde nicht zur Verfügung.",
        ]
    if n > 1:
        alternatives.append(
            f"{_cap(_council_organ(body))} beschließt eine Beteiligung mit einem geringeren "
            "Eigenanteil. Dies setzt eine Änderung des Kosten- und Finanzierungsplans und die "
            "Zustimmung aller übrigen Partner voraus und würde die Einreichung des Antrags "
            "verzögern."
        )

    finances = (
        f"Auf {_acc(body)} entfällt ein Eigenanteil in Höhe von bis zu {amount} "
        f"({format_percent(share.percent)} des gesamten Eigenanteils von "
        f"{format_eur(grant.own_share)}). Die Mittel sind über die Laufzeit des Vorhabens in "
        "den Haushaltsplanungen der betreffenden Jahre zu veranschlagen."
    )
    if is_lead:
        finances += (
            f" Als {_applicant(body)} vereinnahmt {_nom(body)} die Zuwendung von bis zu "
            f"{format_eur(grant.grant)} und bewirtschaftet sie nach Maßgabe des "
            "Zuwendungsbescheids und der Kooperationsvereinbarung."
        )
    else:
        finances += (
            f" Die Zuwendung von bis zu {format_eur(grant.grant)} wird von {_dat(lead)} als "
            f"{_applicant(lead)} vereinnahmt und bewirtschaftet."
        )
    personnel = (
        f"Die Projektkoordination erfolgt im Rahmen der bestehenden Personalressourcen der "
        f"{AGENCY}."
        + (
            f" Die Federführung wird von der Verwaltung {_gen(body)} mit vorhandenem Personal "
            "wahrgenommen; zusätzliche Stellen werden nicht eingerichtet."
            if is_lead
            else f" Die Mitwirkung {_gen(body)} an den Arbeitspaketen wird durch die vorhandenen "
            "Fachkräfte der Verwaltung wahrgenommen; zusätzliche Stellen werden nicht "
            "eingerichtet."
        )
    )
    it = (
        f"Die im Vorhaben entstehenden digitalen Lösungen werden mit der IT-Organisation "
        f"{_gen(body)} abgestimmt. Die Anforderungen an Datenschutz und Informationssicherheit "
        "werden bei Beschaffung und Betrieb berücksichtigt."
    )
    climate = (
        "Unmittelbare Auswirkungen auf das Klima sind nicht zu erwarten. Digitale Verfahren "
        "können mittelbar zur Einsparung von Wegen und Papier beitragen."
    )
    return SitzungsvorlageContext(
        number=number,
        date=format_date_de(today),
        body=body.official_name,
        council=body.council,
        draft_note=f"Entwurf der {AGENCY}, Fassung v{version}",
        subject=(
            f"Förderantrag „{app.title}“ im Programm „{programme.name}“: Beteiligung "
            f"{_gen(body)} und Bereitstellung des Eigenanteils"
        ),
        proposal=proposal,
        facts=facts,
        alternatives=alternatives,
        finances=finances,
        personnel=personnel,
        it=it,
        climate=climate,
        competence=competence_sentence(body),
        attachments=[
            f"Projektskizze „{app.title}“",
            f"Kosten- und Finanzierungsplan (Fassung v{version})",
            f"Entwurf der Kooperationsvereinbarung (Fassung v{version})",
        ],
    )


# === 6. Zwischen- und Verwendungsnachweis ======================================================


class NachweisContext(DocumentContext):
    heading: str
    kind_label: str
    final: bool
    reference: str
    date: str
    title: str
    recipient: str
    programme: str
    funder: str
    funder_reference: str
    notice_date: str
    period: str
    reporting_period: str
    granted: str
    income: list[NachweisRow]
    income_total: str
    expenses: list[NachweisRow]
    expenses_total: str
    hints: list[str]
    place: str
    signatory: str
    signing_for: str


NACHWEIS_KINDS = ("zwischennachweis", "verwendungsnachweis")


def _reporting_period(app: ApplicationView, kind: str, year: int | None) -> str:
    start, end = app.period_start, app.period_end
    if kind == "zwischennachweis" and year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        start = max(start, first) if start else first
        end = min(end, last) if end else last
    if start is None or end is None:
        return NOT_RECORDED
    return f"{format_date_de(start)} bis {format_date_de(end)}"


def nachweis_context(
    app: ApplicationView,
    kind: str,
    year: int | None,
    plan: FinancingPlan,
    today: dt.date,
) -> NachweisContext:
    """Zwischennachweis (for *year*) or Verwendungsnachweis draft.

    ``laut Bescheid`` comes from the notice (granted amount) and the plan (own shares,
    eligible costs); the ``laut Abrechnung`` column is left empty for the coordinator.
    """
    if kind not in NACHWEIS_KINDS:
        raise ValueError(
            f"Unbekannte Nachweisart „{kind}“ (erlaubt: Zwischennachweis, Verwendungsnachweis)."
        )
    if kind == "zwischennachweis" and year is None:
        raise ValueError("Für einen Zwischennachweis muss das Berichtsjahr angegeben werden.")
    grant = _checked(plan).grant
    final = kind == "verwendungsnachweis"
    granted = app.granted_cents if app.granted_cents is not None else grant.grant
    income = [
        NachweisRow(
            label=f"Eigenanteil {_plan_body(app, s).official_name}",
            planned=format_eur(s.amount),
            actual="",
        )
        for s in plan.shares
    ]
    income.append(NachweisRow(label="Zuwendung", planned=format_eur(granted), actual=""))
    income_total = grant.own_share + granted
    hints: list[str] = []
    if app.granted_cents is None:
        hints.append(
            "Der bewilligte Betrag ist noch nicht erfasst; eingesetzt ist die beantragte Zuwendung."
        )
    if income_total != grant.eligible_costs:
        hints.append(
            f"Die Einnahmen laut Bescheid ({format_eur(income_total)}) weichen von den "
            f"zuwendungsfähigen Gesamtausgaben ({format_eur(grant.eligible_costs)}) ab. Bitte "
            "den Finanzierungsplan an den Zuwendungsbescheid anpassen."
        )
    period = (
        f"{format_date_de(app.period_start)} bis {format_date_de(app.period_end)}"
        if app.period_start and app.period_end
        else NOT_RECORDED
    )
    return NachweisContext(
        heading="Verwendungsnachweis" if final else f"Zwischennachweis für das Jahr {year}",
        kind_label="Verwendungsnachweis" if final else "Zwischennachweis",
        final=final,
        reference=app.reference,
        date=format_date_de(today),
        title=app.title,
        recipient=app.lead.official_name,
        programme=app.programme.name,
        funder=app.programme.funder,
        funder_reference=app.funder_reference or NOT_RECORDED,
        notice_date=format_date_de(app.notice_date) if app.notice_date else NOT_RECORDED,
        period=period,
        reporting_period=_reporting_period(app, kind, year),
        granted=format_eur(granted),
        income=income,
        income_total=format_eur(income_total),
        expenses=[
            NachweisRow(
                label="Zuwendungsfähige Gesamtausgaben",
                planned=format_eur(grant.eligible_costs),
                actual="",
            )
        ],
        expenses_total=format_eur(grant.eligible_costs),
        hints=hints,
        place=_seat(app.lead),
        signatory=_signatory(app.lead),
        signing_for=_signing_for(app.lead),
    )


# template file name (in templates/) -> context model; merged in models/registry.py
TEMPLATES: dict[str, type[DocumentContext]] = {
    "absichtserklaerung.docx": AbsichtserklaerungContext,
    "foerderantrag.docx": FoerderantragContext,
    "finanzierungsplan.docx": FinanzierungsplanContext,
    "kooperationsvereinbarung.docx": KooperationsvereinbarungContext,
    "sitzungsvorlage.docx": SitzungsvorlageContext,
    "nachweis.docx": NachweisContext,
}
MAILS: dict[str, type[MailContext]] = {}
