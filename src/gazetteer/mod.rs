//! Gazetteers: the entities newsgraph knows, their names in every language, and the Persian
//! morphology tables matching needs.
//!
//! Everything here is loaded from plain files (see `gazetteers/README.md` in the repository):
//! `entities/*.tsv`, `affixes.tsv` and `suffixes.tsv`. [`Gazetteer::embedded`] loads the
//! defaults compiled into the binary; [`Gazetteer::from_files`] loads any [`DataFiles`].
//! Every invalid row is reported as a [`RowError`] naming its file, line and reason; loading
//! reports all of them at once, so a reviewer fixes a file in one pass.

mod composed;
mod discovery;
mod entities;
mod files;
mod ids;
mod iso3166;
mod lexicons;
mod morphology;
mod rules;
mod spacy;
mod table;
mod wikidata;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use ids::IdIndex;

use rustc_hash::FxHashSet;
use std::path::PathBuf;

pub use composed::{Composition, Head};
pub use discovery::{Discovery, DiscoveryPattern, DISCOVERED};
pub(crate) use discovery::{Probe, COMMON_WORD, LISTED_WORD, SURNAME, VERB_FORM};
pub(crate) use entities::read_tsv;
pub use files::DataFiles;
pub use iso3166::is_alpha2;
pub use morphology::SuffixMention;
pub use morphology::{AffixPosition, Morphology};
pub(crate) use rules::Word;
pub use rules::{
    Argument, Inflection, Predicate, Predicates, Rule, RuleSet, RuleSpecs, Side, Title, Window,
};
pub use spacy::skipped as skipped_patterns;
pub(crate) use table::fuzz as fuzz_entity_table;
pub(crate) use wikidata::mapping_errors as wikidata_mapping_errors;
pub use wikidata::{
    import_wikidata, DumpSource, ImportError, ImportEvent, ImportOptions, ImportSummary,
    DEFAULT_MAX_LINE_BYTES, TYPES_FILE,
};

/// The entity types of the contract.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EntityType {
    /// A person (a head of state, a minister, ...).
    Person,
    /// A political party.
    Party,
    /// A state with an ISO 3166-1 alpha-2 code.
    Country,
    /// A world region (Latin America, the Middle East, ...).
    Region,
    /// A city or province, `part_of` its country.
    City,
    /// An international organization, forum, ministry or other body.
    Organization,
    /// A named initiative (Belt and Road, ...).
    Initiative,
    /// A named event (a party congress, a summit, ...).
    Event,
    /// A named principle or policy (the One-China principle, ...).
    Principle,
    /// A named document (a treaty, a joint statement, ...).
    Document,
}

impl EntityType {
    /// All types, in contract order.
    pub const ALL: [EntityType; 10] = [
        EntityType::Person,
        EntityType::Party,
        EntityType::Country,
        EntityType::Region,
        EntityType::City,
        EntityType::Organization,
        EntityType::Initiative,
        EntityType::Event,
        EntityType::Principle,
        EntityType::Document,
    ];

    /// The contract name, e.g. `PERSON`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Party => "PARTY",
            EntityType::Country => "COUNTRY",
            EntityType::Region => "REGION",
            EntityType::City => "CITY",
            EntityType::Organization => "ORGANIZATION",
            EntityType::Initiative => "INITIATIVE",
            EntityType::Event => "EVENT",
            EntityType::Principle => "PRINCIPLE",
            EntityType::Document => "DOCUMENT",
        }
    }

    /// The prefix of node ids of this type, e.g. `person` in `person:xi-jinping`.
    pub fn id_prefix(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Party => "party",
            EntityType::Country => "country",
            EntityType::Region => "region",
            EntityType::City => "city",
            EntityType::Organization => "organization",
            EntityType::Initiative => "initiative",
            EntityType::Event => "event",
            EntityType::Principle => "principle",
            EntityType::Document => "document",
        }
    }

    /// Parses a contract name (`PERSON`, ...), case-sensitively.
    pub fn parse(name: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The position of an entity in its [`Gazetteer`]; valid only for that gazetteer.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct EntityIndex(pub(crate) u32);

impl EntityIndex {
    /// The index as a `usize`.
    pub fn as_usize(self) -> usize {
        self.0 as usize
    }
}

/// How an alias may be used.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum AliasKind {
    /// `name_en` or `name_fa`.
    Name,
    /// An entry of the `aliases` column.
    Alias,
    /// An entry of the `short` column: recognised only after a full name of the same entity
    /// occurred earlier in the same document.
    Short,
}

