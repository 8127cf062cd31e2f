//! spaCy EntityRuler / SpanRuler patterns (JSONL, one `{"label", "pattern", "id"}` a line),
//! so users of spaCy can bring their pattern files unchanged.
//!
//! # Labels
//!
//! newsgraph types (`PERSON`, `ORGANIZATION`, ...) are taken as they are; spaCy's
//! (OntoNotes) labels are mapped:
//!
//! | spaCy | newsgraph |
//! | --- | --- |
//! | `PER`, `PERSON` | `PERSON` |
//! | `ORG` | `ORGANIZATION` |
//! | `GPE` | `COUNTRY` when the id is a country's (`country:XX`) or the pattern is a name of a known country; otherwise `CITY` (a geopolitical entity that is not a country: a city or province) |
//! | `LOC` | `REGION` |
//! | `EVENT` | `EVENT` |
//! | `LAW` | `DOCUMENT` |
//!
//! `NORP` (nationalities, religious and political groups: "Iranian", "Shiite") names no
//! entity here (newsgraph treats demonyms as adjectives), and neither do `FAC`, `PRODUCT`,
//! `WORK_OF_ART`, `LANGUAGE`, the numeric labels or any other label: such a pattern is
//! skipped.
//!
//! # Patterns
//!
//! A pattern is a string (a phrase) or a list of token objects, each matching one word:
//!
//! * `ORTH`, `TEXT`, `LOWER` or `NORM` with a string, or with `{"IN": [...]}` (any of them);
//!   matching is case- and spelling-insensitive anyway.
//! * `OP`: `?` (optional), `{n}` (n times), `{n,m}` and `{,m}`; every combination becomes a
//!   phrase, up to [`MAX_PHRASES`] for one pattern.
//! * `{"IS_PUNCT": true, "OP": "?"}` (or `"*"`): optional punctuation, which newsgraph's
//!   matching does not need (the phrase is matched without it).
//!
//! Anything else (`*`, `+` and `!` operators, `LEMMA`, `POS`, `SHAPE`, `REGEX`, a wildcard
//! `{}`, a required `IS_PUNCT`, ...) cannot be a phrase: the pattern is skipped.
//!
//! A skipped pattern is no error: loading goes on without it, and [`skipped`] lists each one
//! as `file:line: reason`, which the command line prints as a warning (or an error with
//! `--strict-patterns`). Invalid JSON, a missing label or pattern, or an id that does not fit
//! its type are errors.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::entities::{check_id, is_slug};
use super::iso3166::is_alpha2;
use super::{Alias, AliasKind, Entity, EntityType, Gazetteer, Origin, RowError};
use crate::text::Normalized;

/// The most phrases one token pattern may expand to (through `OP` and `IN`).
pub const MAX_PHRASES: usize = 64;

pub(crate) struct PatternEntity {
    pub entity: Entity,
}

/// What a label means here.
enum Label {
    Type(EntityType),
    /// `GPE`: a country, or else a city.
    Gpe,
}

fn label(name: &str) -> Result<Label, String> {
    if let Some(t) = EntityType::parse(name) {
        return Ok(Label::Type(t));
    }
    Ok(Label::Type(match name {
        "PER" | "PERSON" => EntityType::Person,
        "ORG" => EntityType::Organization,
        "GPE" => return Ok(Label::Gpe),
        "LOC" => EntityType::Region,
        "LAW" => EntityType::Document,
        "NORP" => {
            return Err(
                "label NORP (nationalities, religious and political groups) names no entity \
                 in newsgraph"
                    .into(),
            )
        }
        "FAC" | "PRODUCT" | "WORK_OF_ART" | "LANGUAGE" | "DATE" | "TIME" | "PERCENT" | "MONEY"
        | "QUANTITY" | "ORDINAL" | "CARDINAL" | "MISC" => {
            return Err(format!("label {name} has no newsgraph entity type"))
        }
        _ => return Err(format!("label {name:?} has no newsgraph entity type")),
    }))
}

