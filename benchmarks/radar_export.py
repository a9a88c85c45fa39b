"""A synthetic export of the Förderdatenbank des Bundes in the real XML layout (used by the
radar tests and the radar benchmark): one document per programme below
``BMWI/FDB/Content/DE/Foerderprogramm/``, ``<property name="gsb:…">`` with ``<text>`` (escaped
HTML in CDATA), ``<value>`` and a ``ClassifiedLinkLists`` property with xlink hrefs, plus the
dirt of real files on request: control characters, soft hyphens, tabs in keywords and
unparseable timestamps."""

from __future__ import annotations

import html
import random
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

CATEGORIES = "target:/BMWI/SiteGlobals/Categories/FDB"
PROGRAMME_DIR = "BMWI/FDB/Content/DE/Foerderprogramm"


@dataclass(frozen=True)
class ExportProgramme:
    path: str  # below Foerderprogramm/, e.g. "Bund/BMWE/digital-kommunal.xml"
    slug: str
    title: str
    summary: str = ""
    deadlines_text: str = ""  # gsb:procInfluence
    keywords: str = ""
    date_of_issue: str = "2024-01-15T00:00:00.000+01:00"
    date_of_expiration: str = ""
    applicants: tuple[str, ...] = ("kommune",)
    areas: tuple[str, ...] = ("bundesweit",)
    themes: tuple[str, ...] = ("digitalisierung",)
    funding_types: tuple[str, ...] = ("zuschuss",)
    funders: tuple[str, ...] = ("bund",)
    dirt: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _rich(text: str) -> str:
    return f"<text><![CDATA[{html.escape(f'<p>{text}</p>')}]]></text>"


def _classified(classifier: str, codes: tuple[str, ...]) -> str:
    links = "".join(f'<link xlink:href="{CATEGORIES}/{classifier}/{code}"/>' for code in codes)
    return (
        "<classifiedLinkList><classifierLinks>"
        f'<link xlink:href="{CATEGORIES}/Common/{classifier}"/>'
        f"</classifierLinks><links>{links}</links></classifiedLinkList>"
    )


def programme_xml(p: ExportProgramme) -> bytes:
    title, keywords, issue = p.title, p.keywords, p.date_of_issue
    if p.dirt:
        mid = len(title) // 2
        title = title[:mid] + "\u00ad" + title[mid:]  # soft hyphen inside a word
        keywords = keywords.replace(",", ",\t")  # tabs in keywords
        issue = "2024-13-45T99:00"  # an unparseable timestamp
    props = [
        f'<property name="gsb:title">{_rich(title)}</property>',
        f'<property name="gsb:summary">{_rich(p.summary)}</property>',
        f'<property name="gsb:teaserText">{_rich(p.summary[:120])}</property>',
        f'<property name="gsb:requirements">{_rich("Antragsberechtigt sind die genannten Träger.")}'
        "</property>",
        f'<property name="gsb:procInfluence">{_rich(p.deadlines_text)}</property>',
        f'<property name="gsb:keywords"><value>{html.escape(keywords)}</value></property>',
        f'<property name="gsb:externalID"><value>{p.slug}-id</value></property>',
        f'<property name="gsb:dateOfIssue"><value>{issue}</value></property>',
    ]
    if p.date_of_expiration:
        props.append(
            f'<property name="gsb:dateOfExpiration"><value>{p.date_of_expiration}</value>'
            "</property>"
        )
    for name, value in p.extra.items():
        props.append(f'<property name="{name}"><value>{html.escape(value)}</value></property>')
    lists = "".join(
        _classified(name, codes)
        for name, codes in (
            ("Foerderart", p.funding_types),
            ("Foerderbereich", p.themes),
            ("Foerdergebiet", p.areas),
            ("Foerderberechtigte", p.applicants),
            ("Foerdergeber", p.funders),
        )
    )
    props.append(
        '<property name="gsb:classifiers" type="ClassifiedLinkLists">'
        f"<classifiedLinkLists>{lists}</classifiedLinkLists></property>"
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Foerderprogramm name="{p.slug}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        + "".join(props)
        + "</Foerderprogramm>\n"
    )
    data = text.encode("utf-8")
    if p.dirt:
        data = data.replace(b"&lt;p&gt;", b"&lt;p&gt;\x02", 1)  # a stray control character
    return data


