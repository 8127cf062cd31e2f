//! Titles and offices: appositions after a name («X، دبیر کل ... و رئیس جمهور کوبا»), titles
//! before a name («رئیس جمهور کوبا X»), and titles without a name.

use std::ops::Range;

use crate::doc::{Mention, Modality};
use crate::gazetteer::{EntityIndex, EntityType, Word};
use crate::text::words;

use super::{Context, Evidence, Resolved, RuleRef};
use crate::trace::{Outcome, Reason};

/// How many words may stand between a title and the body it belongs to
/// («دبیر کل کمیته مرکزی حزب کمونیست»: two; "First Secretary of the Central Committee of
/// the Communist Party of Cuba": five).
const TITLE_REACH_WORDS: usize = 6;

/// How many words may follow a title's body before the next title of the same chain
/// ("General Secretary of the CPC Central Committee and President of China": two).
const BODY_TRAILING_WORDS: usize = 2;

impl Context<'_> {
    /// The titles the phrase `found[f]` belongs to, in file order: one phrase may name
    /// different offices in different bodies («دبیر کل» of a party, of an organization).
    fn titles_of(&self, f: usize) -> impl Iterator<Item = usize> + '_ {
        self.word(&self.phrases.hits[f]).filter_map(|w| match w {
            Word::Title(t) => Some(*t),
            _ => None,
        })
    }

    /// Whether only white space, punctuation, title connectors and at most `words_allowed`
    /// other words stand in `range`, and no person, trigger, marker or clause word.
    fn only_connectors(&self, range: Range<usize>, words_allowed: usize) -> bool {
        if range.start >= range.end {
            return true;
        }
        let breaks_chain = self.found_in(&range).any(|f| {
            self.is(f, |w| {
                matches!(
                    w,
                    Word::Trigger { .. }
                        | Word::Preposition(_)
                        | Word::Postposition(_)
                        | Word::Relative
                )
            })
        }) || self.mentions_from(&range).any(|i| {
            let m = &self.mentions()[i];
            m.byte_end <= range.end && !m.nested && self.entity_type(m) == EntityType::Person
        });
        if breaks_chain {
            return false;
        }
        let connectors: Vec<Range<usize>> = self
            .found_in(&range)
            .filter(|f| self.is(f, |w| *w == Word::TitleConnector))
            .map(|f| f.span.clone())
            .collect();
        words(&self.doc.text[range.clone()])
            .map(|w| w.start + range.start..w.end + range.start)
            .filter(|w| {
                !connectors
                    .iter()
                    .any(|c| c.start <= w.start && w.end <= c.end)
            })
            .count()
            <= words_allowed
    }

    /// The body a title at `found[f]` belongs to: the first mention of a preferred type that
    /// starts inside the title or within a few words after it, before anything that ends the
    /// title (another title, a person, a marker or trigger).
    fn title_body(&self, f: usize, sentence: &Range<usize>) -> Option<(usize, usize)> {
        let title = &self.phrases.hits[f];
        let rest = title.span.end..sentence.end;
        let ends_title = |w: &Word| {
            matches!(
                w,
                Word::Title(_)
                    | Word::Trigger { .. }
                    | Word::Preposition(_)
                    | Word::Postposition(_)
                    | Word::Relative
            )
        };
        let next_word = self
            .found_in(&rest)
            .find(|g| self.is(g, ends_title))
            .map(|g| g.span.start);
        let next_person = self
            .mentions_from(&rest)
            .find(|&i| self.entity_type(&self.mentions()[i]) == EntityType::Person)
            .map(|i| self.mentions()[i].byte_start);
        let stop = next_word
            .into_iter()
            .chain(next_person)
            .min()
            .unwrap_or(sentence.end);
        let reach = words(&self.doc.text[title.span.end..stop])
            .nth(TITLE_REACH_WORDS)
            .map_or(stop, |w| title.span.end + w.start);
        // The body is in the title's sentence: a name right after the sentence's mark
        // («... the !CPC») belongs to the next one.
        let candidates = self.mentions_from(&(title.span.start..(reach + 1).min(sentence.end)));
        // The body is found once, by the types of all the phrase's titles in order; then the
        // first title that applies to that body names the office (a title restricted to some
        // bodies comes before the general one in the rule file).
        let titles: Vec<usize> = self.titles_of(f).collect();
        let body = titles.iter().find_map(|&t| {
            self.set.specs().titles[t].types.iter().find_map(|&ty| {
                candidates
                    .clone()
                    .find(|&i| self.entity_type(&self.mentions()[i]) == ty)
            })
        })?;
        let body_type = self.entity_type(&self.mentions()[body]);
        let body_id = &self.entities.entity(self.mentions()[body].entity).id;
        titles
            .into_iter()
            .find(|&t| {
                let title = &self.set.specs().titles[t];
                title.types.contains(&body_type)
                    && (title.bodies.is_empty() || title.bodies.contains(body_id))
            })
            .map(|t| (body, t))
    }

    /// `holds_office` from the titles of sentence `s`.
    pub(super) fn titles(&mut self, s: usize, sentence: Range<usize>) {
        let hits = &self.phrases.hits;
        let lo = hits.partition_point(|f| f.span.start < sentence.start);
        let hi = hits.partition_point(|f| f.span.start < sentence.end);
        let title_indexes: Vec<usize> = (lo..hi.max(lo))
            .filter(|&f| {
                self.phrases.hits[f].span.end <= sentence.end && self.titles_of(f).next().is_some()
            })
            .collect();
        // Titles already given to a person, by position in `title_indexes`.
        let mut used = vec![false; title_indexes.len()];
        for (k, &f) in title_indexes.iter().enumerate() {
            let plural = self.titles_of(f).any(|t| self.set.specs().titles[t].plural);
            if plural {
                used[k] = true;
                self.plural_title(f, &sentence, s);
            }
        }
        // After a name: follow the chain of titles.
        let people: Vec<usize> = self
            .mentions_from(&sentence)
            .filter(|&i| {
                let m = &self.mentions()[i];
                !m.nested && self.entity_type(m) == EntityType::Person
            })
            .collect();
        for p in people {
            let mut at = self.mentions()[p].byte_end;
            // Words a title without a recognised body may leave before the next title.
            let mut slack = 0;
            for (k, &f) in title_indexes.iter().enumerate() {
                if self.phrases.hits[f].span.start < at || used[k] {
                    continue;
                }
                if !self.only_connectors(at..self.phrases.hits[f].span.start, slack) {
                    break;
                }
                used[k] = true;
                match self.title_body(f, &sentence) {
                    Some((body, t)) => {
                        self.office(p, body, f, t, s);
                        at = self.mentions()[body]
                            .byte_end
                            .max(self.phrases.hits[f].span.end);
                        slack = BODY_TRAILING_WORDS;
                    }
                    None => {
                        // «محمود احمدی‌نژاد رئیس جمهور،» names no body: the office the
                        // gazetteer gives the person under that title is the one meant.
                        if let Some((body, t)) = self.known_office(p, f) {
                            self.office_of_gazetteer(p, body, f, t, s);
                        }
                        at = self.phrases.hits[f].span.end;
                        slack = TITLE_REACH_WORDS;
                    }
                }
            }
        }
        // Before a name, or with no name at all.
        for (k, &f) in title_indexes.iter().enumerate() {
            if used[k] {
                continue;
            }
            let Some((body, t)) = self.title_body(f, &sentence) else {
                if self.trace.is_some() {
                    let first = self.titles_of(f).next();
                    if let Some(t) = first {
                        let id = self.set.specs().titles[t].id.clone();
                        let outcome = Outcome::NotFired(vec![Reason::NoBody]);
                        let span = self.phrases.hits[f].span.clone();
                        self.note(&id, s, span, outcome);
                    }
                }
                continue;
            };
            let after = self.mentions()[body]
                .byte_end
                .max(self.phrases.hits[f].span.end);
            // Only the first person after the title can be its holder: anything past it has
            // that person in between.
            let person = self
                .mentions_from(&(after..sentence.end))
                .find(|&i| {
                    let m = &self.mentions()[i];
                    !m.nested && self.entity_type(m) == EntityType::Person
                })
                .filter(|&i| self.only_connectors(after..self.mentions()[i].byte_start, 0));
            match person {
                Some(p) => self.office(p, body, f, t, s),
                None => self.title_without_name(f, t, body, s),
            }
        }
    }

    fn office(&mut self, person: usize, body: usize, f: usize, t: usize, s: usize) {
        let role = self
            .host_role(t, body)
            .unwrap_or_else(|| self.set.specs().titles[t].role.clone());
        let subject = Resolved::of_mention(&self.mentions()[person]);
        let object = Resolved::of_mention(&self.mentions()[body]);
        self.write_office(t, &role, subject, object, f, s);
    }

    /// `holds_office` of title `t` (its phrase hit `f`, in sentence `s`) from `subject` to
    /// `object`, with `role`: every office a title gives is written here.
    fn write_office(
        &mut self,
        t: usize,
        role: &str,
        subject: Resolved,
        object: Resolved,
        f: usize,
        s: usize,
    ) {
        let title = &self.set.specs().titles[t];
        let Some(office) = self.set.predicates().office() else {
            return;
        };
        let rule = RuleRef::new(&title.id, &office.name, office.symmetric);
        let evidence = Evidence {
            sentence: s,
            trigger: self.phrases.hits[f].span.clone(),
            negated: false,
            modality: Modality::Asserted,
        };
        self.push_relation(&rule, subject, object, Some(role), &evidence);
    }

    /// «سرگئی لاوروف و جان کری وزیران خارجه روسیه و آمریکا»: the people joined right before
    /// a plural title and the bodies joined right after it, paired in order when they are as
    /// many (two or more); otherwise nothing, as the pairing is unknown.
    fn plural_title(&mut self, f: usize, sentence: &Range<usize>, s: usize) {
        let title = self.phrases.hits[f].span.clone();
        let is_person = |c: &Context, i: usize| {
            let m = &c.mentions()[i];
            !m.nested && c.entity_type(m) == EntityType::Person
        };
        let mut people: Vec<usize> = Vec::new();
        let mut end = title.start;
        for i in self.mentions_from(&(sentence.start..title.start)).rev() {
            if !is_person(self, i) || self.mentions()[i].byte_end > end {
                continue;
            }
            if !self.only_connectors(self.mentions()[i].byte_end..end, 0) {
                break;
            }
            people.push(i);
            end = self.mentions()[i].byte_start;
        }
        people.reverse();
        let types: Vec<EntityType> = self
            .titles_of(f)
            .flat_map(|t| self.set.specs().titles[t].types.clone())
            .collect();
        let mut bodies: Vec<usize> = Vec::new();
        let mut start = title.end;
        for i in self.mentions_from(&(title.end..sentence.end)) {
            let m = &self.mentions()[i];
            if m.nested || m.byte_start < start {
                continue;
            }
            if !types.contains(&self.entity_type(m))
                || !self.only_connectors(start..m.byte_start, 0)
            {
                break;
            }
            start = m.byte_end;
            bodies.push(i);
        }
        if people.len() < 2 || people.len() != bodies.len() {
            return;
        }
        for (p, body) in people.into_iter().zip(bodies) {
            let b = &self.mentions()[body];
            let body_type = self.entity_type(b);
            let body_id = &self.entities.entity(b.entity).id;
            let t = self.titles_of(f).find(|&t| {
                let title = &self.set.specs().titles[t];
                title.types.contains(&body_type)
                    && (title.bodies.is_empty() || title.bodies.contains(body_id))
            });
            if let Some(t) = t {
                self.office(p, body, f, t, s);
            }
        }
    }

    /// The role of title `t` with the host country its body is followed by: «سفیر سوریه در
    /// واشنگتن» is the Ambassador to the United States (a city stands for its country).
    fn host_role(&self, t: usize, body: usize) -> Option<String> {
        let title = &self.set.specs().titles[t];
        let template = title.host_role.as_ref()?;
        let b = &self.mentions()[body];
        let rest = b.byte_end..self.doc.text.len();
        let next = self
            .mentions_from(&rest)
            .find(|&i| !self.mentions()[i].nested && self.mentions()[i].byte_start >= b.byte_end)?;
        let m = &self.mentions()[next];
        let between = crate::text::skeleton(self.doc.text[b.byte_end..m.byte_start].trim());
        if !title
            .host_markers
            .iter()
            .any(|w| crate::text::skeleton(w) == between)
        {
            return None;
        }
        let entity = self.entities.entity(m.entity);
        let host = match entity.entity_type {
            EntityType::Country => m.entity,
            EntityType::City => entity
                .country
                .as_deref()
                .and_then(|code| self.gazetteer.country(code))
                .or_else(|| {
                    entity
                        .part_of
                        .iter()
                        .filter_map(|id| self.gazetteer.index_of(id))
                        .find(|&i| self.gazetteer.entity(i).entity_type == EntityType::Country)
                })?,
            _ => return None,
        };
        if host == b.entity {
            return None;
        }
        let name = &self.gazetteer.entity(host).name_en;
        let definite = self.set.specs().places.definite_names.contains(name);
        let name = if definite {
            format!("the {name}")
        } else {
            name.clone()
        };
        Some(template.replace("{host}", &name))
    }

    /// For a title at `found[f]` after the person `person` with no body named: the body of
    /// the person's gazetteer office whose role is one of the phrase's titles (in file
    /// order, restricted titles first) and whose body that title may belong to.
    fn known_office(&self, person: usize, f: usize) -> Option<(EntityIndex, usize)> {
        let holder = self.entities.entity(self.mentions()[person].entity);
        self.titles_of(f).find_map(|t| {
            let title = &self.set.specs().titles[t];
            holder.offices.iter().find_map(|office| {
                if office.role != title.role
                    || !(title.bodies.is_empty() || title.bodies.contains(&office.of))
                {
                    return None;
                }
                let body = self.gazetteer.index_of(&office.of)?;
                let body_type = self.gazetteer.entity(body).entity_type;
                title.types.contains(&body_type).then_some((body, t))
            })
        })
    }

    /// `holds_office` for a title whose body comes from the gazetteer, not the text: the
    /// evidence is the name and the title.
    fn office_of_gazetteer(
        &mut self,
        person: usize,
        body: EntityIndex,
        f: usize,
        t: usize,
        s: usize,
    ) {
        let role = self.set.specs().titles[t].role.clone();
        let subject = Resolved::of_mention(&self.mentions()[person]);
        let trigger = &self.phrases.hits[f].span;
        let object = Resolved {
            entity: body,
            span: (trigger.start, trigger.end),
            coref: false,
        };
        self.write_office(t, &role, subject, object, f, s);
    }

    /// «رئیس جمهور کوبا» with no name: the resolver decides who holds it.
    fn title_without_name(&mut self, f: usize, t: usize, body: usize, s: usize) {
        let title = &self.set.specs().titles[t];
        let start = self.phrases.hits[f].span.start;
        let end = self.mentions()[body]
            .byte_end
            .max(self.phrases.hits[f].span.end);
        // Taken before the resolver inserts the holder's mention, which shifts the indexes.
        let body_mention = self.mentions()[body].clone();
        let holder = self.resolver.title_holder(start..end, &title.role, body, s);
        // The holder's office is written once per document: a title repeated ten times is
        // one fact, not ten pieces of evidence of it.
        if let Some(h) = holder {
            if self.offices_of_titles.insert((h, body_mention.entity, t)) {
                self.holder_office(h, start..end, &body_mention, f, t, s);
            }
        }
        if self.trace.is_some() {
            let outcome = Outcome::TitleWithoutName {
                holder: holder.map(|h| h.0),
            };
            self.note(&title.id, s, start..end, outcome);
        }
    }

    /// `holds_office` for the holder a title without a name was resolved to; the subject is
    /// the title's `via: coref` mention.
    fn holder_office(
        &mut self,
        holder: EntityIndex,
        span: Range<usize>,
        b: &Mention,
        f: usize,
        t: usize,
        s: usize,
    ) {
        let role = self.set.specs().titles[t].role.clone();
        let subject = Resolved {
            entity: holder,
            span: (span.start, span.end),
            coref: false,
        };
        self.write_office(t, &role, subject, Resolved::of_mention(b), f, s);
    }
}
