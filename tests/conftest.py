"""Shared fixtures: small seeded synthetic datasets with planted communities and roles."""

import pytest

from clusterkit.data import CommunityData
from clusterkit.synthetic.community import generate


@pytest.fixture(scope="session")
def synth():
    """3,000 members, mixing 0.3, with planted truth."""
    return generate(3000, mixing=0.3, seed=11)


@pytest.fixture(scope="session")
def synth_data(synth):
    return CommunityData.from_frames(**synth.tables)


@pytest.fixture(scope="session")
def small_synth():
    """600 members: for tests that run the pipeline several times."""
    return generate(600, mixing=0.3, seed=5)


@pytest.fixture(scope="session")
def small_folder(small_synth, tmp_path_factory):
    return small_synth.write(tmp_path_factory.mktemp("small") / "data")


@pytest.fixture(autouse=True)
def _clusterkit_home(tmp_path, monkeypatch):
    """Every test's run registry lives in its own tmp folder, never in the real home."""
    monkeypatch.setenv("CLUSTERKIT_HOME", str(tmp_path / "ckhome"))


def needs_java():
    """Skip (fail under ``CLUSTERKIT_REQUIRE_SPARK=1``, as in CI) without a Java runtime."""
    import os

    from clusterkit.engines.spark.session import _java_found

    if not _java_found():
        reason = "no Java runtime (JRE 17+): the Spark engine cannot start"
        if os.environ.get("CLUSTERKIT_REQUIRE_SPARK") == "1":
            pytest.fail(reason + " (CLUSTERKIT_REQUIRE_SPARK=1)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def spark():
    """One ``local[2]`` session per test module (JVM start-up is most of the cost)."""
    needs_java()
    from clusterkit.engines.spark import local_session

    return local_session("local[2]", shuffle_partitions=2)
