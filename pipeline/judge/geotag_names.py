"""Hand-written name lists for the gazetteer: demonyms, nicknames and names never to match.

Read by ``scripts/build_gazetteer.py`` at dev time; geotag itself reads only the built file.
"""

from __future__ import annotations

# Latin America and the Caribbean: cities down to CITY_MIN_LATAM, and a prior over other regions
# when a name is ambiguous ("San José" is Costa Rica's before California's).
LATAM = frozenset(
    "AR BO BR CL CO CR CU DO EC SV GT HT HN MX NI PA PY PE PR UY VE JM GY SR BZ TT BS BB GF".split()
)
SUBDIVISION_COUNTRIES = LATAM | {"ES", "PT", "US"}


def _es(*bases: str) -> list[str]:
    """Spanish/Portuguese adjective forms: "boliviano" -> boliviano, boliviana, bolivianos, bolivianas."""
    forms: list[str] = []
    for base in bases:
        if base.endswith(("o", "a")) and not base.endswith("ista"):
            stem = base[:-1]
            forms += [stem + "o", stem + "a", stem + "os", stem + "as"]
        elif base.endswith("ense") or base.endswith("ista") or base.endswith("eca"):
            forms += [base, base + "s"]
        elif base.endswith(("es", "és", "ês")):  # "cordobés", "surinamês"
            forms += [base, base[:-2] + "esa", base[:-2] + "eses", base[:-2] + "esas"]
        else:
            forms += [base, base + "s", base + "es"]
    return forms


DEMONYMS: dict[str, list[str]] = {
    "AR": _es("argentino") + ["argentine", "argentines", "argentinian", "argentinians"],
    "BO": _es("boliviano") + ["bolivian", "bolivians"],
    "BR": _es("brasileño", "brasileiro") + ["brazilian", "brazilians", "brasilera", "brasileras"],
    "CL": _es("chileno") + ["chilean", "chileans"],
    "CO": _es("colombiano") + ["colombian", "colombians"],
    "CR": _es("costarricense", "costarriqueño", "costarriquenho") + ["costa rican", "costa ricans", "tico", "ticos",
                                                                 "tica", "ticas"],
    "CU": _es("cubano") + ["cuban", "cubans"],
    "DO": _es("dominicano") + ["dominican", "dominicans"],
    "EC": _es("ecuatoriano", "equatoriano") + ["ecuadorian", "ecuadorians", "ecuadoran", "ecuadorans", "ecuadorean",
                                              "ecuadoreans"],
    "SV": _es("salvadoreño", "salvadorenho") + ["salvadoran", "salvadorans", "salvadorean", "salvadoreans"],
    "GT": _es("guatemalteco") + ["guatemalan", "guatemalans"],
    "HT": _es("haitiano") + ["haitian", "haitians", "haïtien", "haïtienne", "haïtiens", "haïtiennes"],
    "HN": _es("hondureño", "hondurenho") + ["honduran", "hondurans"],
    "MX": _es("mexicano") + ["mexican", "mexicans"],
    "NI": _es("nicaragüense") + ["nicaraguan", "nicaraguans"],
    "PA": _es("panameño", "panamenho") + ["panamanian", "panamanians"],
    "PY": _es("paraguayo") + ["paraguaio", "paraguaia", "paraguaios", "paraguaias", "paraguayan", "paraguayans"],
    "PE": _es("peruano") + ["peruvian", "peruvians"],
    "PR": _es("puertorriqueño", "portorriquenho") + ["puerto rican", "puerto ricans", "boricua", "boricuas"],
    "UY": _es("uruguayo") + ["uruguaio", "uruguaia", "uruguaios", "uruguaias", "uruguayan", "uruguayans"],
    "VE": _es("venezolano", "venezuelano") + ["venezuelan", "venezuelans"],
    "JM": _es("jamaiquino", "jamaicano") + ["jamaican", "jamaicans"],
    "GY": _es("guyanés", "guianense", "guyanense") + ["guyanese"],
    "SR": _es("surinamés", "surinamense", "surinamês") + ["surinamese", "surinamer", "surinamers", "surinaamse"],
    "BZ": _es("beliceño") + ["belizean", "belizeans"],
    "TT": ["trinitense", "trinitenses", "trinidadian", "trinidadians", "trinidadiano", "trinidadianos", "tobagonian",
           "tobagonians"],
    "BS": _es("bahameño") + ["bahamian", "bahamians"],
    "BB": _es("barbadense") + ["barbadian", "barbadians", "bajan", "bajans"],
    "ES": _es("español") + ["espanhol", "espanhola", "espanhois", "spaniard", "spaniards"],
    "PT": _es("portugués") + ["portugues", "portuguesa", "portugueses"],
    "US": _es("estadounidense") + ["norteamericano", "norteamericanos", "norte-americano", "norte-americanos",
                                   "americans"],
    "CA": _es("canadiense") + ["canadian", "canadians"],
    "CN": ["chinese"] + _es("chino"),
    "RU": _es("ruso") + ["russian", "russians"],
    "FR": ["french"] + _es("francés"),
    "GB": ["british"] + _es("británico"),
    "DE": ["german", "germans"],  # not "alemán": Nicaragua's president Arnoldo Alemán
    "IT": ["italian", "italians"] + _es("italiano"),
    "IL": ["israeli", "israelis"] + _es("israelí"),
    "UA": ["ukrainian", "ukrainians"] + _es("ucraniano"),
}

