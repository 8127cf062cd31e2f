//! References that need the discourse: pronouns, «دو طرف», titles without a name.

use std::ops::Range;

use crate::doc::{CharIndex, Document, Entities, Extraction, Mention, Via};
use crate::gazetteer::{EntityIndex, EntityType, Gazetteer, Word};
use crate::select::PhraseHits;

/// What earlier sentences leave for later ones to refer to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Discourse {
    /// The subject of the latest asserted relation whose subject is a person (not an office:
    /// an apposition's person is not more salient than the clause's subject).
    pub(crate) salient: Option<EntityIndex>,
    /// The two people of the latest asserted meeting: «دو طرف», «طرفین».
    pub(crate) last_pair: Option<(EntityIndex, EntityIndex)>,
}

/// The resolve stage's answers to the relate stage, and the writer of their mentions.
pub(crate) struct Resolver<'a> {
    gazetteer: &'a Gazetteer,
    entities: Entities<'a>,
    doc: &'a Document,
    chars: &'a CharIndex,
    year: Option<i32>,
    /// Names, short forms and title holders: what argument slots may be filled with.
    mentions: Vec<Mention>,
    pool: Vec<u32>,
    /// Pronouns and pairs, resolved as they fill a slot or at the end of their sentence.
    references: Vec<Mention>,
    discourse: Discourse,
    /// See [`Resolver::is_named`].
    named: Option<std::collections::HashSet<EntityIndex>>,
}

