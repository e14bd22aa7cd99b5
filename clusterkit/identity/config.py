"""Configuration of identity resolution (accounts → persons).

Examples
--------
>>> from clusterkit.identity.config import IdentityConfig
>>> IdentityConfig().threshold
0.9
>>> IdentityConfig(threshold=1.5)
Traceback (most recent call last):
...
clusterkit.errors.ConfigError: The 'threshold' parameter of IdentityConfig must be ...
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clusterkit.errors import ConfigError

__all__ = ["RULES", "IdentityConfig"]

RULES = ("email", "phone", "declared_handle", "handle")
"""Deterministic rules, by name (see :mod:`clusterkit.identity.rules`)."""

_RANGES = {
    "threshold": "a probability in the open interval (0, 1), e.g. 0.9",
    "max_accounts": "an integer >= 2",
    "max_key_group": "an integer >= 2",
    "phone_digits": "an integer in [7, 15]",
    "u_max_pairs": "a number >= 10000",
    "min_labels": "an integer >= 1",
    "min_accounts": "an integer >= 2",
}


class IdentityConfig(BaseModel):
    """How accounts are linked into persons.

    Attributes
    ----------
    threshold : float, default 0.9
        Match probability at or above which a pair scored by Splink may merge two accounts
        (open interval (0, 1)). Pairs linked by a rule do not need it.
    rules : tuple of str, default ("email", "phone", "declared_handle")
        Deterministic rules: ``email`` (same normalised email), ``phone`` (same last
        ``phone_digits`` digits), ``declared_handle`` (a row of the identities table names
        the channel and handle of another account, or two accounts share channel and handle),
        ``handle`` (the same handle on any channel: imprecise with namesakes, off by default;
        used as a baseline).
    probabilistic : bool, default True
        Score candidate pairs with Splink (names, handles, emails, city, bio).
    namesakes : bool, default True
        Weigh a shared full name by the namesake model (:mod:`clusterkit.identity.namesakes`):
        the probability that two accounts with the name are one person, which falls as the
        data holds more people with that name. False uses one weight per name level.
    controls : bool, default True
        Lower the match weights of an agreement pattern whose same-channel pairs (never one
        person) show more non-matches than the model expects
        (:mod:`clusterkit.identity.controls`).
    one_account_per_channel : bool, default True
        Refuse a merge that would give a person two accounts on one channel.
    max_accounts : int, default 8
        Refuse a merge that would give a person more accounts than this.
    max_key_group : int, default 5
        A key (email, phone, channel handle) shared by more members than this is not
        personal (a shop's or family's address) and links nothing; it is reported.
    email_strip_plus, email_gmail_dots : bool, default True
        Email normalisation (see :mod:`clusterkit.identity.normalize`).
    phone_digits : int, default 9
        Phones are compared on their last digits.
    u_max_pairs : float, default 2e6
        Random pairs sampled to estimate Splink's u probabilities.
    min_labels : int, default 100
        With at least this many declared links (identities table), m is estimated from them
        as labelled matches; with fewer, by expectation maximisation.
    min_accounts : int, default 50
        With fewer accounts (with a name, handle or email) Splink is skipped: its parameters
        cannot be estimated; rules still apply.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(0.9, gt=0.0, lt=1.0)
    rules: tuple[Literal["email", "phone", "declared_handle", "handle"], ...] = (
        "email", "phone", "declared_handle")
    probabilistic: bool = True
    namesakes: bool = True
    controls: bool = True
    one_account_per_channel: bool = True
    max_accounts: int = Field(8, ge=2)
    max_key_group: int = Field(5, ge=2)
    email_strip_plus: bool = True
    email_gmail_dots: bool = True
    phone_digits: int = Field(9, ge=7, le=15)
    u_max_pairs: float = Field(2e6, ge=1e4)
    min_labels: int = Field(100, ge=1)
    min_accounts: int = Field(50, ge=2)

    def __init__(self, **data):
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ConfigError(_message(exc)) from None


def _message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = ".".join(str(p) for p in err["loc"]) or "?"
    if err["type"] == "extra_forbidden":
        valid = ", ".join(IdentityConfig.model_fields)
        return (f"IdentityConfig has no parameter {name!r}. Valid parameters are: {valid}.")
    key = str(err["loc"][0]) if err["loc"] else name
    want = _RANGES.get(key, err["msg"])
    if key == "rules":
        want = f"a list of rule names from {list(RULES)}"
    return (f"The {name!r} parameter of IdentityConfig must be {want}. "
            f"Got {err.get('input')!r} instead.")
