//! The resolve stage: what each selected name, short form, pronoun, title and «دو طرف»
//! refers to. It is the only writer of mentions.
//!
//! Before the relate stage it turns the selected spans into [`Mention`]s with offsets in the
//! original text, applies the nesting policy ([`keeps_nested`]), keeps a short form («شی»)
//! only after a full name of its entity earlier in the document, and chooses between the
//! candidates of an ambiguous alias by the countries around it. While the relate stage reads
//! sentence after sentence, the [`Resolver`] answers who a pronoun, «دو طرف» or a title
//! without a name refers to, from a [`Discourse`] state carried from sentence to sentence,
//! and records each answer as a `via: coref` mention.

mod compose;
mod discourse;

pub(crate) use discourse::Resolver;

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::discover::Found;
use crate::doc::{CharIndex, Document, Entities, Extraction, Mention, Via};
use crate::gazetteer::Entity;
use crate::gazetteer::{EntityIndex, EntityType, Gazetteer, Origin, RuleSet, Word};
use crate::select::{PhraseHits, Selected, Selection};
use crate::text::Normalized;
use crate::trace::{CandidateNote, Decision, Trace};

/// Whether a mention of type `inner` nested in a name of type `outer` is a mention in its own
/// right. An institution's name refers to the place or person it belongs to («حزب کمونیست
/// چین» names China), and an organization's name to the organization it is an organ of
/// («شورای امنیت سازمان ملل»); a person's, country's or region's name is one name («آمریکا»
/// in «آمریکای لاتین», «سودان» in «سودان جنوبی», "Israel" in "Israel Katz"), and so is a
/// party's or an event's name that contains another of its kind.
pub(crate) fn keeps_nested(outer: EntityType, inner: EntityType) -> bool {
    use EntityType::*;
    !matches!(outer, Person | Country | Region | City) && (outer != inner || outer == Organization)
}

/// Everything the resolve stage reads of one document.
pub(crate) struct Input<'a> {
    pub(crate) gazetteer: &'a Gazetteer,
    pub(crate) doc: &'a Document,
    pub(crate) norm: &'a Normalized,
    pub(crate) chars: &'a CharIndex,
    pub(crate) sentences: &'a [Range<usize>],
    pub(crate) rules: &'a RuleSet,
    /// The rule phrases the select stage kept: the writer's own country («کشورمان») is one.
    pub(crate) phrases: &'a PhraseHits,
}