/// Where an alias came from; it becomes the `via` of the mentions it produces.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Origin {
    /// A gazetteer TSV file.
    Gazetteer,
    /// A spaCy phrase-pattern file given with `--patterns`.
    Pattern,
    /// A name lexicon (`lexicons/`): names without curated metadata.
    Lexicon,
}

/// One name of an entity.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    /// The alias as written in the file.
    pub text: String,
    /// How it may be used.
    pub kind: AliasKind,
    /// Where it came from.
    pub origin: Origin,
    /// The file it was written in (shared by every row of that file).
    #[serde(with = "shared_name")]
    pub file: Arc<str>,
    /// The 1-based line it was written on.
    pub line: usize,
}

/// An office held by a person: `Role@entity-id[from..to]` in the `offices` column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Office {
    /// The English title, e.g. `President`.
    pub role: String,
    /// The id of the country, party or organization of the office.
    pub of: String,
    /// First year in office, when known.
    pub from: Option<i32>,
    /// Last year in office; `None` while in office or when unknown.
    pub to: Option<i32>,
}

impl Office {
    /// Whether the office was held at some time in `year` (open ends count as held).
    pub fn held_in(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }
}

/// One entity of the gazetteer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entity {
    /// Stable node id: `country:CN`, `person:xi-jinping`, ...
    pub id: String,
    /// The entity type (agrees with the id prefix).
    pub entity_type: EntityType,
    /// The canonical English name (may be empty for a Persian-only spaCy pattern).
    pub name_en: String,
    /// The canonical Persian name (may be empty for an English-only spaCy pattern).
    pub name_fa: String,
    /// Every name, including `name_en` and `name_fa` (kind [`AliasKind::Name`]).
    pub aliases: Vec<Alias>,
    /// ISO 3166-1 alpha-2 code of the entity's country.
    pub country: Option<String>,
    /// Ids of the entities this one is part of.
    pub part_of: Vec<String>,
    /// For a capital city, the node id of the state it may stand for («واشنگتن اعلام کرد»).
    pub capital_of: Option<String>,
    /// Offices held (for people).
    pub offices: Vec<Office>,
    /// The Wikidata QID, when known.
    pub wikidata: Option<String>,
    /// The file the entity was defined in (shared by every row of that file).
    #[serde(with = "shared_name")]
    pub file: Arc<str>,
    /// The 1-based line it was defined on.
    pub line: usize,
}

impl Entity {
    /// The ISO 3166-1 alpha-2 code of a country (`CN` of `country:CN`).
    pub fn country_code(&self) -> Option<&str> {
        if self.entity_type != EntityType::Country {
            return None;
        }
        self.id
            .strip_prefix(EntityType::Country.id_prefix())
            .and_then(|rest| rest.strip_prefix(':'))
    }

    /// Whether the entity comes from a name lexicon (`lexicons/`), not a curated row.
    pub fn is_lexicon(&self) -> bool {
        !self.aliases.is_empty() && self.aliases.iter().all(|a| a.origin == Origin::Lexicon)
    }

    /// A display label: the Persian name, or the English one when there is none.
    pub fn label(&self) -> &str {
        if self.name_fa.is_empty() {
            &self.name_en
        } else {
            &self.name_fa
        }
    }
}

/// File names in the compiled cache: a million rows of one file share one `Arc<str>` when
/// loaded, as they did when built, instead of a million copies.
mod shared_name {
    use std::cell::RefCell;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    thread_local! {
        static LAST: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
    }