/// The words one token pattern stands for: each alternative is a list of words (empty for
/// an optional token left out).
fn token_alternatives(map: &Map<String, Value>) -> Result<Vec<Vec<String>>, String> {
    let mut words: Option<Vec<String>> = None;
    let mut op: Option<&str> = None;
    let mut punct = false;
    for (key, value) in map {
        match (key.as_str(), value) {
            ("ORTH" | "TEXT" | "LOWER" | "NORM", Value::String(s)) => {
                words = Some(vec![s.clone()]);
            }
            ("ORTH" | "TEXT" | "LOWER" | "NORM", Value::Object(inner)) => {
                let mut list = Vec::new();
                for (k, v) in inner {
                    match (k.as_str(), v) {
                        ("IN", Value::Array(items)) => {
                            for item in items {
                                match item {
                                    Value::String(s) => list.push(s.clone()),
                                    _ => return Err(format!("{key}.IN must list strings")),
                                }
                            }
                        }
                        _ => {
                            return Err(format!(
                                "{key} with {k:?} is not supported (only a string or IN)"
                            ))
                        }
                    }
                }
                if list.is_empty() {
                    return Err(format!("{key}.IN is empty"));
                }
                words = Some(list);
            }
            ("OP", Value::String(s)) => op = Some(s.as_str()),
            ("IS_PUNCT", Value::Bool(true)) => punct = true,
            _ => {
                return Err(format!(
                    "token attribute {key:?} is not supported (ORTH, TEXT, LOWER or NORM with \
                     a string or IN, OP, optional IS_PUNCT)"
                ))
            }
        }
    }
    let (min, max) = match op {
        None => (1, 1),
        Some("?") => (0, 1),
        Some("*") if punct && words.is_none() => (0, 0),
        Some(op) => repeat(op).ok_or_else(|| {
            format!("operator OP {op:?} is not supported (only ?, {{n}}, {{n,m}}, {{,m}})")
        })?,
    };
    if punct {
        if words.is_some() {
            return Err("IS_PUNCT together with a text attribute is not supported".into());
        }
        if min > 0 {
            return Err("a required IS_PUNCT token is not supported (only an optional one)".into());
        }
        return Ok(vec![Vec::new()]);
    }
    let Some(words) = words else {
        return Err(
            "a token pattern without ORTH, TEXT, LOWER or NORM (any token) is not \
                    supported"
                .into(),
        );
    };
    let mut out = Vec::new();
    // The longest form first: it names the entity when the pattern has no id.
    for n in (min..=max).rev() {
        let mut partial: Vec<Vec<String>> = vec![Vec::new()];
        for _ in 0..n {
            partial = product(
                &partial,
                &words.iter().map(|w| vec![w.clone()]).collect::<Vec<_>>(),
            )?;
        }
        out.extend(partial);
    }
    Ok(out)
}

/// `{n}`, `{n,m}` or `{,m}` as (min, max).
fn repeat(op: &str) -> Option<(usize, usize)> {
    let inner = op.strip_prefix('{')?.strip_suffix('}')?;
    let (min, max) = match inner.split_once(',') {
        None => {
            let n = inner.trim().parse().ok()?;
            (n, n)
        }
        Some((a, b)) => {
            let min = if a.trim().is_empty() {
                0
            } else {
                a.trim().parse().ok()?
            };
            (min, b.trim().parse().ok()?)
        }
    };
    (min <= max && max <= 8).then_some((min, max))
}

fn product(left: &[Vec<String>], right: &[Vec<String>]) -> Result<Vec<Vec<String>>, String> {
    if left.len().saturating_mul(right.len()) > MAX_PHRASES {
        return Err(format!(
            "the pattern stands for more than {MAX_PHRASES} phrases"
        ));
    }
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in left {
        for r in right {
            let mut words = l.clone();
            words.extend(r.iter().cloned());
            out.push(words);
        }
    }
    Ok(out)
}

