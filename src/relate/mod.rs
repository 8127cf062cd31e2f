//! The relate stage: relation rules (`gazetteers/rules/*.toml`) turn the resolved mentions of
//! each sentence into relations. It reads mentions and writes relations only; who a pronoun,
//! «دو طرف» or a nameless title refers to it asks the resolve stage's [`Resolver`].
//!
//! Sentence by sentence, in order:
//!
//! 1. **Titles** ([`titles`]): «X، دبیر کل ... و رئیس جمهور کوبا» and «رئیس جمهور کوبا X»
//!    give the office predicate with a role; a title with a body but no name
//!    («رئیس جمهور کوبا») is resolved to its holder.
//! 2. **Relation rules**, trigger by trigger: [`clauses`] cuts the clause windows (a verbal
//!    trigger closes its clause; «که» opens a relative clause; a colon opens reported speech),
//!    [`arguments`] finds the arguments by marker (the object after «با», before «را») and by
//!    position (the unmarked subject first), and [`modality`] dates the trigger (asserted,
//!    planned, hypothetical).
//! 3. Pronouns no rule resolved are handed to the resolver, with the discourse state from
//!    before the sentence.

mod arguments;
mod clauses;
mod modality;
mod titles;
mod triggers;
mod why;

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::Arc;

use crate::doc::{CharIndex, Document, Entities, Extraction, Mention, Modality, Relation};
use crate::gazetteer::{Argument, EntityIndex, EntityType, Gazetteer, RuleSet, Word};
use crate::resolve::Resolver;
use crate::select::{PhraseHit, PhraseHits};
use crate::trace::{Fired, Outcome, Reason, RuleNote, Trace, Withdrawal};

/// Something that can fill an argument slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filler {
    /// A mention (index into the resolver's mentions).
    Mention(usize),
    /// A pronoun at this byte span.
    Pronoun(usize, usize),
    /// «دو طرف» at this byte span.
    Pair(usize, usize),
}

impl Filler {
    fn span(self, mentions: &[Mention]) -> Range<usize> {
        match self {
            Filler::Mention(i) => mentions[i].bytes(),
            Filler::Pronoun(s, e) | Filler::Pair(s, e) => s..e,
        }
    }
}

/// A resolved argument: the entity and the text span that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Resolved {
    entity: EntityIndex,
    span: (usize, usize),
    /// A pronoun or pair resolved here: the resolver writes its mention.
    coref: bool,
}

impl Resolved {
    /// A mention as an argument, at its own span.
    fn of_mention(m: &Mention) -> Resolved {
        Resolved {
            entity: m.entity,
            span: (m.byte_start, m.byte_end),
            coref: false,
        }
    }
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
    /// How the event took place (`phone`), when the rule says.
    channel: Option<Arc<str>>,
}

impl RuleRef {
    fn new(id: &str, predicate: &str, symmetric: bool) -> RuleRef {
        RuleRef {
            id: Arc::from(id),
            predicate: Arc::from(predicate),
            symmetric,
            channel: None,
        }
    }
}

/// The state of the relate stage over one document.
struct Context<'a> {
    set: &'a RuleSet,
    gazetteer: &'a Gazetteer,
    entities: Entities<'a>,
    doc: &'a Document,
    chars: &'a CharIndex,
    phrases: &'a PhraseHits,
    resolver: Resolver<'a>,
    relations: Vec<Relation>,
    /// (holder, body, title) of the offices written for titles without a name.
    offices_of_titles: std::collections::HashSet<(EntityIndex, EntityIndex, usize)>,
    /// Where `explain` wants each rule's outcome; `None` otherwise.
    trace: Option<&'a mut Trace>,
}

/// Adds the relations of `doc` to `extraction`, whose mentions the resolve stage wrote;
/// the resolver adds the references it resolves on the way.
pub(crate) fn relate(
    set: &RuleSet,
    gazetteer: &Gazetteer,
    doc: &Document,
    chars: &CharIndex,
    phrases: &PhraseHits,
    extraction: &mut Extraction,
    trace: Option<&mut Trace>,
) {
    let discovered = std::mem::take(&mut extraction.discovered);
    let entities = Entities::new(gazetteer, &discovered);
    let resolver = Resolver::new(entities, doc, chars, extraction);
    let mut cx = Context {
        set,
        gazetteer,
        entities,
        doc,
        chars,
        phrases,
        resolver,
        relations: Vec::new(),
        offices_of_titles: std::collections::HashSet::new(),
        trace,
    };
    for (s, sentence) in extraction.sentences.iter().enumerate() {
        let before = cx.resolver.discourse();
        cx.titles(s, sentence.clone());
        cx.rules(s, sentence.clone());
        let words = &set.lexicon().words;
        cx.resolver
            .remaining_pronouns(s, sentence.clone(), phrases, words, before);
    }
    cx.drop_country_meetings();
    let Context {
        resolver,
        mut relations,
        ..
    } = cx;
    resolver.finish(extraction);
    extraction.discovered = discovered;
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
    extraction.relations = relations;
}

