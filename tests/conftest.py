"""Suite-wide settings."""

import os

from hypothesis import settings

# CI must be reproducible: the same examples every run. Locally, explore.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
