"""Upstream sources: one module per publisher's dataset, each defining ``SOURCE``."""

from __future__ import annotations

from kakehashi.provenance import Source
from kakehashi.sources import (
    aei_cgit,
    aiddata_gcdf,
    argendata_lall,
    argendata_shares,
    cldr,
    comtrade_mexico,
    country_codes,
    events,
    hs_codes,
    imf_dots,
    monthly_trade,
    one_net_flows,
    ots_reference,
    un_votes,
    unctad_fdi,
    wdi,
    wdi_japan_oda,
)

__all__ = ["SOURCES"]

SOURCES: dict[str, Source] = {
    module.SOURCE.id: module.SOURCE
    for module in (
        imf_dots,
        wdi,
        wdi_japan_oda,
        one_net_flows,
        aiddata_gcdf,
        unctad_fdi,
        comtrade_mexico,
        monthly_trade,
        un_votes,
        argendata_shares,
        argendata_lall,
        aei_cgit,
        country_codes,
        hs_codes,
        ots_reference,
        events,
        cldr,
    )
}
