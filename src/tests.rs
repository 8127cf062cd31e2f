//! Table-driven tests of the whole matching path (normalization, automaton, boundary and
//! suffix filtering, selection), each case run against every haystack configuration.

use proptest::prelude::*;

use crate::gazetteer::{DataFiles, GazetteerBuilder};
use crate::gazetteer::{Predicates, RuleSet, RuleSpecs};
use crate::{Document, Pipeline};

/// A small gazetteer exercising every matching feature. The morphology tables are the real
/// ones from `gazetteers/`.
const TEST_ENTITIES: &str = "\
id\ttype\tname_en\tname_fa\taliases\tshort\tcountry
country:CN\tCOUNTRY\tChina\tچین\tجمهوری خلق چین\t\t
country:CU\tCOUNTRY\tCuba\tکوبا\tجمهوری کوبا | جمهوری خلق کوبا\t\t
country:IR\tCOUNTRY\tIran\tایران\tجمهوری اسلامی ایران\t\t
country:US\tCOUNTRY\tUnited States\tآمریکا\tایالات متحده | ایالات متحده آمریکا | U.S. | USA\t\t
country:PE\tCOUNTRY\tPeru\tپرو\t\t\t
country:GE\tCOUNTRY\tGeorgia\tگرجستان\tجورجیا\t\t
organization:cia\tORGANIZATION\tCIA\tسیا\tCIA\t\tUS
organization:iran-air\tORGANIZATION\tIran Air\tایران ایر\t\t\tIR
organization:georgia-assembly\tORGANIZATION\tGeorgia Assembly\tمجمع جورجیا\tجورجیا\t\tUS
organization:g77-china\tORGANIZATION\tGroup of 77 and China\tگروه هفتاد و هفت + چین\tگروه 77\t\t
organization:g20\tORGANIZATION\tG20\tگروه ۲۰\tG20 | گروه بیست\t\t
organization:intl-cooperation\tORGANIZATION\tInternational cooperation fund\tصندوق همکاری بینالمللی\t\t\t
organization:intl-relations\tORGANIZATION\tInternational relations office\tدفتر روابط بین‌المللی\t\t\t
region:latin-america\tREGION\tLatin America\tآمریکای لاتین\t\t\t
region:latin-america-and-the-caribbean\tREGION\tLatin America and the Caribbean\tآمریکای لاتین و کارائیب\t\t\t
party:communist-party-of-china\tPARTY\tCommunist Party of China\tحزب کمونیست چین\t\t\tCN
person:xi-jinping\tPERSON\tXi Jinping\tشی جین پینگ\tXi Jinping\tشی | Xi\tCN
person:miguel-diaz-canel\tPERSON\tMiguel Díaz-Canel\tمیگل دیاز-کانل برمودز\tمیگل دیاز-کانل | Díaz-Canel\t\tCU
principle:one-china-principle\tPRINCIPLE\tOne-China principle\tاصل چین واحد\t\t\t
";

fn test_pipeline() -> Pipeline {
    let embedded = DataFiles::embedded();
    let mut files = DataFiles::default();
    for name in ["affixes.tsv", "suffixes.tsv", "common_words.txt"] {
        files.insert(name, embedded.get(name).expect("embedded morphology table"));
    }
    let mut builder = GazetteerBuilder::new();
    builder.add_files(&files);
    builder.add_entities_tsv("test.tsv", TEST_ENTITIES);
    let gazetteer = builder.build().expect("valid test gazetteer");
    let rules = RuleSet::new(RuleSpecs::default(), Predicates::default());
    Pipeline::new(gazetteer, rules).expect("automaton")
}

/// One matching case: the mentions expected in `haystack`, in output order, as
/// `(text, entity id)`; a text starting with `~` is a nested mention.
struct MatchTest {
    name: &'static str,
    haystack: &'static str,
    matches: &'static [(&'static str, &'static str)],
}

