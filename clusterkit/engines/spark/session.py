"""A local SparkSession with deterministic settings, and a clear error without Spark.

Assumptions
-----------
- The session is for one machine (``local[N]``) or for tests; a cluster session comes from
  ``spark-submit``, which builds its own and is picked up by ``getOrCreate``.
- Results must not depend on how Spark happens to schedule: the number of shuffle
  partitions is fixed, adaptive query execution (which re-plans partitions from runtime
  statistics) is off, and the session time zone is UTC, so timestamps aggregate as DuckDB's
  do in the project (DESIGN §4: the same data and config give the same numbers).
- No web UI and no console progress bar (a library must not write to the terminal), the
  driver listens on the loopback interface only (runs offline), and the driver memory is
  small by default (1 GB, what CI gives it).
- Driver memory is a JVM setting: it takes effect only when this call starts the JVM. If a
  session is already running in the process, :func:`local_session` returns it (Spark allows
  one per process) with these SQL settings applied, and its memory stays what it was.

Examples
--------
>>> from clusterkit.engines.spark import local_session    # doctest: +SKIP
>>> spark = local_session("local[2]")                      # doctest: +SKIP
>>> spark.conf.get("spark.sql.session.timeZone")            # doctest: +SKIP
'UTC'
"""

from __future__ import annotations

import os
import shutil
import sys

from clusterkit.errors import ConfigError

__all__ = ["DETERMINISTIC_SQL_CONF", "local_session", "require_spark"]

INSTALL_HINT = "pip install 'clusterkit[spark]'"
JAVA_HINT = ("a Java runtime (JRE 17 or later, e.g. apt-get install openjdk-17-jre-headless) "
             "on PATH or in JAVA_HOME")

DETERMINISTIC_SQL_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.adaptive.enabled": "false",
}
"""Runtime SQL settings every clusterkit session gets (see the module's assumptions)."""


def _java_found() -> bool:
    """True if a ``java`` executable is in ``$JAVA_HOME/bin`` or on ``PATH``."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return True
    return shutil.which("java") is not None


def require_spark():
    """Import and return :mod:`pyspark`, or raise a one-line :class:`ConfigError`.

    Returns
    -------
    module
        The :mod:`pyspark` package.

    Raises
    ------
    clusterkit.errors.ConfigError
        PySpark is not installed (names ``pip install 'clusterkit[spark]'``), or no Java
        runtime is found (names the JRE to install).
    """
    try:
        import pyspark
    except ImportError:
        raise ConfigError(f"the Spark engine needs PySpark: {INSTALL_HINT} "
                          f"(and {JAVA_HINT})") from None
    if not _java_found():
        raise ConfigError(f"the Spark engine needs {JAVA_HINT}; PySpark is installed "
                          f"({INSTALL_HINT} gives the Python side only)")
    return pyspark


def local_session(master: str = "local[2]", *, shuffle_partitions: int = 2,
                  driver_memory: str = "1g", app_name: str = "clusterkit",
                  conf: dict | None = None):
    """A SparkSession for one machine, with the project's deterministic settings.

    Parameters
    ----------
    master : str, default "local[2]"
        Spark master URL; ``local[N]`` runs N worker threads in this process's JVM.
    shuffle_partitions : int, default 2
        ``spark.sql.shuffle.partitions``: fixed, so sums over a shuffle add in the same
        grouping on every run. 2 suits tests and small data; a few per core suits more.
    driver_memory : str, default "1g"
        ``spark.driver.memory``; applies only if this call starts the JVM.
    app_name : str, default "clusterkit"
        Application name.
    conf : dict, optional
        Further settings, applied last (they may override the ones above).

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    clusterkit.errors.ConfigError
        PySpark or Java is missing, or the JVM could not start (one line, with the cause).
    """
    require_spark()
    from pyspark.sql import SparkSession

    if not isinstance(shuffle_partitions, int) or shuffle_partitions < 1:
        raise ConfigError(f"shuffle_partitions must be a positive integer, "
                          f"got {shuffle_partitions!r}")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers: this interpreter
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": str(driver_memory),
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
        **DETERMINISTIC_SQL_CONF,
        **{str(k): str(v) for k, v in (conf or {}).items()},
    }
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j / PySparkRuntimeError: the JVM did not start
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"Spark could not start ({master}): {first}; it needs "
                          f"{JAVA_HINT}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    for key in ("spark.sql.shuffle.partitions", *DETERMINISTIC_SQL_CONF):
        spark.conf.set(key, settings[key])  # a session that already ran gets them too
    return spark
