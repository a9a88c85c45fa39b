"""newsletter-entwurf → newsletter-versand in-process: the draft only to the central
coordination (HTML with a plain-text alternative, the editorial escaped), the release to
every body's contact address exactly once, editions numbered."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from support import inbox

from flows.newsletter_entwurf import newsletter_entwurf
from flows.newsletter_versand import newsletter_versand
from foerderflow.inbox import LocalInbox
from foerderflow.wiring import Services
from models.money import format_eur
from models.tables import Application, Body, Deadline, Programme
from models.tables_reporting import NewsletterEdition

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.xdist_group("harness")]

CENTRAL = "koordination@digitalagentur-coe.example"
DAY = dt.date(2031, 5, 4)
EDITORIAL = "Liebe Kolleginnen & Kollegen,\n<b>neu</b>: der Förder-Radar kommt."


def _parts(message) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html


def _news(services: Services) -> None:
    with services.sessions.begin() as session:
        olfen = session.scalar(select(Body).where(Body.name == "Olfen"))
        programme = session.scalar(select(Programme).where(Programme.name == "Heimat 2.0"))
        assert olfen is not None and programme is not None
        session.add(
            Application(
                reference="FA-2031-001", year=2031, stage="bewilligt", title="Dorf-App <Olfen>",
                summary="s", lead_body_id=olfen.id, programme_id=programme.id,
                estimated_costs_cents=1, coordinator_email="k@olfen.example", created_by="T",
                fingerprint="n1", granted_cents=12_345_678, notice_date=DAY - dt.timedelta(days=3),
                submitted_on=DAY - dt.timedelta(days=40), requested_grant_cents=13_000_000,
            )
        )  # fmt: skip
        session.add(
            Deadline(
                key="n-d1", kind="zwischennachweis", title="Zwischennachweis FA-2031-001",
                due_date=DAY + dt.timedelta(days=20), contact_email="k@olfen.example",
            )
        )  # fmt: skip


def test_draft_then_release_exactly_once(seeded: Services, smtp: LocalInbox) -> None:
    _news(seeded)
    draft = newsletter_entwurf(edition_date=DAY, editorial=EDITORIAL)
    assert dict(draft.facts)["Ausgabe Nr."] == "1"
    ((mail, message),) = inbox(smtp.maildir)
    assert mail.recipients == [CENTRAL]
    assert mail.subject.startswith("ENTWURF") and "Ausgabe 1 vom 04.05.2031" in mail.subject
    plain, html = _parts(message)
    assert "<b>neu</b>" in plain and "&lt;b&gt;neu&lt;/b&gt;" in html and "<b>neu" not in html
    assert "Kolleginnen &amp; Kollegen" in html
    assert "Dorf-App &lt;Olfen&gt;" in html and format_eur(12_345_678) in plain
    assert "24.05.2031" in plain  # the deadline of the next six weeks

    # A changed draft replaces the unreleased edition (same number).
    newsletter_entwurf(edition_date=DAY, editorial="Kurz und gut.")
    assert len(inbox(smtp.maildir)) == 2

    out = newsletter_versand()  # empty form: the latest unreleased edition
    assert dict(out.facts)["Ausgabe Nr."] == "1" and not out.repeated
    assert len(out.outbox_ids) == 12
    with seeded.sessions() as session:
        addresses = sorted(session.scalars(select(Body.email)))
        edition = session.scalar(select(NewsletterEdition))
        assert edition is not None and edition.released_on is not None
    assert len(addresses) == 12
    released = inbox(smtp.maildir)[2:]
    assert sorted(m.recipients[0] for m, _ in released) == addresses
    assert all(not m.subject.startswith("ENTWURF") for m, _ in released)
    plain, html = _parts(released[0][1])
    assert "Kurz und gut." in plain and "Kurz und gut." in html

    again = newsletter_versand()
    assert again.repeated and "nichts zu versenden" in again.headline and not again.outbox_ids
    assert len(inbox(smtp.maildir)) == 14
    same = newsletter_versand(number=1)
    assert same.repeated and len(inbox(smtp.maildir)) == 14

    second = newsletter_entwurf(edition_date=DAY + dt.timedelta(days=30))
    assert dict(second.facts)["Ausgabe Nr."] == "2"
    assert dict(second.facts)["Berichtszeitraum"] == "04.05.2031 bis 03.06.2031"