# Names missing from pycountry's translations, and the short forms news use.
COUNTRY_EXTRA_NAMES: dict[str, list[str]] = {
    "BO": ["Bolivia"], "VE": ["Venezuela"], "US": ["EE.UU.", "EEUU", "EUA", "Estados Unidos", "USA", "U.S."],
    "GB": ["Reino Unido", "Britain", "Great Britain", "UK"], "DO": ["Dominican Republic", "Rep. Dominicana",
    "Republica Dominicana", "Dominican Rep."], "TT": ["Trinidad"], "RU": ["Rusia", "Russia"],
    "BR": ["Brasil"], "MX": ["Mejico"], "PE": ["Perú"], "HT": ["Haïti"], "KR": ["South Korea"],
    "CD": ["Congo"], "VA": ["Vaticano", "Vatican"], "NL": ["Holanda", "Holland"], "SR": ["Surinam"],
    "BZ": ["Belice", "Belize"], "GY": ["Guayana", "Guiana"], "IR": ["Iran", "Irán", "Irã"],
    "SY": ["Siria", "Syria", "Síria"], "CZ": ["Czech Republic"],
}

# Regional and city nicknames and demonyms: name -> (kind, country, canonical place name).
PLACE_NICKNAMES: dict[str, tuple[str, str, str]] = {
    "porteño": ("city", "AR", "Buenos Aires"), "porteños": ("city", "AR", "Buenos Aires"),
    "porteña": ("city", "AR", "Buenos Aires"), "bonaerense": ("admin1", "AR", "Buenos Aires"),
    "conurbano": ("admin1", "AR", "Buenos Aires"), "caba": ("city", "AR", "Buenos Aires"),
    "rosarino": ("city", "AR", "Rosario"), "rosarinos": ("city", "AR", "Rosario"),
    "mendocino": ("admin1", "AR", "Mendoza"), "mendocinos": ("admin1", "AR", "Mendoza"),
    "paulista": ("admin1", "BR", "São Paulo"), "paulistas": ("admin1", "BR", "São Paulo"),
    "paulistano": ("city", "BR", "São Paulo"), "paulistanos": ("city", "BR", "São Paulo"),
    "carioca": ("city", "BR", "Rio de Janeiro"), "cariocas": ("city", "BR", "Rio de Janeiro"),
    "fluminense": ("admin1", "BR", "Rio de Janeiro"), "gaucho": ("admin1", "BR", "Rio Grande do Sul"),
    "gauchos": ("admin1", "BR", "Rio Grande do Sul"), "mineiro": ("admin1", "BR", "Minas Gerais"),
    "mineiros": ("admin1", "BR", "Minas Gerais"), "baiano": ("admin1", "BR", "Bahia"),
    "baianos": ("admin1", "BR", "Bahia"), "pernambucano": ("admin1", "BR", "Pernambuco"),
    "brasiliense": ("city", "BR", "Brasília"), "planalto": ("city", "BR", "Brasília"),
    "paceño": ("city", "BO", "La Paz"), "paceños": ("city", "BO", "La Paz"), "paceña": ("city", "BO", "La Paz"),
    "alteño": ("city", "BO", "El Alto"), "alteños": ("city", "BO", "El Alto"),
    "cruceño": ("admin1", "BO", "Santa Cruz"), "cruceños": ("admin1", "BO", "Santa Cruz"),
    "cochabambino": ("city", "BO", "Cochabamba"), "cochabambinos": ("city", "BO", "Cochabamba"),
    "limeño": ("city", "PE", "Lima"), "limeños": ("city", "PE", "Lima"),
    "cusqueño": ("city", "PE", "Cusco"), "cuzqueño": ("city", "PE", "Cusco"),
    "arequipeño": ("city", "PE", "Arequipa"), "arequipeños": ("city", "PE", "Arequipa"),
    "santiaguino": ("city", "CL", "Santiago"), "santiaguinos": ("city", "CL", "Santiago"),
    "moneda": ("city", "CL", "Santiago"),
    "bogotano": ("city", "CO", "Bogotá"), "bogotanos": ("city", "CO", "Bogotá"),
    "antioqueño": ("admin1", "CO", "Antioquia"), "paisa": ("city", "CO", "Medellín"),
    "caleño": ("city", "CO", "Cali"), "caleños": ("city", "CO", "Cali"),
    "quiteño": ("city", "EC", "Quito"), "quiteños": ("city", "EC", "Quito"),
    "guayaquileño": ("city", "EC", "Guayaquil"), "guayaquileños": ("city", "EC", "Guayaquil"),
    "caraqueño": ("city", "VE", "Caracas"), "caraqueños": ("city", "VE", "Caracas"),
    "miraflores palace": ("city", "VE", "Caracas"),
    "regiomontano": ("city", "MX", "Monterrey"), "tapatio": ("city", "MX", "Guadalajara"),
    "chilango": ("city", "MX", "Mexico City"), "chilangos": ("city", "MX", "Mexico City"),
    "cdmx": ("city", "MX", "Mexico City"), "zocalo": ("city", "MX", "Mexico City"),
    "montevideano": ("city", "UY", "Montevideo"), "montevideanos": ("city", "UY", "Montevideo"),
    "asunceno": ("city", "PY", "Asunción"),
}

