//! From a parsed dump entity to a decision (keep, skip, remember as a reference) and to a row
//! of the entities TSV format.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::dump::{Claims, Entity, ItemStatement, Rank, Term, Year};
use super::mapping::{Kind, Mapping};
use crate::gazetteer::entities::is_slug;
use crate::gazetteer::{is_alpha2, EntityType, Gazetteer};
use crate::text::Normalized;

/// The columns of the written file, in order.
pub(crate) const HEADER: &str =
    "id\ttype\tname_en\tname_fa\taliases\tshort\tcountry\tpart_of\toffices\twikidata\tnote\n";

/// The longest slug taken from a label (cut at a word break), before `-q<digits>`.
const MAX_SLUG: usize = 48;

/// The fewest letters or digits an alias must have: «be», «fr», «UK» would match everywhere.
const MIN_ALIAS_CHARS: usize = 3;

/// What to do with one dump entity.
pub(crate) enum Class {
    /// A property, lexeme or other non-item entity.
    NotItem,
    /// No P31 value is listed in the mapping.
    Unmapped,
    /// No usable `en` or `fa` label (or no `fa` label with `require_fa`).
    NoLabel,
    /// A country without a valid ISO 3166-1 alpha-2 code (P297).
    NoCountryCode,
    /// Already in the gazetteer the import is made against (by QID, by id, or by type and
    /// name for its rows without a QID): that row wins.
    Known {
        id: String,
        entity_type: EntityType,
        by_name: bool,
    },
    /// An office, remembered for P39.
    Position { role: String, body: Option<u64> },
    /// A row to write.
    Keep(Keep),
}

/// An entity to write.
pub(crate) struct Keep {
    pub qid: u64,
    pub entity_type: EntityType,
    pub id: String,
    pub name_en: String,
    pub name_fa: String,
    /// For countries: the ISO code of the id.
    pub iso: Option<String>,
}

/// Classifies a parsed entity whose id is `qid`.
pub(crate) fn classify(
    entity: &Entity<'_>,
    qid: u64,
    mapping: &Mapping,
    base: &Base,
    require_fa: bool,
) -> Class {
    if entity.kind != "item" {
        return Class::NotItem;
    }
    let claims = &entity.claims;
    let Some(kind) = mapping.classify(ranked(&claims.instance_of).filter_map(|s| s.qid())) else {
        return Class::Unmapped;
    };
    let name_en = entity
        .labels
        .en
        .as_ref()
        .map_or_else(String::new, |t| label(&t.value));
    let name_fa = entity
        .labels
        .fa
        .as_ref()
        .map_or_else(String::new, |t| label(&t.value));
    let entity_type = match kind {
        Kind::Position => {
            if name_en.is_empty() {
                return Class::NoLabel;
            }
            let body = first_value(&claims.jurisdiction).or_else(|| first_value(&claims.country));
            return Class::Position {
                role: name_en,
                body,
            };
        }
        Kind::Entity(t) => t,
    };
    if (name_en.is_empty() && name_fa.is_empty()) || (require_fa && name_fa.is_empty()) {
        return Class::NoLabel;
    }
    if let Some(known) = base.by_qid(qid) {
        return Class::Known {
            id: known.to_string(),
            entity_type,
            by_name: false,
        };
    }
    if let Some(known) = base.by_name(entity_type, &name_en, &name_fa) {
        return Class::Known {
            id: known.to_string(),
            entity_type,
            by_name: true,
        };
    }
    let (id, iso) = if entity_type == EntityType::Country {
        let Some(iso) = country_code(claims) else {
            return Class::NoCountryCode;
        };
        (format!("country:{iso}"), Some(iso))
    } else {
        (entity_id(entity_type, &name_en, qid), None)
    };
    if base.has_id(&id) {
        return Class::Known {
            id,
            entity_type,
            by_name: false,
        };
    }
    Class::Keep(Keep {
        qid,
        entity_type,
        id,
        name_en,
        name_fa,
        iso,
    })
}

