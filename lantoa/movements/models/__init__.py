from lantoa.movements.models.activities import *  # noqa: F403
from lantoa.movements.models.catalog import *  # noqa: F403
from lantoa.movements.models.deeds import *  # noqa: F403
from lantoa.movements.models.initiatives import *  # noqa: F403
from lantoa.movements.models.movements import *  # noqa: F403
