//! Sentence segmentation for Persian and English news text.
//!
//! A sentence ends at a line break and after `.`, `?`, `؟`, `!`, `…` or `۔` (with any closing
//! quotes or brackets that follow), except where the mark does not end a sentence:
//!
//! - a decimal point or a dot inside a token (`3.5`, `U.S`, `ج.ا.ا`, `www.example.org`);
//! - the dot of an abbreviation: a single letter (`W.`, `م.`) or a known English title or
//!   short form (`Mr.`, `Dr.`, `Gen.`, `Nov.`, ...);
//! - any mark inside a quotation «...» or "..." on the same line, so quoted titles stay whole.
//!
//! Dates and times (`2022/11/25`, `15:52:04`) contain no sentence marks and need no rule.
//!
//! Segmentation reads only the text; a gazetteer name that holds a sentence mark («Yahoo!
//! Japan») is then told apart by [`join_across`]: the name keeps its sentence unbroken, so
//! that a mention never runs past the end of its sentence.

use std::ops::Range;

use super::fold::is_line_break;

/// English abbreviations whose dot does not end a sentence (compared case-insensitively).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "sen", "rep", "gov", "pres", "rev", "hon", "amb", "inc", "ltd", "co", "corp", "vs",
    "etc", "no", "vol", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft", "dept", "univ", "est",
];

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '؟' | '!' | '…' | '۔')
}

fn is_closing(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '\'' | '’' | ')' | ']' | '}')
}

