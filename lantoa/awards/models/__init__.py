from lantoa.awards.models.catalog import *  # noqa: F403
from lantoa.awards.models.ceremonies import *  # noqa: F403
from lantoa.awards.models.decisions import *  # noqa: F403
from lantoa.awards.models.nominations import *  # noqa: F403
from lantoa.awards.models.rounds import *  # noqa: F403
from lantoa.awards.models.votes import *  # noqa: F403
