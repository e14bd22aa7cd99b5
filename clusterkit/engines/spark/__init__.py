"""The Spark engine: graph algorithms and feature SQL as Spark DataFrame work.

One concern per module:

- :mod:`~clusterkit.engines.spark.session`: a local, deterministic SparkSession (tests and
  ``local[N]``) and a clear error when PySpark or Java is missing;
- :mod:`~clusterkit.engines.spark.edges`: a follows DataFrame coded as integer vertices
  and a clean edge table;
- :mod:`~clusterkit.engines.spark.graph`: degrees, PageRank, weak components and label
  propagation as DataFrame iterations (no GraphFrames, no GraphX, no collect of the graph);
- :mod:`~clusterkit.engines.spark.features`: the project's DuckDB behaviour SQL run as Spark
  SQL from the same text;
- :mod:`~clusterkit.engines.spark.io`: a dataset folder read from any Hadoop-compatible
  path, typed as DESIGN §2 says;
- :mod:`~clusterkit.engines.spark.member_graph`: the member graph of community detection,
  built as aggregates and collected for the community stage;
- :mod:`~clusterkit.engines.spark.community`: Leiden on a member graph too large for the
  driver (local moving on Spark, then Leiden on the collected graph of pieces);
- :mod:`~clusterkit.engines.spark.table`: the whole default feature table (behaviour,
  graph, interaction), equal to the single-machine builders';
- :mod:`~clusterkit.engines.spark.roles`: the ``rules`` roles of every member, one
  partition at a time (thresholds from counts per distinct value), equal to one machine's.
- :mod:`~clusterkit.engines.spark.scoring`: engagement per member and channel and the
  influence components that read every event or follow (authority, two-hop reach), equal
  to one machine's.

A whole run on Spark (``clusterkit run --engine spark``) is put together in
:mod:`clusterkit.cli.spark_run`, which may import the pipeline: the table, the member graph
and the roles from here, the other steps on the driver.

PySpark is imported inside functions only: importing this package needs neither PySpark
nor Java.
"""

from clusterkit.engines.spark.edges import SparkGraph, edge_table
from clusterkit.engines.spark.features import behaviour_features, behaviour_table, spark_sql
from clusterkit.engines.spark.graph import (
    IterationResult,
    connected_components,
    degrees,
    label_propagation,
    pagerank,
)
from clusterkit.engines.spark.io import read_tables
from clusterkit.engines.spark.member_graph import member_graph
from clusterkit.engines.spark.session import local_session, require_spark
from clusterkit.engines.spark.table import feature_table, member_table

__all__ = [
    "IterationResult",
    "SparkGraph",
    "behaviour_features",
    "behaviour_table",
    "connected_components",
    "degrees",
    "edge_table",
    "feature_table",
    "label_propagation",
    "local_session",
    "member_graph",
    "member_table",
    "pagerank",
    "read_tables",
    "require_spark",
    "spark_sql",
]