impl<'a> Resolver<'a> {
    /// The resolver of one document, holding the mentions of the resolve stage's first part.
    pub(crate) fn new(
        entities: Entities<'a>,
        doc: &'a Document,
        chars: &'a CharIndex,
        extraction: &mut Extraction,
    ) -> Resolver<'a> {
        Resolver {
            gazetteer: entities.gazetteer(),
            entities,
            doc,
            chars,
            year: doc.year(),
            mentions: std::mem::take(&mut extraction.mentions),
            pool: std::mem::take(&mut extraction.candidate_pool),
            references: Vec::new(),
            discourse: Discourse::default(),
            named: None,
        }
    }

    /// The mentions arguments may be taken from, sorted by start.
    pub(crate) fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// The discourse state so far.
    pub(crate) fn discourse(&self) -> Discourse {
        self.discourse
    }

    /// Records an asserted relation's subject and object: `office` for an office predicate,
    /// `meeting` for a meeting predicate.
    pub(crate) fn observe(
        &mut self,
        subject: EntityIndex,
        object: EntityIndex,
        office: bool,
        meeting: bool,
    ) {
        let is_person = |e: EntityIndex| self.entities.entity(e).entity_type == EntityType::Person;
        if !office && is_person(subject) {
            self.discourse.salient = Some(subject);
        }
        if meeting && is_person(subject) && is_person(object) {
            self.discourse.last_pair = Some((subject, object));
        }
    }

    /// The person a pronoun at byte `at` refers to: in subject position the salient subject
    /// first, otherwise the most recent person; never one of `exclude`.
    pub(crate) fn antecedent(
        &self,
        at: usize,
        exclude: &[EntityIndex],
        subject_position: bool,
    ) -> Option<EntityIndex> {
        // People mentioned before `at`, nearest first.
        let before = self.mentions[..self.mentions.partition_point(|m| m.byte_start < at)]
            .iter()
            .rev()
            .inspect(|_| crate::ops::tick(1))
            .filter(|m| {
                m.byte_end <= at
                    && !m.nested
                    && self.entities.entity(m.entity).entity_type == EntityType::Person
            })
            .map(|m| m.entity);
        let recent = before.clone().next();
        let recent_other = before.clone().find(|e| !exclude.contains(e));
        let salient = self.discourse.salient;
        let order = if subject_position {
            [salient, recent, recent_other]
        } else {
            [recent, recent_other, salient]
        };
        order.into_iter().flatten().find(|e| !exclude.contains(e))
    }

    /// The two people «دو طرف» refers to.
    pub(crate) fn pair(&self) -> Option<(EntityIndex, EntityIndex)> {
        self.discourse.last_pair
    }

    /// Whether the document names `entity` (not only refers to it): the entities of the
    /// mentions the resolver was given, which it only adds references to. Collected once,
    /// at the first title: a scan of every mention per title would be quadratic.
    fn is_named(&mut self, entity: EntityIndex) -> bool {
        let mentions = &self.mentions;
        self.named
            .get_or_insert_with(|| {
                mentions
                    .iter()
                    .filter(|m| m.via != Via::Coref)
                    .map(|m| m.entity)
                    .collect()
            })
            .contains(&entity)
    }

    /// Records that the words at `span` refer to `entity` (a `via: coref` mention).
    pub(crate) fn refer(&mut self, span: Range<usize>, entity: EntityIndex, sentence: usize) {
        let mention = self.coref_mention(span, entity, sentence);
        self.references.push(mention);
    }

    fn coref_mention(
        &mut self,
        span: Range<usize>,
        entity: EntityIndex,
        sentence: usize,
    ) -> Mention {
        let chars = self.chars.span(&self.doc.text, &span);
        let at = self.pool.len() as u32;
        self.pool.push(entity.0);
        Mention {
            start: chars.start,
            end: chars.end,
            byte_start: span.start,
            byte_end: span.end,
            entity,
            via: Via::Coref,
            nested: false,
            sentence,
            pattern: None,
            candidates: at..at + 1,
            demonym: false,
            short_form: false,
        }
    }

    /// «رئیس جمهور کوبا» with no name, at `span`: the person the gazetteer says held `role` of
    /// the body `body` (a mention index). Among the holders, those the document names win; a
    /// dated document keeps those in office that year; an undated one that names no holder
    /// is not guessed at (today's holder may be decades off). Resolved only when exactly one
    /// person remains; then the title is a mention of that person, which later rules may use
    /// as an argument, and the body a mention nested in it. Returns the holder it resolved to.
    pub(crate) fn title_holder(
        &mut self,
        span: Range<usize>,
        role: &str,
        body: usize,
        sentence: usize,
    ) -> Option<EntityIndex> {
        let body_id = &self.entities.entity(self.mentions[body].entity).id;
        let year = self.year;
        let mut holders: Vec<EntityIndex> = self
            .gazetteer
            .offices(role, body_id)
            .filter(|(_, office)| year.is_none_or(|y| office.held_in(y)))
            .map(|(holder, _)| holder)
            .collect();
        // One holder with two terms is one holder.
        holders.dedup();
        let named: Vec<EntityIndex> = holders
            .iter()
            .copied()
            .filter(|&h| self.is_named(h))
            .collect();
        let holder = match (named.as_slice(), holders.as_slice(), self.year) {
            ([one], _, _) => *one,
            ([], [one], Some(_)) => *one,
            _ => return None,
        };
        let start = span.start;
        let mention = self.coref_mention(span, holder, sentence);
        self.mentions[body].nested = true;
        // Inserted in order: mentions stay sorted by start (the person first, before the
        // nested body), which the range lookups rely on.
        let at = self.mentions.partition_point(|m| m.byte_start < start);
        self.mentions.insert(at, mention);
        Some(holder)
    }

    /// Resolves the pronouns of sentence `s` that no rule resolved, so each one that refers to
    /// a person mentioned earlier gets its mention; the salient subject is the one of the
    /// discourse before the sentence (`before`).
    pub(crate) fn remaining_pronouns(
        &mut self,
        s: usize,
        sentence: Range<usize>,
        phrases: &PhraseHits,
        words: &[Word],
        before: Discourse,
    ) {
        let lo = phrases
            .hits
            .partition_point(|f| f.span.start < sentence.start);
        let pronouns: Vec<Range<usize>> = phrases.hits[lo..]
            .iter()
            .take_while(|f| f.span.start < sentence.end)
            .filter(|f| f.span.end <= sentence.end)
            .filter(|f| phrases.meanings(f).any(|w| words[w] == Word::Pronoun))
            .map(|f| f.span.clone())
            .collect();
        let now = std::mem::replace(&mut self.discourse.salient, before.salient);
        // References are written sentence by sentence, so this sentence's are the last ones;
        // looking through all of them per pronoun would be quadratic in the document.
        let resolved: std::collections::HashSet<usize> = self
            .references
            .iter()
            .rev()
            .take_while(|m| m.sentence == s)
            .map(|m| m.byte_start)
            .collect();
        for span in pronouns {
            if resolved.contains(&span.start) {
                continue;
            }
            let subject_position = crate::text::words(&self.doc.text[sentence.start..span.start])
                .next()
                .is_none();
            if let Some(entity) = self.antecedent(span.start, &[], subject_position) {
                self.refer(span, entity, s);
            }
        }
        self.discourse.salient = now;
    }

    /// Hands the mentions back to `extraction`, in order (start, longer first), without
    /// exact repeats.
    pub(crate) fn finish(self, extraction: &mut Extraction) {
        let Resolver {
            mut mentions,
            references,
            pool,
            ..
        } = self;
        mentions.extend(references);
        mentions.sort_by(|a, b| {
            (
                a.byte_start,
                std::cmp::Reverse(a.byte_end),
                a.nested,
                a.via,
                a.entity,
            )
                .cmp(&(
                    b.byte_start,
                    std::cmp::Reverse(b.byte_end),
                    b.nested,
                    b.via,
                    b.entity,
                ))
        });
        mentions.dedup_by(|b, a| {
            a.byte_start == b.byte_start && a.byte_end == b.byte_end && a.entity == b.entity
        });
        extraction.mentions = mentions;
        extraction.candidate_pool = pool;
    }
}
