"""Parse government information disclosure annual reports and build a static site.

Stages, one package each, in the order data flows through them:

- ``reading``   bytes on disk -> decoded text lines (encoding detection)
- ``parsing``   text lines -> a :class:`generator.model.Report`
- ``checking``  identities and plausibility -> findings, inferred values
- ``rendering`` a report -> Markdown pages and data files
- ``site``      all reports -> the ``build/`` tree, then MkDocs -> ``site/``

``generator.model`` holds the one typed data model; ``generator.tables`` the one
definition of every table's rows and columns. Nothing here imports MkDocs except
``generator.site.mkdocs_runner``.
"""

PARSER_VERSION = "3"
"""Bumped whenever parsing output may change; part of every cache key."""
