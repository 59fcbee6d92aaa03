from lantoa.public.models.comments import *  # noqa: F403
from lantoa.public.models.stories import *  # noqa: F403