const MATCH_TESTS: &[MatchTest] = &[
    MatchTest {
        name: "seed opening",
        haystack: "شی جین پینگ دبیر کل با میگل دیاز-کانل برمودز، رئیس جمهور کوبا دیدار کرد",
        matches: &[
            ("شی جین پینگ", "person:xi-jinping"),
            ("میگل دیاز-کانل برمودز", "person:miguel-diaz-canel"),
            ("کوبا", "country:CU"),
        ],
    },
    MatchTest {
        name: "zwnj inside a name",
        haystack: "شی‌جین‌پینگ گفت",
        matches: &[("شی‌جین‌پینگ", "person:xi-jinping")],
    },
    MatchTest {
        name: "name written joined",
        haystack: "شیجینپینگ گفت",
        matches: &[("شیجینپینگ", "person:xi-jinping")],
    },
    MatchTest {
        name: "spaces doubled",
        haystack: "شی  جین   پینگ",
        matches: &[("شی  جین   پینگ", "person:xi-jinping")],
    },
    MatchTest {
        name: "nbsp inside a name",
        haystack: "شی\u{00A0}جین پینگ",
        matches: &[("شی\u{00A0}جین پینگ", "person:xi-jinping")],
    },
    MatchTest {
        name: "joined alias, zwnj text",
        haystack: "صندوق همکاری بین‌المللی",
        matches: &[("صندوق همکاری بین‌المللی", "organization:intl-cooperation")],
    },
    MatchTest {
        name: "joined alias, joined text",
        haystack: "صندوق همکاری بینالمللی",
        matches: &[("صندوق همکاری بینالمللی", "organization:intl-cooperation")],
    },
    MatchTest {
        name: "joined alias, spaced text",
        haystack: "صندوق همکاری بین المللی",
        matches: &[("صندوق همکاری بین المللی", "organization:intl-cooperation")],
    },
    MatchTest {
        name: "zwnj alias, zwnj text",
        haystack: "دفتر روابط بین‌المللی",
        matches: &[("دفتر روابط بین‌المللی", "organization:intl-relations")],
    },
    MatchTest {
        name: "zwnj alias, joined text",
        haystack: "دفتر روابط بینالمللی",
        matches: &[("دفتر روابط بینالمللی", "organization:intl-relations")],
    },
    MatchTest {
        name: "zwnj alias, spaced text",
        haystack: "دفتر روابط بین المللی",
        matches: &[("دفتر روابط بین المللی", "organization:intl-relations")],
    },
    MatchTest {
        name: "arabic yeh and kaf",
        haystack: "كوبا و چين",
        matches: &[("كوبا", "country:CU"), ("چين", "country:CN")],
    },
    MatchTest {
        name: "diacritics inside",
        haystack: "كُوبا",
        matches: &[("كُوبا", "country:CU")],
    },
    MatchTest {
        name: "tatweel inside",
        haystack: "چـــین",
        matches: &[("چـــین", "country:CN")],
    },
    MatchTest {
        name: "alias inside a word",
        haystack: "برای پیشبرد رستاخیز",
        matches: &[],
    },
    MatchTest {
        name: "demonym after consonant",
        haystack: "به سبک چینی",
        matches: &[],
    },
    MatchTest {
        name: "demonym after vowel",
        haystack: "هیئت کوبایی",
        matches: &[],
    },
    MatchTest {
        name: "plural with zwnj",
        haystack: "چین‌ها",
        matches: &[],
    },
    MatchTest {
        name: "copula after vowel",
        haystack: "دو کشور چین و کوباست.",
        matches: &[("چین", "country:CN"), ("کوبا", "country:CU")],
    },
    MatchTest {
        name: "object marker apart",
        haystack: "چین را",
        matches: &[("چین", "country:CN")],
    },
    MatchTest {
        name: "object marker attached",
        haystack: "چینرا",
        matches: &[("چین", "country:CN")],
    },
    MatchTest {
        name: "ezafe after a final vowel",
        haystack: "سیاست آمریکای امروز",
        matches: &[("آمریکا", "country:US")],
    },
    MatchTest {
        name: "a country inside a region's name is part of the name",
        haystack: "کشور آمریکای لاتین",
        matches: &[("آمریکای لاتین", "region:latin-america")],
    },
    MatchTest {
        name: "longest region wins, regions inside it are part of it",
        haystack: "یک کشور آمریکای لاتین و کارائیب هستید",
        matches: &[(
            "آمریکای لاتین و کارائیب",
            "region:latin-america-and-the-caribbean",
        )],
    },
    MatchTest {
        name: "longer alias passes",
        haystack: "شرکت ایران ایر",
        matches: &[
            ("ایران ایر", "organization:iran-air"),
            ("~ایران", "country:IR"),
        ],
    },
    MatchTest {
        name: "plus sign spacing",
        haystack: "گروه هفتاد و هفت +چین تقویت شود",
        matches: &[
            ("گروه هفتاد و هفت +چین", "organization:g77-china"),
            ("~چین", "country:CN"),
        ],
    },
    MatchTest {
        name: "party with nested country",
        haystack: "حزب کمونیست چین",
        matches: &[
            ("حزب کمونیست چین", "party:communist-party-of-china"),
            ("~چین", "country:CN"),
        ],
    },
    MatchTest {
        name: "principle with nested country",
        haystack: "بر اصل چین واحد پایبند است",
        matches: &[
            ("اصل چین واحد", "principle:one-china-principle"),
            ("~چین", "country:CN"),
        ],
    },
    MatchTest {
        name: "state names",
        haystack: "جمهوری خلق چین و جمهوری خلق کوبا",
        matches: &[
            ("جمهوری خلق چین", "country:CN"),
            ("جمهوری خلق کوبا", "country:CU"),
        ],
    },
    MatchTest {
        name: "shorter name of the same entity is not nested",
        haystack: "میگل دیاز-کانل برمودز",
        matches: &[("میگل دیاز-کانل برمودز", "person:miguel-diaz-canel")],
    },
    MatchTest {
        name: "short form alone is not a mention",
        haystack: "شی گفت",
        matches: &[],
    },
    MatchTest {
        name: "short form after the full name",
        haystack: "شی جین پینگ آمد. شی گفت",
        matches: &[
            ("شی جین پینگ", "person:xi-jinping"),
            ("شی", "person:xi-jinping"),
        ],
    },
    MatchTest {
        name: "short form before the full name",
        haystack: "شی گفت. شی جین پینگ آمد",
        matches: &[("شی جین پینگ", "person:xi-jinping")],
    },
    MatchTest {
        name: "persian digits",
        haystack: "نشست گروه ۲۰",
        matches: &[("گروه ۲۰", "organization:g20")],
    },
    MatchTest {
        name: "latin digits for persian alias",
        haystack: "نشست گروه 20",
        matches: &[("گروه 20", "organization:g20")],
    },
    MatchTest {
        name: "arabic-indic digits",
        haystack: "گروه ٧٧",
        matches: &[("گروه ٧٧", "organization:g77-china")],
    },
    MatchTest {
        name: "no match across a line break",
        haystack: "ایالات متحده\nآمریکا",
        matches: &[("ایالات متحده", "country:US"), ("آمریکا", "country:US")],
    },
    MatchTest {
        name: "alias spaces are not optional letters",
        haystack: "پر و بال",
        matches: &[],
    },
    MatchTest {
        name: "alias without space",
        haystack: "کشور پرو",
        matches: &[("پرو", "country:PE")],
    },
    MatchTest {
        name: "english case folding",
        haystack: "XI JINPING met Díaz-Canel",
        matches: &[
            ("XI JINPING", "person:xi-jinping"),
            ("Díaz-Canel", "person:miguel-diaz-canel"),
        ],
    },
    MatchTest {
        name: "english unaccented",
        haystack: "Xi Jinping met Diaz-Canel",
        matches: &[
            ("Xi Jinping", "person:xi-jinping"),
            ("Diaz-Canel", "person:miguel-diaz-canel"),
        ],
    },
    MatchTest {
        name: "english words do not join",
        haystack: "I ran home",
        matches: &[],
    },
    MatchTest {
        name: "english abbreviation",
        haystack: "the U.S. and USA",
        matches: &[("U.S.", "country:US"), ("USA", "country:US")],
    },
    MatchTest {
        name: "english substring",
        haystack: "Iranian and USAID",
        matches: &[],
    },
    MatchTest {
        name: "english short form",
        haystack: "Xi Jinping spoke. Xi said",
        matches: &[
            ("Xi Jinping", "person:xi-jinping"),
            ("Xi", "person:xi-jinping"),
        ],
    },
    MatchTest {
        name: "punctuation around",
        haystack: "«کوبا»، (چین)",
        matches: &[("کوبا", "country:CU"), ("چین", "country:CN")],
    },
    MatchTest {
        name: "ambiguous alias keeps the first candidate",
        haystack: "ایالت جورجیا",
        matches: &[("جورجیا", "country:GE")],
    },
];

