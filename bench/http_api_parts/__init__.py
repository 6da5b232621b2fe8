"""The phases and helpers of bench/http_api.py, kept beside it.

A package, not more bench/*.py files: `make bench` runs every one of those as a script.
The script imports it as `http_api_parts` (its own folder is on sys.path, as for
bench/worker_rss.py); bench/ is no package, so `bench.http_api_parts` would not import.
"""