/// The first valid P297 value, preferred statements first.
fn country_code(claims: &Claims<'_>) -> Option<String> {
    let preferred = claims
        .iso_alpha2
        .iter()
        .filter(|s| s.rank == Rank::Preferred);
    let normal = claims.iso_alpha2.iter().filter(|s| s.rank == Rank::Normal);
    preferred
        .chain(normal)
        .filter_map(|s| s.mainsnak.datavalue.as_ref())
        .map(|d| d.value.trim().to_ascii_uppercase())
        .find(|code| is_alpha2(code))
}

/// Statements in the order to use them: preferred ones, then normal ones; deprecated ones are
/// left out.
fn ranked<'s, 'a>(
    statements: &'s [ItemStatement<'a>],
) -> impl Iterator<Item = &'s ItemStatement<'a>> {
    let preferred = statements.iter().filter(|s| s.rank == Rank::Preferred);
    let normal = statements.iter().filter(|s| s.rank == Rank::Normal);
    preferred.chain(normal)
}

fn first_value(statements: &[ItemStatement<'_>]) -> Option<u64> {
    ranked(statements).find_map(|s| s.qid())
}

/// `type:slug-q<digits>`: a readable slug of the English label, then the QID. The QID makes
/// it unique (two ids that are equal end in the same QID, so they name the same item) and
/// stable across dumps as long as the English label stays; without a usable English label
/// the id is `type:q<digits>`.
pub(crate) fn entity_id(entity_type: EntityType, name_en: &str, qid: u64) -> String {
    let slug = slug(name_en);
    let prefix = entity_type.id_prefix();
    if slug.is_empty() {
        format!("{prefix}:q{qid}")
    } else {
        format!("{prefix}:{slug}-q{qid}")
    }
}

/// Lower-case ASCII letters and digits of `text` (accents stripped, a few letters spelled
/// out), words joined by `-`, at most [`MAX_SLUG`] bytes cut at a word break.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let spelled = match c {
            'ß' => "ss",
            'æ' | 'Æ' => "ae",
            'œ' | 'Œ' => "oe",
            'ø' | 'Ø' => "o",
            'ł' | 'Ł' => "l",
            'đ' | 'Đ' | 'ð' | 'Ð' => "d",
            'þ' | 'Þ' => "th",
            'ı' => "i",
            _ => "",
        };
        if !spelled.is_empty() || c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            if spelled.is_empty() {
                slug.push(c.to_ascii_lowercase());
            } else {
                slug.push_str(spelled);
            }
        } else if c == '\'' || c == '\u{2019}' {
            // O'Brien, Xi'an: one word.
        } else {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_SLUG {
        let cut = slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    debug_assert!(slug.is_empty() || is_slug(&slug), "{slug}");
    slug
}

/// A label or alias as one TSV cell: control characters (tabs, line breaks) become spaces,
/// runs of white space one space. Empty when nothing is left with a letter or digit.
pub(crate) fn label(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.chars().any(char::is_alphanumeric) {
        cleaned
    } else {
        String::new()
    }
}

/// The gazetteer the import is made against: its rows win, and its entities with a QID are
/// targets of references (`country:US` for Q30).
pub(crate) struct Base<'g> {
    gazetteer: &'g Gazetteer,
    by_qid: HashMap<u64, &'g str>,
    /// Rows without a QID by type and normalized `name_en` or `name_fa`; `None` when two rows
    /// share one.
    by_name: HashMap<(EntityType, String), Option<&'g str>>,
}

impl<'g> Base<'g> {
    pub(crate) fn new(gazetteer: &'g Gazetteer) -> Base<'g> {
        let by_qid = gazetteer
            .entities()
            .iter()
            .filter_map(|e| Some((super::parse_qid(e.wikidata.as_deref()?)?, e.id.as_str())))
            .collect();
        let mut by_name: HashMap<(EntityType, String), Option<&'g str>> = HashMap::new();
        // Lexicon names are not curated rows: an import gives them metadata, never the reverse.
        let curated = |e: &&crate::gazetteer::Entity| !e.is_lexicon();
        for entity in gazetteer
            .entities()
            .iter()
            .filter(curated)
            .filter(|e| e.wikidata.is_none())
        {
            let mut keys: Vec<String> = [&entity.name_en, &entity.name_fa]
                .into_iter()
                .map(|n| name_key(n))
                .filter(|k| !k.is_empty())
                .collect();
            keys.dedup();
            for key in keys {
                by_name
                    .entry((entity.entity_type, key))
                    .and_modify(|id| {
                        if *id != Some(entity.id.as_str()) {
                            *id = None;
                        }
                    })
                    .or_insert(Some(entity.id.as_str()));
            }
        }
        Base {
            gazetteer,
            by_qid,
            by_name,
        }
    }

    fn by_qid(&self, qid: u64) -> Option<&'g str> {
        self.by_qid.get(&qid).copied()
    }

