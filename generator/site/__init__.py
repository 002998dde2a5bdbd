"""Site: every report -> the ``build/`` tree -> MkDocs -> ``site/``.

One module per step, in the order ``build.build_site`` runs them:

- ``discover``       find the report files under ``content/reports/``
- ``cache``          parsed reports kept in ``build/cache``, keyed by content
- ``loading``        parse the reports in parallel (through the cache)
- ``datafiles``      JSON, CSV and original-text downloads
- ``assets``         our own CSS/JS and the npm libraries the site ships
- ``dictionary``     the jieba user dictionary for Chinese search
- ``tree``           write the docs tree, touching only what changed
- ``mkdocs_config``  the MkDocs configuration for this run, with absolute paths
- ``mkdocs_runner``  run MkDocs (the only module that starts it)
- ``progress``       progress lines, stage timings and the closing summary

``search_hook`` is an optional MkDocs hook (named in ``mkdocs.yml``) that makes
parts of compound Chinese words findable; the site builds without it.
"""
