"""Builders of good and malicious uploads for the file-reading tests (built in the tests,
never committed as binaries)."""
