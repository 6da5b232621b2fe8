"""The bench and its parts for bench/lifecycle.py, kept beside it.

A package, not more bench/*.py files: `make bench` runs every one of those as a script.
The script imports it as `lifecycle_parts` (its own folder is on sys.path, as for
bench/http_api.py); bench/ is no package, so `bench.lifecycle_parts` would not import.
For the same reason its modules import bench/baseline_workflow.py, shared_clock.py and
history_shape.py by those top-level names, as the script does: one module, one
`BaselineCase` class, the one the worker registers.
"""