/// The phrases of a pattern, longest form first. `Err((skip, reason))`: `skip` tells a
/// pattern newsgraph cannot use apart from a malformed one.
fn phrases(value: &Value) -> Result<Vec<String>, (bool, String)> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err((false, "empty pattern".into())),
        Value::String(s) => Ok(vec![s.trim().to_string()]),
        Value::Array(tokens) if !tokens.is_empty() => {
            let mut all: Vec<Vec<String>> = vec![Vec::new()];
            for token in tokens {
                let Value::Object(map) = token else {
                    return Err((false, "a token pattern must be an object".into()));
                };
                let alternatives = token_alternatives(map).map_err(|e| (true, e))?;
                all = product(&all, &alternatives).map_err(|e| (true, e))?;
            }
            let mut out: Vec<String> = Vec::new();
            for words in all {
                let phrase = words.join(" ").trim().to_string();
                if !phrase.is_empty() && !out.contains(&phrase) {
                    out.push(phrase);
                }
            }
            if out.is_empty() {
                return Err((true, "every token of the pattern is optional".into()));
            }
            Ok(out)
        }
        _ => Err((
            false,
            "\"pattern\" must be a string or a list of token objects".into(),
        )),
    }
}

/// A readable slug of `text`, or a stable hash of its normalized form when it has no ASCII
/// letters (Persian patterns without an id).
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if is_slug(&slug) {
        return slug;
    }
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut hash: u32 = 0x811c_9dc5;
    for b in Normalized::new(text).skeleton().bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("p{hash:08x}")
}

fn is_arabic_script(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The outcome of one line.
enum Line {
    Entity(Box<Entity>),
    Skip(String),
}

/// Parses the patterns of `text`. Errors go to `errors`; patterns newsgraph cannot use are
/// left out (see [`skipped`]). `known` is the gazetteer so far, which tells whether a `GPE`
/// pattern names a country.
pub(crate) fn parse(
    file: &str,
    text: &str,
    known: &Gazetteer,
    errors: &mut Vec<RowError>,
) -> Vec<PatternEntity> {
    let mut out: Vec<PatternEntity> = Vec::new();
    // id → index in `out`: a pattern file names each entity on many lines, and a search of
    // `out` per line made a 200,000-line file take minutes.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (line_no, result) in lines(file, text, known) {
        match result {
            Ok(Line::Entity(entity)) => match by_id.get(&entity.id).map(|&i| &mut out[i]) {
                Some(existing) if existing.entity.entity_type != entity.entity_type => {
                    errors.push(RowError {
                        file: file.into(),
                        line: line_no,
                        reason: format!(
                            "id {} was labelled {} on line {}",
                            entity.id, existing.entity.entity_type, existing.entity.line
                        ),
                    })
                }
                Some(existing) => {
                    let e = &mut existing.entity;
                    let alias_text = &entity.aliases[0].text;
                    if e.name_fa.is_empty() && is_arabic_script(alias_text) {
                        e.name_fa = alias_text.clone();
                    } else if e.name_en.is_empty() && !is_arabic_script(alias_text) {
                        e.name_en = alias_text.clone();
                    }
                    e.aliases.extend(entity.aliases);
                }
                None => {
                    by_id.insert(entity.id.clone(), out.len());
                    out.push(PatternEntity { entity: *entity });
                }
            },
            Ok(Line::Skip(_)) => {}
            Err(reason) => errors.push(RowError {
                file: file.into(),
                line: line_no,
                reason,
            }),
        }
    }
    out
}

/// The patterns of `text` (a pattern file called `file`) that newsgraph cannot use and
/// leaves out when loading it, each as `file:line: reason`. Lines with errors are not listed
/// here; loading reports them.
pub fn skipped(file: &str, text: &str) -> Vec<RowError> {
    lines(file, text, &Gazetteer::default())
        .filter_map(|(line, result)| match result {
            Ok(Line::Skip(reason)) => Some(RowError {
                file: file.into(),
                line,
                reason,
            }),
            _ => None,
        })
        .collect()
}

