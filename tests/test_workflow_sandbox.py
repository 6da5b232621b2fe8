"""What passing `domain` and `workflows` through the worker's sandbox must not cost.

The sandbox guards the clock, randomness and the environment by handing workflow code
restricted copies of `datetime`, `time`, `random` and `os`; a module passed through keeps
the real ones, and is shared by every workflow run in the worker. So the code of the
passed-through packages is read here instead: no clock, randomness, environment or I/O
but the workflow's own (`workflow.now()`, activities), and no module-level or class-level
value that a run could change and the next run, or a replay, would then see.
"""

import ast
import dataclasses
import enum
import importlib
import inspect
import pkgutil
import types
from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path, PurePath
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import SearchAttributeKey
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

import workflows
from diversion.worker import PASSED_THROUGH, workflow_runner

ROOT = Path(__file__).resolve().parents[1]

# Modules whose use in workflow code is non-deterministic or I/O.
FORBIDDEN_MODULES = {
    "time", "random", "uuid", "secrets", "os", "sys", "io", "shutil", "glob", "socket",
    "subprocess", "threading", "multiprocessing", "urllib", "http", "httpx", "requests",
    "logging", "tempfile",
}  # fmt: skip
FORBIDDEN_BUILTINS = {"open", "input", "print", "exec", "eval", "breakpoint"}
CLOCK_CALLS = {"now", "utcnow", "today", "fromtimestamp", "utcfromtimestamp"}
FILE_CALLS = {"read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink"}
# Config loading, which a worker runs before any workflow and no workflow calls.
FILE_READS_ALLOWED = {("domain/policy.py", "read_text")}

# Calls that change a container or an object in place.
MUTATING_METHODS = {
    "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update",
    "setdefault", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update", "sort", "reverse", "__setitem__", "__delitem__",
    "__setattr__",
}  # fmt: skip
# Class attributes kept by pydantic and enum themselves, never by our code.
LIBRARY_CLASS_ATTRIBUTES = {
    "model_config",
    "_member_map_",
    "_member_names_",
    "_unhashable_values_",
    "_value2member_map_",
}
IMMUTABLE_TYPES = (
    str, bytes, int, float, bool, tuple, frozenset, type(None), enum.Enum, timedelta,
    timezone, PurePath, TypeVar, types.UnionType, SearchAttributeKey,
)  # fmt: skip


def _modules() -> Iterator[types.ModuleType]:
    for package in PASSED_THROUGH:
        root = importlib.import_module(package)
        yield root
        for found in pkgutil.walk_packages(root.__path__, f"{package}."):
            yield importlib.import_module(found.name)


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for package in PASSED_THROUGH:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            yield relative, ast.parse(path.read_text(encoding="utf-8"), relative)


def _immutable(value: Any) -> bool:
    if isinstance(value, IMMUTABLE_TYPES) or inspect.ismodule(value) or callable(value):
        return True
    if isinstance(value, BaseModel):
        return bool(value.model_config.get("frozen"))
    if dataclasses.is_dataclass(value):
        params: Any = getattr(type(value), "__dataclass_params__", None)
        return bool(params is not None and params.frozen)
    return False


def shared_values() -> dict[str, str]:
    """Every module-level or class-level value of the passed-through packages that could be
    changed in place: its name, and where it is."""
    found: dict[str, str] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for attribute, held in vars(value).items():
                    if attribute.startswith("__") or attribute in LIBRARY_CLASS_ATTRIBUTES:
                        continue
                    if not _immutable(held) and not isinstance(held, (classmethod, staticmethod)):
                        found[attribute] = f"{module.__name__}.{name}.{attribute}"
            elif not _immutable(value):
                found[name] = f"{module.__name__}.{name}"
    return found


def _root_name(node: ast.expr) -> str | None:
    """`X` for `X`, `X[...]`, `X.y`, `m.X[...]`: the name a change would land in (the last
    attribute of a module path counts too, as in `report_words.STAGES[...]`)."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id not in {"self", "cls"}:
                return node.attr if node.attr.isupper() else node.value.id
            return node.attr
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changes_to(names: set[str], tree: ast.Module) -> list[str]:
    """Statements of `tree` that change one of `names` in place, or declare a global."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Global | ast.Nonlocal):
            found.append(f"line {node.lineno}: global {', '.join(node.names)}")
        elif isinstance(node, ast.Assign | ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATING_METHODS
        ):
            targets = [node.func.value]
        for target in targets:
            if isinstance(target, ast.Subscript | ast.Attribute) or isinstance(node, ast.Call):
                name = _root_name(target)
                if name in names:
                    found.append(f"line {node.lineno}: changes {name}")
    return found