    pub(super) fn serialize<S: Serializer>(
        name: &Arc<str>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(name)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Arc<str>, D::Error> {
        let name = <&str>::deserialize(deserializer)?;
        Ok(LAST.with_borrow_mut(|last| match last {
            Some(shared) if **shared == *name => Arc::clone(shared),
            _ => Arc::clone(last.insert(Arc::from(name))),
        }))
    }
}

/// One invalid row or cell of a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The file, relative to the gazetteer folder.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, for a human.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// Why data files (gazetteers, morphology tables, rules, the predicate table, patterns)
/// could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// One or more rows are invalid; every one is listed, one per line, as `file:line: reason`.
    #[error("{}", join_lines(.0))]
    Invalid(Vec<RowError>),
    /// A file or folder could not be read. The cause is the error's source, so that a chain
    /// printer shows it once.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn join_lines(errors: &[RowError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The loaded, validated set of entities and morphology tables.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// The entities of a gazetteer built from files; empty when loaded from the compiled
    /// cache, whose entities are `stored`.
    entities: Vec<Entity>,
    /// Fx-hashed: ids are not attacker-chosen keys, and with a million entities SipHash was a
    /// tenth of the build. Empty when the entities are `stored`.
    by_id: IdIndex,
    /// The entities of a gazetteer loaded from the compiled cache, read in place from the
    /// mapped file and decoded on first use.
    stored: Option<Arc<table::Stored>>,
    morphology: Morphology,
    /// Skeletons of lexicon names that are matched only with supporting context (one word,
    /// or a common word), sorted.
    contextual: Vec<String>,
    /// (role, body id) → every (holder, office index), in gazetteer order: a title without a
    /// name looks its holders up here, not in every entity.
    offices_by_role: HashMap<(String, String), Vec<(EntityIndex, usize)>>,
    discovery: Discovery,
    composition: Composition,
}

impl Gazetteer {
    /// The gazetteers built into the binary.
    pub fn embedded() -> Result<Gazetteer, DataError> {
        Gazetteer::from_files(&DataFiles::embedded())
    }

    /// Loads `entities/*.tsv`, `affixes.tsv` and `suffixes.tsv` from `files`. Fails with every
    /// invalid row when any row is invalid.
    pub fn from_files(files: &DataFiles) -> Result<Gazetteer, DataError> {
        let mut builder = GazetteerBuilder::new();
        builder.add_files(files);
        builder.build()
    }

    /// The entities, in load order (files sorted by name, rows in file order).
    ///
    /// A gazetteer loaded from the compiled cache decodes them all the first time this is
    /// called; [`Gazetteer::entity`] decodes one.
    pub fn entities(&self) -> &[Entity] {
        match &self.stored {
            Some(stored) => stored.all(),
            None => &self.entities,
        }
    }

    /// The entity at `index`.
    ///
    /// # Panics
    ///
    /// When `index` comes from another gazetteer and is out of range.
    pub fn entity(&self, index: EntityIndex) -> &Entity {
        match &self.stored {
            Some(stored) => stored.get(index.as_usize()),
            None => &self.entities[index.as_usize()],
        }
    }

    /// The index of the entity with node id `id`.
    pub fn index_of(&self, id: &str) -> Option<EntityIndex> {
        match &self.stored {
            Some(stored) => stored.index_of(id),
            None => self.by_id.get(&self.entities, id),
        }
    }

    /// The country with ISO 3166-1 alpha-2 code `code`.
    pub fn country(&self, code: &str) -> Option<EntityIndex> {
        let prefix = EntityType::Country.id_prefix();
        self.index_of(&format!("{prefix}:{code}"))
    }

