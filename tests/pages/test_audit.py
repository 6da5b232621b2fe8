"""The audit log: each page view of a case and each action, by subject, case and time,
readable by admins only, and never holding what was typed."""

from tests.pages.cases import VICTIM_PHONE, refer
from tests.pages.conftest import ADMIN, COORDINATOR, Site
from tests.pages.signing import csrf_token, origin, sign_in

NOTE = "Kept only on the case: a note that must not reach the audit log"


async def test_views_and_actions_are_logged_for_admins(site: Site) -> None:
    async with site.http() as http:
        await sign_in(site, http, COORDINATOR)
        case_id = await refer(site, http)
        page = await http.get(f"/staff/cases/{case_id}/withdrawal")
        await http.get(f"/staff/cases/{case_id}")
        taken = await http.post(
            f"/staff/cases/{case_id}/withdrawal",
            data={"party": "participant", "note": NOTE, "confirm": "yes"}
            | {"csrftoken": csrf_token(page.text)},
            headers=origin(site),
        )
        assert taken.status_code == 303
        assert (await http.get("/staff/admin/audit")).status_code == 403
    async with site.http() as http:
        await sign_in(site, http, ADMIN)
        audit = await http.get("/staff/admin/audit", params={"case_id": case_id})
        assert audit.status_code == 200
        rows = audit.text.split("<tbody>", 1)[1]
        assert rows.count(COORDINATOR.sub) == 2
        assert "viewed case" in rows and "withdrawal" in rows
    logged = (site.settings.data_dir / "audit" / "pages.jsonl").read_text(encoding="utf-8")
    assert case_id in logged
    assert NOTE not in logged and VICTIM_PHONE not in logged
