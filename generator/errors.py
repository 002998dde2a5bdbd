"""The one exception tree.

Problems *inside* a report never raise: they become findings. These exceptions are
for problems of use (a missing file, a bad option, a broken mkdocs.yml) and are
turned by the CLI into one line on stderr and exit code 2.
"""

from __future__ import annotations


class GeneratorError(Exception):
    """Base of every error the tool raises on purpose."""


class UsageError(GeneratorError):
    """The command was given something it cannot work with (exit code 2)."""


class BuildError(GeneratorError):
    """The site build itself failed (MkDocs reported an error); exit code 2."""
