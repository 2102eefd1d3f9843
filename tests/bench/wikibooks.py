"""A Wikibooks-shaped Kiwix archive in Spanish ("Wikilibros"), for the ranking benchmark.

Kiwix archives are not all Wikipedia: Wikibooks names its pages as paths (`Curso de
italiano/Lección 3`, `Manual de jardinería/Plagas y enfermedades/Pulgones`) or with a prefix
(`Receta:Té`, `Libro de cocina:Pan de maíz`), and keeps help and category pages under a
namespace (`Ayuda:Buscar`, `Categoría:Recetas`). This module writes such an archive with
libzim's Creator (`zimsynth.write_zim`), in the new namespace scheme (entry paths without
`A/`), from pages written for termpedia (no text copied from anywhere):

- books whose parent page lists its subpages ("Lección 3: los artículos"), subpages that link
  to their neighbours ("← Lección 2", "Lección 4 →") and to each other ("la lección sobre los
  artículos"), and a third level (`…/Sustantivos/Ejercicios`);
- a cookbook of prefixed pages; `Café` is both an ordinary page and `Receta:Café`, the other
  bare names (`Café con leche`, `Pan de maíz`, …) are no page's title;
- ordinary pages (`Esperanto`, `Té`, `Maíz`, …), a few redirects (`Zamenhof`, `Italiano`),
  two help pages and three category pages.

The HTML is shaped as mwoffliner writes it: a lead paragraph, `<h2>` sections, lists, and
relative hrefs from the page's own folder (`../Curso_de_italiano/Lecci%C3%B3n_3` from a
subpage, `./Receta:T%C3%A9` where the first segment holds a colon, so that it is not read as
a URL scheme). The text is the same on every run; `write(folder)` reuses the archive it finds
there when its pages' fingerprint matches.

Usage: .venv/bin/python -m tests.bench.wikibooks OUT_FOLDER
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .zimsynth import ZimPage, write_zim

LANGUAGE = "spa"
FILE = "wikilibros_es.zim"
MAIN = "Portada"
ARCHIVE_TITLE = "Wikilibros en español (muestra)"
VERSION = "1"
"""Part of the fingerprint: bump it when the rendering (not the text) changes."""
NAMESPACES = ("Ayuda:", "Categoría:")
"""Prefixes that are the wiki's namespaces; other prefixes (`Receta:`) are part of titles."""

LINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")

Block = str | list[str] | tuple[str, list[str]]
"""A paragraph; a bulleted list; ("ol", items) a numbered list. Text holds [[Title|label]]."""


@dataclass
class Page:
    title: str
    lead: str
    sections: list[tuple[str, list[Block]]] = field(default_factory=list)
    footer: str = ""
    """A last paragraph: the navigation between subpages, or the category links."""


# -- the Italian course: numbered lessons ---------------------------------------------------

ITALIAN = "Curso de italiano"
ITALIAN_LESSONS: list[tuple[str, str, list[str], str]] = [
    (
        "el alfabeto y la pronunciación",
        "El alfabeto italiano tiene veintiuna letras; la j, la k, la w, la x y la y solo "
        "aparecen en palabras de origen extranjero. La pronunciación es bastante regular: casi "
        "todas las letras se leen siempre igual y las vocales son las mismas cinco del español. "
        "Las dificultades se concentran en unas pocas combinaciones: ce y ci se pronuncian como "
        "la ch española, mientras que che y chi suenan como que y qui; ge y gi se leen con una "
        "y muy tensa, y gh conserva el sonido de la g de «gato».",
        [
            "cena: cena (se lee «chena»)",
            "chiesa: iglesia (se lee «kiesa»)",
            "gelato: helado",
            "ghiaccio: hielo",
            "gnocchi: ñoquis, con el sonido de la ñ",
        ],
        "Las consonantes dobles se pronuncian más largas que las simples, y la diferencia "
        "cambia el significado: pala es una pala, pero palla es una pelota. Lee los ejemplos en "
        "voz alta y grábate; en la [[Curso de italiano/Lección 2|lección de los saludos]] "
        "usarás estos sonidos en frases completas.",
    ),
    (
        "los saludos y las presentaciones",
        "En italiano se saluda de forma distinta según la hora del día y la confianza. "
        "Buongiorno sirve durante la mañana y buena parte de la tarde; buonasera se usa desde "
        "media tarde; ciao es informal y vale tanto para llegar como para despedirse. Para "
        "presentarse basta con «mi chiamo» seguido del nombre, y para preguntar el nombre se dice "
        "«come ti chiami?» a quien se tutea o «come si chiama?» en un trato formal.",
        [
            "Buongiorno, signora!: ¡Buenos días, señora!",
            "Mi chiamo Lucía, e tu?: Me llamo Lucía, ¿y tú?",
            "Piacere!: ¡Encantado!",
            "Arrivederci: Adiós (formal)",
            "A domani!: ¡Hasta mañana!",
        ],
        "El trato de usted se construye con el pronombre Lei y el verbo en tercera persona, "
        "como en español. Verás la conjugación completa en "
        "[[Curso de italiano/Lección 4|la lección del verbo essere]]; por ahora basta con "
        "memorizar las fórmulas.",
    ),
    (
        "los artículos",
        "El italiano tiene más artículos que el español porque su forma depende del sonido con "
        "que empieza la palabra siguiente. En masculino singular se usa il ante la mayoría de "
        "las consonantes, lo ante s seguida de consonante, z, gn, ps y x, y l' ante vocal. En "
        "plural, il pasa a i, mientras que lo y l' pasan a gli. El femenino es más sencillo: la, "
        "l' ante vocal y le en plural.",
        [
            "il libro, i libri: el libro, los libros",
            "lo studente, gli studenti: el estudiante, los estudiantes",
            "l'amico, gli amici: el amigo, los amigos",
            "la casa, le case: la casa, las casas",
            "un'amica: una amiga",
        ],
        "Los artículos indeterminados siguen la misma lógica: un, uno, una y un'. Cuando se "
        "combinan con una preposición forman las preposiciones articuladas, que se estudian en "
        "la [[Curso de italiano/Lección 9|lección 9]].",
    ),
    (
        "el verbo essere",
        "Essere significa ser y también estar, porque el italiano no distingue entre los dos "
        "verbos como hace el español. Es irregular en casi todas sus formas y conviene "
        "aprenderlo de memoria antes de seguir: io sono, tu sei, lui o lei è, noi siamo, voi "
        "siete, loro sono. La tercera persona del singular lleva acento grave, que la distingue "
        "de la conjunción e.",
        [
            "Sono spagnolo: Soy español",
            "Siamo a casa: Estamos en casa",
            "Il caffè è caldo: El café está caliente",
            "Dove sei?: ¿Dónde estás?",
        ],
        "Con essere se forman además los tiempos compuestos de muchos verbos de movimiento, como "
        "verás en [[Curso de italiano/Lección 10|el passato prossimo]]. El otro auxiliar, avere, "
        "es el tema de la lección siguiente.",
    ),
    (
        "el verbo avere",
        "Avere equivale a haber y a tener. Su presente es io ho, tu hai, lui ha, noi abbiamo, "
        "voi avete, loro hanno; la h inicial no se pronuncia y solo sirve para distinguir ho, "
        "hai, ha y hanno de otras palabras que suenan igual, como o, ai, a y anno (año). Muchas "
        "expresiones que en español llevan tener se dicen también con avere: avere fame, avere "
        "sete, avere freddo.",
        [
            "Ho vent'anni: Tengo veinte años",
            "Hai tempo?: ¿Tienes tiempo?",
            "Abbiamo fame: Tenemos hambre",
            "Hanno una macchina rossa: Tienen un coche rojo",
        ],
        "Si confundes avere con [[Curso de italiano/Lección 4|essere]], repasa los dos presentes "
        "juntos en voz alta hasta que salgan sin pensar: son la base de todos los tiempos "
        "compuestos.",
    ),
    (
        "los verbos regulares",
        "Los verbos italianos se reparten en tres conjugaciones según la terminación del "
        "infinitivo: -are (parlare), -ere (credere) e -ire (dormire). Para formar el presente se "
        "quita la terminación y se añaden las desinencias: -o, -i, -a, -iamo, -ate, -ano en la "
        "primera conjugación; -o, -i, -e, -iamo, -ete, -ono en la segunda; -o, -i, -e, -iamo, "
        "-ite, -ono en la tercera. Algunos verbos en -ire, como capire y finire, intercalan -isc- "
        "en casi todas las personas.",
        [
            "Parlo italiano: Hablo italiano",
            "Credi a me?: ¿Me crees?",
            "Dormiamo poco: Dormimos poco",
            "Capisco tutto: Lo entiendo todo",
        ],
        "En la tercera persona del plural el acento no se desplaza: se dice PAR-la-no y no "
        "par-LA-no. Practica con los verbos de la lista y después pasa a "
        "[[Curso de italiano/Lección 7|los números]].",
    ),
    (
        "los números",
        "Los números del uno al diez son uno, due, tre, quattro, cinque, sei, sette, otto, nove "
        "y dieci. Del once al dieciséis terminan en -dici (undici, dodici, tredici…), y a partir "
        "del diecisiete el orden se invierte: diciassette, diciotto, diciannove. Las decenas son "
        "venti, trenta, quaranta, cinquanta, sessanta, settanta, ottanta y novanta; cuando la "
        "unidad empieza por vocal, la decena pierde su última vocal: ventuno, trentotto.",
        [
            "dodici uova: doce huevos",
            "ventitré anni: veintitrés años",
            "cento euro: cien euros",
            "mille grazie: mil gracias",
        ],
        "Para decir la hora se usan los números con el artículo femenino: sono le tre (son las "
        "tres), è l'una (es la una). Para las fechas repasa también "
        "[[Curso de italiano/Lección 3|los artículos determinados]].",
    ),
    (
        "los adjetivos",
        "Los adjetivos concuerdan en género y número con el sustantivo. Los que terminan en -o "
        "tienen cuatro formas (rosso, rossa, rossi, rosse) y los que terminan en -e solo dos, una "
        "para el singular y otra para el plural (verde, verdi). Por lo general se colocan detrás "
        "del sustantivo, aunque algunos muy frecuentes, como bello, buono o grande, suelen ir "
        "delante y entonces cambian de forma igual que el artículo.",
        [
            "una casa grande: una casa grande",
            "i fiori rossi: las flores rojas",
            "un bel ragazzo: un chico guapo",
            "un buon vino: un buen vino",
        ],
        "Bello se comporta como [[Curso de italiano/Lección 3|el artículo determinado]]: bel, "
        "bello, bell', bei, begli. Compara las dos tablas para verlo.",
    ),
    (
        "las preposiciones articuladas",
        "Las preposiciones di, a, da, in y su se unen con el artículo determinado que las sigue "
        "y forman una sola palabra: di más il da del, a más la da alla, in más gli da negli. Con "
        "y per también se combinaban antiguamente, pero hoy se escriben separadas. Estas formas "
        "son muy frecuentes y conviene aprenderlas en una tabla.",
        [
            "il libro del professore: el libro del profesor",
            "vado alla stazione: voy a la estación",
            "vengo dalla Spagna: vengo de España",
            "è nel cassetto: está en el cajón",
            "sul tavolo: sobre la mesa",
        ],
        "Si dudas de qué artículo corresponde a cada palabra, vuelve a "
        "[[Curso de italiano/Lección 3|la lección sobre los artículos]] antes de hacer los "
        "ejercicios.",
    ),
    (
        "el passato prossimo",
        "El passato prossimo es el pasado más usado en la conversación y corresponde tanto al "
        "pretérito perfecto como al indefinido del español. Se forma con el presente de avere o "
        "de essere y el participio: ho mangiato, sono andata. Con essere, el participio "
        "concuerda con el sujeto como un adjetivo. Usan essere los verbos de movimiento y de "
        "cambio de estado, y los reflexivos; casi todos los demás usan avere.",
        [
            "Ieri ho mangiato la pizza: Ayer comí pizza",
            "Maria è partita alle otto: María se fue a las ocho",
            "Siamo arrivati tardi: Llegamos tarde",
            "Non ho capito: No lo he entendido",
        ],
        "Los participios regulares terminan en -ato, -uto e -ito. Repasa antes "
        "[[Curso de italiano/Lección 5|el presente de avere]] y el de essere.",
    ),
    (
        "el futuro simple",
        "El futuro simple se forma a partir del infinitivo sin la -e final, y en la primera "
        "conjugación la a de la terminación se convierte en e: parlare da parlerò, parlerai, "
        "parlerà, parleremo, parlerete, parleranno. Se usa para hablar de planes, pero también "
        "para expresar una suposición sobre el presente, igual que en español: saranno le dieci, "
        "serán las diez.",
        [
            "Domani partirò presto: Mañana saldré temprano",
            "Che ore saranno?: ¿Qué hora será?",
            "Vi scriverò una lettera: Os escribiré una carta",
        ],
        "Algunos verbos acortan la raíz: andare da andrò, avere da avrò y essere da sarò. "
        "Compáralos con [[Curso de italiano/Lección 6|los verbos regulares en presente]].",
    ),
    (
        "los pronombres directos",
        "Los pronombres de objeto directo sustituyen a un sustantivo que ya se ha mencionado: "
        "mi, ti, lo, la, ci, vi, li, le. Se colocan delante del verbo conjugado, pero se unen al "
        "final del infinitivo, del gerundio y del imperativo informal: lo vedo, pero voglio "
        "vederlo. En los tiempos compuestos, el participio concuerda con lo, la, li y le.",
        [
            "Conosci Marco? Sì, lo conosco: ¿Conoces a Marco? Sí, lo conozco",
            "La pizza? L'ho mangiata: ¿La pizza? Me la he comido",
            "Ti chiamo domani: Te llamo mañana",
        ],
        "Con esta lección termina el primer nivel del curso. Para seguir practicando, vuelve a "
        "[[Curso de italiano/Lección 10|la lección del passato prossimo]] y sustituye los "
        "objetos de los ejemplos por pronombres.",
    ),
]