/// Turns the selected entity spans into the document's mentions (sorted by start, a longer
/// mention before those nested in it) and their candidate pool, then resolves ambiguous
/// aliases by context; `trace` records each decision.
pub(crate) fn mentions(
    input: &Input,
    selection: &Selection,
    found: &[Found],
    extraction: &mut Extraction,
    mut trace: Option<&mut Trace>,
) {
    let Input {
        gazetteer,
        doc,
        norm,
        chars,
        sentences,
        ..
    } = *input;
    let type_of = |s: &Selected| {
        gazetteer
            .entity(EntityIndex(selection.targets(s)[0]))
            .entity_type
    };
    // The earliest full-name mention of each entity, for short forms: (entity, start).
    let mut full_names: Vec<(u32, usize)> = selection
        .spans
        .iter()
        .filter(|s| !s.short)
        .map(|s| (selection.targets(s)[0], s.span.start))
        .collect();
    full_names.sort_unstable();
    full_names.dedup_by_key(|&mut (entity, _)| entity);
    let named_before = |entity: u32, at: usize| {
        let i = full_names.partition_point(|&(e, _)| e < entity);
        full_names
            .get(i)
            .is_some_and(|&(e, start)| e == entity && start < at)
    };

    // (skeleton span, nested, candidates in `pool`, via), in selection order.
    let mut kept: Vec<(Range<usize>, bool, Range<u32>, Via)> = Vec::new();
    let mut pool: Vec<u32> = Vec::with_capacity(selection.pool.len());
    let mut keep = |span: Range<usize>, nested, targets: &mut dyn Iterator<Item = u32>, via| {
        let at = pool.len() as u32;
        pool.extend(targets);
        kept.push((span, nested, at..pool.len() as u32, via));
    };
    // The type of the top-level mention the following nested ones stand in.
    let mut container = None;
    // The skeleton spans of the demonyms kept, in selection order (sorted by start).
    let mut demonyms: Vec<(usize, usize)> = Vec::new();
    for s in selection.spans.iter().filter(|s| !s.short) {
        let entity_type = type_of(s);
        // A demonym denotes a state: «تهرانی‌ها» are people, not the city.
        if s.demonym && entity_type != EntityType::Country {
            if let Some(t) = trace.as_deref_mut() {
                for &entity in selection.targets(s) {
                    t.candidates.push(CandidateNote {
                        span: norm.original_range(s.span.clone()),
                        entity,
                        decision: Decision::DemonymNotCountry,
                    });
                }
            }
            continue;
        }
        if !s.nested {
            container = Some(entity_type);
        } else if !container.is_some_and(|c| keeps_nested(c, entity_type)) {
            if let (Some(t), Some(outer)) = (trace.as_deref_mut(), container) {
                for &entity in selection.targets(s) {
                    t.candidates.push(CandidateNote {
                        span: norm.original_range(s.span.clone()),
                        entity,
                        decision: Decision::NestedInName { outer },
                    });
                }
            }
            continue;
        }
        let via = match s.origin {
            Origin::Gazetteer => Via::Gazetteer,
            Origin::Pattern => Via::Pattern,
            Origin::Lexicon => Via::Lexicon,
        };
        if s.demonym {
            demonyms.push((s.span.start, s.span.end));
        }
        let mut targets = selection.targets(s).iter().copied();
        keep(s.span.clone(), s.nested, &mut targets, via);
    }
    if let Some(t) = trace.as_deref_mut() {
        for s in selection.spans.iter().filter(|s| s.short) {
            for &entity in selection.targets(s) {
                if !named_before(entity, s.span.start) {
                    t.candidates.push(CandidateNote {
                        span: norm.original_range(s.span.clone()),
                        entity,
                        decision: Decision::ShortWithoutName,
                    });
                }
            }
        }
    }
    // A short form names the entities whose full name came earlier; of overlapping short
    // forms, the longest (then leftmost) stands.
    let mut shorts: Vec<&Selected> = selection
        .spans
        .iter()
        .filter(|s| {
            s.short
                && selection
                    .targets(s)
                    .iter()
                    .any(|&e| named_before(e, s.span.start))
        })
        .collect();
    shorts.sort_by_key(|s| (std::cmp::Reverse(s.span.len()), s.span.start));
    let mut taken: Vec<Range<usize>> = Vec::new();
    for s in shorts {
        let span = &s.span;
        let at = taken.partition_point(|t| t.start < span.start);
        let overlaps =
            |t: Option<&Range<usize>>| t.is_some_and(|t| t.start < span.end && span.start < t.end);
        let crossing =
            overlaps(at.checked_sub(1).and_then(|i| taken.get(i))) || overlaps(taken.get(at));
        if let Some(t) = trace.as_deref_mut() {
            let decision = match crossing {
                true => Decision::ShortOverlap,
                false => Decision::ShortKept,
            };
            for &entity in selection.targets(s) {
                if named_before(entity, span.start) {
                    t.candidates.push(CandidateNote {
                        span: norm.original_range(span.clone()),
                        entity,
                        decision: decision.clone(),
                    });
                }
            }
        }
        if crossing {
            continue;
        }
        taken.insert(at, span.clone());
        let mut named = selection
            .targets(s)
            .iter()
            .copied()
            .filter(|&e| named_before(e, span.start));
        keep(span.clone(), false, &mut named, Via::Coref);
    }
    // Composition reads its neighbours by position, and the references look for a medium
    // and for the names around them in text order: short forms come in sorted, and so do
    // the references and, after composition, its bodies.
    sort_kept(&mut kept, &pool);
    if home_references(input, &mut kept, &mut pool, trace.as_deref_mut()) {
        sort_kept(&mut kept, &pool);
    }
    compose::compose(
        gazetteer,
        norm,
        &mut kept,
        &mut pool,
        &mut extraction.discovered,
    );
    sort_kept(&mut kept, &pool);

    extraction.mentions.clear();
    extraction.candidate_pool.clear();
    extraction.mentions.reserve(kept.len());
    // Where the last honorific lookup ended in the skeleton: mentions come in text order.
    let mut cursor = 0;
    demonyms.sort_unstable();
    for (span, nested, candidates, via) in kept {
        let demonym = demonyms.binary_search(&(span.start, span.end)).is_ok();
        let candidates = &pool[candidates.start as usize..candidates.end as usize];
        let bytes = after_honorifics(
            gazetteer,
            &doc.text,
            norm,
            norm.original_range(span),
            Entities::new(gazetteer, &extraction.discovered).entity(EntityIndex(candidates[0])),
            &mut cursor,
        );
        let span_chars = chars.span(&doc.text, &bytes);
        let sentence = sentences
            .partition_point(|s| s.end <= bytes.start)
            .min(sentences.len().saturating_sub(1));
        let at = extraction.candidate_pool.len() as u32;
        extraction.candidate_pool.extend_from_slice(candidates);
        extraction.mentions.push(Mention {
            start: span_chars.start,
            end: span_chars.end,
            byte_start: bytes.start,
            byte_end: bytes.end,
            entity: EntityIndex(candidates[0]),
            via,
            nested,
            sentence,
            pattern: None,
            candidates: at..extraction.candidate_pool.len() as u32,
            demonym,
            // Every coref mention of this list is a short form.
            short_form: via == Via::Coref,
        });
    }
    discovered(input, found, extraction, trace.as_deref_mut());
    // Which entity a surface names comes first; whether a capital stands for its state is a
    // question about that entity, and its state is no rival reading to weigh by country.
    resolve_ambiguous(gazetteer, extraction, trace.as_deref_mut());
    capitals(input, extraction, trace);
}