def write_folder(root: Path, programmes: list[ExportProgramme]) -> Path:
    for p in programmes:
        target = root / PROGRAMME_DIR / p.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(programme_xml(p))
    codes = root / "BMWI/SiteGlobals/Categories/FDB/Common"
    codes.mkdir(parents=True, exist_ok=True)
    (codes / "Foerderberechtigte.xml").write_text("<codelist/>", encoding="utf-8")
    return root


def write_zip(target: Path, programmes: list[ExportProgramme]) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for p in programmes:
            archive.writestr(f"{PROGRAMME_DIR}/{p.path}", programme_xml(p))
        archive.writestr("BMWI/SiteGlobals/Categories/FDB/Common/Foerderberechtigte.xml", "<x/>")
    return target


LANDS = (
    "nordrhein_westfalen", "bayern", "niedersachsen", "hessen", "sachsen", "de_ni",
    "baden_wuerttemberg", "brandenburg", "thueringen", "berlin",
)  # fmt: skip
THEMES = (
    "digitalisierung", "smart_cities_regionen", "infrastruktur", "mobilitaet",
    "umwelt_naturschutz", "energieeffizienz_erneuerbare_energien", "gesundheit_soziales",
    "aus_weiterbildung", "unternehmensfinanzierung", "forschung_innovation_themenoffen",
    "kultur_medien_sport", "landwirtschaft_laendliche_entwicklung", "staedtebau_stadterneuerung",
)  # fmt: skip
APPLICANTS = (
    "kommune", "unternehmen", "verband_vereinigung", "oeffentliche_einrichtung",
    "privatperson", "forschungseinrichtung", "hochschule", "bildungseinrichtung",
)  # fmt: skip
WORDS = (
    "Digitalisierung", "Breitband", "Verwaltung", "Klimaschutz", "Mobilität", "Schule",
    "Pflege", "Innovation", "Mittelstand", "Dorf", "Energie", "Gründung", "Kultur", "Wasser",
)  # fmt: skip


def synthetic(count: int, seed: int = 7) -> list[ExportProgramme]:
    """``count`` programmes with realistic spread: funding levels, Länder, applicants, themes,
    a quarter with a deadline in the free text, some dirty files, repeated slugs."""
    rng = random.Random(seed)
    out: list[ExportProgramme] = []
    for i in range(count):
        level = rng.choice(("Bund", "Land", "Land", "EU"))
        areas = ("bundesweit",) if level == "Bund" else (rng.choice(LANDS),)
        if level == "EU":
            areas = ("eu",)
        slug = f"programm-{i % (count - 50) if count > 100 else i}"  # some slugs repeat
        words = rng.sample(WORDS, 3)
        deadline = ""
        if rng.random() < 0.25:
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            deadline = f"Anträge sind bis zum {day:02d}.{month:02d}.2027 einzureichen."
        out.append(
            ExportProgramme(
                path=f"{level}/{rng.choice(('BMWE', 'BMBF', 'MWIDE', 'StMD'))}/{slug}-{i}.xml",
                slug=slug,
                title=f"Förderprogramm {words[0]} und {words[1]} Nr. {i}",
                summary=f"Gefördert werden Vorhaben zu {words[0]}, {words[1]} und {words[2]}. " * 4,
                deadlines_text=deadline,
                keywords=", ".join(words),
                applicants=tuple(rng.sample(APPLICANTS, rng.randint(1, 3))),
                areas=areas,
                themes=tuple(rng.sample(THEMES, rng.randint(1, 3))),
                funders=(level.lower() if level != "Land" else "land",),
                dirt=i % 40 == 0,
            )
        )
    return out


def with_changed_deadline(programmes: list[ExportProgramme], index: int) -> list[ExportProgramme]:
    changed = list(programmes)
    changed[index] = replace(
        changed[index], deadlines_text="Stichtag: 30.11.2027 für alle Anträge."
    )
    return changed
