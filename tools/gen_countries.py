#!/usr/bin/env python3
"""Generate gazetteers/entities/countries.tsv from the shared reference table.

Usage: python3 tools/gen_countries.py /work/shared/data/countries_fa.tsv [OUT.tsv]

Input: countries_fa.tsv (249 ISO 3166-1 rows: alpha-2, alpha-3, numeric, English ISO name,
English CLDR name, Persian CLDR name, Persian iso-codes name, Persian iso-codes official name).
The hand-kept tables below add the everyday Persian forms Persian media write, fix known
errors of the iso-codes Persian translations, and give regions, sovereign states and QIDs.
Stdlib only; output is deterministic (rows sorted by alpha-2 code).
"""
import os
import sys
import unicodedata

HEADER = ["id", "type", "name_en", "name_fa", "aliases", "short", "country",
          "part_of", "offices", "wikidata", "note"]

# ---------------------------------------------------------------------------
# Hand-kept extras.
#   fa:      name_fa (the form Persian media use most); default: CLDR Persian name
#   en:      name_en override; default: CLDR English name
#   aliases: forms listed first (everyday Persian forms, English forms)
#   short:   forms only recognised after the full name occurred in the document
#   drop:    source forms that must not become aliases (wrong, or a common word)
#   note:    reviewer note
# ---------------------------------------------------------------------------
EXTRAS = {
    "AE": dict(fa="امارات متحده عربی", aliases=["امارات", "امارات عربی متحده", "UAE"]),
    "AF": dict(aliases=["امارت اسلامی افغانستان", "Islamic Emirate of Afghanistan"],
               note="«امارت اسلامی افغانستان» is the Taliban government's name for the state (2021-)."),
    "AR": dict(aliases=["جمهوری آرژانتین", "Argentine Republic"]),
    "AT": dict(aliases=["جمهوری اتریش", "Republic of Austria"]),
    "AU": dict(aliases=["مشترک‌المنافع استرالیا", "Commonwealth of Australia"]),
    "AZ": dict(fa="جمهوری آذربایجان", aliases=["Republic of Azerbaijan"], short=["آذربایجان"],
               drop=["آذربایجان"],
               note="Bare «آذربایجان» is also the Iranian region/provinces, so it is only a short form."),
    "BA": dict(aliases=["بوسنی", "Bosnia"]),
    "BD": dict(aliases=["جمهوری خلق بنگلادش"]),
    "BH": dict(aliases=["Kingdom of Bahrain"]),
    "BJ": dict(aliases=["جمهوری بنین", "Republic of Benin"],
               note="name_fa «بنین» is also a common word (Arabic plural 'sons', as in «مدرسه بنین»)."),
    "BO": dict(aliases=["Plurinational State of Bolivia"], drop=["چند ایالتی بولیویا"]),
    "BR": dict(aliases=["جمهوری فدراتیو برزیل", "Federative Republic of Brazil"]),
    "BT": dict(aliases=["پادشاهی بوتان", "Kingdom of Bhutan"],
               note="name_fa «بوتان» is also the common word 'butane' (gas)."),
    "BY": dict(aliases=["روسیه سفید", "Republic of Belarus", "Byelorussia"]),
    "CA": dict(),
    "CD": dict(fa="جمهوری دموکراتیک کنگو", en="Democratic Republic of the Congo",
               aliases=["کنگو کینشاسا", "DR Congo", "DRC", "Congo-Kinshasa"],
               note="Bare «کنگو» is ambiguous between CD and CG and is not listed."),
    "CG": dict(fa="جمهوری کنگو", en="Republic of the Congo",
               aliases=["کنگو برازاویل", "Congo-Brazzaville"], drop=["کونگو", "Congo"],
               note="Bare «کنگو» is ambiguous between CD and CG and is not listed."),
    "CH": dict(aliases=["کنفدراسیون سوئیس", "Swiss Confederation"], drop=["اتحادیه سویس"]),
    "CI": dict(aliases=["Ivory Coast"]),
    "CL": dict(aliases=["جمهوری شیلی", "Republic of Chile"]),
    "CM": dict(aliases=["جمهوری کامرون"],
               note="name_fa «کامرون» is also the Persian spelling of the surname Cameron (David Cameron)."),
    "CN": dict(aliases=["جمهوری خلق چین", "People's Republic of China", "PRC"],
               note="«چین» is also a common noun ('fold, pleat'); in news it is China."),
    "CO": dict(aliases=["جمهوری کلمبیا", "Republic of Colombia"]),
    "CU": dict(aliases=["جمهوری کوبا", "جمهوری خلق کوبا", "Republic of Cuba"],
               note="«جمهوری خلق کوبا» is not the official name but CRI Persian writes it (seed article)."),
    "CV": dict(aliases=["کابو ورده", "Cabo Verde"]),
    "CY": dict(aliases=["Republic of Cyprus"]),
    "CZ": dict(fa="جمهوری چک", aliases=["Czech Republic"], short=["چک"], drop=["چک"],
               note="Bare «چک» is the common word 'cheque', so it is only a short form."),
    "DE": dict(aliases=["Federal Republic of Germany"]),
    "DK": dict(aliases=["Kingdom of Denmark"]),
    "DZ": dict(aliases=["People's Democratic Republic of Algeria"]),
    "EG": dict(aliases=["Arab Republic of Egypt"],
               note="«مصر» is also the adjective 'insistent' (musirr); in news it is Egypt."),
    "ER": dict(drop=["فلسطین"], note="iso-codes gives «فلسطین» as Eritrea's official name (an error); dropped."),
    "ES": dict(aliases=["Kingdom of Spain"]),
    "ET": dict(aliases=["Federal Democratic Republic of Ethiopia"]),
    "FI": dict(aliases=["Republic of Finland"]),
    "FR": dict(aliases=["French Republic"]),
    "GA": dict(aliases=["جمهوری گابن"], drop=["جمهوری گابونس"],
               note="iso-codes official name «جمهوری گابونس» is a typo; replaced by «جمهوری گابن»."),
    "GB": dict(fa="انگلیس", en="United Kingdom",
               aliases=["انگلستان", "بریتانیا", "بریتانیای کبیر", "پادشاهی متحده",
                        "پادشاهی متحد بریتانیای کبیر و ایرلند شمالی", "UK", "U.K.", "Britain",
                        "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
               note="Persian media write «انگلیس» for the whole UK (Fars, IRNA); «انگلستان» strictly is England."),
    "GH": dict(aliases=["جمهوری غنا", "Republic of Ghana"],
               note="name_fa «غنا» is also a (literary) common word ('wealth' / 'singing')."),
    "GM": dict(aliases=["جمهوری گامبیا", "The Gambia"], drop=["جمهوری زامبیا"],
               note="iso-codes gives «جمهوری زامبیا» as Gambia's official name (an error); dropped."),
    "GR": dict(aliases=["Hellenic Republic"]),
    "HK": dict(fa="هنگ کنگ", en="Hong Kong", aliases=["منطقه ویژه اداری هنگ کنگ", "Hong Kong SAR"]),
    "HU": dict(),
    "ID": dict(aliases=["Republic of Indonesia"]),
    "IE": dict(aliases=["جمهوری ایرلند", "Republic of Ireland"]),
    "IL": dict(aliases=["رژیم صهیونیستی", "رژیم اشغالگر قدس", "رژیم صهیونیستی اسرائیل",
                        "رژیم اسرائیل", "State of Israel"],
               note="Iranian media usually call Israel «رژیم صهیونیستی»; listed as aliases of the state."),
    "IN": dict(aliases=["هندوستان", "Republic of India"]),
    "IQ": dict(aliases=["جمهوری عراق", "Republic of Iraq"]),
    "IR": dict(aliases=["Islamic Republic of Iran", "Persia"], short=["جمهوری اسلامی"],
               note="Bare «جمهوری اسلامی» (also a newspaper's name) is only a short form."),
    "IT": dict(aliases=["Italian Republic"]),
    "JO": dict(aliases=["Hashemite Kingdom of Jordan"]),
    "JP": dict(),
    "KG": dict(aliases=["قرقیزیا", "Kyrgyz Republic"]),
    "KP": dict(fa="کره شمالی",
               aliases=["DPRK", "Democratic People's Republic of Korea"],
               note="Bare «کره» (also 'butter', 'sphere'; the peninsula) is not listed."),
    "KR": dict(fa="کره جنوبی", aliases=["Republic of Korea", "ROK"],
               note="Bare «کره» (also 'butter', 'sphere'; the peninsula) is not listed."),
    "KW": dict(aliases=["State of Kuwait"]),
    "KZ": dict(aliases=["Republic of Kazakhstan"]),
    "LA": dict(aliases=["Lao People's Democratic Republic", "Lao PDR"]),
    "LB": dict(aliases=["Lebanese Republic"]),
    "LK": dict(aliases=["سیلان", "Ceylon"]),
    "LY": dict(aliases=["State of Libya"]),
    "MA": dict(aliases=["Kingdom of Morocco"]),
    "MD": dict(aliases=["Republic of Moldova"]),
    "MK": dict(aliases=["مقدونیه", "Macedonia"],
               note="«مقدونیه» (the name until 2019) is also the Greek region; listed because news 2003-2019 used it for the country."),
    "ML": dict(aliases=["جمهوری مالی", "Republic of Mali"],
               note="name_fa «مالی» is the common word 'financial'; only the tool's lint/context can keep it safe."),
    "MM": dict(aliases=["برمه", "Burma"]),
    "MO": dict(en="Macao", aliases=["منطقه ویژه اداری ماکائو", "Macau"], drop=["موناکو منطقه تحت مدیریت چین"],
               note="iso-codes official name «موناکو منطقه تحت مدیریت چین» says Monaco (an error); dropped."),
    "MU": dict(aliases=["موریتیوس", "جمهوری موریس"],
               note="name_fa «موریس» is also the given name Maurice/Morris."),
    "MX": dict(aliases=["United Mexican States"]),
    "MY": dict(),
    "NG": dict(aliases=["Federal Republic of Nigeria"]),
    "NL": dict(aliases=["پادشاهی هلند", "Holland", "Kingdom of the Netherlands"],
               note="wikidata left empty: Q55 (Netherlands) vs Q29999 (Kingdom of the Netherlands) for ISO NL."),
    "NO": dict(aliases=["Kingdom of Norway"]),
    "NZ": dict(),
    "OM": dict(aliases=["سلطنت عمان", "Sultanate of Oman"],
               note="«عمان» is also the Persian spelling of Amman, the capital of Jordan."),
    "PE": dict(aliases=["جمهوری پرو", "Republic of Peru"],
               note="name_fa «پرو» is also a common word ('fitting' of clothes, «پرو کردن»)."),
    "PH": dict(aliases=["Republic of the Philippines"]),
    "PK": dict(aliases=["Islamic Republic of Pakistan"]),
    "PL": dict(aliases=["Republic of Poland"]),
    "PS": dict(fa="فلسطین", en="Palestine", aliases=["دولت فلسطین", "State of Palestine", "Palestinian Territories"]),
    "PT": dict(aliases=["Portuguese Republic"]),
    "QA": dict(aliases=["State of Qatar"],
               note="«قطر» is also the common word 'diameter'; in news it is Qatar."),
    "RS": dict(aliases=["Republic of Serbia"]),
    "RU": dict(aliases=["فدراسیون روسیه", "Russian Federation"]),
    "RW": dict(aliases=["جمهوری رواندا"], drop=["جمهوری رواندس"],
               note="iso-codes official name «جمهوری رواندس» is a typo; replaced by «جمهوری رواندا»."),
    "SA": dict(aliases=["عربستان", "پادشاهی سعودی", "Kingdom of Saudi Arabia", "KSA"]),
    "SD": dict(aliases=["Republic of the Sudan"]),
    "SE": dict(aliases=["Kingdom of Sweden"]),
    "SG": dict(aliases=["Republic of Singapore"]),
    "ST": dict(aliases=["جمهوری دموکراتیک سائوتومه و پرینسیپ"], drop=["جمهوری دموکراتیک تومه و پرینسیپ"],
               note="iso-codes official name lacks «سائو»; replaced."),
    "SX": dict(drop=["سنت مارتین"],
               note="iso-codes Persian says 'German part' for the Dutch part (an error); dropped."),
    "SY": dict(aliases=["Syrian Arab Republic"]),
    "SZ": dict(aliases=["سوازیلند", "پادشاهی اسواتینی", "Swaziland"]),
    "TD": dict(aliases=["جمهوری چاد", "Republic of Chad"],
               note="name_fa «چاد» is short and easily confused (English 'chad'); keep an eye on false hits."),
    "TG": dict(aliases=["جمهوری توگو"], drop=["جمهوری تگلز"],
               note="iso-codes official name «جمهوری تگلز» is garbled; replaced by «جمهوری توگو»."),
    "TH": dict(aliases=["Kingdom of Thailand"]),
    "TJ": dict(aliases=["Republic of Tajikistan"]),
    "TL": dict(fa="تیمور شرقی", aliases=["East Timor"], drop=["جمهوری دموکراتیک جزایر تیمور"]),
    "TM": dict(),
    "TN": dict(aliases=["Tunisian Republic"]),
    "TR": dict(aliases=["جمهوری ترکیه", "Turkey", "Republic of Türkiye"]),
    "TW": dict(
               drop=["تایوان استانی از چین", "Taiwan, Province of China"],
               note="iso-codes names 'Taiwan, Province of China' are not used as aliases."),
    "UA": dict(),
    "US": dict(fa="آمریکا",
               aliases=["ایالات متحده", "ایالات متحده آمریکا", "امریکا",
                        "United States of America", "USA", "U.S.", "U.S.A.", "America"],
               note="Bare English 'US' is left out (it is also the pronoun 'us')."),
    "UZ": dict(aliases=["Republic of Uzbekistan"]),
    "VA": dict(aliases=["دولت شهر واتیکان", "Holy See", "Vatican"]),
    "VE": dict(aliases=["جمهوری بولیواری ونزوئلا", "بولیواری ونزوئلا", "Bolivarian Republic of Venezuela"]),
    "VN": dict(aliases=["Viet Nam", "Socialist Republic of Vietnam"]),
    "YE": dict(aliases=["Republic of Yemen"]),
    "ZA": dict(fa="آفریقای جنوبی", aliases=["Republic of South Africa"]),
}

# English iso-codes names written in natural order (the inverted ones are skipped).
ISO_EN_FIX = {
    "BO": "Plurinational State of Bolivia",
    "CD": "Democratic Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Federated States of Micronesia",
    "IR": "Islamic Republic of Iran",
    "KP": "Democratic People's Republic of Korea",
    "KR": "Republic of Korea",
    "MD": "Republic of Moldova",
    "MF": "Saint Martin",
    "PS": "State of Palestine",
    "SX": "Sint Maarten",
    "TW": None,
    "TZ": "United Republic of Tanzania",
    "VA": "Holy See",
    "VE": "Bolivarian Republic of Venezuela",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

# Dependent territories: the state that administers them (column `country`).
SOVEREIGN = {
    "AS": "US", "GU": "US", "MP": "US", "PR": "US", "UM": "US", "VI": "US",
    "GL": "DK", "FO": "DK",
    "HK": "CN", "MO": "CN",
    "BL": "FR", "GF": "FR", "GP": "FR", "MF": "FR", "MQ": "FR", "NC": "FR", "PF": "FR",
    "PM": "FR", "RE": "FR", "TF": "FR", "WF": "FR", "YT": "FR",
    "AW": "NL", "BQ": "NL", "CW": "NL", "SX": "NL",
    "AI": "GB", "BM": "GB", "FK": "GB", "GG": "GB", "GI": "GB", "GS": "GB", "IM": "GB",
    "IO": "GB", "JE": "GB", "KY": "GB", "MS": "GB", "PN": "GB", "SH": "GB", "TC": "GB",
    "VG": "GB",
    "CC": "AU", "CX": "AU", "HM": "AU", "NF": "AU",
    "CK": "NZ", "NU": "NZ", "TK": "NZ",
    "BV": "NO", "SJ": "NO",
    "AX": "FI",
}

# Regions (ids in regions.tsv). Based on UN M49 sub-regions plus the geopolitical
# regions Persian news uses (Middle East, Latin America, Caucasus, Balkans, ...).
def _codes(s):
    return s.split()

REGION_MEMBERS = {
    "region:north-africa": _codes("DZ EG LY MA SD TN EH"),
    "region:east-africa": _codes("BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF"),
    "region:central-africa": _codes("AO CM CF TD CG CD GQ GA ST"),
    "region:southern-africa": _codes("BW SZ LS NA ZA"),
    "region:west-africa": _codes("BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
    "region:horn-of-africa": _codes("DJ ER ET SO"),
    "region:caribbean": _codes("AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"),
    "region:central-america": _codes("BZ CR SV GT HN MX NI PA"),
    "region:south-america": _codes("AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"),
    "region:north-america": _codes("BM CA GL PM US MX"),
    "region:latin-america": _codes("AR BO BR CL CO CR CU DO EC SV GT HT HN MX NI PA PY PE PR UY VE"),
    "region:central-asia": _codes("KZ KG TJ TM UZ"),
    "region:east-asia": _codes("CN HK MO JP KP KR MN TW"),
    "region:southeast-asia": _codes("BN KH ID LA MY MM PH SG TH TL VN"),
    "region:south-asia": _codes("AF BD BT IN LK MV NP PK"),
    "region:west-asia": _codes("BH CY IQ IL JO KW LB OM QA SA PS SY TR AE YE IR"),
    "region:middle-east": _codes("BH EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE"),
    "region:persian-gulf": _codes("IR IQ KW SA BH QA AE OM"),
    "region:caucasus": _codes("AM AZ GE"),
    "region:south-caucasus": _codes("AM AZ GE"),
    "region:eastern-europe": _codes("BY BG CZ HU PL MD RO RU SK UA"),
    "region:northern-europe": _codes("AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "region:southern-europe": _codes("AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
    "region:western-europe": _codes("AT BE FR DE LI LU MC NL CH"),
    "region:balkans": _codes("AL BA BG GR HR ME MK RS"),
    "region:scandinavia": _codes("DK NO SE"),
    "region:australasia": _codes("AU NZ NF CX CC HM"),
    "region:melanesia": _codes("FJ NC PG SB VU"),
    "region:micronesian-region": _codes("GU KI MH FM NR MP PW UM"),
    "region:polynesia": _codes("AS CK PF NU PN WS TK TO TV WF"),
    "region:oceania": _codes("AU NZ NF CX CC HM FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"),
    "region:arab-world": _codes("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE"),
}
# Every Latin American / Caribbean country is also in the joint UN region.
LAC = set(REGION_MEMBERS["region:caribbean"] + REGION_MEMBERS["region:central-america"]
          + REGION_MEMBERS["region:south-america"])
SSA = set(REGION_MEMBERS["region:east-africa"] + REGION_MEMBERS["region:central-africa"]
          + REGION_MEMBERS["region:southern-africa"] + REGION_MEMBERS["region:west-africa"])
REGION_ORDER = list(REGION_MEMBERS) + ["region:latin-america-and-the-caribbean",
                                       "region:sub-saharan-africa"]


def regions_of(code):
    out = [r for r, members in REGION_MEMBERS.items() if code in members]
    if code in LAC:
        out.append("region:latin-america-and-the-caribbean")
    if code in SSA:
        out.append("region:sub-saharan-africa")
    # Most specific first: sub-regions, then the geopolitical ones, in a stable order.
    return sorted(set(out), key=REGION_ORDER.index)


# Wikidata QIDs of the countries (cross-checked against OWID's country table).
# NL and AQ are left empty on purpose (see note on NL; AQ has no single obvious item).
QID = dict(x.split(":") for x in """
AD:Q228 AE:Q878 AF:Q889 AG:Q781 AI:Q25228 AL:Q222 AM:Q399 AO:Q916 AR:Q414 AS:Q16641
AT:Q40 AU:Q408 AW:Q21203 AX:Q5689 AZ:Q227 BA:Q225 BB:Q244 BD:Q902 BE:Q31 BF:Q965
BG:Q219 BH:Q398 BI:Q967 BJ:Q962 BL:Q25362 BM:Q23635 BN:Q921 BO:Q750 BQ:Q27561 BR:Q155
BS:Q778 BT:Q917 BV:Q23408 BW:Q963 BY:Q184 BZ:Q242 CA:Q16 CC:Q36004 CD:Q974 CF:Q929
CG:Q971 CH:Q39 CI:Q1008 CK:Q26988 CL:Q298 CM:Q1009 CN:Q148 CO:Q739 CR:Q800 CU:Q241
CV:Q1011 CW:Q25279 CX:Q31063 CY:Q229 CZ:Q213 DE:Q183 DJ:Q977 DK:Q35 DM:Q784 DO:Q786
DZ:Q262 EC:Q736 EE:Q191 EG:Q79 EH:Q6250 ER:Q986 ES:Q29 ET:Q115 FI:Q33 FJ:Q712
FK:Q9648 FM:Q702 FO:Q4628 FR:Q142 GA:Q1000 GB:Q145 GD:Q769 GE:Q230 GF:Q3769 GG:Q25230
GH:Q117 GI:Q1410 GL:Q223 GM:Q1005 GN:Q1006 GP:Q17012 GQ:Q983 GR:Q41 GS:Q35086 GT:Q774
GU:Q16635 GW:Q1007 GY:Q734 HK:Q8646 HM:Q131198 HN:Q783 HR:Q224 HT:Q790 HU:Q28 ID:Q252
IE:Q27 IL:Q801 IM:Q9676 IN:Q668 IO:Q43448 IQ:Q796 IR:Q794 IS:Q189 IT:Q38 JE:Q785
JM:Q766 JO:Q810 JP:Q17 KE:Q114 KG:Q813 KH:Q424 KI:Q710 KM:Q970 KN:Q763 KP:Q423
KR:Q884 KW:Q817 KY:Q5785 KZ:Q232 LA:Q819 LB:Q822 LC:Q760 LI:Q347 LK:Q854 LR:Q1014
LS:Q1013 LT:Q37 LU:Q32 LV:Q211 LY:Q1016 MA:Q1028 MC:Q235 MD:Q217 ME:Q236 MF:Q126125
MG:Q1019 MH:Q709 MK:Q221 ML:Q912 MM:Q836 MN:Q711 MO:Q14773 MP:Q16644 MQ:Q17054 MR:Q1025
MS:Q13353 MT:Q233 MU:Q1027 MV:Q826 MW:Q1020 MX:Q96 MY:Q833 MZ:Q1029 NA:Q1030 NC:Q33788
NE:Q1032 NF:Q31057 NG:Q1033 NI:Q811 NO:Q20 NP:Q837 NR:Q697 NU:Q34020 NZ:Q664 OM:Q842
PA:Q804 PE:Q419 PF:Q30971 PG:Q691 PH:Q928 PK:Q843 PL:Q36 PM:Q34617 PN:Q35672 PR:Q1183
PS:Q219060 PT:Q45 PW:Q695 PY:Q733 QA:Q846 RE:Q17070 RO:Q218 RS:Q403 RU:Q159 RW:Q1037
SA:Q851 SB:Q685 SC:Q1042 SD:Q1049 SE:Q34 SG:Q334 SH:Q192184 SI:Q215 SJ:Q842829 SK:Q214
SL:Q1044 SM:Q238 SN:Q1041 SO:Q1045 SR:Q730 SS:Q958 ST:Q1039 SV:Q792 SX:Q26273 SY:Q858
SZ:Q1050 TC:Q18221 TD:Q657 TF:Q129003 TG:Q945 TH:Q869 TJ:Q863 TK:Q36823 TL:Q574 TM:Q874
TN:Q948 TO:Q678 TR:Q43 TT:Q754 TV:Q672 TW:Q865 TZ:Q924 UA:Q212 UG:Q1036 UM:Q16645
US:Q30 UY:Q77 UZ:Q265 VA:Q237 VC:Q757 VE:Q717 VG:Q25305 VI:Q11703 VN:Q881 VU:Q686
WF:Q35555 WS:Q683 YE:Q805 YT:Q17063 ZA:Q258 ZM:Q953 ZW:Q954
""".split())

# ---------------------------------------------------------------------------
ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})


HARAKAT = {c: None for c in range(0x064B, 0x0653)}


def clean_fa(s):
    """Persian letters, no U+0654 hamza-above or short vowels, single spaces, CLDR ' - ' as a space."""
    s = s.translate(ARABIC_TO_PERSIAN).replace("\u0654", "").translate(HARAKAT)
    s = s.replace(" - ", " ")
    return " ".join(s.split())


def everyday_fa(s):
    """CLDR writes «افریقا», «امریکا»; Persian media write «آفریقا», «آمریکا»."""
    return s.replace("افریقا", "آفریقا").replace("امریکا", "آمریکا")


def fold(s):
    """Approximation of the tool's matching key, used only to drop duplicate aliases."""
    s = unicodedata.normalize("NFKD", s).translate(ARABIC_TO_PERSIAN)
    s = "".join(c for c in s if not unicodedata.combining(c) and c != "\u0640")
    s = s.replace("آ", "ا").replace("أ", "ا").replace("إ", "ا").replace("ۀ", "ه")
    s = s.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))
    s = "".join(c for c in s if c not in " \u200c\u200d\u00a0")
    return s.casefold()


