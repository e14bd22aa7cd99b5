"""Issue 15: the bad-input fuzz against ``profile``, ``export``, ``compare``, ``campaign`` and
``resolve`` (cases and classifier in ``tests/fuzz_commands.py``).

Every generated case must end ``ok`` (exit 0, nothing temporary left) or ``refused`` (exit 2,
one ``error:`` line, nothing written): parser errors are one line too since the CLI catches
click's usage errors itself (``usage``, the usage box, is no longer accepted). The
fast profile runs 6 derandomized cases per command in the default tests;
``CLUSTERKIT_FUZZ=nightly`` runs 200 random ones per command.
"""

from __future__ import annotations

import pytest
from fuzz_cases import nightly
from fuzz_commands import COMMANDS, STRATEGIES, make_base, run_command_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz_nightly

CASES = settings(max_examples=200 if nightly() else 6, derandomize=not nightly(), deadline=None,
                 database=None, print_blob=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])
GOOD = ("ok", "refused")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_base(tmp_path_factory.mktemp("fuzzcmd"))


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_command_ok_or_refused_in_one_line(base, command):
    @CASES
    @given(case=STRATEGIES[command]())
    def check(case):
        outcome, tail = run_command_case(case, base)
        assert outcome in GOOD, (outcome, case, tail)

    check()


def test_valid_cases_succeed(base):
    """The unbroken case of each command is accepted (the fuzz is not refusing everything)."""
    cases = [
        {"args": ["profile", "{run}", "{member}", "--json"], "run": {"kind": "valid"}},
        {"args": ["export", "{run}", "--all", "--out", "{work}/o.csv"], "run": {"kind": "valid"}},
        {"args": ["campaign", "{run}", "{work}/spec.yaml", "--out", "{work}/c"],
         "run": {"kind": "valid"}, "spec": ("campaign", None, "")},
        {"args": ["compare", "{work}/spec.yaml", "--data", "{data}", "--out", "{work}/cmp"],
         "run": {"kind": "valid"}, "spec": ("compare", None, "")},
        {"args": ["resolve", "--data", "{data}", "--rules-only", "--out", "{work}/r"],
         "run": {"kind": "valid"}},
    ]
    for case in cases:
        assert run_command_case(case, base)[0] == "ok", case


def test_strategies_cover_every_command():
    assert set(STRATEGIES) == set(COMMANDS)
    for command in COMMANDS:
        assert st.builds(dict) is not None and STRATEGIES[command]() is not None
