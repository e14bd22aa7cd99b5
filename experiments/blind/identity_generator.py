"""Blind generator of CRM + social accounts with planted persons, for identity resolution.

Written from the specification only (DESIGN.md sections 2 and 8: the ``members`` contract and the
definition of a *person* as one human behind one or more member accounts), without reading any
clusterkit identity code, synthetic generator or benchmark.  numpy + pandas only, fully
vectorised (loops run only over small tables: cultures, name lists, format codes), deterministic
per seed (one ``numpy.random.default_rng(seed)``).

Usage
-----
>>> out = generate_identity(10_000, scenario="default", seed=0)      # doctest: +SKIP
>>> write(out, "out/identity_default")                               # doctest: +SKIP

``python experiments/blind/identity_generator.py OUT --accounts 10000 --scenario default --seed 0``

Output of ``generate_identity(n_accounts, scenario, seed)`` (a dict)
--------------------------------------------------------------------
* ``members``: one row per account, columns ``member_id, name, handle, channel, email, followers,
  following, bio, created_at, kind, city, phone`` (``city`` and ``phone`` are extra attribute
  columns).  Absent values are empty (NaN).  ``member_id`` is ``a0000001`` ... assigned AFTER the
  rows were shuffled, so ids and row order say nothing about persons.
* ``truth``: ``member_id, person_id`` (``p000001`` ...; person ids are a random permutation too).
  Every member appears exactly once.  Brand / media entities are "persons" of their own.
* ``info``: scenario, seed, sizes, counts of every planted phenomenon (see the end of this text)
  and ``true_pairs`` = number of unordered account pairs that belong to the same person.
``write(out, folder)`` writes ``members.csv``, ``truth.csv`` (utf-8, no index) and ``info.json``.

The world
---------
A brand's CRM export (newsletter subscribers, shop customers) joined with the social accounts
that interact with the brand.  Channels: ``twitter, instagram, facebook, tiktok`` (social) and
``newsletter, shop``.

1. **Persons and accounts.**  About 1 % of accounts belong to brand / media entities (below); the
   rest to humans.  A human owns k accounts, k in 1..6 with P = (.55, .20, .12, .07, .04, .02)
   (mean ~1.9), on k DISTINCT channels drawn by weighted sampling without replacement (weights
   twitter .20, instagram .24, facebook .18, tiktok .06, newsletter .20, shop .12).  The last
   person is trimmed so that exactly ``n_accounts`` rows come out.
2. **Cultures.**  Every person has a culture that drives names, cities, phone country codes and
   email domains: en 34 %, es 12 %, fr 7 %, de 7 %, pt 6 %, it 5 %, in 5 %, pl 4 %, ru 4 %,
   zh 4 %, ar 4 %, ja 2 %, ko 2 %, tr 2 %, nordic 2 %.  Each culture has listed first names
   (male / female, 14-106 each) and surnames (19-106) in popularity order; the name of rank r
   in a list of length K is drawn with probability proportional to ``1 / (r + 0.12 K + 1)``
   (Zipf-like).  Most cultures add a generated long tail of surnames (prefix x suffix from
   culture morphemes: Kingsford, Rosenthal, Bellucci, Sivaraman, Chernenko / Черненко,
   Yamashita / 山下, Akdoğan, Lindqvist ...; 35-50 % of the draws, spread evenly), and
   zh / ko / ja a generated tail of given names (Zixuan / 子轩, Min-ji / 민지; 40-60 %), giving
   90-580 surnames per culture.  Common names ("James", "Smith", "García", "Wang Wei") are
   therefore shared by many persons and full-name NAMESAKES (distinct persons with the same
   first name and surname) grow with the data: ~7 % of persons at 10k accounts, ~35 % at 100k
   (up to ~20 "María García"), often in the same city (cities are Zipf-distributed too).
   Gender is 50/50.  Names include accents and non-Latin letters (José, Müller, Łukasz,
   Søren, Yılmaz, Ó/Á ...).  ru / pl surnames agree with gender (Ivanov / Ivanova, Kowalski /
   Kowalska).  Middle names: en 45 %, pt 50 % (a family name), nordic 30 %, de 20 %, fr 15 %,
   pl 10 %, it 5 %.  Spanish persons have a second surname with probability 0.7.
   Chinese / Korean / Japanese persons may have an adopted western first name (35 / 20 / 5 %),
   and ru / zh / ja / ko names have a native-script form (Иванов, 王伟, 佐藤, 김민준).
3. **Nicknames.**  A private table of ~295 (culture, formal name) entries, ~430 formal ->
   nickname pairs (William /
   Bill, Robert / Bob, Margaret / Peggy, Richard / Dick, Charles / Chuck, Alexandra / Sasha,
   José / Pepe, Francisco / Paco, Giuseppe / Peppe, Aleksandr / Sasha, Małgorzata / Gosia,
   Katarzyna / Kasia, Jakub / Kuba, Venkatesh / Venky, Mohammed / Mo ...).  Each person with a
   nickname has one preferred nickname (the first listed w.p. 0.6) and a propensity to use it:
   0 (w.p. .45), .35 (.35) or .8 (.20); an account shows the nickname with probability
   propensity x channel factor (social 1.2, newsletter .8, shop .4).  Some people are FORMALLY
   named Billy, Bobby or Johnny (they are in the en first-name list).
4. **Displayed name per account** (``name``).  Present with probability twitter .97, instagram
   .85, facebook .99, tiktok .70, newsletter .45, shop .97.  Built as
   first x middle x surname x format x variants, each drawn per account:
   * first: adopted western name (w.p. .5 on social, .25 elsewhere, for persons who have one) >
     nickname > transliteration variant (w.p. .25: Mohammed / Muhammad / Mohamed, Dmitry /
     Dmitri, Lee / Yi / Rhee, Sato / Satou, Chaudhary / Choudhary ...) > formal;
   * middle: full w.p. .15, initial ("J.") w.p. .20, else absent;
   * surname: maiden name before the marriage date for MARRIED-NAME persons (below), else the
     current one; double-barrelled ("Schmidt-Müller") w.p. .10 after marriage; the Spanish
     second surname shown w.p. .5 ("García López", hyphenated 10 %); transliteration w.p. .25;
   * format (relative weights social / shop / newsletter): "First Middle Last" (.70/.80/.38),
     "Last First" (.03/.03/.02; zh/ko add .45 and ja .35 of the standard share: surname-first
     is their natural order), "Last, First" (.01/.05/.02), "LAST, First" (.005/.04/.01),
     "J. Smith" (.04/.05/.04; the dot dropped 30 %), "John S." (.05/0/0), first name only
     (.07/0/.50), "JohnSmith" (.015/0/0); "Jr." appended for juniors (below) w.p. .4;
   * variants: hyphen "-" -> " " or "" w.p. .3 (Jean-Pierre, Min-jun, García-López);
     accents stripped (José -> Jose, Łukasz -> Lukasz) w.p. .35 (x1.4 on shop / newsletter),
     of which one in four uses German-style transliteration (Müller -> Mueller);
     one-edit TYPO (substitution by a keyboard neighbour, deletion, insertion, transposition;
     never the first letter) in first name or surname w.p. .03; case change w.p. .12
     (lower .6, UPPER .3, Title .1); titles on shop ("Mr", "Dr.", "Mrs" ...) w.p. .05;
     decorations on social w.p. .05 ("| photographer", "(she/her)", emoji, "Dr.");
     native script (ru/zh/ja/ko persons) w.p. .20 on social, .05 elsewhere, replacing the
     whole name.
5. **Married names.**  A household partner (below) who is a woman takes the head's surname with
   the culture's rate (en .75, de .7, pl/ru/tr .8, ja .9, fr/nordic .5, in .6, pt .3, it .1,
   es/zh/ko/ar 0); other adult women change surname at .12 x that rate.  The marriage date
   falls between the person's first and last account creation (70 % of those with >= 2
   accounts), else at first-account time + U(-2, 6) years; accounts created before it show the
   maiden name (also in handles derived from the name, and in the personal email address when
   the marriage came after the first account).
6. **Households.**  12 % of human persons are grouped (within culture, mostly) into households
   of 2 (.6), 3 (.25) or 4 (.15) persons: head, partner (opposite gender w.p. .9; 10 % keep
   their own culture), children.  Members share the head's city; children take the head's
   surname; a partner takes it as in 5.  A first child of the head's gender is a JUNIOR (same
   first name as the head) w.p. .06; other members never repeat the head's first name.
   35 % of households have a FAMILY address ("smithfamily@", "thesmiths@", "johnandmary@",
   "smith.home@", "smiths1998@", "john.mary.smith@"); each newsletter / shop account of a member
   uses it w.p. .6.  Non-head members' newsletter / shop accounts BORROW the head's personal
   address w.p. .08.  30 % of households share one landline number.  All of these are DIFFERENT
   persons with the same email / phone / surname / city: they must not be merged.  When only
   one member of a household ends up using the family address it is just that person's
   address (counted separately).
7. **Emails.**  Each person has a personal address (local part from the name: john.smith,
   jsmith, john_smith85, smith.john, john1987, bill.smith, an unrelated "lazyotter42", or the
   person's handle; domain: gmail 42 %, yahoo, hotmail, outlook, icloud, aol, protonmail, or
   w.p. .3 a culture domain such as gmx.de, orange.fr, mail.ru, naver.com; gmail user names
   never contain "_") and, w.p. .35, a second one (60 % work "j.smith@globex.com", else an
   older hotmail / yahoo / aol / local address).  Addresses are unique across persons and
   households (gmail dots and case ignored; a collision gets digits appended).  Per account
   the second address is used w.p. .45 (newsletter) / .2 (shop) / .3 (social).  Shown with
   probability newsletter 1, shop .97, facebook .08, twitter .04, instagram .05, tiktok .02.
   Account-level variants: gmail dots removed / inserted (w.p. .08 of gmail accounts),
   "+tag" (shop, news, promo ...; gmail / outlook / hotmail / icloud / protonmail, w.p. .07),
   case ("John.Smith@Gmail.com" or upper, .06), a mistyped domain (gmial.com, hotmial.com
   ...; .004), a trailing space (.003).
8. **Handles** (twitter / instagram / tiktok always, facebook w.p. .5; none on newsletter /
   shop).  Each person has a base handle drawn from 13 patterns (johnsmith, jsmith, john_smith,
   john.smith, johnsmith85, john_smith85, johnnys / bill_official, smithj, bill123,
   realjohnsmith, an UNRELATED adjective+noun like "cosmicotter7" (14 %), bill_s, jsmith85);
   each social account reuses the base handle w.p. .55, else draws a fresh pattern (with its own
   digits and possibly the maiden name).  Twitter handles: "." -> "_", at most 15 characters;
   others at most 30.  Handles are unique per channel: a taken handle gets digits appended (so
   a person's handle may differ by a digit across channels), while DIFFERENT persons may own the
   same handle on DIFFERENT channels (counted).
9. **Phones** (shop accounts only): a person has a number w.p. .8 (country code by culture:
   +1, +44, +34, +52, +49, +33, +39, +48, +7, +91, +86, +81, +82, +971, +90, +46 ...), shown
   w.p. .6.  Formats: "+15551234567", "+1 555-123-4567" / "+44 207 946 0123",
   "(555) 123-4567" / "0207 946 0123", plain national digits, "001 5551234567",
   "555.123.4567" / "+44-207-946-0123".
10. **Cities** (shop .85, facebook .5, twitter .3, instagram .15, newsletter .1, tiktok .05):
   75 % from the culture's list, else an en city.  Spelling variants w.p. .15 (NYC / New York
   City, München / Munich / Muenchen, Kraków / Krakow, Bengaluru / Bangalore, 서울 / Seoul ...),
   lower-case .03, upper-case .02.  3 % of persons MOVE: accounts created after the move show the
   new city.
11. **Other columns.**  ``created_at``: first account at U(2012-01-01, 2024-06-30), each further
   account + Exp(400 days), capped at 2025-03-31, tiktok not before 2018-09; ISO-8601 ``Z``.
   ``followers`` / ``following`` (social only): log-normal (facebook: friends).  ``bio`` (twitter
   .75, instagram .7, tiktok .5, facebook .3): occupation, interests, emoji, sometimes pronouns,
   a city pin, a newline, a cross-link "IG: @handle" / "insta @handle" to the person's own
   instagram handle (.06 of twitter bios when it exists; ``info["bio_crosslinks"]``) and 1 %
   LONG bios (500-1000 characters); a person's social accounts reuse one core bio w.p. .45.
   ``kind``: person, brand or media.
12. **Brands / media.**  ~1 % of accounts: entities named "Blue Fern Coffee", "Northside
   Gazette" ... (unique; " ✨" appended on 15 % of accounts), 1-3 social accounts each, the same
   handle on each channel w.p. .8 (else a suffix: "official", "hq" ...), "info@..." email
   w.p. .1, city w.p. .3.
13. **Odd but valid values.**  One ``member_id`` is the string "NA"; one account (a singleton
   person's social account) has the name "NA"; one twitter handle is "null"; bios contain
   newlines, emoji and very long text; names and cities contain non-Latin scripts.  Read with
   ``keep_default_na=False`` (or dtype=str) to keep them.

Scenarios
---------
* ``default``: as above.
* ``nicknames_heavy``: names with a nickname are drawn 4x as often; nickname propensity
  0 / .5 / .85 w.p. .15 / .45 / .40; surname-first formats x4 ("Last First") and x3
  ("Last, First", "LAST, First"); initials / "John S." / "JohnSmith" x.3; typos .01,
  case changes .05, transliteration .1, accent stripping .2.  Most cross-account name
  differences are then nickname or order differences.
* ``households``: 40 % of persons in households of 2-5 (.45 / .30 / .17 / .08); family
  address in 80 % of households, used on each newsletter / shop account w.p. .75; borrowed
  head address .2; shared landline .5.
* ``sparse``: names shown less (newsletter .15, instagram .5, tiktok .4, shop .8, twitter .8,
  facebook .9), shop email .55 and social email .01, second addresses .2, phones shown .25,
  cities x.35, bios x.4, handle reuse .3 and unrelated handles 35 %: fewer fields, more
  missing emails, weaker evidence.

``info`` keys
-------------
``scenario, seed, n_accounts, n_persons, n_human_persons, n_brand_entities, true_pairs,
accounts_per_person`` (k -> persons), ``channels``, and planted-phenomenon counts: name
variants per account (``nickname_accounts, adopted_name_accounts, translit_accounts,
surname_first_accounts, initials_accounts, first_name_only_accounts, typo_accounts,
accent_folded_accounts, case_changed_accounts, native_script_accounts, middle_shown_accounts,
decorated_accounts, maiden_name_accounts``; counted on accounts whose Latin-script name is
shown), ``nickname_pairs`` (same-person account pairs, one showing the formal first name and the
other the nickname), ``married_name_persons`` (both surnames visible), namesakes
(``namesake_persons, namesake_groups, largest_namesake_group, largest_namesake_name,
namesake_persons_same_city``), households (``households, household_persons, juniors,
households_sharing_email`` (>= 2 of its persons show one normalised address),
``family_email_households, family_email_single_user_households, borrowed_email_accounts,
shared_phone_households``), ``cross_person_email_pairs`` (account pairs of DIFFERENT persons
with the same normalised email: trim, lower case, no "+tag", no gmail dots), handles
(``handle_reuse_persons, unrelated_handle_accounts, cross_person_same_handle_other_channel``),
email variants (``gmail_dot_variants, plus_tag_variants, email_case_variants,
email_domain_typos, email_trailing_space, emails_shown``), ``phone_accounts``,
``city_variant_accounts``, ``movers`` and ``odd_values`` (the member ids carrying them).

Checks run when it was written: every member exactly once in ``truth``; ``true_pairs`` equals
the pair count of ``truth``; no person has two accounts on one channel; handles unique per
channel (case-insensitive); same seed -> identical tables; CSV round trip keeps "NA" / "null"
with ``keep_default_na=False``; n_accounts from 1 up.  CPU time: ~1 s at 10k, ~6 s at 100k.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

import numpy as np
import pandas as pd

__all__ = ["generate_identity", "write", "summarize", "main", "SCENARIOS", "CHANNELS"]

SCENARIOS = ("default", "nicknames_heavy", "households", "sparse")
CHANNELS = np.array(["twitter", "instagram", "facebook", "tiktok", "newsletter", "shop"],
                    dtype=object)
TW, IG, FB, TT, NL, SH = range(6)
SOCIAL = np.array([True, True, True, True, False, False])
CHANNEL_W = np.array([0.20, 0.24, 0.18, 0.06, 0.20, 0.12])
K_PROBS = np.array([0.55, 0.20, 0.12, 0.07, 0.04, 0.02])

T_START = np.datetime64("2012-01-01T00:00:00", "s").astype("int64")
T_FIRST_END = np.datetime64("2024-06-30T00:00:00", "s").astype("int64")
T_END = np.datetime64("2025-03-31T00:00:00", "s").astype("int64")
T_TIKTOK = np.datetime64("2018-09-01T00:00:00", "s").astype("int64")
DAY = 86400
YEAR = 365 * DAY

# ----------------------------------------------------------------------------- name tables
# Per culture: weight, male / female first names and surnames in popularity order
# ("Latin:native" where a native-script form exists), cities ("City=variant|variant"),
# phone plans (country code, national digits, trunk prefix, weight), local email domains,
# natural surname-first rate, married-surname-change rate, middle-name rate,
# adopted-western-name rate.
CULTURES = {
    "en": dict(
        w=0.34, sf=0.0, married=0.75, middle=0.45, adopted=0.0,
        male="James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles, "
             "Christopher, Daniel, Matthew, Anthony, Mark, Donald, Steven, Paul, Andrew, "
             "Joshua, Kenneth, Kevin, Brian, George, Timothy, Ronald, Edward, Jason, Jeffrey, "
             "Ryan, Jacob, Gary, Nicholas, Eric, Jonathan, Stephen, Larry, Justin, Scott, "
             "Brandon, Benjamin, Samuel, Gregory, Alexander, Frank, Patrick, Raymond, Jack, "
             "Dennis, Jerry, Tyler, Aaron, Henry, Douglas, Peter, Nathan, Zachary, Walter, "
             "Kyle, Harold, Carl, Jeremy, Keith, Roger, Gerald, Ethan, Arthur, Terry, "
             "Christian, Sean, Lawrence, Austin, Joe, Noah, Jesse, Albert, Bryan, Billy, Bruce, "
             "Willie, Jordan, Dylan, Alan, Ralph, Gabriel, Roy, Wayne, Eugene, Logan, Randy, "
             "Louis, Russell, Vincent, Philip, Bobby, Johnny, Bradley, Theodore, Oliver, Liam, "
             "Mason, Lucas, Oisín, Pádraig, Cian",
        female="Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, "
               "Karen, Lisa, Nancy, Betty, Margaret, Sandra, Ashley, Kimberly, Emily, Donna, "
               "Michelle, Carol, Amanda, Dorothy, Melissa, Deborah, Stephanie, Rebecca, "
               "Sharon, Laura, Cynthia, Kathleen, Amy, Angela, Shirley, Anna, Brenda, Pamela, "
               "Emma, Nicole, Helen, Samantha, Katherine, Christine, Debra, Rachel, Carolyn, "
               "Janet, Catherine, Maria, Heather, Diane, Ruth, Julie, Olivia, Joyce, Virginia, "
               "Victoria, Kelly, Lauren, Christina, Joan, Evelyn, Judith, Megan, Andrea, "
               "Cheryl, Hannah, Jacqueline, Martha, Gloria, Teresa, Ann, Sara, Madison, "
               "Frances, Kathryn, Janice, Jean, Abigail, Alice, Judy, Sophia, Grace, Denise, "
               "Amber, Doris, Marilyn, Danielle, Beverly, Isabella, Theresa, Diana, Natalie, "
               "Brittany, Charlotte, Marie, Kayla, Alexis, Lori, Alexandra, Chloe, Zoe, "
               "Siobhán, Niamh, Aoife, Caroline",
        sur="Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, "
            "Thomas, Moore, Jackson, Martin, Lee, Thompson, White, Harris, Clark, Lewis, "
            "Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, "
            "Nelson, Carter, Mitchell, Roberts, Turner, Phillips, Campbell, Parker, Evans, "
            "Edwards, Collins, Stewart, Morris, Murphy, Cook, Rogers, Morgan, Cooper, Peterson, "
            "Bailey, Reed, Kelly, Howard, Cox, Ward, Richardson, Watson, Brooks, Wood, James, "
            "Bennett, Gray, Hughes, Price, Sanders, Myers, Long, Ross, Foster, Powell, Jenkins, "
            "Perry, Russell, Sullivan, Bell, Coleman, Butler, Henderson, Barnes, Fisher, "
            "Graham, Reynolds, Hamilton, Wallace, O'Brien, O'Connor, McDonald, MacLeod, "
            "Fitzgerald, O'Sullivan, Walsh, Byrne, Doyle, Kennedy, Hayes, Gallagher, "
            "Ó Briain, Van Buren, St. John",
        cities="New York=NYC|New York City|NY|New York, NY; Los Angeles=LA|L.A.|Los Angeles, CA; "
               "London=London, UK|Greater London|LDN; Chicago=Chicago, IL|Chi-town; "
               "Houston=Houston, TX; Toronto=TO|Toronto, ON; Philadelphia=Philly; "
               "San Francisco=SF|San Fran|San Francisco Bay Area; Sydney=Sydney, NSW; "
               "Manchester=Manchester, UK; Boston; Seattle; Dallas; San Diego; Phoenix; "
               "Washington=Washington, DC|DC|Washington D.C.; Melbourne; "
               "Dublin=Baile Átha Cliath|Dublin, Ireland; Atlanta=ATL; Miami; Denver; "
               "Austin=ATX; Birmingham=Brum; Glasgow; Vancouver; Nashville; Leeds; Portland",
        phone=[("1", 10, "1", 0.75), ("44", 10, "0", 0.15), ("61", 9, "0", 0.05),
               ("353", 9, "0", 0.05)],
        domains="comcast.net, btinternet.com, live.co.uk, sky.com, verizon.net"),
    "es": dict(
        w=0.12, sf=0.0, married=0.0, middle=0.0, adopted=0.0,
        male="José, Juan, Antonio, Manuel, Francisco, David, Luis, Carlos, Javier, Jesús, "
             "Miguel, Alejandro, Rafael, Pedro, Ángel, Pablo, Sergio, Fernando, Jorge, Alberto, "
             "Diego, Álvaro, Adrián, Raúl, Enrique, Ramón, Eduardo, Ignacio, Roberto, Andrés, "
             "Óscar, Santiago, Mateo, Rodrigo, Joaquín, Emilio, Guillermo, Gonzalo, Hugo",
        female="María, Carmen, Ana, Isabel, Laura, Cristina, Marta, Lucía, Dolores, Pilar, "
               "Paula, Elena, Sara, Raquel, Rosa, Mercedes, Manuela, Concepción, Rosario, "
               "Beatriz, Silvia, Julia, Patricia, Irene, Nuria, Andrea, Alba, Sofía, "
               "Valentina, Guadalupe, Consuelo, Francisca, Ximena, Camila, Daniela, Natalia, "
               "Gabriela, Inés, Begoña, Ainhoa",
        sur="García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, "
            "Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, "
            "Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Ramírez, Serrano, "
            "Blanco, Molina, Morales, Suárez, Ortega, Delgado, Castro, Ortiz, Rubio, Marín, "
            "Sanz, Núñez, Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano, "
            "Guerrero, Cano, Prieto, Méndez, Cruz, Flores, Herrera, Peña, de la Fuente, "
            "del Río",
        cities="Madrid; Ciudad de México=CDMX|Mexico City|México DF; Barcelona=BCN; "
               "Buenos Aires=Bs As|CABA; Bogotá=Bogota; Valencia=València; Sevilla=Seville; "
               "Lima; Santiago=Santiago de Chile; Guadalajara; Monterrey; Zaragoza; "
               "Málaga=Malaga; Bilbao=Bilbo; Medellín=Medellin",
        phone=[("34", 9, "", 0.5), ("52", 10, "", 0.3), ("57", 10, "", 0.1),
               ("54", 10, "0", 0.1)],
        domains="hotmail.es, yahoo.es, telefonica.net, prodigy.net.mx"),
    "pt": dict(
        w=0.06, sf=0.0, married=0.3, middle=0.5, adopted=0.0,
        male="João, José, António, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz, Marcos, Luís, "
             "Gabriel, Rafael, Daniel, Marcelo, Bruno, Eduardo, Felipe, Raimundo, Rodrigo, "
             "Tiago, Gonçalo, Rui, Miguel, Diogo, Vitor",
        female="Maria, Ana, Francisca, Antônia, Adriana, Juliana, Márcia, Fernanda, Patrícia, "
               "Aline, Sandra, Camila, Amanda, Bruna, Jéssica, Letícia, Júlia, Luciana, "
               "Vanessa, Mariana, Gabriela, Beatriz, Inês, Joana, Rita, Sofia",
        sur="Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, "
            "Costa, Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, "
            "Barbosa, Rocha, Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, "
            "Mendes, Freitas, Cardoso, Gonçalves, Araújo, Magalhães, Conceição",
        cities="São Paulo=Sao Paulo|SP|Sampa; Rio de Janeiro=Rio|RJ; Lisboa=Lisbon; "
               "Porto=Oporto; Belo Horizonte=BH; Brasília=Brasilia; Salvador; Curitiba; "
               "Recife; Fortaleza",
        phone=[("55", 11, "0", 0.75), ("351", 9, "", 0.25)],
        domains="uol.com.br, bol.com.br, sapo.pt, terra.com.br"),
    "fr": dict(
        w=0.07, sf=0.0, married=0.5, middle=0.15, adopted=0.0,
        male="Jean, Pierre, Michel, André, Philippe, Nicolas, Alain, Jacques, Bernard, "
             "François, Christophe, Daniel, Frédéric, Stéphane, Patrick, Laurent, Julien, "
             "Sébastien, David, Thomas, Guillaume, Olivier, Éric, Antoine, Mathieu, "
             "Jean-Pierre, Jean-Luc, Jean-Baptiste, Louis, Hugo, Théo, Gaël, Loïc, Benoît, "
             "Jérôme, Hervé, Alexandre",
        female="Marie, Nathalie, Isabelle, Sylvie, Catherine, Françoise, Christine, Monique, "
               "Valérie, Sandrine, Stéphanie, Véronique, Sophie, Céline, Chantal, Émilie, "
               "Julie, Camille, Léa, Manon, Chloé, Inès, Marie-Claire, Anne-Sophie, Hélène, "
               "Aurélie, Élodie, Mathilde, Margaux, Océane, Noémie, Dominique",
        sur="Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, "
            "Simon, Laurent, Lefebvre, Michel, Garcia, David, Bertrand, Roux, Vincent, "
            "Fournier, Morel, Girard, André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, "
            "François, Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller, "
            "Henry, Roussel, Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, "
            "Lopez, Fontaine, Chevalier, Robin, Lemaître, Bélanger, Tremblay, Côté, Gagnon",
        cities="Paris=Paris, France|PARIS; Marseille=Marseilles; Lyon=Lyons; Toulouse; Nice; "
               "Montréal=Montreal|MTL; Nantes; Strasbourg; Bordeaux; Lille; "
               "Québec=Quebec City|Ville de Québec; Bruxelles=Brussels|Brussel; "
               "Genève=Geneva|Geneve",
        phone=[("33", 9, "0", 0.8), ("32", 9, "0", 0.1), ("1", 10, "1", 0.1)],
        domains="orange.fr, free.fr, laposte.net, wanadoo.fr, sfr.fr"),
    "de": dict(
        w=0.07, sf=0.0, married=0.7, middle=0.2, adopted=0.0,
        male="Peter, Michael, Thomas, Andreas, Wolfgang, Klaus, Jürgen, Stefan, Christian, "
             "Uwe, Werner, Hans, Frank, Bernd, Matthias, Markus, Alexander, Sebastian, Tobias, "
             "Lukas, Jonas, Maximilian, Felix, Florian, Johannes, Friedrich, Dieter, Günter, "
             "Jörg, Hans-Peter, Karl-Heinz, Niklas, Moritz",
        female="Ursula, Sabine, Monika, Petra, Claudia, Andrea, Susanne, Stefanie, Julia, Anna, "
               "Katharina, Elisabeth, Christina, Sandra, Nicole, Birgit, Jutta, Renate, Karin, "
               "Gabriele, Anja, Lena, Laura, Leonie, Hannah, Sophie, Marie, Jana, Franziska, "
               "Annegret, Bärbel, Dörte",
        sur="Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, "
            "Hoffmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, "
            "Zimmermann, Braun, Krüger, Hofmann, Hartmann, Lange, Schmitt, Werner, Schmitz, "
            "Krause, Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann, König, Walter, "
            "Mayer, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, "
            "Vogel, Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz, "
            "Baumann, Franke, Albrecht, Schuster, Simon, Ludwig, Böhm, Winter, Kraus, Martin, "
            "Schumacher, Krämer, Vogt, Stein, Jäger, Otto, Sommer, Groß, Seidel, Heinrich, "
            "Brandt, Haas, Schreiber, Graf, von Bergen",
        cities="Berlin; Hamburg; München=Munich|Muenchen|Munchen; Köln=Cologne|Koeln|Koln; "
               "Frankfurt=Frankfurt am Main|FFM; Stuttgart; Düsseldorf=Dusseldorf|Duesseldorf; "
               "Wien=Vienna; Zürich=Zurich|Zuerich; Leipzig; Dortmund; "
               "Nürnberg=Nuremberg|Nuernberg; Graz",
        phone=[("49", 10, "0", 0.8), ("43", 10, "0", 0.1), ("41", 9, "0", 0.1)],
        domains="gmx.de, web.de, t-online.de, gmx.at, bluewin.ch"),
    "it": dict(
        w=0.05, sf=0.0, married=0.1, middle=0.05, adopted=0.0,
        male="Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro, "
             "Salvatore, Carlo, Franco, Domenico, Bruno, Paolo, Michele, Giorgio, Aldo, "
             "Sergio, Luca, Marco, Alessandro, Andrea, Matteo, Lorenzo, Davide, Stefano, "
             "Roberto, Simone, Niccolò, Gianluca, Fabrizio",
        female="Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, "
               "Caterina, Francesca, Chiara, Giulia, Sara, Martina, Valentina, Alessia, "
               "Federica, Elisa, Silvia, Paola, Elena, Laura, Roberta, Simona, Sofia, Aurora, "
               "Ginevra, Beatrice",
        sur="Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, "
            "Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, "
            "Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, "
            "Leone, Longo, Gentile, Martinelli, Vitale, Lombardo, Serra, Coppola, De Santis, "
            "D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro, Ferri, Fabbri, Bianco, "
            "Marini, Grasso, Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini, "
            "Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri, "
            "Mazza, Testa, Dell'Acqua, Pellegrino, Carbone, Giuliani",
        cities="Roma=Rome; Milano=Milan; Napoli=Naples; Torino=Turin; Palermo; Genova=Genoa; "
               "Bologna; Firenze=Florence; Bari; Venezia=Venice; Verona",
        phone=[("39", 10, "", 1.0)],
        domains="libero.it, virgilio.it, alice.it, tiscali.it"),
    "pl": dict(
        w=0.04, sf=0.0, married=0.8, middle=0.1, adopted=0.0,
        male="Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Jan, Michał, Marcin, Stanisław, Jakub, "
             "Adam, Marek, Łukasz, Grzegorz, Mateusz, Wojciech, Mariusz, Dariusz, Zbigniew, "
             "Jerzy, Maciej, Rafał, Kamil, Szymon, Bartosz",
        female="Anna, Maria, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna, "
               "Elżbieta, Zofia, Joanna, Magdalena, Monika, Aleksandra, Natalia, Karolina, "
               "Marta, Beata, Dorota, Justyna, Agata, Paulina, Weronika, Zuzanna, Julia",
        sur="Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, "
            "Zieliński, Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, "
            "Wojciechowski, Kwiatkowski, Krawczyk, Kaczmarek, Piotrowski, Grabowski, Zając, "
            "Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel, Nowakowski, Majewski, "
            "Olszewski, Stępień, Malinowski, Jaworski, Adamczyk, Dudek, Nowicki, Pawlak, "
            "Górski, Witkowski, Walczak, Sikora, Baran, Rutkowski, Michalak, Szewczyk, "
            "Ostrowski, Tomaszewski, Pietrzak, Marciniak, Wróblewski",
        cities="Warszawa=Warsaw; Kraków=Krakow|Cracow; Łódź=Lodz; Wrocław=Wroclaw; "
               "Poznań=Poznan; Gdańsk=Gdansk; Szczecin; Katowice; Lublin",
        phone=[("48", 9, "", 1.0)],
        domains="wp.pl, onet.pl, o2.pl, interia.pl"),
    "ru": dict(
        w=0.04, sf=0.0, married=0.8, middle=0.0, adopted=0.0,
        male="Aleksandr:Александр, Sergey:Сергей, Dmitry:Дмитрий, Andrey:Андрей, "
             "Alexey:Алексей, Maxim:Максим, Ivan:Иван, Mikhail:Михаил, Nikolai:Николай, "
             "Vladimir:Владимир, Yevgeny:Евгений, Pavel:Павел, Artem:Артём, Oleg:Олег, "
             "Igor:Игорь, Roman:Роман, Denis:Денис, Anton:Антон, Kirill:Кирилл, Yuri:Юрий, "
             "Viktor:Виктор, Konstantin:Константин",
        female="Elena:Елена, Olga:Ольга, Natalia:Наталья, Anna:Анна, Tatiana:Татьяна, "
               "Ekaterina:Екатерина, Maria:Мария, Irina:Ирина, Svetlana:Светлана, "
               "Anastasia:Анастасия, Yulia:Юлия, Marina:Марина, Daria:Дарья, Ksenia:Ксения, "
               "Polina:Полина, Victoria:Виктория, Lyudmila:Людмила, Galina:Галина, "
               "Alina:Алина, Sofia:София",
        sur="Ivanov:Иванов, Smirnov:Смирнов, Kuznetsov:Кузнецов, Popov:Попов, "
            "Vasiliev:Васильев, Petrov:Петров, Sokolov:Соколов, Mikhailov:Михайлов, "
            "Novikov:Новиков, Fedorov:Фёдоров, Morozov:Морозов, Volkov:Волков, "
            "Alekseev:Алексеев, Lebedev:Лебедев, Semenov:Семёнов, Egorov:Егоров, "
            "Pavlov:Павлов, Kozlov:Козлов, Stepanov:Степанов, Nikolaev:Николаев, Orlov:Орлов, "
            "Andreev:Андреев, Makarov:Макаров, Nikitin:Никитин, Zakharov:Захаров, "
            "Zaitsev:Зайцев, Soloviev:Соловьёв, Borisov:Борисов, Romanov:Романов, "
            "Kovalevsky:Ковалевский",
        cities="Moscow=Moskva|Москва|MSK; Saint Petersburg=St. Petersburg|St Petersburg|SPb|"
               "Санкт-Петербург; Novosibirsk; Yekaterinburg=Ekaterinburg; Kazan=Kazan'; "
               "Nizhny Novgorod=Nizhniy Novgorod; Samara",
        phone=[("7", 10, "8", 1.0)],
        domains="mail.ru, yandex.ru, rambler.ru, bk.ru"),
    "in": dict(
        w=0.05, sf=0.0, married=0.6, middle=0.0, adopted=0.0,
        male="Rahul, Amit, Rajesh, Suresh, Ramesh, Vijay, Sanjay, Anil, Sunil, Arun, Deepak, "
             "Venkatesh, Srinivas, Krishna, Arjun, Rohan, Aditya, Vikram, Karthik, Pradeep, "
             "Manoj, Ravi, Subramanian, Harish, Nikhil, Siddharth, Gaurav",
        female="Priya, Anjali, Sunita, Lakshmi, Kavita, Pooja, Neha, Divya, Deepa, Anita, "
               "Meena, Shreya, Ananya, Priyanka, Swati, Rekha, Aishwarya, Kavya, Sneha, Nisha, "
               "Geeta, Radha",
        sur="Kumar, Sharma, Singh, Patel, Gupta, Reddy, Rao, Iyer, Nair, Shah, Mehta, Joshi, "
            "Verma, Agarwal, Mishra, Chatterjee, Banerjee, Mukherjee, Das, Pillai, Menon, "
            "Krishnan, Subramaniam, Bhat, Desai, Kapoor, Malhotra, Chopra, Jain, Saxena, "
            "Pandey, Yadav, Naidu, Chaudhary, Srinivasan",
        cities="Mumbai=Bombay; Delhi=New Delhi|NCR; Bengaluru=Bangalore|Blr; Hyderabad; "
               "Chennai=Madras; Kolkata=Calcutta; Pune=Poona; Ahmedabad; Jaipur",
        phone=[("91", 10, "0", 1.0)],
        domains="rediffmail.com, yahoo.co.in"),
    "zh": dict(
        w=0.04, sf=0.45, married=0.0, middle=0.0, adopted=0.35,
        male="Wei:伟, Qiang:强, Lei:磊, Jun:军, Yong:勇, Jie:杰, Tao:涛, Ming:明, Chao:超, "
             "Gang:刚, Hao:浩, Haoran:浩然, Yuxuan:宇轩, Zihao:子豪, Jian:建, Bo:波, Peng:鹏, "
             "Hui:辉",
        female="Fang:芳, Na:娜, Min:敏, Jing:静, Li:丽, Yan:艳, Juan:娟, Xia:霞, Ping:平, "
               "Xiuying:秀英, Guiying:桂英, Zihan:子涵, Xinyi:欣怡, Yuting:雨婷, Mei:美, "
               "Ying:颖, Lan:兰, Hong:红",
        sur="Wang:王, Li:李, Zhang:张, Liu:刘, Chen:陈, Yang:杨, Huang:黄, Zhao:赵, Wu:吴, "
            "Zhou:周, Xu:徐, Sun:孙, Ma:马, Zhu:朱, Hu:胡, Guo:郭, He:何, Lin:林, Gao:高, "
            "Luo:罗, Zheng:郑, Liang:梁, Xie:谢, Song:宋, Tang:唐",
        cities="Shanghai=上海; Beijing=Peking|北京; Shenzhen=深圳; Guangzhou=Canton|广州; "
               "Hong Kong=HK|香港; Chengdu; Hangzhou; Singapore=SG; Taipei=台北; Wuhan",
        phone=[("86", 11, "0", 0.7), ("852", 8, "", 0.15), ("65", 8, "", 0.15)],
        domains="qq.com, 163.com, 126.com, sina.com"),
    "ja": dict(
        w=0.02, sf=0.35, married=0.9, middle=0.0, adopted=0.05,
        male="Hiroshi:博, Takashi:隆, Kenta:健太, Shota:翔太, Daisuke:大輔, Takuya:拓也, "
             "Naoki:直樹, Haruto:陽翔, Ren:蓮, Kenji:健二, Makoto:誠, Taro:太郎, Kazuki:一輝, "
             "Ryo:涼",
        female="Yui:結衣, Hina:陽菜, Misaki:美咲, Sakura:さくら, Hanako:花子, Ai:愛, Yumi:由美, "
               "Megumi:恵, Yoko:洋子, Keiko:恵子, Akiko:明子, Haruka:遥, Aoi:葵, Mio:澪, Emi:恵美",
        sur="Sato:佐藤, Suzuki:鈴木, Takahashi:高橋, Tanaka:田中, Watanabe:渡辺, Ito:伊藤, "
            "Yamamoto:山本, Nakamura:中村, Kobayashi:小林, Kato:加藤, Yoshida:吉田, "
            "Yamada:山田, Sasaki:佐々木, Yamaguchi:山口, Matsumoto:松本, Inoue:井上, "
            "Kimura:木村, Hayashi:林, Shimizu:清水, Saito:斎藤",
        cities="Tokyo=東京|Tōkyō; Osaka=大阪|Ōsaka; Yokohama; Nagoya; Sapporo; Kyoto=京都; "
               "Fukuoka; Kobe",
        phone=[("81", 10, "0", 1.0)],
        domains="yahoo.co.jp, docomo.ne.jp, ezweb.ne.jp"),
    "ko": dict(
        w=0.02, sf=0.45, married=0.0, middle=0.0, adopted=0.2,
        male="Min-jun:민준, Seo-jun:서준, Do-yoon:도윤, Ye-jun:예준, Ji-hoon:지훈, "
             "Hyun-woo:현우, Jun-ho:준호, Sung-min:성민, Dong-hyun:동현, Jae-won:재원, "
             "Young-ho:영호",
        female="Seo-yeon:서연, Ha-eun:하은, Ji-woo:지우, Su-bin:수빈, Ji-min:지민, Min-seo:민서, "
               "Yu-na:유나, Eun-ji:은지, Soo-jin:수진, Hye-jin:혜진, Ji-yeon:지연, Mi-kyung:미경",
        sur="Kim:김, Lee:이, Park:박, Choi:최, Jung:정, Kang:강, Cho:조, Yoon:윤, Jang:장, "
            "Lim:임, Han:한, Oh:오, Seo:서, Shin:신, Kwon:권, Hwang:황, Ahn:안, Song:송, Na:나",
        cities="Seoul=서울; Busan=Pusan|부산; Incheon=Inchon; Daegu=Taegu; Daejeon; "
               "Gwangju=Kwangju",
        phone=[("82", 10, "0", 1.0)],
        domains="naver.com, daum.net, hanmail.net"),
    "ar": dict(
        w=0.04, sf=0.0, married=0.0, middle=0.0, adopted=0.0,
        male="Mohammed, Ahmed, Ali, Omar, Youssef, Ibrahim, Khalid, Hassan, Hussein, Abdullah, "
             "Mahmoud, Mustafa, Karim, Tariq, Samir, Nabil, Walid, Faisal, Rami, Ziad, Hamza, "
             "Bilal",
        female="Fatima, Aisha, Mariam, Noor, Layla, Zainab, Huda, Sara, Amira, Yasmin, Rania, "
               "Hana, Salma, Dina, Lina, Reem, Nadia, Samira",
        sur="Al-Sayed, Hassan, Mohamed, Ali, Ibrahim, Mahmoud, Abdel-Rahman, Khalil, Haddad, "
            "Nasser, Saleh, Mansour, Al-Masri, Hamdan, Aziz, Farouk, Qureshi, Rahman, Osman, "
            "Al-Hashimi, Bakr, Yousef, Darwish, Shaheen, Awad, Habib, El-Amin, Suleiman",
        cities="Cairo=Al-Qahira|القاهرة; Dubai=دبي; Riyadh=Ar-Riyad; Amman; Beirut=Beyrouth; "
               "Casablanca; Doha; Abu Dhabi; Jeddah=Jiddah; Alexandria=Alexandrie",
        phone=[("20", 10, "0", 0.4), ("971", 9, "0", 0.3), ("966", 9, "0", 0.3)],
        domains="hotmail.com, yahoo.com, outlook.sa"),
    "tr": dict(
        w=0.02, sf=0.0, married=0.8, middle=0.0, adopted=0.0,
        male="Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Ömer, Emre, Burak, "
             "Can, Yusuf, Kemal, Serkan, Oğuz, Barış, Çağlar",
        female="Fatma, Ayşe, Emine, Hatice, Zeynep, Elif, Merve, Özlem, Esra, Büşra, Gül, "
               "Şule, Derya, Ebru, İrem, Tuğba",
        sur="Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, "
            "Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, "
            "Korkmaz, Erdoğan, Güneş",
        cities="İstanbul=Istanbul; Ankara; İzmir=Izmir; Bursa; Antalya; Adana",
        phone=[("90", 10, "0", 1.0)],
        domains="mynet.com, hotmail.com.tr"),
    "nordic": dict(
        w=0.02, sf=0.0, married=0.5, middle=0.3, adopted=0.0,
        male="Lars, Anders, Erik, Johan, Magnus, Nils, Per, Karl, Björn, Sven, Mikkel, Søren, "
             "Jens, Ole, Henrik, Jonas, Oskar, Rasmus, Mads, Håkan",
        female="Anna, Eva, Maria, Karin, Kristina, Ingrid, Astrid, Sofia, Emma, Maja, Sigrid, "
               "Freja, Linnéa, Åsa, Birgitta, Mette, Kirsten, Hanne, Solveig, Liv",
        sur="Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, "
            "Svensson, Gustafsson, Hansen, Jensen, Nielsen, Pedersen, Andersen, Christensen, "
            "Larsen, Sørensen, Rasmussen, Johansen, Olsen, Berg, Lindqvist, Lindström, "
            "Bergström, Sjöberg, Håkansson, Østergaard, Dahl, Halvorsen",
        cities="Stockholm; Göteborg=Gothenburg|Goteborg; Malmö=Malmo; Oslo; Bergen; "
               "København=Copenhagen|Kobenhavn|CPH; Aarhus=Århus; Helsinki=Helsingfors; "
               "Uppsala",
        phone=[("46", 9, "0", 0.5), ("47", 8, "", 0.25), ("45", 8, "", 0.25)],
        domains="telia.com, online.no, live.se"),
}

# Long tails of generated names: (probability mass of the tail, prefixes, suffixes); a
# "Latin:native" element composes its native form too.  Tail names equal to a listed name are
# dropped; the tail mass is spread evenly over the rest.
TAILS = {
    "en": dict(sur=(0.5, "Ash, Black, Brad, Brom, Craw, Dal, Els, Fair, Gold, Hart, Hol, Kings, "
                         "Lang, Lin, Mar, Nor, Ox, Pem, Red, Rad, Sher, Stan, Thorn, Wal, Whit, "
                         "Wood, Bur, Chat, Dun, Ed, Fen, Gran, Hal, Kel, Mid, Pen, Sut, Wes, "
                         "Ber, Cole",
                    "ford, ley, ton, wood, worth, field, well, by, ham, more, stone, bridge")),
    "es": dict(sur=(0.35, "Vill, Mont, Cas, Val, Berm, Carr, Esc, Gal, Mend, Olm, Pach, Quint, "
                          "Ros, Sal, Tor, Arr, Bar, Cal, Bust, Lar, Med, Ped, Riv, Sot",
                    "ado, ero, eda, illa, ana, udo, ales, uez, iz, aga, ino, era")),
    "pt": dict(sur=(0.4, "Alb, Bran, Cam, Far, Gus, Lob, Mour, Pin, Quei, Seix, Tav, Val, Bar, "
                         "Cor, Pai, Ter, Mot, Fig, Rib, Bot",
                    "eiro, ares, ado, ino, anda, oso, elo, heiro, ão, ito, uel")),
    "fr": dict(sur=(0.5, "Beau, Mont, Roche, Dela, Bel, Val, Champ, Font, Mal, Ros, Gar, Bour, "
                         "Char, Lam, Mor, Ver, Cour, Bon, Fav, Gir",
                    "mont, fort, champ, croix, val, lieu, ville, court, nier, chet, rand, geot, "
                    "bert, not")),
    "de": dict(sur=(0.5, "Rosen, Linden, Eichen, Tannen, Stein, Hirsch, Adler, Falken, Löwen, "
                         "Sonnen, Blumen, Grün, Schön, Alten, Neu, Wald, Kirch, Mühl, Brunn, "
                         "Hoch, Ober, Unter, Birken, Eisen",
                    "berg, feld, thal, bach, hof, mann, stein, hausen, wald, dorf, meier, "
                    "bauer, reiter, huber")),
    "it": dict(sur=(0.5, "Bell, Mor, Ross, Ferr, Gall, Mar, Bon, Fior, Sant, Cost, Mont, Pell, "
                         "Ricc, Vent, Zan, Barb, Cap, Gual, Lup, Pag, Tos, Mell",
                    "etti, ini, elli, one, ucci, otti, ari, ino, esi, ato, uzzi, acci")),
    "pl": dict(sur=(0.5, "Kowal, Wiśni, Lew, Dąbr, Koz, Jank, Kwiat, Grab, Pawl, Jabł, Wrób, "
                         "Maj, Olsz, Malin, Jawor, Gór, Witk, Ostr, Sob, Czarn, Biał, Kruk, "
                         "Zaj, Sadow, Borow",
                    "ski, owski, ewski, ak, czyk, ek, iński, icz, ała, ik")),
    "ru": dict(sur=(0.5, "Chern:Черн, Dub:Дуб, Gorb:Горб, Kras:Крас, Lav:Лав, Mal:Мал, Nov:Нов, "
                         "Rud:Руд, Sed:Сед, Kot:Кот, Rog:Рог, Sav:Сав, Zhur:Жур, Kulik:Кулик, "
                         "Shest:Шест, Bel:Бел, Grom:Гром, Lis:Лис, Med:Мед, Sokol:Сокол, "
                         "Zver:Звер, Tikh:Тих, Kuz:Кузь, Pet:Пет",
                    "ov:ов, in:ин, enko:енко, ikov:иков, yshev:ышев, ukhin:ухин")),
    "in": dict(sur=(0.5, "Agni, Bala, Chandra, Deva, Gopal, Hari, Jaga, Krishna, Laksh, Madhu, "
                         "Nara, Padma, Rama, Sesha, Siva, Sri, Vasu, Venka, Vishwa, Raghu, "
                         "Sundar, Anand",
                    "n, nathan, murthy, raman, swamy, krishnan, sekar, prasad, rajan, kumar, "
                    "varma, reddy")),
    "ar": dict(sur=(0.4, "Al-, Abu_",
                    "Rashid, Tamimi, Zahrani, Ghamdi, Otaibi, Harbi, Qahtani, Shammari, Dosari, "
                    "Mutairi, Anazi, Shehri, Asiri, Maliki, Hajri, Kaabi, Mazrouei, Nuaimi, "
                    "Suwaidi, Mansoori, Karim, Samir, Nabil, Walid, Faisal, Ziad, Hamza, "
                    "Bilal, Saad, Jaber, Hakim, Naji")),
    "tr": dict(sur=(0.5, "Ak, Kara, Öz, Er, Gül, Yıl, Tek, Demir, Al, Bay, Çam, Dal, Gök, Kay, "
                         "Şen, Tun, Uç, Yaz, Ateş, Bal",
                    "han, soy, kaya, taş, oğlu, can, doğan, türk, dağ, el, er, göz")),
    "nordic": dict(sur=(0.5, "Lind, Berg, Sjö, Ek, Holm, Ny, Dahl, Sand, Ström, Sund, Lund, "
                             "Hag, Björk, Fors, Åker, Ny, Blom, Nord, Vik, Hed",
                        "qvist, berg, ström, gren, lund, holm, man, dal, blad, stedt, sson, "
                        "sen")),
    "ja": dict(sur=(0.5, "Yama:山, Naka:中, Matsu:松, Ishi:石, Kawa:川, Mori:森, Fuji:藤, Oka:岡, "
                         "Taka:高, Kita:北, Hashi:橋, Ino:井, Ue:上, Shima:島, Hira:平, Nishi:西, "
                         "Ao:青, Ara:荒, Kuro:黒, Miya:宮",
                    "moto:本, mura:村, da:田, kawa:川, no:野, saki:崎, yama:山, hara:原, "
                    "shita:下, guchi:口, zawa:沢, oka:岡"),
               male=(0.4, "Hiro, Taka, Ken, Yoshi, Kazu, Masa, Nori, Toshi, Hide, Shin, Tatsu, "
                          "Yasu",
                     "shi, ya, ta, ki, o, to, ji, hiko, nori, aki"),
               female=(0.4, "Yu, Mi, Sa, Ha, Ai, Ka, Na, Ri, Ma, Chi, Ase, Fumi",
                       "ko, mi, ka, na, ri, e, yo, ho")),
    "zh": dict(male=(0.6, "Zi:子, Yu:宇, Hao:浩, Jia:佳, Wen:文, Jun:俊, Ming:明, Rui:瑞, "
                          "Tian:天, Ze:泽, Kai:凯, Jin:金, Zhi:志, Guo:国, Hong:宏, Yi:一, "
                          "Cheng:成, Bo:博, Xiao:晓, Jian:建",
                     "xuan:轩, han:涵, ran:然, yu:宇, hao:豪, feng:峰, long:龙, wei:伟, "
                     "jie:杰, ming:明, hui:辉, bin:斌, lin:林, chen:晨, yang:阳, peng:鹏"),
               female=(0.6, "Xin:欣, Yi:怡, Jia:佳, Meng:梦, Si:思, Yu:雨, Xiao:晓, Shu:淑, "
                            "Li:丽, Hui:慧, Ya:雅, Jing:静, Ling:玲, Qian:倩, Wan:婉, Yue:悦, "
                            "Mei:美, Xue:雪, Lan:兰, Ting:婷",
                       "yi:怡, ting:婷, han:涵, yue:悦, qi:琪, xin:欣, lin:琳, jing:静, "
                       "wen:雯, ying:颖, na:娜, lu:露, mei:美, xuan:萱, fang:芳, hui:慧")),
    "ko": dict(male=(0.6, "Min:민, Ji:지, Seo:서, Hyun:현, Jun:준, Woo:우, Sung:성, Jae:재, "
                          "Dong:동, Young:영, Tae:태, Sang:상, Jin:진, Joon:준, Kyung:경, "
                          "Seung:승",
                     "jun:준, woo:우, ho:호, min:민, hoon:훈, hyun:현, seok:석, won:원, "
                     "soo:수, jin:진, yong:용, hwan:환"),
               female=(0.6, "Seo:서, Ji:지, Min:민, Ha:하, Su:수, Eun:은, Ye:예, Hye:혜, Yu:유, "
                            "Soo:수, Mi:미, Da:다, Na:나, Chae:채, So:소, Yoon:윤",
                       "yeon:연, eun:은, woo:우, bin:빈, min:민, seo:서, na:나, ji:지, jin:진, "
                       "kyung:경, young:영, hee:희")),
}

CULT_KEYS = list(CULTURES)
NCULT = len(CULT_KEYS)
EN = CULT_KEYS.index("en")

# Nicknames: per culture "Formal=nick|nick; ...".  The generator's private truth.
NICKNAMES = {
    "en": "William=Bill|Will|Billy|Liam; Robert=Bob|Rob|Bobby|Robbie; "
          "Richard=Dick|Rick|Rich|Richie; Elizabeth=Liz|Beth|Betty|Lizzie; "
          "Katherine=Kate|Katie|Kathy|Kat; Catherine=Cathy|Cat|Kate; Kathleen=Kathy|Kath; "
          "Kathryn=Kate|Katie; Alexander=Alex|Xander|Sandy; James=Jim|Jimmy|Jamie; "
          "Margaret=Peggy|Maggie|Meg|Margie; Charles=Chuck|Charlie|Chas; John=Jack|Johnny; "
          "Michael=Mike|Mikey|Mick; Christopher=Chris|Topher|Kit; Daniel=Dan|Danny; "
          "Matthew=Matt|Matty; Anthony=Tony|Ant; Joseph=Joe|Joey; Thomas=Tom|Tommy; "
          "Edward=Ed|Eddie|Ted|Ned; Patricia=Pat|Patty|Trish|Tricia; Susan=Sue|Susie; "
          "Rebecca=Becky|Becca; Victoria=Vicky|Tori; Jonathan=Jon|Johnny; Nicholas=Nick|Nicky; "
          "Benjamin=Ben|Benny; Samuel=Sam|Sammy; Samantha=Sam|Sammie; Andrew=Andy|Drew; "
          "Steven=Steve; Stephen=Steve; Timothy=Tim|Timmy; Gregory=Greg; "
          "Theodore=Ted|Teddy|Theo; Deborah=Debbie|Deb; Debra=Debbie|Deb; Dorothy=Dot|Dottie; "
          "Christine=Chris|Tina|Chrissy; Christina=Tina|Chris; Jacqueline=Jackie; "
          "Henry=Hank|Harry; Lawrence=Larry; Ronald=Ron|Ronnie; Donald=Don|Donnie; "
          "Kenneth=Ken|Kenny; Abigail=Abby|Gail; Stephanie=Steph; Jessica=Jess|Jessie; "
          "Kimberly=Kim; Melissa=Mel|Missy; Pamela=Pam; Cynthia=Cindy; Frances=Fran|Frankie; "
          "Jennifer=Jen|Jenny; Barbara=Barb|Babs; Joshua=Josh; Jeffrey=Jeff; Raymond=Ray; "
          "Gerald=Gerry|Jerry; Douglas=Doug; Zachary=Zach|Zack; Peter=Pete; Walter=Walt|Wally; "
          "Harold=Harry|Hal; Patrick=Pat|Paddy; Pádraig=Paddy|Patrick; Eugene=Gene; "
          "Philip=Phil; Bradley=Brad; Vincent=Vince|Vinny; Russell=Russ; Nathan=Nate; "
          "Alexandra=Sasha|Alex|Lexi; Alexis=Lexi; Amanda=Mandy; Sandra=Sandy; Helen=Nell; "
          "Judith=Judy|Jude; Virginia=Ginny; Teresa=Tess|Terri; Theresa=Tess|Terri; "
          "Danielle=Dani; Natalie=Nat; Madison=Maddie; Isabella=Bella|Izzy; Olivia=Liv|Livvy; "
          "Charlotte=Charlie|Lottie; Emily=Em|Emmy; Evelyn=Evie; Beverly=Bev; Gabriel=Gabe; "
          "Albert=Al|Bert; Frank=Frankie; Mary=Molly|Mae; Sarah=Sally|Sadie; Ann=Annie; "
          "Anna=Annie; Caroline=Carrie; Carolyn=Carrie|Carol; Eric=Rick",
    "es": "José=Pepe; Francisco=Paco|Pancho|Curro; Ignacio=Nacho; Guadalupe=Lupe|Lupita; "
          "Jesús=Chuy|Chucho; Manuel=Manolo|Manu; Enrique=Quique; Eduardo=Lalo; "
          "Alejandro=Álex|Ale; Roberto=Beto; Alberto=Beto; Concepción=Concha|Conchi; "
          "Dolores=Lola; Rosario=Charo; Mercedes=Merche; Consuelo=Chelo; "
          "Francisca=Paquita|Paqui; Guillermo=Memo|Guille; Santiago=Santi; Joaquín=Quino; "
          "Antonio=Toño|Toni; Rafael=Rafa; Fernando=Nando|Fer; Isabel=Isa|Chabela; "
          "Daniela=Dani; Gabriela=Gabi; Cristina=Cris; Natalia=Nati; Valentina=Vale; "
          "María=Mari|Maruja",
    "pt": "José=Zé; Francisco=Chico; Eduardo=Dudu; Fernanda=Nanda; Gabriela=Gabi; Rafael=Rafa; "
          "António=Tó|Toni; Antônia=Toninha; Mariana=Mari; Beatriz=Bia; Juliana=Ju; "
          "Letícia=Leti; Patrícia=Paty; Gonçalo=Gonça",
    "fr": "Frédéric=Fred; Nicolas=Nico; Christophe=Chris; Dominique=Dom; Stéphanie=Steph; "
          "Isabelle=Isa; Catherine=Cathy; Jean-Baptiste=JB; Jean-Pierre=JP; Sébastien=Seb; "
          "Mathieu=Matt; Véronique=Véro; Valérie=Val; Stéphane=Steph; Philippe=Phil; "
          "Benoît=Ben; Alexandre=Alex; Marie-Claire=Marie",
    "de": "Johannes=Hannes|Jo; Friedrich=Fritz; Katharina=Kathi|Kati; "
          "Elisabeth=Lisa|Sissi|Liesl; Wolfgang=Wolfi; Alexander=Alex; Maximilian=Max; "
          "Matthias=Matze|Hias; Sebastian=Basti; Tobias=Tobi; Christian=Chris; Andreas=Andi; "
          "Stefanie=Steffi; Susanne=Susi; Franziska=Franzi; Gabriele=Gabi; Michael=Micha; "
          "Thomas=Tom; Karl-Heinz=Kalle; Christina=Tina; Florian=Flo; Niklas=Nik; "
          "Dieter=Didi; Hans-Peter=Hansi",
    "it": "Giuseppe=Peppe|Beppe|Pino; Giovanni=Gianni|Nanni; Francesco=Franco|Cecco|Checco; "
          "Salvatore=Totò|Turi; Antonio=Toni|Tonino; Alessandro=Ale|Sandro; Domenico=Mimmo; "
          "Vincenzo=Enzo; Giuseppina=Pina; Francesca=Fra|Cesca; Caterina=Cate; "
          "Valentina=Vale; Federica=Fede; Alessia=Ale; Roberto=Robi; Matteo=Teo; Stefano=Ste; "
          "Niccolò=Nicco; Michele=Miki; Simona=Simo; Elisa=Eli; Carmela=Melina",
    "pl": "Małgorzata=Gosia|Małgosia; Katarzyna=Kasia; Wojciech=Wojtek; Aleksandra=Ola; "
          "Krzysztof=Krzysiek; Agnieszka=Aga; Magdalena=Magda; Tomasz=Tomek; Piotr=Piotrek; "
          "Joanna=Asia; Stanisław=Staszek|Staś; Jakub=Kuba; Mateusz=Mati; Elżbieta=Ela; "
          "Zofia=Zosia; Barbara=Basia; Weronika=Wera; Zuzanna=Zuza; Bartosz=Bartek; "
          "Grzegorz=Grzesiek; Andrzej=Jędrek; Jan=Janek; Krystyna=Krysia; Karolina=Karo",
    "ru": "Aleksandr=Sasha|Sanya|Shura; Dmitry=Dima|Mitya; Mikhail=Misha; "
          "Ekaterina=Katya|Katia; Natalia=Natasha; Maria=Masha; Ivan=Vanya; Sergey=Seryozha; "
          "Vladimir=Volodya|Vova; Nikolai=Kolya; Anastasia=Nastya; Tatiana=Tanya; Elena=Lena; "
          "Olga=Olya; Svetlana=Sveta; Irina=Ira; Alexey=Lyosha|Alyosha; Maxim=Max; "
          "Yevgeny=Zhenya; Pavel=Pasha; Daria=Dasha; Ksenia=Ksyusha; Lyudmila=Lyuda|Mila; "
          "Galina=Galya; Konstantin=Kostya; Yuri=Yura; Viktor=Vitya; Polina=Polya; "
          "Victoria=Vika; Anna=Anya",
    "in": "Rajesh=Raj; Venkatesh=Venky; Srinivas=Srini|Cheenu; Subramanian=Subbu|Mani; "
          "Priyanka=Priya; Krishna=Kris; Siddharth=Sid; Aishwarya=Aishu|Ash; Vikram=Vicky; "
          "Nikhil=Nik; Karthik=Karthi; Ananya=Anu; Aditya=Adi; Harish=Hari",
    "ar": "Mohammed=Mo|Moe; Youssef=Joe; Fatima=Fati; Ibrahim=Ibo; Abdullah=Abdo",
    "tr": "Mehmet=Memo; Mustafa=Musti",
    "nordic": "Kristina=Stina|Kicki; Magnus=Manne; Karl=Kalle; Lars=Lasse; Henrik=Henke; "
              "Sigrid=Siri; Per=Pelle; Nils=Nisse",
}

# Transliteration / spelling variants (first names and surnames), "Name=v|v; ...".
TRANSLIT = (
    "Mohammed=Muhammad|Mohamed|Mohammad|Mohamad; Ahmed=Ahmad; Youssef=Yousef|Yusuf; "
    "Hussein=Hussain|Husein; Abdullah=Abdallah; Mahmoud=Mahmud; Mustafa=Mostafa|Moustafa; "
    "Khalid=Khaled; Omar=Umar; Tariq=Tarek|Tarik; Faisal=Faysal; Hamza=Hamzah; "
    "Aisha=Aysha|Ayesha; Fatima=Fatma|Fatimah; Mariam=Maryam; Noor=Nour|Nur; "
    "Zainab=Zeinab; Yasmin=Yasmine|Jasmin; Al-Sayed=Alsayed|El-Sayed|El Sayed; "
    "Al-Masri=Almasri|El-Masry; Abdel-Rahman=Abdelrahman|Abd El Rahman; "
    "Al-Hashimi=Alhashimi|Al Hashemi; Qureshi=Qureishi|Kureshi; Osman=Othman|Usman; "
    "Suleiman=Sulaiman|Soliman; El-Amin=Elamin|Al-Amin; Farouk=Farooq|Faruk; "
    "Aleksandr=Alexander|Alexandr; Dmitry=Dmitri|Dmitriy; Sergey=Sergei; Andrey=Andrei; "
    "Alexey=Aleksei|Alexei; Maxim=Maksim; Nikolai=Nikolay; Natalia=Natalya|Nataliya; "
    "Tatiana=Tatyana; Elena=Yelena; Yulia=Julia|Iuliia; Yevgeny=Evgeny|Evgeniy; "
    "Artem=Artyom; Yuri=Yury|Iurii; Ksenia=Kseniya|Xenia; Daria=Darya; "
    "Vasiliev=Vasilyev|Vasilev; Fedorov=Fyodorov; Semenov=Semyonov; "
    "Soloviev=Solovyov|Solovyev; Zaitsev=Zaytsev; Alekseev=Alexeev; Egorov=Yegorov; "
    "Kovalevsky=Kovalevskiy; Sato=Satou|Satoh; Ito=Itou|Itoh; Kato=Katou|Katoh; "
    "Saito=Saitou|Saitoh; Shota=Shouta; Yoko=Youko; Ryo=Ryou; Taro=Tarou; "
    "Lee=Yi|Rhee; Park=Pak|Bak; Choi=Choe; Jung=Jeong|Chung; Kang=Gang; Cho=Jo; Yoon=Yun; "
    "Lim=Im|Rim; Shin=Sin; Kwon=Gwon; Ahn=An; Zhang=Chang; Chen=Chan; Huang=Wong; "
    "Zhou=Chow; Lakshmi=Laxmi; Chaudhary=Choudhary|Chaudhry|Chowdhury; "
    "Agarwal=Aggarwal|Agrawal; Srinivasan=Sreenivasan; Subramaniam=Subramanian; "
    "Kavita=Kavitha; Geeta=Gita|Geetha; Karthik=Kartik"
)

FIRST_WORDS = dict(
    adj="sunny, pixel, happy, lazy, wild, cosmic, urban, silent, golden, little, crazy, retro, "
        "lucky, midnight, velvet, electric, salty, cozy, stormy, neon, rusty, mellow, quiet, "
        "brave, frosty, bold, tiny, purple",
    noun="fox, hiker, wolf, panda, coffee, rider, otter, baker, gamer, dreamer, wanderer, "
         "pirate, ninja, tiger, lemon, cactus, falcon, bear, owl, rocket, muffin, surfer, "
         "reader, chef, yogi, runner, vinyl, mango",
)
HANDLE_SUFFIX = ("s", "y", "z", "x", "xo", "_official", "_", "tv", "_real", "123")
HANDLE_PREFIX = ("the", "real", "its", "iam", "hey", "just")
PLUS_TAGS = ("shop", "news", "promo", "brand", "deals", "spam", "2021", "newsletter", "store")
WORK_DOMAINS = ("acme-corp.com", "globex.com", "initech.com", "umbrella-group.com",
                "northwind.io", "contoso.com", "fabrikam.net", "tailspin.io", "hooli.com",
                "piedpiper.net", "vandelay.com", "dundermifflin.com", "cyberdyne.ai",
                "wonka.com", "oceanic-air.com", "monarch-solutions.de", "lumen-analytics.fr",
                "stellar-bank.es", "kappa-tech.it", "novasys.pl", "ucl.ac.uk", "uni-koeln.de",
                "mit.edu", "tata-infotech.in", "sakura-trading.jp")
GLOBAL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com",
                  "aol.com", "protonmail.com")
GLOBAL_DOMAIN_W = np.array([0.60, 0.11, 0.11, 0.08, 0.06, 0.02, 0.02])
OLD_DOMAINS = ("hotmail.com", "yahoo.com", "aol.com", "msn.com", "hotmail.co.uk")
TAG_DOMAINS = ("gmail.com", "outlook.com", "hotmail.com", "icloud.com", "protonmail.com")
DOMAIN_TYPOS = {"gmail.com": ("gmial.com", "gmail.co", "gmal.com", "gnail.com", "gmail.con"),
                "hotmail.com": ("hotmial.com", "hotmail.co", "hotmal.com"),
                "yahoo.com": ("yaho.com", "yahooo.com", "yahoo.co"),
                "outlook.com": ("outlok.com", "outlook.co")}
OCCUPATIONS = ("Marketing manager", "Software engineer", "Nurse", "Teacher", "Photographer",
               "Student", "Designer", "Chef", "Writer", "Data scientist", "Entrepreneur",
               "Mom of 3", "Dad of 2", "Retired", "Lawyer", "Architect", "Barista", "Musician",
               "PhD candidate", "Yoga teacher", "Ingeniera", "Fotógrafa", "Lehrerin",
               "Étudiant", "Studentessa", "Программист", "设计师", "会社員", "Product owner",
               "Small business owner", "Paramedic", "Illustrator")
INTERESTS = ("coffee", "running", "travel", "books", "football ⚽", "cooking", "hiking", "cats",
             "dogs", "gaming", "vinyl", "photography", "yoga", "tech", "wine", "gardening",
             "fashion", "skincare", "crypto", "F1", "jazz", "K-pop", "anime", "climbing",
             "surfing", "baking", "true crime", "board games")
EMOJI = ("✨", "🌿", "☕", "🏃", "📚", "🎧", "🌍", "❤️", "🐶", "🎮", "🌸", "🔥")
LONG_SENTENCES = (
    "I write about the small things that make a day better and the big things that make a "
    "life.",
    "Opinions are my own and change often, usually after coffee.",
    "Currently learning to bake sourdough and failing beautifully every single weekend.",
    "Former teacher, current student of everything, forever curious about how things work.",
    "If you are here for the cat pictures you are in the right place; stay for the recipes.",
    "Working on a side project that may or may not become a business one day.",
    "Proud member of the local running club, slowest in the group but never the last to "
    "brunch.",
    "DMs open for collaborations, recommendations and honest feedback.",
    "Travelled to 31 countries so far, the list of places left keeps getting longer.",
    "Sharing what I learn about design, code, parenting and the art of doing less.",
    "Volunteer at the animal shelter on Saturdays; adopt, don't shop.",
    "Trying to read fifty books this year and post a short review of each one here.",
)
DECORATIONS = (" | photographer", " (she/her)", " (he/him)", " ✨", " 🌿", " | views my own",
               " 🏳️\u200d🌈", " ☕")
TITLES = ("Mr ", "Mrs ", "Ms ", "Dr. ", "Mr. ", "Dr ")
BRAND_ADJ = ("Blue", "Northside", "Golden", "Urban", "Little", "Wild", "Copper", "Silver",
             "Green", "Red", "Old Town", "Harbor", "Maple", "Sunset", "Iron", "Velvet", "Lucky",
             "Bright", "Quiet", "Happy", "Nordic", "Alpine", "Coastal", "Hidden", "Royal")
BRAND_NOUN = ("Fern", "Fox", "Oak", "River", "Lantern", "Anchor", "Bee", "Compass", "Meadow",
              "Pine", "Stone", "Harbor", "Owl", "Bridge", "Garden", "Rocket", "Bicycle",
              "Lemon", "Tiger", "Wave")
BRAND_TYPE = ("Coffee", "Bakery", "Studio", "Records", "Cycles", "Books", "Apparel", "Co.",
              "Labs", "Kitchen", "Gazette", "Daily", "News", "Radio", "Magazine", "Times")
MEDIA_TYPES = {"Gazette", "Daily", "News", "Radio", "Magazine", "Times"}

# keyboard neighbours for typos
_KB = {"a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
       "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
       "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
       "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu",
       "z": "asx"}
KB_NB = np.zeros((128, 4), dtype=np.uint32)
for _c in range(128):
    _nb = _KB.get(chr(_c).lower(), "aeio")
    _nb = (_nb * 4)[:4]
    if chr(_c).isupper():
        _nb = _nb.upper()
    KB_NB[_c] = [ord(x) for x in _nb]

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
                       "ß": "ss", "ı": "i", "đ": "d", "Đ": "D", "œ": "oe", "Œ": "Oe",
                       "þ": "th", "ð": "d"})
_DE_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss", "å": "aa", "Å": "Aa", "ø": "oe", "Ø": "Oe", "æ": "ae"})


def _split(s, sep=","):
    return [x.strip() for x in s.split(sep) if x.strip()]


def _zipf(k):
    w = 1.0 / (np.arange(k) + 0.12 * k + 1.0)
    return w / w.sum()


def _variants(spec):
    out = {}
    for item in _split(spec, ";"):
        key, _, rest = item.partition("=")
        out[key.strip()] = [v.strip() for v in rest.split("|") if v.strip()]
    return out


def _with_tail(items, tail, hyphen=False):
    """Listed names (Zipf weights) plus a generated tail prefix x suffix (even weights)."""
    w = _zipf(len(items))
    if not tail:
        return items, w
    mass, pre, suf = tail
    seen = {x.partition(":")[0].strip().lower() for x in items}
    gen = []
    for a in _split(pre):
        a_lat, _, a_nat = a.partition(":")
        for b in _split(suf):
            b_lat, _, b_nat = b.partition(":")
            lat = a_lat + ("-" if hyphen else "") + b_lat
            if lat.endswith(" ") or not lat.strip():
                continue
            lat = lat.replace("_", " ")
            if lat.lower() in seen or (hyphen and a_lat.lower() == b_lat.lower()):
                continue
            seen.add(lat.lower())
            nat = a_nat + b_nat if (a_nat and b_nat) else ""
            gen.append(lat + (":" + nat if nat else ""))
    if not gen:
        return items, w
    return items + gen, np.concatenate([w * (1 - mass), np.full(len(gen), mass / len(gen))])


def _fem(name, culture):
    """Female form of a ru / pl surname (Latin or Cyrillic); other cultures unchanged."""
    if not name:
        return name
    if culture == "ru":
        for pat, rep in ((r"skiy$", "skaya"), (r"sky$", "skaya"), (r"(ov|ev|in)$", r"\1a"),
                         (r"ский$", "ская"), (r"(ов|ев|ёв|ин)$", r"\1а")):
            new = re.sub(pat, rep, name)
            if new != name:
                return new
    if culture == "pl":
        return re.sub(r"(sk|ck|dzk)i$", r"\1a", name)
    return name


def _pad(lists, width=4):
    """Ragged lists of strings -> (n, width) object array padded with '' and the counts."""
    arr = np.full((len(lists), width), "", dtype=object)
    cnt = np.zeros(len(lists), dtype=np.int64)
    for i, lst in enumerate(lists):
        lst = list(lst)[:width]
        arr[i, :len(lst)] = lst
        cnt[i] = len(lst)
    return arr, cnt


def _build_tables():
    tr = _variants(TRANSLIT)
    fn = dict(name=[], cult=[], gender=[], w=[], native=[], nicks=[], tr=[])
    sn = dict(name=[], cult=[], w=[], native=[], tr=[], name_f=[], native_f=[], tr_f=[])
    ct = dict(name=[], cult=[], w=[], var=[])
    fn_group = {}
    sn_group = {}
    ct_group = {}
    for ci, key in enumerate(CULT_KEYS):
        c = CULTURES[key]
        nick = _variants(NICKNAMES.get(key, ""))
        tails = TAILS.get(key, {})
        for g, field in ((0, "male"), (1, "female")):
            items, w = _with_tail(_split(c[field]), tails.get(field), hyphen=key == "ko")
            start = len(fn["name"])
            for item, wi in zip(items, w, strict=True):
                name, _, nat = item.partition(":")
                fn["name"].append(name.strip())
                fn["cult"].append(ci)
                fn["gender"].append(g)
                fn["w"].append(wi)
                fn["native"].append(nat.strip())
                fn["nicks"].append(nick.get(name.strip(), []))
                fn["tr"].append(tr.get(name.strip(), []))
            fn_group[(ci, g)] = (start, len(items))
        items, w = _with_tail(_split(c["sur"]), tails.get("sur"))
        start = len(sn["name"])
        for item, wi in zip(items, w, strict=True):
            name, _, nat = item.partition(":")
            name, nat = name.strip(), nat.strip()
            sn["name"].append(name)
            sn["cult"].append(ci)
            sn["w"].append(wi)
            sn["native"].append(nat)
            sn["tr"].append(tr.get(name, []))
            sn["name_f"].append(_fem(name, key))
            sn["native_f"].append(_fem(nat, key))
            sn["tr_f"].append([_fem(x, key) for x in tr.get(name, [])])
        sn_group[ci] = (start, len(items))
        items = _split(c["cities"], ";")
        w = _zipf(len(items))
        start = len(ct["name"])
        for item, wi in zip(items, w, strict=True):
            name, _, rest = item.partition("=")
            ct["name"].append(name.strip())
            ct["cult"].append(ci)
            ct["w"].append(wi)
            ct["var"].append([v.strip() for v in rest.split("|") if v.strip()])
        ct_group[ci] = (start, len(items))
    T = {}
    T["fn_name"] = np.array(fn["name"], dtype=object)
    T["fn_cult"] = np.array(fn["cult"])
    T["fn_gender"] = np.array(fn["gender"])
    T["fn_w"] = np.array(fn["w"])
    T["fn_native"] = np.array(fn["native"], dtype=object)
    T["fn_nicks"], T["fn_nick_n"] = _pad(fn["nicks"])
    T["fn_tr"], T["fn_tr_n"] = _pad(fn["tr"])
    T["fn_group"] = fn_group
    gs = np.zeros(len(fn["name"]), dtype=np.int64)
    gn = np.zeros(len(fn["name"]), dtype=np.int64)
    for (s, n) in fn_group.values():
        gs[s:s + n] = s
        gn[s:s + n] = n
    T["fn_gstart"], T["fn_gsize"] = gs, gn
    T["sn_name"] = np.array(sn["name"], dtype=object)
    T["sn_name_f"] = np.array(sn["name_f"], dtype=object)
    T["sn_cult"] = np.array(sn["cult"])
    T["sn_w"] = np.array(sn["w"])
    T["sn_native"] = np.array(sn["native"], dtype=object)
    T["sn_native_f"] = np.array(sn["native_f"], dtype=object)
    T["sn_tr"], T["sn_tr_n"] = _pad(sn["tr"])
    T["sn_tr_f"], _ = _pad(sn["tr_f"])
    T["sn_group"] = sn_group
    T["ct_name"] = np.array(ct["name"], dtype=object)
    T["ct_cult"] = np.array(ct["cult"])
    T["ct_w"] = np.array(ct["w"])
    T["ct_var"], T["ct_var_n"] = _pad(ct["var"])
    T["ct_group"] = ct_group
    return T


TABLES = _build_tables()


def _scenario(name):
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; choose from {SCENARIOS}")
    cfg = dict(
        nick_levels=(0.0, 0.35, 0.8), nick_level_p=(0.45, 0.35, 0.20), nick_boost=1.0,
        fmt_mult=np.ones(8), p_translit=0.25, p_accent=0.35, p_case=0.12, p_typo=0.03,
        p_hyphen=0.3, p_native_social=0.20, p_native_other=0.05, p_decor=0.05, p_title=0.05,
        hh_share=0.12, hh_sizes=(2, 3, 4), hh_size_p=(0.6, 0.25, 0.15), p_family=0.35,
        q_family=0.6, p_borrow=0.08, p_shared_phone=0.3, married_other=0.12,
        # presence per channel: twitter, instagram, facebook, tiktok, newsletter, shop
        name_p=np.array([0.97, 0.85, 0.99, 0.70, 0.45, 0.97]),
        email_p=np.array([0.04, 0.05, 0.08, 0.02, 1.0, 0.97]),
        bio_p=np.array([0.75, 0.70, 0.30, 0.50, 0.0, 0.0]),
        city_p=np.array([0.30, 0.15, 0.50, 0.05, 0.10, 0.85]),
        handle_p=np.array([1.0, 1.0, 0.5, 1.0, 0.0, 0.0]),
        phone_has=0.8, phone_show=0.6, handle_reuse=0.55, p_unrelated=0.14, p_email_b=0.35,
        p_dots=0.08, p_tag=0.07, p_ecase=0.06, p_dtypo=0.004, p_space=0.003,
        brand_share=0.01, p_mover=0.03, p_city_var=0.15,
    )
    if name == "nicknames_heavy":
        cfg.update(nick_levels=(0.0, 0.5, 0.85), nick_level_p=(0.15, 0.45, 0.40), nick_boost=4.0,
                   fmt_mult=np.array([1.0, 4.0, 3.0, 3.0, 0.3, 0.3, 1.0, 0.3]),
                   p_typo=0.01, p_case=0.05, p_translit=0.1, p_accent=0.2)
    elif name == "households":
        cfg.update(hh_share=0.40, hh_sizes=(2, 3, 4, 5), hh_size_p=(0.45, 0.30, 0.17, 0.08),
                   p_family=0.8, q_family=0.75, p_borrow=0.2, p_shared_phone=0.5)
    elif name == "sparse":
        cfg.update(name_p=np.array([0.80, 0.50, 0.90, 0.40, 0.15, 0.80]),
                   email_p=np.array([0.01, 0.01, 0.01, 0.01, 1.0, 0.55]),
                   bio_p=cfg["bio_p"] * 0.4, city_p=cfg["city_p"] * 0.35,
                   phone_show=0.25, handle_reuse=0.3, p_unrelated=0.35, p_email_b=0.2)
    return cfg


# ----------------------------------------------------------------------------- helpers
def _o(x):
    return np.asarray(x, dtype=object)


def _S(x):
    return pd.Series(_o(x), dtype=object)


def _choice(rng, options, n, p=None):
    options = _o(options) if not isinstance(options, np.ndarray) else options
    return options[rng.choice(len(options), size=n, p=p)]


def _cat(rng, P):
    """Row-wise categorical draw from an (n, k) probability matrix (rows need not sum to 1)."""
    P = np.asarray(P, dtype=float)
    cum = np.cumsum(P, axis=1)
    u = rng.random(len(P)) * cum[:, -1]
    return np.minimum((cum <= u[:, None]).sum(axis=1), P.shape[1] - 1)


def _on_uniques(a, fn):
    """Apply a vectorised string function to the distinct values only, then broadcast back."""
    codes, uniq = pd.factorize(_S(a))
    out = fn(_S(np.asarray(uniq, dtype=object)))
    return out.to_numpy(dtype=object)[codes]


def _fold(a):
    """Strip accents (and ł, ø, ß, ı ...) from Latin text; other scripts unchanged."""
    return _on_uniques(a, lambda s: s.str.translate(_FOLD).str.normalize("NFKD").str.replace(
        "[\u0300-\u036f]", "", regex=True))


def _slug(a):
    """Lower-case ASCII letters and digits only (for handles and email local parts)."""
    return _on_uniques(_fold(a), lambda s: s.str.lower().str.replace("[^a-z0-9]", "",
                                                                      regex=True))


def _digits(rng, n, lo, hi):
    return rng.integers(lo, hi, size=n).astype(str).astype(object)


def _yy(year):
    return np.char.zfill((np.asarray(year) % 100).astype(str), 2).astype(object)


def _edit(strings, op, pos, ch):
    """One character edit per string, vectorised on a code-point matrix.

    op: 0 substitute, 1 delete, 2 insert, 3 swap with next; pos: index; ch: code point used by
    substitute / insert.  Strings must be non-empty and pos valid for the op.
    """
    a = np.asarray(_o(strings).astype(str))
    n = len(a)
    if n == 0:
        return _o(strings)
    L = a.dtype.itemsize // 4
    codes = np.zeros((n, L + 1), dtype=np.uint32)
    codes[:, :L] = a.view(np.uint32).reshape(n, L)
    out = codes.copy()
    rows = np.arange(n)
    j = np.arange(L + 1)[None, :]
    p = pos[:, None]
    left = np.concatenate([codes[:, 1:], np.zeros((n, 1), np.uint32)], axis=1)
    right = np.concatenate([np.zeros((n, 1), np.uint32), codes[:, :-1]], axis=1)
    m = op == 0
    out[rows[m], pos[m]] = ch[m]
    m = op == 1
    out[m] = np.where(j < p[m], codes[m], left[m])
    m = op == 2
    out[m] = np.where(j < p[m], codes[m], np.where(j == p[m], ch[m][:, None], right[m]))
    m = op == 3
    out[rows[m], pos[m]] = codes[rows[m], pos[m] + 1]
    out[rows[m], pos[m] + 1] = codes[rows[m], pos[m]]
    return out.view(f"<U{L + 1}").ravel().astype(object)


def _typo(rng, strings):
    """A realistic one-edit typo (never on the first letter); strings shorter than 3 kept."""
    s = _o(strings).copy()
    ln = _S(s).str.len().to_numpy()
    ok = ln >= 3
    if not ok.any():
        return s, ok
    x = s[ok]
    lx = ln[ok]
    m = len(x)
    op = rng.choice(4, size=m, p=[0.35, 0.25, 0.2, 0.2])
    # positions: sub/del in [1, len-1], ins in [1, len], swap in [1, len-2]
    hi = np.where(op == 2, lx + 1, np.where(op == 3, lx - 1, lx))
    pos = 1 + np.floor(rng.random(m) * (hi - 1)).astype(np.int64)
    a = np.asarray(x.astype(str))
    L = a.dtype.itemsize // 4
    codes = a.view(np.uint32).reshape(m, L)
    ref = codes[np.arange(m), np.minimum(pos, lx - 1)]
    refc = np.where(ref < 128, ref, ord("e")).astype(np.int64)
    ch = KB_NB[refc, rng.integers(0, 4, size=m)]
    ch = np.where((op == 2) & (rng.random(m) < 0.4), ref, ch)  # doubled letter
    s[ok] = _edit(x, op, pos, ch.astype(np.uint32))
    return s, ok


def _iso(t):
    return np.char.add(np.datetime_as_string(np.asarray(t, dtype="int64").astype(
        "datetime64[s]"), unit="s"), "Z").astype(object)


def _ids(prefix, idx, width):
    return np.char.add(prefix, np.char.zfill(np.asarray(idx).astype(str), width)).astype(object)


def _group_start(group_sorted):
    """Start index of each run in a sorted integer array, broadcast to every element."""
    n = len(group_sorted)
    new = np.ones(n, dtype=bool)
    new[1:] = group_sorted[1:] != group_sorted[:-1]
    starts = np.flatnonzero(new)
    return starts[np.cumsum(new) - 1]


def _norm_email(e):
    """Normalised email for uniqueness / diagnostics: trim, lower, drop +tag, gmail dots."""
    s = _S(e).fillna("").str.strip().str.lower()
    local = s.str.replace(r"@[^@]*$", "", regex=True).str.replace(r"\+.*$", "", regex=True)
    dom = s.str.replace(r"^.*@", "", regex=True)
    gm = dom.isin(["gmail.com", "googlemail.com"])
    local = local.where(~gm, local.str.replace(".", "", regex=False))
    out = (local + "@" + dom).where(s.str.contains("@", regex=False), s)
    return out.to_numpy(dtype=object)


def _draw_counts(rng, total, values, p):
    """Per-entity counts (values drawn with p) whose sum is exactly ``total`` (last trimmed)."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    values = np.asarray(values)
    mean = float(np.dot(values, p))
    ks = []
    s = 0
    while s < total:
        k = rng.choice(values, size=int((total - s) / mean * 1.2) + 16, p=p)
        ks.append(k)
        s += int(k.sum())
    k = np.concatenate(ks).astype(np.int64)
    cs = np.cumsum(k)
    n = int(np.searchsorted(cs, total)) + 1
    k = k[:n]
    k[-1] -= cs[n - 1] - total
    return k


