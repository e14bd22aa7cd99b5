"""Person profiles and their noisy channel accounts, for the synthetic identity generator.

:func:`persons` draws who people are (names with nicknames, a handle stem, emails, phone,
city, interests, households); :func:`accounts` renders one member row per account with the
noise real accounts have. Both are vectorised: no loop over persons or accounts.
:mod:`clusterkit.synthetic.identity` assembles them into the tables of the data contract.
"""

from __future__ import annotations

import numpy as np

from clusterkit.identity import vocab as V
from clusterkit.synthetic._textnoise import choose, recase, typos, zipf_index

__all__ = ["MAIL_CHANNELS", "accounts", "persons"]

MAIL_CHANNELS = ("newsletter", "shop")

_FIRST_DISP = np.array([f for f, _ in V.FIRST_NAMES])
_FIRST_ASCII = np.array([V.fold(f) for f, _ in V.FIRST_NAMES])
_MAXNICK = max(len(n) for _, n in V.FIRST_NAMES)
_NICK_DISP = np.array([list(n) + [f] * (_MAXNICK - len(n)) for f, n in V.FIRST_NAMES])
_NICK_ASCII = np.array([[V.fold(x) for x in row] for row in _NICK_DISP])
_NICK_N = np.array([len(n) for _, n in V.FIRST_NAMES])
_LAST_DISP = np.array(V.SURNAMES + V.SURNAME_TAIL)
_LAST_ASCII = np.array([V.fold(s).replace("'", "") for s in _LAST_DISP])
_CITY_DISP = np.array(V.CITIES)
_CITY_ASCII = np.char.title(np.array([V.fold(c) for c in V.CITIES]))
_INTEREST = np.array(V.INTERESTS)
_WORDS = np.array(V.HANDLE_WORDS)
_FILLERS = np.array(V.BIO_FILLERS)
_DOMAINS = np.array(V.EMAIL_DOMAINS)
_COUNTRY = np.array(["1", "44", "49", "33", "34", "39", "91", "81", "55", "234"])
_EMOJI = np.array(["", " 📷", " ✨", " 🌿", " ☕", " 🎧", " | official", " (she/her)", " 🇧🇷"])


def _cat(*parts) -> np.ndarray:
    out = np.asarray(parts[0], dtype=str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p, dtype=str))
    return out


def _digits(rng, n, lo=1, hi=999) -> np.ndarray:
    return rng.integers(lo, hi + 1, size=n).astype(str)


def _name_key(code, fv, la, yy, rng) -> np.ndarray:
    """Name-based handle or email user: 0 fl, 1 f.l, 2 f_l, 3 initial+l, 4 fl+yy, 5 lf, 6 f+yy."""
    initial = fv.astype("<U1")
    words = _cat(_WORDS[rng.integers(len(_WORDS), size=len(fv))],
                 _WORDS[rng.integers(len(_WORDS), size=len(fv))])
    opts = [_cat(fv, la), _cat(fv, ".", la), _cat(fv, "_", la), _cat(initial, la),
            _cat(fv, la, yy), _cat(la, fv), _cat(fv, yy),
            words, _cat(words, _digits(rng, len(fv), 1, 99))]
    return choose(code, opts)


def persons(n: int, rng, household_share: float = 0.03) -> dict:
    """Draw ``n`` person profiles (arrays of length ``n``, one entry per person)."""
    f = zipf_index(len(_FIRST_DISP), n, rng, offset=15.0)
    k = (rng.random(n) * np.maximum(_NICK_N[f], 1)).astype(np.int64)
    nick, nick_ascii = _NICK_DISP[f, k], _NICK_ASCII[f, k]
    last = zipf_index(len(_LAST_DISP), n, rng, offset=20.0, power=0.9)
    city = zipf_index(len(_CITY_DISP), n, rng, offset=3.0)
    # households: another person's surname and city, and sometimes their email (below)
    hh = rng.random(n) < household_share
    heads = np.flatnonzero(~hh)  # a head is not itself in another household
    head = np.arange(n)
    if len(heads):
        head[hh] = heads[rng.integers(len(heads), size=int(hh.sum()))]
    hh &= head != np.arange(n)
    last, city = last[head], city[head]
    yy = np.char.zfill((rng.integers(60, 108, size=n) % 100).astype(str), 2)
    fv = np.where(rng.random(n) < 0.5, nick_ascii, _FIRST_ASCII[f])  # first name in handles
    la = _LAST_ASCII[last]
    stem_code = rng.choice(9, size=n, p=[.18, .1, .08, .1, .14, .05, .05, .18, .12])
    stem = _name_key(stem_code, fv, la, yy, rng)
    both = _email_addresses(np.tile(stem, 2), np.tile(fv, 2), np.tile(la, 2), np.tile(yy, 2),
                            rng)
    email1, email2 = both[:n], both[n:]
    email2 = np.where(rng.random(n) < 0.3, email2, "")
    email_hh = email1[head]  # a household's shared address
    phone_nat = rng.integers(2 * 10**9, 10**10, size=n)
    has_phone = rng.random(n) < 0.7
    interests = zipf_index(len(_INTEREST), 3 * n, rng, offset=5.0).reshape(n, 3)
    return dict(n=n, f=f, nick=nick, last=last, city=city, yy=yy, fv=fv, la=la, stem=stem,
                email1=email1, email2=email2, email_hh=email_hh, household=hh,
                phone_nat=phone_nat, has_phone=has_phone,
                country=_COUNTRY[rng.integers(len(_COUNTRY), size=n)], interests=interests)


