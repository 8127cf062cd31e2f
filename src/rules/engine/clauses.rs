//! Relation rules within a sentence: clause windows, marked and unmarked arguments, shared
//! subjects and relative clauses.

use std::ops::Range;

use crate::gazetteer::EntityIndex;
use crate::text::words;

use super::super::format::{Argument, Inflection, Rule, Side, Window};
use super::super::lexicon::Word;
use super::super::Modality;
use super::{Context, Evidence, Filler, Resolved, RuleRef};

/// Where a trigger looks for its arguments.
#[derive(Clone, Debug, Default)]
struct ClauseWindow {
    /// Ranges before the trigger (several when a relative clause is cut out).
    before: Vec<Range<usize>>,
    /// The range after the trigger, up to the next verbal trigger.
    after: Range<usize>,
    /// The part before «که» when the trigger stands in a relative clause.
    antecedent: Option<Range<usize>>,
    /// The clause opens with «و».
    conjoined: bool,
}

/// One trigger occurrence: its span, and its rules with their forms.
struct Occurrence {
    span: Range<usize>,
    verbal: bool,
    forms: Vec<(usize, bool, Inflection)>,
}

impl Context<'_> {
    fn occurrences(&self, sentence: &Range<usize>) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for f in self.found_in(sentence) {
            let forms: Vec<(usize, bool, Inflection)> = self
                .word(f)
                .filter_map(|w| match w {
                    Word::Trigger {
                        rule,
                        negated,
                        inflection,
                    } => Some((*rule, *negated, *inflection)),
                    _ => None,
                })
                .collect();
            if forms.is_empty() {
                continue;
            }
            let verbal = forms
                .iter()
                .any(|&(r, _, _)| !self.set.specs.rules[r].nominal);
            out.push(Occurrence {
                span: f.span.clone(),
                verbal,
                forms,
            });
        }
        out
    }

    fn first_word_in(
        &self,
        range: &Range<usize>,
        pred: impl Fn(&Word) -> bool,
    ) -> Option<Range<usize>> {
        self.found_in(range)
            .find(|f| self.is(f, &pred))
            .map(|f| f.span.clone())
    }

    /// The clause windows of every trigger of a sentence, in order. Verbal triggers close
    /// clauses; a clause holding «که» is a relative clause, and the words before «که» belong to
    /// the clause that follows it.
    fn windows(&self, sentence: &Range<usize>, occurrences: &[Occurrence]) -> Vec<ClauseWindow> {
        let verbal_ends: Vec<Range<usize>> = occurrences
            .iter()
            .filter(|o| o.verbal)
            .map(|o| o.span.clone())
            .collect();
        let mut windows = Vec::with_capacity(occurrences.len());
        let mut carried: Vec<Range<usize>> = Vec::new();
        let mut clause_start = sentence.start;
        for o in occurrences {
            // Reported speech: the clause starts after the last colon before the trigger.
            let opener = self
                .found_in(&(clause_start..o.span.start))
                .filter(|f| self.is(f, |w| *w == Word::Opener))
                .map(|f| f.span.end)
                .max();
            if let Some(opener) = opener {
                clause_start = opener;
                carried.clear();
            }
            let own = clause_start..o.span.start.max(clause_start);
            let next_verbal = verbal_ends
                .iter()
                .map(|r| r.start)
                .find(|&s| s >= o.span.end)
                .unwrap_or(sentence.end);
            let relative = self.first_word_in(&own, |w| *w == Word::Relative);
            // «... پایبند است و از ... پشتیبانی می‌کند», "adheres to X and supports Y": a clause
            // joined by a conjunction may share the previous clause's subject.
            let conjoined = self
                .first_word_in(&own, |w| *w == Word::Conjunction)
                .is_some();
            let mut window = ClauseWindow {
                after: o.span.end..next_verbal,
                conjoined,
                ..ClauseWindow::default()
            };
            match relative {
                Some(k) => {
                    let mut antecedent = carried.clone();
                    antecedent.push(own.start..k.start);
                    window.before = std::iter::once(k.end..own.end).collect();
                    window.antecedent =
                        Some(antecedent.first().map_or(own.start, |r| r.start)..k.start);
                    if o.verbal {
                        carried = antecedent;
                    }
                }
                None => {
                    window.before = carried.clone();
                    window.before.push(own.clone());
                    if o.verbal {
                        carried.clear();
                    }
                }
            }
            if o.verbal {
                clause_start = o.span.end;
            }
            windows.push(window);
        }
        windows
    }

    /// Marker occurrences inside `ranges`, in text order: span, whether a postposition, and
    /// the normalized marker. Only those of `markers` (normalized), or every marker for `None`.
    fn markers_in(
        &self,
        ranges: &[Range<usize>],
        markers: Option<&[String]>,
    ) -> Vec<(Range<usize>, bool, &str)> {
        let wanted = |t: &String| markers.is_none_or(|m| m.contains(t));
        let mut out: Vec<(Range<usize>, bool, &str)> = ranges
            .iter()
            .flat_map(|r| self.found_in(r))
            .filter_map(|f| {
                self.word(f).find_map(|w| match w {
                    Word::Preposition(t) if wanted(t) => Some((f.span.clone(), false, t.as_str())),
                    Word::Postposition(t) if wanted(t) => Some((f.span.clone(), true, t.as_str())),
                    _ => None,
                })
            })
            .collect();
        out.sort_by_key(|(r, _, _)| r.start);
        out
    }

    fn fillers_in(&self, ranges: &[Range<usize>]) -> Vec<Filler> {
        ranges.iter().flat_map(|r| self.fillers(r)).collect()
    }

    /// The fillers of a marked argument: the first marked segment holding one (prepositions:
    /// after the marker up to the next marker of the rule; postpositions: before the marker,
    /// after the subject). With `adjacent_to`, only a marker standing right there counts
    /// («همکاری با چین», «دعوت شی جین پینگ از وی»: right after the trigger or its genitive
    /// subject), and its segment ends at the next marker of any kind.
    fn marked(
        &self,
        arg: &Argument,
        ranges: &[Range<usize>],
        rule_markers: &[String],
        subject_end: usize,
        adjacent_to: Option<usize>,
    ) -> Vec<Filler> {
        let own = |marker: &str| arg.markers.iter().any(|m| m == marker);
        let all = match adjacent_to {
            Some(_) => self.markers_in(ranges, None),
            None => self.markers_in(ranges, Some(rule_markers)),
        };
        let bound = ranges.iter().map(|r| r.end).max().unwrap_or(0);
        for (i, (marker, post, text)) in all.iter().enumerate() {
            if let Some(at) = adjacent_to {
                let at = at.max(subject_end);
                let words_between =
                    words(self.doc.text.get(at..marker.start).unwrap_or("")).count();
                if marker.start < at || words_between > 0 || !own(text) {
                    if marker.start >= at {
                        return Vec::new();
                    }
                    continue;
                }
            } else if !own(text) {
                continue;
            }
            let segment = if *post {
                let previous = all[..i].iter().map(|(m, _, _)| m.end).max().unwrap_or(0);
                std::iter::once(previous.max(subject_end)..marker.start).collect()
            } else {
                let next = all.get(i + 1).map_or(bound, |(m, _, _)| m.start);
                clip(ranges, marker.end..next)
            };
            let mut fillers = self.fillers_in(&segment);
            if adjacent_to.is_some() {
                // «همکاری با چین», not «دیدار با ابلاغ سلام ... چاوز»: the argument (or the list
                // it heads) follows the marker directly.
                let first = fillers.first().map(|f| f.span(&self.mentions).start);
                let direct = first.is_some_and(|start| {
                    words(self.doc.text.get(marker.end..start).unwrap_or(""))
                        .next()
                        .is_none()
                });
                if !direct {
                    fillers.clear();
                }
                // Only the filler right after the marker, and what is coordinated with it.
                let mut run = 1.min(fillers.len());
                while run < fillers.len()
                    && self.coordinated(
                        fillers[run - 1].span(&self.mentions).end
                            ..fillers[run].span(&self.mentions).start,
                    )
                {
                    run += 1;
                }
                fillers.truncate(run);
            }
            let chosen = self.choose(arg, &fillers, *post);
            if !chosen.is_empty() {
                return chosen;
            }
        }
        Vec::new()
    }

    /// The unmarked argument: the first fitting filler outside every prepositional segment;
    /// with a `reach`, the nearest one to the `trigger`, if close enough.
    fn unmarked(
        &self,
        arg: &Argument,
        ranges: &[Range<usize>],
        rule_markers: &[String],
        trigger: &Range<usize>,
    ) -> Vec<Filler> {
        let markers = self.markers_in(ranges, Some(rule_markers));
        let bound = ranges.iter().map(|r| r.end).max().unwrap_or(0);
        let mut free: Vec<Range<usize>> = ranges.to_vec();
        for (i, (marker, post, _)) in markers.iter().enumerate() {
            if *post {
                continue;
            }
            let next = markers.get(i + 1).map_or(bound, |(m, _, _)| m.start);
            free = subtract(&free, marker.start..next);
        }
        let fillers = self.fillers_in(&free);
        let Some(reach) = arg.reach else {
            return self.choose(arg, &fillers, false);
        };
        // The nearest filler to the trigger, on the argument's side.
        let before = arg.side == Side::Before;
        let chosen = self.choose(arg, &fillers, before);
        let spans = chosen.iter().map(|f| f.span(&self.mentions));
        let between = if before {
            let nearest_end = spans.map(|s| s.end).max().unwrap_or(0);
            self.doc.text.get(nearest_end..trigger.start).unwrap_or("")
        } else {
            let nearest_start = spans.map(|s| s.start).min().unwrap_or(0);
            self.doc.text.get(trigger.end..nearest_start).unwrap_or("")
        };
        if chosen.is_empty() || words(between).count() > reach {
            return Vec::new();
        }
        chosen
    }

    /// Relations of sentence `s`.
    pub(super) fn rules(&mut self, s: usize, sentence: Range<usize>) {
        let occurrences = self.occurrences(&sentence);
        let windows = self.windows(&sentence, &occurrences);
        let mut previous_subject: Option<Vec<Resolved>> = None;
        for (o, window) in occurrences.iter().zip(&windows) {
            let mut fired_subject = None;
            for &(r, negated, inflection) in &o.forms {
                // Borrowed through the shared rule set, not from `self`: no copy per trigger.
                let set = self.set;
                let subjects = self.apply_rule(
                    r,
                    &set.specs.rules[r],
                    o,
                    window,
                    &sentence,
                    s,
                    negated,
                    inflection,
                    previous_subject.as_deref(),
                );
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

    #[allow(clippy::too_many_arguments)]
    fn apply_rule(
        &mut self,
        rule_index: usize,
        rule: &Rule,
        o: &Occurrence,
        window: &ClauseWindow,
        sentence: &Range<usize>,
        s: usize,
        negated: bool,
        inflection: Inflection,
        previous_subject: Option<&[Resolved]>,
    ) -> Vec<Resolved> {
        let before: Vec<Range<usize>> = match rule.window {
            Window::Clause => window.before.clone(),
            Window::Sentence => std::iter::once(sentence.start..o.span.start).collect(),
        };
        let after = match rule.window {
            Window::Clause => window.after.clone(),
            Window::Sentence => o.span.end..sentence.end,
        };
        if !rule.requires.is_empty() {
            let from = before.first().map_or(o.span.start, |r| r.start);
            let present = self
                .found_in(&(from..o.span.end))
                .any(|f| self.is(f, |w| *w == Word::Required(rule_index)));
            if !present {
                return Vec::new();
            }
        }
        let rule_markers = &rule.markers;
        let side_ranges = |side: Side| match side {
            Side::Before => before.clone(),
            Side::After => vec![after.clone()],
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
            .map_or(0, |f| f.span(&self.mentions).end);
        // Object.
        let object_ranges = side_ranges(rule.object.side);
        let same_type_object;
        let object_arg = match (rule.same_type, subject_fillers.first()) {
            (true, Some(&Filler::Mention(i))) => {
                same_type_object = Argument {
                    types: vec![self.entity_type(&self.mentions[i])],
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

        let modality = match inflection {
            // A nominal trigger has no tense of its own: its clause's cues give it one
            // («در جریان دیدار با ... بررسی قرار خواهد داد» is a planned meeting).
            Inflection::Indicative if rule.nominal => {
                // The words right after the noun date it («سفر اخیر», «دیدار قریب‌الوقوع»,
                // «دیدار احتمالی»); otherwise a future verb of its own clause (reported speech
                // after a colon is another clause) makes it planned.
                let after = o.span.end..window.after.end.max(o.span.end);
                let own_clause = self
                    .found_in(&after)
                    .find(|f| self.is(f, |w| *w == Word::Opener))
                    .map_or(after.clone(), |f| after.start..f.span.start);
                let near = words(self.doc.text.get(after.clone()).unwrap_or(""))
                    .nth(2)
                    .map_or(after.end, |w| after.start + w.end);
                let cue_in = |range: Range<usize>, cue: Word| {
                    self.found_in(&range).any(|f| self.is(f, |w| *w == cue))
                };
                if cue_in(after.start..near, Word::PastCue) {
                    Modality::Asserted
                } else if cue_in(after.start..near, Word::HypotheticalCue) {
                    Modality::Hypothetical
                } else if cue_in(own_clause, Word::PlannedCue) {
                    Modality::Planned
                } else {
                    Modality::Asserted
                }
            }
            Inflection::Indicative => Modality::Asserted,
            Inflection::Future => Modality::Planned,
            Inflection::Subjunctive => {
                let cue = |w: &Word| matches!(w, Word::HypotheticalCue);
                let hypothetical = self
                    .found_in(&(sentence.start..o.span.start))
                    .any(|f| self.is(f, cue));
                if hypothetical {
                    Modality::Hypothetical
                } else {
                    Modality::Planned
                }
            }
        };

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
                if let Some(f) = self.choose(&rule.subject, &fillers, true).first() {
                    subjects = self.resolve(*f, &rule.subject, &object_entities, true);
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

        let trigger = o.span.clone();
        let rule_ref = RuleRef::new(&rule.id, &rule.predicate, rule.symmetric);
        let evidence = Evidence {
            sentence: s,
            trigger,
            negated,
            modality,
        };
        if objects.is_empty() && rule.symmetric && !rule.nominal && subjects.len() >= 2 {
            // «X و Y ... امضا کردند», «دو طرف ... منتشر کردند»: every pair of subjects. (A
            // nominal trigger has no subject of its own to pair.)
            for i in 0..subjects.len() {
                for j in i + 1..subjects.len() {
                    self.push_relation(&rule_ref, subjects[i], subjects[j], None, &evidence);
                }
            }
            return subjects;
        }
        if subjects.is_empty() || objects.is_empty() {
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

/// `range` intersected with the union of `ranges`.
fn clip(ranges: &[Range<usize>], range: Range<usize>) -> Vec<Range<usize>> {
    ranges
        .iter()
        .map(|r| r.start.max(range.start)..r.end.min(range.end))
        .filter(|r| r.start < r.end)
        .collect()
}

/// The union of `ranges` minus `cut`.
fn subtract(ranges: &[Range<usize>], cut: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for r in ranges {
        if cut.end <= r.start || cut.start >= r.end {
            out.push(r.clone());
            continue;
        }
        if r.start < cut.start {
            out.push(r.start..cut.start);
        }
        if cut.end < r.end {
            out.push(cut.end..r.end);
        }
    }
    out
}