# Folded names never matched: surnames and first names ("el presidente Morales"), words that are
# capitalised in other senses ("Unión Europea", "Banco Central", "Plaza de Mayo") and saints'
# names shared by dozens of towns. Found by reading wrong matches on the events set and the news
# pages of ../shared; multi-word names that contain one of these ("ciudad juarez") still match.
STOP_NAMES = frozenset("""
union mayor america reforma general central nacional sur norte centro republica capital federal
morales juarez obregon guadalupe escobedo madero linares cuauhtemoc iguala gama timon sao jose
santa maria nueva carmen lara miranda falcon cesar meta magdalena martinez gutierrez ramos torres
herrera garcia lopez perez gonzalez rodriguez alvarez castro victor gabriel marti cristobal moreno
rafaela leon david june july march may april august amazon pacific atlantic ocean rio mar moca lerdo
tonala centre ouest nord sud este oeste independencia salvador andes
""".split()) | frozenset({
    "sao jose", "santa maria", "santa luzia", "santa rosa", "san pedro", "san pablo", "san miguel", "san martin",
    "san francisco", "san luis", "san carlos", "san felipe", "san antonio", "san fernando", "san isidro",
    "san vicente", "san rafael", "san nicolas", "la union", "la libertad", "la victoria", "la esperanza",
    "la granja", "el bosque", "el progreso", "el tigre", "villa nueva", "villa maria", "bella vista",
    "buena vista", "nicolas romero", "benito juarez", "jose marti", "los andes", "la paz de", "de la paz",
})
# Places whose names are also common words ("salto", "colonia", "resistencia", "natal", "paz", "lagos"):
# matched only when written with a capital, so never in all-lower-case text.
WORD_NAMES = frozenset("""
victoria colon progreso libertad esperanza florida concordia paz mercedes soledad constitucion
dolores natal santos franca serra barra vitoria porto palmas americana marilia cascavel maringa
barreiras campos resistencia corrientes posadas formosa pilar tigre merlo bello comas ate recoleta
artigas rivera flores colonia durazno soriano salto trinidad cerro frontera lagos colorado
""".split())
# Places named like an institution, a company or a common surname ("el Banco Central de Reserva",
# the bank "Santander"). With WORD_NAMES, a capitalised one counts only when
# something corroborates it (geotag: a locative preposition before it, another mention of its
# country, the outlet's country) and never as a piece of a longer capitalised name.
INSTITUTION_NAMES = frozenset({"el banco", "santander"})
# Given names: a capitalised word right after one is a surname ("Andrés Lagos", "Jorge Valencia"), not a
# place. Folded; common es/pt/en first names that are not themselves places news name bare.
GIVEN_NAMES = frozenset("""
adolfo adriana adriano agustin aida alberto alejandra alejandro alexandre alfonso alfredo alicia alvaro amanda
ana andrea andres angel angela antonio araceli ariel arturo augusto aurelio beatriz benjamin bernardo blanca
bruno camila camilo carla carlos carmen carolina catalina cecilia cesar claudia claudio cristian cristina
daniel daniela david diana diego dilma domingo eduardo elena eliana elias elizabeth emilio enrique ernesto
esteban eugenio eva evelyn fabian fabio federico felipe fernanda fernando flavio francisca francisco gabriel
gabriela gerardo german gilberto gloria gonzalo graciela guadalupe guillermo gustavo hector helena hernan
hugo ignacio ines irene isabel ivan jaime javier jesus joao joaquim joaquin jorge jose josefina juan juana
julia julian juliana julio karina laura leonardo leticia lorena luciana luciano lucia luis luisa luiz
manuel marcela marcelo marcia marco marcos margarita maria mariana mario marta martha martin mateo matias
mauricio miguel milagros monica nelson nicolas norma octavio oscar pablo patricia paula paulo pedro raquel
raul ricardo roberto rodolfo rodrigo rogelio rolando ronaldo rosa rosana ruben ruth samuel sandra sebastian
sergio silvia sofia sonia susana tatiana teresa tomas valeria vanessa veronica vicente victor viviana walter
ximena yolanda
""".split())