    /// The entity with node id `id`.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.index_of(id).map(|i| self.entity(i))
    }

    /// The people who held office `role` of the body `of` (a node id), with each term, in
    /// gazetteer order.
    pub fn offices<'a>(
        &'a self,
        role: &'a str,
        of: &'a str,
    ) -> impl Iterator<Item = (EntityIndex, &'a Office)> + 'a {
        self.offices_by_role
            .get(&(role.to_string(), of.to_string()))
            .into_iter()
            .flatten()
            .map(move |&(holder, office)| (holder, &self.entity(holder).offices[office]))
    }

    /// Whether the lexicons hold `name` (any spelling) as a name that needs supporting
    /// context: one word, or a common word.
    pub fn is_contextual_name(&self, name: &str) -> bool {
        self.contextual
            .binary_search(&crate::text::skeleton(name))
            .is_ok()
    }

    /// The discovery data: word classes, first names and patterns.
    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    /// The heads of composed bodies («وزارت خارجه» + a country).
    pub fn composition(&self) -> &Composition {
        &self.composition
    }

    /// The Persian morphology tables used by matching.
    pub fn morphology(&self) -> &Morphology {
        &self.morphology
    }

    /// The number of entities.
    pub fn len(&self) -> usize {
        match &self.stored {
            Some(stored) => stored.len(),
            None => self.entities.len(),
        }
    }

    /// Whether there are no entities.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The compiled cache's two parts of this gazetteer: the entity table and every other
    /// table (postcard, as [`Tables`]), in that order.
    pub(crate) fn to_cache(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        let tables = (
            &self.morphology,
            &self.contextual,
            &self.offices_by_role,
            &self.discovery,
            &self.composition,
        );
        let tables = postcard::to_stdvec(&tables).map_err(|e| e.to_string())?;
        Ok((table::encode(self.entities())?, tables))
    }

    /// The gazetteer of the two parts [`Gazetteer::to_cache`] wrote: the entity table at
    /// `entities` of `bytes`, read in place, and the other tables.
    pub(crate) fn from_cache(
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        entities: std::ops::Range<usize>,
        tables: &[u8],
    ) -> Result<Gazetteer, String> {
        let Tables(morphology, contextual, offices_by_role, discovery, composition) =
            postcard::from_bytes(tables).map_err(|e| e.to_string())?;
        Ok(Gazetteer {
            entities: Vec::new(),
            by_id: IdIndex::default(),
            stored: Some(Arc::new(table::Stored::new(bytes, entities)?)),
            morphology,
            contextual,
            offices_by_role,
            discovery,
            composition,
        })
    }
}

/// The gazetteer's tables other than its entities, as the compiled cache holds them: the
/// fields of [`Gazetteer::to_cache`]'s tuple, in its order.
#[derive(serde::Deserialize)]
struct Tables(
    Morphology,
    Vec<String>,
    HashMap<(String, String), Vec<(EntityIndex, usize)>>,
    Discovery,
    Composition,
);

/// Adds `entity` to `gazetteer`, or a duplicate-id error to `errors`.
fn insert(gazetteer: &mut Gazetteer, errors: &mut Vec<RowError>, entity: Entity) {
    let index = EntityIndex(gazetteer.entities.len() as u32);
    match gazetteer
        .by_id
        .insert(&gazetteer.entities, &entity.id, index)
    {
        Err(previous) => {
            let previous = &gazetteer.entities[previous.as_usize()];
            errors.push(RowError {
                file: entity.file.to_string(),
                line: entity.line,
                reason: format!(
                    "duplicate id {} (first defined at {}:{})",
                    entity.id, previous.file, previous.line
                ),
            });
        }
        Ok(()) => gazetteer.entities.push(entity),
    }
}

/// Builds a [`Gazetteer`] from files, collecting every row error.
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    gazetteer: Gazetteer,
    errors: Vec<RowError>,
    /// The lexicon files, added when the gazetteer is built, after every curated and pattern
    /// entity: (name, text).
    lexicons: Vec<(String, String)>,
    romanizer: lexicons::Romanizer,
    place_words: HashSet<String>,
}

impl GazetteerBuilder {
    /// An empty builder.
    pub fn new() -> GazetteerBuilder {
        GazetteerBuilder::default()
    }

