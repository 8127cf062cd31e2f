#!/bin/sh
# Regenerates gazetteers/lexicons/persian_words.txt from hazm 0.12.1's words.dat (MIT).
set -eu
cd "$(dirname "$0")/.."
{
  printf '%s\n' "# Every word of hazm 0.12.1's words.dat (MIT licence, PyPI 'hazm', hazm/data/words.dat), one" \
    "# per line, any frequency: the discovery patterns read a word that is not here as unknown (a" \
    "# possible name). Regenerate with tools/gen_persian_words.sh."
  cut -f1 ../shared/data/hazm/words.dat | sed '/^[[:space:]]*$/d'
} > gazetteers/lexicons/persian_words.txt