def split_forms(s):
    """'A (B)' or 'A(B)' -> ['A', 'B']; skips inverted iso-codes forms ('X، جمهوری')."""
    if not s:
        return []
    if "،" in s or "," in s:
        return []
    if "(" in s and s.endswith(")"):
        head, _, rest = s.partition("(")
        inner = rest.rstrip(")").strip()
        out = [head.strip()]
        if inner and not any(w in inner for w in ("بخش", "part")):
            out.append(inner)
        return [x for x in out if x]
    return [s]


def has_latin(s):
    return any("a" <= c.lower() <= "z" for c in s)


def build_rows(src):
    rows = []
    with open(src, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            rec = dict(zip(header, line.rstrip("\n").split("\t")))
            rows.append(make_row(rec))
    rows.sort(key=lambda r: r["id"])
    return rows


def make_row(rec):
    code = rec["iso_alpha2"]
    ex = EXTRAS.get(code, {})
    en_cldr = rec["english_name_cldr"].replace(" & ", " and ").replace("’", "'")
    name_en = ex.get("en") or (split_forms(en_cldr) or [en_cldr])[0]
    fa_forms = []
    for col in ("persian_name_cldr", "persian_name_iso_codes", "persian_official_name_iso_codes"):
        raw = clean_fa(rec.get(col, ""))
        if has_latin(raw):
            continue
        fa_forms += [clean_fa(x) for x in split_forms(raw)]
    name_fa = ex.get("fa") or everyday_fa(fa_forms[0])
    en_forms = split_forms(en_cldr)
    iso_en = rec["english_name_iso"]
    if code in ISO_EN_FIX:
        if ISO_EN_FIX[code]:
            en_forms.append(ISO_EN_FIX[code])
    else:
        en_forms += split_forms(iso_en)
    drop = {fold(x) for x in ex.get("drop", [])}
    short = list(ex.get("short", []))
    seen = {fold(name_fa), fold(name_en)} | drop | {fold(x) for x in short}
    aliases = []
    for a in list(ex.get("aliases", [])) + fa_forms + en_forms:
        a = " ".join(a.split())
        k = fold(a)
        if not a or k in seen:
            continue
        seen.add(k)
        aliases.append(a)
    notes = []
    if code in SOVEREIGN:
        notes.append("Dependent territory / special area administered by %s." % SOVEREIGN[code])
    if ex.get("note"):
        notes.append(ex["note"])
    return {
        "id": "country:" + code,
        "type": "COUNTRY",
        "name_en": name_en,
        "name_fa": name_fa,
        "aliases": " | ".join(aliases),
        "short": " | ".join(short),
        "country": SOVEREIGN.get(code, ""),
        "part_of": " | ".join(regions_of(code)),
        "offices": "",
        "wikidata": QID.get(code, ""),
        "note": " ".join(notes),
    }


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[2] if len(argv) > 2 else os.path.join(here, "..", "gazetteers", "entities", "countries.tsv")
    rows = build_rows(argv[1])
    if len(rows) != 249:
        sys.stderr.write("expected 249 countries, got %d\n" % len(rows))
        return 1
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        f.write("# Countries: all 249 ISO 3166-1 entries. GENERATED by tools/gen_countries.py from\n")
        f.write("# /work/shared/data/countries_fa.tsv (CLDR + iso-codes) and the script's hand tables;\n")
        f.write("# edit the script, not this file.\n")
        for r in rows:
            cells = [r[h] for h in HEADER]
            for c in cells:
                assert "\t" not in c and "\n" not in c, (r["id"], c)
            f.write("\t".join(cells) + "\n")
    os.replace(tmp, out)
    sys.stderr.write("wrote %d countries to %s\n" % (len(rows), out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