    /// Adds the entity files and morphology tables (`affixes.tsv`, `suffixes.tsv`,
    /// `common_words.txt`) of `files`.
    pub fn add_files(&mut self, files: &DataFiles) -> &mut Self {
        for (name, text) in files.matching("entities/", ".tsv") {
            self.add_entities_tsv(name, text);
        }
        if let Some(text) = files.get("affixes.tsv") {
            let affixes = morphology::parse_affixes("affixes.tsv", text, &mut self.errors);
            self.gazetteer.morphology.affixes = affixes;
        }
        if let Some(text) = files.get("common_words.txt") {
            self.gazetteer.morphology.common_words = morphology::parse_word_list(text);
        }
        if let Some(text) = files.get("state_nouns.txt") {
            self.gazetteer.morphology.state_nouns = morphology::parse_word_list(text);
        }
        if let Some(text) = files.get("suffixes.tsv") {
            let suffixes = morphology::parse_suffixes("suffixes.tsv", text, &mut self.errors);
            self.gazetteer.morphology.suffixes = suffixes;
        }
        if let Some(text) = files.get(lexicons::ROMANIZE_FILE) {
            self.romanizer =
                lexicons::Romanizer::parse(lexicons::ROMANIZE_FILE, text, &mut self.errors);
            self.gazetteer.discovery.romanizer = self.romanizer.clone();
        }
        if let Some(text) = files.get(discovery::CLASSES_FILE) {
            let d = &mut self.gazetteer.discovery;
            d.add_classes(discovery::CLASSES_FILE, text, &mut self.errors);
        }
        if let Some(text) = files.get(discovery::PATTERNS_FILE) {
            let d = &mut self.gazetteer.discovery;
            d.add_patterns(discovery::PATTERNS_FILE, text, &mut self.errors);
        }
        if let Some(text) = files.get(composed::HEADS_FILE) {
            let c = &mut self.gazetteer.composition;
            c.add_heads(composed::HEADS_FILE, text, &mut self.errors);
        }
        if let Some(text) = files.get(lexicons::PEOPLE_FILE) {
            self.gazetteer.discovery.add_first_names(text);
        }
        if let Some(text) = files.get(discovery::WORDS_FILE) {
            self.gazetteer.discovery.words =
                morphology::parse_word_list(text).into_iter().collect();
        }
        if let Some(text) = files.get(discovery::NOT_NAMES_FILE) {
            self.gazetteer.discovery.not_names =
                morphology::parse_word_list(text).into_iter().collect();
        }
        if let Some(text) = files.get(discovery::INFLECTIONS_FILE) {
            let mut endings: Vec<String> = morphology::parse_word_list(text).into_iter().collect();
            endings.sort();
            self.gazetteer.discovery.inflections = endings;
        }
        if let Some(text) = files.get(discovery::FUNCTION_WORDS_FILE) {
            self.gazetteer.discovery.function_words =
                morphology::parse_word_list(text).into_iter().collect();
        }
        if let Some(text) = files.get(discovery::VERBS_FILE) {
            self.gazetteer.discovery.verbs =
                morphology::parse_word_list(text).into_iter().collect();
        }
        if let Some(text) = files.get(lexicons::PLACES_COMMON_FILE) {
            self.place_words = morphology::parse_word_list(text);
        }
        for name in [lexicons::PEOPLE_FILE, lexicons::PLACES_FILE] {
            if let Some(text) = files.get(name) {
                self.lexicons.push((name.to_string(), text.to_string()));
            }
        }
        self
    }

    /// Adds the lexicon entities: after every curated and pattern entity, whose names win.
    fn add_lexicons(&mut self) {
        let lexicon_files = std::mem::take(&mut self.lexicons);
        if lexicon_files.is_empty() {
            return;
        }
        let g = &self.gazetteer;
        // Every skeleton in one arena, the set borrowing slices of it: a million aliases are
        // a few large allocations, not a million small ones.
        let mut arena = String::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut normalized = crate::text::Normalized::default();
        for alias in g.entities.iter().flat_map(|e| &e.aliases) {
            normalized.reset(&alias.text);
            arena.push_str(normalized.skeleton());
            ends.push(arena.len());
        }
        let mut taken: FxHashSet<&str> = FxHashSet::default();
        taken.reserve(ends.len());
        let mut start = 0;
        for &end in &ends {
            taken.insert(&arena[start..end]);
            start = end;
        }
        let countries: HashSet<String> = g
            .entities
            .iter()
            .filter_map(|e| e.country_code().map(str::to_string))
            .collect();
        let cx = lexicons::Context {
            taken: &taken,
            common_words: &g.morphology.common_words,
            place_words: &self.place_words,
            ids: &g.by_id,
            entities: &g.entities,
            countries: &countries,
            romanizer: &self.romanizer,
        };
        let mut contextual = Vec::new();
        let mut added = Vec::new();
        for (name, text) in &lexicon_files {
            if name == lexicons::PEOPLE_FILE {
                added.extend(lexicons::people(name, text, &cx, &mut contextual));
            } else {
                let places = lexicons::places(name, text, &cx, &mut contextual, &mut self.errors);
                added.extend(places);
            }
        }
        contextual.sort_unstable();
        contextual.dedup();
        self.gazetteer.contextual = contextual;
        for entity in added {
            self.insert(entity);
        }
    }