ITALIAN_LEADS = [
    "Primera lección del [[Curso de italiano]]: {topic}. Antes de aprender palabras conviene "
    "saber cómo suenan.",
    "En esta lección del [[Curso de italiano]] aprenderás {topic}, lo primero que se dice al "
    "llegar a Italia.",
    "Esta lección trata de {topic}, una de las partes de la gramática italiana que más "
    "diferencias tiene con el español.",
    "Aquí se presenta {topic}, el verbo más frecuente del idioma.",
    "La quinta lección está dedicada a {topic}, el segundo auxiliar del italiano.",
    "Con {topic} empieza la conjugación propiamente dicha.",
    "En esta lección se aprenden {topic}, imprescindibles para comprar, citarse o decir la edad.",
    "La octava lección explica {topic} y su concordancia con el sustantivo.",
    "Esta lección presenta {topic}, que unen preposición y artículo en una sola palabra.",
    "La décima lección del curso introduce {topic}, el tiempo del pasado de la conversación.",
    "En esta lección verás {topic} y sus usos para planes y suposiciones.",
    "La última lección del primer nivel trata de {topic}.",
]


def italian_pages() -> list[Page]:
    pages = []
    count = len(ITALIAN_LESSONS)
    for number, (topic, explained, examples, practice) in enumerate(ITALIAN_LESSONS, 1):
        heading = topic[0].upper() + topic[1:]
        nav = []
        if number > 1:
            nav.append(f"[[{ITALIAN}/Lección {number - 1}|← Lección {number - 1}]]")
        nav.append(f"[[{ITALIAN}]]")
        if number < count:
            nav.append(f"[[{ITALIAN}/Lección {number + 1}|Lección {number + 1} →]]")
        pages.append(
            Page(
                f"{ITALIAN}/Lección {number}",
                ITALIAN_LEADS[number - 1].format(topic=topic),
                [
                    (heading, [explained]),
                    ("Ejemplos", [examples]),
                    ("Práctica", [practice]),
                ],
                " · ".join(nav),
            )
        )
    listing = [
        f"[[{ITALIAN}/Lección {n}|Lección {n}: {topic}]]"
        for n, (topic, *_) in enumerate(ITALIAN_LESSONS, 1)
    ]
    parent = Page(
        ITALIAN,
        "Este libro es un curso de [[Idioma italiano|italiano]] para hispanohablantes que "
        "empiezan desde cero. Cada lección presenta un punto de gramática, ejemplos con su "
        "traducción y una propuesta de práctica, y está pensada para una semana de estudio.",
        [
            ("Lecciones", [listing]),
            (
                "Cómo usar este curso",
                [
                    "Sigue las lecciones en orden: cada una da por sabidas las anteriores. El "
                    "español y el italiano comparten mucho vocabulario, pero también muchos "
                    "falsos amigos, así que no te fíes de las palabras que parecen iguales. Si "
                    "quieres saber más sobre la historia del idioma, lee el artículo sobre "
                    "[[Idioma italiano|la lengua italiana]].",
                    "Quien ya haya terminado este curso puede empezar otro: hay libros de "
                    "[[Curso de alemán|alemán para principiantes]] y de "
                    "[[Curso de esperanto|esperanto desde cero]].",
                ],
            ),
        ],
        "Categoría: [[Categoría:Cursos de idiomas|Cursos de idiomas]]",
    )
    return [parent, *pages]


# -- the German course: numbered units --------------------------------------------------------

GERMAN = "Curso de alemán"
GERMAN_UNITS: list[tuple[str, str, list[str], str]] = [
    (
        "el alfabeto y los sonidos",
        "El alemán se escribe con el alfabeto latino y cuatro letras propias: ä, ö, ü y ß. Las "
        "vocales pueden ser largas o breves, y la diferencia importa: Staat (estado) tiene una a "
        "larga y Stadt (ciudad), una breve. La ch suena suave, casi como un soplido, después de "
        "e o i, y fuerte, como la jota española, después de a, o y u. La w se pronuncia como una "
        "v labiodental y la z como ts.",
        [
            "ich: yo (ch suave)",
            "Buch: libro (ch fuerte)",
            "Wasser: agua",
            "Zeit: tiempo",
            "Straße: calle",
        ],
        "La ß, llamada Eszett, aparece tras vocal larga o diptongo; tras vocal breve se escribe "
        "ss. En Suiza no se usa nunca y siempre se escribe ss.",
    ),
    (
        "saludar y despedirse",
        "Guten Morgen, Guten Tag y Guten Abend cubren las horas del día en un registro neutro. "
        "Entre amigos basta con Hallo o, en el sur de Alemania y en Austria, Servus. Para "
        "despedirse se dice Auf Wiedersehen en situaciones formales y Tschüss entre conocidos. "
        "El alemán distingue con claridad entre du, para la familia, los amigos y los niños, y "
        "Sie, para los adultos con quienes no hay confianza.",
        [
            "Wie heißen Sie?: ¿Cómo se llama usted?",
            "Ich heiße Pablo: Me llamo Pablo",
            "Wie geht's?: ¿Qué tal?",
            "Bis morgen!: ¡Hasta mañana!",
        ],
        "Sie se escribe con mayúscula cuando equivale a usted, y su conjugación coincide con la "
        "de la tercera persona del plural, que verás en "
        "[[Curso de alemán/Unidad 5|la unidad sobre el presente]].",
    ),
    (
        "el género y el artículo",
        "Todo sustantivo alemán tiene uno de tres géneros, masculino, femenino o neutro, y el "
        "artículo determinado lo indica: der, die y das. El género no siempre coincide con el "
        "del español y a menudo no se puede adivinar, por lo que conviene aprender cada palabra "
        "con su artículo. Hay pistas útiles: los sustantivos terminados en -ung, -heit y -keit "
        "son femeninos, y los diminutivos en -chen y -lein son neutros. Además, todos los "
        "sustantivos se escriben con mayúscula inicial.",
        [
            "der Tisch: la mesa",
            "die Sonne: el sol",
            "das Mädchen: la chica",
            "die Zeitung: el periódico",
        ],
        "En plural, los tres géneros comparten el artículo die. El artículo cambia también según "
        "el caso, como se explica en "
        "[[Curso de alemán/Unidad 6|los casos nominativo y acusativo]].",
    ),
    (
        "los verbos sein y haben",
        "Sein (ser, estar) y haben (tener, haber) son los dos verbos más frecuentes y los dos "
        "son irregulares. El presente de sein es ich bin, du bist, er ist, wir sind, ihr seid, "
        "sie sind; el de haben, ich habe, du hast, er hat, wir haben, ihr habt, sie haben. Igual "
        "que en español, haben sirve de auxiliar para los tiempos compuestos, y sein lo hace con "
        "los verbos de movimiento.",
        [
            "Ich bin müde: Estoy cansado",
            "Wir sind aus Chile: Somos de Chile",
            "Hast du Hunger?: ¿Tienes hambre?",
            "Sie hat zwei Brüder: Ella tiene dos hermanos",
        ],
        "Aprende las dos tablas antes de seguir: aparecerán otra vez en "
        "[[Curso de alemán/Unidad 10|el Perfekt]].",
    ),
    (
        "la conjugación en presente",
        "Para conjugar un verbo regular en presente se quita -en al infinitivo y se añaden las "
        "terminaciones -e, -st, -t, -en, -t, -en: ich spiele, du spielst, er spielt. Cuando la "
        "raíz termina en -t o -d se intercala una e para poder pronunciar: du arbeitest. Muchos "
        "verbos fuertes cambian la vocal en la segunda y la tercera persona del singular: fahren "
        "da du fährst, sprechen da er spricht.",
        [
            "Ich wohne in Madrid: Vivo en Madrid",
            "Du sprichst gut Deutsch: Hablas bien alemán",
            "Er liest ein Buch: Él lee un libro",
            "Wir lernen zusammen: Aprendemos juntos",
        ],
        "Los verbos como anrufen o aufstehen tienen además un prefijo que se separa; los "
        "estudiarás en [[Curso de alemán/Unidad 7|los verbos separables]].",
    ),
    (
        "los casos nominativo y acusativo",
        "El alemán marca la función de los sustantivos con cuatro casos. El nominativo es el "
        "caso del sujeto y el acusativo, el del complemento directo. En la práctica solo el "
        "masculino singular cambia entre ambos: der pasa a den y ein pasa a einen. El femenino, "
        "el neutro y el plural tienen la misma forma en los dos casos.",
        [
            "Der Hund schläft: El perro duerme",
            "Ich sehe den Hund: Veo al perro",
            "Sie kauft einen Apfel: Ella compra una manzana",
            "Das Kind trinkt die Milch: El niño bebe la leche",
        ],
        "Algunas preposiciones, como für, durch y ohne, rigen siempre acusativo. El tercer caso, "
        "el dativo, tiene [[Curso de alemán/Unidad 8|su propia unidad]].",
    ),
    (
        "los verbos separables",
        "Muchos verbos alemanes llevan un prefijo, como an-, auf-, aus-, ein- o mit-, que en las "
        "oraciones principales se separa del verbo y se coloca al final. Así, aufstehen "
        "(levantarse) da «ich stehe um sieben Uhr auf». En el infinitivo y en las oraciones "
        "subordinadas el verbo vuelve a escribirse junto. El prefijo separable lleva siempre el "
        "acento de la palabra.",
        [
            "Der Zug fährt um acht Uhr ab: El tren sale a las ocho",
            "Ruf mich morgen an!: ¡Llámame mañana!",
            "Kommst du mit?: ¿Vienes con nosotros?",
        ],
        "Los prefijos be-, ge-, er-, ver- y zer- no se separan nunca. La posición del prefijo al "
        "final de la frase se entiende mejor con "
        "[[Curso de alemán/Unidad 9|el orden de la oración]].",
    ),
    (
        "el dativo",
        "El dativo es el caso del complemento indirecto, la persona a quien se da o se dice "
        "algo. Los artículos en dativo son dem para el masculino y el neutro, der para el "
        "femenino y den para el plural, que además añade una -n al sustantivo si no la tiene. "
        "Preposiciones muy comunes como mit, nach, bei, seit, von y zu rigen siempre dativo.",
        [
            "Ich gebe dem Kind ein Buch: Le doy un libro al niño",
            "Wir fahren mit dem Bus: Vamos en autobús",
            "Sie wohnt bei ihrer Tante: Vive en casa de su tía",
            "Das gehört mir: Esto es mío",
        ],
        "Compara las tablas de esta unidad con las de [[Curso de alemán/Unidad 6|la unidad 6]] "
        "para ver qué cambia en cada género.",
    ),
    (
        "el orden de la oración",
        "En la oración principal alemana, el verbo conjugado ocupa siempre el segundo lugar. Lo "
        "que va delante puede ser el sujeto, un complemento o un adverbio, y si no es el sujeto, "
        "este pasa detrás del verbo: Heute gehe ich ins Kino. Los infinitivos, los participios y "
        "los prefijos separables se colocan al final. En las oraciones subordinadas introducidas "
        "por dass, weil o wenn, el verbo conjugado se desplaza también al final.",
        [
            "Ich lerne heute Deutsch: Hoy estudio alemán",
            "Heute lerne ich Deutsch: Hoy estudio alemán",
            "Ich weiß, dass du müde bist: Sé que estás cansado",
            "Er kommt nicht, weil er arbeiten muss: No viene porque tiene que trabajar",
        ],
        "Esta regla del verbo en segunda posición es la clave del pasado compuesto, en el que el "
        "participio queda al final de la frase.",
    ),
    (
        "el pasado con Perfekt",
        "Para hablar del pasado en la conversación se usa el Perfekt, formado con el presente de "
        "haben o sein y el participio II. El participio de los verbos regulares se forma con ge- "
        "y -t (gespielt, gekauft) y el de muchos irregulares con ge- y -en (gesehen, "
        "geschrieben). Como el auxiliar ocupa la segunda posición, el participio se coloca al "
        "final.",
        [
            "Ich habe Kaffee getrunken: He tomado café",
            "Wir sind nach Berlin gefahren: Fuimos a Berlín",
            "Hast du gut geschlafen?: ¿Has dormido bien?",
        ],
        "Usan sein los verbos que indican un movimiento o un cambio de estado, como fahren, "
        "kommen o einschlafen; repasa su presente en "
        "[[Curso de alemán/Unidad 4|la unidad de sein y haben]].",
    ),
]

