"""One router per domain area; each asks the same rules and queries as its pages."""