def _draw_in_groups(rng, keys, groups, weights):
    """For each element, an index into a flat table drawn within its group (Zipf weights)."""
    out = np.zeros(len(keys), dtype=np.int64)
    for key, (s, n) in groups.items():
        sel = np.flatnonzero(keys == key)
        if len(sel):
            w = weights[s:s + n]
            out[sel] = s + rng.choice(n, size=len(sel), p=w / w.sum())
    return out


def _draw_first(rng, cult, gender, boost=1.0):
    T = TABLES
    out = np.zeros(len(cult), dtype=np.int64)
    for (ci, g), (s, n) in T["fn_group"].items():
        sel = np.flatnonzero((cult == ci) & (gender == g))
        if len(sel):
            w = T["fn_w"][s:s + n] * np.where(T["fn_nick_n"][s:s + n] > 0, boost, 1.0)
            out[sel] = s + rng.choice(n, size=len(sel), p=w / w.sum())
    return out


def _draw_city(rng, cult):
    T = TABLES
    own = (rng.random(len(cult)) < 0.75) | (cult == EN)
    key = np.where(own, cult, EN)
    return _draw_in_groups(rng, key, T["ct_group"], T["ct_w"])


def _pick(options, idx):
    return _o(options)[idx]


def _handles(rng, code, f, n, sur, yy, nn):
    """Handle strings for pattern ``code`` (13 patterns, see module docstring)."""
    m = len(code)
    fi = _S(f).str[:1].to_numpy(dtype=object)
    l1 = _S(sur).str[:1].to_numpy(dtype=object)
    adj = _pick(_split(FIRST_WORDS["adj"]), rng.integers(0, 28, size=m))
    noun = _pick(_split(FIRST_WORDS["noun"]), rng.integers(0, 28, size=m))
    unrel = adj + np.where(rng.random(m) < 0.5, "_", "") + noun + np.where(
        rng.random(m) < 0.5, nn, "")
    suf = _pick(HANDLE_SUFFIX, rng.integers(0, len(HANDLE_SUFFIX), size=m))
    pre = _pick(HANDLE_PREFIX, rng.integers(0, len(HANDLE_PREFIX), size=m))
    cands = [f + sur, fi + sur, f + "_" + sur, f + "." + sur, f + sur + yy, f + "_" + sur + yy,
             n + suf, sur + fi, n + nn, pre + f + sur, unrel, n + "_" + l1, fi + sur + nn]
    return np.stack(cands)[code, np.arange(m)]