GERMAN_LEADS = [
    "Primera unidad del [[Curso de alemán]]: {topic}.",
    "Esta unidad enseña a {topic} en alemán, con el registro adecuado a cada situación.",
    "En esta unidad se estudian {topic}, una de las primeras dificultades del alemán para "
    "quien habla español.",
    "La cuarta unidad presenta {topic}, los dos verbos que hay que saber antes que ningún otro.",
    "Esta unidad explica {topic} de los verbos regulares y de los fuertes más comunes.",
    "En esta unidad empiezan los casos: {topic}.",
    "La séptima unidad trata de {topic}, una de las rarezas más conocidas del idioma.",
    "Esta unidad se dedica a {topic}, el caso del complemento indirecto.",
    "En esta unidad se explica {topic}, con el verbo siempre en segunda posición.",
    "La última unidad del curso introduce {topic}, el pasado de la lengua hablada.",
]


def german_pages() -> list[Page]:
    pages = []
    count = len(GERMAN_UNITS)
    for number, (topic, explained, examples, practice) in enumerate(GERMAN_UNITS, 1):
        heading = topic[0].upper() + topic[1:]
        nav = []
        if number > 1:
            nav.append(f"[[{GERMAN}/Unidad {number - 1}|« Unidad {number - 1}]]")
        nav.append(f"[[{GERMAN}]]")
        if number < count:
            nav.append(f"[[{GERMAN}/Unidad {number + 1}|Unidad {number + 1} »]]")
        pages.append(
            Page(
                f"{GERMAN}/Unidad {number}",
                GERMAN_LEADS[number - 1].format(topic=topic),
                [
                    (heading, [explained]),
                    ("Frases de ejemplo", [examples]),
                    ("Observaciones", [practice]),
                ],
                " | ".join(nav),
            )
        )
    listing = [
        f"[[{GERMAN}/Unidad {n}|Unidad {n}: {topic}]]"
        for n, (topic, *_) in enumerate(GERMAN_UNITS, 1)
    ]
    parent = Page(
        GERMAN,
        "Curso de [[Idioma alemán|alemán]] en diez unidades para quien no sabe nada del idioma. "
        "Cada unidad explica un tema, lo ilustra con frases traducidas y termina con algunas "
        "observaciones para no caer en los errores más comunes.",
        [
            ("Unidades", [listing]),
            (
                "Antes de empezar",
                [
                    "El alemán tiene fama de difícil por sus casos y sus palabras largas, pero su "
                    "pronunciación es regular y su vocabulario comparte muchas raíces con el "
                    "inglés. Conviene aprender cada sustantivo con su artículo desde el primer "
                    "día. Quien venga del [[Curso de italiano|curso de italiano]] notará que el "
                    "orden de las palabras es muy distinto.",
                ],
            ),
        ],
        "Categoría: [[Categoría:Cursos de idiomas|Cursos de idiomas]]",
    )
    return [parent, *pages]


# -- the Esperanto course: named subpages, a third level --------------------------------------

ESPERANTO = "Curso de esperanto"
# (subpage, label in the index, text, examples, closing paragraph)
ESPERANTO_LESSONS: list[tuple[str, str, str, list[str], str]] = [
    (
        "Pronunciación",
        "Las letras y su sonido",
        "El esperanto se escribe como se pronuncia: cada letra tiene un solo sonido y cada "
        "sonido se escribe con una sola letra. El alfabeto tiene veintiocho letras, seis de ellas "
        "con un signo diacrítico: ĉ, ĝ, ĥ, ĵ, ŝ y ŭ. La c se pronuncia ts, la ĉ como la ch "
        "española, la ĝ como la j inglesa de «jam» y la ŝ como la sh inglesa. El acento cae "
        "siempre en la penúltima sílaba.",
        [
            "ĉambro: habitación",
            "ĝardeno: jardín",
            "ŝipo: barco",
            "aŭto: coche",
            "familio: familia (fa-mi-LI-o)",
        ],
        "Cuando no se pueden escribir los diacríticos se usa el sistema de la x (cx, gx, sx), "
        "que aceptan muchos teclados y programas.",
    ),
    (
        "Sustantivos",
        "Los sustantivos y el plural en -j",
        "Todos los sustantivos del esperanto terminan en -o, y el plural se forma añadiendo -j, "
        "que suena como la i de «hay»: libro, libroj. No hay género gramatical: para el femenino "
        "se añade el sufijo -in-, de modo que patro es padre y patrino, madre. El único artículo "
        "es la, invariable, y no existe artículo indeterminado.",
        [
            "la hundo: el perro",
            "la hundoj: los perros",
            "knabo, knabino: chico, chica",
            "domo: casa",
        ],
        "Cuando el sustantivo es complemento directo recibe además la terminación -n del "
        "acusativo, que se explica junto a [[Curso de esperanto/Preposiciones|las "
        "preposiciones]]. Practica con los "
        "[[Curso de esperanto/Sustantivos/Ejercicios|ejercicios de sustantivos]].",
    ),
    (
        "Adjetivos",
        "Los adjetivos en -a",
        "Los adjetivos terminan en -a y concuerdan con el sustantivo en número y caso: bela "
        "domo, belaj domoj, mi vidas belan domon. Pueden ir delante o detrás del sustantivo. El "
        "comparativo se forma con «pli … ol» y el superlativo con «la plej».",
        [
            "granda urbo: ciudad grande",
            "ruĝaj floroj: flores rojas",
            "pli alta ol mi: más alto que yo",
            "la plej bona amiko: el mejor amigo",
        ],
        "Como todas las raíces pueden cambiar de categoría, de bona se obtienen el adverbio bone "
        "y el sustantivo bono; verás más casos en "
        "[[Curso de esperanto/Formación de palabras|la formación de palabras]].",
    ),
    (
        "Verbos",
        "Los verbos y sus seis terminaciones",
        "El verbo del esperanto no cambia con la persona: mi estas, vi estas, ŝi estas. Solo "
        "tiene seis terminaciones: -i para el infinitivo, -as para el presente, -is para el "
        "pasado, -os para el futuro, -us para el condicional y -u para el imperativo y el "
        "subjuntivo. No hay verbos irregulares, ni siquiera esti, que significa ser y estar.",
        [
            "mi lernas: aprendo",
            "ni lernis: aprendimos",
            "ili lernos: aprenderán",
            "se mi povus: si pudiera",
            "venu!: ¡ven!",
        ],
        "Los participios activos y pasivos (-ant-, -int-, -ont-, -at-, -it-, -ot-) permiten "
        "construir tiempos compuestos, aunque al principio se usan poco. Haz "
        "[[Curso de esperanto/Verbos/Ejercicios|los ejercicios de verbos]] antes de seguir.",
    ),
    (
        "Pronombres",
        "Pronombres personales y posesivos",
        "Los pronombres personales son mi (yo), vi (tú y vosotros), li (él), ŝi (ella), ĝi "
        "(para cosas y animales), ni (nosotros) e ili (ellos). Existe además oni, impersonal, "
        "como el «se» de «se dice». El posesivo se forma añadiendo -a al pronombre (mia, via, "
        "lia) y concuerda como cualquier adjetivo.",
        [
            "mia libro: mi libro",
            "niaj amikoj: nuestros amigos",
            "oni diras: se dice",
            "ŝi lavas sin: ella se lava",
        ],
        "El pronombre reflexivo si solo se usa en tercera persona; con mi y vi se repite el mismo "
        "pronombre, como en «mi lavas min».",
    ),
    (
        "Números",
        "Contar en esperanto",
        "Los números básicos son unu, du, tri, kvar, kvin, ses, sep, ok, naŭ y dek; cent es cien "
        "y mil, mil. Los demás se forman por yuxtaposición: dek du es doce, dudek es veinte y "
        "dudek tri, veintitrés. Con la terminación -a se obtienen los ordinales (unua, dua) y "
        "con -e, los adverbios (unue, en primer lugar).",
        [
            "tri katoj: tres gatos",
            "la kvara tago: el cuarto día",
            "mil okcent okdek sep: el año del primer libro de esperanto",
        ],
        "Con el sufijo -obl- se forman los multiplicativos (duobla, doble) y con -on-, las "
        "fracciones (duono, mitad).",
    ),
    (
        "Preposiciones",
        "Las preposiciones y el acusativo",
        "Las preposiciones más usadas son en, al (a, hacia), de, kun (con), por (para), sur "
        "(sobre) y sub (debajo). Cuando indican un lugar pueden tomar la terminación -n del "
        "acusativo para marcar el movimiento hacia ese lugar: la kato estas sur la tablo (el "
        "gato está sobre la mesa), pero la kato saltas sur la tablon (el gato salta a la mesa). "
        "La preposición je sirve para los casos en que ninguna otra encaja.",
        [
            "mi iras al la lernejo: voy a la escuela",
            "kun plezuro: con gusto",
            "je la tria: a las tres",
        ],
        "El acusativo marca también el complemento directo; si no lo recuerdas, repasa "
        "[[Curso de esperanto/Sustantivos|la lección de los sustantivos]].",
    ),
    (
        "Correlativos",
        "La tabla de los correlativos",
        "Los correlativos son cuarenta y cinco palabras que se construyen combinando cinco "
        "comienzos (ki-, ti-, i-, ĉi-, neni-) con nueve finales (-o, -u, -a, -e, -el, -al, -am, "
        "-om, -es). Así, kiam significa cuándo, tiam entonces, iam alguna vez, ĉiam siempre y "
        "neniam nunca. Basta con aprender catorce piezas para dominar la tabla entera.",
        [
            "kio?: ¿qué?",
            "tie: allí",
            "ĉiu: cada uno",
            "nenio: nada",
            "kiom?: ¿cuánto?",
        ],
        "Los correlativos en ki- sirven a la vez de interrogativos y de relativos, igual que "
        "«qué» y «que» en español.",
    ),
    (
        "Formación de palabras",
        "Prefijos y sufijos",
        "Gran parte del vocabulario se obtiene combinando raíces con prefijos y sufijos fijos. El "
        "prefijo mal- forma contrarios (bona, malbona), re- indica repetición, y sufijos como "
        "-ej- (lugar), -ist- (profesión) o -et- y -eg- (diminutivo y aumentativo) funcionan con "
        "cualquier raíz. De lerni (aprender) salen lernejo (escuela), lernanto (alumno) y "
        "lernejano (escolar).",
        [
            "varma, malvarma: caliente, frío",
            "dormi, dormejo: dormir, dormitorio",
            "domo, dometo, domego: casa, casita, caserón",
        ],
        "Con este sistema, unas mil raíces bastan para entender la mayoría de los textos. "
        "Vuelve a [[Curso de esperanto/Adjetivos|los adjetivos en -a]] para ver cómo cambian de "
        "categoría.",
    ),
]


