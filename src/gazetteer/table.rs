//! The entities in the compiled cache: fixed-size records of little-endian `u32`s, one string
//! arena and an open-addressing table of the ids, all read in place from the mapped file. A
//! loaded gazetteer decodes an entity into an owned [`Entity`] the first time it is asked
//! for, so that a run loads a million entities without decoding the few thousand it meets
//! (postcard decoded every field of every entity at start-up, most of the load).
//!
//! Layout: a head of [`HEAD_WORDS`] counts (entities, aliases, `part_of` ids, offices, file
//! names, id slots, arena bytes), then the file-name strings, the entity, alias, `part_of`
//! and office records, the id slots and the arena. A string is an (offset, length) pair into
//! the arena; an absent optional string has the offset [`NONE`]. An entity's aliases,
//! `part_of` ids and offices are the records from the previous entity's end index to its
//! own. The id slots (a power of two, at most half full, or none) hold entity indexes by the
//! hash of their id, [`NONE`] when empty, probed linearly.
//!
//! Every count, index and string read from the file is checked, so that a table that passes
//! the section checksum (which finds damage first) and is still wrong gives an error when
//! loaded, or an entity that fails to decode gives an empty placeholder: never a read out of
//! bounds or a panic. A lookup by id compares the id, so a wrong slot is a miss.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::ids::hash;
use super::{Alias, AliasKind, Entity, EntityIndex, EntityType, Office, Origin};

const HEAD_WORDS: usize = 7;
const STRING_WORDS: usize = 2;
/// id, name_en, name_fa, country, capital_of, wikidata (two words each), type, file, line,
/// and the end indexes of the aliases, `part_of` ids and offices.
const ENTITY_WORDS: usize = 6 * STRING_WORDS + 6;
/// text, kind and origin (one word), file, line.
const ALIAS_WORDS: usize = STRING_WORDS + 3;
/// role, of, from and to (each a flag word and a value word).
const OFFICE_WORDS: usize = 2 * STRING_WORDS + 4;
/// The offset of an absent optional string.
const NONE: u32 = u32::MAX;

/// Encodes `entities`; fails only on a table too large for 32-bit offsets.
pub(crate) fn encode(entities: &[Entity]) -> Result<Vec<u8>, String> {
    let mut w = Writer::default();
    let mut file_index: Vec<(Arc<str>, u32)> = Vec::new();
    let mut file_of = |w: &mut Writer, name: &Arc<str>| -> Result<u32, String> {
        // Rows of one file share its name; files are few, so a short list searched from the
        // most recent one is enough.
        if let Some(&(_, i)) = file_index
            .iter()
            .rev()
            .find(|(f, _)| Arc::ptr_eq(f, name) || **f == **name)
        {
            return Ok(i);
        }
        let i = small(file_index.len())?;
        let s = w.string(name)?;
        w.files.extend(s);
        file_index.push((Arc::clone(name), i));
        Ok(i)
    };
    for entity in entities {
        let id = w.string(&entity.id)?;
        let name_en = w.string(&entity.name_en)?;
        let name_fa = w.string(&entity.name_fa)?;
        let country = w.optional(entity.country.as_deref())?;
        let capital_of = w.optional(entity.capital_of.as_deref())?;
        let wikidata = w.optional(entity.wikidata.as_deref())?;
        let file = file_of(&mut w, &entity.file)?;
        for alias in &entity.aliases {
            // Most aliases repeat a name of their entity: one copy in the arena.
            let text = if alias.text == entity.name_fa {
                name_fa
            } else if alias.text == entity.name_en {
                name_en
            } else {
                w.string(&alias.text)?
            };
            let kind_origin = kind_code(alias.kind) | origin_code(alias.origin) << 8;
            let file = file_of(&mut w, &alias.file)?;
            w.aliases.extend(text);
            w.aliases.extend([kind_origin, file, small(alias.line)?]);
        }
        for id in &entity.part_of {
            let s = w.string(id)?;
            w.part_of.extend(s);
        }
        for office in &entity.offices {
            let role = w.string(&office.role)?;
            let of = w.string(&office.of)?;
            w.offices.extend(role);
            w.offices.extend(of);
            for year in [office.from, office.to] {
                w.offices
                    .extend([u32::from(year.is_some()), year.unwrap_or(0) as u32]);
            }
        }
        let ty = EntityType::ALL
            .iter()
            .position(|&t| t == entity.entity_type)
            .unwrap_or(0);
        for s in [id, name_en, name_fa, country, capital_of, wikidata] {
            w.entities.extend(s);
        }
        w.entities.extend([
            small(ty)?,
            file,
            small(entity.line)?,
            small(w.aliases.len() / ALIAS_WORDS)?,
            small(w.part_of.len() / STRING_WORDS)?,
            small(w.offices.len() / OFFICE_WORDS)?,
        ]);
    }
    let slots = if entities.is_empty() {
        Vec::new()
    } else {
        let mut slots = vec![NONE; (2 * entities.len()).next_power_of_two()];
        let mask = slots.len() - 1;
        for (i, entity) in entities.iter().enumerate() {
            let mut at = hash(&entity.id) as usize & mask;
            while slots[at] != NONE {
                at = (at + 1) & mask;
            }
            slots[at] = small(i)?;
        }
        slots
    };
    let head = [
        small(entities.len())?,
        small(w.aliases.len() / ALIAS_WORDS)?,
        small(w.part_of.len() / STRING_WORDS)?,
        small(w.offices.len() / OFFICE_WORDS)?,
        small(w.files.len() / STRING_WORDS)?,
        small(slots.len())?,
        small(w.arena.len())?,
    ];
    let words = head.len()
        + w.files.len()
        + w.entities.len()
        + w.aliases.len()
        + w.part_of.len()
        + w.offices.len()
        + slots.len();
    let mut out = Vec::with_capacity(words * 4 + w.arena.len());
    for list in [
        &head[..],
        &w.files,
        &w.entities,
        &w.aliases,
        &w.part_of,
        &w.offices,
        &slots,
    ] {
        for word in list {
            out.extend_from_slice(&word.to_le_bytes());
        }
    }
    out.extend_from_slice(w.arena.as_bytes());
    Ok(out)
}

