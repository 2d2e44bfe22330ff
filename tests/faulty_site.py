"""A replay outlet that misbehaves in every way a real one does, built in a temporary folder.

"Diario La Quebrada" (Peru, es) has good articles reachable by feed, news sitemap (via a
sitemap index) and a section page, and paths that answer 404, 500, 429 with Retry-After,
503, time out, reset the connection, redirect in a loop, send a PDF, send a huge page, or
declare UTF-8 for Latin-1 bytes; a second feed and a second sitemap are malformed.
"""

from __future__ import annotations

from pathlib import Path

ARTICLE = """<!DOCTYPE html>
<html lang="es-PE"><head><meta charset="{charset}">
<title>{title} | Diario La Quebrada</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Diario La Quebrada">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{{{{BASE}}}}{path}">
</head><body>
<header><nav><a href="{{{{BASE}}}}/">Inicio</a> <a href="{{{{BASE}}}}/seccion/protestas/">Protestas</a></nav></header>
<main><article><h1>{title}</h1>
<p class="byline">Por Rosa Huamán</p>
{paragraphs}
</article>
<aside class="related"><h3>Lee también</h3><a href="{{{{BASE}}}}/">Portada</a></aside></main>
<footer>© 2026 Diario La Quebrada · Todos los derechos reservados</footer>
</body></html>
"""

STORIES = {
    "/2026/11/20/paro-de-transportistas-en-trujillo/": (
        "Paro de transportistas paraliza Trujillo", "2026-11-20T09:00:00-05:00",
        ["Los transportistas de Trujillo acataron este jueves un paro de 24 horas contra la ola de extorsiones "
         "que afecta a las empresas de transporte urbano de la ciudad.",
         "Según el gremio, más de 300 unidades dejaron de circular desde las cinco de la mañana y los usuarios "
         "tuvieron que caminar largas distancias para llegar a sus centros de trabajo.",
         "Los dirigentes exigieron al Gobierno declarar el estado de emergencia en la provincia y anunciaron "
         "una marcha hacia la plaza de Armas si no reciben respuesta antes del lunes."]),
    "/2026/11/21/comuneros-bloquean-corredor-minero/": (
        "Comuneros bloquean el corredor minero en Apurímac", "2026-11-21T07:30:00-05:00",
        ["Comuneros de Chalhuahuacho bloquearon desde la madrugada el corredor minero del sur en rechazo "
         "al incumplimiento de los acuerdos firmados con la empresa y el Ejecutivo.",
         "Los manifestantes colocaron piedras y troncos en la vía y impidieron el paso de los camiones que "
         "transportan concentrado de cobre hacia el puerto de Matarani.",
         "La Defensoría del Pueblo pidió instalar una mesa de diálogo y llamó a las partes a evitar hechos "
         "de violencia durante la medida de fuerza."]),
    "/2026/11/22/marcha-de-estudiantes-en-arequipa/": (
        "Estudiantes marchan en Arequipa por el presupuesto universitario", "2026-11-22T11:00:00-05:00",
        ["Miles de estudiantes de la Universidad Nacional de San Agustín marcharon por el centro de Arequipa "
         "para exigir un mayor presupuesto para la educación superior pública.",
         "La movilización partió de la ciudad universitaria y recorrió las principales calles hasta llegar "
         "a la sede del gobierno regional, donde los dirigentes leyeron un pronunciamiento.",
         "Los estudiantes advirtieron que continuarán con las protestas durante la próxima semana."]),
    "/2026/11/23/bcr-reduce-tasa/": (
        "El Banco Central reduce su tasa de referencia", "2026-11-23T18:00:00-05:00",
        ["El directorio del Banco Central de Reserva redujo su tasa de interés de referencia en un cuarto de "
         "punto porcentual, hasta 4,0%, ante la moderación de la inflación.",
         "La entidad explicó que la inflación sin alimentos y energía se ubicó dentro del rango meta por "
         "octavo mes consecutivo y que las expectativas continúan ancladas.",
         "Los analistas esperan que el ciclo de recortes continúe durante el primer trimestre del próximo año."]),
}
SLOW_RECOVERY = {  # articles behind a 429 or a 503 the first time they are asked for
    "/2026/11/24/pescadores-protestan-en-paita/": (
        "Pescadores artesanales protestan en Paita", "2026-11-24T08:00:00-05:00",
        ["Cientos de pescadores artesanales protestaron en el puerto de Paita contra la pesca industrial "
         "dentro de las cinco millas reservadas para la flota artesanal.",
         "Los pescadores bloquearon el acceso al muelle durante varias horas y exigieron la presencia del "
         "ministro de la Producción.",
         "Las autoridades portuarias informaron que las operaciones se normalizaron por la tarde."]),
    "/2026/11/25/huelga-medica-en-cusco/": (
        "Médicos del Cusco inician huelga indefinida", "2026-11-25T10:00:00-05:00",
        ["Los médicos de los hospitales del Cusco iniciaron una huelga indefinida para exigir el pago de "
         "bonificaciones adeudadas y mejores condiciones de trabajo.",
         "El sindicato precisó que solo se atenderán emergencias mientras dure la medida.",
         "La dirección regional de salud pidió a los huelguistas retomar el diálogo."]),
}
LATIN1 = ("/2026/11/26/cacerolazo-en-lima/", (
    "Vecinos realizan un cacerolazo en Lima", "2026-11-26T20:00:00-05:00",
    ["Cientos de vecinos de Jesús María salieron a sus balcones para realizar un cacerolazo contra la "
     "inseguridad ciudadana y la falta de patrullaje en el distrito.",
     "La protesta se repitió en San Miguel, Pueblo Libre y Magdalena, según mostraron videos difundidos "
     "en las redes sociales.",
     "Los organizadores convocaron a una nueva jornada de protesta para el próximo viernes."]))
