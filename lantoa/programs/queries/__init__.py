"""Read-side queries of lantoa.programs, one module per area; every figure from the records."""
