//! Why a rule whose trigger matched wrote no relation: asked only by `explain` (with a trace),
//! after the rule gave up, so the normal path never runs any of it.

use std::ops::Range;

use crate::doc::Relation;
use crate::gazetteer::{Argument, Side};
use crate::text::words;
use crate::trace::{Outcome, Reason, Slot, Trace, Withdrawal};

use super::{Context, Filler};

impl Context<'_> {
    /// Why `arg` found nothing: `raw` are its ranges with the topics of talks, `cut` without.
    pub(super) fn why_missing(
        &self,
        slot: Slot,
        arg: &Argument,
        raw: &[Range<usize>],
        cut: &[Range<usize>],
        trigger: &Range<usize>,
    ) -> Reason {
        let mentions = self.mentions();
        let fits = |f: Filler| arg.types.iter().any(|&ty| self.fits(f, ty));
        let in_cut: Vec<Filler> = cut.iter().flat_map(|r| self.fillers(r)).collect();
        // The fitting filler nearest the trigger.
        let nearest = match arg.side {
            Side::Before => in_cut.iter().rev().copied().find(|&f| fits(f)),
            Side::After => in_cut.iter().copied().find(|&f| fits(f)),
        };
        if let Some(f) = nearest {
            let span = f.span(mentions);
            if matches!(f, Filler::Pronoun(..) | Filler::Pair(..)) {
                return Reason::Unresolved { slot, span };
            }
            if !arg.markers.is_empty() {
                return Reason::NotMarked {
                    slot,
                    span,
                    markers: arg.markers.clone(),
                };
            }
            if let Some(reach) = arg.reach {
                let between = match arg.side {
                    Side::Before => span.end.min(trigger.start)..trigger.start,
                    Side::After => trigger.end..span.start.max(trigger.end),
                };
                let count = words(self.doc.text.get(between).unwrap_or("")).count();
                if count > reach {
                    return Reason::OutsideReach {
                        slot,
                        span,
                        words: count,
                        reach,
                    };
                }
            }
            // Unmarked, yet not taken: it stands in another argument's marked phrase.
            return Reason::NotMarked {
                slot,
                span,
                markers: Vec::new(),
            };
        }
        let in_topic = raw
            .iter()
            .flat_map(|r| self.fillers(r))
            .find(|&f| fits(f) && !in_cut.contains(&f));
        if let Some(f) = in_topic {
            return Reason::InTopic {
                slot,
                span: f.span(mentions),
            };
        }
        let mention = |&f: &Filler| match f {
            Filler::Mention(i) => Some(&mentions[i]),
            _ => None,
        };
        // The other mention nearest the trigger.
        let other = match arg.side {
            Side::Before => in_cut.iter().rev().find_map(mention),
            Side::After => in_cut.iter().find_map(mention),
        };
        match other {
            Some(m) => Reason::WrongType {
                slot,
                span: m.bytes(),
                found: self.entity_type(m),
                wanted: arg.types.clone(),
            },
            None => Reason::Missing { slot },
        }
    }
}

/// Marks the note of the relation `r` as withdrawn.
pub(super) fn withdraw(trace: &mut Trace, r: &Relation, reason: Withdrawal) {
    for note in trace.rules.iter_mut().rev() {
        let Outcome::Fired(fired) = &note.outcome else {
            continue;
        };
        if note.rule == r.rule
            && note.sentence == r.sentence
            && fired.subject == r.subject.0
            && fired.object == r.object.0
        {
            note.outcome = Outcome::Withdrawn {
                fired: fired.clone(),
                reason,
            };
            return;
        }
    }
}
