"""Synthetic member accounts for testing identity resolution (accounts -> persons).

A brand sees one human as several member accounts: social (twitter, instagram, facebook,
tiktok, linkedin, youtube) and CRM (newsletter, shop, loyalty, ticketing, support). This module
plants persons, brands, media and bots behind such accounts and returns the ground truth.
Written blind: nothing of the tool under test was read. numpy + pandas only, vectorised (loops
run only over small lookup tables, patterns, channels, cultures or countries), deterministic
from numpy.random.default_rng(seed).

API
    generate_identity(n_accounts, scenario="default", seed=0) -> {"members", "truth", "info"}
      members: member_id, name, handle, channel, email, followers, following, bio, created_at,
               kind, city, phone (missing = None / NaN); rows shuffled, opaque random ids.
      truth:   member_id, person_id (every member once; brands, media, bots are entities too).
      info:    counts of everything planted (below), "true_pairs" = sum k(k-1)/2 over entities.
    write(out, folder) -> members.csv, truth.csv, info.json
    python identity_generator.py OUT --accounts N --scenario S --seed K

Scenarios (only the named parameters change; see BASE / SCENARIOS)
    default   mixed population, 50% Anglo, realistic rates below.
    families  55% of persons in households (not 18%), bigger households, 75% of families share
              a mailbox (40%) and 65% a landline (35%); shared addresses used ~2x as often.
    global    14 cultures almost evenly (Anglo 12%), diaspora 15% (45%), native script x1.8.
    thin      45% of accounts keep one key field (10%); optional fields kept at 45%; names 75%.

Population (default rates)
  * Account shares: bots 3%, brands 1.2%, media 0.6%, persons the rest. Accounts per person
    1..6 with P=.42/.24/.15/.10/.06/.03 (mean 2.2); brands and media 1..6 (.20/.25/.22/.16/.10/
    .07); bots 1. The last entity is truncated so the total is exactly n_accounts.
  * At most one account per channel, drawn without replacement (Gumbel top-k) from weights:
    40% of persons are CRM-leaning (newsletter 10, shop 9, loyalty 7, facebook 4, ...), 60%
    social-leaning (instagram 8, twitter/facebook/tiktok 5, ...); TikTok x2 under 30 and x0.3
    over 45, Facebook x1.5 over 35, LinkedIn x0.15 outside ages 22-65. Brands: social plus rare
    shop/support; media: social only; bots: twitter/instagram/tiktok/facebook/youtube.
  * Age ~ N(38, 14) clipped to 16-88. created_at between max(channel launch, 13th birthday) and
    2025-06-30, skewed to recent years; bots within the last three years.
  * Cultures: anglo 50, hispanic 12, german 6, french 5, italian 4, indian 4, chinese 4,
    polish 3, russian 3, arabic 3, japanese 2, korean 2, vietnamese 1, west african 1 (%).
    45% of non-Anglo persons live in the US/UK; 25% of those keep a home-country mail provider.

Names
  * Real given names and surnames per culture in popularity order with Zipf weights (given
    exponent 0.5-0.7; surnames 0.5-0.7, Korean 1.0 so Kim is ~25%, Vietnamese 1.3 so Nguyen
    is ~38%). Western, Russian, Japanese and Indian surnames also get a synthetic long tail
    (prefix+suffix, prefix+link+suffix; 25-70% of persons), Chinese and Korean given names are
    composed from syllables. So namesakes grow faster than the population: with seed 1, 4.6% of
    persons share their full name with someone at 10,000 accounts, 24% at 100,000 (largest
    group 3 vs 20).
  * Middle names: anglo 75% of persons, german 35, french 30, italian/polish 20, indian 15,
    arabic 60, west african 50; Russians carry a patronymic, Vietnamese a Van/Thi-type middle.
  * Per-account display name, by channel (NAME_PAT_W): full name 50-86%; given name only 22-32%
    on instagram/tiktok/twitter/youtube and 30% on newsletter/support; "John S." 6-8% social;
    "J. Smith" 6% CRM; "Smith, John" 7-8% CRM; middle name or initial 3-11% on LinkedIn/CRM;
    "JohnSmith" 4-6% social.
  * Nicknames (Bill/William, Sasha/Aleksandr, Paco/Francisco, Kasia/Katarzyna): 5-25% of
    accounts by channel, x2.5 for the 35% who go by a nickname, x0.6 for everyone else.
  * Romanisation: each person has a preferred spelling (random among variants with p .5 for
    Cyrillic, Arabic, Hangul, Han and Kana names; else the canonical one with p .9); 20% of
    accounts use another variant (Aleksandr/Alexander, Mohammed/Muhammad, Lee/Yi/Rhee,
    Huang/Wong, Sato/Satou, Mueller/Muller).
  * Accents stripped (Jose, Lukasz, Nguyen): 45% of CRM accounts, 25% of social ones.
  * Native script: russian 25%, chinese/japanese/korean 30%, arabic 20% of accounts (x0.4 in
    diaspora, x0.5 on CRM/LinkedIn, x1.8 in "global"); CJK written family name first; 12% of
    native social names also show the Latin form.
  * Latin family-name-first order: chinese 45%, vietnamese 50%, korean 30%, japanese 25%;
    Russian CRM "Ivanov Aleksandr Sergeevich". Adopted Western given name (Kevin Wang): 30% of
    Chinese, 25% Vietnamese, 20% Korean persons, used on 60% of social and 40% of CRM accounts.
    Hispanic second surname shown on 45% of CRM and 15% of social accounts.
  * Married vs maiden names: married women take the spouse's name at culture rates (anglo 80%,
    polish 85, german 75, russian 70, french 60, japanese 90, indian 50, west african 60,
    italian 10, hispanic 5, others 0); married: 55% over 30, 30% at 24-30; household spouses take
    the head's name. Accounts created after the wedding: married 80%, double-barrelled 8%, maiden
    12%; accounts created before: updated to the married name 40%. Emails: 50% built on the
    maiden name; old mailboxes always are.
  * Typos (deletion, doubled letter, transposition, adjacent key): 4% CRM, 1.5% social names.
    Case: CRM 7% UPPER / 6% lower; social 2% / 8%. Titles Mr/Mrs/Ms/Dr on 5% of shop, loyalty and
    ticketing names, "Dr." on 1.5% of LinkedIn; credentials (", MBA") on 7% of LinkedIn;
    pronouns on 3% of social names (under 40); emoji on 9% of instagram/tiktok, 7% twitter, 5%
    youtube, 2% facebook names (a quarter are the home-country flag); job suffix 2% social.
    Placeholder names typed at the till (Guest, Customer, N/A, test, ...): 1.5% of CRM names.

Emails (a person may own several mailboxes)
  * Personal (93%; 60% under 16): first.last 22%, firstlast 14%, name+number 18%, flast 8%,
    nickname+number 7%, first+number 6%, ..., unrelated words 10% ("quiet.fox22"); numbers
    are the birth year (2 digits 40%, 4 digits 15%) or random. Provider by country (gmail,
    yahoo, icloud, gmx/web.de, orange.fr, mail.ru/yandex, qq/163, naver, ...); QQ 70% numeric.
  * Old/secondary (30%, x1.3 over 28, x0.6 under): nickname+number heavy, 25% unrelated,
    legacy providers x3; used twice as often on pre-2016 accounts and half as often after 2020.
  * Work (40% of ages 22-66): Zipf-sized companies (one per 30 persons), one address format per
    company (first.last 45%, flast 20%, f.last 10%, ...). LinkedIn and ticketing favour it.
  * Mailboxes are unique (Gmail dot-insensitive); colliding namesakes get digits appended.
  * Same mailbox, different text, on CRM accounts: plus-addressing 4% (Gmail/Outlook/iCloud),
    Gmail dots added or removed 3%, googlemail.com 1% of Gmail, Capitalised 4%, UPPER 3%,
    stray whitespace 1.5%; domain typos (gmial.com) 0.6%.
  * Presence: newsletter 100%, shop 98%, ticketing 96%, loyalty/support 90%, social 2-12%.

Shared contact points (different people, same email or phone)
  * Households: 18% of persons, sizes 2-5 (.55/.25/.15/.05); 80% families, 20% roommates.
    Families share culture, city and the head's surname (Hispanic children take the mother's
    first surname second); spouses 92% opposite sex. Shared mailbox: 40% of families, 5% of
    roommates; 55% of them the head's own mailbox, else a joint one (smithfamily@,
    thesmiths@, johnandmary@). Shared landline: 35% of families, 10% of roommates.
  * Small businesses: 0.6 per 100 persons, 2-5 people sharing info@/orders@ (or a Gmail
    address) and a business line, used on shop/ticketing/support accounts.
  * Shared work inboxes: 20% of companies with 3+ employees (events@, office@, ...), used by
    about 6 coworkers each.
  * Placeholders: 1.2% of CRM emails (noemail@noemail.com, test@test.com, store@ourbrand.com),
    1% of CRM phones (0000000000, 1234567890). Recycled numbers: 0.3% of persons have an old
    number that now belongs to another person.

Phones, handles and other fields
  * Mobile: 93% of adults, 75% of minors; old number 15% (x3 on pre-2017 accounts); real
    calling codes, national lengths and prefixes; written as +E.164, "+cc grouped", national
    with trunk and separators, digits only, 00cc, or "(415) 555-0134", mixed by channel.
  * Handles: a favourite handle per person, unrelated to the name for 22% (37% under 25), else
    name patterns (johnsmith, john_smith87, jsmith, bobby92, realjohnsmith). Reused as is on
    instagram 55%, twitter 50%, tiktok 45%, youtube 40%, facebook 35%, linkedin 15%; a variant
    of it 15%; otherwise a fresh one (15% unrelated, 30% on TikTok). LinkedIn slugs first-last-
    hex 60%; Facebook numeric ids 20% and first.last.NNNN 24%; TikTok "user##########" 8%.
    Handles are unique per platform (namesakes get digits). Title case on 25% of twitter/
    youtube handles, a leading "@" on 5%. Facebook hides 20%, LinkedIn 10%; shop usernames 35%.
  * City: present 3-85% by channel; written variants (NYC, Munich/Muenchen, native script),
    10% of persons moved (old city on older accounts), LinkedIn "Greater X Area" 35%, joke
    locations ("Earth", "she/her") on 8% of social ones.
  * Bio (social only): person-level bio reused on 50% of accounts, else a fresh one; LinkedIn
    gets a headline "Role at Company"; 6% of twitter/tiktok/youtube bios name the Instagram
    handle, 2% contain the personal email.
  * followers/following: lognormal per channel with a person popularity factor; Facebook
    friends capped at 5000; CRM NaN.
  * kind: persons "person" (CRM 90% filled); brands "brand" 85%, media "media" 85%, else
    mislabelled; bots "person" (15% missing).
  * Brands and media: names from a small pool so unrelated organisations share names; handles
    slug / slugofficial / theslug / slughq / slug_uk / slughelp. Bots: common names, handles
    "user#########" or name+digits, spam bios, few followers, many followings.
  * Thin accounts (10%): only the channel's key field survives (handle on social; email 80% or
    phone 20% on CRM; 20% of thin social accounts keep a name).

info keys: n_accounts, n_entities, true_pairs, entities/accounts by kind and channel, namesake
counts, shared email/phone counts (normalised), persons with 2+ emails, household/business/
inbox counts, and one counter per planted phenomenon (nicknames, typos, native script, married
names, plus-addressing, placeholders, recycled numbers, unrelated handles, ...), plus the
parameters used.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import time
import unicodedata

import numpy as np
import pandas as pd

# Lookup tables (draft, merged into identity_generator.py)
# Grammar of one entry: latin[|alt...][=native][:nick,nick]; '_' stands for a space.
# Order is popularity order (Zipf weights are applied by rank).

GIVEN = {
    "anglo": (
        "James:Jim,Jimmy,Jamie John|Jon:Johnny,Jack Robert:Bob,Rob,Bobby,Robbie Michael:Mike,Mikey,Mick "
        "William:Will,Bill,Billy,Liam David:Dave,Davey Richard:Rick,Rich,Ricky,Dick Joseph:Joe,Joey "
        "Thomas:Tom,Tommy Christopher|Kristopher:Chris,Topher Charles:Charlie,Chuck Daniel:Dan,Danny "
        "Matthew|Mathew:Matt Anthony|Antony:Tony Mark|Marc Donald:Don,Donnie Steven|Stephen:Steve "
        "Paul Andrew:Andy,Drew Joshua:Josh Kenneth:Ken,Kenny Kevin:Kev Brian|Bryan George "
        "Timothy:Tim,Timmy Ronald:Ron,Ronnie Edward:Ed,Eddie,Ted Jason:Jay Jeffrey|Geoffrey:Jeff Ryan "
        "Jacob:Jake Gary Nicholas|Nicolas:Nick,Nicky Eric|Erik Jonathan|Jonathon:Jon,Jonny Larry "
        "Justin Scott:Scotty Brandon Benjamin:Ben,Benny Samuel:Sam,Sammy Gregory:Greg "
        "Alexander:Alex,Xander Patrick:Pat,Paddy Frank:Frankie Raymond:Ray Jack Dennis Jerry Tyler "
        "Aaron Henry:Hank,Harry Nathan:Nate Zachary|Zackary:Zach,Zack Ethan Noah Oliver:Ollie Liam "
        "Lucas|Lukas:Luke Logan Mason Carter Owen Dylan Connor Caleb Hunter Austin Jordan Cameron "
        "Trevor Shawn|Sean Keith Craig Derek Travis Wayne Bradley:Brad Phillip|Philip:Phil"
    ),
    "anglo_f": (
        "Mary:Molly,Mae Patricia:Pat,Patty,Trish,Tricia Jennifer:Jen,Jenny,Jenn Linda "
        "Elizabeth|Elisabeth:Liz,Beth,Lizzie,Betty,Eliza Barbara:Barb,Babs Susan|Suzanne:Sue,Susie "
        "Jessica:Jess,Jessie Sarah|Sara Karen Lisa Nancy Betty Margaret:Maggie,Meg,Peggy Sandra:Sandy "
        "Ashley:Ash Kimberly|Kimberley:Kim Emily:Em,Emmy Donna Michelle:Shelly Carol|Carole "
        "Amanda:Mandy Dorothy:Dot,Dottie Melissa:Mel,Missy Deborah|Debra:Deb,Debbie "
        "Stephanie:Steph Rebecca:Becky,Becca Sharon Laura Cynthia:Cindy Kathleen|Cathleen:Kathy,Kate "
        "Amy Angela:Angie Shirley Anna|Ana:Annie Brenda Pamela:Pam Emma:Em Nicole:Nikki Helen "
        "Samantha:Sam,Sammy Katherine|Catherine|Kathryn:Kate,Katie,Kathy,Cathy,Kat "
        "Christine|Kristine:Chris,Chrissy Rachel:Rach Olivia:Liv,Livvy Sophia|Sofia:Sophie "
        "Madison:Maddie Abigail:Abby Victoria:Vicky,Tori Alexandra:Alex,Lexi Jacqueline:Jackie "
        "Danielle:Dani Megan|Meghan:Meg Lauren Hannah|Hanna Brittany|Britney Taylor Heather "
        "Amber Chloe Grace Ava Isabella:Bella,Izzy Charlotte:Lottie,Charlie Mia Harper Evelyn:Evie "
        "Natalie Courtney Kayla Tiffany Crystal Vanessa:Nessa Erin Kelly|Kelli Tracy|Tracey"
    ),
    "hispanic": (
        "José|Jose:Pepe Juan:Juanito Luis Carlos:Charly Jorge Miguel Francisco:Paco,Pancho "
        "Antonio:Toño,Tony Alejandro:Alex,Ale Manuel:Manolo,Manu Javier:Javi Pedro Jesús:Chuy "
        "Diego Fernando:Fer,Nando Rafael:Rafa Ricardo:Ricky Sergio Andrés Eduardo:Lalo,Edu "
        "Roberto:Beto Daniel:Dani Pablo Mario Raúl Héctor Óscar Santiago:Santi Mateo "
        "Gabriel:Gabo Ignacio:Nacho Enrique:Quique Juan_Carlos:Juanca José_Luis:Pepe "
        "José_Manuel Juan_Pablo Miguel_Ángel Alberto:Beto Arturo Guillermo:Memo Gustavo:Tavo Adrián"
    ),
    "hispanic_f": (
        "María|Maria:Mari Guadalupe:Lupe,Lupita Ana Carmen:Menchu Isabel:Isa,Chabela Laura "
        "Lucía Sofía:Sofi Paula Marta Elena Rosa Patricia:Paty Verónica:Vero Daniela:Dani "
        "Gabriela:Gaby Alejandra:Ale Fernanda:Fer Valentina:Vale Camila:Cami Mariana Adriana "
        "Claudia Beatriz:Bea Cristina:Cris Pilar:Pili Dolores:Lola Concepción:Concha,Conchi "
        "Mercedes:Merche María_José:Majo Ana_María María_Fernanda:Marifer Ximena|Jimena Andrea "
        "Natalia:Naty Silvia Raquel Esperanza:Espe"
    ),
    "german": (
        "Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Stefan|Stephan Christian:Chris Uwe "
        "Frank Markus|Marcus Bernd Sebastian:Basti Alexander:Alex Tobias:Tobi Maximilian:Max "
        "Lukas|Lucas Jan Matthias:Matze Florian:Flo Daniel Dieter Hans Günter|Günther Jonas Felix "
        "Leon Paul Johannes:Hannes Friedrich:Fritz Heinrich:Heinz Karl|Carl Wilhelm:Willi "
        "Niklas|Niclas Philipp Moritz Tim Dirk Holger Ralf Torsten|Thorsten"
    ),
    "german_f": (
        "Ursula:Uschi Monika Petra Sabine:Bine Renate Helga Karin Brigitte Ingrid Susanne:Susi "
        "Andrea Claudia Stefanie|Stephanie:Steffi Julia:Jule Katharina:Kathi Anna Laura Lena Sarah "
        "Lisa Jana Sandra Nicole Christina:Tina Birgit Gabriele:Gabi Barbara Elisabeth:Elli "
        "Johanna:Hanna Franziska:Franzi Hannah Sophie|Sofie Marie Emma Jutta Heike Silke Anja Melanie"
    ),
    "french": (
        "Jean Pierre Michel André Philippe Alain Nicolas:Nico Jacques Christophe Patrick Laurent "
        "Frédéric:Fred Éric Stéphane Julien Thomas Sébastien:Seb François Jean-Pierre:JP Jean-Luc "
        "Jean-Marc Lucas Hugo Louis Gabriel Arthur Mathieu|Matthieu Guillaume Antoine Olivier "
        "Romain Maxime:Max Alexandre:Alex Vincent Benoît Thierry"
    ),
    "french_f": (
        "Marie Nathalie Isabelle:Isa Sylvie Catherine:Cathy Françoise Martine Christine Sophie "
        "Valérie:Val Sandrine Céline Aurélie Julie Camille Émilie Chloé Léa Manon Inès Emma "
        "Marie-Claire Anne-Sophie Hélène Claire Élodie Margaux|Margot Charlotte Pauline "
        "Stéphanie:Steph Virginie Audrey Mathilde"
    ),
    "italian": (
        "Giuseppe:Peppe,Pino,Beppe Giovanni:Gianni,Nino Antonio:Toni,Totò Mario Luigi:Gigi "
        "Francesco:Franco,Checco Angelo Vincenzo:Enzo Pietro Salvatore:Totò,Salvo Carlo Franco "
        "Domenico:Mimmo Bruno Paolo Michele Giorgio Aldo Sergio Luca Marco Andrea "
        "Alessandro:Ale,Sandro Matteo:Teo Lorenzo:Lollo Leonardo:Leo Riccardo:Ricky Stefano "
        "Roberto:Robi Fabio Davide Simone Federico:Fede Gabriele:Gabri Emanuele:Manu Massimo:Max"
    ),
    "italian_f": (
        "Maria Anna Giuseppina:Pina,Giusy Rosa Angela Giovanna:Gianna Teresa Lucia Carmela "
        "Caterina:Cate Francesca:Fra,Franci Chiara Sara Giulia Alessia Martina Valentina:Vale "
        "Elena Laura Federica:Fede Silvia Paola Roberta Sofia Aurora Giorgia Beatrice:Bea Alice "
        "Elisa Simona Cristina Ilaria Serena"
    ),
    "polish": (
        "Piotr Krzysztof:Krzysiek Andrzej Tomasz:Tomek Paweł Jan:Janek Michał Marcin Jakub:Kuba "
        "Adam Łukasz Mateusz Marek Grzegorz:Grzesiek Wojciech:Wojtek Mariusz Dariusz:Darek "
        "Zbigniew:Zbyszek Rafał Kamil Stanisław:Staszek Józef Bartosz:Bartek Szymon Maciej:Maciek"
    ),
    "polish_f": (
        "Anna:Ania Maria:Marysia Katarzyna:Kasia Małgorzata:Gosia,Małgosia Agnieszka:Aga "
        "Barbara:Basia Ewa Krystyna Magdalena:Magda Elżbieta:Ela Joanna:Asia Aleksandra:Ola "
        "Monika Zofia:Zosia Natalia Karolina Justyna Beata Dorota Paulina Weronika"
    ),
    "russian": (
        "Aleksandr|Alexander|Alexandr|Oleksandr=Александр:Sasha,Sanya,Alex "
        "Sergey|Sergei|Serguei|Serhiy=Сергей:Seryozha Dmitry|Dmitriy|Dmitri|Dimitri=Дмитрий:Dima "
        "Andrey|Andrei|Andriy=Андрей Aleksey|Alexey|Alexei|Alex=Алексей:Lyosha,Alyosha "
        "Maksim|Maxim=Максим:Max Evgeny|Evgeniy|Yevgeny|Eugene=Евгений:Zhenya Ivan=Иван:Vanya "
        "Mikhail|Michail=Михаил:Misha Vladimir=Владимир:Volodya,Vova Nikolay|Nikolai=Николай:Kolya "
        "Pavel=Павел:Pasha Artyom|Artem|Artiom=Артём:Tyoma Igor=Игорь Oleg=Олег Roman=Роман:Roma "
        "Yuri|Yury|Iurii=Юрий:Yura Denis=Денис Konstantin=Константин:Kostya Viktor|Victor=Виктор:Vitya "
        "Anton=Антон Kirill=Кирилл Ilya|Ilia=Илья Vadim=Вадим Stanislav=Станислав:Stas"
    ),
    "russian_f": (
        "Elena|Yelena|Helena=Елена:Lena Olga=Ольга:Olya Natalia|Natalya|Nataliya=Наталья:Natasha "
        "Tatiana|Tatyana|Tatjana=Татьяна:Tanya Irina=Ирина:Ira Svetlana=Светлана:Sveta "
        "Anna=Анна:Anya Maria|Mariya=Мария:Masha Ekaterina|Yekaterina|Katerina=Екатерина:Katya,Kate "
        "Yulia|Julia|Yuliya=Юлия:Yulya Anastasia|Anastasiya=Анастасия:Nastya Marina=Марина "
        "Daria|Darya=Дарья:Dasha Ksenia|Kseniya|Xenia=Ксения:Ksyusha Victoria|Viktoriya=Виктория:Vika "
        "Alina=Алина Polina=Полина Sofia|Sofiya=София:Sonya Oksana=Оксана Lyudmila|Ludmila=Людмила:Luda"
    ),
    # patronymics: used only as middle names (gender codes 2/3)
    "russian_mid": (
        "Sergeyevich|Sergeevich=Сергеевич Aleksandrovich|Alexandrovich=Александрович "
        "Vladimirovich=Владимирович Nikolayevich|Nikolaevich=Николаевич Ivanovich=Иванович "
        "Mikhaylovich|Mikhailovich=Михайлович Andreyevich|Andreevich=Андреевич Petrovich=Петрович "
        "Viktorovich=Викторович Yuryevich|Yurievich=Юрьевич"
    ),
    "russian_mid_f": (
        "Sergeyevna|Sergeevna=Сергеевна Aleksandrovna|Alexandrovna=Александровна "
        "Vladimirovna=Владимировна Nikolayevna|Nikolaevna=Николаевна Ivanovna=Ивановна "
        "Mikhaylovna|Mikhailovna=Михайловна Andreyevna|Andreevna=Андреевна Petrovna=Петровна "
        "Viktorovna=Викторовна Yuryevna|Yurievna=Юрьевна"
    ),
    "japanese": (
        "Hiroshi=博 Takashi=隆 Akira=明 Haruto=陽翔 Sota|Souta=蒼太 Yuto|Yuuto=悠斗 Ren=蓮 Daiki=大輝 "
        "Kenta=健太 Shota|Shouta=翔太 Takumi=拓海 Kazuki=一輝 Ryo|Ryou=涼 Satoshi=聡 Makoto=誠 "
        "Naoki=直樹 Yusuke|Yuusuke=祐介 Kaito=海斗 Taro|Tarou=太郎 Ichiro|Ichirou=一郎 Koji|Kouji=浩二 "
        "Shinji=真司 Masato=正人 Kenji=健二 Yuki=勇樹"
    ),
    "japanese_f": (
        "Yui=結衣 Aoi=葵 Hina=陽菜 Yuna=結菜 Sakura=さくら Yoko|Youko=陽子 Keiko=恵子 Yuko|Yuuko=裕子 "
        "Akiko=明子 Tomoko=智子 Naoko=直子 Haruka=遥 Misaki=美咲 Ayaka=彩花 Mai=舞 Emi=恵美 Rina=里奈 "
        "Nanami=七海 Mio=美緒 Yumi=由美 Kana=香奈 Miyu=美優 Rin=凛 Mei=芽依 Saki=咲"
    ),
    "arabic": (
        "Mohammed|Muhammad|Mohamed|Mohammad|Mohamad=محمد:Mo,Hamada Ahmed|Ahmad=أحمد Ali=علي "
        "Omar|Umar=عمر Abdullah|Abdallah=عبدالله:Abdu Mahmoud|Mahmud=محمود Mustafa|Mostafa=مصطفى "
        "Khalid|Khaled=خالد Hassan|Hasan=حسن Hussein|Hussain|Husain=حسين Ibrahim|Ebrahim=إبراهيم "
        "Youssef|Yousef|Yusuf|Youssif=يوسف Abdulrahman|Abdul_Rahman|Abdelrahman=عبدالرحمن "
        "Saeed|Said=سعيد Tariq|Tarek|Tarik=طارق Karim|Kareem=كريم Fahad|Fahd=فهد Faisal|Faysal=فيصل "
        "Hamza|Hamzah=حمزة Nasser|Nasir=ناصر Samir|Sameer=سمير Walid|Waleed=وليد Ziad|Ziyad=زياد "
        "Adel|Adil=عادل"
    ),
    "arabic_f": (
        "Fatima|Fatma|Fatimah=فاطمة Aisha|Aysha|Aicha=عائشة Maryam|Mariam|Meriem=مريم Nour|Noor|Nur=نور "
        "Sara|Sarah=سارة Layla|Leila|Laila=ليلى Zainab|Zaynab|Zeinab=زينب Huda|Hoda=هدى "
        "Amina|Aminah|Ameena=أمينة Khadija|Khadijah=خديجة Hanaa|Hana=هناء Rania|Ranya=رانيا "
        "Yasmin|Yasmine|Jasmin=ياسمين Salma=سلمى Dina|Deena=دينا Reem|Rim=ريم Mona|Muna=منى "
        "Noura|Nora=نورة Lina|Leena=لينا Samira|Sameera=سميرة"
    ),
    "indian": (
        "Rahul Amit Rajesh:Raj Sanjay Vijay Suresh Ramesh Anil Sunil Arun Rohit Vikram:Vicky Arjun "
        "Aditya:Adi Karthik|Kartik Pradeep Deepak Manoj Ravi Ajay Sachin Nikhil Varun Aarav Vivek "
        "Abhishek:Abhi Ankit Gaurav Harish Krishna:Krish Srinivas:Srini Venkatesh:Venky Mohan Ganesh "
        "Prakash Naveen Sandeep Rajiv|Rajeev Mahesh Siddharth:Sid"
    ),
    "indian_f": (
        "Priya Anjali Pooja|Puja Neha Sunita Kavita|Kavitha Deepa Lakshmi|Laxmi Divya Shruti|Sruthi "
        "Ananya Aishwarya:Ash Meera|Mira Sneha Swati|Swathi Radha Anita Rekha Nisha Pallavi Shreya "
        "Sangeeta|Sangita Shalini Isha Riya|Ria Aditi Kiran Archana Madhuri Nandini"
    ),
    "vietnamese": (
        "Minh Hùng Dũng Tuấn Anh Nam Hải Long Phúc Quang Thành Huy Khoa Đức Sơn Bảo Hoàng Trung Việt Tâm"
    ),
    "vietnamese_f": (
        "Linh Hương Lan Mai Trang Thảo Ngọc Hà Phương Anh Thu Hoa Nhung Vy Hạnh Yến Quỳnh Chi My Nga"
    ),
    "vietnamese_mid": "Văn Đức Minh Quốc Hữu Thanh Công",
    "vietnamese_mid_f": "Thị Ngọc Thu Thanh Kim Bảo Mỹ",
    "west_african": (
        "Oluwaseun:Seun Chukwuemeka:Emeka Adebayo:Bayo Olumide:Mide Chinedu:Nedu Ifeanyi:Ify "
        "Babatunde:Tunde Oluwafemi:Femi Kwame Kofi Kwabena Yaw Emmanuel:Emma,Manny Samuel:Sammy "
        "Daniel:Dan David Ibrahim Musa Abubakar Tochukwu:Tochi Obinna:Obi Ayodele:Ayo Segun Uche"
    ),
    "west_african_f": (
        "Adaeze:Ada Chiamaka:Amaka Ngozi Funmilayo:Funmi Oluwatoyin:Toyin Folasade:Sade Abena "
        "Akosua Ama Efua Blessing Grace Esther Joy Chioma Nneka Yetunde:Yetty Aisha Fatima "
        "Temitope:Tope Ifeoma:Ify Adaora:Ada"
    ),
}

# composed given names: syllable=native; male list, female list
ZH_SYL = (
    "Wei=伟 Qiang=强 Lei=磊 Jun=军 Yong=勇 Jie=杰 Tao=涛 Ming=明 Chao=超 Gang=刚 Hao=浩 Yu=宇 "
    "Tian=天 Bo=博 Rui=瑞 Kai=凯 Long=龙 Feng=峰 Yang=洋 Zhi=志 Hua=华 Jian=建 Xiao=晓 Chen=晨",
    "Fang=芳 Na=娜 Min=敏 Jing=静 Li=丽 Yan=艳 Juan=娟 Xiu=秀 Xia=霞 Hui=慧 Xin=欣 Jia=佳 Hong=红 "
    "Lin=琳 Yi=怡 Mei=梅 Yun=云 Dan=丹 Ying=英 Qing=青 Han=涵 Xiao=晓 Zi=子 Ping=平",
)
KO_SYL = (
    "Min=민 Jun=준 Seo=서 Ji=지 Hoon=훈 Woo=우 Hyun=현 Sung=성 Young=영 Jae=재 Dong=동 Ho=호 "
    "Jin=진 Sang=상 Tae=태 Do=도 Gun=건 Hwan=환 Seok=석 Ha=하",
    "Ji=지 Soo=수 Min=민 Seo=서 Yeon=연 Eun=은 Hye=혜 Yoon=윤 Ha=하 Na=나 Young=영 Jung=정 Mi=미 "
    "Kyung=경 Hee=희 Sun=선 Ah=아 Yu=유 Bin=빈 Won=원",
)

SURNAMES = {
    "anglo": (
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson "
        "Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott "
        "Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans "
        "Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell "
        "Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray|Grey Hughes Price Sanders "
        "Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman "
        "Simmons Patterson Jordan Reynolds Hamilton Graham Wallace Cole West Hayes "
        "O'Brien|OBrien|O_Brien McDonald|MacDonald|Mcdonald O'Connor|OConnor Walsh Murray Kennedy"
    ),
    "hispanic": (
        "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez "
        "Hernández Ruiz Díaz Moreno Muñoz Álvarez Romero Gutiérrez Alonso Navarro Torres Domínguez "
        "Ramos Vázquez Ramírez Gil Serrano Morales Molina Blanco Suárez Castro Ortega Delgado Ortiz "
        "Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano "
        "Prieto Méndez Cruz Flores Herrera Peña León Márquez Cabrera Gallego Calvo Vidal Campos Reyes "
        "Vega Fuentes Carrasco Aguilar Mendoza Rojas Vargas Chávez Rivera Silva Sosa Contreras Luna "
        "de_la_Cruz|De_La_Cruz|Delacruz Salazar Espinoza|Espinosa Valdez|Valdés Ibarra Villanueva"
    ),
    "german": (
        "Müller Schmidt Schneider Fischer Weber Meyer|Meier|Maier|Mayer Wagner Becker Schulz Hoffmann "
        "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger "
        "Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Lehmann Schmid Schulze Köhler Herrmann "
        "König Walter Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß|Weiss Jung Hahn Schubert "
        "Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke "
        "Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger "
        "Otto Sommer Groß|Gross Seidel Heinrich Brandt Haas"
    ),
    "french": (
        "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
        "Lefèvre|Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert "
        "Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
        "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu "
        "Gautier Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard "
        "Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard "
        "Schmitt Roy Leroux Colin Vidal Caron Picard"
    ),
    "italian": (
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
        "De_Luca|DeLuca|Deluca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana "
        "Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale "
        "Lombardo Serra Coppola De_Santis|DeSantis D'Angelo|DAngelo|D_Angelo Marchetti Parisi Villa "
        "Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti "
        "Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa "
        "Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra "
        "Palmieri Bernardi Martino Fiore De_Rosa Ferretti Bellini Basile Riva Donati Piras"
    ),
    "polish": (
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek "
        "Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski "
        "Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski"
    ),
    "russian": (
        "Ivanov=Иванов Smirnov=Смирнов Kuznetsov=Кузнецов Popov=Попов Vasiliev|Vasilyev=Васильев "
        "Petrov=Петров Sokolov=Соколов Mikhailov|Mikhaylov=Михайлов Novikov=Новиков "
        "Fedorov|Fyodorov=Фёдоров Morozov=Морозов Volkov=Волков Alekseev|Alexeev=Алексеев "
        "Lebedev=Лебедев Semenov|Semyonov=Семёнов Egorov|Yegorov=Егоров Pavlov=Павлов Kozlov=Козлов "
        "Stepanov=Степанов Nikolaev|Nikolayev=Николаев Orlov=Орлов Andreev|Andreyev=Андреев "
        "Makarov=Макаров Nikitin=Никитин Zakharov=Захаров Zaitsev|Zaytsev=Зайцев "
        "Soloviev|Solovyov=Соловьёв Borisov=Борисов Yakovlev=Яковлев Grigoriev|Grigoryev=Григорьев "
        "Romanov=Романов Sergeev|Sergeyev=Сергеев Frolov=Фролов Belov=Белов Kovalev|Kovalyov=Ковалёв "
        "Ilyin|Ilin=Ильин Gusev=Гусев Titov=Титов Kuzmin=Кузьмин Baranov=Баранов Kulikov=Куликов "
        "Vinogradov=Виноградов Bogdanov=Богданов Tarasov=Тарасов Komarov=Комаров "
        "Kiselev|Kiselyov=Киселёв Dmitriev=Дмитриев Kovalenko=Коваленко Bondarenko=Бондаренко "
        "Shevchenko=Шевченко Tkachenko=Ткаченко Kravchenko=Кравченко"
    ),
    "chinese": (
        "Wang|Wong=王 Li|Lee|Lei=李 Zhang|Chang|Cheung=张 Liu|Lau|Lew=刘 Chen|Chan|Chin=陈 "
        "Yang|Yeung=杨 Huang|Wong|Hwang=黄 Zhao|Chao|Chiu=赵 Wu|Ng|Woo=吴 Zhou|Chow|Chou=周 "
        "Xu|Hsu|Tsui=徐 Sun|Suen=孙 Ma=马 Zhu|Chu=朱 Hu|Woo=胡 Guo|Kwok|Kuo=郭 He|Ho=何 Lin|Lam|Lim=林 "
        "Gao|Ko|Kao=高 Luo|Law|Lo=罗 Zheng|Cheng=郑 Liang|Leung=梁 Xie|Tse|Hsieh=谢 Song|Sung=宋 "
        "Tang|Tong=唐 Han|Hon=韩 Feng|Fung=冯 Deng|Tang=邓 Cao|Tso=曹 Peng|Pang=彭 Zeng|Tsang=曾 "
        "Xiao|Siu=肖 Tian=田 Dong|Tung=董 Pan|Poon=潘 Yuan|Yuen=袁 Cai|Choi|Tsai=蔡 Jiang|Chiang=蒋 "
        "Yu|Yue=余 Du|To=杜 Ye|Yip=叶 Cheng|Ching=程 Wei=魏 Su|So=苏 Lu|Lo=卢"
    ),
    "japanese": (
        "Sato|Satou|Satoh=佐藤 Suzuki=鈴木 Takahashi=高橋 Tanaka=田中 Watanabe=渡辺 Ito|Itou|Itoh=伊藤 "
        "Yamamoto=山本 Nakamura=中村 Kobayashi=小林 Kato|Katou|Katoh=加藤 Yoshida=吉田 Yamada=山田 "
        "Sasaki=佐々木 Yamaguchi=山口 Matsumoto=松本 Inoue=井上 Kimura=木村 Hayashi=林 Shimizu=清水 "
        "Yamazaki=山崎 Mori=森 Abe=阿部 Ikeda=池田 Hashimoto=橋本 Yamashita=山下 Ishikawa=石川 "
        "Nakajima=中島 Maeda=前田 Fujita=藤田 Ogawa=小川 Goto|Gotou|Gotoh=後藤 Okada=岡田 "
        "Hasegawa=長谷川 Murakami=村上 Kondo|Kondou|Kondoh=近藤 Ishii=石井 Saito|Saitou|Saitoh=斎藤 "
        "Sakamoto=坂本 Endo|Endou|Endoh=遠藤 Aoki=青木 Fujii=藤井 Nishimura=西村 Fukuda=福田 "
        "Ota|Oota|Ohta=太田"
    ),
    "korean": (
        "Kim|Gim=김 Lee|Yi|Rhee|I=이 Park|Pak|Bak=박 Choi|Choe|Chey=최 Jung|Jeong|Chung=정 Kang|Gang=강 "
        "Cho|Jo=조 Yoon|Yun=윤 Jang|Chang=장 Lim|Im|Rim=임 Han=한 Oh=오 Seo|Suh=서 Shin|Sin=신 "
        "Kwon|Gwon=권 Hwang=황 Ahn|An=안 Song=송 Jeon|Chun|Jun=전 Hong=홍 Yoo|Yu|Ryu=유 Ko|Go=고 "
        "Moon|Mun=문 Yang=양 Son|Sohn=손 Bae=배 Baek|Paik=백 Heo|Huh=허 Nam=남 Noh|Roh=노"
    ),
    "arabic": (
        "Al-Ali|Al_Ali|Alali=العلي Hassan=حسن Ahmed=أحمد Mohamed|Mohammed=محمد Ali=علي "
        "Ibrahim=إبراهيم Mahmoud=محمود Abdullah=عبدالله Khalil|Khaleel=خليل Haddad=حداد "
        "Saleh|Salih=صالح Mansour|Mansur=منصور Nasser=ناصر Al-Hashimi|Alhashimi|Hashemi=الهاشمي "
        "Al-Qahtani|Alqahtani|Al_Qahtani=القحطاني Al-Otaibi|Alotaibi=العتيبي Al-Ghamdi|Alghamdi=الغامدي "
        "Al-Harbi|Alharbi=الحربي Al-Zahrani|Alzahrani=الزهراني El-Sayed|Elsayed|El_Sayed=السيد "
        "Abdelaziz|Abdulaziz|Abdel_Aziz=عبدالعزيز Mustafa|Moustafa=مصطفى Youssef|Yousef=يوسف "
        "Hussein|Hussain=حسين Khoury|Khouri|El-Khoury=خوري Nassar=نصار Hamdan=حمدان "
        "Farouk|Farouq=فاروق Darwish|Darweesh=درويش Aziz=عزيز Karam=كرم Najjar|Al-Najjar=النجار "
        "Sabbagh=صباغ Hamad=حمد Issa|Eisa=عيسى Jaber|Jabir=جابر Omar=عمر"
    ),
    "indian": (
        "Patel Sharma Singh Kumar Gupta Shah Reddy Rao Iyer Nair Mehta Joshi Desai Jain Verma "
        "Agarwal|Aggarwal|Agrawal Mishra Pillai Chopra Kapoor Malhotra Bhat|Bhatt Chatterjee "
        "Banerjee Mukherjee Das Ghosh Menon Krishnan Srinivasan Naidu Yadav Pandey Tiwari Saxena "
        "Sinha Khan Chaudhary|Choudhary|Chowdhury Kulkarni Patil Bose Sethi Arora Bhatia Goel "
        "Trivedi Dubey Subramanian|Subramaniam Venkatesan Ramachandran"
    ),
    "vietnamese": (
        "Nguyễn Trần Lê Phạm Hoàng|Huỳnh Phan Vũ|Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai"
    ),
    "west_african": (
        "Okafor Okonkwo Adeyemi Ogunleye Eze Nwosu Ibrahim Bello Abubakar Mensah Owusu Boateng "
        "Asante Osei Adjei Danso Balogun Adebayo Olawale Afolabi Ogunbiyi Nnamdi Chukwu Obi Okeke "
        "Uzoma Okoro Ojo Akande Agyeman Appiah Darko Amoah Quaye Lawal Yusuf Suleiman Aliyu Danjuma"
    ),
}

# synthetic long tail of surnames: prefix + suffix and prefix + link + suffix, so that rare
# surnames exist and the number of distinct surnames keeps growing with the population.
# Parts may carry a native form (prefix=native); a tail name gets one only when all parts do.
SURNAME_TAIL = {
    "anglo": (
        "Ash Black Brad Brook Cald Craw Dun Fair Gold Hart Hol Kings Lang Mar Mid North Pem Ren "
        "Ride Shel Stan Thorn Wes Whit Wood Al Bar Ben Brom Cres Dal El Gar Hal Lin Mel Ox Pres Rad Sut",
        "ton ley field ford wood worth by ham well more dale son er bridge stone wick man croft hurst land",
        "ing ring ley",
    ),
    "german": (
        "Adl Bren Dorn Eber Falk Gers Hel Isen Kirch Lin Mor Neu Ober Pf Rein Stein Tann Ul Wald Zell "
        "Brand Hof Kessel Lind Rosen Schön Wein",
        "mann er hardt berg bach ner inger stein feld meier hofer brecht",
        "en el ing s",
    ),
    "french": (
        "Beau Bel Bon Cham Chev Du Font La Le Mont Ro Val Ver Mar Gran Bris Char Del Mau Pey",
        "champ mont lier court ville det nier rand geot vert ard ot",
        "e ri a",
    ),
    "hispanic": (
        "Alva Bena Carra Echeva Fonse Garri Ibar Larra Mene Olive Quinta Sando Valde Zamo Arri Bece",
        "rez do ra nal rría ca gui dez no les",
        "",
    ),
    "italian": (
        "Bel Car Cas Fal Gal Lan Mar Mon Pal Ros San Val Ven Vit Zan Bor Cor Fer",
        "lini etti oni ucci ardi elli ese ino one iero",
        "an er ag",
    ),
    "polish": (
        "Bor Dob Gor Jas Kos Lis Mal Now Ost Pol Rud Sad Wol Zab Chm Bart Krup Lip Szcz Wal",
        "owski ewski ecki iński czyk ak ek ski",
        "n k",
    ),
    "russian": (
        "Belo Vor Grom Dub Zhuk Kras Lys Medv Sok Tikh Chern Bogo Zolot Bul Kar Lap Mor Pan Rudn Sav",
        "ov ev in sky kov nikov",
        "ach an",
    ),
    "japanese": (
        "Yama=山 Naka=中 Ta=田 Ki=木 Mori=森 Ishi=石 Kawa=川 Fuji=藤 Matsu=松 Hara=原 "
        "Ue=上 Shima=島 Oka=岡 Taka=高 Kita=北 Nishi=西 Higashi=東 Miya=宮 Hira=平 Iwa=岩",
        "moto=本 mura=村 da=田 shita=下 guchi=口 kawa=川 hara=原 no=野 saki=崎 uchi=内 "
        "oka=岡 hashi=橋 zawa=沢 yama=山",
        "",
    ),
    "indian": (
        "Ragh Sub Venk Kris Bal Ram Gop Nat Shan Sur Vis Har",
        "avan aramanian ataraman hnan akrishnan aswamy alakrishnan araj udevan",
        "",
    ),
}

# ----------------------------------------------------------------- cultures
# zg/zs: Zipf exponent of given / surname popularity; tail: share of persons whose surname
# comes from the synthetic long tail; middle: share with a middle name (patronymic for
# Russian, Văn/Thị-type for Vietnamese); ff: share of Latin-script displays written family
# name first; native: share of accounts written in the native script (before diaspora and
# scenario scaling); married: share of married women who take the spouse's surname;
# western: share who also use an adopted Western given name; countries: home countries.
CULTURE_PARAMS = {
    "anglo":        dict(zg=0.55, zs=0.50, tail=0.70, middle=0.75, ff=0.00, native=0.00, married=0.80, western=0.00, countries={"US": 0.72, "UK": 0.28}),
    "hispanic":     dict(zg=0.60, zs=0.60, tail=0.25, middle=0.00, ff=0.00, native=0.00, married=0.05, western=0.00, countries={"MX": 0.60, "ES": 0.40}),
    "german":       dict(zg=0.50, zs=0.55, tail=0.60, middle=0.35, ff=0.00, native=0.00, married=0.75, western=0.00, countries={"DE": 1.0}),
    "french":       dict(zg=0.50, zs=0.50, tail=0.60, middle=0.30, ff=0.00, native=0.00, married=0.60, western=0.00, countries={"FR": 1.0}),
    "italian":      dict(zg=0.55, zs=0.50, tail=0.55, middle=0.20, ff=0.00, native=0.00, married=0.10, western=0.00, countries={"IT": 1.0}),
    "polish":       dict(zg=0.55, zs=0.60, tail=0.55, middle=0.20, ff=0.00, native=0.00, married=0.85, western=0.00, countries={"PL": 1.0}),
    "russian":      dict(zg=0.60, zs=0.60, tail=0.50, middle=1.00, ff=0.00, native=0.25, married=0.70, western=0.05, countries={"RU": 1.0}),
    "chinese":      dict(zg=0.60, zs=0.55, tail=0.00, middle=0.00, ff=0.45, native=0.30, married=0.00, western=0.30, countries={"CN": 1.0}),
    "japanese":     dict(zg=0.50, zs=0.50, tail=0.65, middle=0.00, ff=0.25, native=0.30, married=0.90, western=0.03, countries={"JP": 1.0}),
    "korean":       dict(zg=0.60, zs=1.00, tail=0.00, middle=0.00, ff=0.30, native=0.30, married=0.00, western=0.20, countries={"KR": 1.0}),
    "arabic":       dict(zg=0.70, zs=0.50, tail=0.00, middle=0.60, ff=0.00, native=0.20, married=0.00, western=0.02, countries={"AE": 0.35, "SA": 0.35, "EG": 0.30}),
    "indian":       dict(zg=0.50, zs=0.70, tail=0.35, middle=0.15, ff=0.00, native=0.00, married=0.50, western=0.02, countries={"IN": 1.0}),
    "vietnamese":   dict(zg=0.60, zs=1.30, tail=0.00, middle=0.95, ff=0.50, native=0.00, married=0.00, western=0.25, countries={"VN": 1.0}),
    "west_african": dict(zg=0.50, zs=0.50, tail=0.00, middle=0.50, ff=0.00, native=0.00, married=0.60, western=0.00, countries={"NG": 0.70, "GH": 0.30}),
}
CULTURES = list(CULTURE_PARAMS)
NATIVE_SEP = {"chinese": "", "korean": "", "japanese": " ", "russian": " ", "arabic": " "}

# ----------------------------------------------------------------- countries
# cc: calling code; trunk: national trunk prefix; nat: national significant number length;
# pre: leading digits of numbers (mobile and landline mixed); groups: how the national number
# is grouped when written; domains: consumer mail providers and their shares; cities:
# Canonical|written variant|...=native script, in popularity order.
COUNTRIES = {
    "US": dict(cc="1", trunk="", nat=10, groups=(3, 3, 4), flag="🇺🇸",
               pre="212 213 310 312 415 617 713 214 305 404 206 303 503 702 602 512 210 619 215 718 646 917 818 773 469 832",
               domains="gmail.com:45 yahoo.com:14 hotmail.com:7 outlook.com:7 icloud.com:10 aol.com:5 comcast.net:3 att.net:2 msn.com:2 me.com:2 live.com:3",
               cities="New_York|NYC|New_York_City|New_York,_NY|Brooklyn Los_Angeles|LA|L.A.|Los_Angeles,_CA Chicago|Chicago,_IL|Chi-town "
                      "Houston|Houston,_TX|H-Town Phoenix|Phoenix,_AZ Philadelphia|Philly San_Antonio|San_Antonio,_TX San_Diego|SD "
                      "Dallas|Dallas,_TX|DFW Austin|Austin,_TX|ATX Seattle|Seattle,_WA Boston|Boston,_MA Miami|Miami,_FL|MIA "
                      "Atlanta|ATL|Atlanta,_GA Denver|Denver,_CO Portland|PDX|Portland,_OR San_Francisco|SF|San_Fran|Bay_Area "
                      "Columbus Charlotte Nashville Detroit Minneapolis|Mpls"),
    "UK": dict(cc="44", trunk="0", nat=10, groups=(4, 6), flag="🇬🇧",
               pre="7",
               domains="gmail.com:45 hotmail.co.uk:15 yahoo.co.uk:8 outlook.com:10 icloud.com:10 btinternet.com:5 sky.com:3 live.co.uk:4",
               cities="London|London,_UK|Greater_London Manchester|Manc Birmingham|Brum Glasgow Leeds Bristol Edinburgh|Edinburgh,_Scotland "
                      "Liverpool Sheffield Cardiff Newcastle|Newcastle_upon_Tyne Nottingham Brighton"),
    "MX": dict(cc="52", trunk="", nat=10, groups=(2, 4, 4), flag="🇲🇽",
               pre="55 33 81 22 44 66",
               domains="gmail.com:50 hotmail.com:30 yahoo.com.mx:8 outlook.com:7 live.com.mx:5",
               cities="Ciudad_de_México|Mexico_City|CDMX|Ciudad_de_Mexico|DF Guadalajara|GDL Monterrey|MTY Puebla Tijuana León Querétaro|Queretaro Mérida|Merida"),
    "ES": dict(cc="34", trunk="", nat=9, groups=(3, 3, 3), flag="🇪🇸",
               pre="6 7",
               domains="gmail.com:55 hotmail.com:20 yahoo.es:8 outlook.es:7 telefonica.net:3 icloud.com:7",
               cities="Madrid Barcelona|BCN Valencia|València Sevilla|Seville Zaragoza Málaga|Malaga Bilbao|Bilbo Murcia Palma|Palma_de_Mallorca"),
    "DE": dict(cc="49", trunk="0", nat=11, groups=(4, 7), flag="🇩🇪",
               pre="151 152 157 160 170 171 172 175 176 177 178 179",
               domains="gmail.com:30 gmx.de:20 web.de:20 t-online.de:10 outlook.de:5 yahoo.de:5 gmx.net:5 icloud.com:5",
               cities="Berlin München|Munich|Muenchen Hamburg Köln|Cologne|Koeln Frankfurt|Frankfurt_am_Main|Frankfurt/Main "
                      "Stuttgart Düsseldorf|Duesseldorf|Dusseldorf Leipzig Dortmund Essen Bremen Dresden Hannover|Hanover Nürnberg|Nuremberg"),
    "FR": dict(cc="33", trunk="0", nat=9, groups=(1, 2, 2, 2, 2), flag="🇫🇷",
               pre="6 7",
               domains="gmail.com:40 orange.fr:15 hotmail.fr:15 yahoo.fr:10 free.fr:8 laposte.net:5 sfr.fr:4 outlook.fr:3",
               cities="Paris|Paris,_France|Paname Marseille Lyon Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille Rennes"),
    "IT": dict(cc="39", trunk="", nat=10, groups=(3, 3, 4), flag="🇮🇹",
               pre="32 33 34 35 36 38 39",
               domains="gmail.com:45 libero.it:15 hotmail.it:10 yahoo.it:8 alice.it:5 virgilio.it:7 outlook.it:5 tiscali.it:5",
               cities="Roma|Rome Milano|Milan Napoli|Naples Torino|Turin Palermo Genova|Genoa Bologna Firenze|Florence Bari Catania Venezia|Venice Verona"),
    "PL": dict(cc="48", trunk="", nat=9, groups=(3, 3, 3), flag="🇵🇱",
               pre="5 6 7 8",
               domains="gmail.com:40 wp.pl:20 o2.pl:12 onet.pl:12 interia.pl:10 outlook.com:6",
               cities="Warszawa|Warsaw|Warszawa,_Polska Kraków|Krakow|Cracow Łódź|Lodz Wrocław|Wroclaw Poznań|Poznan Gdańsk|Gdansk Szczecin Lublin Katowice"),
    "RU": dict(cc="7", trunk="8", nat=10, groups=(3, 3, 2, 2), flag="🇷🇺",
               pre="9",
               domains="mail.ru:35 yandex.ru:30 gmail.com:20 rambler.ru:5 bk.ru:5 list.ru:3 inbox.ru:2",
               cities="Moscow|Moskva|Moscow,_Russia=Москва Saint_Petersburg|St._Petersburg|St_Petersburg|SPb=Санкт-Петербург "
                      "Novosibirsk=Новосибирск Yekaterinburg|Ekaterinburg=Екатеринбург Kazan=Казань Nizhny_Novgorod=Нижний_Новгород "
                      "Samara=Самара Rostov-on-Don|Rostov=Ростов-на-Дону Krasnodar=Краснодар"),
    "CN": dict(cc="86", trunk="", nat=11, groups=(3, 4, 4), flag="🇨🇳",
               pre="13 15 18 17 19",
               domains="qq.com:45 163.com:25 126.com:10 gmail.com:8 sina.com:5 outlook.com:5 foxmail.com:2",
               cities="Shanghai=上海 Beijing|Peking=北京 Shenzhen=深圳 Guangzhou|Canton=广州 Chengdu=成都 Hangzhou=杭州 "
                      "Wuhan=武汉 Chongqing=重庆 Nanjing=南京 Tianjin=天津 Xi'an|Xian=西安"),
    "JP": dict(cc="81", trunk="0", nat=10, groups=(2, 4, 4), flag="🇯🇵",
               pre="90 80 70",
               domains="gmail.com:35 yahoo.co.jp:30 docomo.ne.jp:10 ezweb.ne.jp:5 icloud.com:12 outlook.jp:8",
               cities="Tokyo|Tokyo,_Japan=東京 Osaka=大阪 Yokohama=横浜 Nagoya=名古屋 Sapporo=札幌 Fukuoka=福岡 Kobe=神戸 Kyoto=京都"),
    "KR": dict(cc="82", trunk="0", nat=10, groups=(2, 4, 4), flag="🇰🇷",
               pre="10",
               domains="naver.com:55 gmail.com:25 daum.net:12 hanmail.net:8",
               cities="Seoul|Seoul,_Korea=서울 Busan|Pusan=부산 Incheon=인천 Daegu=대구 Daejeon=대전 Gwangju=광주 Suwon=수원"),
    "AE": dict(cc="971", trunk="0", nat=9, groups=(2, 3, 4), flag="🇦🇪",
               pre="50 52 54 55 56 58",
               domains="gmail.com:55 hotmail.com:20 yahoo.com:12 outlook.com:10 icloud.com:3",
               cities="Dubai|Dubai,_UAE=دبي Abu_Dhabi|AbuDhabi=أبو_ظبي Sharjah=الشارقة"),
    "SA": dict(cc="966", trunk="0", nat=9, groups=(2, 3, 4), flag="🇸🇦",
               pre="50 53 54 55 56 59",
               domains="gmail.com:55 hotmail.com:20 yahoo.com:12 outlook.com:10 icloud.com:3",
               cities="Riyadh|Riyadh,_KSA=الرياض Jeddah|Jiddah|Jedda=جدة Dammam=الدمام Mecca|Makkah=مكة Medina|Madinah=المدينة"),
    "EG": dict(cc="20", trunk="0", nat=10, groups=(3, 3, 4), flag="🇪🇬",
               pre="10 11 12 15",
               domains="gmail.com:55 hotmail.com:20 yahoo.com:15 outlook.com:10",
               cities="Cairo|Al_Qahirah=القاهرة Alexandria|Alex=الإسكندرية Giza=الجيزة"),
    "IN": dict(cc="91", trunk="0", nat=10, groups=(5, 5), flag="🇮🇳",
               pre="9 8 7 6",
               domains="gmail.com:70 yahoo.co.in:10 rediffmail.com:8 hotmail.com:7 outlook.com:5",
               cities="Mumbai|Bombay Delhi|New_Delhi|Delhi_NCR Bangalore|Bengaluru|Bangaluru Hyderabad Chennai|Madras Kolkata|Calcutta Pune|Poona Ahmedabad Jaipur"),
    "VN": dict(cc="84", trunk="0", nat=9, groups=(2, 3, 4), flag="🇻🇳",
               pre="9 3 8 7",
               domains="gmail.com:80 yahoo.com:10 outlook.com:5 hotmail.com:5",
               cities="Thành_phố_Hồ_Chí_Minh|Ho_Chi_Minh_City|Saigon|HCMC|Sài_Gòn Hà_Nội|Hanoi|Ha_Noi Đà_Nẵng|Da_Nang|Danang Hải_Phòng|Hai_Phong Cần_Thơ|Can_Tho"),
    "NG": dict(cc="234", trunk="0", nat=10, groups=(3, 3, 4), flag="🇳🇬",
               pre="80 81 70 90 91",
               domains="gmail.com:70 yahoo.com:20 hotmail.com:5 outlook.com:5",
               cities="Lagos|Lagos,_Nigeria|Eko Abuja|FCT Ibadan Port_Harcourt|PH Kano Enugu Benin_City"),
    "GH": dict(cc="233", trunk="0", nat=9, groups=(2, 3, 4), flag="🇬🇭",
               pre="20 24 50 54 55",
               domains="gmail.com:70 yahoo.com:20 hotmail.com:5 outlook.com:5",
               cities="Accra Kumasi Tamale Takoradi Cape_Coast"),
}
COUNTRY_CODES = list(COUNTRIES)
LEGACY_DOMAINS = {"yahoo.com", "hotmail.com", "aol.com", "msn.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com",
                  "web.de", "t-online.de", "orange.fr", "free.fr", "laposte.net", "libero.it", "alice.it", "wp.pl",
                  "o2.pl", "mail.ru", "rambler.ru", "163.com", "126.com", "yahoo.co.jp", "hanmail.net", "daum.net",
                  "rediffmail.com", "yahoo.co.in", "live.com", "att.net", "comcast.net"}

# ----------------------------------------------------------------- free text
HANDLE_WORDS_A = (
    "quiet lunar pixel sunny happy lazy cosmic little wild urban salty golden silver velvet misty "
    "electric midnight crimson neon rusty fuzzy sleepy dizzy brave tiny mellow spicy frosty "
    "rainy stormy lucky wicked vintage retro hidden secret purple blue green dark bright lost"
).split()
HANDLE_WORDS_B = (
    "fox panda tiger wolf owl otter raven koala moon star sky ocean river forest garden rider "
    "dreamer wanderer gamer ninja wizard witch pirate chef baker reader writer runner surfer "
    "traveler nomad coder hacker artist poet queen king princess bee kitten puppy dragon "
    "phoenix echo bean muffin cookie taco noodle mango peach cherry lemon"
).split()
OCCUPATIONS = (
    "Teacher|Nurse|Software engineer|Student|Designer|Photographer|Marketing manager|Entrepreneur|"
    "Realtor|Writer|Lawyer|Accountant|Chef|Barista|Artist|Musician|Developer|Consultant|"
    "Data scientist|Product manager|Mechanic|Retired|Stay-at-home mom|Pharmacist|Doctor|Architect|"
    "Sales|HR professional|Recruiter|Personal trainer|Nail tech|Small business owner|Engineer|"
    "Graphic designer|Social media manager|Project manager|Paralegal|Electrician|Firefighter|"
    "Veterinarian|Dentist|Professor|PhD student|Journalist|Makeup artist|Hairstylist|Pilot"
).split("|")
INTERESTS = (
    "Coffee lover ☕|Dog mom 🐶|Cat dad 🐱|Runner 🏃|Foodie 🍜|Travel ✈️|Bookworm 📚|Gamer 🎮|Yoga 🧘|"
    "Music 🎶|Football ⚽|Hiking ⛰️|Plant mom 🌿|Wine lover 🍷|Fitness 💪|Photography 📷|Lakers fan|"
    "Arsenal ⚽|Skincare|Crypto|Anime|DIY|Gardening 🌱|Baking 🧁|Marathoner|Cyclist 🚴|Vegan 🌱|"
    "Sneakerhead 👟|Film buff 🎬|Beach bum 🏖️|Craft beer 🍺|Tea 🍵|Swiftie|K-pop|F1 fan 🏎️|Golf ⛳|"
    "Fishing 🎣|Knitting 🧶|Cooking|Tech|Startups|NBA|Soccer mom|Horses 🐴"
).split("|")
FAMILY_F = "Mom of 2|Wife & mama|Grandma of 5|Twin mom|Boy mom|Mama bear|Proud aunt|Newlywed 💍|Mom of 3 👧👦👶".split("|")
FAMILY_M = "Proud dad|Husband. Father.|Girl dad|Dad of 3|Grandpa|Proud uncle|Dog dad 🐕|Family man".split("|")
QUOTES = (
    "Live, laugh, love|Be kind|Carpe diem|Stay humble|Just vibes ✨|Good vibes only|Blessed 🙏|"
    "Living my best life|Views are my own|Not here much|Here for the memes|Work hard, play hard|"
    "One day at a time|Dream big|Stay curious|Less is more|Coffee first|God first 🙏|No DMs please|"
    "Opinions my own|RT ≠ endorsement|She believed she could|Keep it simple"
).split("|")
SOCIAL_PLACES = "Earth 🌍|Worldwide|Everywhere|somewhere|the internet|Planet Earth|🌎|Home|in my head|Wonderland|Mars|she/her|🏳️‍🌈".split("|")
EMOJI = "✨ 🌸 💙 🌿 🌙 ☀️ 🔥 💫 🦋 🌻 ⚡ 🎶 💜 🤍 🌊".split()
CREDENTIALS = ", MBA|, PhD| MBA| PhD| CPA|, PMP| MD|, RN| CFA|, SHRM-CP| P.Eng".split("|")
SOCIAL_SUFFIX = " | Photographer| Photography| Fitness| Art| Realtor| Makeup| Music| Official| Coaching| Designs".split("|")
PLACEHOLDER_NAMES = "Guest|Customer|N/A|Unknown|test|.|x|Valued Customer|no name|TEST TEST|Walk In".split("|")
PLACEHOLDER_EMAILS = ("noemail@noemail.com none@none.com na@na.com test@test.com no@email.com "
                      "noemail@gmail.com declined@{brand} store@{brand} nomail@nomail.com x@x.com").split()
PLACEHOLDER_PHONES = "0000000000 1111111111 1234567890 5555555555 9999999999 0 000-000-0000 +10000000000".split()
PLUS_TAGS = "shop newsletter news promo deals brand loyalty 2023 2024 spam store tickets".split()
DOMAIN_TYPOS = {"gmail.com": "gmial.com gmai.com gmail.co gmail.con gnail.com gmaill.com".split(),
                "hotmail.com": "hotmial.com hotmail.co hotmal.com".split(),
                "yahoo.com": "yaho.com yahooo.com yahoo.co".split(),
                "outlook.com": "outlok.com outllook.com".split(),
                "icloud.com": "iclod.com icloud.co".split()}
PLUS_PROVIDERS = {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "icloud.com", "outlook.de",
                  "outlook.fr", "outlook.es", "outlook.it", "hotmail.co.uk", "hotmail.fr", "hotmail.it"}

COMPANY_A = ("North Acme Blue Summit Pioneer Vertex Global United First Pacific Atlantic Prime Metro Silver "
             "Granite Harbor Evergreen Sterling Crescent Apex Liberty Beacon Cedar Quantum Redwood Orion "
             "Keystone Meridian Lakeside Horizon").split()
COMPANY_B = ("Logistics Health Bank Systems Partners Consulting Foods Energy Labs Insurance Realty Media "
             "Networks Capital Solutions Pharma Retail Motors Analytics Group Dynamics Works Education "
             "Hospitality Legal Construction Telecom Airlines Manufacturing Software").split()
BRAND_A = ("Blue Golden Northern Urban Little Happy Green Wild Silver Royal Red Bright Sunny Iron Coastal "
           "Maple Oak Cedar Pine Summit River Harbor Lucky Modern Pure Simple True Bold Atlas Nova Apex Zen "
           "Velvet Copper Crimson Evergreen Fox Stone Honey").split()
BRAND_B = ("Coffee Bakery Studio Labs Outfitters Kitchen Books Fitness Apparel Boutique Brewing Cafe Design "
           "Goods Supply Market Salon Yoga Records Games Travel Wellness Pets Garden Jewelry Cycles Motors "
           "Realty Dental Pizza Tacos Burgers Tea Wine Skincare Candles Florist Bikes Barbers").split()
MEDIA_A = "Times Post Herald Tribune Chronicle Gazette Daily Journal Observer Courier Sentinel".split()
MEDIA_TOPIC = "Tech Style Food Sports Business Travel Music Film Health Beauty Gaming Auto Parenting Money Design".split()
MEDIA_B = "Weekly Today Insider Digest Now Report Magazine Review Wire Hub".split()
BOT_BIOS = ("Follow back 💯|DM for promo 📩|Crypto signals 🚀🚀|Earn $500/day from home 💰|#followback #f4f|"
            "Giveaway every week 🎁|Best deals here 👇|NFT collector|100% real 💯|I follow back!|"
            "Promo & shoutouts|Link in bio 👇").split("|")
BRAND_BIOS = ("Official account of {b}.|Welcome to {b} ✨|{b} — since {y}.|Shop now 👇|"
              "Customer care: DM us Mon–Fri 9–5.|Tag us #{s} to be featured 📸|Family-owned since {y}.|"
              "Official {b} page. Need help? Contact support.").split("|")
MEDIA_BIOS = ("News, analysis and opinion from {b}.|Breaking news and more.|Subscribe for the latest 📰|"
              "Independent journalism since {y}.|Tips? DM us.|Stories that matter.").split("|")

# ===================================================================== settings
SOCIAL = ["twitter", "instagram", "facebook", "tiktok", "linkedin", "youtube"]
CRM = ["newsletter", "shop", "loyalty", "ticketing", "support"]
CHANNELS = SOCIAL + CRM
CH = {c: i for i, c in enumerate(CHANNELS)}
IS_SOCIAL = np.array([c in SOCIAL for c in CHANNELS])
PERSON, BRAND, MEDIA, BOT = 0, 1, 2, 3
KIND_NAMES = ["person", "brand", "media", "bot"]
DATA_END = np.datetime64("2025-06-30T23:59:59", "s")
CH_LAUNCH = np.array(["2006-07-15", "2010-10-06", "2006-09-26", "2017-08-01", "2003-05-05", "2005-04-23",
                      "2012-01-01", "2014-03-01", "2016-06-01", "2015-01-01", "2013-01-01"], dtype="datetime64[s]")

# channel weights for choosing which channels an entity holds (order = CHANNELS)
W_CRM_LEANING = np.array([1.0, 3.0, 4.0, 1.0, 1.5, 1.0, 10.0, 9.0, 7.0, 3.0, 3.0])
W_SOCIAL_LEANING = np.array([5.0, 8.0, 5.0, 5.0, 2.5, 2.0, 3.0, 3.0, 2.0, 1.0, 1.0])
W_BRAND = np.array([3.0, 5.0, 5.0, 2.0, 2.0, 2.0, 0, 0.3, 0, 0, 0.2])
W_MEDIA = np.array([6.0, 4.0, 4.0, 2.0, 1.0, 4.0, 0, 0, 0, 0, 0])
W_BOT = np.array([5.0, 3.0, 1.0, 1.5, 0, 0.5, 0, 0, 0, 0, 0])
K_ORG = np.array([0.20, 0.25, 0.22, 0.16, 0.10, 0.07])

# field presence by channel (order = CHANNELS)
PRESENT = {
    "name":    np.array([.97, .85, .99, .80, 1.0, .90, .45, .97, .95, .97, .80]),
    "email":   np.array([.03, .05, .08, .02, .12, .04, 1.0, .98, .90, .96, .90]),
    "phone":   np.array([.01, .02, .03, .01, .02, .01, .08, .70, .85, .55, .45]),
    "city":    np.array([.45, .08, .45, .03, .85, .10, .12, .75, .55, .45, .15]),
    "bio":     np.array([.75, .65, .25, .55, .85, .35, 0, 0, 0, 0, 0]),
    "created": np.array([.99, .99, .99, .99, .99, .99, .97, .97, .97, .97, .97]),
    "kind":    np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, .90, .90, .90, .90, .90]),
}
# which of a person's mailboxes an account uses: P personal, O old, W work, H household, B business
EMAIL_SLOT_W = np.array([
    [1.0, .40, .15, 0, 0], [1.0, .30, .05, 0, .05], [1.0, .50, .05, .05, 0], [1.0, .20, 0, 0, 0],
    [.60, .20, .80, 0, 0], [1.0, .30, .05, 0, .05],
    [1.0, .35, .30, .30, .15], [1.0, .25, .10, .60, .40], [1.0, .20, .05, .70, .10],
    [1.0, .15, .45, .30, .60], [1.0, .30, .30, .30, .30]])
# phones: M mobile, O old mobile, H household landline, B business line
PHONE_SLOT_W = np.array([[1.0, .2, 0, 0]] * 6 + [[1.0, .2, .2, 0], [1.0, .2, .35, .3], [1.0, .2, .5, .05],
                                                  [1.0, .1, .2, .4], [1.0, .2, .3, .3]])
# display-name pattern weights: FULL, MID, MIDI, REV, COMMA, GIVEN, SINIT, GINIT, CONCAT
NAME_PAT_W = np.array([
    [.62, .01, .02, .01, 0, .22, .06, .02, .04],   # twitter
    [.55, .01, .01, .01, 0, .26, .08, .02, .06],   # instagram
    [.86, .03, .02, .01, 0, .04, .02, .02, 0],     # facebook
    [.50, 0, .01, .01, 0, .32, .08, .02, .06],     # tiktok
    [.82, .03, .08, .01, 0, 0, .02, .04, 0],       # linkedin
    [.60, .01, .01, .01, 0, .25, .06, .02, .04],   # youtube
    [.62, .01, .02, .01, .02, .30, 0, .02, 0],     # newsletter
    [.74, .03, .05, .01, .07, .03, .01, .06, 0],   # shop
    [.72, .03, .05, .01, .08, .04, .01, .06, 0],   # loyalty
    [.75, .03, .05, .01, .07, .02, .01, .06, 0],   # ticketing
    [.60, .01, .02, .01, .03, .30, .01, .02, 0]])  # support
NICK_RATE = np.array([.22, .22, .15, .25, .08, .20, .12, .06, .08, .05, .15])
TYPO_RATE = np.where(IS_SOCIAL, 0.015, 0.04)

BASE = dict(
    culture_mix={"anglo": .50, "hispanic": .12, "german": .06, "french": .05, "italian": .04, "polish": .03,
                 "russian": .03, "chinese": .04, "japanese": .02, "korean": .02, "arabic": .03, "indian": .04,
                 "vietnamese": .01, "west_african": .01},
    diaspora=0.45, share_bot=0.03, share_brand=0.012, share_media=0.006,
    k_probs=[.42, .24, .15, .10, .06, .03],
    hh_share=0.18, hh_sizes=[.55, .25, .15, .05], hh_family=0.80,
    hh_email_family=0.40, hh_email_room=0.05, hh_email_use=1.0,
    hh_phone_family=0.35, hh_phone_room=0.10, hh_phone_use=1.0,
    biz_rate=0.006, office_inbox=0.20,
    placeholder_email=0.012, placeholder_phone=0.010, placeholder_name=0.015,
    thin_account=0.10, field_scale=1.0, name_scale=1.0,
    native_scale=1.0, typo_scale=1.0, old_email=0.30, work_email=0.40, personal_email=0.93,
    unrelated_handle=0.22, moved=0.10, recycled_phone=0.003, married_scale=1.0,
    strip_accents_crm=0.45, strip_accents_social=0.25,
)
SCENARIOS = {
    "default": {},
    "families": dict(hh_share=0.55, hh_sizes=[.35, .30, .25, .10], hh_family=0.92, hh_email_family=0.75,
                     hh_email_room=0.10, hh_email_use=1.8, hh_phone_family=0.65, hh_phone_room=0.20, hh_phone_use=2.0,
                     married_scale=1.2),
    "global": dict(culture_mix={c: (0.12 if c == "anglo" else 0.88 / 13) for c in CULTURE_PARAMS},
                   diaspora=0.15, native_scale=1.8, strip_accents_crm=0.35, strip_accents_social=0.30),
    "thin": dict(thin_account=0.45, field_scale=0.45, name_scale=0.75, old_email=0.20, work_email=0.25),
}


# ===================================================================== helpers
_FOLD = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i"})
_UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _fold(s):
    s = s.translate(_FOLD)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _token(s):
    return "".join(ch for ch in _fold(s).lower() if ch.isalnum())


def _zipf(n, z):
    w = 1.0 / (np.arange(n) + 1.0) ** z
    return w / w.sum()


def _parse(entry):
    nicks, native = [], ""
    if ":" in entry:
        entry, nk = entry.split(":", 1)
        nicks = [x.replace("_", " ") for x in nk.split(",") if x]
    if "=" in entry:
        entry, native = entry.split("=", 1)
    alts = [a.replace("_", " ") for a in entry.split("|")]
    return alts, native.replace("_", " "), nicks


def _female_surname(s, cul):
    if cul == "polish":
        for a, b in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if s.endswith(a):
                return s[: -len(a)] + b
    if cul == "russian":
        for a, b in (("skiy", "skaya"), ("sky", "skaya"), ("ский", "ская")):
            if s.endswith(a):
                return s[: -len(a)] + b
        if s.endswith(("ov", "ev", "in", "yn", "ов", "ев", "ёв", "ин", "ын")):
            return s + ("а" if s[-1] in "вн" and not s[-1].isascii() else "a")
    return s


def _pad(lists, width, fill_first=True):
    out = np.empty((len(lists), width), dtype=object)
    for i, lst in enumerate(lists):
        lst = list(lst)[:width] or [""]
        out[i, :] = lst + [lst[0] if fill_first else ""] * (width - len(lst))
    return out


def _vfold(a):
    return np.vectorize(_fold, otypes=[object])(a)


def _vtok(a):
    return np.vectorize(_token, otypes=[object])(a)


def _cat(rng, w):
    """Per-row categorical draw from a non-negative weight matrix; -1 where a row is all zero."""
    cum = np.cumsum(w, axis=1)
    tot = cum[:, -1]
    u = rng.random(len(w)) * tot
    idx = np.minimum((cum <= u[:, None]).sum(1), w.shape[1] - 1)
    idx[tot <= 0] = -1
    return idx


def _num_str(rng, n, lo, hi):
    return pd.Series(rng.integers(lo, hi, n)).astype(str).to_numpy(dtype=object)


def _digits(rng, n, length):
    """Random digit strings of a fixed length (leading zeros allowed)."""
    out = np.zeros(n, dtype=object)
    out[:] = ""
    left = length
    while left > 0:
        k = min(left, 9)
        out = out + pd.Series(rng.integers(0, 10 ** k, n)).astype(str).str.zfill(k).to_numpy(dtype=object)
        left -= k
    return out


def _pick(rng, options, n, p=None):
    return np.asarray(options, dtype=object)[rng.choice(len(options), n, p=p)]


def _where(mask, a, b):
    return np.where(mask, a, b).astype(object)


def _to_mat(strings, extra=2):
    a = np.asarray(list(strings), dtype=str) if len(strings) else np.zeros(0, dtype="U1")
    w = max(a.dtype.itemsize // 4, 1) + extra
    a = a.astype(f"U{w}")
    m = a.view(np.uint32).reshape(len(a), w).copy()
    return m, (m != 0).sum(1)


def _from_mat(m):
    return np.ascontiguousarray(m).view(f"U{m.shape[1]}").ravel().astype(object)


_KEYS = "qwertyuiop asdfghjkl zxcvbnm".split()
_NB = np.zeros((128, 6), dtype=np.uint32)
_NBN = np.zeros(128, dtype=np.int64)
for _r, _row in enumerate(_KEYS):
    for _c, _ch in enumerate(_row):
        _nb = [_row[j] for j in (_c - 1, _c + 1) if 0 <= j < len(_row)]
        for _rr in (_r - 1, _r + 1):
            if 0 <= _rr < 3:
                _nb += [_KEYS[_rr][j] for j in (_c, _c + 1) if j < len(_KEYS[_rr])]
        _NB[ord(_ch), : len(_nb)] = [ord(x) for x in _nb]
        _NBN[ord(_ch)] = len(_nb)


def _typo(rng, strings):
    """One keyboard typo per string: deletion, doubled letter, transposition or adjacent-key hit."""
    if len(strings) == 0:
        return np.asarray(strings, dtype=object)
    m, L = _to_mat(strings)
    n, w = m.shape
    p = 1 + (rng.random(n) * np.maximum(L - 2, 1)).astype(np.int64)
    op = rng.integers(0, 4, n)
    j = np.broadcast_to(np.arange(w)[None, :], (n, w))
    P = p[:, None]
    src = np.where((op == 0)[:, None], j + (j >= P),
          np.where((op == 1)[:, None], j - (j > P),
          np.where((op == 2)[:, None], np.where(j == P, P + 1, np.where(j == P + 1, P, j)), j)))
    out = np.take_along_axis(m, np.clip(src, 0, w - 1), 1)
    rows = np.nonzero(op == 3)[0]
    c = out[rows, p[rows]].astype(np.int64)
    low = np.where((c >= 65) & (c <= 90), c + 32, c)
    ok = (low < 128) & (_NBN[np.minimum(low, 127)] > 0)
    k = rng.integers(0, 6, len(rows)) % np.maximum(_NBN[np.minimum(low, 127)], 1)
    rep = _NB[np.minimum(low, 127), k].astype(np.int64)
    rep = np.where((c >= 65) & (c <= 90), rep - 32, rep)
    out[rows, p[rows]] = np.where(ok, rep, c).astype(np.uint32)
    short = L < 4
    out[short] = m[short]
    return _from_mat(out)


def _insert_char(strings, pos, ch):
    m, L = _to_mat(strings, 2)
    n, w = m.shape
    j = np.broadcast_to(np.arange(w)[None, :], (n, w))
    P = np.minimum(pos, L)[:, None]
    out = np.take_along_axis(m, np.clip(j - (j > P), 0, w - 1), 1)
    out[np.arange(n), P[:, 0]] = ord(ch)
    return _from_mat(out)


# ===================================================================== tables
@functools.lru_cache(maxsize=1)
def _tables():
    T = {}
    # ---- given names (gender 0 m, 1 f, 2 middle-only m, 3 middle-only f)
    rows = []
    for ci, cul in enumerate(CULTURES):
        zg = CULTURE_PARAMS[cul]["zg"]
        for gen, key in ((0, cul), (1, cul + "_f"), (2, cul + "_mid"), (3, cul + "_mid_f")):
            if key in GIVEN:
                ents = [_parse(e) for e in GIVEN[key].split()]
                w = _zipf(len(ents), zg)
            elif cul in ("chinese", "korean") and gen < 2:
                syl = [_parse(e) for e in (ZH_SYL if cul == "chinese" else KO_SYL)[gen].split()]
                sw = _zipf(len(syl), zg)
                ents, w = [], []
                for i, (a, na, _) in enumerate(syl):
                    if cul == "chinese":
                        ents.append(([a[0]], na, []))
                        w.append(0.3 * sw[i])
                    for j, (b, nb, _) in enumerate(syl):
                        if cul == "korean" and i == j:
                            continue
                        A, B = a[0], b[0]
                        if cul == "chinese":
                            alts = [A + B.lower(), A + " " + B, A + "-" + B.lower()]
                        else:
                            alts = [A + B.lower(), A + "-" + B.lower(), A + " " + B, A + "-" + B]
                        ents.append((alts, na + nb, []))
                        w.append(0.7 * sw[i] * sw[j])
                w = np.asarray(w) / np.sum(w)
            else:
                continue
            for (alts, native, nicks), wi in zip(ents, w):
                if cul == "german":
                    extra = [a.translate(_UMLAUT) for a in alts if a.translate(_UMLAUT) != a]
                    alts = alts + [x for x in extra if x not in alts]
                rows.append((ci, gen, alts, native, nicks, wi))
    A, K = 6, 5
    G = dict(cul=np.array([r[0] for r in rows]), gen=np.array([r[1] for r in rows]),
             alt=_pad([r[2] for r in rows], A), nalt=np.array([min(len(r[2]), A) for r in rows]),
             native=np.array([r[3] for r in rows], dtype=object),
             nick=_pad([r[4] or [""] for r in rows], K), nnick=np.array([min(len(r[4]), K) for r in rows]),
             w=np.array([r[5] for r in rows]))
    G["alt_fold"], G["alt_tok"] = _vfold(G["alt"]), _vtok(G["alt"])
    G["nick_fold"], G["nick_tok"] = _vfold(G["nick"]), _vtok(G["nick"])
    G["groups"] = {}
    for key in set(zip(G["cul"].tolist(), G["gen"].tolist())):
        ids = np.nonzero((G["cul"] == key[0]) & (G["gen"] == key[1]))[0]
        G["groups"][key] = (ids, G["w"][ids] / G["w"][ids].sum())
    T["G"] = G

    # ---- surnames (with a synthetic long tail and female forms)
    rows = []
    for ci, cul in enumerate(CULTURES):
        prm = CULTURE_PARAMS[cul]
        ents = [_parse(e) for e in SURNAMES[cul].split()]
        w = _zipf(len(ents), prm["zs"]) * (1 - prm["tail"] if cul in SURNAME_TAIL else 1.0)
        for (alts, native, _), wi in zip(ents, w):
            rows.append((ci, alts, native, wi))
        if prm["tail"] > 0 and cul in SURNAME_TAIL:
            pre, suf, link = ([_parse(x)[:2] for x in part.split()] for part in SURNAME_TAIL[cul])
            tail = {}
            for (pa, pn) in pre:
                for (sa, sn) in suf:
                    for (la, ln) in [(["" ], "")] + link:
                        lat = pa[0] + la[0] + sa[0]
                        nat = pn + ln + sn if pn and sn and (ln or not la[0]) else ""
                        if lat.lower() not in {x.lower() for x in SURNAMES[cul].replace("|", " ").split()}:
                            tail.setdefault(lat, nat)
            names = list(tail)
            perm = np.random.default_rng(ci).permutation(len(names))
            tw = _zipf(len(names), 0.5)
            tw = tw / tw.sum() * prm["tail"]
            for t, wi in zip(np.asarray(names, dtype=object)[perm], tw):
                rows.append((ci, [t], tail[t], wi))
    S = dict(cul=np.array([r[0] for r in rows]), w=np.array([r[3] for r in rows]),
             alt=_pad([r[1] for r in rows], A), nalt=np.array([min(len(r[1]), A) for r in rows]),
             native=np.array([r[2] for r in rows], dtype=object))
    cul_names = np.array(CULTURES, dtype=object)[S["cul"]]
    S["alt_f"] = np.array([[_female_surname(x, c) for x in row] for row, c in zip(S["alt"], cul_names)], dtype=object)
    S["native_f"] = np.array([_female_surname(x, c) for x, c in zip(S["native"], cul_names)], dtype=object)
    for k in ("alt", "alt_f"):
        S[k + "_fold"], S[k + "_tok"] = _vfold(S[k]), _vtok(S[k])
    S["groups"] = {}
    for ci in range(len(CULTURES)):
        ids = np.nonzero(S["cul"] == ci)[0]
        S["groups"][ci] = (ids, S["w"][ids] / S["w"][ids].sum())
    T["S"] = S

    # ---- cities and countries
    rows = []
    for ki, code in enumerate(COUNTRY_CODES):
        ents = [_parse(e) for e in COUNTRIES[code]["cities"].split()]
        for (alts, native, _), wi in zip(ents, _zipf(len(ents), 1.0)):
            rows.append((ki, alts, native, wi))
    C = dict(country=np.array([r[0] for r in rows]), alt=_pad([r[1] for r in rows], A),
             nalt=np.array([min(len(r[1]), A) for r in rows]), native=np.array([r[2] for r in rows], dtype=object),
             w=np.array([r[3] for r in rows]))
    C["groups"] = {}
    for ki in range(len(COUNTRY_CODES)):
        ids = np.nonzero(C["country"] == ki)[0]
        C["groups"][ki] = (ids, C["w"][ids] / C["w"][ids].sum())
    T["C"] = C
    T["domains"] = {}
    for ki, code in enumerate(COUNTRY_CODES):
        d = [x.rsplit(":", 1) for x in COUNTRIES[code]["domains"].split()]
        names = np.array([a for a, _ in d], dtype=object)
        w = np.array([float(b) for _, b in d])
        legacy = np.array([a in LEGACY_DOMAINS for a in names])
        wl = w * np.where(legacy, 3.0, 0.4)
        T["domains"][ki] = (names, w / w.sum(), wl / wl.sum())
    T["flag"] = np.array([COUNTRIES[c]["flag"] for c in COUNTRY_CODES], dtype=object)
    return T


# ===================================================================== name patterns
def _num_mix(rng, yy, yyyy):
    n = len(yy)
    u = rng.random(n)
    r = _num_str(rng, n, 1, 1000)
    return _where(u < 0.40, yy, _where(u < 0.55, yyyy, r))


# name-based local-part / handle patterns; 13 and 16 are unrelated to the name
def _pattern(code, t):
    g, s, n, m, sep, num = t["g"], t["s"], t["n"], t["m"], t["sep"], t["num"]
    gi = t["gi"]
    base = g + sep + s
    f = {
        0: lambda: base, 1: lambda: g + s, 2: lambda: gi + s, 3: lambda: base + num, 4: lambda: g + s + num,
        5: lambda: n + num, 6: lambda: n + sep + s, 7: lambda: g + num, 8: lambda: s + sep + g,
        9: lambda: _where(m == "", base, g + sep + m + sep + s),
        10: lambda: _where(m == "", gi + s, gi + t["mi"] + s), 11: lambda: g + t["si"], 12: lambda: gi + sep + s,
        13: lambda: t["w1"] + sep + t["w2"] + num, 14: lambda: t["pre"] + g + s, 15: lambda: g + s + t["suf"],
        16: lambda: t["w1"] + t["w2"], 17: lambda: n + sep + t["w2"],
    }[code]
    return f()


EMAIL_PAT = np.array([.22, .14, .08, .08, .10, .07, .01, .06, .03, .02, .02, .03, .03, 0, 0, 0, 0, .01])
OLD_EMAIL_PAT = np.array([.08, .10, .05, .06, .14, .20, .01, .12, .02, 0, .01, .03, .02, 0, 0, 0, 0, .16])
HANDLE_PAT = np.array([.10, .16, .07, .06, .10, .08, .02, .08, .02, .01, .01, .04, .02, 0, .05, .04, 0, .04])
UNRELATED = np.array([13, 16])


def _compose(rng, t, weights, unrelated_p, seps, sep_p):
    n = len(t["g"])
    code = rng.choice(len(weights), n, p=weights / weights.sum())
    unrel = rng.random(n) < unrelated_p
    code[unrel] = rng.choice(UNRELATED, unrel.sum(), p=[.6, .4])
    t = dict(t)
    t["sep"] = _pick(rng, seps, n, sep_p)
    t["w1"] = _pick(rng, HANDLE_WORDS_A, n)
    t["w2"] = _pick(rng, HANDLE_WORDS_B, n)
    t["pre"] = _pick(rng, ["the", "real", "its", "im", "iam", "hey", "just", "x"], n)
    t["suf"] = _pick(rng, ["official", "tv", "art", "photo", "x", "xo", "fit", "music", "live", "_"], n)
    out = np.empty(n, dtype=object)
    for c in np.unique(code):
        msk = code == c
        sub = {k: v[msk] for k, v in t.items()}
        out[msk] = _pattern(int(c), sub)
    return out, np.isin(code, UNRELATED)


def _norm_email_key(local, domain):
    loc = pd.Series(local, dtype=object).str.lower().str.strip()
    dom = pd.Series(domain, dtype=object).str.lower().str.strip().replace({"googlemail.com": "gmail.com"})
    loc = loc.where(dom != "gmail.com", loc.str.replace(".", "", regex=False))
    return (loc + "@" + dom).to_numpy(dtype=object)


# ===================================================================== generator
class _Gen:
    def __init__(self, n_accounts, scenario, seed):
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose from {sorted(SCENARIOS)}")
        if int(n_accounts) < 1:
            raise ValueError("n_accounts must be >= 1")
        self.n = int(n_accounts)
        self.scenario = scenario
        self.seed = seed
        self.P = {**BASE, **SCENARIOS[scenario]}
        self.rng = np.random.default_rng(seed)
        self.T = _tables()
        self.info = {}

    # ------------------------------------------------------------ entities
    def entities(self):
        rng, P, n = self.rng, self.P, self.n
        kp = np.asarray(P["k_probs"], float)
        kp /= kp.sum()
        means = np.array([(np.arange(1, 7) * kp).sum(), (np.arange(1, 7) * K_ORG).sum(),
                          (np.arange(1, 7) * K_ORG).sum(), 1.0])
        shares = np.array([1 - P["share_brand"] - P["share_media"] - P["share_bot"], P["share_brand"],
                           P["share_media"], P["share_bot"]])
        pe = shares / means
        pe /= pe.sum()
        per_ent = (pe * means).sum()
        M = int(n / per_ent * 1.15) + 20
        while True:
            kind = rng.choice(4, M, p=pe)
            k = np.ones(M, dtype=np.int64)
            mp = kind == PERSON
            k[mp] = rng.choice(np.arange(1, 7), mp.sum(), p=kp)
            mo = (kind == BRAND) | (kind == MEDIA)
            k[mo] = rng.choice(np.arange(1, 7), mo.sum(), p=K_ORG)
            cum = np.cumsum(k)
            if cum[-1] >= n:
                break
            M *= 2
        last = int(np.searchsorted(cum, n))
        kind, k = kind[: last + 1], k[: last + 1].copy()
        k[-1] -= cum[last] - n
        self.kind, self.k, self.E = kind, k, len(kind)

    # ------------------------------------------------------------ demographics
    def demographics(self):
        rng, P, E = self.rng, self.P, self.E
        mix = np.array([P["culture_mix"].get(c, 0.0) for c in CULTURES])
        self.cul = rng.choice(len(CULTURES), E, p=mix / mix.sum())
        self.gender = (rng.random(E) < 0.5).astype(np.int64)
        age = np.clip(rng.normal(38, 14, E), 16, 88)
        self.birth = (2025 - age).astype(np.int64)
        self.country = np.zeros(E, dtype=np.int64)
        us, uk = COUNTRY_CODES.index("US"), COUNTRY_CODES.index("UK")
        for ci, cul in enumerate(CULTURES):
            m = self.cul == ci
            cs = CULTURE_PARAMS[cul]["countries"]
            idx = np.array([COUNTRY_CODES.index(c) for c in cs])
            self.country[m] = idx[rng.choice(len(idx), m.sum(), p=np.array(list(cs.values())))]
        self.home_country = self.country.copy()
        dia = (self.cul != CULTURES.index("anglo")) & (rng.random(E) < P["diaspora"])
        self.country[dia] = np.where(rng.random(dia.sum()) < 0.75, us, uk)
        self.diaspora = dia
        self.households()
        # cities
        C = self.T["C"]
        self.city = np.zeros(E, dtype=np.int64)
        self.old_city = np.full(E, -1, dtype=np.int64)
        for ki in range(len(COUNTRY_CODES)):
            m = self.country == ki
            if m.any():
                ids, p = C["groups"][ki]
                self.city[m] = rng.choice(ids, m.sum(), p=p)
                mv = m & (rng.random(E) < P["moved"])
                self.old_city[mv] = rng.choice(ids, mv.sum(), p=p)
        self.old_city[self.old_city == self.city] = -1
        self.move_time = self._year_time(rng.integers(2012, 2025, E))
        hm = self.hh >= 0
        self.city[hm] = self.city[self.hh_head[self.hh[hm]]]

    def households(self):
        rng, P = self.rng, self.P
        E = self.E
        self.hh = np.full(E, -1, dtype=np.int64)
        self.hh_role = np.full(E, -1, dtype=np.int64)
        pid = np.nonzero(self.kind == PERSON)[0]
        inh = pid[rng.random(len(pid)) < P["hh_share"]]
        inh = inh[rng.permutation(len(inh))]
        if len(inh) < 2:
            self.hh_head = np.zeros(0, dtype=np.int64)
            self.hh_family = np.zeros(0, dtype=bool)
            return
        sizes = rng.choice([2, 3, 4, 5], len(inh) // 2 + 1, p=P["hh_sizes"])
        grp = np.repeat(np.arange(len(sizes)), sizes)[: len(inh)]
        cnt = np.bincount(grp, minlength=len(sizes))
        keep = cnt[grp] >= 2
        inh, grp = inh[keep], grp[keep]
        _, grp = np.unique(grp, return_inverse=True)
        G = grp.max() + 1
        start = np.searchsorted(grp, np.arange(G))
        role = np.arange(len(grp)) - start[grp]
        size = np.bincount(grp)
        self.hh[inh] = grp
        self.hh_role[inh] = role
        head = inh[start]
        self.hh_head = head
        fam = rng.random(G) < P["hh_family"]
        self.hh_family = fam
        self.hh_size = size
        # everyone in a household lives in the head's country
        self.country[inh] = self.country[head[grp]]
        f = fam[grp]
        mem = inh[f]
        g = grp[f]
        r = role[f]
        h = head[g]
        self.cul[mem] = self.cul[h]
        self.home_country[mem] = self.home_country[h]
        self.diaspora[mem] = self.diaspora[h]
        # family: head is a man; spouse usually a woman; children younger
        self.gender[h] = 0
        sp = mem[r == 1]
        self.gender[sp] = (rng.random(len(sp)) < 0.92).astype(np.int64)
        big = size[grp[f]] >= 3
        self.birth[h[big]] = np.minimum(self.birth[h[big]], 1988)
        self.birth[sp] = np.minimum(self.birth[head[grp[f][r == 1]]] + np.round(rng.normal(0, 3, len(sp))).astype(int), 2003)
        kid = r >= 2
        self.birth[mem[kid]] = np.minimum(self.birth[h[kid]] + rng.integers(20, 37, kid.sum()), 2010)
        rm = inh[~f]
        self.birth[rm] = np.minimum(self.birth[head[grp[~f]]] + rng.integers(-4, 5, len(rm)), 2007)

    def _year_time(self, years):
        y = np.asarray(years, dtype=np.int64)
        t = (y - 1970).astype("datetime64[Y]").astype("datetime64[s]")
        return t + (self.rng.random(len(y)) * 365 * 86400).astype("timedelta64[s]")

    # ------------------------------------------------------------ names
    def names(self):
        rng, P, T, E = self.rng, self.P, self.T, self.E
        G, S = T["G"], T["S"]
        self.gid = np.zeros(E, dtype=np.int64)
        self.mid = np.full(E, -1, dtype=np.int64)
        self.sid = np.zeros(E, dtype=np.int64)
        self.sid2 = np.full(E, -1, dtype=np.int64)
        self.wid = np.full(E, -1, dtype=np.int64)
        anglo = CULTURES.index("anglo")
        for ci, cul in enumerate(CULTURES):
            prm = CULTURE_PARAMS[cul]
            for g in (0, 1):
                m = (self.cul == ci) & (self.gender == g)
                if not m.any():
                    continue
                ids, p = G["groups"][(ci, g)]
                self.gid[m] = rng.choice(ids, m.sum(), p=p)
                hm = m & (rng.random(E) < prm["middle"])
                key = (ci, g + 2) if (ci, g + 2) in G["groups"] else (ci, g)
                ids, p = G["groups"][key]
                self.mid[hm] = rng.choice(ids, hm.sum(), p=p)
                wm = m & (rng.random(E) < prm["western"])
                ids, p = G["groups"][(anglo, g)]
                self.wid[wm] = rng.choice(ids, wm.sum(), p=p)
            m = self.cul == ci
            ids, p = S["groups"][ci]
            self.sid[m] = rng.choice(ids, m.sum(), p=p)
            if cul == "hispanic":
                self.sid2[m] = rng.choice(ids, m.sum(), p=p)
        self.mid[self.mid == self.gid] = -1
        # family households share the head's surname; the spouse may take it on marriage
        self.mar_sid = np.full(E, -1, dtype=np.int64)
        self.mar_time = np.full(E, DATA_END + np.timedelta64(1, "D"))
        age = 2025 - self.birth
        married_rate = np.array([CULTURE_PARAMS[c]["married"] for c in CULTURES])[self.cul] * P["married_scale"]
        inhh = self.hh >= 0
        if inhh.any():
            fam = inhh & self.hh_family[np.maximum(self.hh, 0)]
            head = self.hh_head[np.maximum(self.hh, 0)]
            kid = fam & (self.hh_role >= 2)
            sp = fam & (self.hh_role == 1)
            spouse_of_hh = np.full(len(self.hh_head), -1)
            spouse_of_hh[self.hh[sp]] = np.nonzero(sp)[0]
            hisp = CULTURES.index("hispanic")
            sp_here = spouse_of_hh[np.maximum(self.hh, 0)]
            kh = kid & (self.cul == hisp) & (sp_here >= 0)
            self.sid2[kh] = self.sid[sp_here[kh]]
            self.sid[kid] = self.sid[head[kid]]
            take = sp & (self.gender == 1) & (rng.random(E) < married_rate)
            self.mar_sid[take] = self.sid[head[take]]
            ms = take
        else:
            ms = np.zeros(E, dtype=bool)
        other = (self.kind == PERSON) & ~inhh & (self.gender == 1) & (age >= 24)
        pm = married_rate * np.where(age > 30, 0.55, 0.30)
        om = other & (rng.random(E) < pm)
        for ci in range(len(CULTURES)):
            m = om & (self.cul == ci)
            if m.any():
                ids, p = S["groups"][ci]
                self.mar_sid[m] = rng.choice(ids, m.sum(), p=p)
        self.mar_sid[self.mar_sid == self.sid] = -1
        mm = self.mar_sid >= 0
        my = np.minimum(self.birth + rng.integers(21, 39, E), 2025)
        self.mar_time[mm] = self._year_time(my[mm])
        # preferred romanisation (no canonical spelling for Cyrillic, Arabic, Hangul, Han, Kana)
        free = np.isin(self.cul, [CULTURES.index(c) for c in ("russian", "arabic", "korean", "chinese", "japanese")])
        pfree = np.where(free, 0.5, 0.1)
        self.pa_g = np.where(rng.random(E) < pfree, (rng.random(E) * G["nalt"][self.gid]).astype(int), 0)
        self.pa_s = np.where(rng.random(E) < pfree, (rng.random(E) * S["nalt"][self.sid]).astype(int), 0)
        nn = G["nnick"][self.gid]
        self.pn = np.where(nn > 0, (rng.random(E) * np.maximum(nn, 1)).astype(int), -1)
        self.goes_by_nick = (nn > 0) & (rng.random(E) < 0.35)
        # tokens used to build emails and handles
        fem = self.gender == 1
        gtok = G["alt_tok"][self.gid, self.pa_g]
        wtok = G["alt_tok"][np.maximum(self.wid, 0), 0]
        self.tok_g = _where((self.wid >= 0) & (rng.random(E) < 0.5), wtok, gtok)
        self.tok_n = _where(self.pn >= 0, G["nick_tok"][self.gid, np.maximum(self.pn, 0)], self.tok_g)
        self.tok_n = _where(self.tok_n == "", self.tok_g, self.tok_n)
        self.tok_m = _where(self.mid >= 0, G["alt_tok"][np.maximum(self.mid, 0), 0], "")
        self.tok_s_maiden = _where(fem, S["alt_f_tok"][self.sid, self.pa_s], S["alt_tok"][self.sid, self.pa_s])
        ms_ = np.maximum(self.mar_sid, 0)
        self.tok_s_married = _where(self.mar_sid >= 0, _where(fem, S["alt_f_tok"][ms_, 0], S["alt_tok"][ms_, 0]),
                                    self.tok_s_maiden)
        self.yy = pd.Series(self.birth % 100).astype(str).str.zfill(2).to_numpy(dtype=object)
        self.yyyy = pd.Series(self.birth).astype(str).to_numpy(dtype=object)
        self.info["married_name_changes"] = int(mm.sum())
        self.info["household_spouses_taking_name"] = int(ms.sum())

    def _tok(self, idx, surname):
        rng = self.rng
        n = len(idx)
        g = self.tok_g[idx]
        s = surname
        return dict(g=g, s=s, n=self.tok_n[idx], m=self.tok_m[idx],
                    gi=pd.Series(g, dtype=object).str[:1].to_numpy(dtype=object),
                    si=pd.Series(s, dtype=object).str[:1].to_numpy(dtype=object),
                    mi=pd.Series(self.tok_m[idx], dtype=object).str[:1].to_numpy(dtype=object),
                    num=_num_mix(rng, self.yy[idx], self.yyyy[idx]))

    # ------------------------------------------------------------ channels / accounts
    def accounts(self):
        rng, E = self.rng, self.E
        age = 2025 - self.birth
        W = np.zeros((E, len(CHANNELS)))
        crm = rng.random(E) < 0.4
        W[:] = np.where(crm[:, None], W_CRM_LEANING, W_SOCIAL_LEANING)
        W[:, CH["tiktok"]] *= np.where(age < 30, 2.0, np.where(age < 45, 1.0, 0.3))
        W[:, CH["facebook"]] *= np.where(age > 35, 1.5, 0.8)
        W[:, CH["linkedin"]] *= np.where((age >= 22) & (age <= 65), 1.0, 0.15)
        W[:, CH["newsletter"]] *= np.where(age > 35, 1.3, 1.0)
        W[self.kind == BRAND] = W_BRAND
        W[self.kind == MEDIA] = W_MEDIA
        W[self.kind == BOT] = W_BOT
        keys = np.where(W > 0, np.log(np.maximum(W, 1e-300)), -np.inf) + rng.gumbel(size=W.shape)
        order = np.argsort(-keys, axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(W.shape[1])[None, :].repeat(E, 0), axis=1)
        npos = (W > 0).sum(1)
        self.k = np.minimum(self.k, npos)
        sel = rank < self.k[:, None]
        e, ch = np.nonzero(sel)
        assert len(e) == self.n, (len(e), self.n)
        self.ae, self.ach = e, ch
        self.N = len(e)
        soc = IS_SOCIAL[ch]
        self.asoc = soc
        earliest = np.maximum(CH_LAUNCH[ch], self._year_time(self.birth[e] + 13))
        kind = self.kind[e]
        earliest = np.where(kind == BOT, np.maximum(earliest, DATA_END - np.timedelta64(3 * 365, "D")), earliest)
        earliest = np.where((kind == BRAND) | (kind == MEDIA), CH_LAUNCH[ch], earliest)
        earliest = np.minimum(earliest, DATA_END - np.timedelta64(30, "D"))
        span = (DATA_END - earliest).astype(np.int64)
        self.atime = earliest + (span * rng.random(self.N) ** 0.75).astype("timedelta64[s]")
        self.thin = rng.random(self.N) < self.P["thin_account"]

    # ------------------------------------------------------------ emails
    def emails(self):
        rng, P, T, E = self.rng, self.P, self.T, self.E
        person = self.kind == PERSON
        age = 2025 - self.birth
        ecountry = np.where(self.diaspora & (rng.random(E) < 0.25), self.home_country, self.country)
        self.ecountry = ecountry
        rows_owner, rows_slot, rows_local, rows_dom = [], [], [], []

        def domains(idx, legacy):
            out = np.empty(len(idx), dtype=object)
            for ki in np.unique(ecountry[idx]):
                m = ecountry[idx] == ki
                names, p, pl = T["domains"][ki]
                out[m] = names[rng.choice(len(names), m.sum(), p=pl if legacy else p)]
            return out

        # personal
        hasP = person & (rng.random(E) < np.where(age < 16, 0.6, P["personal_email"]))
        idx = np.nonzero(hasP)[0]
        sur = _where(rng.random(len(idx)) < 0.5, self.tok_s_maiden[idx], self.tok_s_married[idx])
        local, _ = _compose(rng, self._tok(idx, sur), EMAIL_PAT, 0.10, [".", "_", "-"], [.78, .17, .05])
        dom = domains(idx, False)
        qq = (dom == "qq.com") & (rng.random(len(idx)) < 0.7)
        local[qq] = _num_str(rng, qq.sum(), 10 ** 5, 10 ** 10)
        rows_owner.append(idx); rows_slot.append(np.zeros(len(idx), int)); rows_local.append(local); rows_dom.append(dom)
        # old / secondary personal
        hasO = person & (rng.random(E) < P["old_email"] * np.where(age > 28, 1.3, 0.6))
        idx = np.nonzero(hasO)[0]
        local, _ = _compose(rng, self._tok(idx, self.tok_s_maiden[idx]), OLD_EMAIL_PAT, 0.25,
                            [".", "_", ""], [.5, .3, .2])
        dom = domains(idx, True)
        rows_owner.append(idx); rows_slot.append(np.ones(len(idx), int)); rows_local.append(local); rows_dom.append(dom)
        # work
        nP = int(person.sum())
        ncomp = max(30, nP // 30)
        cw = _zipf(ncomp, 1.1)
        hasW = person & (age >= 22) & (age <= 66) & (rng.random(E) < P["work_email"])
        idx = np.nonzero(hasW)[0]
        comp = rng.choice(ncomp, len(idx), p=cw)
        self.company = np.full(E, -1, dtype=np.int64)
        self.company[idx] = comp
        ca = np.asarray(COMPANY_A, dtype=object)
        cb = np.asarray(COMPANY_B, dtype=object)
        cidx = np.arange(ncomp)
        cperm = np.random.default_rng(self.seed + 7).permutation(len(ca) * len(cb))
        cc = cperm[cidx % len(cperm)]
        self.comp_name = ca[cc % len(ca)] + " " + cb[cc // len(ca)]
        rep = cidx // len(cperm)
        self.comp_name = _where(rep > 0, self.comp_name + " " + pd.Series(rep + 1).astype(str).to_numpy(dtype=object),
                                self.comp_name)
        slug_a = pd.Series(ca[cc % len(ca)]).str.lower().to_numpy(dtype=object)
        slug_b = pd.Series(cb[cc // len(ca)]).str.lower().to_numpy(dtype=object)
        dstyle = np.random.default_rng(self.seed + 8).integers(0, 4, ncomp)
        suffix = _where(rep > 0, pd.Series(rep + 1).astype(str).to_numpy(dtype=object), "")
        self.comp_domain = _where(dstyle == 0, slug_a + slug_b, _where(dstyle == 1, slug_a + "-" + slug_b,
                           _where(dstyle == 2, slug_a + slug_b[:] + "group", slug_a + "hq"))) + suffix
        self.comp_domain = self.comp_domain + _pick(np.random.default_rng(self.seed + 9), [".com", ".com", ".com", ".io", ".net", ".co"], ncomp)
        cfmt = np.random.default_rng(self.seed + 10).choice(8, ncomp, p=[.45, .2, .07, .05, .05, .03, .1, .05])
        t = self._tok(idx, self.tok_s_married[idx])
        f = cfmt[comp]
        g, s = t["g"], t["s"]
        local = _where(f == 0, g + "." + s, _where(f == 1, t["gi"] + s, _where(f == 2, g, _where(f == 3, g + t["si"],
                _where(f == 4, g + "_" + s, _where(f == 5, s + "." + g, _where(f == 6, t["gi"] + "." + s, g + s)))))))
        rows_owner.append(idx); rows_slot.append(np.full(len(idx), 2)); rows_local.append(local)
        rows_dom.append(self.comp_domain[comp])
        # household shared mailbox
        Hn = len(self.hh_head)
        shared = np.zeros(Hn, dtype=bool)
        if Hn:
            shared = rng.random(Hn) < np.where(self.hh_family, P["hh_email_family"], P["hh_email_room"])
        self.hh_email_shared = shared
        hidx = np.nonzero(shared)[0]
        head = self.hh_head[hidx]
        spouse = np.full(Hn, -1)
        sp = (self.hh_role == 1)
        spouse[self.hh[sp]] = np.nonzero(sp)[0]
        sp_h = np.where(spouse[hidx] >= 0, spouse[hidx], head)
        st = self.tok_s_married[head]
        style = rng.integers(0, 5, len(hidx))
        jl = _where(style == 0, st + "family", _where(style == 1, "the" + st + "s",
             _where(style == 2, self.tok_g[head] + "and" + self.tok_g[sp_h],
             _where(style == 3, self.tok_g[head] + "." + self.tok_g[sp_h] + "." + st, st + _num_str(rng, len(hidx), 1, 999)))))
        jd = domains(head, False)
        rows_owner.append(-1 - hidx); rows_slot.append(np.full(len(hidx), 3)); rows_local.append(jl); rows_dom.append(jd)
        # small businesses and shared work inboxes
        self.biz = np.full(E, -1, dtype=np.int64)
        adults = np.nonzero(person & (age >= 20))[0]
        nb = int(round(nP * P["biz_rate"]))
        if nb > 0 and len(adults) > 10:
            bsz = rng.choice([2, 3, 4, 5], nb, p=[.4, .3, .2, .1])
            mem = rng.choice(adults, min(bsz.sum(), len(adults)), replace=False)
            bid = np.repeat(np.arange(nb), bsz)[: len(mem)]
            self.biz[mem] = bid
            owners = mem[np.searchsorted(bid, np.arange(bid.max() + 1))]
            nb = len(owners)
            bname = _pick(rng, BRAND_A, nb) + " " + _pick(rng, BRAND_B, nb)
            bslug = pd.Series(bname).str.lower().str.replace(" ", "", regex=False).to_numpy(dtype=object)
            gm = rng.random(nb) < 0.35
            bl = _where(gm, bslug, _pick(rng, ["info", "hello", "orders", "contact", "office", "admin", "shop"], nb))
            bd = _where(gm, "gmail.com", bslug + _pick(rng, [".com", ".co", ".net", ".shop"], nb))
            rows_owner.append(-1 - Hn - np.arange(nb)); rows_slot.append(np.full(nb, 4)); rows_local.append(bl); rows_dom.append(bd)
            self.city[mem] = self.city[owners[bid]]
            self.biz_owner = owners
        else:
            self.biz_owner = np.zeros(0, dtype=np.int64)
        nbiz = len(self.biz_owner)
        emp_cnt = np.bincount(self.company[self.company >= 0], minlength=ncomp)
        inbox = (emp_cnt >= 3) & (rng.random(ncomp) < P["office_inbox"])
        self.office = np.full(E, -1, dtype=np.int64)
        om = (self.company >= 0) & (self.biz < 0)
        # a shared inbox is used by one team, not the whole firm: about 6 people per company
        om[om] = inbox[self.company[om]] & (rng.random(om.sum()) < np.minimum(1.0, 6.0 / np.maximum(emp_cnt[self.company[om]], 1)))
        self.office[om] = self.company[om]
        ib = np.nonzero(inbox)[0]
        il = _pick(rng, ["events", "marketing", "office", "admin", "procurement", "sales", "team", "accounts"], len(ib))
        rows_owner.append(-1 - Hn - nbiz - ib); rows_slot.append(np.full(len(ib), 4)); rows_local.append(il)
        rows_dom.append(self.comp_domain[ib])
        # make mailboxes unique (two John Smiths cannot both own johnsmith@gmail.com)
        owner = np.concatenate(rows_owner)
        slot = np.concatenate(rows_slot)
        local = np.concatenate(rows_local).astype(object)
        dom = np.concatenate(rows_dom).astype(object)
        for _ in range(30):
            key = _norm_email_key(local, dom)
            dup = pd.Series(key).duplicated().to_numpy()
            if not dup.any():
                break
            local[dup] = local[dup] + _num_str(rng, dup.sum(), 1, 1000)
        addr = local + "@" + dom
        self.mail = {}
        for sl in range(3):
            m = slot == sl
            a = np.full(E, None, dtype=object)
            a[owner[m]] = addr[m]
            self.mail[sl] = a
        a = np.full(E, None, dtype=object)
        m = slot == 3
        hh_addr = np.full(Hn, None, dtype=object)
        hh_addr[-1 - owner[m]] = addr[m]
        # some households share the head's own personal mailbox instead of a joint one
        use_head = shared & (rng.random(Hn) < 0.55)
        if Hn:
            hp = self.mail[0][self.hh_head]
            hh_addr = _where(use_head & (hp != None), hp, hh_addr)  # noqa: E711
        inh = self.hh >= 0
        a[inh] = hh_addr[self.hh[inh]]
        self.mail[3] = a
        a = np.full(E, None, dtype=object)
        m = slot == 4
        bo = -1 - owner[m] - Hn
        biz_addr = np.full(nbiz, None, dtype=object)
        off_addr = np.full(ncomp, None, dtype=object)
        isb = bo < nbiz
        biz_addr[bo[isb]] = addr[m][isb]
        off_addr[bo[~isb] - nbiz] = addr[m][~isb]
        hb = self.biz >= 0
        a[hb] = biz_addr[self.biz[hb]]
        ho = self.office >= 0
        a[ho] = off_addr[self.office[ho]]
        self.mail[4] = a
        self.info.update(households=int(Hn), households_family=int(self.hh_family.sum()) if Hn else 0,
                         persons_in_households=int(inh.sum()), households_sharing_email=int(shared.sum()),
                         small_businesses=int(nbiz), shared_work_inboxes=int(len(ib)),
                         persons_with_work_email=int(hasW.sum()), persons_with_old_email=int(hasO.sum()))

    # ------------------------------------------------------------ phones
    def phones(self):
        rng, P, E = self.rng, self.P, self.E
        person = self.kind == PERSON
        age = 2025 - self.birth

        def numbers(country):
            out = np.empty(len(country), dtype=object)
            for ki in np.unique(country):
                m = country == ki
                spec = COUNTRIES[COUNTRY_CODES[ki]]
                p = _pick(rng, spec["pre"].split(), m.sum())
                d = _digits(rng, m.sum(), spec["nat"])
                out[m] = pd.Series(p + d, dtype=object).str.slice(0, spec["nat"]).to_numpy(dtype=object)
            return out

        self.ph = {}
        hasM = person & (rng.random(E) < np.where(age < 18, 0.75, 0.93))
        hasO = person & (rng.random(E) < 0.15)
        for sl, has in ((0, hasM), (1, hasO)):
            num = np.full(E, None, dtype=object)
            num[has] = numbers(self.country[has])
            self.ph[sl] = num
        Hn = len(self.hh_head)
        hshared = np.zeros(Hn, dtype=bool)
        if Hn:
            hshared = rng.random(Hn) < np.where(self.hh_family, P["hh_phone_family"], P["hh_phone_room"])
        hnum = np.full(Hn, None, dtype=object)
        hnum[hshared] = numbers(self.country[self.hh_head[hshared]])
        a = np.full(E, None, dtype=object)
        inh = self.hh >= 0
        a[inh] = hnum[self.hh[inh]]
        self.ph[2] = a
        nbiz = len(self.biz_owner)
        bnum = numbers(self.country[self.biz_owner]) if nbiz else np.zeros(0, dtype=object)
        ncomp = len(self.comp_domain)
        # an office switchboard number lives in the country of its first employee seen
        first_emp = np.full(ncomp, -1)
        emp = np.nonzero(self.office >= 0)[0]
        first_emp[self.office[emp][::-1]] = emp[::-1]
        onum = np.full(ncomp, None, dtype=object)
        ok = first_emp >= 0
        onum[ok] = numbers(self.country[first_emp[ok]])
        a = np.full(E, None, dtype=object)
        hb = self.biz >= 0
        a[hb] = bnum[self.biz[hb]]
        ho = self.office >= 0
        a[ho] = onum[self.office[ho]]
        self.ph[3] = a
        self.ph_country = self.country.copy()
        # uniqueness of numbers across owners (collisions are astronomically rare; fix anyway)
        mob = self.ph[0]
        has = mob != None  # noqa: E711
        key = pd.Series(self.country[has].astype(str)) + ":" + pd.Series(mob[has])
        dup = key.duplicated().to_numpy()
        if dup.any():
            ii = np.nonzero(has)[0][dup]
            mob[ii] = numbers(self.country[ii])
        # recycled numbers: my old number now belongs to somebody else in the data
        holders = np.nonzero(hasM)[0]
        rec = person & (rng.random(E) < P["recycled_phone"])
        if len(holders) > 1 and rec.any():
            other = rng.choice(holders, rec.sum())
            okr = other != np.nonzero(rec)[0]
            ri = np.nonzero(rec)[0][okr]
            self.ph[1][ri] = mob[other[okr]]
            self.ph_old_country = self.country.copy()
            self.ph_old_country[ri] = self.country[other[okr]]
            self.info["recycled_phone_numbers"] = int(len(ri))
        else:
            self.ph_old_country = self.country.copy()
            self.info["recycled_phone_numbers"] = 0
        self.info["households_sharing_phone"] = int(hshared.sum())

    # ------------------------------------------------------------ account-level fields
    def fields(self):
        rng, P, T = self.rng, self.P, self.T
        N, e, ch = self.N, self.ae, self.ach
        kind = self.kind[e]
        isp = kind == PERSON
        soc = self.asoc
        thin = self.thin
        fs = P["field_scale"]
        pres = {k: rng.random(N) < v[ch] for k, v in PRESENT.items()}
        scale_mask = lambda k: rng.random(N) < (fs if k not in ("created", "kind") else (0.5 + 0.5 * fs))
        for k in ("phone", "city", "bio", "created", "kind"):
            pres[k] &= scale_mask(k)
        pres["email"] &= (rng.random(N) < fs) | ~soc  # CRM accounts are keyed by email
        pres["name"] &= rng.random(N) < P["name_scale"]
        # thin accounts: only the key field of the channel survives
        thin_key_email = ~soc & (rng.random(N) < 0.8)
        for k in ("name", "phone", "city", "bio", "created", "kind"):
            pres[k] &= ~thin
        pres["email"] &= ~thin | thin_key_email
        pres["phone"] |= thin & ~soc & ~thin_key_email
        pres["name"] |= thin & soc & (rng.random(N) < 0.2)
        self.pres = pres
        out = {}
        out["name"] = self.org_bot_names(self.display_names())
        out["handle"] = self.handles()
        out["email"] = self.account_emails()
        out["phone"] = self.account_phones()
        out["city"] = self.account_cities()
        fol, fng = self.counts()
        out["followers"], out["following"] = fol, fng
        out["bio"] = self.bios(out["handle"], out["email"])
        out["created_at"] = pd.Series(np.datetime_as_string(self.atime, unit="s")).add("Z").to_numpy(dtype=object)
        k_lab = np.full(N, "person", dtype=object)
        u = rng.random(N)
        k_lab[kind == BRAND] = _where(u[kind == BRAND] < 0.85, "brand", "person")
        k_lab[kind == MEDIA] = _where(u[kind == MEDIA] < 0.85, "media", _where(u[kind == MEDIA] < 0.92, "brand", "person"))
        out["kind"] = k_lab
        for k, f in (("name", "name"), ("email", "email"), ("phone", "phone"), ("city", "city"), ("bio", "bio"),
                     ("created_at", "created"), ("kind", "kind")):
            out[k] = _where(pres[f], out[k], None)
        # handles: social accounts always have one unless Facebook/LinkedIn hide it
        out["followers"] = np.where(soc & ~thin, out["followers"], np.nan)
        out["following"] = np.where(soc & ~thin, out["following"], np.nan)
        self.out = out

    # ---- display names
    def display_names(self):
        rng, P, T = self.rng, self.P, self.T
        G, S = T["G"], T["S"]
        N, e, ch = self.N, self.ae, self.ach
        soc = self.asoc
        cul = self.cul[e]
        fem = self.gender[e] == 1
        gid = self.gid[e]
        cname = np.array(CULTURES, dtype=object)[cul]
        strip_p = np.where(soc, P["strip_accents_social"], P["strip_accents_crm"])
        strip = rng.random(N) < strip_p
        # given name token: preferred spelling, sometimes another romanisation, nickname or Western name
        nalt = G["nalt"][gid]
        ag = np.where(rng.random(N) < 0.8, self.pa_g[e], (rng.random(N) * nalt).astype(int))
        given = _where(strip, G["alt_fold"][gid, ag], G["alt"][gid, ag])
        nn = G["nnick"][gid]
        nick_p = NICK_RATE[ch] * np.where(self.goes_by_nick[e], 2.5, 0.6)
        use_nick = (nn > 0) & (rng.random(N) < nick_p)
        pn = np.where(rng.random(N) < 0.7, np.maximum(self.pn[e], 0), (rng.random(N) * np.maximum(nn, 1)).astype(int))
        nick = _where(strip, G["nick_fold"][gid, pn], G["nick"][gid, pn])
        given = _where(use_nick & (nick != ""), nick, given)
        wid = self.wid[e]
        use_w = (wid >= 0) & (rng.random(N) < np.where(soc, 0.6, 0.4))
        given = _where(use_w, G["alt"][np.maximum(wid, 0), 0], given)
        # surname at the time the account was created (maiden / married / double-barrelled)
        sid = self.sid[e]
        ms = self.mar_sid[e]
        married = ms >= 0
        after = self.atime >= self.mar_time[e]
        u = rng.random(N)
        use_mar = married & np.where(after, u < 0.80, u < 0.40)
        hyph = married & after & (u >= 0.80) & (u < 0.88)
        ns = S["nalt"][sid]
        as_ = np.where(rng.random(N) < 0.8, self.pa_s[e], (rng.random(N) * ns).astype(int))
        def sur(ids, a):
            plain = _where(fem, S["alt_f"][ids, a], S["alt"][ids, a])
            fold = _where(fem, S["alt_f_fold"][ids, a], S["alt_fold"][ids, a])
            return _where(strip, fold, plain)

        maiden = sur(sid, as_)
        msx = np.maximum(ms, 0)
        mar = sur(msx, np.zeros(N, dtype=int))
        surname = _where(use_mar, mar, maiden)
        surname = _where(hyph, maiden + "-" + mar, surname)
        sid2 = self.sid2[e]
        show2 = (sid2 >= 0) & (rng.random(N) < np.where(soc, 0.15, 0.45))
        s2 = sur(np.maximum(sid2, 0), np.zeros(N, dtype=int))
        surname = _where(show2, surname + " " + s2, surname)
        mid = self.mid[e]
        middle = _where(mid >= 0, _where(strip, G["alt_fold"][np.maximum(mid, 0), 0], G["alt"][np.maximum(mid, 0), 0]), "")
        # pattern
        pat = _cat(rng, NAME_PAT_W[ch])
        nomid = middle == ""
        vi = cul == CULTURES.index("vietnamese")
        ru = cul == CULTURES.index("russian")
        pat = np.where(nomid & ((pat == 1) | (pat == 2)), 0, pat)
        pat = np.where(vi & (pat == 0) & ~nomid & (rng.random(N) < 0.6), 1, pat)
        ffp = np.array([CULTURE_PARAMS[c]["ff"] for c in CULTURES])[cul]
        pat = np.where(((pat == 0) | (pat == 1)) & (rng.random(N) < ffp) & ~use_w, 3, pat)
        pat = np.where(ru & ~soc & (pat == 1), 3, pat)
        gi = pd.Series(given, dtype=object).str[:1].to_numpy(dtype=object)
        si = pd.Series(surname, dtype=object).str[:1].to_numpy(dtype=object)
        mi = pd.Series(middle, dtype=object).str[:1].to_numpy(dtype=object)
        gs = given + " " + surname
        name = np.empty(N, dtype=object)
        fn = {0: lambda m: gs[m], 1: lambda m: given[m] + " " + middle[m] + " " + surname[m],
              2: lambda m: given[m] + " " + mi[m] + ". " + surname[m],
              3: lambda m: _where(middle[m] != "", surname[m] + " " + middle[m] + " " + given[m], surname[m] + " " + given[m]),
              4: lambda m: surname[m] + ", " + given[m], 5: lambda m: given[m], 6: lambda m: given[m] + " " + si[m] + ".",
              7: lambda m: gi[m] + ". " + surname[m], 8: lambda m: given[m] + surname[m]}
        # Russian formal order keeps the patronymic after the given name: Ivanov Aleksandr Sergeevich
        for c, f in fn.items():
            m = pat == c
            if m.any():
                name[m] = f(m)
        rf = ru & (pat == 3) & ~nomid
        name[rf] = surname[rf] + " " + given[rf] + " " + middle[rf]
        # typos (not in native script)
        ty = rng.random(N) < TYPO_RATE[ch] * P["typo_scale"]
        name[ty] = _typo(rng, name[ty])
        # letter case
        u = rng.random(N)
        up = np.where(soc, u < 0.02, u < 0.07)
        low = np.where(soc, (u >= 0.02) & (u < 0.10), (u >= 0.07) & (u < 0.13))
        name = _where(up, pd.Series(name, dtype=object).str.upper().to_numpy(dtype=object), name)
        name = _where(low, pd.Series(name, dtype=object).str.lower().to_numpy(dtype=object), name)
        # titles, credentials, pronouns, emoji and job suffixes
        crm_formal = np.isin(ch, [CH["shop"], CH["loyalty"], CH["ticketing"]])
        title = _where(fem, _where(married, "Mrs", _pick(rng, ["Ms", "Miss", "Ms."], N)), _pick(rng, ["Mr", "Mr."], N))
        title = _where(rng.random(N) < 0.08, "Dr", title)
        addt = (crm_formal & (rng.random(N) < 0.05)) | ((ch == CH["linkedin"]) & (rng.random(N) < 0.015))
        addt &= pat != 5
        name = _where(addt, _where(ch == CH["linkedin"], "Dr. ", title + " ") + name, name)
        li = ch == CH["linkedin"]
        cred = li & (rng.random(N) < 0.07)
        name = _where(cred, name + _pick(rng, CREDENTIALS, N), name)
        pron = soc & (rng.random(N) < 0.03) & (2025 - self.birth[e] < 40)
        name = _where(pron, name + _where(fem, " (she/her)", " (he/him)"), name)
        emo_rate = np.select([np.isin(ch, [CH["instagram"], CH["tiktok"]]), ch == CH["twitter"], ch == CH["youtube"],
                              ch == CH["facebook"]], [0.09, 0.07, 0.05, 0.02], 0.0)
        emo = rng.random(N) < emo_rate
        flag = T["flag"][self.home_country[e]]
        emj = _where(rng.random(N) < 0.25, flag, _pick(rng, EMOJI, N))
        pre = rng.random(N) < 0.3
        name = _where(emo & pre, emj + " " + name, _where(emo, name + " " + emj, name))
        job = soc & ~li & (rng.random(N) < 0.02)
        name = _where(job, name + _pick(rng, SOCIAL_SUFFIX, N), name)
        # native script
        nat_rate = np.array([CULTURE_PARAMS[c]["native"] for c in CULTURES])[cul] * P["native_scale"]
        nat_rate = nat_rate * np.where(self.diaspora[e], 0.4, 1.0) * np.where(soc & ~li, 1.0, 0.5)
        has_native = (G["native"][gid] != "") & (S["native"][sid] != "")
        nat = has_native & (rng.random(N) < np.minimum(nat_rate, 0.95))
        ng = G["native"][gid]
        nsx = _where(use_mar & (S["native"][msx] != ""), S["native_f"][msx], S["native_f"][sid])
        nsx = _where(fem, nsx, _where(use_mar & (S["native"][msx] != ""), S["native"][msx], S["native"][sid]))
        sep = np.array([NATIVE_SEP.get(c, " ") for c in CULTURES], dtype=object)[cul]
        jp = cul == CULTURES.index("japanese")
        sep = _where(jp & (rng.random(N) < 0.5), "", sep)
        fam_first = np.isin(cul, [CULTURES.index(c) for c in ("chinese", "japanese", "korean")])
        fam_first |= ru & ~soc & (rng.random(N) < 0.3)
        nname = _where(fam_first, nsx + sep + ng, ng + sep + nsx)
        both = nat & soc & (rng.random(N) < 0.12)
        name = _where(nat, _where(both, nname + " (" + gs + ")", nname), name)
        # placeholders typed at the till
        ph = ~soc & (rng.random(N) < P["placeholder_name"])
        name = _where(ph, _pick(rng, PLACEHOLDER_NAMES, N), name)
        self.name_info = dict(
            nickname_accounts=int((use_nick & (self.kind[e] == PERSON)).sum()),
            western_name_accounts=int(use_w.sum()), native_script_accounts=int(nat.sum()),
            typo_accounts=int(ty.sum()), accent_stripped_accounts=int((strip & (given != G["alt"][gid, ag])).sum()),
            maiden_name_after_marriage_accounts=int((married & after & ~use_mar & ~hyph).sum()),
            married_name_accounts=int(use_mar.sum()), double_barrelled_accounts=int(hyph.sum()),
            placeholder_name_accounts=int(ph.sum()), title_accounts=int(addt.sum()),
            family_first_or_reversed_accounts=int(np.isin(pat, [3, 4]).sum()))
        self.a_given, self.a_surname = given, surname
        return name

    # ---- handles
    def handles(self):
        rng, P = self.rng, self.P
        N, e, ch, E = self.N, self.ae, self.ach, self.E
        soc = self.asoc
        age = 2025 - self.birth
        # person-level favourite handle
        idx = np.arange(E)
        up = P["unrelated_handle"] + np.where(age < 25, 0.15, 0.0)
        base, base_unrel = _compose(rng, self._tok(idx, self.tok_s_married), HANDLE_PAT, up, ["", "_", "."], [.5, .35, .15])
        # account-level choice
        reuse_p = np.select([ch == CH["instagram"], ch == CH["twitter"], ch == CH["tiktok"], ch == CH["youtube"],
                             ch == CH["facebook"], ch == CH["linkedin"]], [.55, .50, .45, .40, .35, .15], 0.2)
        u = rng.random(N)
        fresh, fresh_unrel = _compose(rng, self._tok(e, self.tok_s_married[e]), HANDLE_PAT,
                                      np.where(ch == CH["tiktok"], 0.30, 0.15), ["", "_", "."], [.5, .35, .15])
        var = base[e] + _pick(rng, ["_", "__", ".", "1", "2", "_x", "x", "official", "_official", "tv", "_"], N)
        var = _where(rng.random(N) < 0.3, _pick(rng, ["the", "real", "its", "_", "im"], N) + base[e], var)
        var = _where(rng.random(N) < 0.3, base[e] + _num_str(rng, N, 1, 100), var)
        h = _where(u < reuse_p, base[e], _where(u < reuse_p + 0.15, var, fresh))
        unrel = _where(u < reuse_p + 0.15, base_unrel[e], fresh_unrel).astype(bool)
        # platform conventions
        li = ch == CH["linkedin"]
        g, s = self.tok_g[e], self.tok_s_married[e]
        slug = g + "-" + s + _where(rng.random(N) < 0.6, "-" + pd.Series(rng.integers(0, 16 ** 6, N)).map("{:x}".format).to_numpy(dtype=object), "")
        h = _where(li & (rng.random(N) < 0.6), slug, h)
        fb = ch == CH["facebook"]
        fbnum = fb & (rng.random(N) < 0.2)
        h = _where(fbnum, "100" + _digits(rng, N, 12), h)
        fbu = fb & ~fbnum & (rng.random(N) < 0.3)
        h = _where(fbu, g + "." + s + "." + _num_str(rng, N, 1, 10000), h)
        tt = (ch == CH["tiktok"]) & (rng.random(N) < 0.08)
        h = _where(tt, "user" + _digits(rng, N, 10), h)
        h = h.astype(object)
        # organisations and bots
        kind = self.kind[e]
        org = (kind == BRAND) | (kind == MEDIA)
        h = _where(org, self.org_handle(), h)
        bot = kind == BOT
        h = _where(bot, self.bot_handle(), h)
        # shop usernames
        shop = ch == CH["shop"]
        h = _where(shop, _where(rng.random(N) < 0.5, fresh, base[e]), h)
        # uniqueness within a platform (the platform enforces it)
        for _ in range(30):
            key = pd.Series(ch.astype(str)) + ":" + pd.Series(h, dtype=object).str.lower()
            dup = key.duplicated().to_numpy()
            if not dup.any():
                break
            h[dup] = h[dup] + _num_str(rng, dup.sum(), 1, 10000)
        # presentation: mixed case on Twitter/YouTube, a leading @ in some exports
        cam = np.isin(ch, [CH["twitter"], CH["youtube"]]) & (rng.random(N) < 0.25) & ~fbnum
        h = _where(cam, pd.Series(h, dtype=object).str.title().to_numpy(dtype=object), h)
        at = np.isin(ch, [CH["twitter"], CH["instagram"], CH["youtube"], CH["tiktok"]]) & (rng.random(N) < 0.05)
        h = _where(at, "@" + h, h)
        has_h = soc & ~(fb & (rng.random(N) < 0.2)) & ~(li & (rng.random(N) < 0.1))
        has_h |= shop & (rng.random(N) < 0.35)
        h = _where(has_h, h, None)
        isp = kind == PERSON
        self.handle_info = dict(
            unrelated_handle_accounts=int((unrel & has_h & isp & soc).sum()),
            reused_handle_accounts=int(((u < reuse_p) & has_h & isp & soc).sum()))
        self.h_raw = h
        return h

    def org_names(self):
        """Names and slugs for brands and media, drawn from small pools so namesakes occur."""
        if hasattr(self, "_org"):
            return self._org
        rng = self.rng
        E = self.E
        org = np.nonzero((self.kind == BRAND) | (self.kind == MEDIA))[0]
        n = len(org)
        pool = max(40, int(n * 2.5))
        ia = rng.integers(0, 10 ** 6, pool)
        bname = np.asarray(BRAND_A, dtype=object)[ia % len(BRAND_A)] + " " + np.asarray(BRAND_B, dtype=object)[(ia // 97) % len(BRAND_B)]
        city = self.T["C"]["alt"][self.city[org], 0]
        mstyle = rng.integers(0, 3, n)
        mname = _where(mstyle == 0, "The " + city + " " + _pick(rng, MEDIA_A, n),
                _where(mstyle == 1, _pick(rng, MEDIA_TOPIC, n) + " " + _pick(rng, MEDIA_B, n),
                       city + " " + _pick(rng, ["Radio", "FM", "TV", "News", "Live"], n)))
        pick = rng.choice(pool, n, p=_zipf(pool, 0.6))
        name = _where(self.kind[org] == BRAND, bname[pick], mname)
        slug = pd.Series(name, dtype=object).map(_token).to_numpy(dtype=object)
        full_name = np.full(E, None, dtype=object)
        full_slug = np.full(E, None, dtype=object)
        full_name[org], full_slug[org] = name, slug
        self._org = (full_name, full_slug)
        self.info["organisation_name_collisions"] = int(pd.Series(name).duplicated().sum())
        return self._org

    def org_handle(self):
        rng, N, e = self.rng, self.N, self.ae
        name, slug = self.org_names()
        s = slug[e]
        s = _where(s == None, "", s)  # noqa: E711
        v = rng.integers(0, 8, N)
        reg = _pick(rng, ["us", "uk", "de", "fr", "es", "global"], N)
        return _where(v < 3, s, _where(v == 3, s + "official", _where(v == 4, "the" + s, _where(v == 5, s + "hq",
               _where(v == 6, s + "_" + reg, s + _pick(rng, ["help", "support", "news", "app"], N))))))

    def bot_handle(self):
        rng, N, e = self.rng, self.N, self.ae
        v = rng.integers(0, 4, N)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"))
        rnd = np.ascontiguousarray(letters[rng.integers(0, 36, (N, 10))]).view("U10").ravel().astype(object)
        g, s = self.tok_g[e], self.tok_s_married[e]
        return _where(v == 0, g + s + _digits(rng, N, 6), _where(v == 1, "user" + _digits(rng, N, 9),
               _where(v == 2, g + "_" + _digits(rng, N, 5), rnd)))

    # ---- emails on accounts
    def account_emails(self):
        rng, P, N, e, ch = self.rng, self.P, self.N, self.ae, self.ach
        soc = self.asoc
        avail = np.stack([self.mail[s][e] != None for s in range(5)], 1)  # noqa: E711
        W = EMAIL_SLOT_W[ch].copy()
        W[:, 1] *= np.where(self.atime < np.datetime64("2016-01-01"), 2.0,
                            np.where(self.atime > np.datetime64("2020-01-01"), 0.5, 1.0))
        W[:, 3] *= P["hh_email_use"]
        slot = _cat(rng, W * avail)
        addr = np.full(N, None, dtype=object)
        for s in range(5):
            m = slot == s
            addr[m] = self.mail[s][e[m]]
        has = addr != None  # noqa: E711
        hi = np.nonzero(has)[0]
        parts = pd.Series(addr[hi], dtype=object).str.split("@", n=1, expand=True)
        local = parts[0].to_numpy(dtype=object)
        dom = parts[1].to_numpy(dtype=object)
        n = len(hi)
        personal = np.isin(slot[hi], [0, 1])
        crm = ~soc[hi]
        u = rng.random(n)
        plus = personal & crm & np.isin(dom, list(PLUS_PROVIDERS)) & (u < 0.04)
        local = _where(plus, local + "+" + _pick(rng, PLUS_TAGS, n), local)
        gm = personal & (dom == "gmail.com")
        dot = gm & crm & (u >= 0.04) & (u < 0.07)
        hasdot = pd.Series(local, dtype=object).str.contains(".", regex=False).to_numpy()
        local = _where(dot & hasdot, pd.Series(local, dtype=object).str.replace(".", "", regex=False).to_numpy(dtype=object), local)
        ins = dot & ~hasdot & ~plus
        if ins.any():
            pos = np.maximum(pd.Series(self.tok_g[e[hi][ins]], dtype=object).str.len().to_numpy(), 1)
            local[ins] = _insert_char(local[ins], pos, ".")
        gmx = gm & (rng.random(n) < 0.01)
        dom = _where(gmx, "googlemail.com", dom)
        a = local + "@" + dom
        u = rng.random(n)
        a = _where(u < 0.04, pd.Series(a, dtype=object).str.capitalize().to_numpy(dtype=object), a)
        a = _where(crm & (u >= 0.04) & (u < 0.07), pd.Series(a, dtype=object).str.upper().to_numpy(dtype=object), a)
        a = _where((u >= 0.07) & (u < 0.08), a + " ", _where((u >= 0.08) & (u < 0.085), " " + a, a))
        typo = crm & personal & (rng.random(n) < 0.006)
        for d, alts in DOMAIN_TYPOS.items():
            m = typo & (dom == d)
            if m.any():
                a[m] = local[m] + "@" + _pick(rng, alts, m.sum())
        addr[hi] = a
        # placeholder addresses typed by staff at the till
        ph = ~soc & (rng.random(N) < P["placeholder_email"]) & (ch != CH["newsletter"])
        addr = _where(ph, pd.Series(_pick(rng, PLACEHOLDER_EMAILS, N), dtype=object).str.replace(
            "{brand}", "ourbrand.com", regex=False).to_numpy(dtype=object), addr)
        # organisations and bots
        kind = self.kind[e]
        name, slug = self.org_names()
        org = (kind == BRAND) | (kind == MEDIA)
        oslug = _where(slug[e] == None, "", slug[e])  # noqa: E711
        addr = _where(org, _pick(rng, ["hello", "info", "press", "marketing", "orders", "support", "partnerships"], N)
                      + "@" + oslug + ".com", addr)
        bot = kind == BOT
        addr = _where(bot, self.tok_g[e] + self.tok_s_married[e] + _digits(rng, N, 5) + "@"
                      + _pick(rng, ["gmail.com", "outlook.com", "yahoo.com", "mail.ru", "hotmail.com"], N), addr)
        self.email_info = dict(plus_addressed_accounts=int(plus.sum()), gmail_dot_variants=int(dot.sum()),
                               googlemail_accounts=int(gmx.sum()), email_domain_typos=int(typo.sum()),
                               placeholder_email_accounts=int((ph & self.pres["email"]).sum()),
                               household_mailbox_accounts=int(((slot == 3) & self.pres["email"]).sum()),
                               business_mailbox_accounts=int(((slot == 4) & self.pres["email"]).sum()),
                               work_mailbox_accounts=int(((slot == 2) & self.pres["email"]).sum()),
                               old_mailbox_accounts=int(((slot == 1) & self.pres["email"]).sum()))
        return addr

    # ---- phones on accounts
    def _format_phone(self, country, nat, ch):
        rng = self.rng
        n = len(nat)
        out = np.empty(n, dtype=object)
        fw = np.where((ch == CH["shop"])[:, None], [.5, .1, .2, .15, .02, .03],
             np.where((ch == CH["loyalty"])[:, None], [.1, .1, .4, .35, .02, .03], [.25, .15, .35, .2, .02, .03]))
        code = _cat(rng, fw)
        sepc = _pick(rng, [" ", "-", "."], n, [.5, .35, .15])
        for ki in np.unique(country):
            m = country == ki
            spec = COUNTRIES[COUNTRY_CODES[ki]]
            s = pd.Series(nat[m], dtype=object)
            cuts = np.cumsum((0,) + tuple(spec["groups"]))
            parts = [s.str.slice(int(a), int(b)).to_numpy(dtype=object) for a, b in zip(cuts[:-1], cuts[1:])]
            sep = sepc[m]
            grouped = parts[0]
            spaced = parts[0]
            for p in parts[1:]:
                grouped = grouped + sep + p
                spaced = spaced + " " + p
            cc, trunk = spec["cc"], spec["trunk"]
            raw = s.to_numpy(dtype=object)
            c = code[m]
            natfmt = trunk + grouped
            if COUNTRY_CODES[ki] == "US":
                natfmt = _where(rng.random(m.sum()) < 0.5, "(" + parts[0] + ") " + parts[1] + "-" + parts[2], natfmt)
            out[m] = _where(c == 0, "+" + cc + raw, _where(c == 1, "+" + cc + " " + spaced, _where(c == 2, natfmt,
                     _where(c == 3, trunk + raw, _where(c == 4, "00" + cc + raw, cc + raw)))))
        return out

    def account_phones(self):
        rng, P, N, e, ch = self.rng, self.P, self.N, self.ae, self.ach
        soc = self.asoc
        avail = np.stack([self.ph[s][e] != None for s in range(4)], 1)  # noqa: E711
        W = PHONE_SLOT_W[ch].copy()
        W[:, 1] *= np.where(self.atime < np.datetime64("2017-01-01"), 3.0, 0.5)
        W[:, 2] *= P["hh_phone_use"]
        slot = _cat(rng, W * avail)
        nat = np.full(N, None, dtype=object)
        for s in range(4):
            m = slot == s
            nat[m] = self.ph[s][e[m]]
        country = np.where(slot == 1, self.ph_old_country[e], self.country[e])
        kind = self.kind[e]
        org = (kind == BRAND) | (kind == MEDIA)
        if org.any():
            oi = np.nonzero(org)[0]
            for ki in np.unique(country[oi]):
                m = oi[country[oi] == ki]
                spec = COUNTRIES[COUNTRY_CODES[ki]]
                nat[m] = pd.Series(_pick(rng, spec["pre"].split(), len(m)) + _digits(rng, len(m), spec["nat"]),
                                   dtype=object).str.slice(0, spec["nat"]).to_numpy(dtype=object)
        has = nat != None  # noqa: E711
        out = np.full(N, None, dtype=object)
        out[has] = self._format_phone(country[has], nat[has], ch[has])
        ph = ~soc & (rng.random(N) < P["placeholder_phone"])
        out = _where(ph, _pick(rng, PLACEHOLDER_PHONES, N), out)
        self.phone_info = dict(placeholder_phone_accounts=int((ph & self.pres["phone"]).sum()),
                               household_line_accounts=int(((slot == 2) & self.pres["phone"]).sum()),
                               business_line_accounts=int(((slot == 3) & self.pres["phone"]).sum()),
                               old_number_accounts=int(((slot == 1) & self.pres["phone"]).sum()))
        return out

    # ---- cities on accounts
    def account_cities(self):
        rng, N, e, ch = self.rng, self.N, self.ae, self.ach
        C = self.T["C"]
        soc = self.asoc
        oldc = self.old_city[e]
        moved = (oldc >= 0) & (self.atime < self.move_time[e]) & (rng.random(N) < 0.7)
        cid = np.where(moved, oldc, self.city[e])
        u = rng.random(N)
        nalt = C["nalt"][cid]
        alt = np.where(u < 0.6, 0, (rng.random(N) * nalt).astype(int))
        city = C["alt"][cid, alt]
        city = _where((u > 0.95) & ~soc, pd.Series(city, dtype=object).str.upper().to_numpy(dtype=object), city)
        city = _where((u > 0.9) & (u <= 0.95), pd.Series(city, dtype=object).str.lower().to_numpy(dtype=object), city)
        nat = (C["native"][cid] != "") & (rng.random(N) < 0.35 * self.P["native_scale"]) & ~self.diaspora[e]
        city = _where(nat, C["native"][cid], city)
        li = ch == CH["linkedin"]
        area = li & (rng.random(N) < 0.35)
        city = _where(area, _where(rng.random(N) < 0.5, "Greater " + C["alt"][cid, 0] + " Area",
                                   C["alt"][cid, 0] + " Metropolitan Area"), city)
        joke = soc & ~li & (rng.random(N) < 0.08)
        city = _where(joke, _pick(rng, SOCIAL_PLACES, N), city)
        self.city_info = dict(old_city_accounts=int((moved & self.pres["city"]).sum()),
                              joke_location_accounts=int((joke & self.pres["city"]).sum()))
        return city

    # ---- follower counts
    def counts(self):
        rng, N, e, ch, E = self.rng, self.N, self.ae, self.ach, self.E
        z = rng.normal(0, 1, E)
        mu_f = np.log([150, 300, 250, 80, 350, 5, 1, 1, 1, 1, 1])
        mu_g = np.log([220, 450, 250, 180, 330, 1, 1, 1, 1, 1, 1])
        fol = np.exp(mu_f[ch] + 0.9 * z[e] + 0.9 * rng.normal(0, 1, N))
        fng = np.exp(mu_g[ch] + 0.3 * z[e] + 0.7 * rng.normal(0, 1, N))
        fb = ch == CH["facebook"]
        fng = np.where(fb, np.minimum(fol * rng.uniform(0.9, 1.1, N), 5000), fng)
        fol = np.where(fb, np.minimum(fol, 5000) + np.where(z[e] > 2.3, fol, 0), fol)
        kind = self.kind[e]
        b, m, bt = kind == BRAND, kind == MEDIA, kind == BOT
        fol = np.where(b, np.exp(rng.normal(np.log(8000), 1.8, N)), fol)
        fng = np.where(b, np.exp(rng.normal(np.log(250), 1.0, N)), fng)
        fol = np.where(m, np.exp(rng.normal(np.log(60000), 1.5, N)), fol)
        fng = np.where(m, np.exp(rng.normal(np.log(500), 1.0, N)), fng)
        fol = np.where(bt, np.exp(rng.normal(np.log(10), 1.0, N)), fol)
        fng = np.where(bt, np.exp(rng.normal(np.log(1500), 0.6, N)), fng)
        fng = np.where(ch == CH["youtube"], np.nan, fng)
        return np.floor(fol), np.floor(fng)

    # ---- bios
    def _bio(self, idx):
        rng = self.rng
        n = len(idx)
        fem = self.gender[idx] == 1
        age = 2025 - self.birth[idx]
        C = self.T["C"]
        occ = _pick(rng, OCCUPATIONS, n)
        comp = self.company[idx]
        at = (comp >= 0) & (rng.random(n) < 0.5)
        occ = _where(at, occ + _pick(rng, [" at ", " @ ", " @"], n) + self.comp_name[np.maximum(comp, 0)], occ)
        fam = _where(fem, _pick(rng, FAMILY_F, n), _pick(rng, FAMILY_M, n))
        pieces = [
            _where(rng.random(n) < 0.45, occ, ""),
            _where(rng.random(n) < 0.55, _pick(rng, INTERESTS, n), ""),
            _where(rng.random(n) < 0.30, _pick(rng, INTERESTS, n), ""),
            _where((rng.random(n) < 0.12) & (age >= 28) & (age <= 75), fam, ""),
            _where(rng.random(n) < 0.25, _pick(rng, QUOTES, n), ""),
            _where(rng.random(n) < 0.15, "📍 " + C["alt"][self.city[idx], 0], ""),
            _where((rng.random(n) < 0.06) & (age < 40), _where(fem, "she/her", "he/him"), ""),
        ]
        sep = _pick(rng, [" | ", " • ", ". ", " ✦ ", " / "], n)
        out = pieces[0]
        for p in pieces[1:]:
            out = _where(out == "", p, _where(p == "", out, out + sep + p))
        return out

    def bios(self, handle, email):
        rng, N, e, ch, E = self.rng, self.N, self.ae, self.ach, self.E
        base = self._bio(np.arange(E))
        fresh = self._bio(e)
        bio = _where(rng.random(N) < 0.5, base[e], fresh)
        li = ch == CH["linkedin"]
        comp = self.company[e]
        occ = _pick(rng, OCCUPATIONS, N)
        head = _where(comp >= 0, occ + " at " + self.comp_name[np.maximum(comp, 0)], occ)
        head = _where(rng.random(N) < 0.25, head + " | " + _pick(rng, INTERESTS, N), head)
        bio = _where(li, head, bio)
        # cross-links: a bio naming the person's Instagram handle or a contact address
        ig = np.full(E, None, dtype=object)
        m = (ch == CH["instagram"]) & (handle != None)  # noqa: E711
        ig[e[m]] = pd.Series(handle[m], dtype=object).str.lstrip("@").to_numpy(dtype=object)
        igh = ig[e]
        xl = np.isin(ch, [CH["twitter"], CH["tiktok"], CH["youtube"]]) & (igh != None) & (rng.random(N) < 0.06)  # noqa: E711
        bio = _where(xl, bio + _where(bio == "", "", " | ") + "IG: @" + _where(igh == None, "", igh), bio)  # noqa: E711
        pm = self.mail[0][e]
        xe = (pm != None) & (rng.random(N) < 0.02) & ~li  # noqa: E711
        bio = _where(xe, bio + " 📩 " + _where(pm == None, "", pm), bio)  # noqa: E711
        # organisations and bots
        kind = self.kind[e]
        name, slug = self.org_names()
        org = (kind == BRAND) | (kind == MEDIA)
        tmpl = _where(kind == BRAND, _pick(rng, BRAND_BIOS, N), _pick(rng, MEDIA_BIOS, N))
        on = _where(name[e] == None, "", name[e])  # noqa: E711
        os_ = _where(slug[e] == None, "", slug[e])  # noqa: E711
        yr = _num_str(rng, N, 1950, 2020)
        tb = pd.Series(tmpl, dtype=object)
        for key, val in (("{b}", on), ("{y}", yr), ("{s}", os_)):
            parts = tb.str.split(key, n=1, expand=True)
            if parts.shape[1] == 1:
                continue
            has = parts[1].notna().to_numpy()
            tb = pd.Series(_where(has, parts[0].to_numpy(dtype=object) + val + parts[1].fillna("").to_numpy(dtype=object),
                                  tb.to_numpy(dtype=object)), dtype=object)
        ob = tb.to_numpy(dtype=object)
        bio = _where(org, ob, bio)
        bio = _where(kind == BOT, _where(rng.random(N) < 0.6, _pick(rng, BOT_BIOS, N), ""), bio)
        self.bio_info = dict(instagram_crosslink_bios=int((xl & self.pres["bio"]).sum()),
                             email_in_bio=int((xe & self.pres["bio"]).sum()))
        return _where(bio == "", None, bio)

    # ---- organisation and bot display names
    def org_bot_names(self, name):
        rng, N, e, ch = self.rng, self.N, self.ae, self.ach
        kind = self.kind[e]
        oname, _ = self.org_names()
        on = _where(oname[e] == None, "", oname[e])  # noqa: E711
        v = rng.random(N)
        city = self.T["C"]["alt"][self.city[e], 0]
        od = _where(v < 0.65, on, _where(v < 0.73, on + " Official", _where(v < 0.78, pd.Series(on, dtype=object).str.upper().to_numpy(dtype=object),
             _where(v < 0.85, on + " " + city, _where(v < 0.88, on + "™", on + _pick(rng, [" Help", " Support", " News", " Team"], N))))))
        org = (kind == BRAND) | (kind == MEDIA)
        name = _where(org, od, name)
        G, S = self.T["G"], self.T["S"]
        g = G["alt"][self.gid[e], 0]
        s = _where(self.gender[e] == 1, S["alt_f"][self.sid[e], 0], S["alt"][self.sid[e], 0])
        v = rng.random(N)
        bd = _where(v < 0.4, g + " " + s, _where(v < 0.7, g, _where(v < 0.85, g + " " + _pick(rng, EMOJI, N),
             pd.Series(g + " " + s, dtype=object).str.lower().to_numpy(dtype=object))))
        bd = _where(rng.random(N) < 0.1, _pick(rng, ["Crypto King 🚀", "Promo Queen", "Daily Deals", "Follow Train",
                                                    "NFT Drops", "Giveaways 🎁"], N), bd)
        return _where(kind == BOT, bd, name)

    # ------------------------------------------------------------ assemble
    def run(self):
        self.entities()
        self.demographics()
        self.names()
        self.accounts()
        self.emails()
        self.phones()
        self.fields()
        out = self.out
        bot = self.kind[self.ae] == BOT
        out["kind"] = _where(bot & (self.rng.random(self.N) < 0.15), None, out["kind"])
        rng, N, E = self.rng, self.N, self.E
        # opaque ids, shuffled rows
        mid = self._ids("m", N)
        pid = self._ids("p", E)
        perm = rng.permutation(N)
        members = pd.DataFrame({
            "member_id": mid,
            "name": out["name"][perm], "handle": out["handle"][perm],
            "channel": np.asarray(CHANNELS, dtype=object)[self.ach[perm]], "email": out["email"][perm],
            "followers": out["followers"][perm], "following": out["following"][perm], "bio": out["bio"][perm],
            "created_at": out["created_at"][perm], "kind": out["kind"][perm], "city": out["city"][perm],
            "phone": out["phone"][perm]})
        truth = pd.DataFrame({"member_id": mid, "person_id": pid[self.ae[perm]]})
        self.members, self.truth = members, truth
        return {"members": members, "truth": truth, "info": self.make_info(perm)}

    def _ids(self, prefix, n):
        rng = self.rng
        while True:
            v = rng.integers(0, 2 ** 48, n)
            if len(np.unique(v)) == n:
                break
        return (prefix + pd.Series(v).map("{:012x}".format)).to_numpy(dtype=object)

    # ------------------------------------------------------------ info
    def make_info(self, perm):
        P, e, E = self.P, self.ae, self.E
        k = np.bincount(e, minlength=E)
        info = {"scenario": self.scenario, "seed": int(self.seed), "n_accounts": int(self.N),
                "n_entities": int(E), "true_pairs": int((k * (k - 1) // 2).sum())}
        info["entities_by_kind"] = {KIND_NAMES[i]: int((self.kind == i).sum()) for i in range(4)}
        info["accounts_by_kind"] = {KIND_NAMES[i]: int((self.kind[e] == i).sum()) for i in range(4)}
        info["accounts_by_channel"] = {c: int((self.ach == i).sum()) for i, c in enumerate(CHANNELS)}
        info["entities_by_account_count"] = {str(i): int((k == i).sum()) for i in range(1, 7)}
        # namesakes among real persons (canonical given name + current surname)
        G, S = self.T["G"], self.T["S"]
        pi = np.nonzero(self.kind == PERSON)[0]
        fem = self.gender[pi] == 1
        sid = np.where(self.mar_sid[pi] >= 0, self.mar_sid[pi], self.sid[pi])
        full = G["alt"][self.gid[pi], 0] + " " + _where(fem, S["alt_f"][sid, 0], S["alt"][sid, 0])
        vc = pd.Series(full).value_counts()
        info["namesake_full_names"] = int((vc >= 2).sum())
        info["persons_sharing_full_name"] = int(vc[vc >= 2].sum())
        info["largest_namesake_group"] = int(vc.iloc[0]) if len(vc) else 0
        info["most_common_full_name"] = str(vc.index[0]) if len(vc) else ""
        m = self.members
        ent = e[perm]
        # shared and multiple contact points, measured on normalised values
        em = pd.Series(m["email"], dtype=object).str.strip().str.lower()
        loc = em.str.split("@").str[0].str.split("+").str[0]
        dom = em.str.split("@").str[1].replace({"googlemail.com": "gmail.com"})
        loc = loc.where(dom != "gmail.com", loc.str.replace(".", "", regex=False))
        key = loc + "@" + dom
        df = pd.DataFrame({"key": key, "ent": ent}).dropna()
        nent = df.groupby("key")["ent"].nunique()
        info["emails_shared_by_several_entities"] = int((nent >= 2).sum())
        info["accounts_with_email_shared_across_entities"] = int(df["key"].map(nent).ge(2).sum())
        per = df.groupby("ent")["key"].nunique()
        raw = pd.DataFrame({"e": em, "ent": ent}).dropna().groupby("ent")["e"].nunique()
        info["entities_with_2plus_distinct_emails_normalised"] = int((per >= 2).sum())
        info["entities_with_2plus_distinct_emails_raw"] = int((raw >= 2).sum())
        ph = pd.Series(m["phone"], dtype=object).str.replace(r"\D", "", regex=True).str[-9:]
        dfp = pd.DataFrame({"key": ph, "ent": ent}).dropna()
        dfp = dfp[dfp["key"].str.len() >= 7]
        npe = dfp.groupby("key")["ent"].nunique()
        info["phones_shared_by_several_entities"] = int((npe >= 2).sum())
        info["accounts_with_phone_shared_across_entities"] = int(dfp["key"].map(npe).ge(2).sum())
        info["thin_accounts"] = int(self.thin.sum())
        nonnull = m.drop(columns=["member_id", "channel"]).notna().sum(axis=1)
        info["accounts_with_at_most_one_field"] = int((nonnull <= 1).sum())
        info["field_fill_rate"] = {c: round(float(m[c].notna().mean()), 4) for c in m.columns if c != "member_id"}
        info.update(self.info)
        for d in (self.name_info, self.handle_info, self.email_info, self.phone_info, self.city_info, self.bio_info):
            info.update(d)
        info["parameters"] = {k: v for k, v in P.items()}
        return json.loads(json.dumps(info, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


# ===================================================================== public API
def generate_identity(n_accounts: int, scenario: str = "default", seed: int = 0) -> dict:
    """Generate members, ground truth and planting counts; see the module docstring."""
    return _Gen(n_accounts, scenario, seed).run()


def write(out: dict, folder) -> None:
    """Write members.csv, truth.csv and info.json into folder (created if missing)."""
    os.makedirs(folder, exist_ok=True)
    out["members"].to_csv(os.path.join(folder, "members.csv"), index=False, float_format="%.0f")
    out["truth"].to_csv(os.path.join(folder, "truth.csv"), index=False)
    with open(os.path.join(folder, "info.json"), "w", encoding="utf-8") as f:
        json.dump(out["info"], f, indent=2, ensure_ascii=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Synthetic identity-resolution data (members + truth).")
    ap.add_argument("out", help="output folder")
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--scenario", default="default", choices=sorted(SCENARIOS))
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.time()
    res = generate_identity(a.accounts, a.scenario, a.seed)
    write(res, a.out)
    i = res["info"]
    print(f"{a.out}: {i['n_accounts']} accounts, {i['n_entities']} entities, true_pairs={i['true_pairs']} "
          f"({time.time() - t0:.1f}s)")


if __name__ == "__main__":
    main()
