"""A judged retrieval set for benchmarks/retrieval.py: generated news articles in es/pt/en and queries
whose relevant articles are known by construction.

Each protest article reports one kind of action (strike, blockade, march, protest, occupation,
clash) by one group (teachers, students, truckers, farmers, miners, health workers, indigenous
communities) in its language, written from sentence templates with the inflected forms real
reports use ("bloquearon", "los bloqueos", "bloqueada"), and often a synonym ("paro" for
"huelga"). A query (action, group, language) judges relevant every article of that action by
that group in that language. Distractors: the same action by other groups, the same group doing
something else, and news that is no protest at all. Deterministic for a seed; no real text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Per language and action: lemmas (the first is the usual word) as forms for the templates:
# noun, nouns, past (3rd plural), present (3rd plural), agents (the people doing it).
Forms = dict[str, str]
# How often a report uses the usual word for its action and its group (else a synonym).
USUAL_WORD = 0.75

ACTIONS: dict[str, dict[str, list[Forms]]] = {
    "es": {
        "strike": [
            {"noun": "huelga", "nouns": "huelgas", "past": "iniciaron una huelga", "present": "están en huelga",
             "agents": "huelguistas", "title": "inician huelga"},
            {"noun": "paro", "nouns": "paros", "past": "pararon", "present": "paralizan sus actividades",
             "agents": "trabajadores en paro", "title": "acatan paro"},
        ],
        "blockade": [
            {"noun": "bloqueo", "nouns": "bloqueos", "past": "bloquearon", "present": "bloquean",
             "agents": "bloqueadores", "title": "bloquean carreteras"},
            {"noun": "corte de ruta", "nouns": "cortes de ruta", "past": "cortaron las rutas",
             "present": "cortan rutas", "agents": "piqueteros", "title": "cortan rutas"},
        ],
        "march": [
            {"noun": "marcha", "nouns": "marchas", "past": "marcharon", "present": "marchan", "agents": "marchistas",
             "title": "marchan"},
            {"noun": "movilización", "nouns": "movilizaciones", "past": "se movilizaron", "present": "se movilizan",
             "agents": "movilizados", "title": "se movilizan"},
        ],
        "protest": [
            {"noun": "protesta", "nouns": "protestas", "past": "protestaron", "present": "protestan",
             "agents": "manifestantes", "title": "protestan"},
            {"noun": "manifestación", "nouns": "manifestaciones", "past": "se manifestaron",
             "present": "se manifiestan", "agents": "manifestantes", "title": "se manifiestan"},
        ],
        "occupation": [
            {"noun": "toma", "nouns": "tomas", "past": "tomaron las instalaciones", "present": "toman el local",
             "agents": "ocupantes", "title": "toman instalaciones"},
            {"noun": "ocupación", "nouns": "ocupaciones", "past": "ocuparon", "present": "ocupan",
             "agents": "ocupantes", "title": "ocupan predio"},
        ],
        "clash": [
            {"noun": "enfrentamiento", "nouns": "enfrentamientos", "past": "se enfrentaron con la policía",
             "present": "se enfrentan con la policía", "agents": "manifestantes", "title": "se enfrentan con policías"},
        ],
    },
    "pt": {
        "strike": [
            {"noun": "greve", "nouns": "greves", "past": "entraram em greve", "present": "estão em greve",
             "agents": "grevistas", "title": "entram em greve"},
            {"noun": "paralisação", "nouns": "paralisações", "past": "paralisaram as atividades",
             "present": "paralisam as atividades", "agents": "paralisados", "title": "paralisam atividades"},
        ],
        "blockade": [
            {"noun": "bloqueio", "nouns": "bloqueios", "past": "bloquearam", "present": "bloqueiam",
             "agents": "manifestantes", "title": "bloqueiam rodovias"},
        ],
        "march": [
            {"noun": "passeata", "nouns": "passeatas", "past": "fizeram passeata", "present": "fazem passeata",
             "agents": "manifestantes", "title": "fazem passeata"},
            {"noun": "marcha", "nouns": "marchas", "past": "marcharam", "present": "marcham",
             "agents": "manifestantes", "title": "marcham"},
        ],
        "protest": [
            {"noun": "protesto", "nouns": "protestos", "past": "protestaram", "present": "protestam",
             "agents": "manifestantes", "title": "protestam"},
            {"noun": "manifestação", "nouns": "manifestações", "past": "se manifestaram",
             "present": "se manifestam", "agents": "manifestantes", "title": "fazem manifestação"},
        ],
        "occupation": [
            {"noun": "ocupação", "nouns": "ocupações", "past": "ocuparam", "present": "ocupam",
             "agents": "ocupantes", "title": "ocupam prédio"},
        ],
        "clash": [
            {"noun": "confronto", "nouns": "confrontos", "past": "entraram em confronto com a polícia",
             "present": "enfrentam a polícia", "agents": "manifestantes", "title": "entram em confronto com PM"},
        ],
    },
    "en": {
        "strike": [
            {"noun": "strike", "nouns": "strikes", "past": "went on strike", "present": "are striking",
             "agents": "strikers", "title": "strike"},
            {"noun": "walkout", "nouns": "walkouts", "past": "walked out", "present": "walk out",
             "agents": "striking workers", "title": "walk out"},
        ],
        "blockade": [
            {"noun": "blockade", "nouns": "blockades", "past": "blocked", "present": "are blocking",
             "agents": "protesters", "title": "block highways"},
        ],
        "march": [
            {"noun": "march", "nouns": "marches", "past": "marched", "present": "are marching",
             "agents": "marchers", "title": "march"},
            {"noun": "rally", "nouns": "rallies", "past": "rallied", "present": "rally", "agents": "protesters",
             "title": "rally"},
        ],
        "protest": [
            {"noun": "protest", "nouns": "protests", "past": "protested", "present": "are protesting",
             "agents": "protesters", "title": "protest"},
            {"noun": "demonstration", "nouns": "demonstrations", "past": "demonstrated",
             "present": "are demonstrating", "agents": "demonstrators", "title": "demonstrate"},
        ],
        "occupation": [
            {"noun": "occupation", "nouns": "occupations", "past": "occupied", "present": "are occupying",
             "agents": "occupiers", "title": "occupy"},
        ],
        "clash": [
            {"noun": "clash", "nouns": "clashes", "past": "clashed with police", "present": "clash with police",
             "agents": "protesters", "title": "clash with police"},
        ],
    },
}

# Per language and group: (plural, singular or collective) as reports name them.
GROUPS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "es": {"teachers": [("docentes", "el magisterio"), ("maestros", "el sindicato de maestros")],
           "students": [("estudiantes", "la federación universitaria"), ("universitarios", "los alumnos")],
           "truckers": [("transportistas", "el transporte pesado"), ("camioneros", "el gremio camionero")],
           "farmers": [("campesinos", "la confederación campesina"), ("agricultores", "los productores")],
           "miners": [("mineros", "los cooperativistas mineros"), ("trabajadores mineros", "la federación minera")],
           "health": [("médicos", "el colegio médico"), ("trabajadores de salud", "las enfermeras")],
           "indigenous": [("indígenas", "las comunidades indígenas"), ("comunarios", "los pueblos originarios")]},
    "pt": {"teachers": [("professores", "o sindicato dos professores"), ("docentes", "a rede estadual")],
           "students": [("estudantes", "a união dos estudantes"), ("universitários", "os alunos")],
           "truckers": [("caminhoneiros", "a categoria dos caminhoneiros"), ("motoristas", "os rodoviários")],
           "farmers": [("agricultores", "os sem-terra"), ("trabalhadores rurais", "os produtores")],
           "miners": [("mineiros", "os garimpeiros"), ("trabalhadores da mineração", "o sindicato mineiro")],
           "health": [("médicos", "os enfermeiros"), ("profissionais de saúde", "a enfermagem")],
           "indigenous": [("indígenas", "os povos indígenas"), ("lideranças indígenas", "as aldeias")]},
    "en": {"teachers": [("teachers", "the teachers' union"), ("educators", "school staff")],
           "students": [("students", "the student federation"), ("university students", "undergraduates")],
           "truckers": [("truckers", "truck drivers"), ("hauliers", "the transport unions")],
           "farmers": [("farmers", "peasant groups"), ("growers", "rural workers")],
           "miners": [("miners", "the mining cooperatives"), ("mine workers", "the miners' federation")],
           "health": [("doctors", "nurses"), ("health workers", "hospital staff")],
           "indigenous": [("indigenous groups", "indigenous communities"), ("native communities", "tribal leaders")]},
}

PLACES = {
    "es": [("La Paz", "Bolivia"), ("El Alto", "Bolivia"), ("Cochabamba", "Bolivia"), ("Lima", "Perú"),
           ("Puno", "Perú"), ("Cusco", "Perú"), ("Bogotá", "Colombia"), ("Medellín", "Colombia"), ("Cali", "Colombia"),
           ("Santiago", "Chile"), ("Valparaíso", "Chile"), ("Buenos Aires", "Argentina"), ("Córdoba", "Argentina"),
           ("Quito", "Ecuador"), ("Guayaquil", "Ecuador"), ("Oaxaca", "México")],
    "pt": [("São Paulo", "Brasil"), ("Rio de Janeiro", "Brasil"), ("Brasília", "Brasil"), ("Belo Horizonte", "Brasil"),
           ("Porto Alegre", "Brasil"), ("Goiânia", "Brasil"), ("Salvador", "Brasil"), ("Recife", "Brasil")],
    "en": [("La Paz", "Bolivia"), ("Lima", "Peru"), ("Bogota", "Colombia"), ("Santiago", "Chile"),
           ("Buenos Aires", "Argentina"), ("Sao Paulo", "Brazil"), ("Quito", "Ecuador"), ("Caracas", "Venezuela")],
}

CAUSES = {
    "es": ["el aumento salarial", "la reforma de pensiones", "el precio del diésel", "el presupuesto universitario",
           "la nueva ley de tierras", "el alza de tarifas", "la escasez de combustible", "mejores condiciones laborales"],
    "pt": ["o reajuste salarial", "a reforma da previdência", "o preço do diesel", "o orçamento das universidades",
           "a demarcação de terras", "o aumento das tarifas", "o piso salarial", "melhores condições de trabalho"],
    "en": ["higher wages", "the pension reform", "fuel prices", "university funding", "a new land law",
           "fare increases", "fuel shortages", "better working conditions"],
}

TITLES = {
    "es": ["{Group} {title} en {city} por {cause}", "{city}: {group} {title} y exigen respuestas",
           "{Group} {title} en rechazo a {cause}"],
    "pt": ["{Group} {title} em {city} por {cause}", "{city}: {group} {title} e cobram o governo",
           "{Group} {title} contra {cause}"],
    "en": ["{Group} {title} in {city} over {cause}", "{city}: {group} {title}, demand talks",
           "{Group} {title} against {cause}"],
}

SENTENCES = {
    "es": ["Los {group} {past} este {day} en {city} para exigir {cause}.",
           "La jornada de {noun_phrase} comenzó en la madrugada y se extendió a otras ciudades de {country}.",
           "Según {collective}, las medidas continuarán hasta que el gobierno atienda sus demandas.",
           "Los {agents} se concentraron frente a la sede del ministerio.",
           "Es la tercera semana de {nouns} en {country} en lo que va del año.",
           "Los {group} {present} desde el lunes y anuncian nuevas acciones.",
           "El ministro de Gobierno convocó a {collective} a una mesa de diálogo.",
           "La policía desplegó efectivos en las principales avenidas de {city}.",
           "Comerciantes de la zona reportaron pérdidas por la medida.",
           "Un dirigente dijo que no levantarán la medida sin una respuesta por escrito."],
    "pt": ["Os {group} {past} nesta {day} em {city} para cobrar {cause}.",
           "O dia de {noun_phrase} começou de madrugada e se espalhou por outras cidades do {country}.",
           "Segundo {collective}, o movimento continua até que o governo atenda às reivindicações.",
           "Os {agents} se concentraram em frente à sede do governo estadual.",
           "É a terceira semana de {nouns} no {country} neste ano.",
           "Os {group} {present} desde segunda-feira e prometem novos atos.",
           "O secretário convidou {collective} para uma reunião de negociação.",
           "A Polícia Militar acompanhou o ato nas principais avenidas de {city}.",
           "Comerciantes da região relataram prejuízos.",
           "Uma liderança afirmou que não haverá recuo sem proposta por escrito."],
    "en": ["{Group} {past} on {day} in {city} to demand {cause}.",
           "The {noun_phrase} began before dawn and spread to other cities in {country}.",
           "According to {collective}, the action will go on until the government meets their demands.",
           "The {agents} gathered outside the ministry.",
           "It is the third week of {nouns} in {country} this year.",
           "{Group} {present} since Monday and promise further action.",
           "The interior minister invited {collective} to talks.",
           "Police deployed officers along the main avenues of {city}.",
           "Shop owners in the area reported losses.",
           "A leader said they would not stand down without a written offer."],
}

DAYS = {"es": ["lunes", "martes", "miércoles", "jueves", "viernes"],
        "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]}

# News that is no protest, some naming the same groups ("los maestros recibieron...").
OTHER_NEWS = {
    "es": ["Los {group} de {city} recibieron capacitación en nuevas tecnologías.",
           "El banco central mantuvo la tasa de interés en {country}.",
           "La selección de {country} venció 2-1 en el partido de eliminatorias.",
           "Las exportaciones de {country} crecieron un 8% en octubre, informó el ministerio.",
           "Una feria del libro abrió sus puertas en {city} con autores de toda la región.",
           "El gobierno anunció un plan de vivienda para {group} de bajos ingresos.",
           "Las lluvias causaron inundaciones en barrios de {city}.",
           "El precio del cobre subió por tercera semana consecutiva."],
    "pt": ["Os {group} de {city} participaram de um curso de capacitação.",
           "O Banco Central manteve a taxa de juros no {country}.",
           "A seleção venceu por 2 a 1 nas eliminatórias.",
           "As exportações do {country} cresceram 8% em outubro, segundo o ministério.",
           "A feira do livro de {city} começa com autores de todo o país.",
           "O governo anunciou um programa habitacional para {group} de baixa renda.",
           "As chuvas provocaram alagamentos em bairros de {city}.",
           "O preço do minério de ferro subiu pela terceira semana seguida."],
    "en": ["{Group} in {city} took part in a technology training course.",
           "The central bank of {country} held interest rates steady.",
           "{country} won 2-1 in the World Cup qualifier.",
           "Exports from {country} grew 8% in October, the ministry said.",
           "A book fair opened in {city} with authors from across the region.",
           "The government announced a housing plan for low-income {group}.",
           "Heavy rain flooded neighbourhoods of {city}.",
           "Copper prices rose for a third straight week."],
}
OTHER_TITLES = {"es": ["Economía de {country} en {city}", "Agenda de {city}", "Noticias de {country}"],
                "pt": ["Economia do {country}", "Agenda de {city}", "Notícias do {country}"],
                "en": ["{country} economy update", "What's on in {city}", "{country} news roundup"]}


@dataclass(frozen=True)
class JudgedQuery:
    language: str
    text: str
    action: str
    group: str


# Queries as researchers type them: plural or singular, sometimes without accents, another form
# than the one most reports use.
QUERIES = [
    JudgedQuery("es", "bloqueos transportistas", "blockade", "truckers"),
    JudgedQuery("es", "bloqueo campesinos", "blockade", "farmers"),
    JudgedQuery("es", "huelga docente", "strike", "teachers"),
    JudgedQuery("es", "huelgas mineros", "strike", "miners"),
    JudgedQuery("es", "paro medico", "strike", "health"),
    JudgedQuery("es", "marchas estudiantes", "march", "students"),
    JudgedQuery("es", "marchas indigenas", "march", "indigenous"),
    JudgedQuery("es", "protesta maestro", "protest", "teachers"),
    JudgedQuery("es", "protestas campesinos", "protest", "farmers"),
    JudgedQuery("es", "movilizacion mineros", "march", "miners"),
    JudgedQuery("es", "toma universitarios", "occupation", "students"),
    JudgedQuery("es", "ocupaciones campesinos", "occupation", "farmers"),
    JudgedQuery("es", "enfrentamiento mineros", "clash", "miners"),
    JudgedQuery("es", "manifestacion trabajadores salud", "protest", "health"),
    JudgedQuery("pt", "greve professor", "strike", "teachers"),
    JudgedQuery("pt", "greves caminhoneiros", "strike", "truckers"),
    JudgedQuery("pt", "bloqueio caminhoneiro", "blockade", "truckers"),
    JudgedQuery("pt", "bloqueios indigenas", "blockade", "indigenous"),
    JudgedQuery("pt", "manifestacoes estudantes", "protest", "students"),
    JudgedQuery("pt", "protestos medicos", "protest", "health"),
    JudgedQuery("pt", "passeata professores", "march", "teachers"),
    JudgedQuery("pt", "ocupacao agricultores", "occupation", "farmers"),
    JudgedQuery("pt", "confronto mineiros", "clash", "miners"),
    JudgedQuery("pt", "paralisacao caminhoneiros", "strike", "truckers"),
    JudgedQuery("en", "teacher strike", "strike", "teachers"),
    JudgedQuery("en", "trucker blockade", "blockade", "truckers"),
    JudgedQuery("en", "student protest", "protest", "students"),
    JudgedQuery("en", "miners striking", "strike", "miners"),
    JudgedQuery("en", "farmers marching", "march", "farmers"),
    JudgedQuery("en", "indigenous protesters", "protest", "indigenous"),
    JudgedQuery("en", "nurses strikes", "strike", "health"),
    JudgedQuery("en", "students clash police", "clash", "students"),
]


@dataclass(frozen=True)
class GeneratedArticle:
    key: str
    language: str
    title: str
    body: str
    action: str | None  # None: no protest
    group: str | None


def _fill(template: str, slots: dict[str, str]) -> str:
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def protest_article(rnd: random.Random, key: str, language: str, action: str, group: str) -> GeneratedArticle:
    lemmas = ACTIONS[language][action]
    forms = lemmas[0] if len(lemmas) == 1 or rnd.random() < USUAL_WORD else rnd.choice(lemmas[1:])
    names = GROUPS[language][group]
    plural, collective = names[0] if rnd.random() < USUAL_WORD else rnd.choice(names[1:])
    city, country = rnd.choice(PLACES[language])
    slots = dict(group=plural, Group=plural[0].upper() + plural[1:], collective=collective, city=city,
                 country=country, cause=rnd.choice(CAUSES[language]), day=rnd.choice(DAYS[language]),
                 noun_phrase=forms["noun"], **forms)
    title = _fill(rnd.choice(TITLES[language]), slots)
    first, *rest = SENTENCES[language]
    sentences = [first] + rnd.sample(rest, rnd.randint(3, 6))
    body = " ".join(_fill(sentence, slots) for sentence in sentences)
    return GeneratedArticle(key, language, title, body, action, group)


def other_article(rnd: random.Random, key: str, language: str) -> GeneratedArticle:
    group = rnd.choice(list(GROUPS[language]))
    plural, _ = rnd.choice(GROUPS[language][group])
    city, country = rnd.choice(PLACES[language])
    slots = dict(group=plural, Group=plural[0].upper() + plural[1:], city=city, country=country)
    title = _fill(rnd.choice(OTHER_TITLES[language]), slots)
    body = " ".join(_fill(s, slots) for s in rnd.sample(OTHER_NEWS[language], rnd.randint(3, 5)))
    return GeneratedArticle(key, language, title, body, None, None)


def judged_set(seed: int = 12) -> tuple[list[GeneratedArticle], list[JudgedQuery]]:
    """A few hundred articles: 4-8 relevant to each query, reports of other pairs, other news."""
    rnd = random.Random(seed)
    articles: list[GeneratedArticle] = []
    for query in QUERIES:
        for _ in range(rnd.randint(4, 8)):
            articles.append(protest_article(rnd, f"a{len(articles)}", query.language, query.action, query.group))
    for language, count in (("es", 50), ("pt", 35), ("en", 25)):  # other action-group pairs
        for _ in range(count):
            action, group = rnd.choice(list(ACTIONS[language])), rnd.choice(list(GROUPS[language]))
            articles.append(protest_article(rnd, f"a{len(articles)}", language, action, group))
    for language, count in (("es", 40), ("pt", 30), ("en", 20)):
        for _ in range(count):
            articles.append(other_article(rnd, f"a{len(articles)}", language))
    rnd.shuffle(articles)
    return articles, QUERIES


def relevant(articles: list[GeneratedArticle], query: JudgedQuery) -> set[str]:
    return {a.key for a in articles
            if (a.language, a.action, a.group) == (query.language, query.action, query.group)}


def _lengthened(rnd: random.Random, article: GeneratedArticle, words: int) -> GeneratedArticle:
    """The article with other news of its language appended until it has about ``words`` words,
    each sentence with a number, so bodies have the length and some of the spread of real ones."""
    city, country = rnd.choice(PLACES[article.language])
    group = rnd.choice(list(GROUPS[article.language].values()))[0][0]
    slots = dict(group=group, Group=group.capitalize(), city=city, country=country)
    parts = [article.body]
    count = len(article.body.split())
    while count < words:
        sentence = _fill(rnd.choice(OTHER_NEWS[article.language]), slots)[:-1] + f" ({rnd.randrange(10_000)})."
        parts.append(sentence)
        count += len(sentence.split())
    return GeneratedArticle(article.key, article.language, article.title, " ".join(parts), article.action,
                            article.group)


def scaled_set(count: int, seed: int = 20, words: int = 300) -> list[GeneratedArticle]:
    """``count`` articles in the same style of about ``words`` words, 20% protest reports, for
    timing a larger store."""
    rnd = random.Random(seed)
    articles = []
    for number in range(count):
        language = rnd.choices(("es", "pt", "en"), weights=(6, 3, 1))[0]
        if rnd.random() < 0.2:
            action, group = rnd.choice(list(ACTIONS[language])), rnd.choice(list(GROUPS[language]))
            article = protest_article(rnd, f"s{number}", language, action, group)
        else:
            article = other_article(rnd, f"s{number}", language)
        articles.append(_lengthened(rnd, article, words))
    return articles
