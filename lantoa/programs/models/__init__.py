"""Direction and registration, one module per area (each defines `__all__`)."""

from lantoa.programs.models.catalog import *  # noqa: F403
from lantoa.programs.models.documents import *  # noqa: F403
from lantoa.programs.models.plans import *  # noqa: F403
from lantoa.programs.models.rating import *  # noqa: F403
from lantoa.programs.models.registration import *  # noqa: F403
from lantoa.programs.models.study import *  # noqa: F403
