"""Importers of the Förder-Radar against a small export in the real FDB layout (generated
here, with control characters, soft hyphens, tabs and bad dates), a SEDIA response and our
own YAML/JSONL – read back from the database."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from benchmarks.radar_export import ExportProgramme, write_folder, write_zip
from foerderflow.cli import app
from foerderflow.wiring import Services
from models.errors import InputError
from models.radar.tables import RadarCall, RadarChange, RadarImport, RadarProgramme
from tasks.radar.fdb import read_fdb
from tasks.radar.importing import run_import

TODAY = dt.date(2026, 12, 7)

EXPORT = [
    ExportProgramme(
        path="Bund/BMWE/digitale-kommune.xml",
        slug="digitale-kommune",
        title="Digitale Kommune – Onlinedienste für Bürgerinnen und Bürger",
        summary="Zuschüsse für Kommunen zur Digitalisierung von Verwaltungsleistungen.",
        deadlines_text="Anträge sind bis zum 31.03.2027 beim Projektträger einzureichen. "
        "Weitere Informationen folgen.",
        keywords="Digitalisierung, Verwaltung, Onlinezugang",
        applicants=("kommune",),
        areas=("_bundesweit",),
        themes=("digitalisierung",),
    ),
    ExportProgramme(
        path="Land/NRW/digitale-kommune.xml",  # the same slug at another level
        slug="digitale-kommune",
        title="Digitale Kommune NRW",
        summary="Landesförderung für Kommunen in NRW.",
        keywords="Digitalisierung",
        applicants=("kommune", "oeffentliche_einrichtung"),
        areas=("nordrhein_westfalen",),
        themes=("digitalisierung", "smart_cities_regionen"),
        funders=("land",),
        dirt=True,
    ),
    ExportProgramme(
        path="Land/Bayern/digitales-rathaus.xml",
        slug="digitales-rathaus",
        title="Digitales Rathaus Bayern",
        summary="Nur für bayerische Kommunen.",
        applicants=("kommune",),
        areas=("bayern",),
        funders=("land",),
    ),
    ExportProgramme(
        path="Bund/BMWE/go-digital.xml",
        slug="go-digital",
        title="go-digital",
        summary="Beratung für Unternehmen. Frist: vom 01.02.2027 bis 31.03.2027.",
        deadlines_text="Frist vom 01.02.2027 bis 31.03.2027.",  # two dates: ambiguous
        applicants=("unternehmen", "existenzgruenderin"),
        date_of_expiration="kein Datum",
    ),
]
# The same export with one changed programme: its deadline moves from 31.03. to 30.06.2027.
EXPORT_MOVED_DEADLINE = [replace(EXPORT[0], deadlines_text="Stichtag: 30.06.2027."), *EXPORT[1:]]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "export", EXPORT)


def test_parser_survives_dirt_and_maps_code_lists(export: Path) -> None:
    snapshot = read_fdb(export)
    assert snapshot.full and len(snapshot.programmes) == 4
    by_path = {p.source_ref.split("-id")[0]: p for p in snapshot.programmes}
    # keyed on the path: the repeated slug gives two programmes
    keys = sorted(p.key for p in snapshot.programmes)
    assert "fdb:BMWI/FDB/Content/DE/Foerderprogramm/Land/NRW/digitale-kommune.xml" in keys
    nrw = next(p for p in snapshot.programmes if "NRW" in p.key)
    call = nrw.calls[0]
    assert call.title == "Digitale Kommune NRW"  # soft hyphen and \x02 gone, nothing dropped
    assert "\u00ad" not in call.title and "\x02" not in call.summary
    assert call.keywords == ("Digitalisierung",)
    assert call.open_date is None  # the unparseable timestamp is ignored
    assert call.regions == ("05",)
    assert set(call.applicant_types) >= {"gemeinde", "kreis", "zweckverband"}
    assert call.themes == ("Digitalisierung", "Smart Cities & Regionen")
    assert call.url == (
        "https://www.foerderdatenbank.de/FDB/Content/DE/Foerderprogramm/Land/NRW/"
        "digitale-kommune.html"
    )
    assert nrw.licence == "Quelle: Förderdatenbank des Bundes (BMWE), CC BY-ND 4.0"
    assert nrw.raw["slug"] == "digitale-kommune"
    bund = next(p for p in snapshot.programmes if "Bund/BMWE/digitale" in p.key).calls[0]
    assert bund.deadline == dt.date(2027, 3, 31) and bund.deadline_extracted
    assert bund.deadline_text == "Anträge sind bis zum 31.03.2027 beim Projektträger einzureichen"
    assert bund.regions == ("DE",) and bund.applicant_types == ("gemeinde", "kreis")
    company = next(p for p in snapshot.programmes if "go-digital" in p.key).calls[0]
    assert company.deadline is None and company.status == "rolling"  # ambiguous: no deadline
    assert company.applicant_types == ("unternehmen",)
    assert by_path  # every programme has a source reference


def test_zip_and_folder_give_the_same_snapshot(export: Path, tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip", EXPORT)
    assert read_fdb(archive).programmes == read_fdb(export).programmes


def _counts(services: Services) -> tuple[int, int, int]:
    with services.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(RadarCall)) or 0,
            session.scalar(select(func.count()).select_from(RadarChange)) or 0,
            session.scalar(select(func.count()).select_from(RadarImport)) or 0,
        )


def test_reimport_changes_nothing_and_changes_are_recorded(
    services: Services, tmp_path: Path
) -> None:
    first = write_folder(tmp_path / "a", EXPORT)
    report = run_import(services, str(first), entered_by="Test", today=TODAY)
    assert report.summary_line == "neu=4 geaendert=0 entfallen=0 unveraendert=0"
    again = run_import(services, str(first), entered_by="Test", today=TODAY)
    assert again.summary_line == "neu=0 geaendert=0 entfallen=0 unveraendert=4"
    assert _counts(services) == (4, 4, 2)  # four "neu" changes, nothing from the re-import

    second = write_folder(tmp_path / "b", EXPORT_MOVED_DEADLINE[:3])  # and go-digital gone
    report = run_import(services, str(second), entered_by="Test", today=TODAY)
    assert report.summary_line == "neu=0 geaendert=1 entfallen=1 unveraendert=2"
    with services.sessions() as session:
        change = session.execute(
            select(RadarChange.old_value, RadarChange.new_value, RadarChange.material).where(
                RadarChange.field == "deadline"
            )
        ).one()
        assert tuple(change) == ("2027-03-31", "2027-06-30", True)
        gone = session.scalar(select(RadarCall).where(RadarCall.title == "go-digital"))
        assert gone is not None and gone.entfallen_on == TODAY  # marked, never deleted
        programme = session.scalar(
            select(RadarProgramme).where(RadarProgramme.title == "go-digital")
        )
        assert programme is not None and programme.entfallen_on == TODAY


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kaputt.zip", b"PK\x03\x04 truncated", "keine lesbare ZIP-Datei"),
        ("liste.pdf", b"%PDF-1.4", "Dateityp von liste.pdf wird nicht unterstützt"),
        ("suche.json", b"{not json", "keine gültige JSON-Datei"),
        ("eigene.yaml", b"programme:\n  - slug: X\n", "ungültig"),
    ],
)
def test_bad_input_is_rejected_in_german_and_changes_nothing(
    services: Services, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        run_import(services, str(path), entered_by="Test", today=TODAY)
    assert _counts(services) == (0, 0, 0)


def test_malformed_xml_imports_nothing(services: Services, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    write_zip(archive, EXPORT)
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("BMWI/FDB/Content/DE/Foerderprogramm/Bund/kaputt.xml", "<Foerderprogramm><a>")
    with pytest.raises(InputError, match=r"kaputt.xml ist fehlerhaft \(Zeile 1\)"):
        run_import(services, str(archive), entered_by="Test", today=TODAY)
    assert _counts(services) == (0, 0, 0)


def test_a_dtd_is_refused(services: Services, tmp_path: Path) -> None:
    export = write_folder(tmp_path / "dtd", EXPORT[:1])
    bomb = export / "BMWI/FDB/Content/DE/Foerderprogramm/Bund/bombe.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Foerderprogramm name="x">'
        "&a;</Foerderprogramm>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bombe\.xml enthält eine DTD"):
        run_import(services, str(export), entered_by="Test", today=TODAY)
    assert _counts(services) == (0, 0, 0)


def test_sedia_response_and_own_jsonl(services: Services, tmp_path: Path) -> None:
    response = {
        "totalResults": 2,
        "results": [
            {
                "metadata": {
                    "identifier": ["DIGITAL-2027-CLOUD-AI-01"],
                    "callIdentifier": ["DIGITAL-2027-CLOUD-AI"],
                    "callTitle": ["Cloud, Data and AI"],
                    "title": ["Local digital twins for smart communities"],
                    "status": ["31094502"],
                    "deadlineDate": ["2027-04-15T17:00:00.000+0000"],
                    "startDate": ["2027-01-10T00:00:00.000+0000"],
                    "deadlineModel": ["single-stage"],
                    "frameworkProgramme": ["43152860"],
                    "keywords": ["digital twin", "smart communities"],
                    "type": ["1"],
                    "budgetOverview": [
                        json.dumps(
                            {
                                "budgetTopicActionMap": {
                                    "1": [
                                        {
                                            "action": "DIGITAL-2027-CLOUD-AI-01",
                                            "maxContribution": 5000000,
                                        }
                                    ]
                                }
                            }
                        )
                    ],
                }
            },
            {"metadata": {"identifier": ["TENDER-1"], "type": ["0"]}},
        ],
    }
    path = tmp_path / "suche.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    report = run_import(services, str(path), entered_by="Test", today=TODAY)
    assert report.summary_line == "neu=1 geaendert=0 entfallen=0 unveraendert=0"
    own = tmp_path / "eigene.jsonl"
    own.write_text(
        json.dumps(
            {
                "slug": "newsletter-aufruf",
                "title": "Aufruf aus dem Newsletter",
                "calls": [
                    {"call_id": "nl-2027", "title": "Aufruf 2027", "status": "open",
                     "deadline": "2027-05-01", "rate_percent": 80, "max_grant_eur": 50000}
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert run_import(services, str(own), entered_by="T", today=TODAY).new == 1
    with services.sessions() as session:
        eu = session.scalar(
            select(RadarCall).where(RadarCall.call_id == "DIGITAL-2027-CLOUD-AI-01")
        )
        assert eu is not None
        assert (eu.status, eu.deadline, eu.max_grant_cents) == (
            "open",
            dt.date(2027, 4, 15),
            500_000_000,
        )
        assert eu.regions == ["EU"] and "Digitalisierung" in eu.themes
        nl = session.scalar(select(RadarCall).where(RadarCall.call_id == "nl-2027"))
        assert nl is not None and nl.max_grant_cents == 5_000_000 and nl.source == "manual"


def test_seed_brings_the_sample_catalogue_and_body_keys(seeded: Services) -> None:
    with seeded.sessions() as session:
        calls = {c.call_id: c for c in session.scalars(select(RadarCall))}
        assert len(calls) >= 10
        assert calls["digitale-modellregionen-nrw"].status == "closed"
        heimat = session.scalar(
            select(RadarProgramme).where(RadarProgramme.key == "manual:heimat-2-0")
        )
        assert heimat is not None and heimat.programme_id is not None  # linked to programmes
        from models.tables import Body

        keys = {n: k for n, k in session.execute(select(Body.name, Body.regionalschluessel))}
        assert keys["Kreis Coesfeld"] == "055580000000"
        assert keys["Dülmen"] == "055580016016" and len(set(keys.values())) == 12
    # seeding again (the data file unchanged) reports no change in the catalogue
    report = run_import(seeded, "data/foerderaufrufe.yaml", entered_by="T", today=TODAY)
    assert report.new == report.changed == report.gone == 0


def test_cli_import_last_line(services: Services, export: Path, tmp_path: Path) -> None:
    """`foerderflow radar import`: the export, the same export again, then the export with
    one changed programme; the last line counts each."""

    def last_line(source: Path) -> str:
        result = CliRunner().invoke(app, ["radar", "import", str(source)])
        assert result.exit_code == 0, result.output
        return result.output.strip().splitlines()[-1]

    assert last_line(export) == "neu=4 geaendert=0 entfallen=0 unveraendert=0"
    assert last_line(export) == "neu=0 geaendert=0 entfallen=0 unveraendert=4"
    assert last_line(write_folder(tmp_path / "neu", EXPORT_MOVED_DEADLINE)) == (
        "neu=0 geaendert=1 entfallen=0 unveraendert=3"
    )
    bad = CliRunner().invoke(app, ["radar", "import", str(export / "nicht-da.zip")])
    assert bad.exit_code == 1 and "gibt es nicht" in bad.output