    /// A row without a QID of this type whose English or Persian name is the item's label
    /// (as normalization folds them).
    fn by_name(&self, entity_type: EntityType, name_en: &str, name_fa: &str) -> Option<&'g str> {
        [name_en, name_fa]
            .into_iter()
            .map(name_key)
            .filter(|k| !k.is_empty())
            .find_map(|k| *self.by_name.get(&(entity_type, k))?)
    }

    fn has_id(&self, id: &str) -> bool {
        self.gazetteer.get(id).is_some()
    }

    /// The base's entities with a QID, as reference targets.
    fn targets(&self) -> impl Iterator<Item = (u64, Target)> + '_ {
        self.by_qid
            .iter()
            .filter_map(|(&qid, &id)| Some((qid, self.target(id)?)))
    }

    /// The base's entity `id` as a reference target, with its names.
    fn target(&self, id: &str) -> Option<Target> {
        let entity = self.gazetteer.get(id)?;
        let names = std::iter::once(entity.name_en.as_str())
            .chain(entity.aliases.iter().map(|a| a.text.as_str()))
            .filter(|n| !n.is_empty())
            .map(Box::from)
            .collect();
        Some(Target {
            id: id.into(),
            names_en: names,
        })
    }
}

/// An entity that rows may refer to: a country (`country` column, `part_of`, office body) or
/// a party (`Member@party:...`).
pub(crate) struct Target {
    id: Box<str>,
    /// English names, to take " of the United States" off an office's label.
    names_en: Vec<Box<str>>,
}

/// An office, as written in the `offices` column: `Role@body`.
struct Office {
    role: Box<str>,
    body: Box<str>,
}

/// What the dump tells about the items rows refer to. Its size follows the number of
/// countries, parties and offices in the dump, not the number of items.
#[derive(Default)]
pub(crate) struct References {
    targets: HashMap<u64, Target>,
    positions: HashMap<u64, Office>,
    raw_positions: HashMap<u64, (Box<str>, Option<u64>)>,
    /// Which item got `country:XX` (the first one with that code).
    iso_owner: HashMap<String, u64>,
}

impl References {
    /// The references the base gazetteer gives on its own, before the dump is read.
    pub(crate) fn from_base(base: &Base<'_>) -> References {
        References {
            targets: base.targets().collect(),
            ..References::default()
        }
    }

    /// Notes what one classified entity of the dump tells about references.
    pub(crate) fn learn(&mut self, qid: u64, class: &Class, base: &Base<'_>) {
        match class {
            Class::Keep(keep) => match keep.entity_type {
                EntityType::Country => {
                    let Some(iso) = &keep.iso else { return };
                    // A second item with the same code (a kingdom and its main country) gets
                    // no row of its own, but references to it still resolve to `country:XX`.
                    self.iso_owner.entry(iso.clone()).or_insert(qid);
                    self.targets.entry(qid).or_insert_with(|| Target {
                        id: format!("country:{iso}").into(),
                        names_en: name_list(&keep.name_en),
                    });
                }
                EntityType::Party => {
                    self.targets.entry(qid).or_insert_with(|| Target {
                        id: keep.id.as_str().into(),
                        names_en: name_list(&keep.name_en),
                    });
                }
                _ => {}
            },
            Class::Known {
                id, entity_type, ..
            } => {
                if matches!(entity_type, EntityType::Country | EntityType::Party) {
                    if let Some(target) = base.target(id) {
                        self.targets.entry(qid).or_insert(target);
                    }
                }
            }
            Class::Position { role, body } => {
                self.raw_positions
                    .insert(qid, (role.as_str().into(), *body));
            }
            _ => {}
        }
    }