/// A haystack transformation that must not change what is found.
struct Configuration {
    name: &'static str,
    /// Text put before and after the haystack.
    around: (&'static str, &'static str),
    /// Letter substitutions applied to the haystack and to expected texts.
    letters: &'static [(char, char)],
}

const CONFIGURATIONS: &[Configuration] = &[
    Configuration {
        name: "as written",
        around: ("", ""),
        letters: &[],
    },
    Configuration {
        name: "arabic letter forms",
        around: ("", ""),
        letters: &[('ی', 'ي'), ('ک', 'ك')],
    },
    Configuration {
        name: "in context",
        around: ("متن خبر:\n", " و پایان.\n"),
        letters: &[],
    },
    Configuration {
        name: "after an ascii line",
        around: ("Tehran, Nov 25 (News) -- ", ""),
        letters: &[],
    },
];

fn substitute(text: &str, letters: &[(char, char)]) -> String {
    text.chars()
        .map(|c| {
            letters
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect()
}

#[test]
fn match_table() {
    let pipeline = test_pipeline();
    let mut failures = Vec::new();
    for config in CONFIGURATIONS {
        for test in MATCH_TESTS {
            let haystack = format!(
                "{}{}{}",
                config.around.0,
                substitute(test.haystack, config.letters),
                config.around.1
            );
            let doc = Document::new("t", haystack.clone());
            let extraction = pipeline.extract(&doc);
            for m in &extraction.mentions {
                let by_chars: String = haystack
                    .chars()
                    .skip(m.start)
                    .take(m.end - m.start)
                    .collect();
                assert_eq!(
                    by_chars,
                    m.text(&doc),
                    "{}: code points and bytes disagree",
                    test.name
                );
            }
            let got: Vec<(String, String)> = extraction
                .mentions
                .iter()
                .map(|m| {
                    let nested = if m.nested { "~" } else { "" };
                    (
                        format!("{nested}{}", m.text(&doc)),
                        pipeline.entity(&extraction, m).id.clone(),
                    )
                })
                .collect();
            let expected: Vec<(String, String)> = test
                .matches
                .iter()
                .map(|(text, id)| (substitute(text, config.letters), id.to_string()))
                .collect();
            if got != expected {
                failures.push(format!(
                    "[{}] {}: {:?}\n    expected {expected:?}\n    got      {got:?}",
                    config.name, test.name, haystack
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ambiguous_alias_lists_every_candidate() {
    let pipeline = test_pipeline();
    let doc = Document::new("t", "ایالت جورجیا");
    let extraction = pipeline.extract(&doc);
    let ids: Vec<&str> = extraction
        .candidates(&extraction.mentions[0])
        .map(|c| pipeline.gazetteer().entity(c).id.as_str())
        .collect();
    assert_eq!(ids, ["country:GE", "organization:georgia-assembly"]);
}

#[test]
fn mentions_carry_sentence_indexes() {
    let pipeline = test_pipeline();
    let doc = Document::new("t", "عنوان چین\n\nکوبا آمد. ایران رفت؟ آمریکا");
    let extraction = pipeline.extract(&doc);
    let sentences: Vec<usize> = extraction.mentions.iter().map(|m| m.sentence).collect();
    assert_eq!(sentences, [0, 1, 2, 3]);
    assert_eq!(extraction.chars, doc.text.chars().count());
}

/// Text built from fragments of aliases, separators and arbitrary characters, so that
/// matches actually happen.
fn haystack() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("چین".to_string()),
        Just("كوبا".to_string()),
        Just("آمریکای".to_string()),
        Just("لاتین".to_string()),
        Just("ایران".to_string()),
        Just("شی".to_string()),
        Just("جین".to_string()),
        Just("پینگ".to_string()),
        Just("\u{200C}".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("ﻛﻮﺑﺎ".to_string()),
        Just("İ".to_string()),
        Just("ـ".to_string()),
        Just("\u{064E}".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(fragment, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn mentions_are_exact_slices(text in haystack()) {
        let pipeline = test_pipeline();
        let doc = Document::new("p", text.clone());
        let extraction = pipeline.extract(&doc);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let char_at_byte = |b: usize| chars.iter().position(|&(i, _)| i == b).unwrap_or(chars.len());
        for m in &extraction.mentions {
            prop_assert!(text.is_char_boundary(m.byte_start) && text.is_char_boundary(m.byte_end));
            prop_assert!(m.byte_start < m.byte_end);
            prop_assert_eq!(char_at_byte(m.byte_start), m.start);
            prop_assert_eq!(char_at_byte(m.byte_end), m.end);
            prop_assert!(!m.text(&doc).is_empty());
        }
        prop_assert_eq!(extraction.chars, chars.len());
    }

    #[test]
    fn normalized_spans_round_trip(text in "\\PC{0,60}") {
        let n = crate::text::Normalized::new(&text);
        let skeleton = n.skeleton();
        prop_assert_eq!(crate::text::skeleton(&text), skeleton, "the skeleton alone is the same");
        let starts: Vec<usize> = skeleton.char_indices().map(|(i, _)| i).chain([skeleton.len()]).collect();
        let mut last_start = 0;
        for (k, &a) in starts.iter().enumerate() {
            if a == skeleton.len() { break; }
            let start = n.original_range(a..starts[k + 1]).start;
            prop_assert!(start >= last_start, "mapping is monotonic");
            last_start = start;
            for &b in &starts[k + 1..] {
                let r = n.original_range(a..b);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!(r.start < r.end);
                // Normalizing the original slice gives back the skeleton slice (plus the rest
                // of a character that folds to several, like ﻻ → لا).
                let again = crate::text::Normalized::new(&text[r.clone()]);
                prop_assert!(again.skeleton().contains(&skeleton[a..b]));
            }
        }
    }
}

/// The real articles of `tests/corpus/` as one sentence of at least `bytes` bytes: line
/// breaks and sentence marks become spaces, and the text is repeated.
fn one_sentence(bytes: usize) -> String {
    let mut files: Vec<std::path::PathBuf> = ["dev", "seed"]
        .iter()
        .flat_map(|dir| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/corpus")
                .join(dir);
            std::fs::read_dir(dir)
                .expect("tests/corpus")
                .map(|e| e.expect("entry").path())
        })
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let text: String = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a corpus file") + " ")
        .collect::<String>()
        .chars()
        .map(|c| {
            if matches!(c, '.' | '?' | '؟' | '!' | '…' | '۔') || c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(bytes + text.len());
    while out.len() < bytes {
        out.push_str(&text);
    }
    out
}

/// The operations of extracting `text` as one document and turning it into a graph part.
fn operations(pipeline: &Pipeline, text: &str) -> (u64, usize) {
    let doc = Document::new("long", text);
    crate::ops::take();
    let extraction = pipeline.extract(&doc);
    assert_eq!(extraction.sentences.len(), 1, "one sentence");
    let part = crate::GraphPart::from_document(pipeline.gazetteer(), &doc, &extraction);
    std::hint::black_box(part);
    (
        crate::ops::take(),
        extraction.mentions.len() + extraction.relations.len(),
    )
}

/// No stage is quadratic in the length of a sentence: a 2 MB sentence costs about eight times
/// the operations of a 256 kB one (counted, not timed: a quadratic stage would cost 64 times).
#[test]
fn a_long_sentence_costs_linear_operations() {
    let pipeline = Pipeline::embedded().expect("bundled data");
    let small = one_sentence(256 << 10);
    let large = one_sentence(2 << 20);
    let (small_ops, small_found) = operations(&pipeline, &small);
    let (large_ops, large_found) = operations(&pipeline, &large);
    let size = large.len() as f64 / small.len() as f64;
    let ratio = large_ops as f64 / small_ops as f64;
    assert!(small_found > 1000, "the text is found in: {small_found}");
    assert!(
        large_found as f64 > size * small_found as f64 * 0.9,
        "{large_found} vs {small_found}"
    );
    assert!(
        ratio < size * 1.5,
        "{large_ops} operations for {} bytes, {small_ops} for {}: {ratio:.1}×",
        large.len(),
        small.len()
    );
}

/// A name holding a sentence mark keeps its sentence whole: the mention lies inside one
/// sentence, the text before and after it is the same sentence, and a mark that is no part of
/// a name still ends one.
#[test]
fn a_name_holding_a_sentence_mark_keeps_its_sentence_whole() {
    let embedded = DataFiles::embedded();
    let mut files = DataFiles::default();
    for name in ["affixes.tsv", "suffixes.tsv", "common_words.txt"] {
        files.insert(name, embedded.get(name).expect("embedded morphology table"));
    }
    let mut builder = GazetteerBuilder::new();
    builder.add_files(&files);
    builder.add_entities_tsv(
        "test.tsv",
        "id\ttype\tname_en\tname_fa\n\
         organization:yahoo-japan\tORGANIZATION\tYahoo! Japan\tیاهو! ژاپن\n\
         country:CN\tCOUNTRY\tChina\tچین\n",
    );
    let rules = RuleSet::from_files(&embedded).expect("embedded rules");
    let pipeline =
        Pipeline::new(builder.build().expect("valid gazetteer"), rules).expect("automaton");
    for (text, name, expected) in [
        (
            "Great! Yahoo! Japan met China. Then",
            "Yahoo! Japan",
            &["Great!", "Yahoo! Japan met China.", "Then"][..],
        ),
        (
            "یاهو! ژاپن و چین. سپس",
            "یاهو! ژاپن",
            &["یاهو! ژاپن و چین.", "سپس"][..],
        ),
    ] {
        let doc = Document::new("d", text);
        let x = pipeline.extract(&doc);
        let sentences: Vec<&str> = x.sentences.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(sentences, expected, "{text}");
        assert_eq!(x.mentions.len(), 2, "{text}: {:?}", x.mentions);
        for m in &x.mentions {
            let s = &x.sentences[m.sentence];
            assert!(
                s.start <= m.byte_start && m.byte_end <= s.end,
                "{m:?} outside {s:?}"
            );
        }
        assert_eq!(x.mentions[0].text(&doc), name);
        for r in &x.relations {
            let s = &x.sentences[r.sentence];
            assert!(
                s.start <= r.byte_start && r.byte_end <= s.end,
                "{r:?} outside {s:?}"
            );
        }
    }
}

/// A title's body is in the title's sentence: a name glued to the next sentence's start
/// («the !CPC») is not the body, and the title mention does not cross the sentence end.
#[test]
fn a_title_body_is_in_the_title_sentence() {
    let pipeline = Pipeline::embedded().expect("embedded pipeline");
    let text = "Díaz-Canel thanked Xi. He congratulated Xi on his re-election as General Secretary of the !CPC Central Committee.";
    let doc = Document::new("d", text);
    let x = pipeline.extract(&doc);
    for m in &x.mentions {
        let s = &x.sentences[m.sentence];
        assert!(
            s.start <= m.byte_start && m.byte_end <= s.end,
            "{:?} outside {:?}",
            m.text(&doc),
            &text[s.clone()]
        );
    }
    assert!(x.mentions.iter().any(|m| m.text(&doc) == "CPC"));
}