#[derive(Default)]
struct Writer {
    files: Vec<u32>,
    entities: Vec<u32>,
    aliases: Vec<u32>,
    part_of: Vec<u32>,
    offices: Vec<u32>,
    arena: String,
}

impl Writer {
    fn string(&mut self, s: &str) -> Result<[u32; 2], String> {
        let at = small(self.arena.len())?;
        self.arena.push_str(s);
        // The arena's length stays below `NONE`, so no offset is mistaken for an absent one.
        small(self.arena.len())?;
        Ok([at, small(s.len())?])
    }

    fn optional(&mut self, s: Option<&str>) -> Result<[u32; 2], String> {
        match s {
            Some(s) => self.string(s),
            None => Ok([NONE, 0]),
        }
    }
}

fn small(n: usize) -> Result<u32, String> {
    u32::try_from(n)
        .ok()
        .filter(|&n| n != NONE)
        .ok_or_else(|| "the entity table does not fit 32-bit offsets".to_string())
}

fn kind_code(kind: AliasKind) -> u32 {
    match kind {
        AliasKind::Name => 0,
        AliasKind::Alias => 1,
        AliasKind::Short => 2,
    }
}

fn kind_of(code: u32) -> Option<AliasKind> {
    [AliasKind::Name, AliasKind::Alias, AliasKind::Short]
        .get(code as usize)
        .copied()
}

fn origin_code(origin: Origin) -> u32 {
    match origin {
        Origin::Gazetteer => 0,
        Origin::Pattern => 1,
        Origin::Lexicon => 2,
    }
}

fn origin_of(code: u32) -> Option<Origin> {
    [Origin::Gazetteer, Origin::Pattern, Origin::Lexicon]
        .get(code as usize)
        .copied()
}

/// A table written by [`encode`], read in place from the bytes that hold it.
pub(crate) struct Stored {
    bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
    parts: Parts,
    files: Vec<Arc<str>>,
    /// The entities decoded so far, by chunks of [`CHUNK`] allocated on first use.
    chunks: Box<[OnceLock<Chunk>]>,
    /// Every entity, for the callers that walk them all.
    all: OnceLock<Vec<Entity>>,
}

/// The slots of [`CHUNK`] entities, each filled when its entity is first asked for: `None`
/// when it does not decode. Boxed, so that a slot is two words: a chunk is a page, and the
/// slots of a million entities are 16 MB even when a long run has met some in every chunk.
type Chunk = Box<[OnceLock<Option<Box<Entity>>>]>;

