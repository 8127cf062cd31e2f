//! Composed bodies (`composed/heads.tsv`): a government body named by a head and a country
//! («وزارت خارجه روسیه», «پارلمان عراق»). The heads are data; the resolve stage composes a
//! head written right before a country's mention into one mention of the body, so 40 heads
//! cover every country without 10,000 rows of aliases in the automaton.

use std::collections::HashMap;

use super::entities::{read_tsv, split_list};
use super::{Entity, EntityIndex, EntityType, RowError};
use crate::text::skeleton;

/// The heads file, relative to the gazetteer folder.
pub(crate) const HEADS_FILE: &str = "composed/heads.tsv";
/// Where a template puts the country's (or the host's) name.
const PLACEHOLDER: &str = "{country}";

/// One head: the kind of body it names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Head {
    /// The slug the body's id starts with (`ministry-of-foreign-affairs`).
    pub id: String,
    /// The type of the body.
    pub entity_type: EntityType,
    /// English name template, with `{country}`.
    pub name_en: String,
    /// Persian name template, with `{country}`.
    pub name_fa: String,
    /// Normalized linkers to a host place («در», `in`): «سفارت ایران در کویت».
    pub(crate) hosts: Vec<String>,
    pub(crate) file: String,
    pub(crate) line: usize,
}

impl Head {
    /// The id of the body of this head for `country` (hosted in `host`, when given): the
    /// slug, the country's code, and `in` the host's code or slug.
    pub(crate) fn body_id(&self, country: &Entity, host: Option<&Entity>) -> String {
        let mut id = format!(
            "{}:{}-{}",
            self.entity_type.id_prefix(),
            self.id,
            place_slug(country)
        );
        if let Some(host) = host {
            id.push_str("-in-");
            id.push_str(&place_slug(host));
        }
        id
    }

    /// The body of this head for `country` (hosted in `host`), as a document entity.
    pub(crate) fn body(&self, id: String, country: &Entity, host: Option<&Entity>) -> Entity {
        let fill = |template: &str, country_name: &str, host_name: Option<(&str, &str)>| {
            let mut name = template.replace(PLACEHOLDER, country_name);
            if let Some((linker, host_name)) = host_name {
                name.push(' ');
                name.push_str(linker);
                name.push(' ');
                name.push_str(host_name);
            }
            name
        };
        let name_en = fill(
            &self.name_en,
            &country.name_en,
            host.map(|h| ("in", h.name_en.as_str())),
        );
        let name_fa = fill(
            &self.name_fa,
            &country.name_fa,
            host.map(|h| ("در", h.name_fa.as_str())),
        );
        Entity {
            id,
            entity_type: self.entity_type,
            name_en,
            name_fa,
            aliases: Vec::new(),
            country: country.country_code().map(str::to_string),
            part_of: vec![country.id.clone()],
            offices: Vec::new(),
            wikidata: None,
            capital_of: None,
            file: self.file.as_str().into(),
            line: self.line,
        }
    }
}

/// A country's code in lower case, another place's slug (`tehran` of `city:tehran`).
fn place_slug(place: &Entity) -> String {
    match place.country_code() {
        Some(code) => code.to_ascii_lowercase(),
        None => place
            .id
            .split_once(':')
            .map_or(place.id.as_str(), |(_, slug)| slug)
            .to_string(),
    }
}

/// The heads and the curated bodies that win over composition.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Composition {
    heads: Vec<Head>,
    /// Normalized head forms with their head, longest first.
    forms: Vec<(String, u16)>,
    /// (head, country) → the curated entity that is that body.
    curated: HashMap<(u16, u32), EntityIndex>,
}

impl Composition {
    /// The heads, in file order.
    pub fn heads(&self) -> &[Head] {
        &self.heads
    }

    /// The head `index`.
    pub(crate) fn head(&self, index: u16) -> &Head {
        &self.heads[usize::from(index)]
    }