/// Splits `text` into sentences and returns their byte ranges, in order, without leading or
/// trailing white space. Ranges lie on character boundaries and do not overlap; text that is
/// only white space belongs to no sentence.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut guillemets = 0u32;
    let mut in_double_quote = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_line_break(c) {
            push_trimmed(text, start..i, &mut out);
            start = i + c.len_utf8();
            guillemets = 0;
            in_double_quote = false;
            continue;
        }
        match c {
            '«' => guillemets += 1,
            '»' => guillemets = guillemets.saturating_sub(1),
            '"' | '“' | '”' => in_double_quote = c == '“' || (c == '"' && !in_double_quote),
            _ => {}
        }
        if !is_terminator(c) || guillemets > 0 || in_double_quote {
            continue;
        }
        if c == '.' && !period_ends_sentence(text, i) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_terminator(d) || (is_closing(d) && d != '"') {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        push_trimmed(text, start..end, &mut out);
        start = end;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Joins the sentences that `spans` run across: where a span (byte range of a name found in
/// the text) starts in one sentence and ends past it, that sentence and every one the span
/// reaches become one. Sentences stay ordered and disjoint, and each span then lies inside
/// one; a span outside every sentence changes nothing. `spans` may come in any order.
pub fn join_across(
    sentences: &mut Vec<Range<usize>>,
    spans: impl IntoIterator<Item = Range<usize>>,
) {
    // The last sentence each sentence is joined to, raised by every span that crosses it.
    let mut reach: Vec<usize> = Vec::new();
    for span in spans {
        if span.start >= span.end {
            continue;
        }
        // The sentence the span starts in: the last one starting at or before it.
        let first = sentences.partition_point(|s| s.start <= span.start);
        let Some(first) = first.checked_sub(1) else {
            continue;
        };
        if span.end <= sentences[first].end || span.start >= sentences[first].end {
            continue;
        }
        // The last sentence the span reaches: the last one starting before its end.
        let last = sentences.partition_point(|s| s.start < span.end) - 1;
        if reach.is_empty() {
            reach = (0..sentences.len()).collect();
        }
        reach[first] = reach[first].max(last);
    }
    if reach.is_empty() {
        return;
    }
    let mut joined = Vec::with_capacity(sentences.len());
    let mut i = 0;
    while i < sentences.len() {
        let mut last = reach[i];
        let mut k = i;
        // A sentence inside the joined run may itself be crossed further on.
        while k < last {
            k += 1;
            last = last.max(reach[k]);
        }
        joined.push(sentences[i].start..sentences[last].end);
        i = last + 1;
    }
    *sentences = joined;
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        let s = range.start + trimmed_start;
        out.push(s..s + trimmed.len());
    }
}

/// Decides whether the `.` at byte `at` ends a sentence.
fn period_ends_sentence(text: &str, at: usize) -> bool {
    let next = text[at + 1..].chars().next();
    if next.is_some_and(|n| n.is_alphanumeric()) {
        // A dot inside a token: 3.5, U.S, ج.ا.ا, example.org.
        return false;
    }
    // The letters right before the dot, without building strings: this runs at every period.
    let before = &text[..at];
    let mut start = at;
    let mut letters = 0;
    for (i, c) in before.char_indices().rev() {
        if !c.is_alphabetic() {
            break;
        }
        start = i;
        letters += 1;
    }
    if letters == 1 {
        return false;
    }
    let word = &before[start..];
    if word.is_ascii() {
        return !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    // Some letters outside ASCII lower-case into it (the Kelvin sign into `k`).
    let word: String = word.chars().flat_map(char::to_lowercase).collect();
    !ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, text, expected sentences)
    const CASES: &[(&str, &str, &[&str])] = &[
        (
            "persian period",
            "شی جین پینگ گفت. کوبا پاسخ داد.",
            &["شی جین پینگ گفت.", "کوبا پاسخ داد."],
        ),
        (
            "persian question mark",
            "آیا دیدار کرد؟ بله.",
            &["آیا دیدار کرد؟", "بله."],
        ),
        ("exclamation", "Great! Then go.", &["Great!", "Then go."]),
        (
            "line break",
            "عنوان خبر\nمتن خبر",
            &["عنوان خبر", "متن خبر"],
        ),
        ("blank lines", "الف\n\n\nب", &["الف", "ب"]),
        ("crlf", "a\r\nb", &["a", "b"]),
        (
            "date and time",
            "2022/11/25 15:52:04 دیدار شد.",
            &["2022/11/25 15:52:04 دیدار شد."],
        ),
        (
            "decimal number",
            "رشد ۳.۵ درصد بود. سپس",
            &["رشد ۳.۵ درصد بود.", "سپس"],
        ),
        (
            "latin decimal",
            "Growth was 3.5 percent. Then",
            &["Growth was 3.5 percent.", "Then"],
        ),
        (
            "us abbreviation",
            "The U.S. envoy met him.",
            &["The U.S. envoy met him."],
        ),
        (
            "title abbreviation",
            "Dr. Smith met Mr. Li. They spoke.",
            &["Dr. Smith met Mr. Li.", "They spoke."],
        ),
        (
            "initial",
            "George W. Bush visited Iran.",
            &["George W. Bush visited Iran."],
        ),
        (
            "persian abbreviation",
            "در سال ۵۰۰ ق.م. شهر ساخته شد.",
            &["در سال ۵۰۰ ق.م. شهر ساخته شد."],
        ),
        (
            "quoted title with period",
            "دو طرف «بیانیه. مشترک» را منتشر کردند. سپس",
            &["دو طرف «بیانیه. مشترک» را منتشر کردند.", "سپس"],
        ),
        (
            "quoted title with question",
            "کتاب «چرا؟» منتشر شد.",
            &["کتاب «چرا؟» منتشر شد."],
        ),
        (
            "straight quotes",
            "He said \"Stop. Now\" and left.",
            &["He said \"Stop. Now\" and left."],
        ),
        (
            "closing quote stays",
            "او گفت «بله.» سپس رفت.",
            &["او گفت «بله.» سپس رفت."],
        ),
        (
            "closing paren stays",
            "(See above.) Next.",
            &["(See above.)", "Next."],
        ),
        (
            "ellipsis run",
            "Wait... what?! Yes.",
            &["Wait...", "what?!", "Yes."],
        ),
        (
            "unclosed quote ends at line",
            "«بی پایان. هنوز\nبعدی. آخر",
            &["«بی پایان. هنوز", "بعدی.", "آخر"],
        ),
        ("only spaces", "   \n  ", &[]),
        ("no terminator", "بدون نقطه", &["بدون نقطه"]),
    ];

    #[test]
    fn segmentation_table() {
        for (name, text, expected) in CASES {
            let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
            assert_eq!(&got, expected, "case {name:?}");
        }
    }

    /// (name, text, names found in it, expected sentences)
    const JOIN_CASES: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "a name with a mark keeps its sentence whole",
            "Yahoo! Japan met Sony. Then",
            &["Yahoo! Japan", "Sony"],
            &["Yahoo! Japan met Sony.", "Then"],
        ),
        (
            "a name ending at the mark changes nothing",
            "I use Yahoo! Then I left.",
            &["Yahoo!"],
            &["I use Yahoo!", "Then I left."],
        ),
        (
            "a name over two marks joins three sentences",
            "Ab! Bc? Cd. De.",
            &["Ab! Bc? Cd"],
            &["Ab! Bc? Cd.", "De."],
        ),
        (
            "overlapping runs join once",
            "A! B! C! D",
            &["B! C", "A! B"],
            &["A! B! C!", "D"],
        ),
        (
            "no name, no change",
            "Great! Then go.",
            &[],
            &["Great!", "Then go."],
        ),
    ];

    #[test]
    fn names_holding_a_sentence_mark_join_sentences() {
        for (name, text, names, expected) in JOIN_CASES {
            let mut got = sentences(text);
            join_across(
                &mut got,
                names.iter().map(|n| {
                    let at = text.find(n).expect("name in text");
                    at..at + n.len()
                }),
            );
            let got: Vec<&str> = got.into_iter().map(|r| &text[r]).collect();
            assert_eq!(&got, expected, "case {name:?}");
        }
    }

    #[test]
    fn seed_article_header_lines_are_sentences() {
        let text = "دیدار و گفتگوی رؤسای جمهور چین و کوبا\n2022/11/25 15:52:04\n\nپیش از ظهر جمعه";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            [
                "دیدار و گفتگوی رؤسای جمهور چین و کوبا",
                "2022/11/25 15:52:04",
                "پیش از ظهر جمعه"
            ]
        );
    }
}
