//! Clause windows: where a trigger looks for its arguments. Verbal triggers close clauses;
//! «که» opens a relative clause, whose antecedent stands before it; a colon opens reported
//! speech; a clause that opens with «و» may share the previous clause's subject.

use std::ops::Range;

use crate::gazetteer::{Inflection, Word};

use super::Context;

/// Where a trigger looks for its arguments.
#[derive(Clone, Debug, Default)]
pub(super) struct ClauseWindow {
    /// Ranges before the trigger (several when a relative clause is cut out).
    pub(super) before: Vec<Range<usize>>,
    /// The range after the trigger, up to the next verbal trigger.
    pub(super) after: Range<usize>,
    /// The part before «که» when the trigger stands in a relative clause.
    pub(super) antecedent: Option<Range<usize>>,
    /// The clause opens with «و».
    pub(super) conjoined: bool,
}

/// One trigger occurrence: its span, and every rule form it is.
pub(super) struct Occurrence {
    pub(super) span: Range<usize>,
    /// A verbal trigger closes its clause.
    pub(super) verbal: bool,
    pub(super) forms: Vec<TriggerForm>,
}

/// One rule form of a trigger occurrence.
#[derive(Clone, Copy, Debug)]
pub(super) struct TriggerForm {
    /// The index of the rule.
    pub(super) rule: usize,
    pub(super) negated: bool,
    pub(super) inflection: Inflection,
}

impl Context<'_> {
    /// The trigger occurrences of a sentence, in text order.
    pub(super) fn occurrences(&self, sentence: &Range<usize>) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for f in self.found_in(sentence) {
            let forms: Vec<TriggerForm> = self
                .word(f)
                .filter_map(|w| match w {
                    Word::Trigger {
                        rule,
                        negated,
                        inflection,
                    } => Some(TriggerForm {
                        rule: *rule,
                        negated: *negated,
                        inflection: *inflection,
                    }),
                    _ => None,
                })
                .collect();
            if forms.is_empty() {
                continue;
            }
            let verbal = forms
                .iter()
                .any(|form| !self.set.specs().rules[form.rule].nominal);
            out.push(Occurrence {
                span: f.span.clone(),
                verbal,
                forms,
            });
        }
        out
    }

    pub(super) fn first_word_in(
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
    pub(super) fn windows(
        &self,
        sentence: &Range<usize>,
        occurrences: &[Occurrence],
    ) -> Vec<ClauseWindow> {
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
}