def esperanto_pages() -> list[Page]:
    pages = []
    for index, (name, label, explained, examples, closing) in enumerate(ESPERANTO_LESSONS):
        nav = []
        if index > 0:
            before, before_label = ESPERANTO_LESSONS[index - 1][:2]
            nav.append(f"[[{ESPERANTO}/{before}|Anterior: {before_label.lower()}]]")
        nav.append(f"[[{ESPERANTO}]]")
        if index + 1 < len(ESPERANTO_LESSONS):
            after, after_label = ESPERANTO_LESSONS[index + 1][:2]
            nav.append(f"[[{ESPERANTO}/{after}|Siguiente: {after_label.lower()}]]")
        pages.append(
            Page(
                f"{ESPERANTO}/{name}",
                f"Lección {index + 1} del [[{ESPERANTO}]]: {label.lower()}.",
                [(label, [explained]), ("Ejemplos", [examples]), ("Notas", [closing])],
                " · ".join(nav),
            )
        )
    pages.append(
        Page(
            f"{ESPERANTO}/Sustantivos/Ejercicios",
            "Ejercicios para practicar lo visto en "
            f"[[{ESPERANTO}/Sustantivos|la lección sobre el sustantivo]]. Las soluciones están al "
            "final de la página.",
            [
                (
                    "Ejercicio 1: el plural",
                    [
                        "Escribe el plural de estas palabras: libro, tablo, arbo, urbo, amiko.",
                    ],
                ),
                (
                    "Ejercicio 2: el femenino",
                    [
                        "Forma el femenino con el sufijo -in-: knabo, frato, kato, reĝo, onklo.",
                    ],
                ),
                (
                    "Soluciones",
                    [
                        ["libroj, tabloj, arboj, urboj, amikoj"],
                        ["knabino, fratino, katino, reĝino, onklino"],
                    ],
                ),
            ],
            f"[[{ESPERANTO}/Sustantivos|Volver a la lección de los sustantivos]]",
        )
    )
    pages.append(
        Page(
            f"{ESPERANTO}/Verbos/Ejercicios",
            "Ejercicios de conjugación para después de "
            f"[[{ESPERANTO}/Verbos|la lección de los verbos]].",
            [
                (
                    "Ejercicio 1: los tiempos",
                    [
                        "Pon el verbo kanti (cantar) en presente, pasado y futuro con el sujeto "
                        "ni, y después en condicional con el sujeto ŝi.",
                    ],
                ),
                (
                    "Ejercicio 2: traducción",
                    ["Traduce al esperanto: «Mañana leeremos el libro» y «Si pudiera, vendría»."],
                ),
                (
                    "Soluciones",
                    [
                        ["ni kantas, ni kantis, ni kantos; ŝi kantus"],
                        ["Morgaŭ ni legos la libron. Se mi povus, mi venus."],
                    ],
                ),
            ],
            f"[[{ESPERANTO}/Verbos|Volver a la lección de los verbos]]",
        )
    )
    listing = [f"[[{ESPERANTO}/{name}|{label}]]" for name, label, *_ in ESPERANTO_LESSONS]
    parent = Page(
        ESPERANTO,
        "Un curso breve de [[Esperanto|la lengua internacional]] creada por "
        "[[Zamenhof|Zamenhof]]. Su gramática cabe en pocas páginas y no tiene excepciones, de "
        "modo que en nueve lecciones se recorre casi entera.",
        [
            ("Lecciones", [listing]),
            (
                "Ejercicios",
                [
                    [
                        f"[[{ESPERANTO}/Sustantivos/Ejercicios|Ejercicios sobre el plural y el "
                        "femenino]]",
                        f"[[{ESPERANTO}/Verbos/Ejercicios|Ejercicios de conjugación]]",
                    ]
                ],
            ),
            (
                "Consejos",
                [
                    "Lee en voz alta desde el primer día: como la escritura es fonética, pronto "
                    "podrás leer cualquier texto. Quien haya estudiado el "
                    "[[Curso de italiano|italiano]] reconocerá muchas raíces.",
                ],
            ),
        ],
        "Categoría: [[Categoría:Cursos de idiomas|Cursos de idiomas]]",
    )
    return [parent, *pages]


# -- astronomy and gardening and Python: named chapters ---------------------------------------

ASTRONOMY = "Astronomía para aficionados"
ASTRONOMY_CHAPTERS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "El cielo a simple vista",
        "Antes de comprar ningún instrumento vale la pena aprender a orientarse en el cielo con "
        "los ojos.",
        [
            (
                "Adaptarse a la oscuridad",
                "El ojo humano necesita entre veinte y treinta minutos para adaptarse a la "
                "oscuridad, y basta un instante de luz blanca para perder lo ganado. Por eso los "
                "aficionados usan linternas de luz roja y evitan mirar la pantalla del teléfono.",
            ),
            (
                "Las constelaciones",
                "Las constelaciones son el mapa del cielo. En el hemisferio norte conviene "
                "empezar por la Osa Mayor, cuyas dos estrellas del extremo señalan la Estrella "
                "Polar; en el hemisferio sur, por la Cruz del Sur. Un planisferio giratorio "
                "muestra qué constelaciones son visibles cada noche del año.",
            ),
        ],
    ),
    (
        "Prismáticos y telescopios",
        "Elegir el primer instrumento es la decisión que más dudas genera entre quienes empiezan.",
        [
            (
                "Empezar con prismáticos",
                "Unos prismáticos de 7x50 o de 10x50 son baratos, ligeros y muestran mucho más de "
                "lo que parece: los cráteres de la Luna, las lunas de Júpiter y cientos de "
                "cúmulos de estrellas. El primer número indica los aumentos y el segundo, el "
                "diámetro de los objetivos en milímetros.",
            ),
            (
                "Refractores y reflectores",
                "Un [[Telescopio|telescopio]] refractor usa lentes y apenas necesita "
                "mantenimiento; un reflector usa espejos y ofrece más abertura por el mismo "
                "precio. Lo que importa es la abertura, no los aumentos que anuncia la caja: un "
                "reflector de 150 milímetros sobre una montura sencilla es una buena elección.",
            ),
        ],
    ),
    (
        "La Luna",
        "Nuestro satélite es el objeto más fácil de observar y uno de los más agradecidos.",
        [
            (
                "Las fases",
                "La mejor época para observar la Luna no es la luna llena, cuando la luz del Sol "
                "cae de frente y borra el relieve, sino los días cercanos al cuarto creciente y "
                "al cuarto menguante. Entonces las sombras de la línea que separa el día de la "
                "noche, el terminador, hacen resaltar cada cráter.",
            ),
            (
                "Mares y cráteres",
                "Las manchas oscuras que se ven a simple vista son los mares, llanuras de lava "
                "solidificada. Con prismáticos ya se distinguen cráteres como Copérnico o Tycho, "
                "rodeado este de rayos claros que cruzan media cara visible.",
            ),
        ],
    ),
    (
        "Los planetas",
        "Cinco planetas del [[Sistema solar|sistema solar]] se ven sin instrumentos y todos "
        "muestran algo con un telescopio pequeño.",
        [
            (
                "Venus y Mercurio",
                "Venus y Mercurio siempre aparecen cerca del Sol, al anochecer o al amanecer. "
                "Venus es tan brillante que se confunde con un avión, y con un telescopio muestra "
                "fases como las de la Luna.",
            ),
            (
                "Júpiter y Saturno",
                "En Júpiter se ven las bandas de nubes y sus cuatro lunas mayores, que cambian de "
                "posición de una noche a otra. Los anillos de Saturno son visibles con casi "
                "cualquier telescopio, y su aspecto cambia a lo largo de los años según los "
                "veamos de canto o inclinados.",
            ),
        ],
    ),
    (
        "Estrellas dobles y variables",
        "Muchas estrellas que parecen una sola son en realidad dos o más, y otras cambian de "
        "brillo.",
        [
            (
                "Estrellas dobles",
                "Albireo, en el Cisne, es el ejemplo clásico: una estrella dorada y otra azul muy "
                "juntas, fáciles de separar con pocos aumentos. Las dobles son un buen objetivo en "
                "las noches de luna, cuando los objetos débiles no se ven.",
            ),
            (
                "Estrellas variables",
                "Algol, en Perseo, pierde brillo cada poco menos de tres días, cuando su "
                "compañera la eclipsa. Los aficionados estiman el brillo de las variables "
                "comparándolas con estrellas cercanas, y sus estimaciones sirven a los "
                "profesionales.",
            ),
        ],
    ),
    (
        "Cúmulos, nebulosas y galaxias",
        "Los objetos de cielo profundo piden cielos oscuros, paciencia y una buena carta celeste.",
        [
            (
                "Cúmulos de estrellas",
                "Las Pléyades, en Tauro, son un cúmulo abierto visible a simple vista y "
                "espectacular con prismáticos. Los cúmulos globulares, como el de Hércules, son "
                "bolas de cientos de miles de estrellas viejas.",
            ),
            (
                "Nebulosas y galaxias",
                "La nebulosa de Orión se ve incluso desde los alrededores de una ciudad. La "
                "galaxia de Andrómeda, a más de dos millones de años luz, aparece como una mancha "
                "alargada y difusa: es lo más lejano que puede verse sin instrumentos.",
            ),
        ],
    ),
    (
        "Fotografía del cielo",
        "Hoy cualquier cámara puede fotografiar el cielo nocturno con un trípode y algo de "
        "práctica.",
        [
            (
                "Paisajes nocturnos",
                "Con un objetivo gran angular, el diafragma abierto y exposiciones de quince a "
                "veinte segundos se captura la Vía Láctea sin que las estrellas se conviertan en "
                "trazos. Un disparador remoto evita que la cámara tiemble.",
            ),
            (
                "A través del telescopio",
                "Para fotografiar planetas se graba un vídeo y un programa selecciona y apila los "
                "mejores fotogramas. Los objetos de cielo profundo requieren una montura que "
                "siga el giro del cielo durante exposiciones de varios minutos.",
            ),
        ],
    ),
    (
        "Glosario",
        "Términos que aparecen a lo largo del libro, por orden alfabético.",
        [
            (
                "A–M",
                "Abertura: diámetro de la lente o del espejo principal de un telescopio. Cénit: "
                "punto del cielo situado justo encima del observador. Magnitud: medida del brillo "
                "de un astro, en la que los números menores indican más brillo.",
            ),
            (
                "N–Z",
                "Ocular: lente por la que se mira, que determina los aumentos. Terminador: línea "
                "que separa la parte iluminada y la oscura de la Luna o de un planeta.",
            ),
        ],
    ),
]

GARDENING = "Manual de jardinería"
GARDENING_CHAPTERS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "El suelo",
        "Todo jardín empieza por el suelo, y conocerlo evita muchos fracasos.",
        [
            (
                "Textura",
                "Un puñado de tierra húmeda dice mucho: si forma una bola pegajosa, el suelo es "
                "arcilloso y retiene agua; si se deshace entre los dedos, es arenoso y la pierde "
                "enseguida. El ideal, llamado franco, está entre los dos.",
            ),
            (
                "Materia orgánica",
                "Añadir materia orgánica mejora cualquier suelo: abre los arcillosos y hace que "
                "los arenosos retengan humedad. La forma más barata de conseguirla es "
                "[[Manual de jardinería/Compostaje doméstico|hacer compost con los restos de "
                "cocina]].",
            ),
        ],
    ),
    (
        "El riego",
        "Regar bien no consiste en regar mucho, sino en regar cuando hace falta.",
        [
            (
                "Cuándo regar",
                "Lo mejor es regar a primera hora de la mañana o al atardecer, cuando el agua no "
                "se evapora antes de llegar a las raíces. Antes de regar conviene meter un dedo "
                "en la tierra: si a dos o tres centímetros sigue húmeda, se puede esperar.",
            ),
            (
                "Riego por goteo",
                "El goteo lleva el agua a cada planta sin mojar las hojas, lo que reduce los "
                "hongos y ahorra hasta la mitad del agua. Un programador sencillo permite "
                "ausentarse unos días en verano.",
            ),
        ],
    ),
    (
        "La poda",
        "Podar es quitar ramas para que la planta crezca sana, florezca o dé más fruto.",
        [
            (
                "Cuándo podar",
                "Los frutales y la mayoría de los arbustos de hoja caduca se podan a finales del "
                "invierno, antes de que broten. Los arbustos que florecen en primavera se podan "
                "justo después de la floración, porque forman las flores en la madera del año "
                "anterior.",
            ),
            (
                "Herramientas",
                "Unas tijeras de podar bien afiladas hacen cortes limpios que cicatrizan antes. "
                "Hay que desinfectarlas con alcohol al pasar de una planta enferma a otra sana.",
            ),
        ],
    ),
    (
        "Plagas y enfermedades",
        "Un jardín sano tiene siempre algún insecto; el problema empieza cuando uno se "
        "multiplica sin control.",
        [
            (
                "Prevención",
                "Las plantas bien regadas y abonadas resisten mejor. Mezclar especies y atraer "
                "pájaros e insectos beneficiosos, como las mariquitas, mantiene a raya la "
                "mayoría de las plagas sin productos químicos.",
            ),
            (
                "Plagas más comunes",
                [
                    "[[Manual de jardinería/Plagas y enfermedades/Pulgones|Pulgones]]",
                    "[[Manual de jardinería/Plagas y enfermedades/Caracoles y babosas|Caracoles "
                    "y babosas]]",
                ],
            ),
        ],
    ),
    (
        "Huerto en el balcón",
        "Un balcón soleado basta para cosechar tomates, lechugas y hierbas aromáticas.",
        [
            (
                "Macetas y sustrato",
                "Las hortalizas necesitan macetas más hondas de lo que parece: al menos treinta "
                "centímetros para los [[Tomate|tomates]] y veinte para las lechugas. El sustrato "
                "debe ser ligero y drenar bien; se puede mejorar con un tercio de compost.",
            ),
            (
                "Qué plantar",
                "Para empezar, lo más agradecido son las lechugas de hoja, los rábanos, las "
                "tomateras de fruto pequeño y la albahaca. Todas necesitan al menos seis horas "
                "de sol al día.",
            ),
        ],
    ),
    (
        "Compostaje doméstico",
        "El compost convierte los restos de cocina y de jardín en abono de calidad.",
        [
            (
                "Qué se puede compostar",
                "Sirven las mondas de fruta y verdura, los posos del [[Café|café]], las hojas "
                "secas y el césped cortado. Conviene evitar la carne, el pescado y los restos "
                "cocinados con aceite, que atraen animales y huelen mal.",
            ),
            (
                "El equilibrio",
                "La clave está en mezclar materiales húmedos y verdes con otros secos y marrones, "
                "y en voltear el montón de vez en cuando para que entre aire. En unos meses el "
                "compost estará oscuro, suelto y con olor a tierra de bosque.",
            ),
        ],
    ),
]