# Names that place a story without being places: leaders, parties, movements, state companies,
# currencies.
# They only add evidence for the event country (kind "cue"); they are not listed as places.
CONTEXT_CUES: dict[str, list[str]] = {
    "VE": ["chavez", "hugo chavez", "maduro", "capriles", "pdvsa", "chavista", "chavistas", "chavismo",
           "bolivarian", "bolivariano", "bolivariana", "psuv", "guaido", "carlos andres perez", "rafael caldera",
           "copei", "fedecamaras", "bolivars", "bolivares"],
    "BR": ["lula", "dilma", "rousseff", "fernando henrique", "bolsonaro", "petrobras", "landless",
           "sem terra", "sem-terra", "mst", "collor", "itamaraty", "itamar franco", "michel temer", "favela", "favelas",
           "cruzeiros", "cruzados", "reais"],
    "CL": ["pinochet", "bachelet", "pinera", "allende", "mapuche", "mapuches", "codelco", "frei",
           "boric", "carabineros", "ricardo lagos", "aylwin", "concertacion"],
    "PE": ["fujimori", "humala", "alan garcia", "sendero luminoso", "shining path", "vizcarra",
           "boluarte", "kuczynski", "ollanta", "alejandro toledo", "pedro castillo", "apra", "nuevos soles", "intis"],
    "BO": ["evo", "evo morales", "banzer", "sanchez de lozada", "goni", "arce", "anez", "cocaleros",
           "comibol", "cob", "paz zamora", "carlos mesa", "chapare", "yungas"],
    "EC": ["rafael correa", "bucaram", "mahuad", "lucio gutierrez", "lasso", "conaie", "noboa",
           "lenin moreno", "duran ballen", "fabian alarcon", "sucres"],
    "CO": ["uribe", "farc", "eln", "petro", "pastrana", "samper", "santos government", "ecopetrol",
           "minga", "gaviria", "ivan duque"],
    "AR": ["kirchner", "menem", "macri", "de la rua", "australes", "duhalde", "peronist", "peronists", "peronista",
           "peronistas", "piqueteros", "piquetero", "milei", "alfonsin", "casa rosada", "cristina fernandez"],
    "MX": ["zapatista", "zapatistas", "ezln", "lopez obrador", "amlo", "calderon", "pena nieto", "salinas",
           "zedillo", "ayotzinapa", "pemex", "cnte", "vicente fox", "sheinbaum", "pri"],
    "HT": ["aristide", "preval", "martelly", "duvalier", "minustah", "lavalas", "moise", "ariel henry", "cedras",
           "namphy", "latortue", "jovenel", "gourdes"],
    "NI": ["daniel ortega", "sandinista", "sandinistas", "contras", "chamorro", "arnoldo aleman", "bolanos",
           "murillo"],
    "HN": ["zelaya", "micheletti", "porfirio lobo", "hernandez government", "xiomara castro", "callejas",
           "flores facusse", "lempiras"],
    "PY": ["stroessner", "cartes", "wasmosy", "duarte frutos", "abdo", "lugo", "gonzalez macchi", "lino oviedo",
           "guaranies"],
    "UY": ["tabare vazquez", "mujica", "frente amplio", "sanguinetti", "lacalle", "batlle", "pit cnt"],
    "SR": ["bouterse", "venetiaan", "wijdenbosch", "santokhi"],
    "GY": ["jagan", "jagdeo", "hoyte", "burnham", "ppp civic", "pnc", "david granger"],
    "JM": ["manley", "seaga", "portia simpson", "holness", "golding", "p j patterson"],
    "DO": ["balaguer", "leonel fernandez", "hipolito mejia", "danilo medina", "abinader"],
    "CU": ["fidel castro", "raul castro", "diaz canel", "castro government"],
    "PA": ["noriega", "martinelli", "torrijos", "cortizo", "endara", "perez balladares", "mireya moscoso", "balboas"],
    "CR": ["oscar arias", "figueres", "chinchilla", "rodrigo chaves"],
    "SV": ["fmln", "arena party", "bukele", "cristiani", "flores government", "calderon sol", "mauricio funes"],
    "GT": ["portillo", "rios montt", "colom", "perez molina", "arevalo", "giammattei",
           "morales government", "serrano elias", "de leon carpio", "arzu", "oscar berger", "urng", "quetzales"],
}

