"""Cutting events into journeys with sorted arrays (the core of :func:`.journeys.build_journeys`).

Each person's events are ordered by time; a conversion closes the journey of the touches at or
before it (a touch at the very time of a conversion belongs to it), and the touches after a
person's last conversion form an open journey. All of it is one ``lexsort`` of integer codes
and a ``searchsorted``: no window function over strings, so the memory is a few arrays of the
events' length (at 1 M members and 23 M events the SQL window query this replaced peaked
at 10 GB above its input).

Rules, as the journeys contract states them:

- conversions of a person are numbered ``k = 1, 2, ...`` by time, then by value (missing
  last); a touch's journey is the first conversion at or after it (``next_k``), or none;
- ``journey_end`` is the conversion's time; an open journey ends at the person's matched end
  when one is given, else at ``end``; touches after ``end`` are not touches;
- ``prior_conversions`` is ``next_k - 1`` for a converting journey and the person's number of
  conversions for an open one;
- only touches later than ``journey_end - lookback`` are kept; ``journey_id`` is dense in
  ``(person, k)`` order over the kept touches (an open journey sorts after the person's
  converting ones) and ``step`` orders a journey's touches by time, then touch name.
"""

from __future__ import annotations

import numpy as np

from clusterkit.data.order import time_key

_OPEN = np.iinfo(np.int64).max


