"""The OpenAPI links (api/links.py) name operations and parameters that exist."""

import re

from api.links import LINKS
from tests.api.conftest import Api

EXPRESSION = re.compile(r"\$(response\.body#/[\w/]+|request\.path\.\w+)")


def test_every_link_leads_to_an_operation_with_the_parameters_it_fills(api: Api) -> None:
    document = api.app.openapi()
    operations = {
        operation["operationId"]: operation
        for item in document["paths"].values()
        for operation in item.values()
    }
    linked = 0
    for (source, statuses), links in LINKS.items():
        for status in statuses:
            documented = operations[source]["responses"][status]["links"]
            assert set(documented) == set(links), (source, status)
            for name, link in documented.items():
                target = operations[link["operationId"]]
                path_parameters = {
                    p["name"] for p in target.get("parameters", []) if p["in"] == "path"
                }
                assert set(link["parameters"]) == path_parameters, (source, name)
                for expression in link["parameters"].values():
                    assert re.fullmatch(
                        r"\$(response\.body#/[\w/]+|request\.path\.\w+)", expression
                    )
                linked += 1
    assert linked >= 20
    # The walk staff take: referral -> case -> task -> completion -> withdrawal.
    referral = operations["create_referral"]["responses"]["201"]["links"]
    assert {"GetCase", "ListMyTasks", "WithdrawConsent"} <= set(referral)
    assert "CompleteFirstTask" in operations["list_my_tasks"]["responses"]["200"]["links"]