/// The entities of one chunk.
const CHUNK: usize = 256;

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stored")
            .field("entities", &self.parts.len)
            .finish_non_exhaustive()
    }
}

impl Stored {
    /// The table at `range` of `bytes`, once its counts and file names check out.
    pub(crate) fn new(
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        range: Range<usize>,
    ) -> Result<Stored, String> {
        let whole = (*bytes).as_ref();
        let section = whole
            .get(range.clone())
            .ok_or("the entity table is outside the file")?;
        let parts = Parts::of(section, range.start)?;
        let table = parts.table(whole);
        let files = (0..parts.files)
            .map(|i| table.string(table.files, i * STRING_WORDS).map(Arc::from))
            .collect::<Result<Vec<_>, _>>()?;
        let chunks = (0..parts.len.div_ceil(CHUNK))
            .map(|_| OnceLock::new())
            .collect();
        Ok(Stored {
            bytes,
            parts,
            files,
            chunks,
            all: OnceLock::new(),
        })
    }

    fn table(&self) -> Table<'_> {
        self.parts.table((*self.bytes).as_ref())
    }

    /// The number of entities.
    pub(crate) fn len(&self) -> usize {
        self.parts.len
    }

    /// Entity `i`, decoded on first use.
    ///
    /// # Panics
    ///
    /// When `i` is out of range, as indexing a vector of the entities would.
    pub(crate) fn get(&self, i: usize) -> &Entity {
        assert!(i < self.parts.len, "entity index {i} out of range");
        self.decoded(i).unwrap_or_else(|| {
            static PLACEHOLDER: OnceLock<Entity> = OnceLock::new();
            PLACEHOLDER.get_or_init(placeholder)
        })
    }

    /// Entity `i`, `None` when it does not decode.
    fn decoded(&self, i: usize) -> Option<&Entity> {
        let chunk = self.chunks.get(i / CHUNK)?.get_or_init(|| {
            let size = CHUNK.min(self.parts.len - i / CHUNK * CHUNK);
            (0..size).map(|_| OnceLock::new()).collect()
        });
        chunk
            .get(i % CHUNK)?
            .get_or_init(|| self.table().entity(i, &self.files).ok().map(Box::new))
            .as_deref()
    }

    /// Every entity, decoded (on the current rayon pool) on first use.
    pub(crate) fn all(&self) -> &[Entity] {
        self.all.get_or_init(|| {
            let table = self.table();
            let mut entities = Vec::new();
            (0..self.parts.len)
                .into_par_iter()
                // Each piece of work clones the file names into Arcs of its own: the threads
                // do not contend for one reference count a million times.
                .map_init(
                    || {
                        self.files
                            .iter()
                            .map(|f| Arc::from(&**f))
                            .collect::<Vec<_>>()
                    },
                    |files, i| table.entity(i, files).unwrap_or_else(|_| placeholder()),
                )
                .collect_into_vec(&mut entities);
            entities
        })
    }

    /// The entity with the id `id`.
    pub(crate) fn index_of(&self, id: &str) -> Option<EntityIndex> {
        let table = self.table();
        let slots = self.parts.slots;
        if slots == 0 {
            return None;
        }
        let mask = slots - 1;
        let mut at = hash(id) as usize & mask;
        // At most every slot once, whatever the table holds.
        for _ in 0..slots {
            let entity = table.slots.word(at).ok()?;
            if entity == NONE {
                return None;
            }
            let i = entity as usize;
            // An entity that does not decode is not found either: its id would not be `id`.
            if i < self.parts.len
                && table.bytes(table.entities, i * ENTITY_WORDS) == Ok(Some(id.as_bytes()))
                && self.decoded(i).is_some()
            {
                return Some(EntityIndex(entity));
            }
            at = (at + 1) & mask;
        }
        None
    }
}

/// Decodes every entity of a table written by [`encode`] (tests and the fuzz checks compare
/// it with what was encoded).
#[cfg(test)]
fn decode(bytes: &[u8]) -> Result<Vec<Entity>, String> {
    let stored = Stored::new(Arc::new(bytes.to_vec()), 0..bytes.len())?;
    let table = stored.table();
    let failed: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let entities = (0..stored.len())
        .map(|i| {
            table.entity(i, &stored.files).unwrap_or_else(|e| {
                *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                placeholder()
            })
        })
        .collect();
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(reason) => Err(reason),
        None => Ok(entities),
    }
}

