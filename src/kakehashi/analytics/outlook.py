"""Outlook: simple trend projections with uncertainty bands, labelled as projections."""

from __future__ import annotations

import numpy as np
import pandas as pd

LABEL = ("Projection: a straight-line trend fitted to the last {n} years ({first}-{last}){log};"
         " not a forecast of record.")
# two-sided Student t critical values (80 % and 95 %) by degrees of freedom
T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397,
       9: 1.383, 10: 1.372, 12: 1.356, 15: 1.341, 20: 1.325, 25: 1.316, 30: 1.310}
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042}


def _t(table: dict[int, float], df: int, z: float) -> float:
    if df > 30:
        return z
    key = max(k for k in table if k <= df)
    return table[key]


def project(series: pd.Series, horizon: int = 5, fit_years: int = 15) -> pd.DataFrame:
    """Fit value ~ year by least squares on the last ``fit_years`` observations (on the log
    scale when every value is positive) and extend it ``horizon`` years, with 80 % and 95 %
    prediction intervals. Returns observed and projected rows with a ``kind`` column."""
    s = series.dropna().sort_index()
    s = s[s.index >= s.index.max() - fit_years + 1] if len(s) else s
    if len(s) < 5:
        raise ValueError("at least five years of data are needed for a trend")
    log = bool((s > 0).all())
    x = s.index.to_numpy(dtype=float)
    y = np.log(s.to_numpy()) if log else s.to_numpy(dtype=float)
    n = len(x)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    sigma = float(np.sqrt((resid ** 2).sum() / (n - 2)))
    xbar, sxx = x.mean(), ((x - x.mean()) ** 2).sum()
    future = np.arange(x.max() + 1, x.max() + horizon + 1)
    fit = intercept + slope * future
    se = sigma * np.sqrt(1 + 1 / n + (future - xbar) ** 2 / sxx)
    t80, t95 = _t(T80, n - 2, 1.2816), _t(T95, n - 2, 1.96)
    back = np.exp if log else (lambda v: v)
    proj = pd.DataFrame({
        "year": future.astype(int), "kind": "projection", "value": back(fit),
        "lower_80": back(fit - t80 * se), "upper_80": back(fit + t80 * se),
        "lower_95": back(fit - t95 * se), "upper_95": back(fit + t95 * se),
    })
    obs = pd.DataFrame({"year": s.index.astype(int), "kind": "observed", "value": s.values})
    out = pd.concat([obs, proj], ignore_index=True)
    out.attrs["label"] = LABEL.format(n=n, first=int(x.min()), last=int(x.max()),
                                      log=", on the log scale" if log else "")
    out.attrs["annual_trend_pct"] = float((np.exp(slope) - 1) * 100) if log else None
    return out
