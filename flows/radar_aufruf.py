"""radar-aufruf: a coordinator records a call seen in a newsletter or on a ministry's page."""

from __future__ import annotations

from prefect import flow

from foerderflow.wiring import get_services
from models.forms import (
    OptionalDateField,
    OptionalEuroField,
    OptionalIntField,
    OptionalTextField,
    form_field,
    today_berlin,
    validate_input,
)
from models.radar.catalogue import ApplicantType, CallStatus, DeadlineModel
from models.radar.inputs import CallEntryInput
from tasks.menu import refresh_menu
from tasks.notify import notify_failure
from tasks.radar.steps import entry_task, publish_import_summary
from tasks.radar.store import ImportReport


@flow(
    name="radar-aufruf",
    description="Förder-Radar: einen Förderaufruf von Hand erfassen (z. B. aus einem "
    "Newsletter); eine geänderte Frist oder Quote wird als Änderung festgehalten.",
    validate_parameters=False,
    on_failure=[notify_failure],
)
def radar_aufruf(
    programme_title: str = form_field(CallEntryInput, "programme_title"),
    title: str = form_field(CallEntryInput, "title"),
    funder: str = form_field(CallEntryInput, "funder"),
    url: str = form_field(CallEntryInput, "url"),
    status: CallStatus = form_field(CallEntryInput, "status"),
    deadline_model: DeadlineModel = form_field(CallEntryInput, "deadline_model"),
    deadline: OptionalDateField = form_field(CallEntryInput, "deadline"),
    open_date: OptionalDateField = form_field(CallEntryInput, "open_date"),
    applicant_types: list[ApplicantType] = form_field(CallEntryInput, "applicant_types"),
    regions: list[str] = form_field(CallEntryInput, "regions"),
    themes: list[str] = form_field(CallEntryInput, "themes"),
    keywords: list[str] = form_field(CallEntryInput, "keywords"),
    rate_percent: OptionalEuroField = form_field(CallEntryInput, "rate_percent"),
    max_grant_eur: OptionalEuroField = form_field(CallEntryInput, "max_grant_eur"),
    min_partners: OptionalIntField = form_field(CallEntryInput, "min_partners"),
    summary: str = form_field(CallEntryInput, "summary"),
    call_id: OptionalTextField = form_field(CallEntryInput, "call_id"),
    entered_by: str = form_field(CallEntryInput, "entered_by"),
) -> ImportReport:
    raw = {
        "programme_title": programme_title,
        "title": title,
        "funder": funder,
        "url": url,
        "status": status,
        "deadline_model": deadline_model,
        "deadline": deadline,
        "open_date": open_date,
        "applicant_types": applicant_types,
        "regions": regions,
        "themes": themes,
        "keywords": keywords,
        "rate_percent": rate_percent,
        "max_grant_eur": max_grant_eur,
        "min_partners": min_partners,
        "summary": summary,
        "call_id": call_id or None,
        "entered_by": entered_by,
    }
    data = validate_input(CallEntryInput, raw, what="Förderaufruf")
    report = entry_task(data, today_berlin())
    from models.mail import DeliveryReport

    publish_import_summary(report, 0, DeliveryReport(), 0)
    refresh_menu(get_services().sessions)
    return report
