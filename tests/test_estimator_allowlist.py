"""Issue 15: a config names an estimator class by path; only trusted modules are imported.

``cluster.params.estimator=this.s`` used to import ``this`` (which prints the Zen of Python)
before anything was checked. Now only scikit-learn, hdbscan, the packages of registered
``clusterkit.stages`` entry points and the modules named in ``CLUSTERKIT_ALLOW_MODULES`` are
imported; anything else is one config error line, exit code 2, and nothing imported.
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

import clusterkit.stages.cluster.sklearn as sk
from clusterkit.errors import ConfigError
from clusterkit.stages.cluster.sklearn import ALLOW_ENV, SklearnCluster, allowed_modules

X = np.r_[np.zeros((10, 2)), np.ones((10, 2)) * 5]


def test_this_is_refused_in_one_line_and_never_imported(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "follows.csv").write_text("follower_id,followee_id\na,b\nb,c\nc,a\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != ALLOW_ENV}
    env["CLUSTERKIT_HOME"] = str(tmp_path / "home")
    proc = subprocess.run(
        [sys.executable, "-m", "clusterkit.cli", "run", "--data", str(data), "--out",
         str(tmp_path / "out"), "--set", "cluster.name=sklearn",
         "--set", "cluster.params.estimator=this.s"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""  # the Zen of Python is not printed: `this` was never imported
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "'this.s' is not from an allowed package" in lines[0]
    assert f"{ALLOW_ENV}=this" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("path", ["os.system", "subprocess.Popen", "this.s", "x", "",
                                  ".sklearn.cluster.KMeans", "sklearn..KMeans",
                                  "sklearnx.cluster.KMeans", "builtins.eval"])
def test_untrusted_or_malformed_paths_are_refused_before_import(path, monkeypatch):
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    before = set(sys.modules)
    with pytest.raises(ConfigError, match="Cluster stage 'sklearn'"):
        SklearnCluster(path).fit(X)
    assert set(sys.modules) - before == set()


def test_sklearn_and_hdbscan_paths_still_work():
    assert SklearnCluster("sklearn.cluster.KMeans", {"n_clusters": 2}).fit(X).n_clusters_ == 2
    assert "hdbscan" in allowed_modules()


def test_a_module_allowed_by_the_environment_variable(tmp_path, monkeypatch):
    (tmp_path / "my_clusterers.py").write_text(
        "from sklearn.cluster import KMeans\n\nclass Two(KMeans):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    with pytest.raises(ConfigError, match=f"{ALLOW_ENV}=my_clusterers"):
        SklearnCluster("my_clusterers.Two", {"n_clusters": 2}).fit(X)
    assert "my_clusterers" not in sys.modules
    monkeypatch.setenv(ALLOW_ENV, " other , my_clusterers")
    assert SklearnCluster("my_clusterers.Two", {"n_clusters": 2}).fit(X).n_clusters_ == 2


def test_the_package_of_a_registered_entry_point_is_trusted(monkeypatch):
    eps = [SimpleNamespace(value="plugpkg.stages:Algo")]
    monkeypatch.setattr(sk, "entry_points", lambda group: eps)
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    assert "plugpkg" in allowed_modules()
    sk._check_path("plugpkg.cluster.Mine")  # allowed: no error (nothing imported here)
    with pytest.raises(ConfigError):
        sk._check_path("plugpkgx.Mine")


def test_a_misspelt_estimator_keyword_is_refused_at_config_time():
    from sklearn.cluster import Birch

    from clusterkit.config import RunConfig, apply_overrides

    with pytest.raises(ConfigError, match="no parameter 'n_clustrs'.*did you mean 'n_clusters'"):
        SklearnCluster.check_config({"estimator": "sklearn.cluster.Birch",
                                     "params": {"n_clustrs": 3}})
    with pytest.raises(ConfigError, match="did you mean 'n_clusters'"):  # when the config is read
        apply_overrides(RunConfig(), ["cluster.name=sklearn",
                                      "cluster.params.estimator=sklearn.cluster.Birch",
                                      "cluster.params.params.n_clustrs=3"])
    with pytest.raises(ConfigError, match="Birch has no parameter 'n_clustrs'"):  # an object
        SklearnCluster(Birch(), {"n_clustrs": 3}).fit(np.zeros((4, 2)))
    X = np.repeat(np.eye(2), 5, axis=0)
    assert SklearnCluster(Birch(), {"n_clusters": 2}).fit(X).n_clusters_ == 2