class Spells:
    """Touches with their journey, from coded events (see the module docstring).

    Parameters
    ----------
    person : array of int
        Person code of each event; codes sort as the person ids do.
    ts : array of int64
        Event time, microseconds since the epoch.
    is_conv : array of bool
        Whether the event is a conversion.
    touch : array of int
        Touch code of each event (sorting as the touch names do); ignored for conversions.
    value : array of float
        The event's value (NaN when missing).
    end : int
        End of the data, microseconds.
    """

    def __init__(self, person, ts, is_conv, touch, value, end: int):
        person = np.asarray(person, dtype=np.int64)
        ts = np.asarray(ts, dtype=np.int64)
        is_conv = np.asarray(is_conv, dtype=bool)
        value = np.asarray(value, dtype=np.float64)
        keep = is_conv | (ts <= end)
        conv_idx = np.flatnonzero(is_conv)
        touch_idx = np.flatnonzero(keep & ~is_conv)
        # conversions by (person, ts, value with missing last): k = 1, 2, ... per person
        cval = value[conv_idx]
        order = np.lexsort((np.nan_to_num(cval), np.isnan(cval), ts[conv_idx],
                            person[conv_idx]))
        conv_idx = conv_idx[order]
        cp, cts = person[conv_idx], ts[conv_idx]
        first = np.r_[True, cp[1:] != cp[:-1]] if len(cp) else np.zeros(0, dtype=bool)
        starts = np.flatnonzero(first)
        self.conv_k = np.arange(len(cp)) - np.repeat(starts, np.diff(np.r_[starts, len(cp)])) + 1
        self.conv_person, self.conv_ts, self.conv_value = cp, cts, value[conv_idx]
        n_conv = np.bincount(cp, minlength=int(person.max(initial=-1)) + 1)
        # touches by (person, time, touch name), each with the first conversion at or after it
        tp, tts = person[touch_idx], ts[touch_idx]
        ttouch = np.asarray(touch, dtype=np.int64)[touch_idx]
        del touch_idx, keep  # each a copy over every event: gone before the merge's peak
        order, pos = _merge(cp, cts, tp, tts, ttouch)
        tp, tts, ttouch = tp[order], tts[order], ttouch[order]
        has = pos < len(cp)
        has[has] = cp[pos[has]] == tp[has]
        self.person, self.ts, self.touch = tp, tts, ttouch
        self.converted = has
        self.conv_pos = np.where(has, pos, -1)
        self.k = np.where(has, self.conv_k[np.where(has, pos, 0)] if len(cp) else 0, _OPEN)
        self.prior = np.where(has, self.k - 1, n_conv[tp]).astype(np.int64)

    def tails(self):
        """``(person, last touch time)`` of every open journey, by person."""
        open_ = ~self.converted
        p, t = self.person[open_], self.ts[open_]  # sorted by person, then time
        last = np.r_[p[1:] != p[:-1], True] if len(p) else np.zeros(0, dtype=bool)
        return p[last], t[last]

    def gaps(self, lookback_us: int):
        """Conversion time minus the last touch within the lookback, per converting journey,
        in ``(person, k)`` order."""
        sel = self.converted & (self.ts > self.conv_ts[np.maximum(self.conv_pos, 0)]
                                - lookback_us)
        pos, t = self.conv_pos[sel], self.ts[sel]  # sorted by conversion, then time
        last = np.r_[pos[1:] != pos[:-1], True] if len(pos) else np.zeros(0, dtype=bool)
        return (self.conv_ts[pos[last]] - t[last]).astype(np.int64)

    def journeys(self, end: int, lookback_us: int, pend_person=None, pend_end=None) -> dict:
        """The kept touches as arrays, sorted by journey and step."""
        open_end = np.full(int(self.person.max(initial=-1)) + 1, end, dtype=np.int64)
        if pend_person is not None and len(pend_person):
            open_end[np.asarray(pend_person, dtype=np.int64)] = pend_end
        cpos = np.maximum(self.conv_pos, 0)
        jend = np.where(self.converted, self.conv_ts[cpos] if len(self.conv_ts) else 0,
                        open_end[self.person])
        keep = self.ts > jend - lookback_us
        if keep.all():  # whole spells (no lookback): the arrays as they are, not copies
            person, k, ts, touch = self.person, self.k, self.ts, self.touch
            conv, prior = self.converted, self.prior
        else:
            person, k, ts, touch = (self.person[keep], self.k[keep], self.ts[keep],
                                    self.touch[keep])
            conv, jend, prior, cpos = self.converted[keep], jend[keep], self.prior[keep], \
                cpos[keep]
        value = np.where(conv, self.conv_value[cpos] if len(self.conv_ts) else 0.0, 0.0)
        del cpos, keep
        # already in journey order: within a person, a later touch never has an earlier
        # conversion, and the open journey's touches come after the last conversion
        new = np.r_[True, (person[1:] != person[:-1]) | (k[1:] != k[:-1])] if len(person) \
            else np.zeros(0, dtype=bool)
        jid = np.cumsum(new, dtype=np.int64)
        jid -= 1
        starts = np.flatnonzero(new)
        del new
        step = np.arange(len(person), dtype=np.int64)  # in place: 184 MB a copy at 1 M
        step -= starts[jid]
        return {"person": person, "journey_id": jid,
                "step": step.astype(np.int32), "touch": touch, "ts": ts,
                "journey_end": jend, "converted": conv, "conversion_value": value,
                "prior": prior.astype(np.int32)}


def _merge(cp, cts, tp, tts, ttouch):
    """Touches sorted by (person, time, touch), and the first conversion after each.

    Conversions (sorted by person and time) and touches are merged in one stable sort, a
    touch before a conversion at the same time; a touch's next conversion is the first after
    it in that order (``len(cp)`` when none; the caller checks the person).
    """
    n_c = len(cp)
    person, ts = np.r_[cp, tp], np.r_[cts, tts]
    late = np.r_[np.ones(n_c, dtype=np.int8), np.zeros(len(tp), dtype=np.int8)]
    tie = np.r_[np.full(n_c, -1, dtype=np.int64), ttouch]  # at one time, touches first
    key = time_key(person, ts, late, tie)  # one sort of one key, when it fits
    order = np.lexsort((tie, ts * 2 + late, person)) if key is None else \
        np.argsort(key, kind="stable")
    del key, person, ts, late, tie  # at 1,000,000 members 184 MB each
    where = np.empty(len(order), dtype=np.int64)
    where[order] = np.arange(len(order))
    touches = order[order >= n_c]
    del order
    touches -= n_c
    return touches, np.searchsorted(where[:n_c], where[n_c:][touches], side="left")