# Latin American and Caribbean news outlets and broadcasters, besides those of sources/sources.toml:
# an article or citation naming one ("source: el mercurio", "the jamaica gleaner") is weak evidence
# that the story is in the outlet's country. Names that are common words ("hoy", "semana",
# "noticias", "correo", "barricada", "búsqueda") and region-wide wires (Notimex, Prensa Latina,
# ACAN-EFE) are left out.
# A name listed under several countries only counts when other evidence already supports one.
LATAM_OUTLETS: dict[str, list[str]] = {
    "AR": ["clarin", "pagina 12", "pagina12", "la nacion", "telam", "noticias argentinas", "radio mitre",
           "radio continental", "ambito financiero", "la voz del interior", "buenos aires herald",
           "la nacion buenos aires", "diario popular", "infobae"],
    "BO": ["la razon", "los tiempos", "el deber", "radio fides", "erbol", "pagina siete",
           "ultima hora", "la prensa", "agencia boliviana de informacion", "radio panamericana"],
    "BR": ["o globo", "rio de janeiro o globo", "folha de sao paulo", "folha de s paulo", "o estado de sao paulo",
           "estado de sao paulo", "agencia estado", "jornal do brasil", "correio braziliense", "gazeta mercantil",
           "tv globo", "globo tv", "rede globo", "radio bandeirantes", "agencia brasil", "zero hora",
           "jornal nacional", "radio globo"],
    "CL": ["el mercurio", "la tercera", "la nacion", "radio cooperativa", "radio bio bio", "biobiochile",
           "television nacional de chile", "la segunda", "las ultimas noticias", "el mostrador", "emol",
           "radio chilena", "radio agricultura"],
    "CO": ["el tiempo", "el espectador", "el colombiano", "caracol", "radio caracol", "caracol radio", "rcn",
           "radio cadena nacional", "todelar", "el heraldo", "vanguardia liberal", "el nuevo siglo"],
    "CR": ["la nacion", "la republica", "diario extra", "teletica", "semanario universidad", "tico times"],
    "CU": ["granma", "juventud rebelde", "radio rebelde", "radio havana", "radio habana cuba", "cubadebate",
           "radio reloj", "tele rebelde", "cubavision", "14ymedio", "diario de cuba", "cibercuba"],
    "DO": ["listin diario", "diario libre", "el nacional", "ultima hora"],
    "EC": ["el universo", "el comercio", "el telegrafo", "radio quito", "cre satelital", "radio cre",
           "hcjb", "voz de los andes", "teleamazonas", "ecuavisa", "radio sonorama", "radio democracia",
           "el expreso"],
    "SV": ["la prensa grafica", "el diario de hoy", "diario co latino", "el faro", "telecorporacion salvadorena"],
    "GT": ["prensa libre", "siglo veintiuno", "siglo xxi", "el periodico", "cerigua", "radio sonora",
           "nuestro diario", "guatevision"],
    "HN": ["la tribuna", "el heraldo", "la prensa", "radio hrn", "hrn", "proceso digital"],
    "MX": ["la jornada", "el universal", "excelsior", "mexico city news", "the news mexico", "el financiero",
           "televisa", "tv azteca", "uno mas uno", "la cronica de hoy"],
    "NI": ["la prensa", "el nuevo diario", "radio corporacion", "radio ya"],
    "PA": ["la prensa", "la estrella de panama", "el panama america", "panama america", "telemetro"],
    "PY": ["abc color", "ultima hora", "la nacion", "radio nanduti", "radio primero de marzo", "radio cardinal"],
    "PE": ["el comercio", "la republica", "peru 21", "radio programas del peru", "rpp",
           "el peruano", "radio nacional del peru", "canal n"],
    "UY": ["el pais", "la republica", "el observador", "la diaria", "radio el espectador",
           "radio sarandi", "montevideo portal"],
    "VE": ["el nacional", "el universal", "ultimas noticias", "globovision", "venevision", "radio caracas",
           "rctv", "venpres", "union radio", "el impulso", "el carabobeno", "tal cual", "el pitazo",
           "efecto cocuyo"],
    "HT": ["le nouvelliste", "radio metropole", "radio haiti inter", "radio kiskeya", "radio vision 2000",
           "haiti progres", "haiti en marche", "alterpresse", "haitilibre", "signal fm", "radio galaxie"],
    "JM": ["jamaica gleaner", "the gleaner", "jamaica observer", "radio jamaica", "rjr"],
    "GY": ["stabroek news", "guyana chronicle", "kaieteur news", "guyana times", "demerara waves"],
    "SR": ["de ware tijd", "starnieuws", "radio apintie", "de west"],
    "TT": ["trinidad express", "trinidad guardian"],
    "BZ": ["amandala"],
}
# Outlet names in sources/sources.toml that are common words or phrases, never matched as outlets.
OUTLET_COMMON_NAMES = frozenset({
    "hoy", "semana", "proceso", "brecha", "acento", "confidencial", "divergentes", "milenio", "contracorriente",
    "lavaca", "la hora", "gk", "g1",
})