def _email_addresses(stem, fv, la, yy, rng) -> np.ndarray:
    """Addresses: a name pattern, an unrelated word, or the handle stem; unique as mailboxes
    (gmail ignores dots; a taken address gets a number appended, as a provider would ask)."""
    import pandas as pd

    n = len(stem)
    code = rng.choice(10, size=n, p=[.16, .13, .11, .12, .06, .05, 0, .1, .09, .18])
    user = np.where(code == 9, np.char.replace(stem, "_", "."),
                    _name_key(np.minimum(code, 8), fv, la, yy, rng))
    dom = _DOMAINS[rng.choice(len(_DOMAINS), size=n, p=V.EMAIL_DOMAIN_P)]
    for k in range(4):
        box = pd.Series(_cat(np.where(dom == "gmail.com", np.char.replace(user, ".", ""), user),
                             "@", dom))
        nth = box.groupby(box, sort=False).cumcount().to_numpy()
        if not (nth > 0).any():
            break
        suffix = nth.astype(str) if k < 3 else _cat("x", np.arange(n).astype(str))
        user = np.where(nth > 0, _cat(user, suffix), user)
    return _cat(user, "@", dom)


def _display_names(P, pa, group, rng) -> np.ndarray:
    """Display name per account: formal / nickname / first only / initials / decorated …"""
    n = len(pa)
    ascii_ = rng.random(n) < 0.4  # accents dropped
    first = np.where(ascii_, np.char.title(_FIRST_ASCII[P["f"][pa]]), _FIRST_DISP[P["f"][pa]])
    nick = P["nick"][pa]
    last = np.where(ascii_, np.char.title(_LAST_ASCII[P["last"][pa]]), _LAST_DISP[P["last"][pa]])
    brand = np.char.title(_cat(_WORDS[rng.integers(len(_WORDS), size=n)], " ",
                               _WORDS[rng.integers(len(_WORDS), size=n)]))
    opts = [_cat(first, " ", last), _cat(nick, " ", last), nick,
            _cat(first.astype("<U1"), ". ", last),
            _cat(nick, " ", last.astype("<U1"), "."),
            _cat(nick, " ", last, _EMOJI[rng.integers(len(_EMOJI), size=n)]), brand,
            np.full(n, "")]
    probs = {0: [.28, .25, .12, .05, .06, .07, .05, .12],  # social
             1: [.62, .15, 0, .08, .03, 0, 0, .12],  # shop
             2: [.12, .08, .2, 0, 0, 0, 0, .6]}  # newsletter
    code = np.zeros(n, dtype=np.int64)
    for g, p in probs.items():
        sel = group == g
        code[sel] = rng.choice(len(p), size=int(sel.sum()), p=p)
    name = recase(choose(code, opts), rng, 0.12, 0.04)
    return typos(name, rng, 0.05)


def _handles(P, pa, channel, rng) -> np.ndarray:
    """Social handle: the person's stem (often with new digits), another name pattern, or an
    unrelated handle; no dots where the platform forbids them; unique per channel."""
    import pandas as pd

    n = len(pa)
    stem = P["stem"][pa]
    redigit = rng.random(n) < 0.3
    base = np.char.rstrip(stem, "0123456789")
    stem = np.where(redigit, _cat(base, np.where(rng.random(n) < 0.5, P["yy"][pa],
                                                 _digits(rng, n))), stem)
    alt = _name_key(rng.integers(7, size=n), P["fv"][pa], P["la"][pa], P["yy"][pa], rng)
    new = _name_key(7 + rng.integers(2, size=n), P["fv"][pa], P["la"][pa], P["yy"][pa], rng)
    h = choose(rng.choice(3, size=n, p=[.58, .22, .2]), [stem, alt, new])
    no_dot = ~np.isin(channel, ["instagram"])
    h = np.where(no_dot, np.char.replace(h, ".", np.where(rng.random(n) < 0.5, "_", "")), h)
    h = typos(recase(h, rng, 0.0, 0.0, 0.12), rng, 0.03)
    for _ in range(3):  # a platform keeps handles unique: a taken one gets digits
        key = pd.Series(_cat(channel, "/", np.char.lower(h)))
        nth = key.groupby(key, sort=False).cumcount().to_numpy()
        if not (nth > 0).any():
            break
        h = np.where(nth > 0, _cat(h, (nth + 1).astype(str)), h)
    return _cat("@", h)


