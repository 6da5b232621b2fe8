from adapters.code_lists import CaseCategory, CodeLists, CodeListSettings, PartyRole


def test_the_default_table_knows_the_usual_spellings() -> None:
    table = CodeLists()
    for code in ("DEF", "Defendant", "dft", "  accused "):
        assert table.party_role(code) is PartyRole.DEFENDANT
    for code in ("VIC", "Complaining Witness", "complaining-witness", "CW"):
        assert table.party_role(code) is PartyRole.VICTIM
    for code in ("Defense Attorney", "DEFENCE_ATTORNEY", "PD"):
        assert table.party_role(code) is PartyRole.DEFENCE_ATTORNEY
    assert table.party_role("ADA") is PartyRole.PROSECUTOR
    assert table.case_category("DV") is CaseCategory.DOMESTIC_VIOLENCE
    assert table.case_category("Family Violence") is CaseCategory.FAMILY_VIOLENCE


def test_an_unknown_code_is_none_not_an_error() -> None:
    assert CodeLists().party_role("ZZQ") is None
    assert CodeLists().case_category("parking") is None


def test_a_jurisdiction_extends_or_overrides_the_defaults() -> None:
    table = CodeLists(
        CodeListSettings(party_roles={"INJ": PartyRole.VICTIM, "CW": PartyRole.OTHER})
    )
    assert table.party_role("inj") is PartyRole.VICTIM
    assert table.party_role("CW") is PartyRole.OTHER
    assert table.party_role("DEF") is PartyRole.DEFENDANT


def test_a_jurisdiction_may_replace_the_defaults() -> None:
    table = CodeLists(CodeListSettings(mode="replace", party_roles={"A": PartyRole.DEFENDANT}))
    assert table.party_role("a") is PartyRole.DEFENDANT
    assert table.party_role("DEF") is None
    assert table.case_category("DV") is None