GARDENING_PESTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Pulgones",
        "Los pulgones son pequeños insectos verdes o negros que chupan la savia de los brotes "
        "tiernos.",
        [
            (
                "Cómo reconocerlos",
                "Se agrupan en colonias en el envés de las hojas y en las puntas de los tallos, "
                "que se deforman y se vuelven pegajosas. Las hormigas que suben y bajan por una "
                "planta suelen delatar su presencia.",
            ),
            (
                "Tratamiento",
                "Un chorro de agua a presión elimina muchas colonias. Si no basta, se puede "
                "pulverizar agua con jabón potásico al atardecer. Las mariquitas y sus larvas "
                "son sus enemigos naturales.",
            ),
        ],
    ),
    (
        "Caracoles y babosas",
        "Caracoles y babosas devoran por la noche las hojas tiernas de lechugas y plantones.",
        [
            (
                "Señales",
                "Las hojas aparecen con agujeros irregulares y rastros plateados de baba. Salen "
                "sobre todo después de la lluvia y en las noches húmedas.",
            ),
            (
                "Soluciones",
                "Recogerlos a mano con una linterna es lo más eficaz. También funcionan las "
                "barreras de ceniza o de cáscara de huevo triturada y las trampas de cerveza "
                "enterradas a ras de suelo.",
            ),
        ],
    ),
]

PYTHON = "Programación en Python"
PYTHON_CHAPTERS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Instalación",
        "Este capítulo explica cómo instalar [[Python]] y escribir el primer programa.",
        [
            (
                "Descargar el intérprete",
                "En Windows y macOS se descarga el instalador desde la web oficial; en la "
                "mayoría de las distribuciones de Linux ya viene instalado. Para comprobarlo, "
                "basta con abrir una terminal y escribir python3 --version.",
            ),
            (
                "El primer programa",
                'Crea un archivo llamado hola.py con una sola línea, print("Hola, mundo"), y '
                "ejecútalo con python3 hola.py. El intérprete lee el archivo de arriba abajo y "
                "ejecuta cada instrucción.",
            ),
        ],
    ),
    (
        "Variables y tipos de datos",
        "Una variable es un nombre que apunta a un valor guardado en memoria.",
        [
            (
                "Asignación",
                "Una variable se crea al asignarle un valor: edad = 30. No hace falta declarar su "
                "tipo, porque Python lo deduce del valor, y la misma variable puede apuntar "
                "después a un valor de otro tipo.",
            ),
            (
                "Tipos básicos",
                "Los tipos más usados son los enteros (int), los números con decimales (float), "
                "las cadenas de texto (str) y los valores lógicos True y False (bool). La "
                "función type() dice de qué tipo es un valor.",
            ),
        ],
    ),
    (
        "Condicionales",
        "Los programas toman decisiones con las instrucciones if, elif y else.",
        [
            (
                "La instrucción if",
                "Tras if se escribe una condición y dos puntos; las líneas que dependen de ella "
                "van sangradas con cuatro espacios. En Python la sangría no es opcional: es lo "
                "que indica qué instrucciones pertenecen a cada bloque.",
            ),
            (
                "Comparaciones",
                "Las condiciones se escriben con los operadores ==, !=, <, >, <= y >=, y se "
                "combinan con and, or y not. Una cadena vacía, el número cero y una lista vacía "
                "cuentan como falsos.",
            ),
        ],
    ),
    (
        "Bucles",
        "Los bucles repiten un bloque de instrucciones.",
        [
            (
                "El bucle for",
                "El bucle for recorre los elementos de una secuencia, uno tras otro: for letra in "
                '"hola" pasa por la h, la o, la l y la a. Con range(10) se recorren los números '
                "del cero al nueve.",
            ),
            (
                "El bucle while",
                "El bucle while repite su bloque mientras se cumpla una condición. Hay que "
                "asegurarse de que la condición deje de cumplirse en algún momento; si no, el "
                "programa no terminará nunca. break sale del bucle y continue salta a la "
                "siguiente vuelta.",
            ),
        ],
    ),
    (
        "Funciones",
        "Una función agrupa instrucciones bajo un nombre para poder usarlas muchas veces.",
        [
            (
                "Definir una función",
                "Las funciones se definen con def, el nombre, los parámetros entre paréntesis y "
                "dos puntos. La instrucción return devuelve un resultado; una función sin return "
                "devuelve None.",
            ),
            (
                "Parámetros con valor por defecto",
                "Un parámetro puede tener un valor por defecto, que se usa cuando quien llama a "
                'la función no lo indica: def saludar(nombre, saludo="Hola"). Al llamar a la '
                "función se pueden nombrar los argumentos para que el código se lea mejor.",
            ),
        ],
    ),
    (
        "Listas y diccionarios",
        "Las listas y los diccionarios son las dos estructuras de datos más usadas.",
        [
            (
                "Listas",
                "Una lista guarda valores en orden, entre corchetes: numeros = [3, 1, 2]. Se "
                "accede a sus elementos por la posición, empezando por cero, y se amplía con "
                "append(). sorted() devuelve una copia ordenada.",
            ),
            (
                "Diccionarios",
                'Un diccionario asocia claves con valores, entre llaves: capitales = {"Perú": '
                '"Lima"}. Buscar por clave es muy rápido aunque el diccionario tenga millones '
                "de entradas.",
            ),
        ],
    ),
    (
        "Lectura y escritura de archivos",
        "Casi todos los programas útiles leen o escriben archivos.",
        [
            (
                "Abrir un archivo",
                "La función open() abre un archivo y devuelve un objeto con el que leerlo o "
                "escribirlo. Conviene usarla dentro de una instrucción with, que cierra el "
                "archivo al terminar aunque se produzca un error.",
            ),
            (
                "Codificación",
                "Al abrir un archivo de texto es buena costumbre indicar la codificación, "
                'encoding="utf-8", para que las tildes y las eñes se lean igual en todos los '
                "sistemas.",
            ),
        ],
    ),
    (
        "Módulos",
        "Cuando un programa crece, se reparte en varios archivos llamados módulos.",
        [
            (
                "Importar",
                "Cada archivo .py es un módulo, y otro archivo puede usar sus funciones con "
                "import. La biblioteca estándar trae cientos de módulos listos para usar, como "
                "math, random o datetime.",
            ),
            (
                "Paquetes externos",
                "Los paquetes que no vienen con Python se instalan con pip, preferiblemente "
                "dentro de un entorno virtual creado para cada proyecto.",
            ),
        ],
    ),
    (
        "Errores y excepciones",
        "Los errores en tiempo de ejecución se llaman excepciones y pueden capturarse.",
        [
            (
                "try y except",
                "El código que puede fallar se coloca en un bloque try, y el bloque except "
                "indica qué hacer si falla: por ejemplo, avisar de que un archivo no existe en "
                "vez de terminar el programa con un mensaje incomprensible.",
            ),
            (
                "Leer un traceback",
                "Cuando una excepción no se captura, Python muestra un traceback: la lista de "
                "llamadas que llevaron al error. La última línea dice qué tipo de error se "
                "produjo y la penúltima, en qué línea del programa.",
            ),
        ],
    ),
]


def chapter_pages(
    book: str,
    chapters: list[tuple[str, str, list[tuple[str, str]]]],
    labels: list[str],
    lead: str,
    more: list[tuple[str, list[Block]]],
    previous: str,
    following: str,
) -> list[Page]:
    """A book of named chapters: the parent lists them under `labels`; each chapter links to
    the one before and the one after, labelled `previous` and `following` with `{}` the
    chapter's name."""
    pages = []
    for index, (name, chapter_lead, sections) in enumerate(chapters):
        nav = []
        if index > 0:
            before = chapters[index - 1][0]
            nav.append(f"[[{book}/{before}|{previous.format(before)}]]")
        nav.append(f"[[{book}]]")
        if index + 1 < len(chapters):
            after = chapters[index + 1][0]
            nav.append(f"[[{book}/{after}|{following.format(after)}]]")
        body: list[tuple[str, list[Block]]] = [(heading, [text]) for heading, text in sections]
        pages.append(Page(f"{book}/{name}", chapter_lead, body, " · ".join(nav)))
    listing = [
        f"[[{book}/{name}|{label}]]" for (name, *_), label in zip(chapters, labels, strict=True)
    ]
    parent = Page(book, lead, [("Índice", [listing]), *more])
    return [parent, *pages]


def astronomy_pages() -> list[Page]:
    labels = [f"Capítulo {n}: {name[0].lower() + name[1:]}" for n, (name, *_) in
              enumerate(ASTRONOMY_CHAPTERS, 1)]  # fmt: skip
    labels[2] = "Capítulo 3: la Luna"
    labels[-1] = "Glosario de términos"
    return chapter_pages(
        ASTRONOMY,
        ASTRONOMY_CHAPTERS,
        labels,
        "Guía práctica para observar el cielo nocturno desde casa o desde el campo, sin "
        "conocimientos previos. Empieza con lo que se ve a simple vista y termina con la "
        "fotografía.",
        [
            (
                "Antes de empezar",
                [
                    "No hace falta un [[Telescopio|gran telescopio]] para disfrutar de la "
                    "astronomía: un cielo oscuro, unos prismáticos y una carta celeste bastan "
                    "para meses de observación. Los capítulos sobre "
                    f"[[{ASTRONOMY}/La Luna|nuestro satélite]] y sobre "
                    f"[[{ASTRONOMY}/Los planetas|los planetas]] pueden leerse por separado.",
                ],
            )
        ],
        "« {}",
        "{} »",
    )


def gardening_pages() -> list[Page]:
    labels = [
        "Conocer el suelo",
        "Cuándo y cuánto regar",
        "Técnicas de poda",
        "Plagas y enfermedades comunes",
        "Un huerto en el balcón",
        "Hacer compost en casa",
    ]
    pages = chapter_pages(
        GARDENING,
        GARDENING_CHAPTERS,
        labels,
        "Manual de jardinería para balcones, patios y pequeños jardines, escrito para quien "
        "empieza. Los capítulos siguen el orden de las tareas a lo largo del año.",
        [
            (
                "Plagas",
                [
                    "Las fichas de plagas están dentro del capítulo de "
                    f"[[{GARDENING}/Plagas y enfermedades|plagas y enfermedades]]: "
                    f"[[{GARDENING}/Plagas y enfermedades/Pulgones|los pulgones]] y "
                    f"[[{GARDENING}/Plagas y enfermedades/Caracoles y babosas|caracoles y "
                    "babosas]].",
                ],
            )
        ],
        "Anterior: {}",
        "Siguiente: {}",
    )
    pests = f"{GARDENING}/Plagas y enfermedades"
    for name, lead, sections in GARDENING_PESTS:
        other = next(n for n, *_ in GARDENING_PESTS if n != name)
        body: list[tuple[str, list[Block]]] = [(h, [t]) for h, t in sections]
        pages.append(
            Page(
                f"{pests}/{name}",
                lead,
                body,
                f"[[{pests}|Volver a plagas y enfermedades]] · "
                f"[[{pests}/{other}|Otra ficha: {other.lower()}]]",
            )
        )
    return pages