GALLERY = "/2026/11/19/galeria-fotos-de-la-marcha/"  # a photo gallery: no article text, dropped as no-text
FAULTY_PATHS = {
    "/2026/11/19/nota-borrada/": "http-404",
    "/2026/11/19/error-del-servidor/": "http-500",
    "/2026/11/19/pagina-lenta/": "timeout",
    "/2026/11/19/conexion-cortada/": "connection-reset",
    "/2026/11/19/redireccion-en-bucle/": "redirect-loop",
    "/2026/11/19/informe-anual-completo.pdf": "not-html",
    "/2026/11/19/pagina-gigante/": "too-large",
}
FAULTS = """
[[fault]]
path = "/2026/11/19/error-del-servidor/"
status = 500

[[fault]]
path = "/2026/11/19/pagina-lenta/"
delay_seconds = 3.0
body = "<html><body>tarde</body></html>"

[[fault]]
path = "/2026/11/19/conexion-cortada/"
reset = true

[[fault]]
path = "/2026/11/19/redireccion-en-bucle/"
redirect_to = "{{BASE}}/2026/11/19/redireccion-otra/"

[[fault]]
path = "/2026/11/19/redireccion-otra/"
redirect_to = "{{BASE}}/2026/11/19/redireccion-en-bucle/"

[[fault]]
path = "/2026/11/19/informe-anual-completo.pdf"
content_type = "application/pdf"
body = "%PDF-1.4 informe"

[[fault]]
path = "/2026/11/19/pagina-gigante/"
body_bytes = 3000000

[[fault]]
path = "/2026/11/24/pescadores-protestan-en-paita/"
status = 429
times = 1
headers = { "Retry-After" = "1" }

[[fault]]
path = "/2026/11/25/huelga-medica-en-cusco/"
status = 503
times = 1
"""
# Settings that make the faults show quickly: short timeout, small size limit, few redirects.
FAST_FAULT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "1", "DOWNLOAD_MAXSIZE": "1000000", "DOWNLOAD_WARNSIZE": "0", "REDIRECT_MAX_TIMES": "3",
    "RETRY_TIMES": "1", "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0", "AUTOTHROTTLE_MAX_DELAY": "1",
    "PROTESTWIRE_BACKOFF_BASE_SECONDS": "0.1", "PROTESTWIRE_MAX_ARTICLE_AGE_DAYS": "0",
}


