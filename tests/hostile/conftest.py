"""Hypothesis profiles for the property tests.

CI sets ``HYPOTHESIS_PROFILE=ci``: examples are then derived from the test itself
(``derandomize``), so every run tries the same inputs and a failure reproduces.
``HYPOTHESIS_PROFILE=deep`` searches 30 times longer, to look for new failures.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile("deep", deadline=None, max_examples=3000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
