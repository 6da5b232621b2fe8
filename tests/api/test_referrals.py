"""Referrals are idempotent by jurisdiction + court case number, and by Idempotency-Key."""

import uuid
from typing import Any

import pytest

from domain.enums import Role
from tests.api.conftest import Api
from tests.api.walk import Walk, referral
from tests.jurisdictions import OTHER


async def refer(api: Api, document: dict[str, Any], **headers: str) -> Any:
    return await api.http.post(
        "/v1/referrals", json=document, headers=api.auth(Role.CLERK) | headers
    )


async def test_first_201_same_200_different_409_naming_fields(api: Api) -> None:
    document = referral()
    first = await refer(api, document)
    assert first.status_code == 201 and first.json()["created"] is True
    case_id = first.json()["case"]["case_id"]
    assert first.headers["location"] == f"/v1/cases/{case_id}"

    same = await refer(api, document)
    assert same.status_code == 200
    assert same.json()["case"]["case_id"] == case_id and same.json()["created"] is False

    changed = referral(document["court"]["case_number"], plea="not_guilty")
    changed["victim"]["contact"]["phone"] = "+1 555 0100 999"
    conflict = await refer(api, changed)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["type"] == "/problems/conflict" and body["case_id"] == case_id
    # Names the field, never the value; never a contact field (test_repeat_referral_contact).
    assert body["differing_fields"] == ["plea"]
    assert "+1 555 0100 999" not in conflict.text


async def test_same_number_spelled_differently_is_the_same_case(api: Api) -> None:
    number = f"CR-2026-{uuid.uuid4().hex[:6]}"
    first = await refer(api, referral(number))
    respelled = referral(number.lower().replace("-", " "))
    again = await refer(api, respelled)
    assert again.status_code == 409  # same case; the number as written differs
    assert again.json()["case_id"] == first.json()["case"]["case_id"]
    listed = await api.http.get(
        "/v1/cases", params={"court_case_number": number.lower()}, headers=api.auth(Role.JUDGE)
    )
    assert [c["case_id"] for c in listed.json()["items"]] == [first.json()["case"]["case_id"]]


async def test_idempotency_key_replays_the_first_answer_and_refuses_reuse(api: Api) -> None:
    key = f"clerk-batch-{uuid.uuid4().hex}"
    document = referral()
    first = await refer(api, document, **{"Idempotency-Key": key})
    replay = await refer(api, document, **{"Idempotency-Key": key})
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()

    other = await refer(api, referral(), **{"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"

    hostile = await refer(api, referral(), **{"Idempotency-Key": "x' OR '1'='1"})
    assert hostile.status_code == 422 and hostile.json()["type"] == "/problems/validation"


async def test_a_case_number_without_letters_or_digits_is_a_validation_problem(
    api: Api,
) -> None:
    document = referral()
    document["court"]["case_number"] = ","
    refused = await refer(api, document)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"] == "/problems/validation"
    assert "no letters or digits" in refused.json()["detail"]


async def test_who_may_refer_where(api: Api) -> None:
    unknown = await refer(api, referral(jurisdiction="atlantis"))
    assert unknown.status_code == 422 and "atlantis" in unknown.json()["detail"]
    elsewhere = await api.http.post(
        "/v1/referrals", json=referral(), headers=api.auth(Role.CLERK, [OTHER])
    )
    assert elsewhere.status_code == 403 and elsewhere.json()["type"] == "/problems/forbidden"
    judge = await api.http.post("/v1/referrals", json=referral(), headers=api.auth(Role.JUDGE))
    assert judge.status_code == 403
    integrator = await api.http.post(
        "/v1/referrals", json=referral(), headers=api.auth(Role.INTEGRATOR)
    )
    assert integrator.status_code == 201


async def test_a_refused_completion_says_why(api: Api) -> None:
    walk = await Walk.refer(api)
    task_id = await walk.wait_for("screen_case")
    wrong_kind = await api.http.post(
        f"/v1/tasks/{task_id}/complete",
        json={"kind": "safety_plan", "in_place": True},
        headers=api.auth(Role.COORDINATOR),
    )
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["type"] == "/problems/task-rejected"
    assert "screen_case task, not safety_plan" in wrong_kind.json()["detail"]
    unknown_instrument = await api.http.post(
        f"/v1/tasks/{task_id}/complete",
        json={
            "kind": "screen_case",
            "plea": "guilty",
            "responsibility_accepted": True,
            "risk": {"instrument": "CRYSTAL-BALL", "score": 1},
        },
        headers=api.auth(Role.COORDINATOR),
    )
    assert unknown_instrument.status_code == 422
    assert "CRYSTAL-BALL" in unknown_instrument.json()["detail"]
    malformed = await api.http.post(
        f"/v1/tasks/{task_id}/complete",
        json={"kind": "screen_case"},
        headers=api.auth(Role.COORDINATOR),
    )
    assert malformed.status_code == 422 and malformed.json()["type"] == "/problems/validation"
    assert {e["location"] for e in malformed.json()["errors"]} >= {"body.screen_case.plea"}


async def test_case_list_filters_by_stage(api: Api) -> None:
    walk = await Walk.refer(api)
    await walk.wait_for("screen_case")
    closed = await api.http.get(
        "/v1/cases", params={"stage": "closed", "limit": 200}, headers=api.auth(Role.JUDGE)
    )
    assert walk.case_id not in {c["case_id"] for c in closed.json()["items"]}
    bad = await api.http.get("/v1/cases", params={"stage": "nowhere"}, headers=api.auth(Role.JUDGE))
    assert bad.status_code == 422 and bad.json()["errors"][0]["location"] == "query.stage"


async def test_case_list_pages_follow_each_other(api: Api) -> None:
    for _ in range(2):
        await Walk.refer(api)
    first = await api.http.get("/v1/cases", params={"limit": 1}, headers=api.auth(Role.JUDGE))
    cursor = first.json()["next_cursor"]
    assert cursor is not None and len(first.json()["items"]) == 1
    second = await api.http.get(
        "/v1/cases", params={"limit": 1, "cursor": cursor}, headers=api.auth(Role.JUDGE)
    )
    assert second.status_code == 200, second.text
    assert second.json()["items"][0]["case_id"] != first.json()["items"][0]["case_id"]


async def test_a_referral_runs_no_dependency_in_a_worker_thread(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI runs a plain-function dependency in its thread pool: a hand-off that cost
    more than the lookup it ran (api/services.py). Every step of a referral is async."""

    async def no_thread(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"run in a worker thread: {args[0]!r}")

    monkeypatch.setattr("fastapi.dependencies.utils.run_in_threadpool", no_thread)
    monkeypatch.setattr("fastapi.routing.run_in_threadpool", no_thread)

    answer = await refer(api, referral())

    assert answer.status_code == 201
