"""The clock an outlet publishes by, for pages that give their times in UTC ("Z") or with no zone.

Arc Publishing sites (Infobae, La Nación, El Comercio...) write every timestamp in UTC, so a
story posted at 21:30 in Buenos Aires carries the next day's date. Knowing the outlet's home
time zone brings back the day its readers saw. One zone per country: the capital's, which
covers most of each country's newsrooms (Brazil: São Paulo; Mexico: Mexico City).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

NEWSROOM_TIME_ZONES = {
    "AR": "America/Argentina/Buenos_Aires", "BO": "America/La_Paz", "BR": "America/Sao_Paulo",
    "CL": "America/Santiago", "CO": "America/Bogota", "CR": "America/Costa_Rica", "CU": "America/Havana",
    "DO": "America/Santo_Domingo", "EC": "America/Guayaquil", "SV": "America/El_Salvador",
    "GT": "America/Guatemala", "HN": "America/Tegucigalpa", "MX": "America/Mexico_City", "NI": "America/Managua",
    "PA": "America/Panama", "PY": "America/Asuncion", "PE": "America/Lima", "UY": "America/Montevideo",
    "VE": "America/Caracas", "HT": "America/Port-au-Prince", "PR": "America/Puerto_Rico", "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
}


def country_from_url(url: str) -> str | None:
    """The country of a country-code domain (elcomercio.pe -> PE, folha.uol.com.br -> BR)."""
    host = (urlsplit(url).hostname or "").lower()
    code = host.rsplit(".", 1)[-1].upper() if "." in host else ""
    return code if code in NEWSROOM_TIME_ZONES else None


def newsroom_offset_minutes(moment: datetime, country: str | None) -> int | None:
    """The UTC offset of ``country``'s newsroom clock at ``moment`` (None if unknown)."""
    zone = NEWSROOM_TIME_ZONES.get((country or "").upper())
    if zone is None:
        return None
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else None