def python_pages() -> list[Page]:
    labels = [
        "Instalar Python",
        "Variables y tipos",
        "Tomar decisiones con if",
        "Repetir con for y while",
        "Definir funciones",
        "Listas y diccionarios",
        "Leer y escribir archivos",
        "Organizar el código en módulos",
        "Errores y excepciones",
    ]
    return chapter_pages(
        PYTHON,
        PYTHON_CHAPTERS,
        labels,
        "Introducción a la programación con el lenguaje [[Python|Python 3]]. No supone ningún "
        "conocimiento previo; cada capítulo termina con ejemplos que pueden copiarse y "
        "ejecutarse.",
        [
            (
                "Requisitos",
                [
                    "Basta con un ordenador en el que se pueda "
                    f"[[{PYTHON}/Instalación|instalar el intérprete]] y un editor de texto. "
                    "Los capítulos sobre "
                    f"[[{PYTHON}/Funciones|funciones]] y sobre "
                    f"[[{PYTHON}/Módulos|módulos]] son los más importantes para escribir "
                    "programas largos.",
                ],
            )
        ],
        "◄ {}",
        "{} ►",
    )


# -- the cookbook: prefixed titles ------------------------------------------------------------

COOKBOOK = "Libro de cocina"
# (title, category, lead, ingredients, steps, advice)
RECIPES: list[tuple[str, str, str, list[str], list[str], str]] = [
    (
        "Receta:Té",
        "Bebidas",
        "Cómo preparar una buena taza de [[Té|té]] negro o verde con hojas sueltas.",
        ["1 cucharadita de hojas de té por taza", "250 ml de agua", "azúcar o miel al gusto"],
        [
            "Calienta el agua: hasta que hierva para el té negro, y hasta unos 80 °C para el "
            "verde.",
            "Calienta la tetera con un poco de agua caliente y tírala.",
            "Pon las hojas y vierte el agua encima.",
            "Deja reposar de tres a cinco minutos el té negro y dos o tres el verde, y cuela.",
        ],
        "Si el té verde amarga, el agua estaba demasiado caliente o reposó demasiado. Para una "
        "versión con especias, prueba el [[Receta:Té chai|té chai]].",
    ),
    (
        "Receta:Té chai",
        "Bebidas",
        "El chai es un té negro cocido con leche y especias, muy popular en la India.",
        [
            "2 cucharaditas de té negro",
            "300 ml de leche y 200 ml de agua",
            "canela, jengibre, cardamomo y clavo",
            "azúcar",
        ],
        [
            "Hierve el agua con las especias machacadas durante cinco minutos.",
            "Añade el té y deja hervir dos minutos más.",
            "Incorpora la leche y el azúcar y calienta sin que llegue a hervir.",
            "Cuela y sirve muy caliente.",
        ],
        "Se puede preparar con bebida de avena en lugar de leche. Quien prefiera algo más suave "
        "encontrará la receta básica en [[Receta:Té|la receta del té]].",
    ),
    (
        "Receta:Café",
        "Bebidas",
        "Café de cafetera italiana, la más común en las casas de España y de Italia.",
        ["agua fría", "[[Café|café]] molido de grano medio", "azúcar al gusto"],
        [
            "Llena el depósito inferior con agua hasta la válvula.",
            "Pon el café en el filtro sin apretarlo.",
            "Cierra la cafetera y ponla a fuego medio con la tapa abierta.",
            "Retírala del fuego en cuanto el café empiece a borbotear.",
        ],
        "Si se deja al fuego hasta el final, el café sabe a quemado. Con leche caliente se "
        "convierte en un [[Receta:Café con leche|café con leche]].",
    ),
    (
        "Receta:Café con leche",
        "Bebidas",
        "El desayuno de media España: café fuerte y leche caliente a partes iguales.",
        ["1 taza de café recién hecho", "1 taza de leche entera", "azúcar"],
        [
            "Prepara un café fuerte, por ejemplo con la [[Receta:Café|cafetera italiana]].",
            "Calienta la leche sin que hierva y bátela para que haga espuma.",
            "Mezcla ambas en una taza grande.",
        ],
        "Con más café que leche se llama cortado; con más leche que café, manchado.",
    ),
    (
        "Receta:Chocolate caliente",
        "Bebidas",
        "Chocolate espeso a la taza, para mojar churros o bizcochos.",
        [
            "100 g de [[Chocolate|chocolate negro]]",
            "500 ml de leche",
            "1 cucharada de maicena",
            "azúcar al gusto",
        ],
        [
            "Disuelve la maicena en un poco de leche fría.",
            "Calienta el resto de la leche con el chocolate troceado, removiendo.",
            "Añade la maicena y remueve a fuego bajo hasta que espese.",
        ],
        "Una pizca de canela o de guindilla le da un toque diferente. En verano se puede tomar "
        "frío, o sustituirlo por una [[Receta:Horchata|horchata]].",
    ),
    (
        "Receta:Horchata",
        "Bebidas",
        "La horchata de chufa es la bebida refrescante típica de Valencia.",
        ["250 g de chufas", "1 litro de agua fría", "120 g de azúcar", "canela en rama"],
        [
            "Deja las chufas en remojo un día entero y cambia el agua un par de veces.",
            "Tritúralas con el agua y la canela.",
            "Deja reposar dos horas en la nevera y cuela con un paño fino.",
            "Añade el azúcar y sirve muy fría.",
        ],
        "Se conserva dos días en la nevera. Se acompaña de fartons, unos bollos alargados para "
        "mojar.",
    ),
    (
        "Receta:Limonada",
        "Bebidas",
        "Limonada casera con limones, agua y hierbabuena.",
        ["4 limones", "1 litro de agua fría", "100 g de azúcar", "hojas de hierbabuena"],
        [
            "Exprime los limones.",
            "Disuelve el azúcar en un poco de agua caliente y deja que se enfríe.",
            "Mezcla el zumo, el almíbar y el agua fría con la hierbabuena.",
        ],
        "Con agua con gas resulta más refrescante. Para una bebida caliente de invierno, mejor "
        "un [[Receta:Té|té con limón]].",
    ),
    (
        "Libro de cocina:Pan de maíz",
        "Panes",
        "Pan de maíz al horno, esponjoso y ligeramente dulce, como se hace en el sur de Estados "
        "Unidos.",
        [
            "200 g de [[Maíz|harina de maíz]]",
            "100 g de harina de trigo",
            "1 sobre de levadura química",
            "2 huevos",
            "250 ml de leche",
            "50 g de mantequilla derretida",
        ],
        [
            "Mezcla las harinas, la levadura y una pizca de sal.",
            "Bate los huevos con la leche y la mantequilla.",
            "Une las dos mezclas sin trabajar demasiado la masa.",
            "Hornea en un molde engrasado a 200 °C durante 25 minutos.",
        ],
        "Acompaña muy bien las [[Libro de cocina:Lentejas estofadas|lentejas]] y los guisos. "
        "Para un pan de levadura, mira el [[Libro de cocina:Pan de centeno|pan de centeno]].",
    ),
    (
        "Libro de cocina:Pan de centeno",
        "Panes",
        "Pan denso y aromático de centeno, que se conserva tierno varios días.",
        [
            "300 g de harina de centeno",
            "200 g de harina de trigo",
            "10 g de levadura fresca",
            "350 ml de agua tibia",
            "comino o alcaravea",
        ],
        [
            "Disuelve la levadura en el agua.",
            "Mezcla con las harinas, la sal y las semillas, y amasa diez minutos.",
            "Deja levar dos horas en un lugar templado.",
            "Forma el pan y hornea a 220 °C durante 40 minutos.",
        ],
        "La masa de centeno es pegajosa: se trabaja mejor con las manos mojadas.",
    ),
    (
        "Libro de cocina:Pan de pita",
        "Panes",
        "Panes planos que se inflan en el horno y dejan un bolsillo para rellenar.",
        [
            "500 g de harina de trigo",
            "7 g de levadura seca",
            "300 ml de agua tibia",
            "1 cucharada de aceite de oliva",
        ],
        [
            "Amasa todos los ingredientes hasta obtener una masa lisa.",
            "Deja levar una hora y divídela en ocho bolas.",
            "Estíralas en círculos finos.",
            "Hornéalas en la bandeja muy caliente, a 250 °C, durante cuatro minutos.",
        ],
        "Se rellenan de falafel, de verduras o de [[Libro de cocina:Tortilla de patatas|tortilla"
        "]] en tiras.",
    ),
    (
        "Libro de cocina:Tortilla de patatas",
        "Platos principales",
        "La tortilla española: patatas y huevo, con cebolla o sin ella.",
        ["5 patatas medianas", "6 huevos", "1 cebolla (opcional)", "aceite de oliva", "sal"],
        [
            "Pela las patatas y córtalas en láminas finas.",
            "Fríelas a fuego lento en abundante aceite, con la cebolla, hasta que estén tiernas.",
            "Escúrrelas y mézclalas con los huevos batidos y la sal.",
            "Cuaja la tortilla en una sartén, dale la vuelta con un plato y termina de cuajarla.",
        ],
        "La discusión sobre la cebolla no tiene fin. Acompañada de "
        "[[Libro de cocina:Alioli|alioli]] es una tapa clásica.",
    ),
    (
        "Libro de cocina:Gazpacho",
        "Platos principales",
        "Sopa fría de verduras crudas, típica del verano andaluz.",
        [
            "1 kg de [[Tomate|tomates maduros]]",
            "1 pimiento verde",
            "1 pepino",
            "1 diente de ajo",
            "aceite de oliva, vinagre y sal",
            "un trozo de pan del día anterior",
        ],
        [
            "Trocea las verduras y ponlas en remojo con el pan.",
            "Tritura todo con el aceite, el vinagre y la sal.",
            "Cuela si se quiere muy fino y enfría al menos dos horas.",
        ],
        "Se sirve con picadillo de pepino, pimiento y pan tostado. Con más pan y sin agua se "
        "convierte en salmorejo.",
    ),
    (
        "Libro de cocina:Paella de verduras",
        "Platos principales",
        "Arroz al estilo valenciano con verduras de temporada.",
        [
            "400 g de arroz redondo",
            "judías verdes, alcachofas y pimiento rojo",
            "1 tomate rallado",
            "azafrán o colorante",
            "1,2 litros de caldo de verduras",
        ],
        [
            "Sofríe las verduras en la paellera con aceite.",
            "Añade el tomate y, cuando esté hecho, el arroz.",
            "Vierte el caldo caliente con el azafrán y reparte bien el arroz.",
            "Cuece veinte minutos sin remover y deja reposar cinco.",
        ],
        "El arroz tostado que se pega al fondo, el socarrat, es la parte más apreciada.",
    ),
    (
        "Libro de cocina:Lentejas estofadas",
        "Platos principales",
        "Un guiso de cuchara sencillo y barato para los días de frío.",
        [
            "300 g de lentejas pardinas",
            "1 zanahoria, 1 cebolla y 1 pimiento",
            "1 patata",
            "pimentón dulce",
            "1 hoja de laurel",
        ],
        [
            "Sofríe la cebolla, el pimiento y la zanahoria picados.",
            "Añade el pimentón fuera del fuego para que no se queme.",
            "Incorpora las lentejas, la patata troceada, el laurel y agua hasta cubrir.",
            "Cuece a fuego lento unos cuarenta minutos.",
        ],
        "Un chorrito de vinagre al servir les da alegría. Quedan muy bien con "
        "[[Libro de cocina:Pan de maíz|pan de maíz]].",
    ),
    (
        "Libro de cocina:Croquetas de jamón",
        "Platos principales",
        "Croquetas cremosas de bechamel y jamón serrano.",
        [
            "100 g de jamón serrano picado",
            "80 g de mantequilla",
            "90 g de harina",
            "750 ml de leche",
            "huevo y pan rallado para rebozar",
        ],
        [
            "Derrite la mantequilla, añade el jamón y después la harina, y tuéstala.",
            "Incorpora la leche poco a poco sin dejar de remover hasta tener una bechamel espesa.",
            "Deja enfriar la masa en la nevera varias horas.",
            "Forma las croquetas, pásalas por huevo y pan rallado, y fríelas en aceite caliente.",
        ],
        "Las croquetas se congelan muy bien antes de freír. La misma masa sirve para croquetas "
        "de pollo o de setas.",
    ),
    (
        "Libro de cocina:Empanadas de atún",
        "Platos principales",
        "Empanadillas rellenas de atún, tomate y huevo duro.",
        [
            "obleas para empanadillas",
            "2 latas de atún",
            "2 huevos duros",
            "[[Libro de cocina:Salsa de tomate|salsa de tomate]]",
        ],
        [
            "Mezcla el atún escurrido con el huevo picado y unas cucharadas de tomate.",
            "Rellena cada oblea, ciérrala en forma de media luna y sella el borde con un tenedor.",
            "Fríelas o pínchalas con huevo batido y hornéalas a 180 °C durante 20 minutos.",
        ],
        "En Galicia se hace una empanada grande con masa de pan en lugar de empanadillas.",
    ),
    (
        "Libro de cocina:Arroz con leche",
        "Postres",
        "El postre de las abuelas: arroz cocido lentamente en leche con canela y limón.",
        [
            "100 g de arroz redondo",
            "1 litro de leche",
            "120 g de azúcar",
            "corteza de limón y canela en rama",
        ],
        [
            "Calienta la leche con la canela y la corteza de limón.",
            "Añade el arroz y cuece a fuego muy lento, removiendo a menudo, unos cuarenta minutos.",
            "Añade el azúcar al final y cuece cinco minutos más.",
            "Sirve frío espolvoreado con canela molida.",
        ],
        "En Asturias se termina quemando azúcar por encima, como en la crema catalana.",
    ),
    (
        "Libro de cocina:Flan de huevo",
        "Postres",
        "Flan casero al baño maría con caramelo líquido.",
        ["4 huevos", "500 ml de leche", "100 g de azúcar", "azúcar para el caramelo"],
        [
            "Prepara un caramelo con azúcar y unas gotas de agua y cubre el fondo del molde.",
            "Bate los huevos con el azúcar y la leche templada.",
            "Vierte la mezcla en el molde y cuece al baño maría a 170 °C durante 45 minutos.",
            "Deja enfriar en la nevera antes de desmoldar.",
        ],
        "Si salen burbujas, el horno estaba demasiado fuerte. Con la misma base y sin horno se "
        "hacen las natillas.",
    ),
    (
        "Libro de cocina:Salsa de tomate",
        "Salsas",
        "Salsa de tomate casera, base de muchos platos.",
        [
            "1 kg de [[Tomate|tomates]] maduros o de lata",
            "1 cebolla",
            "2 dientes de ajo",
            "aceite de oliva",
            "una pizca de azúcar",
        ],
        [
            "Pocha la cebolla y el ajo picados en aceite.",
            "Añade el tomate troceado y cuece a fuego lento media hora.",
            "Corrige la acidez con el azúcar y tritura.",
        ],
        "Se conserva una semana en la nevera y meses en el congelador. Es imprescindible en las "
        "[[Libro de cocina:Empanadas de atún|empanadillas]].",
    ),
    (
        "Libro de cocina:Alioli",
        "Salsas",
        "Emulsión de ajo y aceite típica de Cataluña y de Valencia.",
        ["2 dientes de ajo", "200 ml de aceite de oliva suave", "sal", "unas gotas de limón"],
        [
            "Machaca el ajo con la sal en un mortero hasta hacer una pasta.",
            "Añade el aceite gota a gota, sin dejar de remover en el mismo sentido.",
            "Cuando la salsa espese, termina con el limón.",
        ],
        "La versión rápida lleva un huevo y se monta con la batidora, como una mayonesa. "
        "Acompaña la [[Libro de cocina:Paella de verduras|paella]] y las patatas asadas.",
    ),
]


