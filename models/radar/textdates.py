"""Deadlines from the free text of a programme (Förderdatenbank: mostly the Fristen text).

Only an unambiguous deadline is taken: a sentence with a deadline cue ("bis zum", "Stichtag",
"Frist", "spätestens", "einzureichen") and exactly one date in it, and no other such sentence
with a different date. The date is always marked as *extracted*, and the sentence it came from
is kept, so a reader can check it against the source.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
_NUMERIC = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b")
_WORDED = re.compile(
    r"\b(\d{1,2})\.\s?(" + "|".join(MONTHS) + r")\s+(\d{4})\b",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\b(bis\s+(?:zum|spätestens|einschließlich)?|stichtag|einreichungsfrist|antragsfrist|"
    r"frist|spätestens|einsendeschluss|bewerbungsschluss|einzureichen|endet\s+am|"
    r"deadline)\b",
    re.IGNORECASE,
)
# sentence ends: a full stop after a word (not after a day or month number), ! ? ; or a line
_SENTENCE = re.compile(
    r"(?<=[a-zäöüß\)])[.!?;]\s+|(?<=\d{4})\.\s+(?=[A-ZÄÖÜ])|[!?;]\s+|\n+", re.IGNORECASE
)


class ExtractedDeadline(BaseModel):
    model_config = ConfigDict(frozen=True)

    date: dt.date
    sentence: str


def _dates(sentence: str) -> list[dt.date]:
    found: list[dt.date] = []
    for day, month, year in _NUMERIC.findall(sentence):
        y = int(year) + (2000 if len(year) == 2 else 0)
        try:
            found.append(dt.date(y, int(month), int(day)))
        except ValueError:
            continue
    for day, month, year in _WORDED.findall(sentence):
        try:
            found.append(dt.date(int(year), MONTHS[month.lower()], int(day)))
        except ValueError:
            continue
    return found


def sentences(text: str) -> list[str]:
    return [" ".join(part.split()) for part in _SENTENCE.split(text) if part and part.strip()]


def extract_deadline(*texts: str) -> ExtractedDeadline | None:
    """The one deadline the texts name, with its sentence; ``None`` when there is none or the
    texts name several different ones."""
    candidates: list[ExtractedDeadline] = []
    for text in texts:
        for sentence in sentences(text or ""):
            if not _CUE.search(sentence):
                continue
            dates = set(_dates(sentence))
            if len(dates) == 1:
                candidates.append(ExtractedDeadline(date=dates.pop(), sentence=sentence))
            elif len(dates) > 1:
                return None  # "vom 01.02. bis 31.03.": a period, or several dates – ambiguous
    distinct = {c.date for c in candidates}
    if len(distinct) != 1:
        return None
    return candidates[0]
