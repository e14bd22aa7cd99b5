"""The community map: communities as nodes, follows between them as weighted edges.

Only follows between two members count (follows of outside accounts are left out);
self-follows and repeated (follower, followee) pairs count once, as in
:class:`~clusterkit.data.CommunityData`. The counting is one DuckDB aggregation over the
follows — an in-memory table or the dataset's follows file, read directly — joined to the
run's ``member_id → community``; with the validated dataset at hand, the same counts come
from the follow edges it holds as positions, with no id joined. Members without a community
(isolates, label < 0) are not drawn. The layout is igraph's Kamada-Kawai on the community
graph from seeded starting positions, so the picture depends only on the data and the seed.

Examples
--------
>>> import pandas as pd
>>> segments = pd.DataFrame({"member_id": ["a", "b", "c", "d"], "community": [0, 0, 1, 1],
...                          "segment": ["fans"] * 4})
>>> follows = pd.DataFrame({"follower_id": ["a", "a", "c", "d", "d"],
...                         "followee_id": ["b", "c", "a", "c", "brand"]})
>>> nodes, links, info = community_links(segments, follows)
>>> links.to_dict("records")
[{'source': 0, 'target': 1, 'follows': 2}]
>>> nodes["internal_follows"].tolist(), info["outside_follows"]
([1, 1], 1)
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.data.sql import connect
from clusterkit.errors import DataError

__all__ = ["community_links", "community_map", "follows_file"]

MAX_COMMUNITIES = 60
MAX_EDGES = 400
LABELLED = 12
"""Communities labelled in full on the map (the largest); the others show their number."""
_WIDTHS = (0.8, 1.8, 3.5, 6.0)


def follows_file(folder) -> Path | None:
    """The follows file of a dataset folder, or None when it has none."""
    from clusterkit.data.loaders import find_tables

    return find_tables(folder).get("follows")


def _types(con) -> dict:
    return dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE src)").fetchall())


def _relation(con, follows):
    """A DuckDB view ``src`` over the follows (a frame or a file): ``(where, column types)``."""
    if isinstance(follows, pd.DataFrame):
        missing = {"follower_id", "followee_id"} - set(follows.columns)
        if missing:
            raise DataError(f"follows table lacks column(s) {sorted(missing)}")
        con.register("src", follows[["follower_id", "followee_id"]])
        return "the follows table", _types(con)
    path = Path(follows)
    lit = "'" + str(path).replace("'", "''") + "'"
    name = path.name
    if name.endswith(".parquet"):
        reader = f"read_parquet({lit})"
    elif name.endswith((".csv", ".csv.gz")):
        reader = f"read_csv({lit}, header = true, all_varchar = true)"
    elif name.endswith(".jsonl"):
        reader = f"read_json({lit}, format = 'newline_delimited')"
    else:
        raise DataError("a follows table must be .csv, .csv.gz, .parquet or .jsonl", file=path)
    try:
        con.execute(f"CREATE VIEW src AS SELECT * FROM {reader}")
        types = _types(con)
    except Exception as exc:  # noqa: BLE001 - duckdb raises several unrelated classes
        msg = str(exc).splitlines()[0]
        raise DataError(f"cannot be read as a follows table: {msg}", file=path) from None
    for col in ("follower_id", "followee_id"):
        if col not in types:
            raise DataError(f"missing required column {col!r}; the follows table needs "
                            "follower_id and followee_id.", file=path, column=col)
    return repr(str(path)), types


def _id_expr(col: str, types: dict) -> str:
    """SQL text of a column as a stripped string id (12.0 from floats → '12')."""
    kind = str(types.get(col, "VARCHAR")).upper()
    if kind in ("FLOAT", "DOUBLE", "REAL") or kind.startswith("DECIMAL"):
        return f"CAST(CAST({col} AS BIGINT) AS VARCHAR)"
    return f"NULLIF(trim(CAST({col} AS VARCHAR)), '')"


def community_links(segments: pd.DataFrame, follows, n_unique: int | None = None, data=None):
    """Count follows within and between the run's communities.

    Parameters
    ----------
    segments : pandas.DataFrame
        The run's per-member table (``member_id``, ``community``, ``segment``).
    follows : pandas.DataFrame or path
        ``follower_id, followee_id`` rows, or a follows file (``.csv``, ``.csv.gz``,
        ``.parquet``, ``.jsonl``).
    n_unique : int, optional
        The number of distinct (follower, followee) pairs without self-follows, when known
        (a validated table's length; a run manifest's ``n_follows``). When the rows add up
        to it the table has no repeats and the slower de-duplication pass is skipped.
    data : CommunityData, optional
        The validated dataset ``follows`` belongs to: the follows are then counted from the
        follow edges it already holds as positions (:meth:`~clusterkit.data.CommunityData.
        follow_edges`: no repeats, no self-follows) instead of joining ids in SQL; the same
        counts (at 1,000,000 members and 20.5 M follows the whole community map took
        2.1 s instead of 8.8 s). Used when ``segments`` lists exactly the members of
        ``data``.

    Returns
    -------
    nodes : pandas.DataFrame
        One row per community (label >= 0), largest first: ``community, members,
        internal_follows, top_segment, top_segment_share, top_segments`` (the three most
        common segments with their shares, as text), ``engagement_mean`` (per member).
    links : pandas.DataFrame
        One row per pair of communities with follows between them, ``source < target``:
        ``source, target, follows`` (both directions added up).
    info : dict
        ``outside_follows`` (of accounts that are not members) and ``unlabelled_follows``
        (touching a member without a community).

    Raises
    ------
    DataError
        When follows come from accounts that are not members of the run (another dataset).
    """
    pairs = None if data is None else _pairs_from_positions(segments, data)
    if pairs is None:
        pairs = _pairs_in_sql(segments, follows, n_unique)
    return _tables(segments, pairs)


def _pairs_from_positions(segments, data):
    """``(ca, cb, n, unknown, ex)`` counts from the dataset's follow edges (``cb`` NaN for
    an outside account), or None unless ``segments`` lists exactly the members of ``data``
    (then the ids are joined in SQL)."""
    n_members = int(data.n_members)
    if data.follows is None or len(data.follows) == 0 or len(segments) != n_members:
        return None
    pos = data.node_index(segments["member_id"].astype(str))
    if len(pos) and (pos.min() < 0 or pos.max() >= n_members
                     or np.bincount(pos, minlength=n_members).max() > 1):
        return None
    code = np.full(len(data.node_names()), -3, dtype=np.int64)  # -3: an outside account
    code[pos] = segments["community"].to_numpy(dtype=np.int64)
    fr, fe = data.follow_edges()
    low = min(int(code.min(initial=0)), 0)
    width = int(code.max(initial=0)) - low + 1
    key, n = _pair_counts(code - low, fr, fe, width)
    ca, cb = key // width + low, key % width + low
    return pd.DataFrame({"ca": ca, "cb": np.where(cb == -3, np.nan, cb), "n": n,
                         "unknown": False, "ex": None})


PAIR_CHUNK = 1 << 22
"""Follow edges whose community pair is counted at once (about 100 MB of keys)."""


def _pair_counts(code: np.ndarray, src: np.ndarray, dst: np.ndarray, width: int):
    """The distinct keys ``code[src] * width + code[dst]`` (ascending) and their counts.

    Counted in chunks of :data:`PAIR_CHUNK` edges into one table of ``width ** 2`` counts
    when that is small (a few thousand communities); otherwise sorted as a whole (at
    1,000,000 members and 20 M follows: 1.6 s against 3.4 s for one sort).
    """
    if width * width <= 1 << 24:
        counts = np.zeros(width * width, dtype=np.int64)
        for lo in range(0, len(src), PAIR_CHUNK):
            key = code[src[lo: lo + PAIR_CHUNK]] * width + code[dst[lo: lo + PAIR_CHUNK]]
            counts += np.bincount(key, minlength=width * width)
        key = np.flatnonzero(counts)
        return key, counts[key]
    return np.unique(code[src] * width + code[dst], return_counts=True)


def _pairs_in_sql(segments, follows, n_unique):
    """``(ca, cb, n, unknown, ex)`` counts: the follows joined to the communities in SQL."""
    import pyarrow as pa

    seg = pa.table({"member_id": segments["member_id"].astype(str).to_numpy(dtype=object),
                    "community": segments["community"].to_numpy(dtype=np.int64)})
    con = connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("seg", seg)
        where, types = _relation(con, follows)
        fr, fe = _id_expr("follower_id", types), _id_expr("followee_id", types)
        rows = f"SELECT {fr} AS fr, {fe} AS fe FROM src"
        count = """
            SELECT a.community AS ca, b.community AS cb, count(*) AS n, bool_or(a.member_id
                   IS NULL) AS unknown, min(CASE WHEN a.member_id IS NULL THEN f.fr END) AS ex
            FROM ({}) f LEFT JOIN seg a ON f.fr = a.member_id LEFT JOIN seg b
            ON f.fe = b.member_id WHERE f.fr <> f.fe GROUP BY ALL"""
        pairs = con.execute(count.format(rows)).fetch_df()
        if n_unique is None or int(pairs["n"].sum()) != int(n_unique):  # repeats possible
            pairs = con.execute(count.format(f"SELECT DISTINCT * FROM ({rows})")).fetch_df()
    finally:
        con.close()
    unknown = pairs[pairs["unknown"]]
    if len(unknown):
        raise DataError(
            f"{int(unknown['n'].sum()):,} follows in {where} come from accounts that are "
            f"not members of the run (e.g. {str(unknown['ex'].dropna().min())!r}); pass the "
            "dataset the run was made from.")
    return pairs


def _tables(segments, pairs):
    """The ``nodes, links, info`` of :func:`community_links` from the pair counts."""
    pairs = pairs.drop(columns=["unknown", "ex"])
    outside = int(pairs.loc[pairs["cb"].isna(), "n"].sum())
    pairs = pairs.dropna(subset=["cb"]).astype({"ca": np.int64, "cb": np.int64, "n": np.int64})
    labelled = (pairs["ca"] >= 0) & (pairs["cb"] >= 0)
    info = {"outside_follows": outside,
            "unlabelled_follows": int(pairs.loc[~labelled, "n"].sum())}
    pairs = pairs[labelled]
    inner = pairs[pairs["ca"] == pairs["cb"]].groupby("ca")["n"].sum()
    cross = pairs[pairs["ca"] != pairs["cb"]]
    links = (pd.DataFrame({"source": np.minimum(cross["ca"], cross["cb"]),
                           "target": np.maximum(cross["ca"], cross["cb"]),
                           "follows": cross["n"]})
             .groupby(["source", "target"], as_index=False)["follows"].sum()
             .sort_values(["source", "target"], kind="mergesort").reset_index(drop=True))

    comm = segments["community"].to_numpy(dtype=np.int64)
    keep = comm >= 0
    counts = (pd.DataFrame({"community": comm[keep],
                            "segment": segments["segment"].astype(str).to_numpy()[keep]})
              .groupby(["community", "segment"]).size().rename("n").reset_index()
              .sort_values(["community", "n", "segment"], ascending=[True, False, True],
                           kind="mergesort"))
    size = counts.groupby("community")["n"].sum()
    top = counts.drop_duplicates("community").set_index("community")
    nodes = pd.DataFrame({"community": size.index.to_numpy(), "members": size.to_numpy()})
    nodes["internal_follows"] = inner.reindex(nodes["community"]).fillna(0).to_numpy(np.int64)
    nodes["top_segment"] = top["segment"].reindex(nodes["community"]).to_numpy()
    nodes["top_segment_share"] = top["n"].reindex(nodes["community"]).to_numpy() / nodes[
        "members"].to_numpy()
    share = counts["n"] / counts["community"].map(size)
    escaped = counts["segment"].map(html.escape)  # hover text is plotly's HTML subset
    first3 = counts.assign(text=escaped + " " + (100 * share).round(0).astype(
        int).astype(str) + "%")[counts.groupby("community").cumcount() < 3]
    nodes["top_segments"] = first3.groupby("community")["text"].agg(", ".join).reindex(
        nodes["community"]).to_numpy()  # one join per community, not per member
    weight = pd.Series(segments["engagement_weight"].to_numpy(dtype=np.float64)[keep]
                       if "engagement_weight" in segments else np.zeros(int(keep.sum())))
    nodes["engagement_mean"] = weight.groupby(comm[keep]).mean().reindex(
        nodes["community"]).to_numpy()
    nodes = nodes.sort_values(["members", "community"], ascending=[False, True],
                              kind="mergesort").reset_index(drop=True)
    return nodes, links, info


def _layout(n: int, edges: np.ndarray, weights: np.ndarray, random_state: int) -> np.ndarray:
    """Kamada-Kawai positions (n, 2) from seeded starts; strong ties are short edges."""
    import igraph as ig

    rng = np.random.default_rng(random_state)
    start = rng.uniform(-1.0, 1.0, size=(n, 2))
    if n < 2:
        return start
    g = ig.Graph(n=n, edges=edges.tolist())
    length = np.sqrt(np.log1p(weights.max()) / np.log1p(weights)) if len(weights) else None
    pos = g.layout_kamada_kawai(seed=start.tolist(), maxiter=50 * n,
                                weights=None if length is None else length.tolist())
    return np.asarray(pos.coords, dtype=np.float64)


def community_map(segments, follows, max_communities: int = MAX_COMMUNITIES,
                  random_state: int = 0, n_unique: int | None = None, labels=None,
                  data=None):
    """The community map figure and a one-line note on what it shows.

    Returns ``(None, note)`` when there is no community with a member. ``n_unique`` and
    ``data`` as in :func:`community_links`. ``labels`` (community → text, e.g.
    :func:`~clusterkit.report.communities.community_labels`) name the communities on hover
    and, for the :data:`LABELLED` largest, on the map; others show their number.
    """
    import plotly.graph_objects as go

    nodes, links, info = community_links(segments, follows, n_unique=n_unique, data=data)
    if nodes.empty:
        return None, "No member belongs to a community (every member is isolated)."
    total_members = int(nodes["members"].sum())
    shown = nodes.head(max_communities).reset_index(drop=True)
    pos_of = pd.Series(np.arange(len(shown)), index=shown["community"])
    sub = links[links["source"].isin(pos_of.index) & links["target"].isin(pos_of.index)]
    n_between = int(sub["follows"].sum())
    sub = sub.sort_values(["follows", "source", "target"], ascending=[False, True, True],
                          kind="mergesort").head(MAX_EDGES)
    ends = np.column_stack([pos_of.reindex(sub["source"]).to_numpy(),
                            pos_of.reindex(sub["target"]).to_numpy()]).astype(np.int64)
    w = sub["follows"].to_numpy(dtype=np.float64)
    xy = _layout(len(shown), ends, w, random_state)

    number = shown["community"].astype(str)
    name = number if labels is None else shown["community"].map(labels).fillna(number)
    name = name.astype(str).map(html.escape)  # hover and text are plotly's HTML subset
    text = np.where(np.arange(len(shown)) < LABELLED, name, number)
    fig = go.Figure()
    if len(w):
        bins = np.unique(np.quantile(w, [0.5, 0.8, 0.95]))
        klass = np.searchsorted(bins, w, side="right")
        for k in range(len(bins) + 1):  # a handful of width classes, not one trace per edge
            e = ends[klass == k]
            if len(e) == 0:
                continue
            seg_x = np.column_stack([xy[e[:, 0], 0], xy[e[:, 1], 0], np.full(len(e), np.nan)])
            seg_y = np.column_stack([xy[e[:, 0], 1], xy[e[:, 1], 1], np.full(len(e), np.nan)])
            fig.add_trace(go.Scatter(
                x=seg_x.ravel(), y=seg_y.ravel(), mode="lines", hoverinfo="skip",
                showlegend=False, line={"width": _WIDTHS[min(k, 3)], "color": "#9aa5b1"},
                opacity=0.35 + 0.15 * min(k, 3)))
        label = name.to_numpy()
        mid = xy[ends].mean(axis=1)
        fig.add_trace(go.Scatter(
            x=mid[:, 0], y=mid[:, 1], mode="markers", showlegend=False,
            marker={"size": 10, "opacity": 0},
            customdata=pd.DataFrame({"a": label[ends[:, 0]], "b": label[ends[:, 1]], "n": w,
                                     "share": w / max(n_between, 1)}).to_numpy(dtype=object),
            hovertemplate="communities %{customdata[0]} – %{customdata[1]}<br>"
            "%{customdata[2]:,} follows (%{customdata[3]:.1%} of those between shown "
            "communities)<extra></extra>"))
    # marker area proportional to members (diameter to the square root)
    size = np.maximum(6.0, 56 * np.sqrt(shown["members"].to_numpy() / shown["members"].max()))
    fig.add_trace(go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="markers+text", showlegend=False,
        text=text.tolist(), textposition="top center",
        textfont={"size": 11, "color": "#3e4c59"},
        marker={"size": size, "color": shown["engagement_mean"].to_numpy(),
                "colorscale": "YlOrRd", "opacity": 0.9, "showscale": True,
                "colorbar": {"title": {"text": "engagement<br>per member"}},
                "line": {"width": 1, "color": "#52606d"}},
        customdata=pd.DataFrame({
            "members": shown["members"], "share": shown["members"] / total_members,
            "inside": shown["internal_follows"], "segments": shown["top_segments"],
            "engagement": shown["engagement_mean"], "name": name}).to_numpy(dtype=object),
        hovertemplate="community %{customdata[5]}<br>%{customdata[0]:,} members "
        "(%{customdata[1]:.1%})<br>%{customdata[2]:,} follows inside<br>engagement per member: "
        "%{customdata[4]:.3g}<br>segments: %{customdata[3]}<extra></extra>"))
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(height=640, xaxis=axis, yaxis={**axis, "scaleanchor": "x"},
                      hovermode="closest", margin={"l": 20, "r": 20, "t": 20, "b": 20})
    parts = [f"{len(nodes):,} communities hold {total_members:,} members"]
    if len(nodes) > len(shown):
        share = shown["members"].sum() / total_members
        parts.append(f"showing the {len(shown)} largest ({share:.0%} of those members)")
    parts.append(f"{n_between:,} follows between the communities shown")
    if len(sub) < len(links[links["source"].isin(pos_of.index)
                            & links["target"].isin(pos_of.index)]):
        parts.append(f"the {len(sub)} strongest ties are drawn")
    if info["outside_follows"]:
        parts.append(f"{info['outside_follows']:,} follows of outside accounts not counted")
    return fig, "; ".join(parts) + "."