/// Where a person's name starts in `bytes`, a span of an alias of `entity`: after the
/// honorifics of `patterns/classes.tsv` (class `H`) it begins with («آیت‌الله مشکینی», «سردار
/// قاسم سلیمانی»). The honorific lets a surname stand as a full name, but is no part of the
/// name: the dev gold and PEYMA both write «مشکینی». An honorific that begins the entity's own
/// name is its name («سردار بردی‌محمداف»), and the last word always stays.
fn after_honorifics(
    gazetteer: &Gazetteer,
    text: &str,
    norm: &Normalized,
    bytes: Range<usize>,
    entity: &Entity,
    cursor: &mut usize,
) -> Range<usize> {
    if entity.entity_type != EntityType::Person {
        return bytes;
    }
    let discovery = gazetteer.discovery();
    for w in crate::text::words(&text[bytes.clone()]) {
        let w = bytes.start + w.start..bytes.start + w.end;
        let honorific = w.end < bytes.end
            && discovery.word(norm.skeleton_of(w.clone(), cursor)).tag[0] == b'H'
            && !entity.name_fa.starts_with(&text[w.clone()]);
        if !honorific {
            return w.start..bytes.end;
        }
    }
    bytes
}

/// The names the discover stage found become mentions of entities of the document
/// (`extraction.discovered`, one per type and normalized name), unless a known name stands
/// there. A later mention of the last word of a person's name that has no curated short forms
/// (a discovered or a lexicon person: «لاوروف» after «سرگئی لاوروف», «زنگنه» after «بیژن
/// زنگنه») refers to that person, whether it stands alone or a pattern found it.
fn discovered(
    input: &Input,
    found: &[Found],
    extraction: &mut Extraction,
    mut trace: Option<&mut Trace>,
) {
    let gazetteer = input.gazetteer;
    let text = &input.doc.text;
    let first_local = gazetteer.len() as u32;
    // (type, normalized name) → local entity; a person's last word → the person and where
    // its name ends. Maps, not lists: a long document discovers thousands of names, and a
    // lookup per name or per word must not cost their number.
    // Hashed fast: the surnames are looked up once per word of the text.
    let mut by_name: FxHashMap<(EntityType, String), u32> = FxHashMap::default();
    let mut surnames: FxHashMap<String, (u32, usize)> = FxHashMap::default();
    for m in extraction.mentions.iter().filter(|m| {
        !m.nested
            && m.via == Via::Lexicon
            && gazetteer.entity(m.entity).entity_type == EntityType::Person
    }) {
        let name = &text[m.bytes()];
        let mut words = crate::text::words(name);
        if let (Some(_), Some(last)) = (words.next(), words.last()) {
            let last = m.byte_start + last.start..m.byte_start + last.end;
            surnames
                .entry(crate::text::skeleton(&text[last]))
                .or_insert((m.entity.0, m.byte_end));
        }
    }
    if found.is_empty() && surnames.is_empty() {
        return;
    }
    // Found names are sorted and do not overlap each other, so each is checked against the
    // resolved mentions only, and all are merged in at the end: inserting one by one would
    // move the whole mention list for each.
    let mut added: Vec<(usize, Mention)> = Vec::new();
    for f in found {
        let place = match f.entity_type {
            // An institution's name holds the place or body it belongs to («دانشگاه تهران»,
            // «وزارت صنعت و انرژی قطر»): those become nested in it, as in a curated name.
            EntityType::Organization | EntityType::Party => {
                let entities = Entities::new(gazetteer, &extraction.discovered);
                absorbing_place(&mut extraction.mentions, &f.span, |m| {
                    keeps_nested(f.entity_type, entities.entity(m.entity).entity_type)
                })
            }
            _ => free_place(&extraction.mentions, &f.span),
        };
        let Some(at) = place else {
            if let Some(t) = trace.as_deref_mut() {
                t.candidates.push(CandidateNote {
                    span: f.span.clone(),
                    entity: u32::MAX,
                    decision: Decision::Discovered { pattern: f.pattern },
                });
                t.candidates.push(CandidateNote {
                    span: f.span.clone(),
                    entity: u32::MAX,
                    decision: Decision::DiscoveredUnderName,
                });
            }
            continue;
        };
        let surface = &text[f.span.clone()];
        let key = crate::text::skeleton(surface);
        // A person's surname alone, found by a pattern («زنگنه گفت»), is that person.
        let surname = (f.entity_type == EntityType::Person && f.words.len() == 1)
            .then(|| surnames.get(&key))
            .flatten()
            .filter(|&&(_, after)| after <= f.span.start)
            .map(|&(e, _)| e);
        let entity = match surname.or_else(|| by_name.get(&(f.entity_type, key)).copied()) {
            Some(e) => e,
            None => {
                let key = crate::text::skeleton(surface);
                let e = first_local + extraction.discovered.len() as u32;
                let persian = surface
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
                let (name_en, name_fa) = if persian {
                    (String::new(), surface.to_string())
                } else {
                    (surface.to_string(), String::new())
                };
                let discovery = gazetteer.discovery();
                extraction.discovered.push(Entity {
                    id: discovery.id_of(f.entity_type, surface),
                    entity_type: f.entity_type,
                    name_en,
                    name_fa,
                    aliases: Vec::new(),
                    country: None,
                    part_of: Vec::new(),
                    offices: Vec::new(),
                    wikidata: None,
                    capital_of: None,
                    file: "".into(),
                    line: 0,
                });
                by_name.insert((f.entity_type, key), e);
                if f.entity_type == EntityType::Person && f.words.len() >= 2 {
                    if let Some(last) = f.words.last() {
                        surnames
                            .entry(crate::text::skeleton(&text[last.clone()]))
                            .or_insert((e, f.span.end));
                    }
                }
                e
            }
        };
        if let Some(t) = trace.as_deref_mut() {
            t.candidates.push(CandidateNote {
                span: f.span.clone(),
                entity,
                decision: Decision::Discovered { pattern: f.pattern },
            });
        }
        let mention =
            discovered_mention(input, f.span.clone(), entity, Some(f.pattern), extraction);
        added.push((at, mention));
    }
    merge_at(&mut extraction.mentions, &mut added);
    if surnames.is_empty() {
        return;
    }
    let mut later: Vec<(Range<usize>, u32)> = Vec::new();
    // Each word's skeleton is a slice of the document's, read in text order.
    let mut cursor = 0;
    // The word before, when only spaces stand between: a surname right after a word that may
    // begin a name («سیاوش شهابی», «فلاحت پیشه») is part of a longer name the patterns missed,
    // not the person named before.
    let mut previous: Option<(usize, &str)> = None;
    let discovery = gazetteer.discovery();
    for w in crate::text::words(text) {
        let key = input.norm.skeleton_of(w.clone(), &mut cursor);
        if let Some(&(e, after)) = surnames.get(key) {
            let in_a_name = previous.is_some_and(|(end, before)| {
                text[end..w.start].trim().is_empty() && discovery.may_begin_name(before)
            });
            if w.start >= after && !in_a_name {
                later.push((w.clone(), e));
            }
        }
        previous = Some((w.end, key));
    }
    // Words do not overlap each other either.
    for (span, entity) in later {
        let Some(at) = free_place(&extraction.mentions, &span) else {
            continue;
        };
        if let Some(t) = trace.as_deref_mut() {
            t.candidates.push(CandidateNote {
                span: span.clone(),
                entity,
                decision: Decision::Surname,
            });
        }
        let mut mention = discovered_mention(input, span, entity, None, extraction);
        mention.via = Via::Coref;
        mention.short_form = true;
        added.push((at, mention));
    }
    merge_at(&mut extraction.mentions, &mut added);
}

