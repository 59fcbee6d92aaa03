"""rating models (lantoa.programs)."""

__all__: list[str] = []