fn placeholder() -> Entity {
    Entity {
        id: String::new(),
        entity_type: EntityType::Person,
        name_en: String::new(),
        name_fa: String::new(),
        aliases: Vec::new(),
        country: None,
        part_of: Vec::new(),
        capital_of: None,
        offices: Vec::new(),
        wikidata: None,
        file: Arc::from(""),
        line: 0,
    }
}

/// Where each part of a table is, in bytes from the start of what holds it, its lengths
/// checked against the head.
#[derive(Clone, Debug)]
struct Parts {
    len: usize,
    files: usize,
    slots: usize,
    words: [Range<usize>; 6],
    arena: Range<usize>,
}

impl Parts {
    fn of(section: &[u8], base: usize) -> Result<Parts, String> {
        let head = Words(
            section
                .get(..HEAD_WORDS * 4)
                .ok_or("truncated entity table")?,
        );
        let count = |i: usize| head.word(i).map(|n| n as usize);
        let [len, aliases, part_of, offices, files, slots, arena] =
            [0, 1, 2, 3, 4, 5, 6].map(|i| count(i).unwrap_or(0));
        if slots != 0 && (!slots.is_power_of_two() || slots <= len) || slots == 0 && len != 0 {
            return Err("the entity table's id slots do not fit its entities".to_string());
        }
        let mut at = HEAD_WORDS * 4;
        let mut words = [0, 1, 2, 3, 4, 5].map(|_| 0..0);
        let sizes = [
            (files, STRING_WORDS),
            (len, ENTITY_WORDS),
            (aliases, ALIAS_WORDS),
            (part_of, STRING_WORDS),
            (offices, OFFICE_WORDS),
            (slots, 1),
        ];
        for (range, (n, per)) in words.iter_mut().zip(sizes) {
            let size = n
                .checked_mul(per * 4)
                .filter(|&size| size <= section.len() - at)
                .ok_or("truncated entity table")?;
            *range = base + at..base + at + size;
            at += size;
        }
        if section.len() - at != arena {
            return Err("the entity table's arena has the wrong length".to_string());
        }
        Ok(Parts {
            len,
            files,
            slots,
            words,
            arena: base + at..base + section.len(),
        })
    }

    fn table<'a>(&self, bytes: &'a [u8]) -> Table<'a> {
        let [files, entities, aliases, part_of, offices, slots] =
            self.words.clone().map(|r| Words(&bytes[r]));
        Table {
            files,
            entities,
            aliases,
            part_of,
            offices,
            slots,
            arena: &bytes[self.arena.clone()],
        }
    }
}

/// A table's parts.
struct Table<'a> {
    files: Words<'a>,
    entities: Words<'a>,
    aliases: Words<'a>,
    part_of: Words<'a>,
    offices: Words<'a>,
    slots: Words<'a>,
    arena: &'a [u8],
}

impl<'a> Table<'a> {
    /// The bytes whose (offset, length) pair starts at word `at` of `words`.
    fn bytes(&self, words: Words<'a>, at: usize) -> Result<Option<&'a [u8]>, &'static str> {
        let (offset, len) = (words.word(at)?, words.word(at + 1)?);
        if offset == NONE {
            return Ok(None);
        }
        let (offset, len) = (offset as usize, len as usize);
        self.arena
            .get(offset..offset + len)
            .map(Some)
            .ok_or("a string outside the arena")
    }

