"""Draw a member profile (a dict from :func:`clusterkit.profile.lookup`) in the terminal.

Data text is always passed to rich as :class:`rich.text.Text`, never as markup, so a handle
like ``[bold]`` prints as written.
"""

from __future__ import annotations

__all__ = ["profile_renderables", "render_profile"]


def _t(value, digits: int = 3, style: str | None = None):
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, bool):
        return Text("yes" if value else "no", style=style or "")
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
        return Text(text, style=style or "")
    if isinstance(value, int):
        return Text(f"{value:,}", style=style or "")
    return Text(str(value), style=style or "")


def _when(iso):
    """``2026-06-29T04:18:50Z`` → ``2026-06-29 04:18`` (minutes, UTC)."""
    return None if iso is None else str(iso)[:16].replace("T", " ")


def _pct(p) -> str:
    if p is None:
        return ""
    bar = "█" * int(round(p * 10))
    return f"{p:6.1%} {bar}"


def _table(title, columns, rows, **kw):
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return Text(f"{title}: none", style="dim")
    table = Table(title=title, title_justify="left", expand=False, **kw)
    for col in columns:
        table.add_column(col, overflow="fold",
                         justify="right" if col in ("events", "value", "percentile",
                                                    "engagement weight", "n") else "left")
    for row in rows:
        table.add_row(*[c if not isinstance(c, str | int | float | type(None)) else _t(c)
                        for c in row])
    return table


def _header(p):
    from rich.panel import Panel
    from rich.text import Text

    attrs = p["attributes"]
    role, seg = p["role"], p["segment"]
    head = Text()
    head.append(str(attrs.get("name") or p["member_id"]), style="bold")
    for key in ("handle", "kind", "channel"):
        if attrs.get(key):
            head.append(f"  {attrs[key]}")
    head.append(f"\nmember {p['member_id']}")
    if p["person_id"] != p["member_id"] or len(p["accounts"]) > 1:
        head.append(f" · person {p['person_id']} · accounts {', '.join(p['accounts'])}")
    head.append("\nrole ")
    head.append(str(role.get("role")), style="bold magenta")
    if role.get("confidence") is not None:
        head.append(f" (confidence {role['confidence']:.2f}")
        head.append(f", then {role['secondary_role']})" if role.get("secondary_role") else ")")
    head.append("   segment ")
    head.append(str(seg.get("segment")), style="bold cyan")
    if seg.get("community") is not None:
        head.append(f"   community {seg['community']}")
    if seg.get("outlier"):
        head.append("   outlier", style="yellow")
    infl = p["influence"]["score"]
    head.append(f"\nengagement weight {_t(p['engagement_weight']).plain}"
                f"   influence {'' if infl is None else f'{infl:.3f}'}"
                f"   events {_t(p['events']['total']).plain}"
                f" ({p['events']['first'] or '-'} .. {p['events']['last'] or '-'})")
    if role.get("explanation"):
        head.append("\n")
        head.append(str(role["explanation"]), style="dim")
    return Panel(head, title="profile", title_align="left")


def _target(e: dict):
    """A timeline target: its member id, with its handle where the members table has one."""
    if e.get("target_id") is None or not e.get("target_handle"):
        return e.get("target_id")
    return f"{e['target_id']} ({e['target_handle']})"


def _share(n, total, share) -> str:
    return f"{n:,} of {total:,}" + ("" if share is None else f" ({share:.1%})")


def _topic_table(c: dict):
    """The credibility-on-a-topic table (``topic_credibility`` of a profile)."""
    from rich.text import Text

    act, amp = c["activity"], c["amplification"]
    lift = "" if act["lift"] is None else f"{act['lift']:.2f}x"
    pct = amp["percentile"]
    return _table(f"credibility on {c['topic']}", ["measure", "member", "community"], [
        ("events on the topic", Text(_share(act["events"], act["member_events"],
                                            act["share"])),
         Text(_share(act["community_events"], act["community_total"],
                     act["community_share"]))),
        ("lift (member share / community share)", Text(lift), ""),
        ("distinct amplifiers on the topic", amp["amplifiers"], ""),
        ("amplifying events received on it", Text(_share(
            amp["events"], amp["community_events"], amp["share"])), amp["community_events"]),
        (f"percentile among the {amp['amplified_members']:,} amplified on it",
         Text("not amplified on it" if pct is None else _pct(pct)), ""),
    ])


