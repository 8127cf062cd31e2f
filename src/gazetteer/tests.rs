//! Gazetteer loading: every way a row can be wrong is reported as `file:line: reason`.

use super::*;

const HEADER: &str =
    "id\ttype\tname_en\tname_fa\taliases\tshort\tcountry\tpart_of\toffices\twikidata\n";

fn load(rows: &str) -> Result<Gazetteer, Vec<String>> {
    let mut builder = GazetteerBuilder::new();
    builder.add_entities_tsv("entities/t.tsv", &format!("{HEADER}{rows}"));
    builder.build().map_err(|e| match e {
        DataError::Invalid(errors) => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    })
}

/// (name, rows after the header, expected error messages)
const BAD_ROWS: &[(&str, &str, &[&str])] = &[
    (
        "unknown type",
        "person:x\tHUMAN\tX\tایکس\t\t\t\t\t\t\n",
        &["entities/t.tsv:2: unknown type \"HUMAN\" (known: PERSON, PARTY, COUNTRY, REGION, CITY, ORGANIZATION, INITIATIVE, EVENT, PRINCIPLE, DOCUMENT)"],
    ),
    (
        "duplicate id",
        "country:CN\tCOUNTRY\tChina\tچین\t\t\t\t\t\t\n# a comment line\ncountry:CN\tCOUNTRY\tPRC\tچین\t\t\t\t\t\t\n",
        &["entities/t.tsv:4: duplicate id country:CN (first defined at entities/t.tsv:2)"],
    ),
    (
        "empty alias",
        "country:CU\tCOUNTRY\tCuba\tکوبا\tجمهوری کوبا | | Cuba\t\t\t\t\t\n",
        &["entities/t.tsv:2: aliases: empty item in list \"جمهوری کوبا | | Cuba\""],
    ),
    (
        "trailing pipe",
        "country:CU\tCOUNTRY\tCuba\tکوبا\tجمهوری کوبا |\t\t\t\t\t\n",
        &["entities/t.tsv:2: aliases: empty item in list \"جمهوری کوبا |\""],
    ),
    (
        "country column not alpha-2",
        "person:x\tPERSON\tX\tایکس\t\t\tUK\t\t\t\n",
        &["entities/t.tsv:2: country \"UK\" is not an ISO 3166-1 alpha-2 code"],
    ),
    (
        "country id not alpha-2",
        "country:XX\tCOUNTRY\tNowhere\tناکجا\t\t\t\t\t\t\n",
        &["entities/t.tsv:2: id \"country:XX\": \"XX\" is not an ISO 3166-1 alpha-2 code"],
    ),
    (
        "id prefix disagrees with type",
        "party:x\tPERSON\tX\tایکس\t\t\t\t\t\t\n",
        &["entities/t.tsv:2: id \"party:x\" has prefix \"party\" but type PERSON needs \"person\""],
    ),
    (
        "no names",
        "person:x\tPERSON\t\t\t\t\t\t\t\t\n",
        &["entities/t.tsv:2: name_en and name_fa are both empty"],
    ),
    (
        "too few cells",
        "person:x\tPERSON\tX\n",
        &["entities/t.tsv:2: expected 10 tab-separated cells as in the header, found 3"],
    ),
    (
        "malformed office",
        "person:x\tPERSON\tX\tایکس\t\t\t\t\tPresident of CN\t\n",
        &["entities/t.tsv:2: office \"President of CN\" is not Role@entity-id[from..to]"],
    ),
    (
        "unknown reference",
        "person:x\tPERSON\tX\tایکس\t\t\t\tregion:atlantis\tPresident@country:CU[2019..]\t\n",
        &[
            "entities/t.tsv:2: part_of: unknown entity id region:atlantis",
            "entities/t.tsv:2: offices: unknown entity id country:CU",
        ],
    ),
    (
        "bad wikidata",
        "person:x\tPERSON\tX\tایکس\t\t\t\t\t\t15031\n",
        &["entities/t.tsv:2: wikidata \"15031\" is not a QID (Q followed by digits)"],
    ),
    (
        "every bad row is reported",
        "person:a\tHUMAN\tA\tالف\t\t\t\t\t\t\nperson:b\tPERSON\tB\tب\t\t\tZZ\t\t\t\n",
        &[
            "entities/t.tsv:2: unknown type \"HUMAN\" (known: PERSON, PARTY, COUNTRY, REGION, CITY, ORGANIZATION, INITIATIVE, EVENT, PRINCIPLE, DOCUMENT)",
            "entities/t.tsv:3: country \"ZZ\" is not an ISO 3166-1 alpha-2 code",
        ],
    ),
];

#[test]
fn bad_rows_name_file_line_and_reason() {
    for (name, rows, expected) in BAD_ROWS {
        let errors = load(rows).expect_err(name);
        assert_eq!(&errors, expected, "case {name:?}");
    }
}