fn lines<'a>(
    file: &'a str,
    text: &'a str,
    known: &'a Gazetteer,
) -> impl Iterator<Item = (usize, Result<Line, String>)> + 'a {
    let countries = Countries::new(known);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(move |(i, line)| (i + 1, parse_line(file, i + 1, line, &countries)))
}

/// The countries of the known gazetteer by normalized alias (short forms left out), each
/// alias with the ids of the countries it names: built once per file, as normalizing every
/// country's aliases for each pattern cost the number of patterns times the gazetteer.
struct Countries<'a>(HashMap<String, Vec<&'a str>>);

impl<'a> Countries<'a> {
    fn new(known: &'a Gazetteer) -> Countries<'a> {
        let mut map: HashMap<String, Vec<&'a str>> = HashMap::new();
        for e in known.entities() {
            if e.entity_type != EntityType::Country {
                continue;
            }
            for a in e.aliases.iter().filter(|a| a.kind != AliasKind::Short) {
                let ids = map
                    .entry(Normalized::new(&a.text).skeleton().to_string())
                    .or_default();
                if !ids.contains(&e.id.as_str()) {
                    ids.push(&e.id);
                }
            }
        }
        Countries(map)
    }

    /// The id of the country that `phrase` names, if exactly one does.
    fn named(&self, phrase: &str) -> Option<String> {
        match self.0.get(Normalized::new(phrase).skeleton())?.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }
}

fn parse_line(file: &str, line: usize, json: &str, countries: &Countries) -> Result<Line, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))?;
    let label_name = value
        .get("label")
        .and_then(Value::as_str)
        .ok_or("missing string \"label\"")?;
    let phrases = match phrases(value.get("pattern").ok_or("missing \"pattern\"")?) {
        Ok(phrases) => phrases,
        Err((true, reason)) => return Ok(Line::Skip(reason)),
        Err((false, reason)) => return Err(reason),
    };
    let label = match label(label_name) {
        Ok(label) => label,
        Err(reason) => return Ok(Line::Skip(reason)),
    };
    let given = match value.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.as_str()),
        Some(_) => return Err("\"id\" must be a string".into()),
    };
    let entity_type = match label {
        Label::Type(t) => t,
        Label::Gpe => {
            let prefix = given.and_then(|id| id.split_once(':')).map(|(p, _)| p);
            match prefix {
                Some(p) if p == EntityType::Country.id_prefix() => EntityType::Country,
                Some(p) if p == EntityType::City.id_prefix() => EntityType::City,
                Some(_) => EntityType::City,
                None if given.is_some_and(is_alpha2) => EntityType::Country,
                None if given.is_none() && countries.named(&phrases[0]).is_some() => {
                    EntityType::Country
                }
                None => EntityType::City,
            }
        }
    };
    let id = match given {
        None if entity_type == EntityType::Country => countries
            .named(&phrases[0])
            .ok_or("no country of that name")?,
        None => format!("{}:{}", entity_type.id_prefix(), slugify(&phrases[0])),
        Some(id) if id.contains(':') => id.to_string(),
        Some(id) if entity_type == EntityType::Country => format!("country:{id}"),
        Some(id) => format!("{}:{}", entity_type.id_prefix(), slugify(id)),
    };
    check_id(&id, entity_type)?;
    let name = &phrases[0];
    let (name_en, name_fa) = if is_arabic_script(name) {
        (String::new(), name.clone())
    } else {
        (name.clone(), String::new())
    };
    let aliases = phrases
        .iter()
        .map(|text| Alias {
            text: text.clone(),
            kind: AliasKind::Alias,
            origin: Origin::Pattern,
            file: file.into(),
            line,
        })
        .collect();
    Ok(Line::Entity(Box::new(Entity {
        id,
        entity_type,
        name_en,
        name_fa,
        aliases,
        country: None,
        part_of: Vec::new(),
        offices: Vec::new(),
        wikidata: None,
        capital_of: None,
        file: file.into(),
        line,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> (Vec<Entity>, Vec<RowError>) {
        let known = Gazetteer::embedded().expect("bundled gazetteers");
        let mut errors = Vec::new();
        let entities = parse("p.jsonl", text, &known, &mut errors)
            .into_iter()
            .map(|p| p.entity)
            .collect();
        (entities, errors)
    }

    fn aliases(e: &Entity) -> Vec<&str> {
        e.aliases.iter().map(|a| a.text.as_str()).collect()
    }

    #[test]
    fn gpe_is_a_country_or_a_city() {
        let (entities, errors) = parse_all(
            r#"{"label": "GPE", "pattern": "Isfahan"}
{"label": "GPE", "pattern": "Tabriz", "id": "tabriz"}
{"label": "GPE", "pattern": "Persia", "id": "country:IR"}
{"label": "GPE", "pattern": "Cuba"}
{"label": "GPE", "pattern": "Mashhad", "id": "city:mashhad"}"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<(&str, EntityType)> = entities
            .iter()
            .map(|e| (e.id.as_str(), e.entity_type))
            .collect();
        assert_eq!(
            ids,
            [
                ("city:isfahan", EntityType::City),
                ("city:tabriz", EntityType::City),
                ("country:IR", EntityType::Country),
                ("country:CU", EntityType::Country),
                ("city:mashhad", EntityType::City),
            ]
        );
    }

    #[test]
    fn operators_and_sets_expand_to_phrases() {
        let (entities, errors) = parse_all(
            r#"{"label": "ORG", "id": "un", "pattern": [{"LOWER": "the", "OP": "?"}, {"LOWER": {"IN": ["united", "utd"]}}, {"IS_PUNCT": true, "OP": "?"}, {"ORTH": "Nations"}]}"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            aliases(&entities[0]),
            [
                "the united Nations",
                "the utd Nations",
                "united Nations",
                "utd Nations"
            ]
        );
        assert_eq!(entities[0].name_en, "the united Nations");
    }

    #[test]
    fn what_cannot_be_a_phrase_is_skipped_with_its_line() {
        let text = r#"{"label": "NORP", "pattern": "Iranian"}
{"label": "PERSON", "pattern": [{"LOWER": "xi"}, {"LOWER": "jinping", "OP": "+"}]}

{"label": "PERSON", "pattern": [{"LEMMA": "meet"}]}
{"label": "PERSON", "pattern": [{"IS_PUNCT": true}]}
{"label": "PRODUCT", "pattern": "iPhone"}
{"label": "ORG", "pattern": [{"LOWER": {"REGEX": "^u"}}]}
{"label": "PERSON", "pattern": "Xi Jinping"}"#;
        let skipped = skipped("p.jsonl", text);
        let lines: Vec<usize> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 2, 4, 5, 6, 7]);
        assert!(skipped[0].to_string().starts_with("p.jsonl:1: label NORP"));
        assert!(skipped[1].reason.contains("\"+\""), "{}", skipped[1]);
        let (entities, errors) = parse_all(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].id, "person:xi-jinping");
    }

    #[test]
    fn malformed_lines_are_still_errors() {
        let (_, errors) = parse_all(
            "{\"label\": \"ORG\"\n{\"label\": \"ORG\", \"pattern\": \"\"}\n{\"label\": \"GPE\", \"pattern\": \"X\", \"id\": \"country:XX\"}",
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3]);
    }

    #[test]
    fn too_many_phrases_is_a_skip() {
        let token = r#"{"LOWER": {"IN": ["a", "b", "c", "d"]}}"#;
        let tokens = [token; 4].join(", ");
        let text = format!("{{\"label\": \"ORG\", \"pattern\": [{tokens}]}}");
        let skipped = skipped("p.jsonl", &text);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("more than 64"), "{}", skipped[0]);
    }
}
