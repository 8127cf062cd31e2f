#!/usr/bin/env python3
"""Choose dev articles from ../shared/bench/fars_news_1500.txt by a written-down rule.

The rule: articles are the blank-line separated blocks of the file, numbered from 1. Words are
compared with letters folded (ي→ی, ك→ک) and ZWNJ read as a space. An article is chosen when it
is at most 6,000 characters long, names as whole words at least two distinct countries other
than Iran (CLDR or iso-codes Persian name of ../shared/data/countries_fa.tsv, or a short form
listed below), and contains a meeting or visit word as a whole word (دیدار, ملاقات, گفتگو,
گفت‌وگو, سفر, رایزنی, مذاکره, مذاکرات). The first N such articles (default 25), in file order,
are chosen. Sports articles (a whole word of SPORTS below) are left out, as are articles whose
first line is the first line of an article already in tests/corpus/dev.

Usage: python3 tools/select_dev_articles.py [N] [--write DIR]
Prints `index<TAB>chars<TAB>first line`; with --write, writes DIR/fars1500_NNNN.txt.
"""
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "..", "shared", "bench", "fars_news_1500.txt")
COUNTRIES = os.path.join(ROOT, "..", "shared", "data", "countries_fa.tsv")
# Short forms Persian news uses for countries whose ISO/CLDR name is long.
SHORT = ["آمریکا", "امریکا", "انگلیس", "روسیه", "چین", "عراق", "سوریه", "ایران", "ترکیه",
         "عربستان", "امارات", "کره شمالی", "کره جنوبی", "ونزوئلا", "کوبا", "فرانسه", "آلمان"]
TRIGGERS = ["دیدار", "ملاقات", "گفتگو", "گفت وگو", "گفت و گو", "سفر", "رایزنی", "مذاکره",
            "مذاکرات"]
MAX_CHARS = 6000
SPORTS = ["فوتبال", "فوتسال", "بسکتبال", "والیبال", "کشتی", "تیم ملی", "سرمربی", "مربی", "لیگ",
          "مسابقات", "المپیک", "باشگاه", "قهرمانی", "رئال", "بارسلونا", "ملی پوش"]
DEV = os.path.join(ROOT, "tests", "corpus", "dev")


def fold(s):
    s = s.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی").replace("\u0654", "")
    s = s.replace("ۀ", "ه").replace("ة", "ه")
    return " " + " ".join(re.sub(r"[\u200c]", " ", re.sub(r"[^\w\u200c]", " ", s)).split()) + " "


def has_word(folded, phrase):
    return f" {phrase} " in folded


def country_names():
    names = set(fold(s) for s in SHORT)
    with open(COUNTRIES, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for col in ("persian_name_cldr", "persian_name_iso_codes"):
                if row[col] and "،" not in row[col]:
                    names.add(fold(row[col]))
    names.discard(fold("ایران"))
    return {n.strip() for n in names if len(n.strip()) >= 3}


def main():
    n = 25
    out = None
    args = sys.argv[1:]
    if "--write" in args:
        i = args.index("--write")
        out = args[i + 1]
        del args[i:i + 2]
    if args:
        n = int(args[0])
    text = open(BENCH, encoding="utf-8").read()
    articles = [a.strip("\n") for a in re.split(r"\n\s*\n", text) if a.strip()]
    names = country_names()
    known = set()
    if os.path.isdir(DEV):
        for name in os.listdir(DEV):
            if name.endswith(".txt"):
                with open(os.path.join(DEV, name), encoding="utf-8") as f:
                    known.add(fold(f.readline()))
    chosen = 0
    for index, article in enumerate(articles, 1):
        folded = fold(article)
        if len(article) > MAX_CHARS:
            continue
        if fold(article.split("\n", 1)[0]) in known:
            continue
        if any(has_word(folded, fold(w).strip()) for w in SPORTS):
            continue
        found = {c for c in names if has_word(folded, c)}
        # A name inside a longer one (ایران inside جمهوری اسلامی ایران) counts once.
        found = {c for c in found if not any(c != d and c in d for d in found)}
        if len(found) < 2 or not any(has_word(folded, fold(t).strip()) for t in TRIGGERS):
            continue
        first = article.split("\n", 1)[0]
        print(f"{index}\t{len(article)}\t{first}")
        if out:
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, f"fars1500_{index:04d}.txt"), "w", encoding="utf-8") as f:
                f.write(article + "\n")
        chosen += 1
        if chosen == n:
            break


if __name__ == "__main__":
    main()
