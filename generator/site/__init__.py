"""Site: every report -> the ``build/`` tree -> MkDocs -> ``site/``.

One module per step, in the order ``build.build_site`` runs them:

- ``generator.sources``  find the report files under ``content/reports/`` (shared with ``check``)
- ``cache``          parsed reports kept in ``build/cache``, keyed by content
- ``loading``        parse the reports in parallel (through the cache)
- ``pages``          render the pages whose inputs changed (units of ``rendering.plan``)
- ``datafiles``      JSON, CSV and original-text downloads
- ``assets``         our own CSS/JS and the npm libraries the site ships
- ``dictionary``     the jieba user dictionary for Chinese search
- ``tree``           write the docs tree, touching only what changed
- ``mkdocs_config``  the MkDocs configuration for this run, with absolute paths
- ``mkdocs_runner``  run MkDocs (the only module that starts it)
- ``shards``         MkDocs' output kept in shares (``--dirty`` rebuilds), synced to the site
- ``progress``       progress lines, stage timings and the closing summary

``hooks`` is an optional MkDocs hook file (named in ``mkdocs.yml``): a compact
Chinese search index where parts of compound words are findable, and a faster
path for the raw HTML tables of report pages. The site builds without it.
"""
