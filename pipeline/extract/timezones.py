"""The clock an outlet publishes by, for pages that give their times in UTC ("Z") or with no zone.

Arc Publishing sites (Infobae, La Nación, El Comercio...) write every timestamp in UTC, so a
story posted at 21:30 in Buenos Aires carries the next day's date. Knowing the outlet's home
time zone brings back the day its readers saw. One zone per country: the capital's, which
covers most of each country's newsrooms (Brazil: São Paulo; Mexico: Mexico City).
Outside the region, the countries whose country-code domains carry much news (an Italian or
Canadian outlet's "Z" times need a clock too); generic-looking codes (.co aside: .me, .tv, .io)
are left out because they say nothing about a newsroom.
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
WORLD_TIME_ZONES = {
    "US": "America/New_York", "CA": "America/Toronto", "GB": "Europe/London", "UK": "Europe/London",
    "IE": "Europe/Dublin", "FR": "Europe/Paris", "BE": "Europe/Brussels", "NL": "Europe/Amsterdam",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "IT": "Europe/Rome",
    "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "HU": "Europe/Budapest", "RO": "Europe/Bucharest",
    "GR": "Europe/Athens", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DK": "Europe/Copenhagen",
    "FI": "Europe/Helsinki", "LT": "Europe/Vilnius", "UA": "Europe/Kyiv", "RU": "Europe/Moscow",
    "TR": "Europe/Istanbul", "IL": "Asia/Jerusalem", "IR": "Asia/Tehran", "IN": "Asia/Kolkata",
    "PK": "Asia/Karachi", "CN": "Asia/Shanghai", "TW": "Asia/Taipei", "JP": "Asia/Tokyo", "KR": "Asia/Seoul",
    "PH": "Asia/Manila", "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "ID": "Asia/Jakarta",
    "AU": "Australia/Sydney", "NZ": "Pacific/Auckland", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos",
    "EG": "Africa/Cairo", "KE": "Africa/Nairobi",
}
_ALL_TIME_ZONES = {**WORLD_TIME_ZONES, **NEWSROOM_TIME_ZONES}


def country_from_url(url: str) -> str | None:
    """The country of a country-code domain (elcomercio.pe -> PE, folha.uol.com.br -> BR)."""
    host = (urlsplit(url).hostname or "").lower()
    code = host.rsplit(".", 1)[-1].upper() if "." in host else ""
    return code if code in _ALL_TIME_ZONES else None


def newsroom_zone(country: str | None) -> ZoneInfo | None:
    """The zone of ``country``'s newsroom clock (None if unknown)."""
    name = _ALL_TIME_ZONES.get((country or "").upper())
    return ZoneInfo(name) if name else None


def newsroom_offset_minutes(moment: datetime, country: str | None) -> int | None:
    """The UTC offset of ``country``'s newsroom clock at ``moment`` (None if unknown)."""
    zone = newsroom_zone(country)
    if zone is None:
        return None
    offset = moment.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else None