    /// Adds the entities of one TSV file (`file` is the name used in error messages).
    pub fn add_entities_tsv(&mut self, file: &str, text: &str) -> &mut Self {
        // Each row goes straight into the gazetteer: a file of a million rows is never held
        // twice, once parsed and once inserted.
        let (gazetteer, errors) = (&mut self.gazetteer, &mut self.errors);
        // One allocation of the right size (at most the line count), not a doubling Vec
        // whose last growth holds the old and the new buffer at once.
        let rows = text.lines().count();
        gazetteer.entities.reserve(rows);
        gazetteer.by_id.reserve(&gazetteer.entities, rows);
        entities::parse(file, text, errors, |entity, errors| {
            insert(gazetteer, errors, entity)
        });
        self
    }

    /// Adds the patterns of a spaCy EntityRuler/SpanRuler JSONL file. A pattern whose `id`
    /// is an existing node id becomes an alias of that entity; other patterns become entities
    /// of their own (all patterns with the same `id` form one entity).
    pub fn add_spacy_patterns(&mut self, file: &str, text: &str) -> &mut Self {
        let patterns = spacy::parse(file, text, &self.gazetteer, &mut self.errors);
        for pattern in patterns {
            match self.gazetteer.index_of(&pattern.entity.id) {
                Some(index) => {
                    let entity = &mut self.gazetteer.entities[index.as_usize()];
                    if entity.entity_type != pattern.entity.entity_type {
                        self.errors.push(RowError {
                            file: file.to_string(),
                            line: pattern.entity.line,
                            reason: format!(
                                "pattern label {} disagrees with the type {} of {}",
                                pattern.entity.entity_type, entity.entity_type, entity.id
                            ),
                        });
                        continue;
                    }
                    entity.aliases.extend(pattern.entity.aliases);
                }
                None => self.insert(pattern.entity),
            }
        }
        self
    }

    fn insert(&mut self, entity: Entity) {
        insert(&mut self.gazetteer, &mut self.errors, entity);
    }

    /// Checks references between rows (`part_of`, `offices`), then returns the gazetteer, or
    /// every error found.
    pub fn build(self) -> Result<Gazetteer, DataError> {
        let (gazetteer, errors) = self.build_lenient();
        if errors.is_empty() {
            Ok(gazetteer)
        } else {
            Err(DataError::Invalid(errors))
        }
    }

    /// Like [`GazetteerBuilder::build`], but returns the gazetteer of all valid rows together
    /// with the errors (for lint, which reports instead of failing).
    pub fn build_lenient(mut self) -> (Gazetteer, Vec<RowError>) {
        self.add_lexicons();
        let g = &self.gazetteer;
        for entity in &g.entities {
            let references = entity
                .part_of
                .iter()
                .map(|id| ("part_of", id))
                .chain(entity.capital_of.iter().map(|id| ("capital_of", id)))
                .chain(entity.offices.iter().map(|o| ("offices", &o.of)));
            for (column, id) in references {
                if g.index_of(id).is_none() {
                    self.errors.push(RowError {
                        file: entity.file.to_string(),
                        line: entity.line,
                        reason: format!("{column}: unknown entity id {id}"),
                    });
                }
            }
        }
        let mut offices: HashMap<(String, String), Vec<(EntityIndex, usize)>> = HashMap::new();
        for (i, entity) in self.gazetteer.entities.iter().enumerate() {
            for (k, office) in entity.offices.iter().enumerate() {
                offices
                    .entry((office.role.clone(), office.of.clone()))
                    .or_default()
                    .push((EntityIndex(i as u32), k));
            }
        }
        self.gazetteer.offices_by_role = offices;
        let g = &mut self.gazetteer;
        g.composition.find_curated(&g.entities, &g.by_id);
        g.discovery.seal(&g.morphology.common_words);
        self.errors
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        (self.gazetteer, self.errors)
    }
}

#[cfg(test)]
mod tests;
