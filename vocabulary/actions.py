"""The action types and their stems: the kinds of collective action an article is tagged with.

The keys are the ``protest_types`` stored with each article and offered by the ``type`` search
filter (storage.search.PROTEST_TYPES); the stems are what the lexicon (``pipeline/judge/lexicon.py``)
matches to name them. Stems are accent-free and lower case, matched at word starts on the
normalised token text, so "bloqueo" also hits "bloqueos"; a stem ending in a space must end a word.
A new type needs its stems here, a line in docs/EVENTS.md's action_types, and, to be judged
relevant more often, labelled examples for the relevance model (docs/RELEVANCE.md).
"""

from __future__ import annotations

ACTION_STEMS: dict[str, tuple[str, ...]] = {
    "blockade": ("bloqueo", "bloquea", "bloquean", "bloquearon", "bloqueio", "bloqueiam", "corte de ruta",
                 "cortes de ruta", "corte total", "corte parcial", "piquete", "barricada", "blockade", "roadblock",
                 "blocked the road", "blocked roads", "blocking road", "blocking highway", "blocked highway",
                 "block road", "block highway", "blockaded", "barricade", "blocking the road", "blocking the highway",
                 "blocking major", "blocked major", "blocking street", "blocked street", "blocking avenue",
                 "blocking access", "blocked access", "blocking the entrance", "corte de calle", "cortes de calle",
                 "cortaron la ruta", "cortan la ruta", "cortaron la calle", "cortan la calle", "cortaron el acceso",
                 "cortan el acceso", "cortan la autovia", "cortaron la autovia", "cortan el puente",
                 "cortaron el puente", "cortan la avenida", "cortaron la avenida", "cortan la carretera",
                 "cortaron la carretera", "interrumpe el transito", "interrumpieron el transito",
                 "queman gomas", "quemaron gomas", "quema de gomas", "queman neumaticos", "quemaron neumaticos",
                 "quema de neumaticos", "quemam pneus", "queimaram pneus", "queima de pneus", "tractorazo",
                 "camionazo", "interditam", "interditaram", "trancaco", "trancamento", "trancaram"),
    "strike": ("paro ", "paros ", "paro nacional", "paro agrario", "paro total", "paro de actividades",
               "huelga", "greve", "grevista", "strike", "walkout", "paralizacion", "paralisacao",
               "medidas de fuerza", "medida de fuerza", "paros parciales", "brazos caidos", "bracos cruzados",
               "cruzaram os bracos", "paralizaciones", "striking", "strikers", "went on strike", "picket line",
               "picketing", "walked off the job", "retencion de tareas", "retencion de servicios",
               "retencion de servicio", "quite de colaboracion", "trabajo a reglamento", "paran ", "pararon ",
               "pararan ", "no dictan clases", "sin clases por", "cese de actividades", "apagon de",
               "abandono de tareas", "estado de paro"),
    "hunger_strike": ("huelga de hambre", "greve de fome", "hunger strike"),
    "march": ("demonstrat", "rallied", "took to the streets", "tomaron las calles", "salieron a las calles",
              "foram as ruas", "sairam as ruas", "marcha", "marchar", "marcharon", "marchan", "movilizacion",
              "movilizaron", "se movilizan", "manifestacion", "manifestantes", "manifestaram", "se manifiesta",
              "se manifestaron", "manifestacao", "manifestacoes", "passeata", "vigil", "candlelight vigil",
              "took to the street", "protesters", "demonstrators", "demonstration", "rally", "marched",
              # bare "march" is also the month: only its verb forms and "march through/on/to/against"
              "marches", "marching", "march through", "march in", "march on", "march to", "march against",
              "carreata", "buzinaco", "bocinazo", "motociata", "caravana de protesta", "se congregaran",
              "se congregaron", "se concentraron frente", "concentracion frente", "se concentraran frente",
              "concentracion en la puerta", "se concentraron en", "mobilizacao", "ato publico", "ato contra",
              "abrazo simbolico", "ruidazo", "olla popular", "ollas populares", "escrache"),
    "occupation": ("toma de", "tomaron", "ocupacion", "ocupan", "ocupam", "ocuparam", "ocupacao", "occupation",
                   "occupied", "occupying", "occupy ", "ocupa ", "invade the", "invaded the", "invadieron",
                   "irrumpieron en", "ocupou", "invadem", "invadiram", "stormed", "storm the", "toma pacifica",
                   "encadenaron", "encadenados"),
    "cacerolazo": ("cacerolazo", "panelaco", "pot banging"),
    "riot": ("disturbios", "saqueo", "enfrentamientos con la policia", "riot", "clashes with police", "confronto",
             "looting", "looters", "pueblada", "estallido social", "quebra quebra"),
    "sit_in": ("planton", "acampe", "acampamento", "acampam", "acamparam", "acampan ", "acamparon", "acampada",
               "vigilia", "sit in", "encampment"),
    "assembly": ("convocar a asambleas", "convocaron a una asamblea", "convocan a asamblea", "asamblea abierta",
                 "asambleas abiertas", "asamblea extraordinaria", "asamblea general", "asamblea permanente",
                 "estado de alerta", "alerta y movilizacion", "estado de asamblea", "assembleia geral",
                 "assembleia da categoria", "mass meeting"),
    "claim": ("reclaman", "reclamaron", "reclamo de", "reclamo por", "en reclamo", "exigen", "exigieron",
              "exigiendo", "denuncian", "denunciaron", "repudian", "repudiaron", "rechazan", "reivindica",
              "pliego petitorio", "petitorio", "reivindicam", "exigem", "cobram", "demanded", "demanding",
              "denounced", "petition"),
    "protest": ("protesta", "protestan", "protestaron", "protesto", "protestam", "protest", "minga"),
}