    fn optional(&self, words: Words<'a>, at: usize) -> Result<Option<&'a str>, &'static str> {
        match self.bytes(words, at)? {
            Some(bytes) => std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|_| "a string that is not UTF-8"),
            None => Ok(None),
        }
    }

    fn string(&self, words: Words<'a>, at: usize) -> Result<&'a str, &'static str> {
        self.optional(words, at)?
            .ok_or("a required string is absent")
    }

    /// The records `start..end` of a list of `total` records, where `end` is entity `i`'s end
    /// index at word `word` and `start` the previous entity's.
    fn range(&self, i: usize, word: usize, total: usize) -> Result<(usize, usize), &'static str> {
        let end_of = |e: usize| {
            self.entities
                .word(e * ENTITY_WORDS + word)
                .map(|n| n as usize)
        };
        let start = if i == 0 { 0 } else { end_of(i - 1)? };
        let end = end_of(i)?;
        if start <= end && end <= total {
            Ok((start, end))
        } else {
            Err("a list index out of order or out of range")
        }
    }

    fn entity(&self, i: usize, files: &[Arc<str>]) -> Result<Entity, &'static str> {
        let e = self.entities;
        let base = i * ENTITY_WORDS;
        let s = |k: usize| self.optional(e, base + k * STRING_WORDS);
        let required = |k: usize| self.string(e, base + k * STRING_WORDS);
        let tail = base + 6 * STRING_WORDS;
        let file_at = |k: u32| files.get(k as usize).ok_or("a file index out of range");
        let entity_type = *EntityType::ALL
            .get(e.word(tail)? as usize)
            .ok_or("an unknown entity type")?;
        let file = Arc::clone(file_at(e.word(tail + 1)?)?);
        let line = e.word(tail + 2)? as usize;
        let total = |w: Words<'_>, per: usize| w.0.len() / 4 / per;
        let (a0, a1) = self.range(i, 6 * STRING_WORDS + 3, total(self.aliases, ALIAS_WORDS))?;
        let (p0, p1) = self.range(i, 6 * STRING_WORDS + 4, total(self.part_of, STRING_WORDS))?;
        let (o0, o1) = self.range(i, 6 * STRING_WORDS + 5, total(self.offices, OFFICE_WORDS))?;
        let mut aliases = Vec::with_capacity(a1 - a0);
        for a in a0..a1 {
            let at = a * ALIAS_WORDS;
            let w = at + STRING_WORDS;
            let kind_origin = self.aliases.word(w)?;
            let kind = kind_of(kind_origin & 0xff);
            let origin = origin_of(kind_origin >> 8);
            let (Some(kind), Some(origin)) = (kind, origin) else {
                return Err("an unknown alias kind or origin");
            };
            aliases.push(Alias {
                text: self.string(self.aliases, at)?.to_string(),
                kind,
                origin,
                file: Arc::clone(file_at(self.aliases.word(w + 1)?)?),
                line: self.aliases.word(w + 2)? as usize,
            });
        }
        let part_of = (p0..p1)
            .map(|p| {
                self.string(self.part_of, p * STRING_WORDS)
                    .map(str::to_string)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut offices = Vec::with_capacity(o1 - o0);
        for o in o0..o1 {
            let at = o * OFFICE_WORDS;
            let w = at + 2 * STRING_WORDS;
            let year = |k: usize| -> Result<Option<i32>, &'static str> {
                match self.offices.word(w + 2 * k)? {
                    0 => Ok(None),
                    1 => Ok(Some(self.offices.word(w + 2 * k + 1)? as i32)),
                    _ => Err("an office year flag that is neither 0 nor 1"),
                }
            };
            offices.push(Office {
                role: self.string(self.offices, at)?.to_string(),
                of: self.string(self.offices, at + STRING_WORDS)?.to_string(),
                from: year(0)?,
                to: year(1)?,
            });
        }
        Ok(Entity {
            id: required(0)?.to_string(),
            entity_type,
            name_en: required(1)?.to_string(),
            name_fa: required(2)?.to_string(),
            aliases,
            country: s(3)?.map(str::to_string),
            part_of,
            capital_of: s(4)?.map(str::to_string),
            offices,
            wikidata: s(5)?.map(str::to_string),
            file,
            line,
        })
    }
}

/// Little-endian `u32`s.
#[derive(Clone, Copy)]
struct Words<'a>(&'a [u8]);

impl Words<'_> {
    fn at(&self, i: usize) -> Option<u32> {
        let bytes = self.0.get(i * 4..i * 4 + 4)?;
        Some(u32::from_le_bytes(bytes.try_into().ok()?))
    }

    fn word(&self, i: usize) -> Result<u32, &'static str> {
        self.at(i).ok_or("a record index out of range")
    }
}