    /// After the dump: binds each office to its body (a country or party target) and
    /// takes the body's name off its label ("President of the United States" with body
    /// `country:US` is `President@country:US`). Offices with no known body are dropped.
    pub(crate) fn finish(&mut self) {
        for (qid, (role, body)) in std::mem::take(&mut self.raw_positions) {
            let Some(target) = body.and_then(|b| self.targets.get(&b)) else {
                continue;
            };
            let role = office_role(&role, &target.names_en);
            if role.is_empty() {
                continue;
            }
            self.positions.insert(
                qid,
                Office {
                    role: role.into(),
                    body: target.id.clone(),
                },
            );
        }
    }

    /// Whether a country row may be written for `qid` with code `iso`: only the first item
    /// with that code (in dump order) gets `country:XX`.
    pub(crate) fn owns_code(&self, qid: u64, iso: &str) -> bool {
        self.iso_owner.get(iso) == Some(&qid)
    }

    fn country_code(&self, qid: u64) -> Option<&str> {
        self.targets.get(&qid)?.id.strip_prefix("country:")
    }

    fn party(&self, qid: u64) -> Option<&str> {
        let id = &self.targets.get(&qid)?.id;
        id.starts_with("party:").then_some(id)
    }

    /// How many offices are bound to a body (for the summary).
    pub(crate) fn offices(&self) -> usize {
        self.positions.len()
    }
}

/// A name as matching sees it (letter forms, case, accents and word breaks folded).
fn name_key(name: &str) -> String {
    Normalized::new(name).skeleton().to_string()
}

fn name_list(name: &str) -> Vec<Box<str>> {
    if name.is_empty() {
        Vec::new()
    } else {
        vec![name.into()]
    }
}

/// The English title of an office: its label without " of [the] <body>", first letter upper
/// case, `|` (the list separator) replaced.
fn office_role(label: &str, body_names: &[Box<str>]) -> String {
    let mut role = label;
    'names: for name in body_names {
        for joiner in [" of the ", " of "] {
            let Some(cut) = label.len().checked_sub(joiner.len() + name.len()) else {
                continue;
            };
            if cut > 0
                && label.is_char_boundary(cut)
                && label[cut..].to_lowercase() == format!("{joiner}{}", name.to_lowercase())
            {
                role = &label[..cut];
                break 'names;
            }
        }
    }
    let role = role.trim().replace('|', "/").replace(['@', '[', ']'], " ");
    let role = role.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = role.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Appends the draft row of `keep` to `out`: the cells known from the item's own line, and
/// its references as QIDs (resolved by [`finish_row`] once the whole dump has been read):
///
/// `id type name_en name_fa aliases short wikidata refs`, where `refs` is a space-separated
/// list of `P27=30` (country candidates, in the order to try), `P39=11696/1789/1797` and
/// `P102=29468//` (office and party statements with their start and end years: empty when
/// absent, `?` when unusable).
pub(crate) fn write_draft(keep: &Keep, entity: &Entity<'_>, out: &mut String) {
    let claims = &entity.claims;
    let (aliases, short) = aliases(
        [&keep.name_en, &keep.name_fa],
        &entity.aliases.en,
        &entity.aliases.fa,
    );
    for cell in [
        keep.id.as_str(),
        keep.entity_type.as_str(),
        &keep.name_en,
        &keep.name_fa,
        &aliases.join(" | "),
        &short.join(" | "),
    ] {
        out.push_str(cell);
        out.push('\t');
    }
    let _ = write!(out, "Q{}\t", keep.qid);
    // Country: P27 for people, P17 for the rest, preferred statements first.
    let (property, statements) = match keep.entity_type {
        EntityType::Person => ("P27", &claims.citizenship[..]),
        EntityType::Country => ("P17", &[][..]),
        _ => ("P17", &claims.country[..]),
    };
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push(' ');
        }
        first = false;
    };
    for qid in ranked(statements).filter_map(|s| s.qid()) {
        sep(out);
        let _ = write!(out, "{property}={qid}");
    }
    if keep.entity_type == EntityType::Person {
        for (property, statements) in [("P39", &claims.position), ("P102", &claims.party)] {
            for statement in statements.iter().filter(|s| s.rank != Rank::Deprecated) {
                let Some(qid) = statement.qid() else { continue };
                let from = Year::of(&statement.qualifiers.start);
                let to = Year::of(&statement.qualifiers.end);
                sep(out);
                let _ = write!(out, "{property}={qid}/{}/{}", from.code(), to.code());
            }
        }
    }
    out.push('\n');
}

