"""Engines beyond the embedded default (DESIGN §4, Engines).

The default engine is DuckDB + igraph + scikit-learn on one machine and needs nothing from
here. :mod:`clusterkit.engines.spark` runs the same definitions on Apache Spark (the optional
extra ``clusterkit[spark]``); it is imported only when asked for, so ``import clusterkit``
never needs PySpark or Java.
"""

__all__: list[str] = []
