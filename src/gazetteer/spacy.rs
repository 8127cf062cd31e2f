//! spaCy EntityRuler / SpanRuler phrase patterns (JSONL, one `{"label", "pattern", "id"}` a
//! line), so users of spaCy can bring their gazetteers unchanged.
//!
//! Labels are newsgraph types (`PERSON`, `ORGANIZATION`, ...) or spaCy's: `PER`, `ORG`,
//! `GPE` (country), `LOC` (region), `EVENT`, `LAW` (document). A pattern is a string, or a
//! list of token dicts using only `ORTH`, `TEXT` or `LOWER` (joined with spaces).

use serde_json::Value;

use super::entities::{check_id, is_slug};
use super::{Alias, AliasKind, Entity, EntityType, Origin, RowError};
use crate::text::Normalized;

pub(crate) struct PatternEntity {
    pub entity: Entity,
}

fn entity_type(label: &str) -> Option<EntityType> {
    EntityType::parse(label).or(match label {
        "PER" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Organization),
        "GPE" => Some(EntityType::Country),
        "LOC" => Some(EntityType::Region),
        "LAW" => Some(EntityType::Document),
        _ => None,
    })
}

fn pattern_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err("empty pattern".into()),
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Array(tokens) if !tokens.is_empty() => {
            let mut words = Vec::with_capacity(tokens.len());
            for token in tokens {
                let Value::Object(map) = token else {
                    return Err("a token pattern must be an object".into());
                };
                let mut found = None;
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("ORTH" | "TEXT" | "LOWER", Value::String(s)) => found = Some(s.as_str()),
                        _ => {
                            return Err(format!(
                                "token attribute {key:?} is not supported (only ORTH, TEXT or LOWER with a string)"
                            ))
                        }
                    }
                }
                words.push(found.ok_or("empty token pattern")?);
            }
            Ok(words.join(" "))
        }
        _ => Err("\"pattern\" must be a string or a list of token objects".into()),
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

pub(crate) fn parse(file: &str, text: &str, errors: &mut Vec<RowError>) -> Vec<PatternEntity> {
    let mut out: Vec<PatternEntity> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(file, line_no, line) {
            Ok(entity) => match out.iter_mut().find(|p| p.entity.id == entity.id) {
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
                None => out.push(PatternEntity { entity }),
            },
            Err(reason) => errors.push(RowError {
                file: file.into(),
                line: line_no,
                reason,
            }),
        }
    }
    out
}

fn parse_line(file: &str, line: usize, json: &str) -> Result<Entity, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))?;
    let label = value
        .get("label")
        .and_then(Value::as_str)
        .ok_or("missing string \"label\"")?;
    let entity_type = entity_type(label)
        .ok_or_else(|| format!("label {label:?} has no newsgraph entity type"))?;
    let pattern = pattern_text(value.get("pattern").ok_or("missing \"pattern\"")?)?;
    let id = match value.get("id") {
        None | Some(Value::Null) => format!("{}:{}", entity_type.id_prefix(), slugify(&pattern)),
        Some(Value::String(id)) if id.contains(':') => id.clone(),
        Some(Value::String(id)) => format!("{}:{}", entity_type.id_prefix(), slugify(id)),
        Some(_) => return Err("\"id\" must be a string".into()),
    };
    check_id(&id, entity_type)?;
    let (name_en, name_fa) = if is_arabic_script(&pattern) {
        (String::new(), pattern.clone())
    } else {
        (pattern.clone(), String::new())
    };
    Ok(Entity {
        id,
        entity_type,
        name_en,
        name_fa,
        aliases: vec![Alias {
            text: pattern,
            kind: AliasKind::Alias,
            origin: Origin::Pattern,
            file: file.into(),
            line,
        }],
        country: None,
        part_of: Vec::new(),
        offices: Vec::new(),
        wikidata: None,
        file: file.into(),
        line,
    })
}