def _handle_code(rng, m, p_unrel):
    w = np.array([0.11, 0.10, 0.09, 0.05, 0.09, 0.05, 0.06, 0.04, 0.08, 0.05, 0.0, 0.06, 0.08])
    w = w / w.sum() * (1 - p_unrel)
    w[10] = p_unrel
    return rng.choice(13, size=m, p=w)


def _locals(rng, code, f, n, sur, yy, yyyy, nn, handle):
    m = len(code)
    fi = _S(f).str[:1].to_numpy(dtype=object)
    adj = _pick(_split(FIRST_WORDS["adj"]), rng.integers(0, 28, size=m))
    noun = _pick(_split(FIRST_WORDS["noun"]), rng.integers(0, 28, size=m))
    cands = [f + "." + sur, f + sur, f + "_" + sur, fi + sur, f + "." + sur + yy, f + sur + nn,
             sur + "." + f, f + yyyy, n + "." + sur, adj + noun + nn, fi + "." + sur, handle,
             sur + fi + nn]
    return np.stack(cands)[code, np.arange(m)]


EMAIL_W = np.array([0.2, 0.1, 0.05, 0.1, 0.07, 0.1, 0.04, 0.07, 0.05, 0.07, 0.04, 0.06, 0.05])


def _personal_domain(rng, cult, old=False):
    m = len(cult)
    if old:
        dom = _pick(OLD_DOMAINS, rng.integers(0, len(OLD_DOMAINS), size=m))
    else:
        dom = _choice(rng, np.array(GLOBAL_DOMAINS, dtype=object), m, GLOBAL_DOMAIN_W)
    local = rng.random(m) < (0.2 if old else 0.3)
    for ci, key in enumerate(CULT_KEYS):
        doms = _split(CULTURES[key]["domains"])
        sel = np.flatnonzero(local & (cult == ci))
        if len(sel):
            dom[sel] = _pick(doms, rng.integers(0, len(doms), size=len(sel)))
    return dom