def _account_emails(P, pa, channel, rng) -> np.ndarray:
    n = len(pa)
    second = (P["email2"][pa] != "") & (rng.random(n) < 0.25)
    e = np.where(second, P["email2"][pa], P["email1"][pa])
    shared = P["household"][pa] & np.isin(channel, MAIL_CHANNELS) & (rng.random(n) < 0.4)
    e = np.where(shared, P["email_hh"][pa], e)
    user, _, dom = (np.char.partition(e, "@")[:, i] for i in range(3))
    gmail = (dom == "gmail.com") & (rng.random(n) < 0.25)
    dotless = np.char.replace(user, ".", "")
    cut = np.maximum(1, (rng.random(n) * np.char.str_len(dotless)).astype(np.int64))
    dotted = _insert_dot(dotless, cut)
    user = np.where(gmail, np.where(rng.random(n) < 0.5, dotless, dotted), user)
    plus = (channel == "newsletter") & (rng.random(n) < 0.2)
    user = np.where(plus, _cat(user, np.where(rng.random(n) < 0.5, "+news", "+nl")), user)
    return recase(_cat(user, "@", dom), rng, 0.0, 0.02, 0.08)


def _insert_dot(s: np.ndarray, pos: np.ndarray) -> np.ndarray:
    w = s.dtype.itemsize // 4 + 1
    codes = s.astype(f"<U{w}").view(np.uint32).reshape(len(s), w)
    j = np.arange(w)[None, :]
    src = np.where(j < pos[:, None], j, j - 1)
    out = np.take_along_axis(codes, np.maximum(src, 0), axis=1)
    out[j == pos[:, None]] = ord(".")
    return np.ascontiguousarray(out).view(f"<U{w}").ravel()


def _bios(P, pa, rng) -> np.ndarray:
    n = len(pa)
    ints = _INTEREST[P["interests"][pa]]
    ints[:, 2] = np.where(rng.random(n) < 0.25, _INTEREST[rng.integers(len(_INTEREST), size=n)],
                          ints[:, 2])
    shown = rng.integers(1, 4, size=n)
    sep = np.array([" | ", " · ", ", ", " & "])[rng.integers(4, size=n)]
    filler = np.where(rng.random(n) < 0.5,
                      _cat(" ", _FILLERS[rng.integers(len(_FILLERS), size=n)]), "")
    bio = _cat(ints[:, 0], filler)
    bio = np.where(shown >= 2, _cat(bio, sep, ints[:, 1]), bio)
    bio = np.where(shown >= 3, _cat(bio, sep, ints[:, 2]), bio)
    return recase(bio, rng, 0.0, 0.03, 0.3)


def _phones(P, pa, rng) -> np.ndarray:
    nat = P["phone_nat"][pa]
    a, b, c = (nat // 10**7).astype(str), np.char.zfill(((nat // 10**4) % 1000).astype(str), 3), \
        np.char.zfill((nat % 10**4).astype(str), 4)
    cc = P["country"][pa]
    opts = [_cat("+", cc, " ", a, " ", b, " ", c), _cat("(", a, ") ", b, "-", c),
            _cat("00", cc, a, b, c), _cat("0", a, " ", b, c)]
    return choose(rng.integers(4, size=len(pa)), opts)


def accounts(P: dict, pa: np.ndarray, channel: np.ndarray, rng) -> dict:
    """Member-row fields of the accounts of persons ``pa`` on ``channel`` (one per account).

    Returns arrays ``name``, ``handle``, ``email``, ``city``, ``bio``, ``phone``; an empty
    string means the field is missing.
    """
    n = len(pa)
    mail = np.isin(channel, MAIL_CHANNELS)
    group = np.where(channel == "shop", 1, np.where(channel == "newsletter", 2, 0))
    name = _display_names(P, pa, group, rng)
    email = _account_emails(P, pa, channel, rng)
    email = np.where(mail | (rng.random(n) < 0.15), email, "")
    handle = np.where(mail, email, _handles(P, pa, channel, rng))
    p_city = np.select([group == 0, group == 1], [0.35, 0.8], 0.1)
    moved = rng.random(n) < 0.08
    cidx = np.where(moved, rng.integers(len(_CITY_DISP), size=n), P["city"][pa])
    city = np.where(rng.random(n) < 0.3, _CITY_ASCII[cidx], _CITY_DISP[cidx])
    city = np.where(rng.random(n) < p_city, recase(city, rng, 0.2, 0.03), "")
    bio = np.where(~mail & (rng.random(n) < 0.5), _bios(P, pa, rng), "")
    p_phone = np.select([group == 0, group == 1], [0.05, 0.55], 0.15)
    phone = np.where(P["has_phone"][pa] & (rng.random(n) < p_phone), _phones(P, pa, rng), "")
    return dict(name=name, handle=handle, email=email, city=city, bio=bio, phone=phone)