/// Inserts each `(at, mention)` of `added` (sorted by `at`) before `mentions[at]`, in one pass.
fn merge_at(mentions: &mut Vec<Mention>, added: &mut Vec<(usize, Mention)>) {
    if added.is_empty() {
        return;
    }
    let old = std::mem::replace(mentions, Vec::with_capacity(mentions.len() + added.len()));
    let mut added = added.drain(..).peekable();
    for (i, m) in old.into_iter().enumerate() {
        while let Some((_, a)) = added.next_if(|(at, _)| *at <= i) {
            mentions.push(a);
        }
        mentions.push(m);
    }
    mentions.extend(added.map(|(_, a)| a));
}

/// Where a mention of `span` goes in `mentions` (sorted by start), or `None` when a mention
/// already stands on part of it. Top-level mentions do not overlap, so only the few before the
/// insertion point and those starting inside the span can.
fn free_place(mentions: &[Mention], span: &Range<usize>) -> Option<usize> {
    let at = mentions.partition_point(|m| m.byte_start < span.start);
    let overlaps = |m: &Mention| {
        crate::ops::tick(1);
        m.byte_start < span.end && span.start < m.byte_end
    };
    let clash = mentions[..at].iter().rev().take(8).any(overlaps)
        || mentions[at..]
            .iter()
            .take_while(|m| m.byte_start < span.end)
            .any(overlaps);
    (!clash).then_some(at)
}