/// Turns one draft line (without its line break) into the final row, resolving its references
/// with `refs`. A country value, office or party that resolves to no row (or whose years the
/// format cannot hold) goes to the `note` column as its property and QID, so nothing the
/// dump says is lost silently; of several country values only the first known one is kept
/// (the others are mostly former states: Berlin's P17 lists Prussia and the GDR), and they
/// are noted only when none is known.
pub(crate) fn finish_row(draft: &str, refs: &References, out: &mut String) -> Result<(), String> {
    let cells: Vec<&str> = draft.split('\t').collect();
    let [id, type_name, name_en, name_fa, aliases, short, wikidata, references] = cells[..] else {
        return Err(format!("draft row of {} cells", cells.len()));
    };
    let entity_type =
        EntityType::parse(type_name).ok_or_else(|| format!("draft type {type_name:?}"))?;
    let mut country_values: Vec<(&str, u64)> = Vec::new();
    let mut statements: Vec<(&str, u64, Year, Year)> = Vec::new();
    for token in references.split(' ').filter(|t| !t.is_empty()) {
        let bad = || format!("draft reference {token:?}");
        let (property, value) = token.split_once('=').ok_or_else(bad)?;
        let mut parts = value.split('/');
        let qid: u64 = parts.next().and_then(|q| q.parse().ok()).ok_or_else(bad)?;
        match property {
            "P27" | "P17" => country_values.push((property, qid)),
            _ => {
                let from = parts.next().and_then(Year::from_code).ok_or_else(bad)?;
                let to = parts.next().and_then(Year::from_code).ok_or_else(bad)?;
                statements.push((property, qid, from, to));
            }
        }
    }
    let mut unwritten: Vec<String> = Vec::new();
    let country = country_values
        .iter()
        .find_map(|&(_, qid)| refs.country_code(qid));
    if country.is_none() {
        for &(property, qid) in &country_values {
            let item = format!("{property}=Q{qid}");
            if !unwritten.contains(&item) {
                unwritten.push(item);
            }
        }
    }
    let part_of = match (entity_type, country) {
        (EntityType::City, Some(code)) => format!("country:{code}"),
        _ => String::new(),
    };
    let mut offices: Vec<String> = Vec::new();
    for (property, qid, from, to) in statements {
        let office = if property == "P39" {
            refs.positions.get(&qid).map(|o| (&*o.role, &*o.body))
        } else {
            refs.party(qid).map(|id| ("Member", id))
        };
        push_office(
            property,
            qid,
            from,
            to,
            office,
            &mut offices,
            &mut unwritten,
        );
    }
    let note = if unwritten.is_empty() {
        String::new()
    } else {
        format!("Wikidata statements not written: {}", unwritten.join(" "))
    };
    let cells: [&str; 11] = [
        id,
        type_name,
        name_en,
        name_fa,
        aliases,
        short,
        country.unwrap_or(""),
        &part_of,
        &offices.join(" | "),
        wikidata,
        &note,
    ];
    out.push_str(&cells.join("\t"));
    out.push('\n');
    Ok(())
}

/// Adds `Role@body[from..to]` for a P39 or P102 statement, or notes why it cannot be written
/// (no known office or party, or years the format cannot hold: less than a year, outside
/// 1000..=9999, or running backwards).
fn push_office(
    property: &str,
    qid: u64,
    from: Year,
    to: Year,
    office: Option<(&str, &str)>,
    offices: &mut Vec<String>,
    unwritten: &mut Vec<String>,
) {
    let years = |out: &mut String| {
        if from != Year::Absent || to != Year::Absent {
            let _ = write!(out, "[{}..{}]", from.code(), to.code());
        }
    };
    let backwards = matches!((from, to), (Year::Known(f), Year::Known(t)) if f > t);
    let usable = from != Year::Unusable && to != Year::Unusable && !backwards;
    match office {
        Some((role, body)) if usable => {
            let mut item = format!("{role}@{body}");
            years(&mut item);
            if !offices.contains(&item) {
                offices.push(item);
            }
        }
        _ => {
            let mut item = format!("{property}=Q{qid}");
            years(&mut item);
            unwritten.push(item);
        }
    }
}

