"""Settings shared by the XML court formats (ecf4, ecf5, niem), per jurisdiction:

[jurisdictions.<id>.court.settings.format]
namespaces = { nc = "http://niem.gov/niem/niem-core/2.1" }   # another generation
schema_files = ["schemas/ecf4/CaseResponseMessage.xsd"]      # validate before mapping
max_bytes = 20971520
date_forms = ["instant", "day", "month"]                     # year-only refused
court_id = "DCDC"                                            # when documents omit it
[...format.code_lists]                                       # see adapters.code_lists
mode = "extend"
party_roles = { "CW" = "victim", "ADA" = "prosecutor" }
[...format.vendor_extension]                                 # a vendor's CaseAugmentation
namespace = "urn:example:vendor:ecf-extensions"
fields = { domestic_violence = "v:FamilyViolenceFlag", plea = "v:PleaCode" }
[...format.attachment]
mode = "inline"                                              # or "uri" with uri_base
"""

from pathlib import Path
from typing import Literal, Self

from lxml import etree
from pydantic import Field, PrivateAttr, field_validator, model_validator

from adapters.code_lists import CodeLists, CodeListSettings
from adapters.dates import Precision
from adapters.registry import PluginSettings
from adapters.xml.hardened import DEFAULT_MAX_BYTES, XmlLimits, load_schema

VENDOR_FIELDS = ("domestic_violence", "plea", "severity", "referred_on", "notes")


class VendorExtension(PluginSettings):
    """A vendor's own `CaseAugmentation`: its namespace (bound to the prefix `v`) and,
    per field of ours, the path inside the augmentation where the vendor keeps it."""

    namespace: str = Field(min_length=1)
    element: str = "CaseAugmentation"
    fields: dict[str, str] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(fields) - set(VENDOR_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(unknown)}; known: {', '.join(VENDOR_FIELDS)}"
            )
        return fields


class AttachmentPolicy(PluginSettings):
    """How a filing carries its PDF: inline as base64, or by a URI under `uri_base`
    (for courts whose gateways refuse large SOAP bodies)."""

    mode: Literal["inline", "uri"] = "inline"
    uri_base: str | None = None

    @model_validator(mode="after")
    def _uri_needs_base(self) -> Self:
        if self.mode == "uri" and not self.uri_base:
            raise ValueError("attachment.mode 'uri' needs attachment.uri_base")
        return self


class XmlFormatSettings(PluginSettings):
    namespaces: dict[str, str] = Field(
        default_factory=dict, description="Prefix -> namespace URI, overriding the format's."
    )
    schema_files: list[Path] = Field(default_factory=list)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0)
    date_forms: list[Precision] = Field(default_factory=lambda: list(Precision), min_length=1)
    court_id: str | None = None
    code_lists: CodeListSettings = CodeListSettings()
    vendor_extension: VendorExtension | None = None
    attachment: AttachmentPolicy = AttachmentPolicy()
    _codes: CodeLists | None = PrivateAttr(default=None)

    @field_validator("schema_files")
    @classmethod
    def _schemas_load(cls, paths: list[Path]) -> list[Path]:
        for path in paths:
            try:
                load_schema(path.absolute())
            except ValueError as e:
                raise ValueError(str(e)) from None
        return paths

    def limits(self) -> XmlLimits:
        return XmlLimits(max_bytes=self.max_bytes)

    def xml_schema(self) -> etree.XMLSchema | None:
        # The first file is the entry point; the rest are what it imports.
        return load_schema(self.schema_files[0].absolute()) if self.schema_files else None

    def code_table(self) -> CodeLists:
        # Built once per settings: normalising the tables for every document cost a
        # tenth of a referral's parse (bench/adapters.py).
        if self._codes is None:
            self._codes = CodeLists(self.code_lists)
        return self._codes