/// Where a discovered name over `span` goes in `mentions`, making the mentions
/// wholly inside it nested ones, or `None` when a mention crosses its edge or cannot stand
/// in it (`can_nest`, by [`keeps_nested`]). Only the mentions starting inside the span can be
/// inside it.
fn absorbing_place(
    mentions: &mut [Mention],
    span: &Range<usize>,
    can_nest: impl Fn(&Mention) -> bool,
) -> Option<usize> {
    let at = mentions.partition_point(|m| m.byte_start < span.start);
    let crossing_before = mentions[..at]
        .iter()
        .rev()
        .take(8)
        .any(|m| span.start < m.byte_end);
    if crossing_before {
        return None;
    }
    let inside = mentions[at..]
        .iter()
        .take_while(|m| m.byte_start < span.end)
        .count();
    // A name composed here («وزارت امور خارجه کشورمان») with the found name's very span is
    // that name: the discover stage could not know it.
    let fits = mentions[at..at + inside].iter().all(|m| {
        m.byte_end <= span.end
            && can_nest(m)
            && (m.byte_start, m.byte_end) != (span.start, span.end)
    });
    if !fits {
        return None;
    }
    for m in &mut mentions[at..at + inside] {
        m.nested = true;
    }
    Some(at)
}

fn discovered_mention(
    input: &Input,
    span: Range<usize>,
    entity: u32,
    pattern: Option<u16>,
    extraction: &mut Extraction,
) -> Mention {
    let chars = input.chars.span(&input.doc.text, &span);
    let sentence = input
        .sentences
        .partition_point(|s| s.end <= span.start)
        .min(input.sentences.len().saturating_sub(1));
    let at = extraction.candidate_pool.len() as u32;
    extraction.candidate_pool.push(entity);
    Mention {
        start: chars.start,
        end: chars.end,
        byte_start: span.start,
        byte_end: span.end,
        entity: EntityIndex(entity),
        via: Via::Discovered,
        nested: false,
        sentence,
        pattern,
        candidates: at..at + 1,
        demonym: false,
        short_form: false,
    }
}

/// Mentions before their offsets in text order: by start, a longer one before those nested in
/// it, then the top-level one first, then by entity.
fn sort_kept(kept: &mut [compose::Kept], pool: &[u32]) {
    let first = |r: &Range<u32>| pool[r.start as usize];
    kept.sort_by(|a, b| {
        (a.0.start, std::cmp::Reverse(a.0.end), a.1, first(&a.2)).cmp(&(
            b.0.start,
            std::cmp::Reverse(b.0.end),
            b.1,
            first(&b.2),
        ))
    });
}

