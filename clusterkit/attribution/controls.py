"""Negative controls: channels the user knows have no effect, and what the model gives them.

The default model (:mod:`~clusterkit.attribution.hazard`) credits a touch for the
conversions it adds *assuming no unmeasured confounding*: nothing that drives both how often
a channel reaches a person and whether the person buys. A hidden purchase intent breaks it
(retargeted display, branded search, newsletter opens: those channels follow the buyers),
and no observational model can repair that from the journeys alone. The placebo check
(:mod:`~clusterkit.attribution.checks`) does not see it either: its placebo is placed at
random, so it is not tied to intent.

A *negative control* can see it. The user names channels known to have no effect on
conversion: a placebo or ghost-ad campaign (a public-service ad shown to a random part of
the audience), or a channel an experiment showed to be null. The model should give each
about nothing; a share above the noise says the model credits touches for reaching people
who would buy anyway, so every channel that reaches the same people is over-credited too.

The check, per control: its share of the default model's credit against
:func:`control_limit` (the noise a null channel gets where the model holds). Measured
(``experiments/results/attribution_blind.md``; 10,000 and 30,000 persons, seeds 0-2, the
scenarios' own null channel declared):

- where the model holds (the first blind journeys generator, 4 scenarios): a null
  channel gets 0-2.5 %, over the limit in 0 of 24 cases;
- where a hidden intent drives a null channel (the second blind generator, 5 scenarios):
  0-19 % (4.6 % or more at 30,000), over the limit in 29 of 30;
- a null channel not tied to intent (its ``saturating`` scenario): 1-7 %, over the limit
  in 2 of 6 (the model over-credits it there too, for another reason);
- our own generator, whose journeys are windows before a decision rather than a process
  in time (the placebo check's case): 0-8 %, over the limit in 4 of 6.

Assumption, stated: the declared channels truly have no effect. A control that does work
makes the check fail for the wrong reason; the warning names the channel so the user can
judge.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"touch": ["display", "email", "search"],
...                      "share": [0.09, 0.51, 0.40]})
>>> control_checks(rows, ["display"], conversions=2000)[["check", "passed"]].values.tolist()
[['negative_control:display', False]]
>>> round(control_limit(400), 3), round(control_limit(10000), 3)
(0.05, 0.03)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CONTROL_FLOOR", "check_controls", "control_checks", "control_limit",
           "control_warning", "touch_channels", "unknown_controls"]

CONTROL_FLOOR = 0.03
"""The smallest limit on a negative control's share (3 % of the credit)."""


def control_limit(conversions: int) -> float:
    """The share a null channel may get from noise: ``max(CONTROL_FLOOR, 1 / sqrt(n))``
    for ``n`` converting spells. Where the model holds, a null channel got at most
    0.64-0.80 / sqrt(n) (0.025 at 650 conversions, 0.018 at 2,000)."""
    return max(CONTROL_FLOOR, 1.0 / float(np.sqrt(max(int(conversions), 1))))


def touch_channels(touches, level: str | None = None) -> np.ndarray:
    """The channel of each touch: the touch itself at channel level, the part after
    :data:`~clusterkit.attribution.journeys.TOUCH_SEP` at action level (``like@twitter``).
    With ``level`` unknown, each touch is read on its own (a channel named with the
    separator is then taken for an action on a channel: give ``level`` when known)."""
    from clusterkit.attribution.journeys import TOUCH_SEP

    touch = pd.Series(np.asarray(touches, dtype=object)).astype(str)
    if level == "channel":
        return touch.to_numpy(dtype=object)
    parts = touch.str.split(TOUCH_SEP, n=1)
    return np.where(parts.str.len() > 1, parts.str[-1], touch).astype(object)


def unknown_controls(controls, touches, level: str | None = None) -> list[str]:
    """The declared controls that name no channel of ``touches`` (at ``level``)."""
    have = set(touch_channels(touches, level))
    return [c for c in controls if c not in have]


def control_checks(rows: pd.DataFrame, controls, conversions: int,
                   level: str | None = None) -> pd.DataFrame:
    """One check per negative control: ``check, value, limit, passed``.

    Parameters
    ----------
    rows : pandas.DataFrame
        The default model's rows (``touch, share``), at channel or action level.
    controls : list of str
        Channels declared to have no effect.
    conversions : int
        Converting spells the model read (the noise of a share shrinks with them).
    level : {"channel", "action"}, optional
        The touches' level (:func:`touch_channels`).
    """
    channel = touch_channels(rows["touch"], level)
    share = rows["share"].to_numpy(dtype=np.float64)
    limit = control_limit(conversions)
    values = [float(np.nansum(share[channel == c])) for c in controls]
    return pd.DataFrame({"check": [f"negative_control:{c}" for c in controls],
                         "value": values, "limit": limit,
                         "passed": [v <= limit for v in values]})


def check_controls(controls, touches, default_model: bool, level: str | None = None) -> None:
    """Declared negative controls must name channels of ``touches``, and the default model
    must run (they are checked against its credit).

    Raises
    ------
    clusterkit.errors.ConfigError
        Naming the first unknown control, the closest channel and every channel.
    """
    from clusterkit.errors import ConfigError, did_you_mean

    if controls and not default_model:
        raise ConfigError("attribution: negative_controls are checked against the default "
                          "model: add 'model' to attribution.models, or remove them.")
    unknown = unknown_controls(controls, touches, level)
    if unknown:
        have = sorted(set(touch_channels(touches, level)))
        raise ConfigError(f"attribution: negative_controls: {unknown[0]!r} is not a channel "
                          f"of the events.{did_you_mean(unknown[0], have)} Channels: "
                          f"{', '.join(have)}.")


def control_warning(channel: str, value: float, limit: float) -> str:
    """The run's warning when the negative control ``channel`` got ``value`` of the credit."""
    return (f"attribution: channel {channel!r}, declared to have no effect "
            f"(negative_controls), got {value:.1%} of the default model's credit (noise "
            f"limit {limit:.1%}): the model's assumptions fail on these data, most often "
            "because something drives both whom a channel reaches and who buys (purchase "
            "intent, retargeting); the channels reaching the same people are over-credited "
            "too, so the shares are not causal here: measure them with a holdout "
            "experiment.")