/// The `aliases` and `short` cells: `en` and `fa` aliases, each spelling once (as
/// normalization folds them), without the names themselves, without aliases of fewer than
/// three letters or digits or with a `|`. A one-word alias that is a word of the entity's
/// name (`Washington` for George Washington) is a short form: recognised only after the full
/// name in the same document.
fn aliases(names: [&str; 2], en: &[Term<'_>], fa: &[Term<'_>]) -> (Vec<String>, Vec<String>) {
    let key = |text: &str| Normalized::new(text).skeleton().to_string();
    let mut seen: HashSet<String> = names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| key(n))
        .collect();
    let name_words: HashSet<String> = names
        .iter()
        .flat_map(|n| n.split_whitespace())
        .map(key)
        .collect();
    let mut aliases = Vec::new();
    let mut short = Vec::new();
    for term in en.iter().chain(fa) {
        let alias = label(&term.value);
        if alias.contains('|')
            || alias.chars().filter(|c| c.is_alphanumeric()).count() < MIN_ALIAS_CHARS
        {
            continue;
        }
        let k = key(&alias);
        if k.is_empty() || !seen.insert(k.clone()) {
            continue;
        }
        if !alias.contains(char::is_whitespace) && name_words.contains(&k) {
            short.push(alias);
        } else {
            aliases.push(alias);
        }
    }
    (aliases, short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("George Washington"), "george-washington");
        assert_eq!(slug("Sebastián Piñera"), "sebastian-pinera");
        assert_eq!(slug("Łódź"), "lodz");
        assert_eq!(slug("Straße des 17. Juni"), "strasse-des-17-juni");
        assert_eq!(slug("O'Brien"), "obrien");
        assert_eq!(slug("  --Ελλάδα--  "), "");
        assert_eq!(slug("جورج واشنگتن"), "");
        let long = slug("The International Bank for Reconstruction and Development of the World");
        assert!(long.len() <= MAX_SLUG && is_slug(&long), "{long}");
        assert_eq!(long, "the-international-bank-for-reconstruction-and");
        assert_eq!(
            entity_id(EntityType::Person, "George Washington", 23),
            "person:george-washington-q23"
        );
        assert_eq!(entity_id(EntityType::City, "東京", 1490), "city:q1490");
    }

    #[test]
    fn labels_become_cells() {
        assert_eq!(label(" George\tWashington\n"), "George Washington");
        assert_eq!(label("🇧🇪"), "");
        assert_eq!(label("بین‌المللی"), "بین‌المللی");
    }

    #[test]
    fn office_roles() {
        let us: Vec<Box<str>> = vec!["United States".into(), "United States of America".into()];
        assert_eq!(
            office_role("President of the United States", &us),
            "President"
        );
        assert_eq!(
            office_role("President of the United States of America", &us),
            "President"
        );
        assert_eq!(office_role("Secretary of State", &us), "Secretary of State");
        assert_eq!(office_role("monarch", &us), "Monarch");
        assert_eq!(office_role("a|b", &us), "A/b");
    }

    #[test]
    fn alias_cells() {
        let terms = |v: &[&str]| -> Vec<Term<'static>> {
            v.iter()
                .map(|s| Term {
                    value: s.to_string().into(),
                })
                .collect()
        };
        let (aliases, short) = aliases(
            ["George Washington", "جورج واشنگتن"],
            &terms(&[
                "Washington",
                "President Washington",
                "GW",
                "george washington",
                "a | b",
                "🇺🇸",
            ]),
            &terms(&["واشنگتن", "جرج واشینگتن", "جورج واشنگتن"]),
        );
        assert_eq!(aliases, ["President Washington", "جرج واشینگتن"]);
        assert_eq!(short, ["Washington", "واشنگتن"]);
    }
}