def test_no_shared_value_of_the_passed_through_packages_is_ever_changed() -> None:
    shared = shared_values()
    # The lookup tables (report words, policy defaults) are among them: they must be found.
    assert "STAGES" in shared and "_BY_NAME" in shared, sorted(shared)
    changed = [
        f"{path} {change} ({shared.get(change.rpartition(' ')[2], 'global')})"
        for path, tree in _sources()
        for change in changes_to(set(shared), tree)
    ]
    assert not changed, "\n".join(changed)


def test_a_change_to_a_shared_table_is_found() -> None:
    code = "def f():\n    STAGES['x'] = 1\n    report_words.STAGES.update(y=2)\n    TABLE.sort()"
    assert len(changes_to({"STAGES", "TABLE"}, ast.parse(code))) == 3
    reads = "def f(s):\n    s.stages = {}\n    x = STAGES[1]"
    assert changes_to({"STAGES"}, ast.parse(reads)) == []


def _clock_randomness_and_io(path: str, tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                if module.partition(".")[0] in FORBIDDEN_MODULES:
                    yield f"{path}:{node.lineno} imports {module}"
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                yield f"{path}:{node.lineno} calls {func.id}()"
            elif isinstance(func, ast.Attribute):
                receiver = func.value.id if isinstance(func.value, ast.Name) else None
                if func.attr in CLOCK_CALLS and receiver != "workflow":
                    yield f"{path}:{node.lineno} reads the clock ({func.attr}())"
                if func.attr in FILE_CALLS and (path, func.attr) not in FILE_READS_ALLOWED:
                    yield f"{path}:{node.lineno} does file I/O ({func.attr}())"


def test_passed_through_code_reads_no_clock_randomness_or_environment() -> None:
    found = [line for path, tree in _sources() for line in _clock_randomness_and_io(path, tree)]
    assert not found, "\n".join(found)


def test_the_check_finds_what_the_sandbox_would_have_refused() -> None:
    code = (
        "import random\nfrom os import environ\nfrom datetime import datetime\n"
        "def f(path):\n    datetime.now()\n    workflow.now()\n    open('x')\n    path.read_text()"
    )
    found = list(_clock_randomness_and_io("workflows/x.py", ast.parse(code)))
    assert [line.partition(" ")[2] for line in found] == [
        "imports random",
        "imports os",
        "reads the clock (now())",
        "calls open()",
        "does file I/O (read_text())",
    ]


# -- the runner ---------------------------------------------------------------------------------


def test_the_worker_passes_the_domain_and_the_workflows_through() -> None:
    runner = workflow_runner()
    assert isinstance(runner, SandboxedWorkflowRunner)
    passed = runner.restrictions.passthrough_modules
    assert {"domain", "workflows", "pydantic"} <= passed
    # The rest of the sandbox is the default one: restricted members, builtins and all.
    assert runner.restrictions.invalid_module_members is not None
    assert not runner.restrictions.passthrough_all_modules


@pytest.mark.parametrize("cls", workflows.WORKFLOWS)
async def test_a_workflow_run_reuses_the_worker_s_classes(cls: type) -> None:
    """Passed through, a run's workflow class is the worker's own, not one imported again
    (which re-ran `@workflow.defn` over every member: the cost this removes)."""
    definition = workflow._Definition.must_from_class(cls)
    runner = workflow_runner()
    runner.prepare_workflow(definition)  # what the worker does once, at start
    details = _details(definition)
    instance: Any = runner.create_instance(details)
    assert instance.globals_and_locals["__temporal_workflow_class"] is cls
    sandboxed: Any = SandboxedWorkflowRunner().create_instance(details)
    assert sandboxed.globals_and_locals["__temporal_workflow_class"] is not cls


def _details(definition: Any) -> Any:
    from temporalio.api.common.v1 import Payloads
    from temporalio.api.failure.v1 import Failure
    from temporalio.converter import DataConverter
    from temporalio.worker import WorkflowInstanceDetails
    from temporalio.worker.workflow_sandbox._runner import _fake_info

    return WorkflowInstanceDetails(
        payload_converter_factory=DataConverter.default._new_payload_converter,
        failure_converter_class=DataConverter.default.failure_converter_class,
        interceptor_classes=[],
        defn=definition,
        info=_fake_info,
        randomness_seed=-1,
        extern_functions={},
        disable_eager_activity_execution=False,
        worker_level_failure_exception_types=[],
        patch_activation_callback=None,
        last_completion_result=Payloads(),
        last_failure=Failure(),
    )
