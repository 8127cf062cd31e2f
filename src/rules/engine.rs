//! Applying the rules to one document.
//!
//! The engine works sentence by sentence on two sorted lists: the entity mentions, and the
//! lexicon phrases found in the same text. In order:
//!
//! 1. **Context resolution** of ambiguous mentions: «حزب کمونیست» names the communist party
//!    of the country mentioned nearest to it in the same sentence.
//! 2. **Titles**: «X، دبیر کل ... و رئیس جمهور کوبا» and «رئیس جمهور کوبا X» give
//!    `holds_office`; a title with a body but no name («رئیس جمهور کوبا») becomes a coreference
//!    mention of the person the gazetteer says held it when the document was written.
//! 3. **Relation rules**, trigger by trigger. A verbal trigger closes its clause; the clause's
//!    arguments are found by marker (the object after «با», before «را») and by position (the
//!    unmarked subject first). A relative clause («که ...») without a subject takes the
//!    nearest fitting mention before «که»; a clause opening with «و» without a subject shares
//!    the previous clause's. Pronouns and «دو طرف» are resolved as they fill a slot.

use std::ops::Range;
use std::sync::Arc;

use crate::gazetteer::{EntityIndex, EntityType, Gazetteer};
use crate::{Document, Extraction, Mention};

use super::format::Argument;
use super::lexicon::{Found, Word};
use super::{Modality, Relation, RuleSet};
use crate::matcher::Via;

/// Something that can fill an argument slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filler {
    /// A mention (index into the extraction's mentions).
    Mention(usize),
    /// A pronoun at this byte span.
    Pronoun(usize, usize),
    /// «دو طرف» at this byte span.
    Pair(usize, usize),
}

impl Filler {
    fn span(self, mentions: &[Mention]) -> Range<usize> {
        match self {
            Filler::Mention(i) => mentions[i].byte_start..mentions[i].byte_end,
            Filler::Pronoun(s, e) | Filler::Pair(s, e) => s..e,
        }
    }
}

/// A resolved argument: the entity and the text span that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Resolved {
    entity: EntityIndex,
    span: (usize, usize),
    /// A pronoun or pair resolved here: write a coreference mention.
    coref: bool,
}

/// Where a relation was found and how it is asserted.
struct Evidence {
    sentence: usize,
    /// The trigger (or title) span; the evidence runs from the first argument to its end.
    trigger: Range<usize>,
    negated: bool,
    modality: Modality,
}

/// What a relation records of the rule that produced it.
struct RuleRef {
    id: Arc<str>,
    predicate: Arc<str>,
    symmetric: bool,
}

impl RuleRef {
    fn new(id: &str, predicate: &str, symmetric: bool) -> RuleRef {
        RuleRef {
            id: Arc::from(id),
            predicate: Arc::from(predicate),
            symmetric,
        }
    }
}

struct Context<'a> {
    set: &'a RuleSet,
    gazetteer: &'a Gazetteer,
    doc: &'a Document,
    year: Option<i32>,
    found: Vec<Found>,
    mentions: Vec<Mention>,
    relations: Vec<Relation>,
    /// The extraction's candidate pool, which coreference mentions extend.
    pool: Vec<u32>,
    /// The subject of the latest relation whose subject was a person.
    salient: Option<EntityIndex>,
    /// The two people of the latest meeting.
    last_pair: Option<(EntityIndex, EntityIndex)>,
    new_mentions: Vec<Mention>,
}

impl RuleSet {
    /// Adds the relations (and coreference mentions) of `doc` to `extraction`.
    pub(crate) fn apply(
        &self,
        gazetteer: &Gazetteer,
        doc: &Document,
        found: Vec<Found>,
        extraction: &mut Extraction,
    ) {
        let mut cx = Context {
            set: self,
            gazetteer,
            doc,
            year: doc
                .published
                .as_deref()
                .and_then(|p| p.get(..4))
                .and_then(|y| y.parse().ok()),
            found,
            mentions: std::mem::take(&mut extraction.mentions),
            relations: Vec::new(),
            pool: std::mem::take(&mut extraction.candidate_pool),
            salient: None,
            last_pair: None,
            new_mentions: Vec::new(),
        };
        cx.drop_words_inside_mentions();
        cx.resolve_ambiguous();
        for (s, sentence) in extraction.sentences.iter().enumerate() {
            let salient_before = cx.salient;
            cx.titles(s, sentence.clone());
            cx.rules(s, sentence.clone());
            cx.resolve_remaining_pronouns(s, sentence.clone(), salient_before);
        }
        let Context {
            mut mentions,
            mut relations,
            new_mentions,
            pool,
            ..
        } = cx;
        mentions.extend(new_mentions);
        sort_mentions(&mut mentions);
        relations.sort_by(|a, b| {
            (
                a.sentence,
                a.byte_start,
                a.byte_end,
                &a.rule,
                a.subject,
                a.object,
            )
                .cmp(&(
                    b.sentence,
                    b.byte_start,
                    b.byte_end,
                    &b.rule,
                    b.subject,
                    b.object,
                ))
        });
        relations.dedup();
        extraction.mentions = mentions;
        extraction.relations = relations;
        extraction.candidate_pool = pool;
    }
}

