"""The settings every police adapter shares: how it matches persons to participants and
classifies incidents (see `domain.incident_risk` for the code defaults and why)."""

from pydantic import Field, field_validator

from adapters.registry import PluginSettings
from domain.incident_risk import (
    DEFAULT_DV_CIRCUMSTANCES,
    DEFAULT_DV_OFFENSES,
    DEFAULT_ORDER_BREACHES,
    IncidentRules,
)
from domain.incidents import Relationship
from domain.person_match import DEFAULT_MATCH_KEYS, check_match_keys


class IncidentScreeningSettings(PluginSettings):
    """How a police adapter matches persons and classifies incidents; every police
    adapter's settings share these (see `domain.incident_risk` for the code defaults)."""

    match_keys: list[list[str]] = Field(
        default_factory=lambda: [list(key) for key in DEFAULT_MATCH_KEYS]
    )
    relationship_codes: dict[str, Relationship] = Field(default_factory=dict)
    dv_offense_codes: frozenset[str] = DEFAULT_DV_OFFENSES
    dv_circumstance_codes: frozenset[str] = DEFAULT_DV_CIRCUMSTANCES
    order_breach_codes: frozenset[str] = DEFAULT_ORDER_BREACHES
    threat_to_kill_codes: frozenset[str] = frozenset()

    @field_validator("match_keys")
    @classmethod
    def _never_by_name_alone(cls, keys: list[list[str]]) -> list[list[str]]:
        check_match_keys(keys)
        return keys

    def rules(self) -> IncidentRules:
        return IncidentRules(
            dv_offense_codes=self.dv_offense_codes,
            dv_circumstance_codes=self.dv_circumstance_codes,
            order_breach_codes=self.order_breach_codes,
            threat_to_kill_codes=self.threat_to_kill_codes,
        )