def article(path: str, title: str, published: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return ARTICLE.format(title=title, published=published, path=path, paragraphs=body, charset=charset)


def _item(path: str, title: str) -> str:
    return f"<item><title>{title}</title><link>{{{{BASE}}}}{path}</link></item>"


def build(folder: Path) -> Path:
    """Write the site into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)

    def write(path: str, content: str | bytes) -> None:
        file = folder / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    (folder / "site.toml").write_text(
        'id = "quebrada-pe"\nname = "Diario La Quebrada"\ncountry = "PE"\nlanguages = ["es"]\n'
        'feeds = ["/feed.xml", "/feed-roto.xml"]\nsitemaps = ["/sitemap.xml", "/sitemap-roto.xml"]\n'
        'sections = ["/seccion/protestas/"]\n', encoding="utf-8")
    (folder / "faults.toml").write_text(FAULTS, encoding="utf-8")
    write("/robots.txt", "User-agent: *\nDisallow: /privado/\n\nSitemap: {{BASE}}/sitemap.xml\n")
    for path, (title, published, paragraphs) in {**STORIES, **SLOW_RECOVERY}.items():
        write(path, article(path, title, published, paragraphs))
    write(GALLERY, '<html><head><title>Galería: la marcha en fotos</title></head><body><nav><a href="{{BASE}}/">Inicio'
                   '</a></nav><figure><img src="{{BASE}}/f1.jpg"><figcaption>Foto 1</figcaption></figure><figure>'
                   '<img src="{{BASE}}/f2.jpg"><figcaption>Foto 2</figcaption></figure></body></html>')
    latin1_path, (title, published, paragraphs) = LATIN1
    # Latin-1 bytes that the server (faults.toml) will not declare: the HTTP header says UTF-8.
    write(latin1_path, article(latin1_path, title, published, paragraphs, "iso-8859-1").encode("iso-8859-1"))
    feed_paths = list(STORIES)[:2] + list(SLOW_RECOVERY) + [latin1_path, GALLERY, *FAULTY_PATHS,
                                                           "/privado/2026/11/19/nota-interna/"]
    items = "".join(_item(p, p.strip("/").split("/")[-1]) for p in feed_paths)
    items += _item("https://example.org/2026/11/20/otra-web/", "Enlace externo").replace("{{BASE}}", "")
    write("/feed.xml", f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Diario La Quebrada'
                       f'</title><link>{{{{BASE}}}}/</link><language>es-PE</language>{items}</channel></rss>')
    write("/feed-roto.xml", "<html><body><h1>Servicio no disponible</h1><p>Vuelva más tarde")
    write("/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
                          'schemas/sitemap/0.9"><sitemap><loc>{{BASE}}/sitemap-noticias.xml</loc></sitemap></sitemapindex>')
    third = list(STORIES)[2]
    write("/sitemap-noticias.xml",
          '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{{BASE}}' + third + '</loc>'
          '<news:news><news:publication><news:name>Diario La Quebrada</news:name><news:language>es</news:language>'
          '</news:publication><news:publication_date>2026-11-22T11:00:00-05:00</news:publication_date>'
          '<news:title>Estudiantes marchan en Arequipa</news:title></news:news></url></urlset>')
    write("/sitemap-roto.xml", "<urlset><url><loc>sin cerrar")
    fourth = list(STORIES)[3]
    write("/seccion/protestas/", '<html><body><nav><a href="{{BASE}}/">Inicio</a> <a href="{{BASE}}/tag/peru/">Perú</a>'
                                 '</nav><ul><li><a href="{{BASE}}' + fourth + '">El Banco Central reduce su tasa de '
                                 'referencia</a></li><li><a href="{{BASE}}/autor/rosa-huaman/">Rosa Huamán</a></li>'
                                 '</ul></body></html>')
    return folder


# What a crawl of the site must end with.
STORED_PATHS = [*STORIES, *SLOW_RECOVERY, LATIN1[0]]
EXPECTED_ERRORS = {reason: 1 for reason in FAULTY_PATHS.values()} | {
    "robots-txt": 1, "bad-feed": 1, "bad-sitemap": 1, "bad-encoding": 1,
}
