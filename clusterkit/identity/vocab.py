"""Name vocabulary: formal first names with their common nicknames, and the nickname map.

:data:`NICKNAMES` maps a folded (lowercase ASCII) nickname to its folded formal name; the
normaliser uses it so that "Bob Smith" and "Robert Smith" compare equal on the first name.
:data:`FIRST_NAMES` lists formal first names (display spelling, accents kept) in order of
popularity, each with its nicknames; the synthetic generator draws from it. A nickname
shared by two formal names (Alex: Alexander and Alexandra; Sam: Samuel and Samantha) maps to
the first of them in :data:`FIRST_NAMES`, which is an approximation a user can override.

Examples
--------
>>> NICKNAMES["bob"], NICKNAMES["liz"]
('robert', 'elizabeth')
>>> VARIANTS["robert"]
['robert', 'bob', 'rob', 'bobby']
>>> FIRST_NAMES[0]
('Alexander', ('Alex', 'Sasha'))
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

__all__ = ["FIRST_NAMES", "NICKNAMES", "VARIANTS", "fold"]

# formal first name, its nicknames; most popular first
FIRST_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Alexander", ("Alex", "Sasha")), ("Maria", ()), ("Robert", ("Bob", "Rob", "Bobby")),
    ("Elizabeth", ("Liz", "Beth", "Lizzie")), ("Michael", ("Mike", "Mikey")),
    ("Jennifer", ("Jen", "Jenny")), ("William", ("Will", "Bill", "Billy")),
    ("Sofia", ()), ("Christopher", ("Chris",)), ("Katherine", ("Kate", "Katie", "Kathy")),
    ("Daniel", ("Dan", "Danny")), ("Jessica", ("Jess",)), ("James", ("Jim", "Jimmy", "Jamie")),
    ("Emma", ()), ("José", ("Pepe",)), ("Olivia", ("Liv",)), ("Matthew", ("Matt",)),
    ("Samantha", ("Sam", "Sammy")), ("David", ("Dave",)), ("Chen", ()),
    ("Nicholas", ("Nick", "Nico")), ("Sarah", ()), ("Joseph", ("Joe", "Joey")),
    ("Rebecca", ("Becky", "Becca")), ("Thomas", ("Tom", "Tommy")), ("Ana", ()),
    ("Andrew", ("Andy", "Drew")), ("Victoria", ("Vicky", "Tori")), ("Omar", ()),
    ("Margaret", ("Maggie", "Meg", "Peggy")), ("Richard", ("Rick", "Rich")),
    ("Yuki", ()), ("Benjamin", ("Ben", "Benny")), ("Chloé", ()), ("Samuel", ("Sam",)),
    ("Priya", ()), ("Anthony", ("Tony",)), ("Isabella", ("Bella", "Izzy")),
    ("Edward", ("Ed", "Eddie", "Ted")), ("Lucas", ()), ("Charles", ("Charlie", "Chuck")),
    ("Stephanie", ("Steph",)), ("Steven", ("Steve",)), ("Natalie", ("Nat",)),
    ("Timothy", ("Tim",)), ("Emily", ("Em",)), ("Gabriel", ("Gabe",)), ("Zoë", ()),
    ("Jonathan", ("Jon", "Johnny")), ("Patricia", ("Pat", "Trish")), ("Raj", ()),
    ("Francesca", ("Fran", "Frankie")), ("Mateo", ()), ("Aisha", ()), ("André", ()),
    ("Elena", ()), ("Dmitri", ("Dima",)), ("Fatima", ()), ("Noah", ()), ("Mia", ()),
    ("Leon", ()), ("Ingrid", ()), ("Kenji", ()), ("Renée", ()), ("Giuseppe", ("Beppe",)),
    ("Camila", ()), ("Arjun", ()), ("Hugo", ()), ("Marta", ()), ("Pablo", ()),
    ("Jürgen", ()), ("Valentina", ("Vale",)), ("Wei", ()), ("Amara", ()), ("Diego", ()),
    ("Leila", ()), ("Kwame", ()), ("Inés", ()), ("Sven", ()), ("Mei", ()), ("Tariq", ()),
    ("Anika", ()), ("Björn", ()), ("Ravi", ()), ("Hiroshi", ()), ("Ngozi", ()),
    ("Finn", ()), ("Lea", ()), ("Nora", ()), ("Ivan", ()), ("Eva", ()), ("Sanjay", ()),
    ("Lars", ()), ("Yasmin", ()), ("Pedro", ()), ("Hana", ()), ("Oscar", ()), ("Ines", ()),
    ("Felix", ()), ("Clara", ()), ("Malik", ()), ("Rosa", ()), ("Theo", ()), ("Nadia", ()),
    ("Kofi", ()), ("Lina", ()), ("Emil", ()), ("Julia", ("Jules",)), ("Paolo", ()),
    ("Greta", ()), ("Ahmed", ()), ("Sakura", ()), ("Tobias", ("Toby",)), ("Irene", ()),
    ("Marcus", ("Marc",)), ("Alina", ()), ("Rafael", ("Rafa",)), ("Helena", ()),
    ("Simon", ()), ("Daria", ()), ("Viktor", ()), ("Selin", ()), ("Bruno", ()), ("Maya", ()),
    ("Adrian", ()), ("Layla", ()), ("Oliver", ("Ollie",)), ("Thandiwe", ("Thandi",)),
    ("Frederick", ("Fred", "Freddie")), ("Harriet", ("Hattie",)), ("Luca", ()),
)


def fold(text: str) -> str:
    """Lowercase ASCII form of one word: accents removed (NFKD), other marks dropped.

    Examples
    --------
    >>> fold("Chloé"), fold("JÜRGEN")
    ('chloe', 'jurgen')
    """
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _nickname_map() -> MappingProxyType:
    out: dict[str, str] = {}
    for formal, nicks in FIRST_NAMES:  # a handful of vocabulary entries, not data rows
        for nick in nicks:
            out.setdefault(fold(nick), fold(formal))
    return MappingProxyType(out)


NICKNAMES: MappingProxyType = _nickname_map()
"""Folded nickname → folded formal first name."""

VARIANTS: MappingProxyType = MappingProxyType(
    {fold(f): [fold(f)] + [fold(n) for n in nicks] for f, nicks in FIRST_NAMES})
"""Folded formal first name → the ways it is written (itself and its nicknames)."""

# ---- vocabulary of the synthetic identity generator (clusterkit.synthetic.identity) ----
SURNAMES: tuple[str, ...] = tuple(
    "Smith Garcia Müller Kim Nguyen Rossi Silva Khan Patel Johnson Brown Martin Novak Sato"
    " Dubois Jensen Williams Jones Lopez Schmidt Schneider Fischer Weber Wang Li Zhang Liu Chen"
    " Singh Kumar Sharma Ali Hassan Ahmed Ivanov Petrov Kowalski Nowak Santos Ferreira Pereira"
    " Costa Romano Ricci Bianchi Colombo Moreau Laurent Lefebvre Bernard Petit Janssen DeVries"
    " Jansen Peeters Andersen Nielsen Hansen Larsen Johansson Andersson Karlsson Nilsson Virtanen"
    " Korhonen Yilmaz Kaya Demir Cohen Levi Mizrahi Tanaka Suzuki Takahashi Watanabe Ito Park Lee"
    " Choi Jung Kang Tran Le Pham Hoang Okafor Mensah Banda Mwangi Otieno Diallo Traoré Ndiaye"
    " Fernández González Rodríguez Martínez Sánchez Pérez Gómez Díaz Torres Ramírez Flores"
    " Rivera Morales Ortiz Castillo Jiménez Ruiz Álvarez Romero Navarro Herrera Medina Vargas"
    " Castro Reyes Cruz Wilson Taylor Anderson Thomas Jackson White Harris Thompson Clark Lewis"
    " Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell"
    " Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook"
    " Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks"
    " Wood James Bennett Gray Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry"
    " Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Graham"
    " Marshall Owens Harrison Gibson Wallace Hamilton Kennedy Ellis Hunt Hayes Ford Wells"
    " O'Brien O'Connor Schulz Hoffmann Wagner Becker Koch Richter Wolf Schröder Neumann Zimmermann"
    " Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Köhler".split()
)
_SYL_A = tuple(
    "Hal Mon Ber Kas Tor Vel Dor Lin Rav Sel Mar Fen Gor Hel Ost Bran Cal Dal Ev Fal Gil Har"
    " Ing Jor Kel Lor Mal Nor Pel Quin Ros Sten Tal Ul Var Wen Yor Zan Ald Bel".split()
)
_SYL_B = tuple(
    "berg mann ton ford ley sen dahl ini ello ova ski wood field stein ard lund ström ez ani"
    " ovic well by more ham ridge acre holt wick grave".split()
)
_SYL_M = ("", "a", "e", "i", "o", "en", "er", "an", "el", "ov")
SURNAME_TAIL: tuple[str, ...] = tuple(a + m + b for m in _SYL_M for a in _SYL_A for b in _SYL_B)
"""Rarer surnames (40 x 10 x 29 syllables): the long tail of the surname distribution."""

CITIES: tuple[str, ...] = tuple(
    "London|New York|Berlin|Paris|Madrid|São Paulo|Mumbai|Lagos|Tokyo|Toronto|Sydney|Chicago|"
    "Los Angeles|Mexico City|Istanbul|Seoul|Manchester|Hamburg|Munich|Lyon|Barcelona|Milan|Rome|"
    "Lisbon|Dublin|Amsterdam|Brussels|Vienna|Zürich|Copenhagen|Stockholm|Oslo|Helsinki|Warsaw|"
    "Prague|Budapest|Athens|Cairo|Nairobi|Accra|Cape Town|Johannesburg|Delhi|Bangalore|Karachi|"
    "Dhaka|Jakarta|Manila|Bangkok|Hanoi|Singapore|Kuala Lumpur|Shanghai|Beijing|Osaka|Melbourne|"
    "Auckland|Vancouver|Montréal|Boston|Seattle|Austin|Denver|Miami|Atlanta|Houston|Dallas|"
    "Phoenix|Portland|Bogotá|Lima|Santiago|Buenos Aires|Rio de Janeiro|Caracas|Quito|Havana|"
    "Leeds|Glasgow|Edinburgh|Bristol|Cologne|Frankfurt|Stuttgart|Marseille|Toulouse|Seville|"
    "Valencia|Porto|Naples|Turin|Rotterdam|Antwerp|Gothenburg|Kraków|Bucharest|Sofia|Belgrade|"
    "Zagreb|Tel Aviv|Dubai|Doha|Riyadh|Tehran|Casablanca|Tunis|Addis Ababa|Kampala|Dakar".split("|")
)
INTERESTS: tuple[str, ...] = tuple(
    "photography travel coffee hiking yoga running cycling football basketball tennis gaming"
    " esports music jazz indie film books poetry art design fashion beauty skincare cooking"
    " baking vegan food wine craft beer gardening plants dogs cats parenting fitness crossfit"
    " surfing climbing skiing tech ai startups crypto finance investing marketing science"
    " space history politics climate diy cars motorbikes anime comics podcasts teaching nursing"
    " architecture".split()
)
BIO_FILLERS: tuple[str, ...] = (
    "lover", "addict", "enthusiast", "fan", "daily", "and more", "all day", "nerd", "junkie",
    "is life", "every day", "obsessed",
)
HANDLE_WORDS: tuple[str, ...] = tuple(
    "sunny pixel ninja wander moon star coffee hiker river storm wolf fox tiger urban retro"
    " neon cosmic lucky happy lazy wild quiet golden silver blue red green shadow echo spark"
    " velvet nomad dreamer rider maker coder gamer chef artist poet runner surfer skater"
    " traveler foodie bookworm vinyl jazz indie lofi bean cookie honey maple cedar ocean"
    " mountain desert forest snow rain cloud thunder comet orbit rocket atlas zen chill vibe"
    " sage ember frost blaze".split()
)
EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me",
    "gmx.de", "web.de", "orange.fr", "libero.it", "acme.io", "globex.com", "initech.net",
    "umbrella.org", "example.edu",
)
EMAIL_DOMAIN_P: tuple[float, ...] = (
    0.34, 0.1, 0.12, 0.07, 0.08, 0.03, 0.03, 0.02, 0.02, 0.02, 0.04, 0.04, 0.03, 0.03, 0.03,
)
