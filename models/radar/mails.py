"""Mail contexts of the radar (``templates/mail/radar_*.txt``): finished German strings, the
templates only place them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from models.mail import MailContext

DIGEST_TEMPLATE = "radar_wochenueberblick.txt"
IMMEDIATE_TEMPLATE = "radar_sofort.txt"


class RadarItem(BaseModel):
    """One call as a mail shows it: who may apply, rate, deadline, source."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    title: str
    programme: str
    funder: str
    applicants: str  # "Gemeinde, Kreis"
    rate: str  # "bis 90 %" or "keine Angabe"
    deadline: str  # "31.03.2027 (in 114 Tagen)" or "laufend"
    source: str  # attribution incl. licence
    url: str
    checked: str  # "zuletzt geprüft 01.12.2026"
    score: int | None = None
    reasons: str = ""
    changes: list[str] = Field(default_factory=list)  # "Frist: 31.03.2027 → 30.06.2027"


class RadarDigestContext(MailContext):
    body_name: str
    week_text: str  # "Woche vom 07.12.2026"
    new_items: list[RadarItem]
    changed_items: list[RadarItem]
    deadline_items: list[RadarItem]
    window_days: int
    ui_url: str


class RadarImmediateContext(MailContext):
    body_name: str
    item: RadarItem
    project: str  # "HF2-01 · Gemeinsames Serviceportal …"
    field: str
    threshold: int
    ui_url: str


MAILS: dict[str, type[MailContext]] = {
    DIGEST_TEMPLATE: RadarDigestContext,
    IMMEDIATE_TEMPLATE: RadarImmediateContext,
}
