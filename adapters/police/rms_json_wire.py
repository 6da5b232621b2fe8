"""The JSON a police records system (RMS) sends for an incident, as it arrives: pydantic
models of its fields (described in `adapters.police.rms_json_mapping`), which keep
fields we do not read so `unknown_fields` can warn about each.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Years = Annotated[int, Field(ge=0)]


class _Wire(BaseModel):
    # Kept, not refused: an RMS that adds a field must not stop incidents reaching cases.
    model_config = ConfigDict(extra="allow", frozen=True)


class RmsOffense(_Wire):
    id: str | None = None
    code: str = Field(min_length=1)
    attempted: bool | None = None
    force_codes: list[str] = Field(default_factory=list)


class RmsAgeRange(_Wire):
    min: Years | None = None
    max: Years | None = None


class RmsPerson(_Wire):
    id: str = Field(min_length=1)
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    age: Years | RmsAgeRange | str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)


class RmsRelationship(_Wire):
    subject_id: str = Field(min_length=1)
    relationship: str = Field(min_length=1)


class RmsVictim(_Wire):
    person_id: str = Field(min_length=1)
    type: str | None = None
    injuries: list[str] = Field(default_factory=list)
    circumstances: list[str] = Field(default_factory=list)
    offense_ids: list[str] = Field(default_factory=list)
    relationships: list[RmsRelationship] = Field(default_factory=list)


class RmsSubject(_Wire):
    person_id: str = Field(min_length=1)


class RmsArrestee(_Wire):
    person_id: str = Field(min_length=1)
    arrest_number: str | None = None
    arrested_on: str | None = None
    charges: list[str] = Field(default_factory=list)
    armed_with: list[str] = Field(default_factory=list)


class RmsIncident(_Wire):
    incident_number: str = Field(min_length=1)
    occurred_at: str | None = None
    occurred_on: str | None = None
    reported_on: str | None = None
    offenses: list[RmsOffense] = Field(default_factory=list)
    persons: list[RmsPerson] = Field(default_factory=list)
    victims: list[RmsVictim] = Field(default_factory=list)
    subjects: list[RmsSubject] = Field(default_factory=list)
    arrestees: list[RmsArrestee] = Field(default_factory=list)


def unknown_fields(model: BaseModel, path: str) -> list[str]:
    """A warning per field of `model` (and the models inside it) that we do not read."""
    at = path + "." if path else ""
    found = [f"{at}{name}: not a field we read; ignored" for name in model.model_extra or {}]
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            found += unknown_fields(value, f"{at}{name}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += unknown_fields(item, f"{at}{name}.{n}")
    return found
