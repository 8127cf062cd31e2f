//! Relation rules, trigger by trigger: a trigger occurrence, its clause window, one rule form
//! of it, and the arguments found for that rule.

use std::ops::Range;

use crate::gazetteer::{Argument, EntityIndex, Rule, Side, Window, Word};

use super::clauses::{ClauseWindow, Occurrence, TriggerForm};
use super::{Context, Evidence, Filler, Resolved, RuleRef};
use crate::trace::{Outcome, Reason, Slot};

/// One rule form of one trigger occurrence, where it stands.
#[derive(Clone, Copy)]
pub(super) struct Trigger<'a> {
    pub(super) rule: &'a Rule,
    pub(super) occurrence: &'a Occurrence,
    pub(super) window: &'a ClauseWindow,
    pub(super) sentence: &'a Range<usize>,
    /// The sentence's index.
    pub(super) index: usize,
    pub(super) form: TriggerForm,
}

impl Context<'_> {
    /// Relations of sentence `s`.
    pub(super) fn rules(&mut self, s: usize, sentence: Range<usize>) {
        let occurrences = self.occurrences(&sentence);
        let windows = self.windows(&sentence, &occurrences);
        let mut previous_subject: Option<Vec<Resolved>> = None;
        // Borrowed through the shared rule set, not from `self`: no copy per trigger.
        let set = self.set;
        for (o, window) in occurrences.iter().zip(&windows) {
            let mut fired_subject = None;
            for &form in &o.forms {
                let trigger = Trigger {
                    rule: &set.specs().rules[form.rule],
                    occurrence: o,
                    window,
                    sentence: &sentence,
                    index: s,
                    form,
                };
                let subjects = self.apply_rule(&trigger, previous_subject.as_deref());
                if !subjects.is_empty() {
                    fired_subject = Some(subjects);
                }
            }
            if o.verbal {
                if let Some(subject) = fired_subject {
                    previous_subject = Some(subject);
                }
            }
        }
    }

    /// Applies one rule form of a trigger; returns the subjects it fired with (none when it
    /// did not fire).
    fn apply_rule(
        &mut self,
        trigger: &Trigger,
        previous_subject: Option<&[Resolved]>,
    ) -> Vec<Resolved> {
        let Trigger {
            rule,
            occurrence: o,
            window,
            sentence,
            index: s,
            form,
        } = *trigger;
        let raw_before: Vec<Range<usize>> = match rule.window {
            Window::Clause => window.before.clone(),
            Window::Sentence => std::iter::once(sentence.start..o.span.start).collect(),
        };
        let raw_after = match rule.window {
            Window::Clause => window.after.clone(),
            Window::Sentence => o.span.end..sentence.end,
        };
        if !rule.requires.is_empty() {
            let from = raw_before.first().map_or(o.span.start, |r| r.start);
            let present = self
                .found_in(&(from..o.span.end))
                .any(|f| self.is(f, |w| *w == Word::Required(form.rule)));
            if !present {
                if self.trace.is_some() {
                    let outcome = Outcome::NotFired(vec![Reason::RequiredMissing]);
                    self.note(&rule.id, s, o.span.clone(), outcome);
                }
                return Vec::new();
            }
        }
        let rule_markers = &rule.markers;
        // No argument comes from the topic of talks («... در خصوص Z مذاکره کرد»).
        let before = self.without_topics(&raw_before, rule_markers);
        let after = self.without_topics(std::slice::from_ref(&raw_after), rule_markers);
        let side_ranges = |side: Side| match side {
            Side::Before => before.clone(),
            Side::After => after.clone(),
        };
        // Subject.
        let subject_ranges = side_ranges(rule.subject.side);
        let subject_fillers = if rule.subject.markers.is_empty() {
            self.unmarked(&rule.subject, &subject_ranges, rule_markers, &o.span)
        } else {
            self.marked(&rule.subject, &subject_ranges, rule_markers, 0, None)
        };
        let subject_end = subject_fillers
            .first()
            .map_or(0, |f| f.span(self.mentions()).end);
        // Object.
        let object_ranges = side_ranges(rule.object.side);
        let same_type_object;
        let object_arg = match (rule.same_type, subject_fillers.first()) {
            (true, Some(&Filler::Mention(i))) => {
                same_type_object = Argument {
                    types: vec![self.entity_type(&self.mentions()[i])],
                    ..rule.object.clone()
                };
                &same_type_object
            }
            _ => &rule.object,
        };
        let adjacent = rule.object.adjacent.then_some(o.span.end);
        let object_fillers = if rule.object.markers.is_empty() {
            let fillers = self.unmarked(object_arg, &object_ranges, rule_markers, &o.span);
            fillers
                .into_iter()
                .filter(|f| !subject_fillers.contains(f))
                .collect()
        } else {
            self.marked(
                object_arg,
                &object_ranges,
                rule_markers,
                subject_end,
                adjacent,
            )
        };

        let modality = self.modality(trigger);

        // Resolve objects first so a pronoun subject can avoid them, then subjects.
        let mut objects: Vec<Resolved> = Vec::new();
        for f in &object_fillers {
            objects.extend(self.resolve(*f, &rule.object, &[], false));
        }
        let object_entities: Vec<EntityIndex> = objects.iter().map(|r| r.entity).collect();
        let mut subjects: Vec<Resolved> = Vec::new();
        for f in &subject_fillers {
            subjects.extend(self.resolve(*f, &rule.subject, &object_entities, true));
        }
        // A subject that must stand near its trigger (`reach`) is never taken from elsewhere.
        if subjects.is_empty() && rule.subject.reach.is_none() {
            if let Some(antecedent) = &window.antecedent {
                let fillers = self.fillers(antecedent);
                let chosen = self.choose(&rule.subject, &fillers, true);
                // One antecedent, or all of them for a subject that takes every filler.
                let take = if rule.subject.every { chosen.len() } else { 1 };
                for f in chosen.iter().take(take) {
                    subjects.extend(self.resolve(*f, &rule.subject, &object_entities, true));
                }
            } else if window.conjoined {
                if let Some(previous) = previous_subject {
                    subjects = previous.to_vec();
                }
            }
        }
        // A pronoun object must not be the subject («دعوت X از وی»: وی is not X).
        if object_fillers
            .iter()
            .any(|f| matches!(f, Filler::Pronoun(..)))
        {
            let subject_entities: Vec<EntityIndex> = subjects.iter().map(|r| r.entity).collect();
            objects.clear();
            for f in &object_fillers {
                objects.extend(self.resolve(*f, &rule.object, &subject_entities, false));
            }
        }

        let mut rule_ref = RuleRef::new(&rule.id, &rule.predicate, rule.symmetric);
        rule_ref.channel = rule.channel.as_deref().map(std::sync::Arc::from);
        let evidence = Evidence {
            sentence: s,
            trigger: o.span.clone(),
            negated: form.negated,
            modality,
        };
        let own_subjects = !rule.nominal || rule.subject.side == Side::After;
        if objects.is_empty() && rule.symmetric && own_subjects && subjects.len() >= 2 {
            // «X و Y ... امضا کردند», «دو طرف ... منتشر کردند»: every pair of subjects. (A
            // nominal trigger has no subject of its own to pair, but for its genitive list:
            // «دیدار X و Y».)
            for i in 0..subjects.len() {
                for j in i + 1..subjects.len() {
                    self.push_relation(&rule_ref, subjects[i], subjects[j], None, &evidence);
                }
            }
            return subjects;
        }
        if subjects.is_empty() || objects.is_empty() {
            if self.trace.is_some() {
                let raw = |side: Side| match side {
                    Side::Before => raw_before.clone(),
                    Side::After => vec![raw_after.clone()],
                };
                let mut reasons = Vec::new();
                if subjects.is_empty() {
                    let (r, c) = (raw(rule.subject.side), side_ranges(rule.subject.side));
                    let why = self.why_missing(Slot::Subject, &rule.subject, &r, &c, &o.span);
                    reasons.push(why);
                }
                if objects.is_empty() {
                    let (r, c) = (raw(rule.object.side), side_ranges(rule.object.side));
                    reasons.push(self.why_missing(Slot::Object, object_arg, &r, &c, &o.span));
                }
                self.note(&rule.id, s, o.span.clone(), Outcome::NotFired(reasons));
            }
            return Vec::new();
        }
        for &subject in &subjects {
            for &object in &objects {
                self.push_relation(&rule_ref, subject, object, None, &evidence);
            }
        }
        subjects
    }
}