/// «کشورمان», «کشور ما» (`coref.home` of the rules): the writer's own country, which is the
/// country of the first news medium the document names, a name that begins with a media head
/// (class `N` of `patterns/classes.tsv`: «خبرگزاری فارس»). Each becomes a `via: coref`
/// mention of that country before composition, so «وزارت امور خارجه کشورمان» is the ministry
/// of that country and a title before it takes it as its body. A document that names no
/// medium leaves them unresolved: a speaker quoted in it may mean another country. `kept` is
/// sorted; the references are appended to it, and the answer is whether there were any.
fn home_references(
    input: &Input,
    kept: &mut Vec<compose::Kept>,
    pool: &mut Vec<u32>,
    trace: Option<&mut Trace>,
) -> bool {
    let words = &input.rules.lexicon().words;
    let mut homes = input
        .phrases
        .hits
        .iter()
        .filter(|h| input.phrases.meanings(h).any(|w| words[w] == Word::Home))
        .peekable();
    if homes.peek().is_none() {
        return false;
    }
    let gazetteer = input.gazetteer;
    let norm = input.norm;
    let discovery = gazetteer.discovery();
    let mut cursor = 0;
    let medium = kept
        .iter()
        .filter(|(_, nested, _, via)| !nested && *via == Via::Gazetteer)
        .find_map(|(span, _, candidates, _)| {
            let entity = gazetteer.entity(EntityIndex(pool[candidates.start as usize]));
            let country = entity.country.as_deref()?;
            if entity.entity_type != EntityType::Organization {
                return None;
            }
            let name = norm.original_range(span.clone());
            let head = crate::text::words(&input.doc.text[name.clone()]).next()?;
            let head = name.start + head.start..name.start + head.end;
            (discovery.word(norm.skeleton_of(head, &mut cursor)).tag[0] == b'N')
                .then(|| gazetteer.index_of(&format!("country:{country}")))
                .flatten()
                .map(|c| (c, name))
        });
    let Some((country, medium)) = medium else {
        return false;
    };
    let mut notes = Vec::new();
    let mut cursor = 0;
    let mut added = Vec::new();
    // The furthest end of the names that start before the reference's end: the references
    // come in text order and do not overlap, so one walk over the sorted names serves all.
    let (mut next, mut reach) = (0, 0);
    for hit in homes {
        let span = norm.skeleton_range(hit.span.clone(), &mut cursor);
        while let Some((k, ..)) = kept.get(next).filter(|(k, ..)| k.start < span.end) {
            reach = reach.max(k.end);
            next += 1;
        }
        // A name that holds the words («کشور ما» in a longer name) keeps them.
        if reach > span.start {
            continue;
        }
        notes.push(CandidateNote {
            span: hit.span.clone(),
            entity: country.0,
            decision: Decision::HomeCountry {
                medium: medium.clone(),
            },
        });
        let at = pool.len() as u32;
        pool.push(country.0);
        added.push((span, false, at..at + 1, Via::Coref));
    }
    let any = !added.is_empty();
    kept.extend(added);
    if let Some(t) = trace {
        t.candidates.extend(notes);
    }
    any
}

/// A capital stands for its state («واشنگتن اعلام کرد», «روابط دمشق و بغداد») unless a place
/// word stands right before it in its sentence («در تهران», «به پکن»): then it is the place.
/// The city stays the second candidate.
fn capitals(input: &Input, extraction: &mut Extraction, mut trace: Option<&mut Trace>) {
    let Extraction {
        mentions,
        candidate_pool: pool,
        discovered,
        ..
    } = extraction;
    let text = &input.doc.text;
    let entities = Entities::new(input.gazetteer, discovered);
    for m in mentions.iter_mut().filter(|m| !m.nested) {
        let city = entities.entity(m.entity);
        let Some(state) = city.capital_of.as_deref() else {
            continue;
        };
        let Some(state) = input.gazetteer.index_of(state) else {
            continue;
        };
        let sentence_start = input.sentences.get(m.sentence).map_or(0, |s| s.start);
        let before = &text[sentence_start.min(m.byte_start)..m.byte_start];
        let place = crate::text::last_word(before).is_some_and(|w| {
            input
                .rules
                .is_before_place(&crate::text::skeleton(&before[w]))
        });
        if let Some(t) = trace.as_deref_mut() {
            t.candidates.push(CandidateNote {
                span: m.bytes(),
                entity: m.entity.0,
                decision: match place {
                    true => Decision::CapitalAsPlace,
                    false => Decision::CapitalAsState { state: state.0 },
                },
            });
        }
        if place {
            continue;
        }
        let at = pool.len() as u32;
        pool.extend([state.0, m.entity.0]);
        m.entity = state;
        m.candidates = at..at + 2;
    }
}

