"""slipcast: Monte Carlo delivery-date forecasts for project plans.

The engine of the ``slipcast`` command line, for analysts in Python: plans
in as files, DataFrames or lists of dicts; results out as the CLI's JSON
(to the bit, for the same inputs and seed), pandas DataFrames and NumPy
arrays, with an HTML view in notebooks.

>>> import slipcast
>>> f = slipcast.forecast("data/examples/checkout-v2.csv", start="2027-01-04")
>>> f.commitment
'We are 80% confident of delivery by Wed 2027-04-21; the plan date, Thu 2027-04-08, has a 4% chance.'
"""

from ._api import compare, cutline, explain, forecast, forecast_shard, history, merge, validate
from ._errors import PlanError, SlipcastWarning
from ._results import Comparison, Cutline, Explanation, Forecast, History
from ._slipcast import __version__

__all__ = [
    "Comparison",
    "Cutline",
    "Explanation",
    "Forecast",
    "History",
    "PlanError",
    "SlipcastWarning",
    "__version__",
    "compare",
    "cutline",
    "explain",
    "forecast",
    "forecast_shard",
    "history",
    "merge",
    "validate",
]
