"""Where two JSON documents differ, as dotted paths: a conflict names fields, never values."""

from typing import Any


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(before.keys() | after.keys()):
            path = f"{prefix}.{key}" if prefix else str(key)
            paths += changed_paths(before.get(key), after.get(key), path)
        return paths
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        paths = []
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            paths += changed_paths(b, a, f"{prefix}[{index}]")
        return paths
    return [] if before == after else [prefix or "(document)"]