def profile_renderables(p: dict) -> list:
    """The rich renderables of a profile, top to bottom."""
    from rich.columns import Columns
    from rich.text import Text

    out = [_header(p)]
    if p.get("topic_credibility"):
        out.append(_topic_table(p["topic_credibility"]))
    out.append(_table("identities across channels", ["channel", "handle", "email", "source"],
                      [(i["channel"], i["handle"], i["email"], i["source"])
                       for i in p["identities"]]))
    comps = p["influence"]["components"]
    influence = _table("influence components", ["component", "value", "percentile"],
                       [(name, c["value"], Text(_pct(c["percentile"])))
                        for name, c in comps.items()])
    cred = _table("credibility signals", ["signal", "value"],
                  [(k, v) for k, v in p["credibility"].items()])
    out.append(Columns([influence, cred], padding=(0, 4)))
    r = p["reach"]
    reach = _table("whom the member reaches", ["measure", "n"], [
        ("followers among members", r["followers_members"]),
        ("following (members / outside)",
         Text(f"{r['following_members']:,} / {r['following_outside']:,}")),
        ("distinct amplifiers", r["amplifiers"]),
        ("amplifying events received", r["amplifying_events"]),
        ("within two follow hops (est.)", r["reach_2hop"]),
    ])
    amps = _table("top amplifiers", ["member", "handle", "events"],
                  [(a["member_id"], a.get("handle"), a["events"])
                   for a in r["top_amplifiers"]])
    out.append(Columns([reach, amps], padding=(0, 4)))
    activity = _table("activity by channel",
                      ["channel", "events", "engagement weight", "first", "last"],
                      [(a["channel"] or "(none)", a["events"], a["engagement_weight"],
                        _when(a["first_event"]), _when(a["last_event"]))
                       for a in p["activity"]])
    topics = _table("topics", ["topic", "events"],
                    [(t["topic"], t["events"]) for t in p["topics"]])
    out.append(Columns([activity, topics], padding=(0, 4)))
    n = len(p["timeline"])
    fields = {"time (UTC)": "timestamp", "action": "action", "channel": "channel",
              "target": "target_id", "topic": "topic", "content": "content_id",
              "value": "value"}
    shown = {k: f for k, f in fields.items()  # columns empty in every shown row are left out
             if k in ("time (UTC)", "action") or any(e[f] is not None for e in p["timeline"])}
    out.append(_table(
        f"recent actions ({n} of {p['events']['total'] or 0:,}, newest first)", list(shown),
        [[_when(e[f]) if f == "timestamp" else _target(e) if f == "target_id" else e[f]
          for f in shown.values()] for e in p["timeline"]]))
    return out


def render_profile(p: dict, console=None) -> None:
    """Print a profile with rich: header, credibility on a topic (when asked), identities,
    influence, reach, activity, timeline (targets with their handles).

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> p = {"member_id": "a", "person_id": "a", "accounts": ["a"],
    ...      "attributes": {"handle": "@a"}, "segment": {"segment": "fans"},
    ...      "role": {"role": "fan", "explanation": "fan: likes a lot"},
    ...      "engagement_weight": 3.0, "influence": {"score": 0.5, "components": {}},
    ...      "credibility": {}, "reach": {"followers_members": 2, "following_members": 1,
    ...      "following_outside": 0, "amplifiers": 0, "amplifying_events": 0,
    ...      "reach_2hop": 3.0, "top_amplifiers": []}, "activity": [], "topics": [],
    ...      "identities": [], "events": {"total": 0, "first": None, "last": None},
    ...      "timeline": []}
    >>> console = Console(file=io.StringIO(), record=True, width=100)
    >>> render_profile(p, console)
    >>> "fan: likes a lot" in console.export_text()
    True
    """
    from rich.console import Console

    console = console or Console()
    for part in profile_renderables(p):
        console.print(part)
