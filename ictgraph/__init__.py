"""ictgraph: a knowledge graph of public-sector ICT estates.

The one import name of the installed package. In the repository the code lives where the
design fixes it (``graph_loader/``, ``queries/``, ``cli.py`` and the ``cli_*`` modules at the
top); this package reaches them through symbolic links, and the wheel carries them under
``ictgraph/``, so that nothing but ``ictgraph`` is added to the top of site-packages.
"""
