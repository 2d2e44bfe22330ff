"""Wire stories written for the dedup tests: one event told by a wire agency, an outlet's copy of
it, a Portuguese and an English report of the same event, and a related but different event."""

from __future__ import annotations

from datetime import datetime, timezone

WIRE = """Cientos de productores de coca bloquearon este lunes la carretera que une La Paz con los Yungas en rechazo a la nueva ley de registro de cultivos aprobada la semana pasada por la Asamblea Legislativa.

Los manifestantes, agrupados en la Asociación Departamental de Productores de Coca (Adepcoca), instalaron al menos 14 puntos de bloqueo entre las localidades de Unduavi y Coroico, según un reporte de la Administradora Boliviana de Carreteras.

"No vamos a levantar la medida hasta que el Gobierno abrogue la ley", dijo a la prensa el dirigente Armin Lluta, quien advirtió que los bloqueos se extenderán a la ciudad de La Paz si no hay una respuesta hasta el miércoles.

La Policía desplegó unos 300 efectivos en la zona de Unduavi, donde se registraron enfrentamientos con gases lacrimógenos durante la mañana. Cinco personas fueron detenidas y dos resultaron heridas, informó la Defensoría del Pueblo.

El viceministro de Defensa Social, Jaime Mamani, convocó a los dirigentes a una reunión en la sede de Gobierno y pidió a los productores no perjudicar a los transportistas que llevan alimentos hacia el norte del departamento.

La ley obliga a registrar cada cato de coca en un padrón biométrico, una exigencia que los productores de los Yungas consideran un paso previo a la erradicación de sus cultivos.

Los transportistas de la ruta denunciaron pérdidas por más de 2 millones de bolivianos en la primera jornada del conflicto."""

# The same wire story as another outlet printed it: its own headline, an intro line, a
# "read also" link, the last paragraph trimmed and its boilerplate at the end.
WIRE_COPY = """La Paz, 17 nov (EFE).- Cientos de productores de coca bloquearon este lunes la carretera que une La Paz con los Yungas en rechazo a la nueva ley de registro de cultivos aprobada la semana pasada por la Asamblea Legislativa.

Los manifestantes, agrupados en la Asociación Departamental de Productores de Coca (Adepcoca), instalaron al menos 14 puntos de bloqueo entre las localidades de Unduavi y Coroico, según un reporte de la Administradora Boliviana de Carreteras.

Lea también: El Gobierno promulga la ley de registro de cultivos de coca

"No vamos a levantar la medida hasta que el Gobierno abrogue la ley", dijo a la prensa el dirigente Armin Lluta, quien advirtió que los bloqueos se extenderán a la ciudad de La Paz si no hay una respuesta hasta el miércoles.

La Policía desplegó unos 300 efectivos en la zona de Unduavi, donde se registraron enfrentamientos con gases lacrimógenos durante la mañana. Cinco personas fueron detenidas y dos resultaron heridas, informó la Defensoría del Pueblo.

El viceministro de Defensa Social, Jaime Mamani, convocó a los dirigentes a una reunión en la sede de Gobierno y pidió a los productores no perjudicar a los transportistas que llevan alimentos hacia el norte del departamento.

© 2026 Diario del Valle. Todos los derechos reservados."""

PORTUGUESE = """Produtores de coca da Bolívia bloquearam nesta segunda-feira a estrada entre La Paz e a região dos Yungas em protesto contra a lei de registro de cultivos aprovada pela Assembleia Legislativa.

Segundo a Administradora Boliviana de Estradas, foram instalados 14 pontos de bloqueio entre Unduavi e Coroico. A polícia enviou 300 agentes e houve confrontos com gás lacrimogêneo; cinco pessoas foram detidas.

O dirigente Armin Lluta afirmou que os bloqueios chegarão a La Paz se o governo não revogar a lei até quarta-feira."""

ENGLISH = """Coca growers in Bolivia blocked the highway linking La Paz with the Yungas region on Monday to protest a new law requiring the registration of coca crops.

The growers set up 14 roadblocks between Unduavi and Coroico, and police sent 300 officers to the area, where they fired tear gas. Five people were arrested, the ombudsman's office said.

Leader Armin Lluta said the blockades would reach La Paz unless the government repealed the law by Wednesday."""

# Related but different: another blockade in Bolivia, other people, place, demand and week.
OTHER_EVENT = """Transportistas de carga pesada bloquearon este jueves los accesos a la ciudad de Santa Cruz en demanda de la provisión regular de diésel, cuya escasez afecta a las estaciones de servicio desde hace dos semanas.

La Cámara Boliviana de Transporte instaló 22 puntos de bloqueo en las carreteras hacia Cotoca, Warnes y La Guardia, según su presidente, Héctor Mercado.

"Hay filas de tres días para cargar combustible", dijo Mercado, quien pidió a Yacimientos Petrolíferos Fiscales Bolivianos garantizar el abastecimiento antes del fin de semana.

La empresa estatal aseguró que la llegada de dos buques con combustible al puerto de Arica normalizará la distribución en los próximos días."""

MONDAY = datetime(2026, 11, 16, 14, 30, tzinfo=timezone.utc)
THURSDAY_NEXT_WEEK = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
