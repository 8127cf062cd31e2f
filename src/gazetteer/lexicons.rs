//! Name lexicons: the second tier of the gazetteer. Large lists of names without curated
//! metadata (`lexicons/people.txt`: one Persian person name a line; `lexicons/places.tsv`:
//! GeoNames cities and provinces), loaded after the curated entities and the `--patterns`
//! files, so that a curated alias always wins: a lexicon name whose normalized form is a name
//! of either is left out. Their mentions are written with `via: lexicon`.
//!
//! A lexicon name of one word, or one that is a common Persian word (`common_words.txt`), is
//! not matched on its own: it needs supporting context, which the discovery patterns give.
//! Ids are readable and stable, in a namespace curated ids cannot use (a curated slug has no
//! `.`): `person:lexicon.<romanized name>`, `city:geonames.<English name>` (with the country
//! code, then the GeoNames key, where a name repeats).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::entities::read_tsv;
use super::{Alias, AliasKind, Entity, EntityType, Origin, RowError};
use crate::text::skeleton;

/// The people lexicon, relative to the gazetteer folder.
pub(crate) const PEOPLE_FILE: &str = "lexicons/people.txt";
/// The places lexicon.
pub(crate) const PLACES_FILE: &str = "lexicons/places.tsv";
/// One-word place names that are also Persian words (generated from hazm's word list).
pub(crate) const PLACES_COMMON_FILE: &str = "lexicons/places_common.txt";
/// The romanization table of ids.
pub(crate) const ROMANIZE_FILE: &str = "lexicons/romanize.tsv";

/// Persian letters to Latin, for ids of names with no English form.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Romanizer {
    letters: HashMap<char, String>,
}

impl Romanizer {
    pub(crate) fn parse(file: &str, text: &str, errors: &mut Vec<RowError>) -> Romanizer {
        let mut letters = HashMap::new();
        read_tsv(
            file,
            text,
            &["letter", "latin"],
            &[],
            errors,
            |_, cols, rec| {
                let letter = cols.get(rec, "letter");
                let mut chars = letter.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else {
                    return Err(format!("letter {letter:?} is not one character"));
                };
                let latin = cols.get(rec, "latin");
                if !latin.bytes().all(|b| b.is_ascii_lowercase()) {
                    return Err(format!("latin {latin:?} must be lower-case ASCII letters"));
                }
                letters.insert(c, latin.to_string());
                Ok(())
            },
        );
        Romanizer { letters }
    }

    /// A slug of `name`: its skeleton letters romanized, words joined by `-`; ASCII letters
    /// and digits are kept.
    pub(crate) fn slug(&self, name: &str) -> String {
        let mut slug = String::new();
        for word in name.split(|c: char| c.is_whitespace() || c == '\u{200C}' || c == '-') {
            let mut piece = String::new();
            for c in skeleton(word).chars() {
                if c.is_ascii_alphanumeric() {
                    piece.push(c.to_ascii_lowercase());
                } else if let Some(latin) = self.letters.get(&c) {
                    piece.push_str(latin);
                }
            }
            if !piece.is_empty() {
                if !slug.is_empty() {
                    slug.push('-');
                }
                slug.push_str(&piece);
            }
        }
        slug
    }
}

/// What the lexicons need of the gazetteer they join.
pub(crate) struct Context<'a> {
    /// Skeletons of every curated and pattern alias: a lexicon name equal to one is left out.
    pub(crate) taken: &'a rustc_hash::FxHashSet<&'a str>,
    /// Normalized common words: a lexicon name that is one needs context.
    pub(crate) common_words: &'a HashSet<String>,
    /// Normalized one-word place names that are also Persian words: they need context too.
    pub(crate) place_words: &'a HashSet<String>,
    /// Ids already in use.
    pub(crate) ids: &'a super::ids::IdIndex,
    /// The entities those ids are of.
    pub(crate) entities: &'a [Entity],
    /// Country codes the gazetteer has (a city is `part_of` its country when it does).
    pub(crate) countries: &'a HashSet<String>,
    pub(crate) romanizer: &'a Romanizer,
}

/// Whether a lexicon name may be matched on its own: more than one word, and not a common
/// word. Others wait for a discovery pattern.
pub(crate) fn stands_alone(name: &str, common_words: &HashSet<String>) -> bool {
    name.split_whitespace().count() > 1 && !common_words.contains(&skeleton(name))
}

fn lexicon_entity(
    id: String,
    entity_type: EntityType,
    name_en: &str,
    name_fa: &str,
    file: &Arc<str>,
    line: usize,
) -> Entity {
    let alias = |text: &str| Alias {
        text: text.to_string(),
        kind: AliasKind::Name,
        origin: Origin::Lexicon,
        file: Arc::clone(file),
        line,
    };
    let aliases = [name_en, name_fa]
        .into_iter()
        .filter(|n| !n.is_empty())
        .map(alias)
        .collect();
    Entity {
        id,
        entity_type,
        name_en: name_en.to_string(),
        name_fa: name_fa.to_string(),
        aliases,
        country: None,
        part_of: Vec::new(),
        offices: Vec::new(),
        wikidata: None,
        capital_of: None,
        file: Arc::clone(file),
        line,
    }
}

