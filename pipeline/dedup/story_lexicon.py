"""Words that say the same thing in es, pt and en, for matching reports of one event across languages.

``CONCEPTS``: event words (killing, earthquake, strike, election...) mapped to one concept, so
"mata", "muertos" and "killed" meet. ``COUNTRY_ALIASES``: everyday names and demonyms that the
ISO names of pycountry miss ("Turkey", "Síria", "brasileño"). Keys are folded (lower case, no
accents); a word matches a key when it starts with it, so plurals and verb endings are covered.
"""

from __future__ import annotations

# concept: folded word starts of es, pt and en.
_CONCEPTS: dict[str, tuple[str, ...]] = {
    "kill": ("mata", "mato", "mueren", "muere", "muert", "morre", "mort", "kill", "dead", "death", "dies", "died",
             "fallec", "vitima", "victim"),
    "injur": ("herid", "ferid", "injur", "wound", "lesionad"),
    "quake": ("sismo", "terremot", "earthquake", "quake", "temblor", "tremor"),
    "flood": ("inundac", "enchent", "flood", "desliz", "landslid", "alud"),
    "fire": ("incendi", "fire", "queimad", "wildfire", "blaze"),
    "storm": ("huracan", "furac", "hurrican", "tormenta", "tempest", "storm", "ciclon", "cyclon", "tifon", "typhoon"),
    "elect": ("elecc", "eleic", "elect", "eleit", "electo", "vota", "voto", "vote", "comici", "pleito", "balot",
              "ballot"),
    "win": ("gana", "gano", "ganha", "venc", "win", "wins", "won", "triunf", "victor", "vitori"),
    "president": ("president", "presidenc", "mandatari"),
    "minister": ("ministr", "minister", "premier"),
    "resign": ("renunc", "renunci", "dimit", "resign", "quits"),
    "protest": ("protest", "manifest", "marcha", "march", "demonstr", "moviliz", "mobiliz", "rally", "concentrac",
                "passeat", "cacerol", "panelac"),
    "strike": ("huelga", "greve", "strike", "paro", "paralis", "paraliz", "walkout"),
    "blockade": ("bloque", "block", "piquete", "corte de ruta", "barricad"),
    "police": ("polic", "police", "carabiner", "gendarm", "militar", "soldad", "soldier", "troop", "tropa"),
    "arrest": ("deteni", "detid", "arrest", "prend", "presos", "presas", "captur", "encarcel"),
    "clash": ("enfrent", "confront", "clash", "choque", "disturb", "riot", "unrest", "violenc"),
    "attack": ("atentad", "ataque", "attack", "bomb", "explos", "tirote", "shooting", "gunm", "armad", "armed"),
    "crash": ("accident", "acident", "crash", "choc", "colis", "collid", "collis", "derail", "descarril"),
    "plane": ("avion", "aviao", "aeronav", "plane", "aircraft", "vuelo", "voo", "flight"),
    "train": ("tren", "trem", "train", "ferrovi", "railway"),
    "coup": ("golpe", "coup", "asonad", "insurrec", "insurrect"),
    "invade": ("invad", "invas", "asalt", "assalt", "ocupa", "occup"),
    "congress": ("congres", "parlament", "legislat", "asamblea", "assembl", "senad", "senat", "camara", "diputad",
                 "deputad"),
    "court": ("tribunal", "court", "corte", "juez", "juiz", "judge", "fiscal", "prosecut", "supremo", "supreme"),
    "teacher": ("docent", "maestr", "professor", "teacher", "magisteri", "educador"),
    "student": ("estudiant", "estudant", "student", "universit", "alumn"),
    "worker": ("trabajador", "trabalhador", "worker", "obrer", "sindica", "union", "gremi"),
    "farmer": ("campesin", "agricult", "farmer", "agrari", "ruralist", "productor"),
    "trucker": ("transportist", "camioner", "caminhoneir", "trucker", "chofer", "motorist"),
    "miner": ("miner", "mining", "mina"),
    "indigenous": ("indigen", "originari", "nativ"),
    "fuel": ("combust", "gasolin", "diesel", "fuel", "petrol"),
    "price": ("precio", "preco", "price", "tarifa", "tariff", "alza", "aumento", "subida", "hike", "inflac", "inflat"),
    "pension": ("pension", "aposentad", "jubilac", "retire", "previd"),
    "wage": ("salari", "wage", "sueldo", "pay"),
    "reform": ("reform",),
    "law": ("ley", "lei", "law", "bill", "proyecto de", "decret", "decree"),
    "water": ("agua", "water"),
    "government": ("gobiern", "govern", "ejecutiv", "executiv", "palacio", "planalto"),
    "nobel": ("nobel",),
    "prize": ("premi", "prize", "award", "galardon"),
    "launch": ("lanza", "lancad", "launch"),
    "moon": ("luna", "lua", "moon", "lunar"),
}

