"""A repeat referral is never an oracle of the victim's contact details (issue 17,
finding 5). A clerk can rebuild a referral from the view the clerk is shown and post it
again with a guessed phone or address: whether the guess is right or wrong, the answer
is the same 200, and no conflict names a contact field. New details go to the victim
advocate as a task; they replace the case's only if the advocate says so."""

import copy
import uuid
from typing import Any

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import SCREENING, Walk, referral

CONTACT = {
    "phone": "+1 555 0142 866",
    "email": "aroha.test@example.invalid",
    "address": "4 Kōwhai Terrace, Demo City",
    "safe_times_to_call": "weekday mornings",
}
GUESS = {**CONTACT, "phone": "+1 555 0100 000"}


def with_contact(document: dict[str, Any], contact: dict[str, str]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["victim"]["contact"] = dict(contact)
    return changed


async def refer(api: Api, document: dict[str, Any]) -> Any:
    return await api.http.post("/v1/referrals", json=document, headers=api.auth(Role.CLERK))


async def advocate_view(api: Api, case_id: str) -> dict[str, Any]:
    response = await api.http.get(f"/v1/cases/{case_id}", headers=api.auth(Role.VICTIM_ADVOCATE))
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view


async def test_a_right_and_a_wrong_guess_get_the_same_answer(api: Api) -> None:
    original = referral(f"CR-GUESS-{uuid.uuid4().hex[:8]}")
    original["victim"] = {"given_name": "Aroha", "family_name": "Ngata", "contact": CONTACT}
    first = await refer(api, original)
    assert first.status_code == 201, first.text
    # What a clerk can rebuild: everything but the contact details, which it never sees.
    clerk_view = await api.http.get(first.headers["location"], headers=api.auth(Role.CLERK))
    assert "0142 866" not in clerk_view.text

    right = await refer(api, with_contact(original, CONTACT))
    wrong = await refer(api, with_contact(original, GUESS))
    empty = await refer(api, with_contact(original, {}))

    assert right.status_code == wrong.status_code == empty.status_code == 200, wrong.text
    assert right.json() == wrong.json() == empty.json()
    for answer in (right, wrong, empty):
        assert "0142 866" not in answer.text and "0100 000" not in answer.text


async def test_a_conflict_never_names_a_contact_field(api: Api) -> None:
    original = referral(victim={"given_name": "Aroha", "family_name": "Ngata", "contact": CONTACT})
    assert (await refer(api, original)).status_code == 201
    other = with_contact(original, GUESS) | {"plea": "not_guilty"}

    conflict = await refer(api, other)

    assert conflict.status_code == 409, conflict.text
    assert conflict.json()["differing_fields"] == ["plea"]
    assert "contact" not in conflict.text and "0100 000" not in conflict.text


async def test_new_details_reach_the_advocate_as_a_task_and_change_nothing_until_taken(
    api: Api,
) -> None:
    original = referral(victim={"given_name": "Aroha", "family_name": "Ngata", "contact": CONTACT})
    walk = Walk(api, (await refer(api, original)).json()["case"]["case_id"])
    await walk.wait_for("screen_case")

    assert (await refer(api, with_contact(original, GUESS))).status_code == 200
    assert (await refer(api, with_contact(original, GUESS))).status_code == 200  # once only

    task_id = await walk.wait_for("review_victim_contact")
    seen = await advocate_view(api, walk.case_id)
    assert seen["referral"]["victim"]["contact"]["phone"] == CONTACT["phone"]  # not applied
    assert seen["proposed_victim_contact"]["phone"] == GUESS["phone"]
    reviews = [t for t in seen["tasks"] if t["kind"] == "review_victim_contact"]
    assert [t["roles"] for t in reviews] == [["victim_advocate"]]
    staff = await api.http.get(f"/v1/cases/{walk.case_id}", headers=api.auth(Role.COORDINATOR))
    assert "0100 000" not in staff.text and "proposed_victim_contact" not in staff.text

    done = await api.http.post(
        f"/v1/tasks/{task_id}/complete",
        json={"kind": "review_victim_contact", "use_new_contact": True},
        headers=api.auth(Role.VICTIM_ADVOCATE),
    )

    assert done.status_code == 200, done.text
    taken = await advocate_view(api, walk.case_id)
    assert taken["referral"]["victim"]["contact"]["phone"] == GUESS["phone"]
    assert taken["proposed_victim_contact"] is None
    # The details it now holds are no news: a repeat with them opens nothing.
    assert (await refer(api, with_contact(original, GUESS))).status_code == 200
    again = await advocate_view(api, walk.case_id)
    assert [t["kind"] for t in again["tasks"]].count("review_victim_contact") == 1


async def test_a_closed_case_answers_a_repeat_with_new_details_the_same(api: Api) -> None:
    original = referral(victim={"given_name": "Aroha", "family_name": "Ngata", "contact": CONTACT})
    walk = Walk(api, (await refer(api, original)).json()["case"]["case_id"])
    await walk.complete(Role.COORDINATOR, "screen_case", {**SCREENING, "plea": "none"})
    await walk.until_closed()
    await api.client.get_workflow_handle(walk.case_id).result()

    right = await refer(api, with_contact(original, CONTACT))
    wrong = await refer(api, with_contact(original, GUESS))

    assert right.status_code == wrong.status_code == 200, wrong.text
    assert right.json() == wrong.json()