/// The people of `people.txt` that stand alone and are not curated, as entities. Names that
/// need context are returned apart (their skeletons), for the discovery patterns.
pub(crate) fn people(
    file: &str,
    text: &str,
    cx: &Context,
    contextual: &mut Vec<String>,
) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let shared: Arc<str> = Arc::from(file);
    for (i, line) in text.lines().enumerate() {
        let name = line.trim_start_matches('\u{FEFF}').trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        let key = skeleton(name);
        if key.chars().count() < 3 || cx.taken.contains(key.as_str()) || !seen.insert(key.clone()) {
            continue;
        }
        if !stands_alone(name, cx.common_words) {
            contextual.push(key);
            continue;
        }
        let slug = cx.romanizer.slug(name);
        if slug.is_empty() {
            continue;
        }
        let mut id = format!("person:lexicon.{slug}");
        // Two names that romanize alike (they differ in a letter romanization merges) get
        // their line number, which is stable as long as the file is.
        if ids.contains(&id) || cx.ids.get(cx.entities, &id).is_some() {
            id = format!("person:lexicon.{slug}-{}", i + 1);
        }
        ids.insert(id.clone());
        out.push(lexicon_entity(
            id,
            EntityType::Person,
            "",
            name,
            &shared,
            i + 1,
        ));
    }
    out
}

/// The cities and provinces of `places.tsv` (GeoNames `city` and `admin1` rows), as `CITY`
/// entities `part_of` their country. Curated names win; one-word names that are common words
/// are left to context.
pub(crate) fn places(
    file: &str,
    text: &str,
    cx: &Context,
    contextual: &mut Vec<String>,
    errors: &mut Vec<RowError>,
) -> Vec<Entity> {
    struct Row {
        line: usize,
        key: String,
        country: String,
        name_en: String,
        name_fa: String,
    }
    let mut rows: Vec<Row> = Vec::new();
    let shared: Arc<str> = Arc::from(file);
    let required = ["geonames_key", "kind", "country", "name_en", "name_fa"];
    read_tsv(
        file,
        text,
        &required,
        &["population"],
        errors,
        |line, cols, rec| {
            let kind = cols.get(rec, "kind");
            if !matches!(kind, "city" | "admin1" | "country" | "place") {
                return Err(format!(
                    "kind {kind:?} is not city, admin1, country or place"
                ));
            }
            if !matches!(kind, "city" | "admin1") {
                return Ok(());
            }
            rows.push(Row {
                line,
                key: cols.get(rec, "geonames_key").to_lowercase(),
                country: cols.get(rec, "country").to_string(),
                name_en: cols.get(rec, "name_en").to_string(),
                name_fa: cols.get(rec, "name_fa").to_string(),
            });
            Ok(())
        },
    );
    let slug_of = |name: &str| {
        let mut slug = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.trim_end_matches('-').to_string()
    };
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut by_slug_country: HashMap<(String, String), usize> = HashMap::new();
    for r in &rows {
        let slug = slug_of(&r.name_en);
        *by_slug.entry(slug.clone()).or_default() += 1;
        *by_slug_country
            .entry((slug, r.country.clone()))
            .or_default() += 1;
    }
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for r in rows {
        let mut slug = slug_of(&r.name_en);
        if slug.is_empty() {
            slug = cx.romanizer.slug(&r.name_fa);
        }
        let country = r.country.to_lowercase();
        let id = if by_slug.get(&slug) == Some(&1) {
            format!("city:geonames.{slug}")
        } else if by_slug_country.get(&(slug.clone(), r.country.clone())) == Some(&1) {
            format!("city:geonames.{slug}-{country}")
        } else {
            format!("city:geonames.{slug}-{country}-{}", r.key.replace('.', "-"))
        };
        if cx.ids.get(cx.entities, &id).is_some() {
            continue;
        }
        let mut names: Vec<&str> = Vec::new();
        for name in [r.name_fa.as_str(), r.name_en.as_str()] {
            let key = skeleton(name);
            if name.is_empty() || key.chars().count() < 3 || cx.taken.contains(key.as_str()) {
                continue;
            }
            // A place name that is a common word («دوشنبه», «خبر») waits for context; the
            // places that are frequent words because they are places («تهران», «کرج») are
            // curated (entities/cities.tsv).
            if cx.common_words.contains(&key) || cx.place_words.contains(&key) {
                contextual.push(key);
                continue;
            }
            if seen.insert(key) {
                names.push(name);
            }
        }
        if names.is_empty() {
            continue;
        }
        let mut entity = lexicon_entity(
            id,
            EntityType::City,
            &r.name_en,
            &r.name_fa,
            &shared,
            r.line,
        );
        entity.aliases.retain(|a| names.contains(&a.text.as_str()));
        if crate::gazetteer::is_alpha2(&r.country) {
            entity.country = Some(r.country.clone());
            if cx.countries.contains(&r.country) {
                entity.part_of.push(format!("country:{}", r.country));
            }
        }
        out.push(entity);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn romanizer() -> Romanizer {
        let files = crate::gazetteer::DataFiles::embedded();
        let mut errors = Vec::new();
        let r = Romanizer::parse(
            ROMANIZE_FILE,
            files.get(ROMANIZE_FILE).unwrap_or_default(),
            &mut errors,
        );
        assert_eq!(errors, Vec::new());
        r
    }

    #[test]
    fn romanized_slugs() {
        let r = romanizer();
        assert_eq!(r.slug("محمدجواد ظريف"), "mhmdjvad-zryf");
        assert_eq!(r.slug("ژوزپ بورل"), "zhvzp-bvrl");
        assert_eq!(r.slug("Ban Ki-moon"), "ban-ki-moon");
    }

    #[test]
    fn one_word_and_common_names_need_context() {
        let common: HashSet<String> = ["ایران".to_string()].into();
        assert!(stands_alone("ژوزپ بورل", &common));
        assert!(!stands_alone("بورل", &common));
        assert!(!stands_alone("ایران", &common));
    }
}
