//! Modality: whether a trigger says its event happened, is planned, or is possible.

use std::ops::Range;

use crate::doc::Modality;
use crate::gazetteer::{Inflection, Word};
use crate::text::words;

use super::triggers::Trigger;
use super::Context;

impl Context<'_> {
    /// The modality of one rule form of a trigger: its inflection, and for nominal triggers
    /// and subjunctives, the cues around it.
    pub(super) fn modality(&self, trigger: &Trigger) -> Modality {
        let Trigger {
            rule,
            occurrence: o,
            window,
            sentence,
            form,
            ..
        } = *trigger;
        match form.inflection {
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
        }
    }
}
