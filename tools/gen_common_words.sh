#!/usr/bin/env bash
# Regenerates gazetteers/common_words.txt from hazm's words.dat (default: ../shared/data/hazm).
set -euo pipefail
words="${1:-$(dirname "$0")/../../shared/data/hazm/words.dat}"
out="$(dirname "$0")/../gazetteers/common_words.txt"
{
  echo "# Frequent Persian words: every word of hazm 0.12.1's words.dat (MIT licence, PyPI 'hazm',"
  echo "# hazm/data/words.dat) with a corpus frequency of at least 100,000, one per line."
  echo "# Used by matching (an alias plus an attached suffix that forms one of these words, such as"
  echo "# «سیا» + «ست» = «سیاست», is not a mention) and by 'gazetteer lint' (aliases that are"
  echo "# common words). Regenerate with tools/gen_common_words.sh."
  awk -F'\t' '$2>=100000 {print $1}' "$words" | LC_ALL=C sort -u
} > "$out"