def bare(title: str) -> str:
    return title.partition(":")[2]


def cookbook_pages() -> list[Page]:
    pages = []
    for title, category, lead, ingredients, steps, advice in RECIPES:
        pages.append(
            Page(
                title,
                lead,
                [
                    ("Ingredientes", [ingredients]),
                    ("Preparación", [("ol", steps)]),
                    ("Consejos y variantes", [advice]),
                ],
                f"[[{COOKBOOK}]] · Categorías: [[Categoría:Recetas|Recetas]]"
                + (" · [[Categoría:Bebidas|Bebidas]]" if category == "Bebidas" else ""),
            )
        )
    groups: dict[str, list[str]] = {}
    for title, category, *_ in RECIPES:
        groups.setdefault(category, []).append(f"[[{title}|{bare(title)}]]")
    index = Page(
        COOKBOOK,
        "Recetas de cocina explicadas paso a paso, desde las bebidas del desayuno hasta los "
        "postres. Las recetas de bebidas llevan el prefijo «Receta:» y las demás, el del libro.",
        [(group, [items]) for group, items in groups.items()]
        + [
            (
                "Cómo están escritas las recetas",
                [
                    "Cada receta indica los ingredientes para cuatro personas, los pasos en orden "
                    "y algunos consejos. Las cantidades de sal y azúcar son orientativas. Los "
                    "productos básicos, como el [[Maíz|maíz]], el [[Café|café]] o el "
                    "[[Chocolate|cacao]], tienen además su propio artículo.",
                ],
            )
        ],
        "Categoría: [[Categoría:Recetas|Recetas]]",
    )
    return [index, *pages]


# -- ordinary pages, help, categories, the main page ------------------------------------------


def ordinary_pages() -> list[Page]:
    return [
        Page(
            "Esperanto",
            "El esperanto es la lengua planificada más hablada del mundo. La publicó en 1887 el "
            "oftalmólogo [[Ludwik Lejzer Zamenhof]], con el propósito de ofrecer un segundo "
            "idioma neutral y fácil de aprender para la comunicación entre pueblos.",
            [
                (
                    "Características",
                    [
                        "Su vocabulario procede sobre todo de las lenguas romances, germánicas y "
                        "eslavas, y su gramática es regular: los sustantivos terminan en -o, los "
                        "adjetivos en -a y cada tiempo verbal tiene una terminación única. Las "
                        "palabras se forman combinando raíces con un conjunto fijo de afijos.",
                    ],
                ),
                (
                    "Hablantes",
                    [
                        "Se calcula que lo hablan entre cien mil y dos millones de personas, y hay "
                        "unas cuantas familias que lo transmiten a sus hijos como lengua materna. "
                        "Cada año se celebra un congreso universal en una ciudad distinta.",
                    ],
                ),
                (
                    "Aprenderlo",
                    [
                        "Este sitio tiene un [[Curso de esperanto|curso en nueve lecciones]], con "
                        "una lección sobre [[Curso de esperanto/Pronunciación|la pronunciación]] "
                        "y otra sobre [[Curso de esperanto/Correlativos|los correlativos]].",
                    ],
                ),
            ],
        ),
        Page(
            "Ludwik Lejzer Zamenhof",
            "Ludwik Lejzer Zamenhof (1859-1917) fue un médico oftalmólogo nacido en Białystok, "
            "entonces parte del Imperio ruso, conocido por haber creado el "
            "[[Esperanto|esperanto]].",
            [
                (
                    "Biografía",
                    [
                        "Creció en una ciudad donde convivían el polaco, el ruso, el alemán y el "
                        "yidis, y desde joven pensó que la falta de una lengua común alimentaba "
                        "la desconfianza entre sus vecinos. Tras varios borradores, publicó en "
                        "1887 el primer libro de la lengua con el seudónimo Doktoro Esperanto, "
                        "«el doctor que espera».",
                    ],
                ),
                (
                    "Legado",
                    [
                        "Su cumpleaños, el 15 de diciembre, se celebra como el día del libro en "
                        "esperanto. Muchas calles y un asteroide llevan su nombre.",
                    ],
                ),
            ],
        ),
        Page(
            "Idioma italiano",
            "El italiano es una lengua romance hablada por unos sesenta y cinco millones de "
            "personas como lengua materna, sobre todo en Italia, San Marino, el sur de Suiza y "
            "la Ciudad del Vaticano.",
            [
                (
                    "Historia",
                    [
                        "El italiano moderno procede del toscano literario de Dante, Petrarca y "
                        "Boccaccio. Durante siglos convivió con los dialectos regionales, y no se "
                        "extendió como lengua hablada de todo el país hasta el siglo XX, con la "
                        "escuela, la radio y la televisión.",
                    ],
                ),
                (
                    "Parecido con el español",
                    [
                        "El vocabulario de ambos idiomas coincide en buena parte, lo que facilita "
                        "la lectura desde el primer día, pero la pronunciación y muchos "
                        "significados difieren. Para aprenderlo, véase el "
                        "[[Curso de italiano|curso en doce lecciones]].",
                    ],
                ),
            ],
        ),
        Page(
            "Idioma alemán",
            "El alemán es una lengua germánica hablada por más de noventa millones de personas "
            "en Alemania, Austria, Suiza, Liechtenstein y Luxemburgo, entre otros lugares.",
            [
                (
                    "Rasgos",
                    [
                        "Conserva cuatro casos gramaticales y tres géneros, escribe todos los "
                        "sustantivos con mayúscula y forma palabras compuestas muy largas uniendo "
                        "otras más cortas.",
                    ],
                ),
                (
                    "Dialectos",
                    [
                        "Junto al alemán estándar existen numerosos dialectos, algunos tan "
                        "distintos que resultan difíciles de entender para otros hablantes, como "
                        "los de Suiza. El [[Curso de alemán|curso de este sitio]] enseña el "
                        "estándar.",
                    ],
                ),
            ],
        ),
        Page(
            "Café",
            "El café es la bebida que se obtiene de las semillas tostadas y molidas del cafeto, "
            "un arbusto originario de Etiopía. Es una de las bebidas más consumidas del mundo.",
            [
                (
                    "Origen",
                    [
                        "Según la leyenda, un pastor etíope se dio cuenta de que sus cabras no "
                        "dormían después de comer los frutos rojos del cafeto. Desde Etiopía, el "
                        "cultivo pasó a Yemen y de allí, a través de los puertos del Mediterráneo, "
                        "llegó a Europa en el siglo XVII.",
                    ],
                ),
                (
                    "Variedades",
                    [
                        "Las dos especies más cultivadas son el arábica, más aromático, y el "
                        "robusta, con más cafeína y más amargo. Brasil, Vietnam y Colombia son "
                        "los mayores productores.",
                    ],
                ),
                (
                    "Preparación",
                    [
                        "Hay tantas formas de prepararlo como países. El "
                        "[[Libro de cocina|libro de cocina]] explica cómo "
                        "[[Receta:Café|hacerlo en cafetera italiana]] y cómo preparar un "
                        "[[Receta:Café con leche|café con leche]].",
                    ],
                ),
            ],
        ),
        Page(
            "Té",
            "El té es la infusión de las hojas de la planta Camellia sinensis. Después del "
            "agua, es la bebida más consumida del planeta.",
            [
                (
                    "Tipos",
                    [
                        "Todas las clases de té proceden de la misma planta: lo que cambia es el "
                        "tratamiento de las hojas. El té verde no se oxida, el oolong se oxida en "
                        "parte y el té negro, por completo. El té blanco se hace con los brotes "
                        "más jóvenes, apenas secados al sol.",
                    ],
                ),
                (
                    "Historia",
                    [
                        "El té se bebía en China hace más de dos mil años. Los comerciantes "
                        "holandeses lo llevaron a Europa en el siglo XVII, y en el Reino Unido se "
                        "convirtió en la bebida nacional.",
                    ],
                ),
                (
                    "Prepararlo",
                    [
                        "Véase [[Receta:Té|cómo preparar el té]] y la versión india con especias, "
                        "el [[Receta:Té chai|chai]].",
                    ],
                ),
            ],
        ),
        Page(
            "Chocolate",
            "El chocolate es el alimento que se elabora con la pasta de las semillas "
            "fermentadas y tostadas del cacao, normalmente con azúcar.",
            [
                (
                    "Del cacao al chocolate",
                    [
                        "Los mayas y los aztecas tomaban el cacao como una bebida amarga y "
                        "especiada. Los españoles lo llevaron a Europa en el siglo XVI, donde se "
                        "empezó a endulzar, y la tableta sólida no llegó hasta el siglo XIX.",
                    ],
                ),
                (
                    "En la cocina",
                    [
                        "Además de los postres, el chocolate a la taza es una merienda "
                        "tradicional; véase la [[Receta:Chocolate caliente|receta del chocolate "
                        "a la taza]].",
                    ],
                ),
            ],
        ),
        Page(
            "Maíz",
            "El maíz es una planta gramínea domesticada en el sur de México hace unos nueve mil "
            "años. Es hoy el cereal que más se produce en el mundo.",
            [
                (
                    "Usos",
                    [
                        "Se come fresco, en mazorca, o seco y molido en harina, con la que se "
                        "hacen tortillas, arepas, tamales y [[Libro de cocina:Pan de maíz|panes"
                        "]]. Buena parte de la cosecha mundial se destina a alimentar ganado.",
                    ],
                ),
                (
                    "Nixtamalización",
                    [
                        "Los pueblos de Mesoamérica cocían el maíz con cal antes de molerlo. El "
                        "proceso, llamado nixtamalización, ablanda el grano y hace más nutritiva "
                        "la masa.",
                    ],
                ),
            ],
        ),
        Page(
            "Tomate",
            "El tomate es el fruto de la tomatera, una planta de la familia de las solanáceas "
            "originaria de los Andes y domesticada en México.",
            [
                (
                    "Cultivo",
                    [
                        "Necesita mucho sol, riego regular y un tutor al que atar el tallo. Se "
                        "puede cultivar en maceta, como se explica en el capítulo del "
                        "[[Manual de jardinería/Huerto en el balcón|huerto en el balcón]].",
                    ],
                ),
                (
                    "En la cocina",
                    [
                        "Es la base del [[Libro de cocina:Gazpacho|gazpacho]] y de la "
                        "[[Libro de cocina:Salsa de tomate|salsa de tomate casera]].",
                    ],
                ),
            ],
        ),
        Page(
            "Python",
            "Python es un lenguaje de programación de propósito general creado por Guido van "
            "Rossum y publicado en 1991. Su nombre viene del grupo humorístico Monty Python, no "
            "de la serpiente.",
            [
                (
                    "Filosofía",
                    [
                        "Da prioridad a la legibilidad: usa la sangría para delimitar los bloques "
                        "y evita la puntuación innecesaria. Su biblioteca estándar es tan amplia "
                        "que se dice que viene «con las pilas incluidas».",
                    ],
                ),
                (
                    "Aprenderlo",
                    [
                        "El libro [[Programación en Python|Programación en Python]] lo enseña "
                        "desde cero, empezando por la "
                        "[[Programación en Python/Instalación|instalación del intérprete]].",
                    ],
                ),
            ],
        ),
        Page(
            "Telescopio",
            "Un telescopio es un instrumento óptico que recoge la luz de objetos lejanos y "
            "permite verlos con más detalle y más brillo que a simple vista.",
            [
                (
                    "Historia",
                    [
                        "Los primeros telescopios se construyeron en los Países Bajos a principios "
                        "del siglo XVII. Galileo Galilei fabricó el suyo en 1609 y con él "
                        "descubrió las lunas de Júpiter y las fases de Venus.",
                    ],
                ),
                (
                    "Tipos",
                    [
                        "Los refractores usan lentes y los reflectores, espejos; los "
                        "catadióptricos combinan ambos. El capítulo "
                        "[[Astronomía para aficionados/Prismáticos y telescopios|sobre "
                        "instrumentos]] ayuda a elegir uno.",
                    ],
                ),
            ],
        ),
        Page(
            "Sistema solar",
            "El sistema solar está formado por el Sol y todo lo que gira a su alrededor: ocho "
            "planetas con sus lunas, planetas enanos, asteroides y cometas.",
            [
                (
                    "Los planetas",
                    [
                        "Los cuatro planetas interiores, Mercurio, Venus, la Tierra y Marte, son "
                        "rocosos. Los cuatro exteriores, Júpiter, Saturno, Urano y Neptuno, son "
                        "gigantes formados sobre todo por gas y hielo. Cómo observarlos se "
                        "explica en [[Astronomía para aficionados/Los planetas|el capítulo de "
                        "los planetas]].",
                    ],
                ),
                (
                    "Formación",
                    [
                        "Se formó hace unos 4600 millones de años a partir de una nube de gas y "
                        "polvo que se contrajo por su propia gravedad.",
                    ],
                ),
            ],
        ),
    ]


