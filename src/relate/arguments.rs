//! Argument search: the fillers of a rule's subject and object slots, by marker (the object
//! after «با», before «را») and by position (the unmarked subject first).

use std::ops::Range;

use crate::gazetteer::{Argument, Side, Word};
use crate::text::words;

use super::{Context, Filler};

impl Context<'_> {
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
    pub(super) fn marked(
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
                let first = fillers.first().map(|f| f.span(self.mentions()).start);
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
                        fillers[run - 1].span(self.mentions()).end
                            ..fillers[run].span(self.mentions()).start,
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
    pub(super) fn unmarked(
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
        let spans = chosen.iter().map(|f| f.span(self.mentions()));
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