impl Context<'_> {
    fn mentions(&self) -> &[Mention] {
        self.resolver.mentions()
    }

    /// Records what `rule` did at `trigger`, when tracing.
    fn note(&mut self, rule: &str, sentence: usize, trigger: Range<usize>, outcome: Outcome) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.rules.push(RuleNote {
                rule: Arc::from(rule),
                sentence,
                trigger,
                outcome,
            });
        }
    }

    fn word<'w>(&'w self, f: &'w PhraseHit) -> impl Iterator<Item = &'w Word> + 'w {
        let words = &self.set.lexicon().words;
        self.phrases.meanings(f).map(move |w| &words[w])
    }

    fn is(&self, f: &PhraseHit, pred: impl Fn(&Word) -> bool) -> bool {
        self.word(f).any(pred)
    }

    fn entity_type(&self, m: &Mention) -> EntityType {
        self.entities.entity(m.entity).entity_type
    }

    /// The rule phrases that lie inside `range`. Phrases are sorted by start, so this costs a
    /// binary search and the phrases of the range, never the whole document: rules run
    /// sentence by sentence, and a long document must not make each sentence slower.
    fn found_in(&self, range: &Range<usize>) -> impl Iterator<Item = &PhraseHit> + '_ {
        let hits = &self.phrases.hits;
        let lo = hits.partition_point(|f| f.span.start < range.start);
        let end = range.end;
        hits[lo..]
            .iter()
            .inspect(|_| crate::ops::tick(1))
            .take_while(move |f| f.span.start < end)
            .filter(move |f| f.span.end <= end)
    }

    /// `ranges` without the topics of talks: from each topic opener («در خصوص», «درباره»,
    /// «برای») to the next marker of `markers` (normalized), or to the end of its range.
    fn without_topics(&self, ranges: &[Range<usize>], markers: &[String]) -> Vec<Range<usize>> {
        let mut out = Vec::with_capacity(ranges.len());
        for r in ranges {
            let mut start = r.start;
            let mut hits = self.found_in(r).peekable();
            while let Some(f) = hits.next() {
                if f.span.start < start || !self.is(f, |w| *w == Word::TopicOpener) {
                    continue;
                }
                if start < f.span.start {
                    out.push(start..f.span.start);
                }
                // The topic runs to the next marker of the rule.
                let mut end = r.end;
                for g in hits.by_ref() {
                    let marker = self.word(g).any(|w| match w {
                        Word::Preposition(t) | Word::Postposition(t) => markers.contains(t),
                        _ => false,
                    });
                    if marker {
                        end = g.span.start;
                        break;
                    }
                }
                start = end;
            }
            if start < r.end {
                out.push(start..r.end);
            }
        }
        out
    }

    /// The indexes of the mentions that start inside `range` (mentions are sorted by start).
    fn mentions_from(&self, range: &Range<usize>) -> Range<usize> {
        let mentions = self.mentions();
        let lo = mentions.partition_point(|m| m.byte_start < range.start);
        let hi = mentions.partition_point(|m| m.byte_start < range.end);
        lo..hi.max(lo)
    }

    /// Fillers (mentions, pronouns, pairs) whose span lies inside `range`, in text order.
    fn fillers(&self, range: &Range<usize>) -> Vec<Filler> {
        let mentions = self.mentions();
        let mut out: Vec<Filler> = self
            .mentions_from(range)
            .inspect(|_| crate::ops::tick(1))
            .filter(|&i| !mentions[i].nested && mentions[i].byte_end <= range.end)
            .map(Filler::Mention)
            .collect();
        for f in self.found_in(range) {
            if self.is(f, |w| *w == Word::Pronoun) {
                out.push(Filler::Pronoun(f.span.start, f.span.end));
            } else if self.is(f, |w| *w == Word::Pair) {
                out.push(Filler::Pair(f.span.start, f.span.end));
            }
        }
        out.sort_by_key(|f| f.span(mentions).start);
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
            Filler::Mention(i) => self.entity_type(&self.mentions()[i]) == ty,
            Filler::Pronoun(..) => ty == EntityType::Person,
            // A pair fills any slot: its people, or their countries.
            Filler::Pair(..) => true,
        }
    }

    /// The preferred filler of `arg` among `fillers` (first or last in text order), with every
    /// filler of the same type when the argument takes a list.
    fn choose(&self, arg: &Argument, fillers: &[Filler], last: bool) -> Vec<Filler> {
        if arg.every {
            // Every fitting filler of the first type that has one.
            for &ty in &arg.types {
                let all: Vec<Filler> = fillers
                    .iter()
                    .copied()
                    .filter(|&f| self.fits(f, ty))
                    .collect();
                if !all.is_empty() {
                    return all;
                }
            }
            return Vec::new();
        }
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
            let mentions = self.mentions();
            let joined = |a: Filler, b: Filler| {
                self.coordinated(a.span(mentions).end..b.span(mentions).start)
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
            Filler::Mention(i) => vec![Resolved::of_mention(&self.mentions()[i])],
            Filler::Pronoun(s, e) => self
                .resolver
                .antecedent(s, exclude, subject_position)
                .map(|entity| Resolved {
                    entity,
                    span: (s, e),
                    coref: true,
                })
                .into_iter()
                .collect(),
            Filler::Pair(s, e) => {
                let Some((a, b)) = self.resolver.pair() else {
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
        let predicates = self.set.predicates();
        let from_text = self.relations.iter().find(|r| {
            r.subject == person
                && predicates.is_office(&r.predicate)
                && self.entities.entity(r.object).entity_type == EntityType::Country
        });
        if let Some(r) = from_text {
            return Some(r.object);
        }
        let code = self.entities.entity(person).country.as_deref()?;
        self.gazetteer.country(code)
    }

    /// Countries meet only when no person is named for them: a meeting of two countries
    /// («دیدار نخست‌وزیران هند و پاکستان», «سران چهار کشور ... با یکدیگر دیدار») is left out
    /// when the document has a meeting of two people of those countries.
    fn drop_country_meetings(&mut self) {
        let predicates = self.set.predicates();
        let is_country =
            |e: EntityIndex| self.entities.entity(e).entity_type == EntityType::Country;
        let person_arg = Argument {
            types: vec![EntityType::Country],
            markers: Vec::new(),
            side: crate::gazetteer::Side::Before,
            list: false,
            reach: None,
            adjacent: false,
            every: false,
        };
        let mut pairs: Vec<(EntityIndex, EntityIndex)> = Vec::new();
        for r in &self.relations {
            let person = |e: EntityIndex| self.entities.entity(e).entity_type == EntityType::Person;
            if predicates.is_meeting(&r.predicate) && person(r.subject) && person(r.object) {
                if let (Some(a), Some(b)) = (
                    self.coerce(r.subject, &person_arg),
                    self.coerce(r.object, &person_arg),
                ) {
                    pairs.push((a, b));
                }
            }
        }
        if pairs.is_empty() {
            return;
        }
        let mut trace = self.trace.take();
        self.relations.retain(|r| {
            let drop = predicates.is_meeting(&r.predicate)
                && is_country(r.subject)
                && is_country(r.object)
                && pairs.iter().any(|&(a, b)| {
                    (a, b) == (r.subject, r.object) || (b, a) == (r.subject, r.object)
                });
            if let (true, Some(t)) = (drop, trace.as_deref_mut()) {
                why::withdraw(t, r, Withdrawal::PeopleMetForCountries);
            }
            !drop
        });
        self.trace = trace;
    }

    /// Records a relation, has the resolver write the mentions of the pronouns and pairs in
    /// it, and tells the resolver what later references may refer to.
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
            if self.trace.is_some() {
                let reason = Outcome::NotFired(vec![Reason::SameEntity]);
                self.note(&rule.id, sentence, trigger.clone(), reason);
            }
            return;
        }
        let start = subject.span.0.min(object.span.0).min(trigger.start);
        let end = subject.span.1.max(object.span.1).max(trigger.end);
        for r in [subject, object] {
            if r.coref {
                self.resolver.refer(r.span.0..r.span.1, r.entity, sentence);
            }
        }
        if !negated && modality == Modality::Asserted {
            let predicates = self.set.predicates();
            self.resolver.observe(
                subject.entity,
                object.entity,
                predicates.is_office(&rule.predicate),
                predicates.is_meeting(&rule.predicate),
            );
        }
        if self.trace.is_some() {
            let fired = Fired {
                subject: subject.entity.0,
                subject_span: subject.span.0..subject.span.1,
                predicate: rule.predicate.clone(),
                object: object.entity.0,
                object_span: object.span.0..object.span.1,
                role: role.map(str::to_string),
                negated,
                modality,
            };
            self.note(&rule.id, sentence, trigger.clone(), Outcome::Fired(fired));
        }
        let chars = self.chars.span(&self.doc.text, &(start..end));
        self.relations.push(Relation {
            subject: subject.entity,
            predicate: rule.predicate.clone(),
            object: object.entity,
            role: role.map(str::to_string),
            symmetric: rule.symmetric,
            sentence,
            start: chars.start,
            end: chars.end,
            byte_start: start,
            byte_end: end,
            rule: rule.id.clone(),
            negated,
            modality,
            channel: rule.channel.clone(),
        });
    }
}