def help_and_category_pages() -> list[Page]:
    return [
        Page(
            "Ayuda:Buscar",
            "Cómo encontrar un libro, un capítulo o una receta en esta colección.",
            [
                (
                    "Buscar por título",
                    [
                        "Los capítulos de un libro tienen títulos con barras: "
                        "«Curso de italiano/Lección 3» es la tercera lección del "
                        "[[Curso de italiano|curso de italiano]]. Basta con escribir una parte "
                        "del título para encontrarlo.",
                    ],
                ),
                (
                    "Prefijos",
                    [
                        "Las recetas llevan un prefijo delante del nombre, como en «Receta:Té». "
                        "Las páginas de ayuda empiezan por «Ayuda:» y las listas de páginas, por "
                        "«Categoría:». Véase también [[Ayuda:Navegar|cómo moverse por los "
                        "libros]].",
                    ],
                ),
            ],
        ),
        Page(
            "Ayuda:Navegar",
            "Cada libro tiene una página principal con el índice de sus capítulos.",
            [
                (
                    "Índices y enlaces",
                    [
                        "Al pie de cada capítulo hay enlaces al anterior, al siguiente y al "
                        "índice del libro. La [[Portada|página principal]] reúne todos los "
                        "libros.",
                    ],
                ),
                (
                    "Buscar",
                    ["Para ir directamente a una página, usa [[Ayuda:Buscar|el buscador]]."],
                ),
            ],
        ),
        Page(
            "Categoría:Recetas",
            "Esta categoría reúne todas las recetas del [[Libro de cocina|recetario]].",
            [
                (
                    "Páginas en esta categoría",
                    [[f"[[{title}]]" for title, *_ in RECIPES]],
                )
            ],
        ),
        Page(
            "Categoría:Bebidas",
            "Recetas de bebidas frías y calientes. Es una subcategoría de "
            "[[Categoría:Recetas|las recetas]].",
            [
                (
                    "Páginas en esta categoría",
                    [[f"[[{title}]]" for title, category, *_ in RECIPES if category == "Bebidas"]],
                )
            ],
        ),
        Page(
            "Categoría:Cursos de idiomas",
            "Libros para aprender idiomas.",
            [
                (
                    "Páginas en esta categoría",
                    [[f"[[{ITALIAN}]]", f"[[{GERMAN}]]", f"[[{ESPERANTO}]]"]],
                )
            ],
        ),
        Page(
            MAIN,
            "Bienvenido a esta colección de libros libres en español: cursos de idiomas, "
            "manuales prácticos y un libro de cocina, escritos para leerse sin conexión.",
            [
                (
                    "Idiomas",
                    [
                        [
                            "[[Curso de italiano|Italiano para hispanohablantes]]",
                            "[[Curso de alemán|Alemán paso a paso]]",
                            "[[Curso de esperanto|Esperanto en nueve lecciones]]",
                        ]
                    ],
                ),
                (
                    "Ciencia y técnica",
                    [
                        [
                            f"[[{ASTRONOMY}|Observar el cielo]]",
                            f"[[{PYTHON}|Aprender a programar]]",
                        ]
                    ],
                ),
                (
                    "Vida práctica",
                    [
                        [
                            f"[[{GARDENING}|Jardinería y huerto]]",
                            f"[[{COOKBOOK}|Recetas de cocina]]",
                        ]
                    ],
                ),
                ("Ayuda", ["¿Primera visita? Lee [[Ayuda:Buscar|cómo buscar]]."]),
            ],
        ),
    ]


REDIRECTS = {
    "Zamenhof": "Ludwik Lejzer Zamenhof",
    "Italiano": "Idioma italiano",
    "Alemán": "Idioma alemán",
    "Receta:Cafe": "Receta:Café",
    "Recetario": COOKBOOK,
}


def all_pages() -> list[Page]:
    return [
        *help_and_category_pages(),
        *ordinary_pages(),
        *italian_pages(),
        *german_pages(),
        *esperanto_pages(),
        *astronomy_pages(),
        *gardening_pages(),
        *python_pages(),
        *cookbook_pages(),
    ]


# -- rendering --------------------------------------------------------------------------------


def path_of(title: str) -> str:
    return title.replace(" ", "_")


def href(source: str, target: str) -> str:
    """The href mwoffliner writes from the page at path `source` to the path `target`:
    relative to the source's folder, percent-encoded; `./` first when the first segment
    holds a colon (else `Receta:Té` would read as a URL scheme)."""
    relative = "../" * source.count("/") + target
    if relative.split("/", 1)[0].count(":"):
        relative = "./" + relative
    return quote(relative, safe="/:_-.,()!'*~")


def render_text(text: str, source: str, known: set[str]) -> str:
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=False))
        target, label = match.group(1), match.group(2) or match.group(1)
        if target not in known:
            raise ValueError(f"{source}: link to {target!r}, which is no page")
        out.append(
            f'<a href="{html.escape(href(source, path_of(target)))}" '
            f'title="{html.escape(target)}">{html.escape(label, quote=False)}</a>'
        )
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def render_block(block: Block, source: str, known: set[str]) -> str:
    if isinstance(block, str):
        return f"<p>{render_text(block, source, known)}</p>"
    tag, items = ("ol", block[1]) if isinstance(block, tuple) else ("ul", block)
    inner = "".join(f"<li>{render_text(item, source, known)}</li>" for item in items)
    return f"<{tag}>{inner}</{tag}>"


def render(page: Page, known: set[str]) -> str:
    source = path_of(page.title)
    title = html.escape(page.title)
    parts = [
        "<!DOCTYPE html><html lang='es'><head><meta charset='utf-8'>",
        f"<title>{title}</title></head><body class='mw-body'>",
        f"<h1 class='firstHeading'>{title}</h1>",
        f"<section data-mw-section-id='0'>{render_block(page.lead, source, known)}</section>",
    ]
    for number, (heading, blocks) in enumerate(page.sections, 1):
        anchor = html.escape(heading.replace(" ", "_"))
        body = "".join(render_block(block, source, known) for block in blocks)
        parts.append(
            f"<section data-mw-section-id='{number}'><h2 id='{anchor}'>{html.escape(heading)}"
            f"</h2>{body}</section>"
        )
    if page.footer:
        parts.append(f"<div class='navigation'>{render_block(page.footer, source, known)}</div>")
    parts.append("</body></html>")
    return "".join(parts)


def zim_pages() -> list[ZimPage]:
    pages = all_pages()
    titles = [page.title for page in pages]
    if len(set(titles)) != len(titles):
        raise ValueError("two pages share a title")
    known = set(titles) | set(REDIRECTS)
    entries = [ZimPage(path_of(p.title), p.title, render(p, known)) for p in pages]
    for name, target in REDIRECTS.items():
        entries.append(ZimPage(path_of(name), name, redirect_to=path_of(target)))
    return entries


def fingerprint(entries: list[ZimPage] | None = None) -> str:
    entries = zim_pages() if entries is None else entries
    data = [VERSION, LANGUAGE, MAIN, ARCHIVE_TITLE]
    data += [[e.path, e.title, e.content, e.redirect_to] for e in entries]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def write(folder: Path) -> Path:
    """The archive in `folder` (written now unless one of the same pages is there)."""
    out = folder / FILE
    stamp = folder / f"{FILE}.sha256"
    entries = zim_pages()
    wanted = fingerprint(entries)
    if out.is_file() and stamp.is_file() and stamp.read_text().strip() == wanted:
        return out
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{FILE}.{os.getpid()}.partial"
    write_zim(partial, entries, main=path_of(MAIN), language=LANGUAGE, title=ARCHIVE_TITLE)
    os.replace(partial, out)
    stamp.write_text(wanted + "\n")
    return out


def describe() -> dict[str, int]:
    """How many pages of each shape the archive holds."""
    pages = all_pages()
    titles = [p.title for p in pages]
    namespaced = [t for t in titles if t.startswith(NAMESPACES)]
    prefixed = [t for t in titles if ":" in t and not t.startswith(NAMESPACES)]
    links = sum(len(LINK.findall(render_source(p))) for p in pages)
    return {
        "pages": len(pages),
        "parents": len({t.rsplit("/", 1)[0] for t in titles if "/" in t}),
        "subpages": sum("/" in t for t in titles),
        "third_level": sum(t.count("/") >= 2 for t in titles),
        "prefixed": len(prefixed),
        "namespace_pages": len(namespaced),
        "ordinary": len(pages) - sum("/" in t for t in titles) - len(prefixed) - len(namespaced),
        "redirects": len(REDIRECTS),
        "links": links,
    }


def render_source(page: Page) -> str:
    """All the marked-up text of a page, to count its links."""
    texts = [page.lead, page.footer]
    for _, blocks in page.sections:
        for block in blocks:
            if isinstance(block, str):
                texts.append(block)
            else:
                texts.extend(block[1] if isinstance(block, tuple) else block)
    return "\n".join(texts)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    out = write(folder)
    print(json.dumps({"archive": str(out), **describe()}))


if __name__ == "__main__":
    main()
