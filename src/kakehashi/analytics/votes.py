"""UN General Assembly voting agreement: share of roll calls where two countries voted alike."""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir


def agreement(votes: ir.Table, roll_calls: ir.Table, countries: Sequence[str],
              with_: Sequence[str] = ("JPN", "USA", "CHN"), issues: ir.Table | None = None,
              ) -> ir.Table:
    """(year, [issue,] country_iso3, with_iso3, votes, agreement).

    A roll call counts when both countries voted yes, no or abstain (absences are not rows);
    agreement = identical votes / such roll calls. With ``issues``, one row per issue category
    (a roll call may belong to several).
    """
    a = votes.filter(votes.country_iso3.isin(list(countries)))
    b = votes.filter(votes.country_iso3.isin(list(with_)))
    b = b.select(rcid_b=b.rcid, with_iso3=b.country_iso3, vote_b=b.vote)
    pairs = a.join(b, a.rcid == b.rcid_b)
    pairs = pairs.filter(pairs.country_iso3 != pairs.with_iso3)
    pairs = pairs.join(roll_calls.select("rcid", "year"), "rcid")
    keys = ["year", "country_iso3", "with_iso3"]
    if issues is not None:
        pairs = pairs.join(issues.select("rcid", "issue"), "rcid")
        keys = ["year", "issue", "country_iso3", "with_iso3"]
    return pairs.group_by(keys).agg(
        votes=pairs.rcid.count(),
        agreement=(pairs.vote == pairs.vote_b).cast("float64").mean(),
    )