def _phone_plans(rng, cult):
    cc, ln, trunk = [], [], []
    plan_of = np.zeros(len(cult), dtype=np.int64)
    for ci, key in enumerate(CULT_KEYS):
        plans = CULTURES[key]["phone"]
        base = len(cc)
        for c, n, t, _w in plans:
            cc.append(c)
            ln.append(n)
            trunk.append(t)
        sel = np.flatnonzero(cult == ci)
        if len(sel):
            w = np.array([p[3] for p in plans])
            plan_of[sel] = base + rng.choice(len(plans), size=len(sel), p=w / w.sum())
    return plan_of, np.array(cc, dtype=object), np.array(ln), np.array(trunk, dtype=object)


def _nsn(rng, lengths):
    m = len(lengths)
    d = rng.integers(0, 10, size=(m, 11))
    d[:, 0] = rng.integers(2, 10, size=m)
    d[:, 3] = rng.integers(2, 10, size=m)
    codes = (d + 48).astype(np.uint32)
    s = codes.view("<U11").ravel().astype(object)
    out = s.copy()
    for L in np.unique(lengths):
        sel = lengths == L
        out[sel] = _S(s[sel]).str[:int(L)].to_numpy(dtype=object)
    return out


def _format_phone(rng, cc, nsn, trunk):
    m = len(cc)
    code = rng.choice(6, size=m, p=[0.25, 0.25, 0.25, 0.10, 0.05, 0.10])
    s = _S(nsn)
    g1 = s.str[:3].to_numpy(dtype=object)
    g2 = s.str[3:6].to_numpy(dtype=object)
    g3 = s.str[6:].to_numpy(dtype=object)
    nanp = cc == "1"
    cands = [
        "+" + cc + nsn,
        np.where(nanp, "+1 " + g1 + "-" + g2 + "-" + g3, "+" + cc + " " + g1 + " " + g2 + " " + g3),
        np.where(nanp, "(" + g1 + ") " + g2 + "-" + g3, trunk + g1 + " " + g2 + " " + g3),
        np.where(nanp, nsn, trunk + nsn),
        "00" + cc + " " + nsn,
        np.where(nanp, g1 + "." + g2 + "." + g3, "+" + cc + "-" + g1 + "-" + g2 + "-" + g3),
    ]
    return np.stack(cands)[code, np.arange(m)], code