#[test]
fn unknown_column_is_rejected() {
    let mut builder = GazetteerBuilder::new();
    builder.add_entities_tsv("entities/t.tsv", "id\ttype\tname_en\tname_fa\tnmae_fa\n");
    let err = builder.build().unwrap_err().to_string();
    assert!(
        err.starts_with("entities/t.tsv:1: unknown column \"nmae_fa\""),
        "{err}"
    );
}

#[test]
fn valid_row_loads_every_column() {
    let g = load(
        "country:CN\tCOUNTRY\tChina\tچین\tجمهوری خلق چین\t\t\t\t\tQ148\n\
         party:communist-party-of-china\tPARTY\tCommunist Party of China\tحزب کمونیست چین\tCPC | CCP\t\tCN\t\t\t\n\
         person:xi-jinping\tPERSON\tXi Jinping\tشی جین پینگ\t\tشی\tCN\t\tPresident@country:CN[2013..] | General Secretary@party:communist-party-of-china[2012..]\tQ15031\n",
    )
    .unwrap();
    let xi = g.get("person:xi-jinping").unwrap();
    assert_eq!(xi.entity_type, EntityType::Person);
    assert_eq!(xi.country.as_deref(), Some("CN"));
    assert_eq!(xi.offices.len(), 2);
    assert_eq!(xi.offices[1].of, "party:communist-party-of-china");
    assert_eq!(xi.wikidata.as_deref(), Some("Q15031"));
    let kinds: Vec<_> = xi
        .aliases
        .iter()
        .map(|a| (a.text.as_str(), a.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Xi Jinping", AliasKind::Name),
            ("شی جین پینگ", AliasKind::Name),
            ("شی", AliasKind::Short)
        ]
    );
    assert_eq!(xi.line, 4);
    assert_eq!(
        g.get("party:communist-party-of-china")
            .unwrap()
            .aliases
            .len(),
        4
    );
}

#[test]
fn spacy_patterns() {
    let mut builder = GazetteerBuilder::new();
    builder.add_entities_tsv(
        "entities/t.tsv",
        &format!("{HEADER}country:CN\tCOUNTRY\tChina\tچین\t\t\t\t\t\t\n"),
    );
    builder.add_spacy_patterns(
        "p.jsonl",
        concat!(
            "{\"label\": \"GPE\", \"pattern\": \"PRC\", \"id\": \"country:CN\"}\n",
            "{\"label\": \"ORG\", \"pattern\": \"Xinhua\", \"id\": \"xinhua\"}\n",
            "{\"label\": \"ORG\", \"pattern\": \"خبرگزاری شین هوا\", \"id\": \"xinhua\"}\n",
            "\n",
            "{\"label\": \"PERSON\", \"pattern\": [{\"LOWER\": \"wang\"}, {\"LOWER\": \"yi\"}]}\n",
            "{\"label\": \"PER\", \"pattern\": \"علی\"}\n",
        ),
    );
    let g = builder.build().unwrap();
    let cn = g.get("country:CN").unwrap();
    assert!(cn
        .aliases
        .iter()
        .any(|a| a.text == "PRC" && a.origin == Origin::Pattern));
    let xinhua = g.get("organization:xinhua").unwrap();
    assert_eq!(
        (xinhua.name_en.as_str(), xinhua.name_fa.as_str()),
        ("Xinhua", "خبرگزاری شین هوا")
    );
    assert_eq!(g.get("person:wang-yi").unwrap().name_en, "wang yi");
    let ali = g.entities().last().unwrap();
    assert!(
        ali.id.starts_with("person:p") && ali.id.len() == "person:p".len() + 8,
        "{}",
        ali.id
    );
}

#[test]
fn spacy_pattern_errors() {
    let text = concat!(
        "{\"label\": \"PRODUCT\", \"pattern\": \"iPhone\"}\n",
        "{\"label\": \"ORG\", \"pattern\": [{\"POS\": \"NOUN\"}]}\n",
        "not json\n",
        "{\"label\": \"ORG\"}\n",
    );
    let mut builder = GazetteerBuilder::new();
    builder.add_spacy_patterns("p.jsonl", text);
    let errors: Vec<String> = match builder.build().unwrap_err() {
        DataError::Invalid(e) => e.iter().map(ToString::to_string).collect(),
        other => panic!("{other}"),
    };
    // What newsgraph cannot use is skipped, not an error (the CLI warns about it).
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("p.jsonl:3: invalid JSON"));
    assert_eq!(errors[1], "p.jsonl:4: missing \"pattern\"");
    let skipped: Vec<String> = super::skipped_patterns("p.jsonl", text)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].starts_with("p.jsonl:1: label PRODUCT"));
    assert!(skipped[1].starts_with("p.jsonl:2: token attribute \"POS\""));
}

