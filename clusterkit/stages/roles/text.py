"""The text of role explanations: numbers as the explanations write them, and element-wise
joins of text over every member.

The role stages explain each member's role in words with the numbers that decided it
(:mod:`clusterkit.stages.roles.rules` and the prototype stages). Over a million members the
text is built as Arrow strings: joined in Arrow's kernels, each number formatted by integer
formatting where it is whole, so that no Python string is made per member and value but
where ``%`` formatting is needed.

Examples
--------
>>> import numpy as np
>>> join_text("followers: ", fmt_text(np.array([12.0, 2.5]))).to_pylist()
['followers: 12', 'followers: 2.50']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["annotate", "explanations", "fmt_text", "fmt_value", "fmt_values", "in_row_order",
           "influencer_text", "join_text"]


def fmt_value(x: float) -> str:
    """One number as explanations write it: no decimals when whole (within 1e-9), else two.

    Examples
    --------
    >>> fmt_value(3.0000000001), fmt_value(2.345)
    ('3', '2.35')
    """
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.2f}"


def fmt_values(values: np.ndarray) -> np.ndarray:
    """Vectorised :func:`fmt_value` (rounded, without trailing decimals for whole numbers),
    as an object array of str; :func:`fmt_text` gives the same text as Arrow strings.

    Examples
    --------
    >>> fmt_values(np.array([3.0, 12.000000000001, -1e-12, 2.5, 1e20, np.nan])).tolist()
    ['3', '12', '-0', '2.50', '100000000000000000000', 'nan']
    """
    return fmt_text(values).to_numpy(zero_copy_only=False)


def fmt_text(values: np.ndarray):
    """:func:`fmt_value` of each value, as an Arrow ``large_string`` array.

    Whole numbers below 2**53 (most evidence: counts, and the zeros of inactive members) are
    written by Arrow's integer formatting, with ``-0`` where ``%.0f`` writes it; only the
    rest go through ``%`` formatting, one value at a time. The same text as
    :func:`fmt_value` for every float; 1,000,000 values of which 30 % are not whole:
    0.9 s -> 0.3 s.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    v = np.asarray(values, dtype=np.float64)
    rounded = np.round(v)
    whole = np.abs(v - rounded) < 1e-9
    small = whole & (np.abs(rounded) < 2.0**53)
    ints = rounded[small].astype(np.int64)
    parts = [pc.if_else(pa.array((ints == 0) & np.signbit(v[small])), pa.scalar("-0", text),
                        pa.array(ints).cast(text))]  # %.0f keeps the sign of -0.4e-9
    if small.all():  # counts: no row formatted one at a time, none to put back in order
        return parts[0]
    rows = [np.flatnonzero(small)]
    for fmt, at in (("%.0f", whole & ~small), ("%.2f", ~whole)):
        rows.append(np.flatnonzero(at))
        parts.append(pa.array(np.char.mod(fmt, v[at]).astype(object), type=text))
    return in_row_order(parts, rows)


def in_row_order(parts, rows):
    """One Arrow array from ``parts``, whose rows are the positions ``rows`` (one integer
    array per part, together each position once), put back in position order."""
    import pyarrow as pa

    at = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    order = np.empty(len(at), dtype=np.int64)
    order[at] = np.arange(len(at))
    return pa.concat_arrays(parts).take(pa.array(order))


def join_text(*parts):
    """Concatenate text element-wise: ``parts`` are str (the same for every row) and arrays
    of one length (Arrow, or NumPy arrays of str). Returns an Arrow ``large_string`` array.

    Examples
    --------
    >>> join_text("n = ", np.array(["1", "2"], dtype=object), "!").to_pylist()
    ['n = 1!', 'n = 2!']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    args = [pa.scalar(p, text) if isinstance(p, str) else
            (p.cast(text) if isinstance(p, pa.Array) else pa.array(p, type=text))
            for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", text))


def annotate(text, flagged, *parts):
    """``text`` (an Arrow string array, one row per member) with ``parts`` appended to the
    ``flagged`` rows (a boolean mask): :func:`join_text` pieces, arrays over the flagged rows
    only. Only the flagged rows' text is made and changed; nothing flagged returns ``text``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> text = pa.array(["a", "b", "c"])
    >>> annotate(text, np.array([False, True, True]), " (", np.array(["1", "2"]), ")").to_pylist()
    ['a', 'b (1)', 'c (2)']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    flagged = np.asarray(flagged, bool)
    if not flagged.any():
        return text
    mask = pa.array(flagged)
    note = join_text(pc.filter(text, mask), *parts)
    return pc.replace_with_mask(text.cast(pa.large_string()), mask, note)


def _source(found: dict) -> str:
    """Where the influencer's followers come from, as its explanation names them."""
    return "followers in the graph: " if found.get("graph", True) else \
        "reported followers (no follow graph): "


def influencer_text(amp: np.ndarray, followers: np.ndarray, found: dict):
    """The rules' influencer evidence as text, for the thresholds ``found`` (its ``mode``:
    amplifiers and followers, amplifiers alone, followers alone, or nothing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mode = found["mode"]
    if mode == "both":
        amp_text = fmt_text(amp)
        via = pc.if_else(pa.array(amp > followers), join_text(
            " (audience: ", amp_text, " distinct amplifiers)"), pa.scalar("", amp_text.type))
        return join_text(
            _source(found), fmt_text(followers), via,
            f" (threshold {fmt_value(found['followers'])} = "
            f"{found['followers_how']}); distinct amplifying members: ",
            amp_text, f" (threshold {fmt_value(np.ceil(found['amplifiers']))}: "
            f"{found['how']})")
    if mode == "amplifiers":
        return join_text("distinct amplifying members: ", fmt_text(amp),
                         f" (threshold {fmt_value(np.ceil(found['amplifiers']))}: "
                         f"{found['how']}; no follow graph)")
    if mode == "none":
        return pa.repeat(pa.scalar("no follow graph or interaction data", pa.large_string()),
                         len(amp))
    return join_text(_source(found), fmt_text(followers),
                     f" (threshold {fmt_value(found['followers'])}; no interaction data)")


def explanations(roles: np.ndarray, text: dict, order):
    """Each member's explanation, built once for its own role, as one Arrow-backed pandas
    ``str`` array.

    ``order`` lists the roles, the default one last: a member of another role is explained
    by its own evidence ``text[role]``; a member of the last, which passed no threshold, by
    the evidence for every other role, nearest to it first.
    """
    import pyarrow as pa

    *ranked, rest = order
    parts, rows = [], []
    for role in order:
        rows.append(np.flatnonzero(roles == role))
        at = pa.array(rows[-1])
        if role != rest:
            parts.append(join_text(f"{role}: ", text[role].take(at)))
            continue
        evidence = [piece for r in reversed(ranked) for piece in ("; ", text[r].take(at))]
        parts.append(join_text(f"{rest}: below every threshold", *evidence))
    return pd.array(in_row_order(parts, rows), dtype="str")