/// Chooses, for each ambiguous mention, the candidate whose country is mentioned nearest in
/// the same sentence (following mentions first: «حزب کمونیست و رئیس جمهور کوبا»), then
/// anywhere in the document; otherwise keeps the gazetteer's order.
fn resolve_ambiguous(
    gazetteer: &Gazetteer,
    extraction: &mut Extraction,
    mut trace: Option<&mut Trace>,
) {
    let Extraction {
        mentions,
        candidate_pool: pool,
        discovered,
        ..
    } = extraction;
    let entities = Entities::new(gazetteer, discovered);
    let countries: Vec<(usize, usize, &str, usize)> = mentions
        .iter()
        .filter(|m| entities.entity(m.entity).entity_type == EntityType::Country)
        .filter_map(|m| {
            let code = entities.entity(m.entity).country_code()?;
            Some((m.byte_start, m.sentence, code, m.byte_end))
        })
        .collect();
    for m in mentions.iter_mut() {
        let range = m.candidates.start as usize..m.candidates.end as usize;
        if range.len() < 2 {
            continue;
        }
        let candidates = &pool[range.clone()];
        let country_of = |e: u32| entities.entity(EntityIndex(e)).country.as_deref();
        let after = countries
            .iter()
            .filter(|c| c.1 == m.sentence && c.0 > m.byte_start);
        let before = countries
            .iter()
            .rev()
            .filter(|c| c.1 == m.sentence && c.0 < m.byte_start);
        let anywhere = countries.iter();
        let chosen = after.chain(before).chain(anywhere).find_map(|c| {
            candidates
                .iter()
                .copied()
                .find(|&e| country_of(e) == Some(c.2))
                .map(|e| (e, c.0..c.3))
        });
        if let Some(t) = trace.as_deref_mut() {
            t.candidates.push(CandidateNote {
                span: m.bytes(),
                entity: m.entity.0,
                decision: Decision::Ambiguous {
                    candidates: candidates.to_vec(),
                    chosen: chosen.as_ref().map_or(m.entity.0, |c| c.0),
                    by: chosen.as_ref().map(|c| c.1.clone()),
                },
            });
        }
        if let Some((chosen, _)) = chosen {
            m.entity = EntityIndex(chosen);
            // Keep the documented order: the chosen entity first.
            let slice = &mut pool[range];
            if let Some(at) = slice.iter().position(|&c| c == chosen) {
                slice[..=at].rotate_right(1);
            }
        }
    }
}

/// Rule phrases inside an entity name («همکاری» in «سازمان همکاری شانگهای») are part of the
/// name; titles may overlap names («رئیس جمهوری» and «جمهوری خلق چین»).
pub(crate) fn drop_phrases_inside_names(
    mentions: &[Mention],
    words: &[Word],
    phrases: &mut PhraseHits,
    trace: Option<&mut Trace>,
) {
    // Top-level mentions do not overlap each other, so their spans, in order, can be swept
    // together with the (also ordered) phrases in one pass.
    let names: Vec<Range<usize>> = mentions
        .iter()
        .filter(|m| !m.nested)
        .map(Mention::bytes)
        .collect();
    let mut next = 0;
    let keep: Vec<bool> = phrases
        .hits
        .iter()
        .map(|f| {
            while next < names.len() && names[next].end <= f.span.start {
                next += 1;
            }
            let inside_a_name = names[next..]
                .iter()
                .take_while(|n| n.start < f.span.end)
                .any(|n| n.start < f.span.end && f.span.start < n.end);
            !inside_a_name
                || phrases
                    .meanings(f)
                    .any(|w| matches!(words[w], Word::Title(_)))
        })
        .collect();
    if let Some(t) = trace {
        let dropped = phrases.hits.iter().zip(&keep).filter(|(_, &k)| !k);
        t.phrases_in_names
            .extend(dropped.map(|(f, _)| f.span.clone()));
    }
    let mut keep = keep.into_iter();
    phrases.hits.retain(|_| keep.next().unwrap_or(true));
}