    /// Whether there is no head.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The head forms that `skeleton[..end]` ends with, longest first: (head, start of the
    /// form).
    pub(crate) fn forms_ending_at<'a>(
        &'a self,
        skeleton: &'a str,
        end: usize,
    ) -> impl Iterator<Item = (u16, usize)> + 'a {
        let before = skeleton.as_bytes().get(..end).unwrap_or_default();
        self.forms
            .iter()
            .filter(move |(form, _)| before.ends_with(form.as_bytes()))
            .map(move |(form, head)| (*head, end - form.len()))
    }

    /// The host linker of head `head` that `skeleton[start..]` begins with: its length.
    pub(crate) fn host_linker_at(&self, head: u16, skeleton: &str, start: usize) -> Option<usize> {
        let after = skeleton.as_bytes().get(start..)?;
        self.head(head)
            .hosts
            .iter()
            .filter(|l| after.starts_with(l.as_bytes()))
            .map(String::len)
            .max()
    }

    /// Whether `id` has the form of a composed body's id (`organization:army-sy`).
    pub fn names_body(&self, id: &str) -> bool {
        self.heads.iter().any(|h| {
            id.strip_prefix(h.entity_type.id_prefix())
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|rest| rest.strip_prefix(h.id.as_str()))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|place| !place.is_empty())
        })
    }

    /// The curated entity that is the body of `head` for `country`, if any.
    pub(crate) fn curated(&self, head: u16, country: EntityIndex) -> Option<EntityIndex> {
        self.curated.get(&(head, country.0)).copied()
    }

    pub(crate) fn add_heads(&mut self, file: &str, text: &str, errors: &mut Vec<RowError>) {
        let mut seen: HashMap<String, (String, usize)> = self
            .forms
            .iter()
            .map(|(form, head)| {
                let h = self.head(*head);
                (form.clone(), (h.id.clone(), h.line))
            })
            .collect();
        let mut heads = Vec::new();
        let mut forms = Vec::new();
        read_tsv(
            file,
            text,
            &["id", "type", "name_en", "name_fa", "forms"],
            &["host", "note"],
            errors,
            |line, cols, rec| {
                let id = cols.get(rec, "id");
                if id.is_empty()
                    || !id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return Err(format!(
                        "id {id:?}: lower-case ASCII letters, digits and '-' only"
                    ));
                }
                let type_name = cols.get(rec, "type");
                let entity_type = EntityType::parse(type_name)
                    .ok_or_else(|| format!("unknown type {type_name:?}"))?;
                let name_en = cols.get(rec, "name_en");
                let name_fa = cols.get(rec, "name_fa");
                for (column, template) in [("name_en", name_en), ("name_fa", name_fa)] {
                    if !template.contains(PLACEHOLDER) {
                        return Err(format!("{column}: {template:?} has no {PLACEHOLDER}"));
                    }
                }
                let head = (self.heads.len() + heads.len()) as u16;
                let listed = split_list(cols.get(rec, "forms"))?;
                if listed.is_empty() {
                    return Err("forms: no form".to_string());
                }
                let mut row_forms = Vec::new();
                for form in listed {
                    let normalized = skeleton(form);
                    if normalized.is_empty() {
                        return Err(format!("forms: {form:?} has no letter"));
                    }
                    if let Some((other, other_line)) = seen.get(&normalized) {
                        return Err(format!(
                            "forms: {form:?} is already a form of {other} (line {other_line})"
                        ));
                    }
                    row_forms.push(normalized);
                }
                let mut hosts = Vec::new();
                for linker in split_list(cols.get(rec, "host"))? {
                    let normalized = skeleton(linker);
                    if normalized.is_empty() {
                        return Err(format!("host: {linker:?} has no letter"));
                    }
                    hosts.push(normalized);
                }
                for form in row_forms {
                    seen.insert(form.clone(), (id.to_string(), line));
                    forms.push((form, head));
                }
                heads.push(Head {
                    id: id.to_string(),
                    entity_type,
                    name_en: name_en.to_string(),
                    name_fa: name_fa.to_string(),
                    hosts,
                    file: file.to_string(),
                    line,
                });
                Ok(())
            },
        );
        self.heads.extend(heads);
        self.forms.extend(forms);
        self.forms
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
    }

    /// Finds the curated entities that are composed bodies: an alias that is a head form and
    /// a country's name, or the composed id itself.
    pub(crate) fn find_curated(&mut self, entities: &[Entity], by_id: &super::ids::IdIndex) {
        self.curated.clear();
        if self.heads.is_empty() {
            return;
        }
        let mut countries: HashMap<String, u32> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            if e.entity_type == EntityType::Country {
                for alias in &e.aliases {
                    countries.entry(skeleton(&alias.text)).or_insert(i as u32);
                }
            }
        }
        // Looked up once per type, not once per head and entity: a million people meet no head.
        let mut has_heads = [false; EntityType::ALL.len()];
        for head in &self.heads {
            has_heads[head.entity_type as usize] = true;
        }
        for (i, e) in entities.iter().enumerate() {
            if !has_heads[e.entity_type as usize] {
                continue;
            }
            for alias in &e.aliases {
                let normalized = skeleton(&alias.text);
                for (form, head) in &self.forms {
                    if self.heads[usize::from(*head)].entity_type != e.entity_type {
                        continue;
                    }
                    let Some(rest) = normalized.strip_prefix(form.as_str()) else {
                        continue;
                    };
                    if let Some(&country) = countries.get(rest) {
                        self.curated
                            .entry((*head, country))
                            .or_insert(EntityIndex(i as u32));
                    }
                }
            }
        }
        // The countries once, not every entity once per head.
        let country_indexes: Vec<usize> = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.entity_type == EntityType::Country)
            .map(|(c, _)| c)
            .collect();
        for (h, head) in self.heads.iter().enumerate() {
            for &c in &country_indexes {
                let country = &entities[c];
                if let Some(curated) = by_id.get(entities, &head.body_id(country, None)) {
                    self.curated.entry((h as u16, c as u32)).or_insert(curated);
                }
            }
        }
    }
}