# folded alias or demonym start: ISO 3166-1 alpha-2.
COUNTRY_ALIASES: dict[str, str] = {
    "turkey": "TR", "turquia": "TR", "turco": "TR", "turca": "TR", "turkish": "TR",
    "syria": "SY", "siria": "SY",
    "russia": "RU", "rusia": "RU", "russo": "RU", "russa": "RU", "ruso": "RU", "rusa": "RU", "russian": "RU",
    "iran": "IR", "ira": "IR", "irani": "IR",
    "ukrain": "UA", "ucrani": "UA",
    "korea": "KR", "corea": "KR", "coreia": "KR",
    "czech": "CZ", "chequia": "CZ", "tcheq": "CZ",
    "vietnam": "VN",
    "brasil": "BR", "brazil": "BR", "brasileir": "BR", "brasilen": "BR",
    "argentin": "AR", "bolivi": "BO", "chile": "CL", "chilen": "CL", "colombi": "CO", "ecuator": "EC",
    "ecuador": "EC", "peru": "PE", "perua": "PE", "venezola": "VE", "venezuel": "VE", "mexic": "MX", "mexica": "MX",
    "paragua": "PY", "urugua": "UY", "cuban": "CU", "cubano": "CU", "haitian": "HT", "haitia": "HT",
    "hondure": "HN", "nicaragu": "NI", "salvadore": "SV", "guatemal": "GT", "panamen": "PA", "panamani": "PA",
    "costarricen": "CR", "dominican": "DO", "dominicano": "DO",
    "estadounid": "US", "american": "US", "norteamerican": "US", "norte-american": "US",
    "british": "GB", "britanic": "GB", "britain": "GB", "england": "GB", "inglaterra": "GB",
    "chines": "CN", "china": "CN", "indonesi": "ID", "israel": "IL", "palestin": "PS", "german": "DE",
    "aleman": "DE", "alema": "DE", "alemanha": "DE", "alemania": "DE", "frances": "FR", "french": "FR",
    "franca": "FR", "francia": "FR", "espanh": "ES", "espanol": "ES", "spanish": "ES", "spain": "ES",
    "japan": "JP", "japon": "JP", "japao": "JP", "japones": "JP", "japanese": "JP",
    "greece": "GR", "grecia": "GR", "greek": "GR", "grego": "GR", "griego": "GR",
    "india": "IN", "indian": "IN", "pakistan": "PK", "afegan": "AF", "afghan": "AF", "afgan": "AF",
}

# Minimum length of a concept or alias start used as a prefix; shorter ones must match whole words.
_PREFIX_MIN = 4


def _index(entries: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    exact, prefixes = {}, {}
    for start, value in entries.items():
        (prefixes if len(start) >= _PREFIX_MIN else exact)[start] = value
        exact.setdefault(start, value)
    return exact, prefixes


_CONCEPT_EXACT, _CONCEPT_PREFIX = _index({w: c for c, words in _CONCEPTS.items() for w in words if " " not in w})
_ALIAS_EXACT, _ALIAS_PREFIX = _index(COUNTRY_ALIASES)
_LONGEST = max(len(k) for k in list(_CONCEPT_PREFIX) + list(_ALIAS_PREFIX))


def _lookup(word: str, exact: dict[str, str], prefixes: dict[str, str]) -> str | None:
    found = exact.get(word)
    if found:
        return found
    for size in range(min(len(word), _LONGEST), _PREFIX_MIN - 1, -1):
        found = prefixes.get(word[:size])
        if found:
            return found
    return None


def concept(word: str) -> str | None:
    """The concept of a folded word ("muertos" -> "kill"), or None."""
    return _lookup(word, _CONCEPT_EXACT, _CONCEPT_PREFIX)


def country_alias(word: str) -> str | None:
    """The country a folded everyday name or demonym names ("brasileno" -> "BR"), or None."""
    return _lookup(word, _ALIAS_EXACT, _ALIAS_PREFIX)
