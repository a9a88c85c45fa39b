import datetime as dt

from foerderflow.wiring import Services
from models.application import IdeaInput
from models.application_inputs import DraftInput
from tasks.idea import record_idea
from tasks.menu import reference_options, with_options

IDEA = {
    "title": "Ein sehr langer Titel für ein Vorhaben, das mehr als sechzig Zeichen braucht",
    "summary": "Eine ausreichend lange Kurzbeschreibung.",
    "lead_body": "Olfen",
    "partner_bodies": ["Senden"],
    "programme": "Heimat 2.0",
    "estimated_costs_eur": 300000,
    "coordinator_email": "k@olfen.example",
    "entered_by": "Anna",
}


def test_dropdown_lists_applications_where_the_step_is_possible(seeded: Services) -> None:
    ref = record_idea(seeded, IdeaInput.model_validate(IDEA), dt.date(2026, 11, 25))
    with seeded.sessions() as session:
        options = reference_options(session)
    assert options["antrag-partnercheck"] == [
        f"{ref.reference} · Ein sehr langer Titel für ein Vorhaben, das mehr als sechzi… (Olfen)"
    ]
    assert options["antrag-zurueckziehen"] == options["antrag-partnercheck"]
    assert options["antrag-freigabe"] == []
    # the label is accepted as the reference by the forms
    label = options["antrag-partnercheck"][0]
    assert DraftInput.model_validate({"reference": label, "entered_by": "Anna"}).reference == (
        ref.reference
    )


def test_schema_gets_enum_or_explanation() -> None:
    schema = {"properties": {"reference": {"type": "string", "pattern": "^FA", "description": "A"}}}
    filled = with_options(schema, ["FA-2026-001 · X (Olfen)"])
    assert filled["properties"]["reference"]["enum"] == ["FA-2026-001 · X (Olfen)"]
    assert "pattern" not in filled["properties"]["reference"]
    empty = with_options(filled, [])
    assert "enum" not in empty["properties"]["reference"]
    assert empty["properties"]["reference"]["description"].endswith(
        "Zurzeit ist kein Antrag in einer passenden Stufe."
    )
    assert schema["properties"]["reference"]["pattern"] == "^FA"  # input not mutated


def test_strategy_forms_offer_open_years_and_the_project_list(seeded: Services) -> None:
    from models.strategy_inputs import StatusEntryInput, year_of
    from tasks.menu import menu_updates
    from tasks.strategy_open import open_cycle

    schema = {
        "properties": {"year": {"type": "integer", "description": "Jahr."}},
        "definitions": {
            "StatusEntryInput": {
                "properties": {"project_code": {"type": "string", "pattern": "^HF"}}
            }
        },
    }
    with seeded.sessions() as session:
        closed = menu_updates(session)["strategie-statusmeldung"](schema)
    assert "enum" not in closed["properties"]["year"]
    assert "keine Fortschreibung offen" in closed["properties"]["year"]["description"]

    from models.strategy_inputs import FortschreibungInput

    open_cycle(
        seeded,
        FortschreibungInput.model_validate({"year": 2027, "entered_by": "Anna"}),
        dt.date(2027, 1, 15),
    )
    with seeded.sessions() as session:
        updates = menu_updates(session)
    opened = updates["strategie-statusmeldung"](closed)
    assert opened["properties"]["year"]["enum"] == ["2027"]  # text: the UI shows 2,027 else
    assert opened["properties"]["year"]["type"] == "string"
    assert opened["properties"]["year"]["description"] == "Jahr."
    codes = opened["definitions"]["StatusEntryInput"]["properties"]["project_code"]["enum"]
    assert len(codes) == 32 and all(" · " in c for c in codes)
    # the chosen dropdown entry is read as its code
    entry = StatusEntryInput.model_validate({"project_code": codes[0], "status": "geplant"})
    assert entry.project_code == codes[0].split(" ")[0]
    idea = updates["antrag-idee"]({"properties": {"project_code": {"pattern": "^HF"}}})
    assert idea["properties"]["project_code"]["enum"] == codes
    assert updates["strategie-beschluss"](schema)["properties"]["year"]["enum"] == ["2027"]
    assert year_of("2027") == 2027 and year_of(2027) == 2027 and year_of("20x7") is None


def test_every_body_field_is_a_dropdown_of_the_bodies_in_the_database(seeded: Services) -> None:
    """The deployments whose forms hold a body field are exactly BODY_STEPS, and the refresh
    puts the bodies of the database into every such field – top level, list entries and the
    fields of nested models (a new project's participants)."""
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    from foerderflow.deployments import read_deployment_file
    from foerderflow.settings import PROJECT_ROOT
    from models.bodies import BODY_DROPDOWN, PROGRAMME_DROPDOWN
    from models.tables import Body
    from tasks.menu import BODY_STEPS, _marked_fields, menu_updates

    specs, _ = read_deployment_file()
    schemas = {
        spec.name: parameter_schema(
            load_flow_from_entrypoint(str(PROJECT_ROOT / spec.entrypoint))
        ).model_dump_for_openapi()
        for spec in specs
    }
    with_bodies = {n for n, s in schemas.items() if list(_marked_fields(s, BODY_DROPDOWN))}
    assert with_bodies == set(BODY_STEPS)
    # programmes are data too: one dropdown, filled from programme.yaml and the table
    with_programmes = {n for n, s in schemas.items() if list(_marked_fields(s, PROGRAMME_DROPDOWN))}
    assert with_programmes == {"antrag-idee"}
    idea = schemas["antrag-idee"]["properties"]
    assert idea["lead_body"]["enum"][0] == "Kreis Coesfeld"  # from the data folder at deploy
    assert idea["partner_bodies"]["items"][BODY_DROPDOWN]

    with seeded.sessions.begin() as session:  # a body added to the data and seeded
        session.add(
            Body(
                slug="musterstadt", name="Musterstadt", official_name="Stadt Musterstadt",
                kind="stadt", council="Rat der Stadt Musterstadt", legal_basis="§ 41 (1) GO NRW",
                email="d@musterstadt.example", population=1000,
            )
        )  # fmt: skip
    with seeded.sessions() as session:
        updates = menu_updates(session)
    for name in BODY_STEPS:
        fields = list(_marked_fields(updates[name](schemas[name]), BODY_DROPDOWN))
        assert fields, name
        for field in fields:
            assert field["enum"][0] == "Kreis Coesfeld" and field["enum"][-1] == "Musterstadt"
            assert len(field["enum"]) == 13
    report = updates["strategie-statusmeldung"](schemas["strategie-statusmeldung"])
    new_project = report["definitions"]["NewProjectInput"]["properties"]["participants"]
    assert new_project["items"]["enum"][-1] == "Musterstadt"
    assert "enum" not in schemas["antrag-idee"]["properties"]["title"]