/// Restores the mention order (start, longer first) after coreference mentions were added,
/// and drops exact repeats.
fn sort_mentions(mentions: &mut Vec<Mention>) {
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
}

impl Context<'_> {
    fn word<'w>(&'w self, f: &'w Found) -> impl Iterator<Item = &'w Word> + 'w {
        f.words.iter().map(|&w| &self.set.lexicon.words[w])
    }

    fn is(&self, f: &Found, pred: impl Fn(&Word) -> bool) -> bool {
        self.word(f).any(pred)
    }

    fn entity_type(&self, m: &Mention) -> EntityType {
        self.gazetteer.entity(m.entity).entity_type
    }

    /// The lexicon phrases that lie inside `range`. Phrases are sorted by start, so this
    /// costs a binary search and the phrases of the range, never the whole document: rules run
    /// sentence by sentence, and a long document must not make each sentence slower.
    fn found_in(&self, range: &Range<usize>) -> impl Iterator<Item = &Found> + '_ {
        let lo = self.found.partition_point(|f| f.span.start < range.start);
        let end = range.end;
        self.found[lo..]
            .iter()
            .take_while(move |f| f.span.start < end)
            .filter(move |f| f.span.end <= end)
    }

    /// The indexes of the mentions that start inside `range` (mentions are sorted by start).
    fn mentions_from(&self, range: &Range<usize>) -> Range<usize> {
        let lo = self
            .mentions
            .partition_point(|m| m.byte_start < range.start);
        let hi = self.mentions.partition_point(|m| m.byte_start < range.end);
        lo..hi.max(lo)
    }

    /// Lexicon phrases inside an entity name («همکاری» in «سازمان همکاری شانگهای») are part of
    /// the name; titles may overlap names («رئیس جمهوری» and «جمهوری خلق چین»).
    fn drop_words_inside_mentions(&mut self) {
        // Top-level mentions do not overlap each other, so their spans, in order, can be swept
        // together with the (also ordered) phrases in one pass.
        let names: Vec<Range<usize>> = self
            .mentions
            .iter()
            .filter(|m| !m.nested)
            .map(|m| m.byte_start..m.byte_end)
            .collect();
        let words = &self.set.lexicon.words;
        let mut next = 0;
        self.found.retain(|f| {
            while next < names.len() && names[next].end <= f.span.start {
                next += 1;
            }
            let inside_a_name = names[next..]
                .iter()
                .take_while(|n| n.start < f.span.end)
                .any(|n| n.start < f.span.end && f.span.start < n.end);
            !inside_a_name || f.words.iter().any(|&w| matches!(words[w], Word::Title(_)))
        });
    }

    /// Chooses, for each ambiguous mention, the candidate whose country is mentioned nearest
    /// in the same sentence (following mentions first: «حزب کمونیست و رئیس جمهور کوبا»), then
    /// anywhere in the document; otherwise keeps the gazetteer's order.
    fn resolve_ambiguous(&mut self) {
        let countries: Vec<(usize, usize, &str)> = self
            .mentions
            .iter()
            .filter(|m| self.entity_type(m) == EntityType::Country)
            .map(|m| {
                let id = &self.gazetteer.entity(m.entity).id;
                (
                    m.byte_start,
                    m.sentence,
                    id.strip_prefix("country:").unwrap_or(id),
                )
            })
            .collect();
        for i in 0..self.mentions.len() {
            let m = &self.mentions[i];
            let range = m.candidates.start as usize..m.candidates.end as usize;
            if range.len() < 2 {
                continue;
            }
            let candidates: Vec<EntityIndex> = self.pool[range.clone()]
                .iter()
                .map(|&c| EntityIndex(c))
                .collect();
            let country_of = |e: EntityIndex| self.gazetteer.entity(e).country.as_deref();
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
            });
            if let Some(chosen) = chosen {
                self.mentions[i].entity = chosen;
                // Keep the documented order: the chosen entity first.
                let slice = &mut self.pool[range];
                if let Some(at) = slice.iter().position(|&c| c == chosen.0) {
                    slice[..=at].rotate_right(1);
                }
            }
        }
    }

    /// Fillers (mentions, pronouns, pairs) whose span lies inside `range`, in text order.
    fn fillers(&self, range: &Range<usize>) -> Vec<Filler> {
        let mut out: Vec<Filler> = self
            .mentions_from(range)
            .filter(|&i| !self.mentions[i].nested && self.mentions[i].byte_end <= range.end)
            .map(Filler::Mention)
            .collect();
        for f in self.found_in(range) {
            if self.is(f, |w| *w == Word::Pronoun) {
                out.push(Filler::Pronoun(f.span.start, f.span.end));
            } else if self.is(f, |w| *w == Word::Pair) {
                out.push(Filler::Pair(f.span.start, f.span.end));
            }
        }
        out.sort_by_key(|f| f.span(&self.mentions).start);
        out
    }

    /// Whether only punctuation and conjunctions stand in `range` («الف، ب و ج»).
    fn coordinated(&self, range: Range<usize>) -> bool {
        let conjunctions: Vec<&Range<usize>> = self
            .found_in(&range)
            .filter(|f| self.is(f, |w| *w == Word::ListJoiner))
            .map(|f| &f.span)
            .collect();
        crate::text::words(self.doc.text.get(range.clone()).unwrap_or("")).all(|w| {
            conjunctions
                .iter()
                .any(|c| c.start <= w.start + range.start && w.end + range.start <= c.end)
        })
    }

    fn fits(&self, filler: Filler, ty: EntityType) -> bool {
        match filler {
            Filler::Mention(i) => self.entity_type(&self.mentions[i]) == ty,
            Filler::Pronoun(..) => ty == EntityType::Person,
            // A pair fills any slot: its people, or their countries.
            Filler::Pair(..) => true,
        }
    }

    /// The preferred filler of `arg` among `fillers` (first or last in text order), with every
    /// filler of the same type when the argument takes a list.
    fn choose(&self, arg: &Argument, fillers: &[Filler], last: bool) -> Vec<Filler> {
        for &ty in &arg.types {
            let mut of_type = fillers.iter().copied().filter(|&f| self.fits(f, ty));
            let pick = if last {
                of_type.next_back()
            } else {
                of_type.next()
            };
            let Some(pick) = pick else { continue };
            if !arg.list || !matches!(pick, Filler::Mention(_)) {
                return vec![pick];
            }
            // A list is the run of fillers of this type joined only by «و» and commas.
            let of_type: Vec<Filler> = fillers
                .iter()
                .copied()
                .filter(|&f| matches!(f, Filler::Mention(_)) && self.fits(f, ty))
                .collect();
            let at = of_type.iter().position(|&f| f == pick).unwrap_or(0);
            let joined = |a: Filler, b: Filler| {
                self.coordinated(a.span(&self.mentions).end..b.span(&self.mentions).start)
            };
            let mut first = at;
            while first > 0 && joined(of_type[first - 1], of_type[first]) {
                first -= 1;
            }
            let mut last = at;
            while last + 1 < of_type.len() && joined(of_type[last], of_type[last + 1]) {
                last += 1;
            }
            return of_type[first..=last].to_vec();
        }
        Vec::new()
    }

    /// Resolves a filler to entities. `exclude` is the other argument (a pronoun does not
    /// refer to its own clause's subject); `subject_position` prefers the salient subject.
    fn resolve(
        &self,
        filler: Filler,
        arg: &Argument,
        exclude: &[EntityIndex],
        subject_position: bool,
    ) -> Vec<Resolved> {
        match filler {
            Filler::Mention(i) => {
                let m = &self.mentions[i];
                vec![Resolved {
                    entity: m.entity,
                    span: (m.byte_start, m.byte_end),
                    coref: false,
                }]
            }
            Filler::Pronoun(s, e) => self
                .antecedent(s, exclude, subject_position)
                .map(|entity| Resolved {
                    entity,
                    span: (s, e),
                    coref: true,
                })
                .into_iter()
                .collect(),
            Filler::Pair(s, e) => {
                let Some((a, b)) = self.last_pair else {
                    return Vec::new();
                };
                [a, b]
                    .into_iter()
                    .filter_map(|p| self.coerce(p, arg))
                    .map(|entity| Resolved {
                        entity,
                        span: (s, e),
                        coref: true,
                    })
                    .collect()
            }
        }
    }

    /// A person as the argument wants it: the person, or where only countries are allowed,
    /// the country the person holds office in (from this document's relations, else the
    /// gazetteer).
    fn coerce(&self, person: EntityIndex, arg: &Argument) -> Option<EntityIndex> {
        if arg.types.contains(&EntityType::Person) {
            return Some(person);
        }
        if !arg.types.contains(&EntityType::Country) {
            return None;
        }
        let from_text = self.relations.iter().find(|r| {
            r.subject == person
                && &*r.predicate == "holds_office"
                && self.gazetteer.entity(r.object).entity_type == EntityType::Country
        });
        if let Some(r) = from_text {
            return Some(r.object);
        }
        let code = self.gazetteer.entity(person).country.as_deref()?;
        self.gazetteer.index_of(&format!("country:{code}"))
    }

    /// The person a pronoun at `at` refers to: in subject position the salient subject
    /// first, otherwise the most recent person; never one of `exclude`.
    fn antecedent(
        &self,
        at: usize,
        exclude: &[EntityIndex],
        subject_position: bool,
    ) -> Option<EntityIndex> {
        // People mentioned before `at`, nearest first.
        let before = self.mentions[..self.mentions.partition_point(|m| m.byte_start < at)]
            .iter()
            .rev()
            .filter(|m| m.byte_end <= at && !m.nested && self.entity_type(m) == EntityType::Person)
            .map(|m| m.entity);
        let recent = before.clone().next();
        let recent_other = before.clone().find(|e| !exclude.contains(e));
        let order = if subject_position {
            [self.salient, recent, recent_other]
        } else {
            [recent, recent_other, self.salient]
        };
        order.into_iter().flatten().find(|e| !exclude.contains(e))
    }

    /// Records a relation, its coreference mentions, and what later pronouns and pairs
    /// refer to.
    fn push_relation(
        &mut self,
        rule: &RuleRef,
        subject: Resolved,
        object: Resolved,
        role: Option<&str>,
        evidence: &Evidence,
    ) {
        let Evidence {
            sentence,
            ref trigger,
            negated,
            modality,
        } = *evidence;
        if subject.entity == object.entity {
            return;
        }
        let start = subject.span.0.min(object.span.0).min(trigger.start);
        let end = subject.span.1.max(object.span.1).max(trigger.end);
        let text = &self.doc.text;
        let char_start = text[..start].chars().count();
        let predicate: &str = &rule.predicate;
        for r in [subject, object] {
            if r.coref {
                let mention = self.coref_mention(r.span.0..r.span.1, r.entity, sentence);
                self.new_mentions.push(mention);
            }
        }
        if !negated && modality == Modality::Asserted {
            // The subject of a clause is salient; an apposition's person is not more so.
            if &*rule.predicate != "holds_office"
                && self.gazetteer.entity(subject.entity).entity_type == EntityType::Person
            {
                self.salient = Some(subject.entity);
            }
            let people = [subject.entity, object.entity]
                .map(|e| self.gazetteer.entity(e).entity_type == EntityType::Person);
            if predicate == "met_with" && people == [true, true] {
                self.last_pair = Some((subject.entity, object.entity));
            }
        }
        self.relations.push(Relation {
            subject: subject.entity,
            predicate: rule.predicate.clone(),
            object: object.entity,
            role: role.map(str::to_string),
            symmetric: rule.symmetric,
            sentence,
            start: char_start,
            end: char_start + text[start..end].chars().count(),
            byte_start: start,
            byte_end: end,
            rule: rule.id.clone(),
            negated,
            modality,
        });
    }
}