#[test]
fn lint_reports_ambiguous_aliases_and_duplicates() {
    let mut files = DataFiles::default();
    files.insert(
        "entities/a.tsv",
        format!(
            "{HEADER}country:GE\tCOUNTRY\tGeorgia\tگرجستان\tجورجيا\t\t\t\t\t\n\
             organization:georgia-assembly\tORGANIZATION\tGeorgia Assembly\tمجمع جورجیا\tجورجیا\t\tUS\t\t\t\n\
             country:GE\tCOUNTRY\tGeorgia\tگرجستان\t\t\t\t\t\t\n"
        ),
    );
    let findings: Vec<String> = crate::lint(&files)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        findings,
        [
            "entities/a.tsv:2: ambiguous-alias: normalized alias «جورجیا» names 2 entities: country:GE «جورجيا» (entities/a.tsv:2), organization:georgia-assembly «جورجیا» (entities/a.tsv:3)",
            "entities/a.tsv:2: foldable-spelling: alias «جورجيا» of country:GE is not in canonical written form (Arabic yeh ي); normalization folds it anyway: write «جورجیا»",
            "entities/a.tsv:4: duplicate-id: duplicate id country:GE (first defined at entities/a.tsv:2)",
        ]
    );
}

#[test]
fn embedded_gazetteer_loads() {
    let g = Gazetteer::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(!g.morphology().affixes.is_empty());
    assert!(!g.morphology().suffixes.is_empty());
}

#[test]
fn line_numbers_count_comments_and_blank_lines() {
    let mut builder = GazetteerBuilder::new();
    builder.add_entities_tsv(
        "entities/t.tsv",
        &format!("# comment\n\n{HEADER}# another\n\nperson:x\tPERSON\tX\tایکس\t\t\tUK\t\t\t\n"),
    );
    let err = builder.build().unwrap_err().to_string();
    assert_eq!(
        err,
        "entities/t.tsv:6: country \"UK\" is not an ISO 3166-1 alpha-2 code"
    );
}

#[test]
fn bad_head_rows_name_file_line_and_reason() {
    let heads = "# comment\n\
        id\ttype\tname_en\tname_fa\tforms\thost\n\
        army\tORGANIZATION\tArmy of {country}\tارتش {country}\tارتش\t\n\
        Navy\tORGANIZATION\tNavy of {country}\tنیروی دریایی {country}\tنیروی دریایی\t\n\
        police\tFORCE\tPolice of {country}\tپلیس {country}\tپلیس\t\n\
        court\tORGANIZATION\tCourt\tدادگاه {country}\tدادگاه\t\n\
        forces\tORGANIZATION\tForces of {country}\tنیروهای {country}\tارتش\t\n\
        bank\tORGANIZATION\tBank of {country}\tبانک {country}\t\t\n\
        embassy\tORGANIZATION\tEmbassy of {country}\tسفارت {country}\tسفارت\tدر | \n";
    let mut files = DataFiles::default();
    files.insert(
        "entities/t.tsv",
        format!("{HEADER}country:SY\tCOUNTRY\tSyria\tسوریه\t\t\t\t\t\t\n"),
    );
    files.insert(composed::HEADS_FILE, heads);
    let err = Gazetteer::from_files(&files).unwrap_err().to_string();
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "composed/heads.tsv:4: id \"Navy\": lower-case ASCII letters, digits and '-' only",
            "composed/heads.tsv:5: unknown type \"FORCE\"",
            "composed/heads.tsv:6: name_en: \"Court\" has no {country}",
            "composed/heads.tsv:7: forms: \"ارتش\" is already a form of army (line 3)",
            "composed/heads.tsv:8: forms: no form",
            "composed/heads.tsv:9: empty item in list \"در |\"",
        ]
    );
}

#[test]
fn a_curated_body_wins_over_its_composition() {
    let mut files = DataFiles::default();
    files.insert(
        "entities/t.tsv",
        format!(
            "{HEADER}country:US\tCOUNTRY\tUnited States\tایالات متحده\tآمریکا\t\t\t\t\t\n\
             organization:state-department\tORGANIZATION\tUS Department of State\tوزارت امور خارجه آمریکا\t\t\tUS\t\t\t\n"
        ),
    );
    files.insert(
        composed::HEADS_FILE,
        "id\ttype\tname_en\tname_fa\tforms\n\
         ministry-of-foreign-affairs\tORGANIZATION\tMinistry of Foreign Affairs of {country}\tوزارت امور خارجه {country}\tوزارت امور خارجه | وزارت خارجه\n",
    );
    let g = Gazetteer::from_files(&files).unwrap_or_else(|e| panic!("{e}"));
    let us = g.index_of("country:US").expect("the country");
    let curated = g.index_of("organization:state-department");
    assert_eq!(g.composition().curated(0, us), curated);
    assert!(g
        .composition()
        .names_body("organization:ministry-of-foreign-affairs-fr"));
    assert!(!g
        .composition()
        .names_body("organization:ministry-of-foreign-affairs-"));
    assert!(!g
        .composition()
        .names_body("person:ministry-of-foreign-affairs-fr"));
}