def _bios(rng, m, city):
    occ = _pick(OCCUPATIONS, rng.integers(0, len(OCCUPATIONS), size=m))
    i1, i2, i3 = (_pick(INTERESTS, rng.integers(0, len(INTERESTS), size=m)) for _ in range(3))
    emo = _pick(EMOJI, rng.integers(0, len(EMOJI), size=m))
    cands = [occ + " | " + i1 + " & " + i2,
             occ + ". " + i1 + ", " + i2 + " " + emo,
             emo + " " + i1 + " lover " + emo,
             i1 + " • " + i2 + " • " + i3,
             occ + " based in " + city,
             "Views my own. " + occ + " " + emo,
             occ + "\n" + i1 + " / " + i2]
    return np.stack(cands)[rng.integers(0, len(cands), size=m), np.arange(m)]


def _long_text(rng, m):
    out = np.full(m, "", dtype=object)
    k = rng.integers(6, 13, size=m)
    for i in range(12):
        s = _pick(LONG_SENTENCES, rng.integers(0, len(LONG_SENTENCES), size=m))
        out = np.where(i < k, out + " " + s, out)
    return out


# ----------------------------------------------------------------------------- generator
def generate_identity(n_accounts: int, scenario: str = "default", seed: int = 0) -> dict:
    """Generate ``n_accounts`` member accounts with planted persons; see the module docstring."""
    cfg = _scenario(scenario)
    rng = np.random.default_rng(seed)
    T = TABLES
    N = int(n_accounts)
    if N < 1:
        raise ValueError("n_accounts must be >= 1")

    # ---------------------------------------------------------------- entities and accounts
    n_brand_acc = int(round(cfg["brand_share"] * N)) if N >= 200 else 0
    bk = _draw_counts(rng, n_brand_acc, [1, 2, 3], [0.4, 0.35, 0.25])
    hk = _draw_counts(rng, N - n_brand_acc, np.arange(1, 7), K_PROBS)
    P = len(hk)
    cult_w = np.array([CULTURES[k]["w"] for k in CULT_KEYS])
    cult = rng.choice(NCULT, size=P, p=cult_w / cult_w.sum())
    gender = (rng.random(P) < 0.5).astype(np.int64)            # 1 = female
    birth = rng.integers(1950, 2007, size=P)
    base_t = rng.integers(T_START, T_FIRST_END, size=P)
    # ---------------------------------------------------------------- accounts
    Nh = int(hk.sum())
    pa = np.repeat(np.arange(P), hk)
    rank = np.arange(Nh) - np.repeat(np.cumsum(hk) - hk, hk)
    keys = np.log(CHANNEL_W)[None, :] + rng.gumbel(size=(P, 6))
    order = np.argsort(-keys, axis=1)
    ch = order[pa, rank]
    soc = SOCIAL[ch]
    created = base_t[pa] + np.where(rank > 0, rng.exponential(400 * DAY, Nh), 0).astype(np.int64)
    created = np.minimum(created, T_END - rng.integers(0, 30 * DAY, size=Nh))
    created = np.where(ch == TT, np.maximum(created, T_TIKTOK + rng.integers(0, 400 * DAY, Nh)),
                       created)

    # ---------------------------------------------------------------- households
    hh = np.full(P, -1, dtype=np.int64)
    role = np.full(P, -1, dtype=np.int64)
    head = np.arange(P)
    m = int(round(cfg["hh_share"] * P))
    H = 0
    if m >= 2:
        cand = rng.choice(P, size=m, replace=False)
        cand = cand[np.lexsort((rng.random(m), cult[cand]))]
        sizes = _draw_counts(rng, m, np.array(cfg["hh_sizes"]), np.array(cfg["hh_size_p"]))
        hid = np.repeat(np.arange(len(sizes)), sizes)
        keep = sizes[hid] >= 2
        cand, hid = cand[keep], hid[keep]
        _, hid = np.unique(hid, return_inverse=True)
        H = int(hid.max()) + 1 if len(hid) else 0
        start = _group_start(hid)
        hh[cand] = hid
        role[cand] = np.arange(len(cand)) - start
        head[cand] = cand[start]
    mem = np.flatnonzero(role >= 1)
    keep_own = (role[mem] == 1) & (rng.random(len(mem)) < 0.1)
    cult[mem[~keep_own]] = cult[head[mem[~keep_own]]]
    partner = np.flatnonzero(role == 1)
    opp = rng.random(len(partner)) < 0.9
    gender[partner] = np.where(opp, 1 - gender[head[partner]], gender[head[partner]])
    birth[partner] = np.clip(birth[head[partner]] + np.round(rng.normal(0, 4, len(partner))),
                             1940, 2006).astype(np.int64)
    kids = np.flatnonzero(role >= 2)
    birth[kids] = np.minimum(birth[head[kids]] + rng.integers(20, 38, size=len(kids)), 2009)
    junior = np.zeros(P, dtype=bool)
    jr = kids[(role[kids] == 2) & (rng.random(len(kids)) < 0.06)]
    junior[jr] = True
    gender[jr] = gender[head[jr]]

    # ---------------------------------------------------------------- names
    fidx = _draw_first(rng, cult, gender, cfg["nick_boost"])
    same = (fidx[mem] == fidx[head[mem]]) & ~junior[mem]
    x = mem[same]
    gs, gn = T["fn_gstart"][fidx[x]], T["fn_gsize"][fidx[x]]
    fidx[x] = gs + (fidx[x] - gs + 1) % gn
    fidx[jr] = fidx[head[jr]]
    midf = _draw_first(rng, cult, gender)
    gs, gn = T["fn_gstart"][midf], T["fn_gsize"][midf]
    midf = np.where(midf == fidx, gs + (midf - gs + 1) % gn, midf)
    sidx = _draw_in_groups(rng, cult, T["sn_group"], T["sn_w"])
    sidx2 = _draw_in_groups(rng, cult, T["sn_group"], T["sn_w"])
    sidx3 = _draw_in_groups(rng, cult, T["sn_group"], T["sn_w"])
    mid_rate = np.array([CULTURES[k]["middle"] for k in CULT_KEYS])
    PT, ES = CULT_KEYS.index("pt"), CULT_KEYS.index("es")
    has_mid = rng.random(P) < mid_rate[cult]
    mid_str = np.where(has_mid, np.where(cult == PT, T["sn_name"][sidx2], T["fn_name"][midf]), "")
    has_s2 = (cult == ES) & (rng.random(P) < 0.7)
    # surnames in households, married names
    married_rate = np.array([CULTURES[k]["married"] for k in CULT_KEYS])
    married = np.zeros(P, dtype=bool)
    maiden = np.full(P, -1, dtype=np.int64)
    rate = np.where(gender[partner] == 1, married_rate[cult[partner]], 0.05)
    t = partner[rng.random(len(partner)) < rate]
    t = t[sidx[t] != sidx[head[t]]]
    maiden[t] = sidx[t]
    married[t] = True
    sidx[t] = sidx[head[t]]
    sidx[kids] = sidx[head[kids]]
    other = (role == -1) & (gender == 1) & (birth <= 1995) & (
        rng.random(P) < cfg["married_other"] * married_rate[cult]) & (sidx3 != sidx)
    maiden[other] = sidx3[other]
    married |= other
    last_t = np.full(P, np.iinfo(np.int64).min)
    np.maximum.at(last_t, pa, created)
    within = (hk >= 2) & (rng.random(P) < 0.7)
    marry_t = np.where(within, base_t + 1 + (rng.random(P) * (last_t - base_t)).astype(np.int64),
                       base_t + (rng.uniform(-2, 6, P) * YEAR).astype(np.int64))
    marry_t = np.where(married, marry_t, 0)
    # nicknames, adopted western names
    nn_ = T["fn_nick_n"][fidx]
    has_nick = nn_ > 0
    j = np.where(rng.random(P) < 0.6, 0, np.floor(rng.random(P) * np.maximum(nn_, 1)))
    nick = np.where(has_nick, T["fn_nicks"][fidx, j.astype(np.int64)], "")
    lvl = rng.choice(3, size=P, p=np.array(cfg["nick_level_p"]))
    prop = np.array(cfg["nick_levels"])[lvl] * has_nick
    ad_rate = np.array([CULTURES[k]["adopted"] for k in CULT_KEYS])
    has_ad = rng.random(P) < ad_rate[cult]
    adopted = np.where(has_ad, T["fn_name"][_draw_first(rng, np.full(P, EN), gender)], "")

    # ---------------------------------------------------------------- city, phone
    cidx = _draw_city(rng, cult)
    cidx[mem] = cidx[head[mem]]
    mover = rng.random(P) < cfg["p_mover"]
    cidx2 = _draw_city(rng, cult)
    mover &= cidx2 != cidx
    move_t = base_t + (rng.uniform(0.5, 6, P) * YEAR).astype(np.int64)
    plan, PH_CC, PH_LEN, PH_TRUNK = _phone_plans(rng, cult)
    has_phone = rng.random(P) < cfg["phone_has"]
    hh_landline = rng.random(max(H, 1)) < cfg["p_shared_phone"]
    nsn = _nsn(rng, PH_LEN[plan])
    share_ph = (role >= 1) & hh_landline[np.maximum(hh, 0)]
    sp = np.flatnonzero(share_ph)
    plan[sp] = plan[head[sp]]
    nsn[sp] = nsn[head[sp]]
    has_phone[sp] = True
    has_phone[head[sp]] = True

    # ---------------------------------------------------------------- person emails, handles
    fem = gender == 1
    sur_now = np.where(fem, T["sn_name_f"][sidx], T["sn_name"][sidx])
    sur_maiden = np.where(fem, T["sn_name_f"][np.maximum(maiden, 0)],
                          T["sn_name"][np.maximum(maiden, 0)])
    at_base_maiden = married & (marry_t > base_t)
    f_slug = _slug(T["fn_name"][fidx])
    n_slug = _slug(np.where(has_nick & (prop > 0), nick, T["fn_name"][fidx]))
    l_base = _slug(np.where(at_base_maiden, sur_maiden, sur_now))
    yy = _yy(birth)
    yyyy = birth.astype(str).astype(object)
    base_handle = _handles(rng, _handle_code(rng, P, cfg["p_unrelated"]), f_slug, n_slug,
                           l_base, yy, _digits(rng, P, 1, 1000))
    loc_a = _locals(rng, rng.choice(13, size=P, p=EMAIL_W), f_slug, n_slug, l_base, yy, yyyy,
                    _digits(rng, P, 1, 100), _S(base_handle).str.replace(".", "_").to_numpy(
                        dtype=object))
    dom_a = _personal_domain(rng, cult)
    has_b = rng.random(P) < cfg["p_email_b"]
    work = rng.random(P) < 0.6
    l_now = _slug(sur_now)
    fi = _S(f_slug).str[:1].to_numpy(dtype=object)
    wcode = rng.choice(3, size=P, p=[0.6, 0.3, 0.1])
    loc_w = np.stack([f_slug + "." + l_now, fi + l_now, f_slug])[wcode, np.arange(P)]
    loc_o = _locals(rng, rng.choice(13, size=P, p=EMAIL_W), f_slug, n_slug, l_base, yy, yyyy,
                    _digits(rng, P, 1, 100), base_handle)
    loc_b = np.where(work, loc_w, loc_o)
    dom_b = np.where(work, _pick(WORK_DOMAINS, rng.integers(0, len(WORK_DOMAINS), size=P)),
                     _personal_domain(rng, cult, old=True))
    # family addresses (one per household)
    if H:
        hpers = np.flatnonzero(role == 0)
        hpers = hpers[np.argsort(hh[hpers])]
        ppers = np.flatnonzero(role == 1)
        ppers = ppers[np.argsort(hh[ppers])]
        hl = l_now[hpers]
        hf, pf = f_slug[hpers], f_slug[ppers]
        fy = (birth[hpers] + rng.integers(22, 36, size=H)).astype(str).astype(object)
        fcode = rng.integers(0, 6, size=H)
        loc_f = np.stack([hl + "family", "the" + hl + "s", hf + "and" + pf, hl + ".home",
                          hl + "s" + fy, hf + "." + pf + "." + hl])[fcode, np.arange(H)]
        dom_f = _personal_domain(rng, cult[hpers])
        uses_family = rng.random(H) < cfg["p_family"]
    else:
        loc_f = np.zeros(0, dtype=object)
        dom_f = np.zeros(0, dtype=object)
        uses_family = np.zeros(1, dtype=bool)
    # addresses unique across persons / households (gmail dots and case ignored); gmail user
    # names have no "_"
    all_loc = np.concatenate([loc_a, loc_b, loc_f])
    all_dom = np.concatenate([dom_a, dom_b, dom_f])
    gml = all_dom == "gmail.com"
    all_loc[gml] = _S(all_loc[gml]).str.replace("_", "", regex=False).to_numpy(dtype=object)
    live = np.concatenate([np.ones(P, bool), has_b, np.ones(len(loc_f), bool)])
    for _ in range(20):
        low = _S(all_loc).str.lower()
        low = low.where(all_dom != "gmail.com", low.str.replace(".", "", regex=False))
        key = pd.Series(low.to_numpy(dtype=object) + "@" + all_dom)
        dup = (key.duplicated() & pd.Series(live)).to_numpy() & live
        if not dup.any():
            break
        all_loc[dup] = all_loc[dup] + _digits(rng, int(dup.sum()), 1, 1000)
    loc_a, loc_b, loc_f = all_loc[:P], all_loc[P:2 * P], all_loc[2 * P:]

    c_acc = cult[pa]
    fem_a = fem[pa]
    fi_a = fidx[pa]

    # ---- first name shown
    chan_nick = np.array([1.2, 1.2, 1.2, 1.2, 0.8, 0.4])[ch]
    use_ad = (adopted[pa] != "") & (rng.random(Nh) < np.where(soc, 0.5, 0.25))
    use_nick = ~use_ad & (rng.random(Nh) < prop[pa] * chan_nick)
    trn = T["fn_tr_n"][fi_a]
    use_tr = ~use_ad & ~use_nick & (trn > 0) & (rng.random(Nh) < cfg["p_translit"])
    trj = np.floor(rng.random(Nh) * np.maximum(trn, 1)).astype(np.int64)
    F = T["fn_name"][fi_a].copy()
    F = np.where(use_tr, T["fn_tr"][fi_a, trj], F)
    F = np.where(use_nick, nick[pa], F)
    F = np.where(use_ad, adopted[pa], F)
    # ---- middle
    mu = rng.random(Nh)
    Mfull = mid_str[pa]
    M = np.where((Mfull != "") & (mu < 0.15), Mfull,
                 np.where((Mfull != "") & (mu < 0.35), _S(Mfull).str[:1].to_numpy(dtype=object)
                          + ".", ""))
    # ---- surname shown
    maid = married[pa] & (created < marry_t[pa])
    si = np.where(maid, maiden[pa], sidx[pa])
    Lbase = np.where(fem_a, T["sn_name_f"][si], T["sn_name"][si])
    trs = T["sn_tr_n"][si]
    use_trs = (trs > 0) & (rng.random(Nh) < cfg["p_translit"])
    trsj = np.floor(rng.random(Nh) * np.maximum(trs, 1)).astype(np.int64)
    L = np.where(use_trs, np.where(fem_a, T["sn_tr_f"][si, trsj], T["sn_tr"][si, trsj]), Lbase)
    dbl = married[pa] & ~maid & (rng.random(Nh) < 0.10)
    L = np.where(dbl, sur_maiden[pa] + "-" + L, L)
    s2 = has_s2[pa] & (rng.random(Nh) < 0.5)
    L = np.where(s2, L + np.where(rng.random(Nh) < 0.1, "-", " ") + T["sn_name"][sidx2[pa]], L)
    # ---- typo on one component
    ty = rng.random(Nh) < cfg["p_typo"]
    on_first = rng.random(Nh) < 0.5
    sel = np.flatnonzero(ty & on_first)
    F_t, ok1 = _typo(rng, F[sel])
    F[sel] = F_t
    sel2 = np.flatnonzero(ty & ~on_first)
    L_t, ok2 = _typo(rng, L[sel2])
    L[sel2] = L_t
    typo_flag = np.zeros(Nh, dtype=bool)
    typo_flag[sel[ok1]] = True
    typo_flag[sel2[ok2]] = True
    # ---- format
    base_fmt = np.array([[0.70, 0.03, 0.01, 0.005, 0.04, 0.05, 0.07, 0.015],   # social
                         [0.38, 0.02, 0.02, 0.01, 0.04, 0.0, 0.50, 0.0],       # newsletter
                         [0.80, 0.03, 0.05, 0.04, 0.05, 0.0, 0.0, 0.0]])       # shop
    row = np.where(soc, 0, np.where(ch == NL, 1, 2))
    Pm = base_fmt[row] * cfg["fmt_mult"][None, :]
    sf_rate = np.array([CULTURES[k]["sf"] for k in CULT_KEYS])[c_acc]
    Pm[:, 1] += sf_rate * Pm[:, 0]
    Pm[:, 0] *= 1 - sf_rate
    fmt = _cat(rng, Pm)
    FM = np.where(M == "", F, F + " " + M)
    Fs = _S(F)
    Ls = _S(L)
    init = Fs.str[:1].to_numpy(dtype=object) + np.where(rng.random(Nh) < 0.7, ".", "")
    cands = [FM + " " + L, L + " " + F, L + ", " + FM, Ls.str.upper().to_numpy(dtype=object)
             + ", " + FM, init + " " + L, F + " " + Ls.str[:1].to_numpy(dtype=object) + ".", F,
             Fs.str.replace(" ", "").to_numpy(dtype=object)
             + Ls.str.replace(" ", "").to_numpy(dtype=object)]
    name = np.stack(cands)[fmt, np.arange(Nh)]
    jr_show = junior[pa] & np.isin(fmt, [0, 2]) & (rng.random(Nh) < 0.4)
    name = np.where(jr_show, name + " Jr.", name)
    # ---- hyphen, accents, case, titles / decorations
    hy = (rng.random(Nh) < cfg["p_hyphen"]) & _S(name).str.contains("-", regex=False).to_numpy()
    name = np.where(hy, _S(name).str.replace("-", "", regex=False).where(
        pd.Series(rng.random(Nh) < 0.5), _S(name).str.replace("-", " ", regex=False)
    ).to_numpy(dtype=object), name)
    folded = _fold(name)
    has_acc = folded != name
    accp = cfg["p_accent"] * np.where((ch == NL) | (ch == SH), 1.4, 1.0)
    do_fold = has_acc & (rng.random(Nh) < accp)
    de_style = do_fold & (rng.random(Nh) < 0.25)
    name = np.where(do_fold, np.where(de_style, _fold(_S(name).str.translate(_DE_FOLD)), folded),
                    name)
    cu = rng.random(Nh)
    do_case = rng.random(Nh) < cfg["p_case"]
    ns = _S(name)
    name = np.where(do_case, np.where(cu < 0.6, ns.str.lower(), np.where(
        cu < 0.9, ns.str.upper(), ns.str.title())), name)
    title = (ch == SH) & (rng.random(Nh) < cfg["p_title"]) & (fmt == 0)
    ttl = np.where(fem_a, _pick(("Mrs ", "Ms ", "Dr. ", "Mrs. "), rng.integers(0, 4, Nh)),
                   _pick(("Mr ", "Mr. ", "Dr. ", "Dr "), rng.integers(0, 4, Nh)))
    name = np.where(title, ttl + name, name)
    decor = soc & (rng.random(Nh) < cfg["p_decor"]) & ~np.isin(fmt, [7])
    name = np.where(decor, name + _pick(DECORATIONS, rng.integers(0, len(DECORATIONS), Nh)),
                    name)
    # ---- native script (whole name)
    nat_f = T["fn_native"][fi_a]
    nat_s = np.where(fem_a, T["sn_native_f"][si], T["sn_native"][si])
    RU = CULT_KEYS.index("ru")
    nat_ok = (nat_f != "") & (nat_s != "")
    native = np.where(c_acc == RU, nat_f + " " + nat_s, nat_s + nat_f)
    use_nat = nat_ok & (rng.random(Nh) < np.where(soc, cfg["p_native_social"],
                                                  cfg["p_native_other"]))
    name = np.where(use_nat, native, name)
    show_name = rng.random(Nh) < cfg["name_p"][ch]

    # ---- handles
    has_handle = rng.random(Nh) < cfg["handle_p"][ch]
    reuse = rng.random(Nh) < cfg["handle_reuse"]
    f_acc = np.where(use_ad & (rng.random(Nh) < 0.7), _slug(adopted[pa]), f_slug[pa])
    hcode = _handle_code(rng, Nh, cfg["p_unrelated"])
    fresh = _handles(rng, hcode, f_acc, n_slug[pa], _slug(Lbase), yy[pa],
                     _digits(rng, Nh, 1, 1000))
    handle = np.where(reuse, base_handle[pa], fresh)
    unrelated_h = has_handle & np.where(reuse, False, hcode == 10)

    # ---- emails
    is_ech = (ch == NL) | (ch == SH)
    pB = np.array([0.3, 0.3, 0.3, 0.3, 0.45, 0.2])[ch]
    use_b = has_b[pa] & (rng.random(Nh) < pB)
    loc = np.where(use_b, loc_b[pa], loc_a[pa])
    dom = np.where(use_b, dom_b[pa], dom_a[pa])
    hp = hh[pa]
    fam = (hp >= 0) & uses_family[np.maximum(hp, 0)] & is_ech & (rng.random(Nh) < cfg["q_family"])
    if H:
        loc = np.where(fam, loc_f[np.maximum(hp, 0)], loc)
        dom = np.where(fam, dom_f[np.maximum(hp, 0)], dom)
    borrow = (role[pa] >= 1) & is_ech & ~fam & (rng.random(Nh) < cfg["p_borrow"])
    hd_a = head[pa]
    loc = np.where(borrow, loc_a[hd_a], loc)
    dom = np.where(borrow, dom_a[hd_a], dom)
    show_email = (rng.random(Nh) < cfg["email_p"][ch]) | ((fam | borrow) & is_ech)
    # account-level variants
    gm = dom == "gmail.com"
    dots = show_email & gm & (rng.random(Nh) < cfg["p_dots"])
    has_dot = _S(loc).str.contains(".", regex=False).to_numpy()
    rm = dots & has_dot
    loc = np.where(rm, _S(loc).str.replace(".", "", regex=False).to_numpy(dtype=object), loc)
    ins = np.flatnonzero(dots & ~has_dot & (_S(loc).str.len().to_numpy() >= 4))
    if len(ins):
        li = _S(loc[ins]).str.len().to_numpy()
        pos = 1 + np.floor(rng.random(len(ins)) * (li - 1)).astype(np.int64)
        loc[ins] = _edit(loc[ins], np.full(len(ins), 2), pos,
                         np.full(len(ins), ord("."), dtype=np.uint32))
    dots_flag = rm.copy()
    dots_flag[ins] = True
    tag = show_email & np.isin(dom, TAG_DOMAINS) & (rng.random(Nh) < cfg["p_tag"])
    loc = np.where(tag, loc + "+" + _pick(PLUS_TAGS, rng.integers(0, len(PLUS_TAGS), Nh)), loc)
    ecase = show_email & (rng.random(Nh) < cfg["p_ecase"])
    up = rng.random(Nh) < 0.4
    loc = np.where(ecase, np.where(up, _S(loc).str.upper(), _S(loc).str.title()), loc)
    dom = np.where(ecase, np.where(up, _S(dom).str.upper(), _S(dom).str.capitalize()), dom)
    dtypo = show_email & np.isin(dom, list(DOMAIN_TYPOS)) & (rng.random(Nh) < cfg["p_dtypo"])
    for d, typos in DOMAIN_TYPOS.items():
        sel = np.flatnonzero(dtypo & (dom == d))
        dom[sel] = _pick(typos, rng.integers(0, len(typos), size=len(sel)))
    email = loc + "@" + dom
    space = show_email & (rng.random(Nh) < cfg["p_space"])
    email = np.where(space, email + " ", email)

    # ---- phone
    show_phone = (ch == SH) & has_phone[pa] & (rng.random(Nh) < cfg["phone_show"])
    phone_str, phone_fmt = _format_phone(rng, PH_CC[plan[pa]], nsn[pa], PH_TRUNK[plan[pa]])

    # ---- city
    moved = mover[pa] & (created > move_t[pa])
    ci_a = np.where(moved, cidx2[pa], cidx[pa])
    city = T["ct_name"][ci_a].copy()
    vn = T["ct_var_n"][ci_a]
    cv = (vn > 0) & (rng.random(Nh) < cfg["p_city_var"])
    vj = np.floor(rng.random(Nh) * np.maximum(vn, 1)).astype(np.int64)
    city = np.where(cv, T["ct_var"][ci_a, vj], city)
    cc_ = rng.random(Nh)
    city = np.where(cc_ < 0.03, _S(city).str.lower(), np.where(cc_ < 0.05, _S(city).str.upper(),
                                                               city))
    city_var = cv | (cc_ < 0.05)
    show_city = rng.random(Nh) < cfg["city_p"][ch]

    # ---- bio
    core = _bios(rng, P, T["ct_name"][cidx])
    bio = np.where(rng.random(Nh) < 0.45, core[pa], _bios(rng, Nh, T["ct_name"][ci_a]))
    bio = np.where(rng.random(Nh) < 0.05, bio + np.where(fem_a, " (she/her)", " (he/him)"), bio)
    bio = np.where(rng.random(Nh) < 0.05, bio + " 📍 " + T["ct_name"][ci_a], bio)
    show_bio = rng.random(Nh) < cfg["bio_p"][ch]
    longb = show_bio & (rng.random(Nh) < 0.01)
    bio[longb] = bio[longb] + _long_text(rng, int(longb.sum()))

    # ---- followers
    fol = np.where(ch == FB, rng.lognormal(5.6, 0.8, Nh), rng.lognormal(5.0, 1.6, Nh))
    fng = rng.lognormal(5.3, 1.0, Nh)

    human = pd.DataFrame({
        "_p": pa, "_ch": ch,
        "name": np.where(show_name, name, None),
        "handle": np.where(has_handle, handle, None),
        "channel": CHANNELS[ch],
        "email": np.where(show_email, email, None),
        "followers": np.where(soc, np.floor(fol), np.nan),
        "following": np.where(soc, np.floor(fng), np.nan),
        "bio": np.where(show_bio, bio, None),
        "created_at": _iso(created),
        "kind": "person",
        "city": np.where(show_city, city, None),
        "phone": np.where(show_phone, phone_str, None),
    })

    # ---------------------------------------------------------------- brands / media
    B = len(bk)
    nb = int(bk.sum())
    if B:
        ncomb = len(BRAND_ADJ) * len(BRAND_NOUN) * len(BRAND_TYPE)
        comb = rng.choice(ncomb, size=B, replace=B > ncomb)
        a_i = comb // (len(BRAND_NOUN) * len(BRAND_TYPE))
        n_i = (comb // len(BRAND_TYPE)) % len(BRAND_NOUN)
        t_i = comb % len(BRAND_TYPE)
        bname = _pick(BRAND_ADJ, a_i) + " " + _pick(BRAND_NOUN, n_i) + " " + _pick(BRAND_TYPE, t_i)
        bkind = np.where(np.isin(_pick(BRAND_TYPE, t_i), list(MEDIA_TYPES)), "media", "brand")
        bslug = _slug(bname)
        bp = np.repeat(np.arange(B), bk)
        brank = np.arange(nb) - np.repeat(np.cumsum(bk) - bk, bk)
        bkeys = np.log(CHANNEL_W[:4])[None, :] + rng.gumbel(size=(B, 4))
        bch = np.argsort(-bkeys, axis=1)[bp, brank]
        bsame = rng.random(nb) < 0.8
        bh = np.where(bsame, bslug[bp], bslug[bp] + _pick(("official", "hq", "_", "app", "team"),
                                                          rng.integers(0, 5, nb)))
        bcreated = rng.integers(T_START, T_FIRST_END, size=B)[bp]
        bcreated = np.where(bch == TT, np.maximum(bcreated, T_TIKTOK), bcreated)
        brands = pd.DataFrame({
            "_p": P + bp, "_ch": bch,
            "name": np.where(rng.random(nb) < 0.15, bname[bp] + " ✨", bname[bp]),
            "handle": bh, "channel": CHANNELS[bch],
            "email": np.where(rng.random(nb) < 0.1, "info@" + bslug[bp] + ".com", None),
            "followers": np.floor(rng.lognormal(8.0, 1.5, nb)),
            "following": np.floor(rng.lognormal(5.0, 1.0, nb)),
            "bio": np.where(rng.random(nb) < 0.9, "Official account of " + bname[bp] + " "
                            + _pick(EMOJI, rng.integers(0, len(EMOJI), nb)), None),
            "created_at": _iso(bcreated), "kind": bkind[bp],
            "city": np.where(rng.random(nb) < 0.3, T["ct_name"][_draw_city(
                rng, np.full(nb, EN))], None),
            "phone": None,
        })
        df = pd.concat([human, brands], ignore_index=True)
    else:
        df = human
    df["_unrel"] = np.concatenate([unrelated_h, np.zeros(nb, bool)])

    # ---------------------------------------------------------------- handle uniqueness
    hv = df["handle"].to_numpy(dtype=object).copy()
    hn = pd.isna(hv)
    chv = df["_ch"].to_numpy()
    tw = (chv == TW) & ~hn
    hv[tw] = _S(hv[tw]).str.replace(".", "_", regex=False).str[:15].to_numpy(dtype=object)
    ot = ~tw & ~hn
    hv[ot] = _S(hv[ot]).str[:30].to_numpy(dtype=object)
    idx = np.flatnonzero(~hn)
    for _ in range(30):
        key = _S(CHANNELS[chv[idx]] + ":" + _S(hv[idx]).str.lower().to_numpy(dtype=object))
        dup = key.duplicated().to_numpy()
        if not dup.any():
            break
        d = idx[dup]
        base = np.where(tw[d], _S(hv[d]).str[:12].to_numpy(dtype=object), hv[d])
        hv[d] = base + _digits(rng, len(d), 1, 1000)
    df["handle"] = pd.Series(hv, dtype=object)

    # ---------------------------------------------------------------- bio cross-links
    pv = df["_p"].to_numpy()
    ig_of = np.full(P + B, None, dtype=object)
    is_ig = (chv == IG) & ~hn & (df["kind"] == "person").to_numpy()
    ig_of[pv[is_ig]] = hv[is_ig]
    bv = df["bio"].to_numpy(dtype=object).copy()
    xl = ((chv == TW) & ~pd.isna(bv) & ~pd.isna(ig_of[pv])
          & (rng.random(len(df)) < 0.06))
    bv[xl] = bv[xl] + np.where(rng.random(int(xl.sum())) < 0.5, " | IG: @", " · insta @") + ig_of[
        pv[xl]]
    df["bio"] = pd.Series(bv, dtype=object)
    bio_crosslinks = int(xl.sum())

    # ---------------------------------------------------------------- odd values
    odd = {}
    k_of = np.concatenate([hk, bk])
    single = (k_of[df["_p"].to_numpy()] == 1) & (df["kind"] == "person").to_numpy()
    cand = np.flatnonzero(single & SOCIAL[df["_ch"].to_numpy()] & df["name"].notna().to_numpy())
    if len(cand):
        i = int(rng.choice(cand))
        df.loc[i, "name"] = "NA"
        odd["name_NA_row"] = i
    cand = np.flatnonzero(single & (df["_ch"] == TW).to_numpy() & df["handle"].notna().to_numpy())
    if len(cand) and not (_S(hv).str.lower() == "null").any():
        i = int(rng.choice(cand))
        df.loc[i, "handle"] = "null"
        odd["handle_null_row"] = i

    # ---------------------------------------------------------------- shuffle, ids, truth
    perm = rng.permutation(len(df))
    df = df.iloc[perm].reset_index(drop=True)
    pos_of = np.empty(len(perm), dtype=np.int64)
    pos_of[perm] = np.arange(len(perm))
    member_id = _ids("a", np.arange(1, len(df) + 1), 7)
    na_row = int(rng.integers(0, len(df)))
    member_id[na_row] = "NA"
    df.insert(0, "member_id", member_id)
    n_ent = P + B
    pid_perm = rng.permutation(n_ent)
    person_id = _ids("p", pid_perm[df["_p"].to_numpy()] + 1, 6)
    truth = pd.DataFrame({"member_id": df["member_id"].to_numpy(dtype=object),
                          "person_id": person_id})
    odd = {"member_id_NA": "NA",
           "name_NA_member": (df["member_id"].iloc[pos_of[odd["name_NA_row"]]]
                              if "name_NA_row" in odd else None),
           "handle_null_member": (df["member_id"].iloc[pos_of[odd["handle_null_row"]]]
                                  if "handle_null_row" in odd else None)}

    # ---------------------------------------------------------------- info
    info = _info(cfg, scenario, seed, N, P, B, hk, bk, df, truth, locals())
    info["odd_values"] = odd
    info["bio_crosslinks"] = bio_crosslinks
    members = df[["member_id", "name", "handle", "channel", "email", "followers", "following",
                  "bio", "created_at", "kind", "city", "phone"]].copy()
    members["followers"] = members["followers"].astype("Int64")
    members["following"] = members["following"].astype("Int64")
    for col in ("member_id", "name", "handle", "channel", "email", "bio", "created_at", "kind",
                "city", "phone"):
        members[col] = members[col].astype(object)
    return {"members": members, "truth": truth, "info": info}


def _pairs(counts):
    counts = np.asarray(counts, dtype=np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _info(cfg, scenario, seed, N, P, B, hk, bk, df, truth, v):
    """Counts of planted phenomena (computed from the realised accounts)."""
    pa = v["pa"]
    show_name = v["show_name"]
    use_nat = v["use_nat"]
    fmt = v["fmt"]
    vis = show_name & ~use_nat                       # Latin name visible
    info = {"scenario": scenario, "seed": int(seed), "n_accounts": int(N),
            "n_persons": int(P + B), "n_human_persons": int(P), "n_brand_entities": int(B),
            "true_pairs": _pairs(np.concatenate([hk, bk]))}
    kc = np.bincount(np.concatenate([hk, bk]))
    info["accounts_per_person"] = {int(k): int(c) for k, c in enumerate(kc) if c and k}
    info["channels"] = {k: int(c) for k, c in df["channel"].value_counts().items()}
    first_shown = vis & (fmt != 4)
    nick_acc = first_shown & v["use_nick"]
    formal_acc = first_shown & ~v["use_nick"] & ~v["use_ad"]
    info["nickname_accounts"] = int(nick_acc.sum())
    info["nickname_pairs"] = int((np.bincount(pa[nick_acc], minlength=P)
                                  * np.bincount(pa[formal_acc], minlength=P)).sum())
    info["adopted_name_accounts"] = int((vis & v["use_ad"]).sum())
    info["translit_accounts"] = int((vis & (v["use_tr"] | v["use_trs"])).sum())
    info["surname_first_accounts"] = int((vis & np.isin(fmt, [1, 2, 3])).sum())
    info["initials_accounts"] = int((vis & np.isin(fmt, [4, 5])).sum())
    info["first_name_only_accounts"] = int((vis & (fmt == 6)).sum())
    info["typo_accounts"] = int((vis & v["typo_flag"]).sum())
    info["accent_folded_accounts"] = int((vis & v["do_fold"]).sum())
    info["case_changed_accounts"] = int((vis & v["do_case"]).sum())
    info["native_script_accounts"] = int((show_name & use_nat).sum())
    no_mid = np.isin(fmt, [1, 4, 5, 6, 7])
    info["middle_shown_accounts"] = int((vis & (v["M"] != "") & ~no_mid).sum())
    info["decorated_accounts"] = int((vis & (v["decor"] | v["title"])).sum())
    maid_vis = vis & v["maid"] & ~np.isin(fmt, [6])
    now_vis = vis & v["married"][pa] & ~v["maid"] & ~np.isin(fmt, [6])
    info["maiden_name_accounts"] = int(maid_vis.sum())
    info["married_name_persons"] = int(((np.bincount(pa[maid_vis], minlength=P) > 0)
                                        & (np.bincount(pa[now_vis], minlength=P) > 0)).sum())
    # namesakes
    T = TABLES
    full = T["fn_name"][v["fidx"]] + " " + v["sur_now"]
    codes, _ = pd.factorize(pd.Series(full))
    gsize = np.bincount(codes)
    info["namesake_persons"] = int((gsize[codes] >= 2).sum())
    info["namesake_groups"] = int((gsize >= 2).sum())
    info["largest_namesake_group"] = int(gsize.max()) if len(gsize) else 0
    info["largest_namesake_name"] = str(full[np.argmax(gsize[codes])]) if len(gsize) else ""
    c2, _ = pd.factorize(pd.Series(full + "|" + v["cidx"].astype(str).astype(object)))
    g2 = np.bincount(c2)
    info["namesake_persons_same_city"] = int((g2[c2] >= 2).sum())
    # households and shared emails
    hh, H = v["hh"], v["H"]
    info["households"] = int(H)
    info["household_persons"] = int((hh >= 0).sum())
    info["juniors"] = int(v["junior"].sum())
    em = df["email"]
    ok = em.notna().to_numpy()
    p_all = df["_p"].to_numpy()
    key = pd.Series(_norm_email(em.fillna("").to_numpy(dtype=object)))[ok]
    e = pd.DataFrame({"key": key.to_numpy(), "p": p_all[ok]})
    per_key = e.groupby("key").agg(n=("p", "size"), persons=("p", "nunique"))
    per_kp = e.groupby(["key", "p"]).size()
    shared_keys = per_key.index[per_key["persons"] >= 2]
    same_pairs = (per_kp * (per_kp - 1) // 2).groupby(level=0).sum()
    info["cross_person_email_pairs"] = int(
        (per_key["n"] * (per_key["n"] - 1) // 2 - same_pairs.reindex(per_key.index)).sum())
    hh_all = np.concatenate([hh, np.full(B, -1)])
    sh = e[e["key"].isin(shared_keys)]
    info["households_sharing_email"] = int(pd.Series(hh_all[sh["p"].to_numpy()]).loc[
        lambda s: s >= 0].nunique())
    fam_vis = v["fam"] & v["show_email"]
    fam_persons = pd.DataFrame({"h": hh[pa[fam_vis]], "p": pa[fam_vis]}).groupby("h")["p"].nunique()
    info["family_email_households"] = int(len(fam_persons))
    info["family_email_single_user_households"] = int((fam_persons == 1).sum())
    info["borrowed_email_accounts"] = int((v["borrow"] & v["show_email"]).sum())
    info["shared_phone_households"] = int(np.unique(hh[v["share_ph"]]).size)
    # handles
    hs = df["handle"]
    okh = hs.notna().to_numpy()
    hdf = pd.DataFrame({"h": hs[okh].str.lower().to_numpy(), "p": p_all[okh]})
    per_hp = hdf.groupby(["h", "p"]).size()
    info["handle_reuse_persons"] = int(per_hp[per_hp >= 2].index.get_level_values(1).nunique())
    info["unrelated_handle_accounts"] = int(df["_unrel"].sum())
    per_h = hdf.groupby("h")["p"].nunique()
    info["cross_person_same_handle_other_channel"] = int((per_h >= 2).sum())
    se = v["show_email"]
    info["gmail_dot_variants"] = int((v["dots_flag"] & se).sum())
    info["plus_tag_variants"] = int(v["tag"].sum())
    info["email_case_variants"] = int(v["ecase"].sum())
    info["email_domain_typos"] = int(v["dtypo"].sum())
    info["email_trailing_space"] = int(v["space"].sum())
    info["emails_shown"] = int(ok.sum())
    info["phone_accounts"] = int(v["show_phone"].sum())
    info["city_variant_accounts"] = int((v["city_var"] & v["show_city"]).sum())
    info["movers"] = int(v["mover"].sum())
    info["odd_values"] = {}
    return info


# ----------------------------------------------------------------------------- output
def write(out: dict, folder: str) -> None:
    """Write members.csv, truth.csv (utf-8, no index) and info.json into ``folder``."""
    os.makedirs(folder, exist_ok=True)
    out["members"].to_csv(os.path.join(folder, "members.csv"), index=False, encoding="utf-8")
    out["truth"].to_csv(os.path.join(folder, "truth.csv"), index=False, encoding="utf-8")
    with open(os.path.join(folder, "info.json"), "w", encoding="utf-8") as fh:
        json.dump(out["info"], fh, indent=2, ensure_ascii=False, default=str)


def summarize(out: dict) -> str:
    info = out["info"]
    skip = {"accounts_per_person", "channels", "odd_values"}
    lines = [f"scenario={info['scenario']} seed={info['seed']} accounts={info['n_accounts']} "
             f"persons={info['n_persons']} (brands/media {info['n_brand_entities']}) "
             f"true_pairs={info['true_pairs']}",
             "  accounts per person: " + ", ".join(f"{k}:{c}" for k, c in
                                                   info["accounts_per_person"].items()),
             "  channels: " + ", ".join(f"{k}={c}" for k, c in info["channels"].items())]
    rest = [f"{k}={v}" for k, v in info.items()
            if k not in skip and k not in ("scenario", "seed", "n_accounts", "n_persons",
                                           "n_human_persons", "n_brand_entities", "true_pairs")]
    for i in range(0, len(rest), 4):
        lines.append("  " + ", ".join(rest[i:i + 4]))
    lines.append(f"  odd values: {info['odd_values']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--scenario", default="default", choices=SCENARIOS)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    out = generate_identity(a.accounts, scenario=a.scenario, seed=a.seed)
    t1 = time.perf_counter()
    write(out, a.out_dir)
    t2 = time.perf_counter()
    print(summarize(out))
    print(f"generate {t1 - t0:.1f}s, write {t2 - t1:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
