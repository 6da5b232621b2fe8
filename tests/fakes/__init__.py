"""Fakes of the systems around the service, run for real (sockets, processes) in tests and
in bench/ (which imports them from here, as it imports tests.jurisdictions)."""