/// The fuzz target `entity_table`: `data` read as a table, and as edits (three bytes of
/// position, one of value) to a valid table of the first embedded entities. Panics when a
/// table that loads panics, or a lookup by id names an entity of another id.
pub(crate) fn fuzz(data: &[u8]) {
    static VALID: OnceLock<Vec<u8>> = OnceLock::new();
    let valid = VALID.get_or_init(|| {
        let gazetteer = super::Gazetteer::embedded().expect("the embedded gazetteer loads");
        let first = &gazetteer.entities()[..gazetteer.len().min(200)];
        encode(first).expect("a small table encodes")
    });
    let mut edited = valid.clone();
    for edit in data.chunks_exact(4) {
        let at = u32::from_le_bytes([edit[0], edit[1], edit[2], 0]) as usize % edited.len();
        edited[at] = edit[3];
    }
    for bytes in [data, &edited] {
        let Ok(table) = Stored::new(Arc::new(bytes.to_vec()), 0..bytes.len()) else {
            continue;
        };
        for i in 0..table.len().min(256) {
            let id = &table.get(i).id;
            if let Some(j) = table.index_of(id) {
                assert_eq!(
                    &table.get(j.as_usize()).id,
                    id,
                    "a lookup by id names another id"
                );
            }
        }
        assert_eq!(table.all().len(), table.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Entity> {
        let file: Arc<str> = Arc::from("entities/a.tsv");
        let other: Arc<str> = Arc::from("patterns.jsonl");
        let alias = |text: &str, kind, origin, file: &Arc<str>, line| Alias {
            text: text.to_string(),
            kind,
            origin,
            file: Arc::clone(file),
            line,
        };
        vec![
            Entity {
                id: "person:x".to_string(),
                entity_type: EntityType::Person,
                name_en: "X".to_string(),
                name_fa: "ایکس".to_string(),
                aliases: vec![
                    alias("X", AliasKind::Name, Origin::Gazetteer, &file, 2),
                    alias("ایکس", AliasKind::Name, Origin::Gazetteer, &file, 2),
                    alias("Mr X", AliasKind::Short, Origin::Pattern, &other, 7),
                ],
                country: Some("CN".to_string()),
                part_of: vec!["party:a".to_string(), "party:b".to_string()],
                capital_of: None,
                offices: vec![Office {
                    role: "President".to_string(),
                    of: "country:CN".to_string(),
                    from: Some(-3),
                    to: None,
                }],
                wikidata: Some("Q1".to_string()),
                file: Arc::clone(&file),
                line: 2,
            },
            Entity {
                id: "city:y".to_string(),
                entity_type: EntityType::City,
                name_en: String::new(),
                name_fa: "ی".to_string(),
                aliases: Vec::new(),
                country: None,
                part_of: Vec::new(),
                capital_of: Some("country:CN".to_string()),
                offices: Vec::new(),
                wikidata: None,
                file: Arc::clone(&other),
                line: 9,
            },
        ]
    }

    #[test]
    fn a_table_round_trips() {
        let entities = sample();
        let bytes = encode(&entities).expect("encode");
        assert_eq!(decode(&bytes).expect("decode"), entities);
        assert_eq!(decode(&encode(&[]).expect("encode")).expect("decode"), []);
    }

    fn stored(bytes: &[u8]) -> Result<Stored, String> {
        Stored::new(Arc::new(bytes.to_vec()), 0..bytes.len())
    }

    #[test]
    fn a_stored_table_finds_every_id_and_decodes_on_demand() {
        let entities = sample();
        let table = stored(&encode(&entities).expect("encode")).expect("table");
        assert_eq!(table.len(), 2);
        for (i, entity) in entities.iter().enumerate() {
            assert_eq!(table.index_of(&entity.id), Some(EntityIndex(i as u32)));
            assert_eq!(table.get(i), entity);
        }
        assert_eq!(table.index_of("person:y"), None);
        assert_eq!(table.index_of(""), None);
        assert_eq!(table.all(), entities);
        let empty = stored(&encode(&[]).expect("encode")).expect("table");
        assert_eq!((empty.len(), empty.index_of("person:x")), (0, None));
    }

    #[test]
    fn every_damaged_or_cut_table_is_an_error_or_a_table_never_a_panic() {
        let bytes = encode(&sample()).expect("encode");
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        // Every byte of every word changed: an error or some table, never a panic, and a
        // lookup never names an entity of another id.
        for at in 0..bytes.len() {
            for value in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                let _ = decode(&damaged);
                if let Ok(table) = stored(&damaged) {
                    for id in ["person:x", "city:y", "X"] {
                        if let Some(i) = table.index_of(id) {
                            assert_eq!(table.get(i.as_usize()).id, id);
                        }
                    }
                    for i in 0..table.len() {
                        let _ = table.get(i);
                    }
                    let _ = table.all();
                }
            }
        }
    }
}
