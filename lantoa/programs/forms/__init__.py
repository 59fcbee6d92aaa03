"""Forms of lantoa.programs, one module per area."""