impl Context<'_> {
    /// A `via: coref` mention of `entity` at the byte span `span`.
    fn coref_mention(
        &mut self,
        span: Range<usize>,
        entity: EntityIndex,
        sentence: usize,
    ) -> Mention {
        let start = self.doc.text[..span.start].chars().count();
        let at = self.pool.len() as u32;
        self.pool.push(entity.0);
        Mention {
            start,
            end: start + self.doc.text[span.clone()].chars().count(),
            byte_start: span.start,
            byte_end: span.end,
            entity,
            via: Via::Coref,
            nested: false,
            sentence,
            candidates: at..at + 1,
        }
    }

    /// Resolves the pronouns of sentence `s` that no rule resolved, so each one that refers to
    /// a person mentioned earlier gets its coreference mention; the salient subject is the one
    /// before the sentence (`salient_before`).
    fn resolve_remaining_pronouns(
        &mut self,
        s: usize,
        sentence: Range<usize>,
        salient_before: Option<EntityIndex>,
    ) {
        let pronouns: Vec<Range<usize>> = self
            .found_in(&sentence)
            .filter(|f| self.is(f, |w| *w == Word::Pronoun))
            .map(|f| f.span.clone())
            .collect();
        let salient_now = std::mem::replace(&mut self.salient, salient_before);
        for span in pronouns {
            if self.new_mentions.iter().any(|m| m.byte_start == span.start) {
                continue;
            }
            let subject_position = crate::text::words(&self.doc.text[sentence.start..span.start])
                .next()
                .is_none();
            if let Some(entity) = self.antecedent(span.start, &[], subject_position) {
                let mention = self.coref_mention(span, entity, s);
                self.new_mentions.push(mention);
            }
        }
        self.salient = salient_now;
    }
}

mod clauses;
mod titles;
