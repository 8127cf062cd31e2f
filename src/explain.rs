//! `explain`: why each candidate match and each rule did or did not fire in one document.
//!
//! It runs the pipeline with a trace (the stages record their decisions only then) and puts
//! the records into words: plain text for people ([`std::fmt::Display`]) and JSON for
//! scripts ([`Explanation::to_json`]). It comes after the pipeline; no stage knows of it.

use std::fmt;
use std::ops::Range;

use serde_json::{json, Value};

use crate::doc::{CharIndex, Document, Extraction};
use crate::gazetteer::{EntityIndex, EntityType, Word};
use crate::pipeline::Pipeline;
use crate::text::{words, Normalized};
use crate::trace::{Decision, Fired, Outcome, PhraseNote, Reason, RuleNote, Trace, Withdrawal};

/// Lexicon names of up to this many words are looked for among the words no mention covers.
const CONTEXTUAL_MAX_WORDS: usize = 3;

/// A span of the document: code points, bytes and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    text: String,
}

impl Span {
    fn json(&self) -> Value {
        json!({
            "start": self.start,
            "end": self.end,
            "byte_start": self.byte_start,
            "byte_end": self.byte_end,
            "text": self.text,
        })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "«{}» {}..{}", self.text, self.start, self.end)
    }
}

/// An entity as the output names it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Named {
    id: String,
    entity_type: EntityType,
}

impl Named {
    fn json(&self) -> Value {
        json!({"id": self.id, "type": self.entity_type.as_str()})
    }
}

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.entity_type.as_str())
    }
}

/// A rule phrase the select stage dropped, with what it would have meant.
#[derive(Clone, Debug)]
struct PhraseView {
    span: Span,
    /// What each lexicon phrase matched there is («trigger of fa.met_with.verbal», «marker»).
    meanings: Vec<String>,
    step: Step,
}

/// One decision of one stage about a candidate, in words.
#[derive(Clone, Debug)]
struct Step {
    stage: &'static str,
    /// A stable name of the decision, for scripts.
    code: &'static str,
    /// The decision said for people.
    text: String,
    /// The decision's own fields, for scripts.
    fields: Value,
}

/// A candidate match (a span naming one entity) and every decision about it.
#[derive(Clone, Debug)]
struct Candidate {
    span: Span,
    /// `None` for a discovered name that never became an entity.
    entity: Option<Named>,
    /// `kept` (a mention of this entity), `not_chosen` (an ambiguous alias chose another
    /// entity) or `dropped`.
    status: &'static str,
    steps: Vec<Step>,
}

/// One rule at one trigger.
#[derive(Clone, Debug)]
struct RuleView {
    rule: String,
    sentence: usize,
    trigger: Span,
    status: &'static str,
    text: String,
    fields: Value,
}

/// A final mention.
#[derive(Clone, Debug)]
struct MentionView {
    span: Span,
    entity: Named,
    via: &'static str,
    nested: bool,
    pattern: Option<String>,
}

/// Why each candidate match and each rule of one document did or did not fire.
#[derive(Clone, Debug)]
pub struct Explanation {
    doc: String,
    normalized: String,
    candidates: Vec<Candidate>,
    contextual: Vec<Span>,
    phrases_in_names: Vec<Span>,
    phrases_dropped: Vec<PhraseView>,
    /// Each sentence's class letters with their words: its class string, spelt out.
    classes: Vec<Vec<(char, Span)>>,
    mentions: Vec<MentionView>,
    fired: Vec<RuleView>,
    not_fired: Vec<RuleView>,
}

/// Explains the extraction of `doc` by `pipeline`.
pub fn explain(pipeline: &Pipeline, doc: &Document) -> Explanation {
    let mut trace = Trace::default();
    let extraction = pipeline.extract_traced(doc, &mut trace);
    Writer {
        pipeline,
        doc,
        extraction: &extraction,
        chars: CharIndex::new(&doc.text),
    }
    .explanation(trace)
}

struct Writer<'a> {
    pipeline: &'a Pipeline,
    doc: &'a Document,
    extraction: &'a Extraction,
    chars: CharIndex,
}

impl Writer<'_> {
    fn span(&self, bytes: &Range<usize>) -> Span {
        let chars = self.chars.span(&self.doc.text, bytes);
        Span {
            start: chars.start,
            end: chars.end,
            byte_start: bytes.start,
            byte_end: bytes.end,
            text: self.doc.text.get(bytes.clone()).unwrap_or("").to_string(),
        }
    }

    fn named(&self, entity: u32) -> Named {
        let e = self
            .extraction
            .entity(self.pipeline.gazetteer(), EntityIndex(entity));
        Named {
            id: e.id.clone(),
            entity_type: e.entity_type,
        }
    }

    fn dropped_phrase(&self, note: &PhraseNote) -> PhraseView {
        let rules = self.pipeline.rules();
        let words = &rules.lexicon().words;
        let mut meanings: Vec<String> = note
            .phrases
            .iter()
            .filter_map(|&i| words.get(i as usize))
            .map(|word| match word {
                Word::Trigger { rule, .. } => rules
                    .specs()
                    .rules
                    .get(*rule)
                    .map_or("trigger".to_string(), |r| format!("trigger of {}", r.id)),
                Word::Required(rule) => rules
                    .specs()
                    .rules
                    .get(*rule)
                    .map_or("required phrase".to_string(), |r| {
                        format!("phrase {} requires", r.id)
                    }),
                Word::Preposition(_) | Word::Postposition(_) => "argument marker".to_string(),
                Word::Title(_) => "title".to_string(),
                Word::Pronoun => "pronoun".to_string(),
                Word::Pair => "the two parties".to_string(),
                other => format!("{other:?}")
                    .chars()
                    .flat_map(|c| {
                        let lower = c.to_ascii_lowercase();
                        [(c != lower).then_some(' '), Some(lower)]
                    })
                    .flatten()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            })
            .collect();
        meanings.sort();
        meanings.dedup();
        let step = match &note.decision {
            // The winner is another rule phrase, not an entity.
            Decision::Overlap { winner, .. } => {
                let w = self.span(winner);
                Step {
                    stage: "select",
                    code: "overlap",
                    text: format!("dropped: overlap: crosses the longer rule phrase {w}"),
                    fields: json!({"winner": w.json()}),
                }
            }
            decision => self.step(decision),
        };
        PhraseView {
            span: self.span(&note.span),
            meanings,
            step,
        }
    }

    fn pattern_id(&self, pattern: u16) -> String {
        let patterns = self.pipeline.gazetteer().discovery().patterns();
        patterns
            .get(pattern as usize)
            .map_or_else(|| pattern.to_string(), |p| p.id.clone())
    }

    fn explanation(&self, trace: Trace) -> Explanation {
        let Trace {
            candidates: notes,
            phrases_in_names,
            phrases_dropped,
            rules,
            classes,
        } = trace;
        // Notes grouped by (span, entity), in the order the stages wrote them.
        let mut groups: Vec<(Range<usize>, u32, Vec<Decision>)> = Vec::new();
        for note in notes {
            let entity = match note.decision {
                // A discovered name is one candidate, whichever entity it became.
                Decision::Discovered { .. }
                | Decision::DiscoveredOverlap { .. }
                | Decision::DiscoveredUnderName => u32::MAX,
                _ => note.entity,
            };
            match groups
                .iter_mut()
                .find(|(s, e, _)| *s == note.span && *e == entity)
            {
                Some(group) => group.2.push(note.decision),
                None => groups.push((note.span, entity, vec![note.decision])),
            }
        }
        let mut candidates: Vec<Candidate> = groups
            .into_iter()
            .map(|(span, entity, decisions)| self.candidate(span, entity, decisions))
            .collect();
        candidates.sort_by(|a, b| {
            let key = |c: &Candidate| {
                (
                    c.span.byte_start,
                    std::cmp::Reverse(c.span.byte_end),
                    c.entity.as_ref().map(|e| e.id.clone()),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut fired = Vec::new();
        let mut not_fired = Vec::new();
        let mut rules = rules;
        rules.sort_by_key(|n| (n.sentence, n.trigger.start, n.trigger.end));
        for note in &rules {
            let view = self.rule(note);
            let list = match note.outcome {
                Outcome::Fired(_) => &mut fired,
                Outcome::TitleWithoutName { holder: Some(_) } => &mut fired,
                _ => &mut not_fired,
            };
            // One line per distinct outcome (a relation found twice is written once).
            if !list.iter().any(|v: &RuleView| {
                v.rule == view.rule && v.trigger == view.trigger && v.fields == view.fields
            }) {
                list.push(view);
            }
        }
        let mentions = self
            .extraction
            .mentions
            .iter()
            .map(|m| MentionView {
                span: self.span(&(m.byte_start..m.byte_end)),
                entity: self.named(m.entity.0),
                via: m.via.as_str(),
                nested: m.nested,
                pattern: m.pattern.map(|p| self.pattern_id(p)),
            })
            .collect();
        Explanation {
            doc: self.doc.id.clone(),
            normalized: Normalized::new(&self.doc.text).to_spaced(),
            candidates,
            contextual: self.contextual(),
            phrases_in_names: phrases_in_names.iter().map(|s| self.span(s)).collect(),
            phrases_dropped: phrases_dropped
                .iter()
                .map(|p| self.dropped_phrase(p))
                .collect(),
            classes: classes
                .iter()
                .map(|letters| {
                    letters
                        .iter()
                        .map(|(c, span)| (*c as char, self.span(span)))
                        .collect()
                })
                .collect(),
            mentions,
            fired,
            not_fired,
        }
    }

    /// Runs of up to [`CONTEXTUAL_MAX_WORDS`] words no mention covers that a lexicon holds
    /// as a name needing context: no discovery pattern gave them any.
    fn contextual(&self) -> Vec<Span> {
        let text = &self.doc.text;
        let gazetteer = self.pipeline.gazetteer();
        let covered = |r: &Range<usize>| {
            self.extraction
                .mentions
                .iter()
                .any(|m| m.byte_start < r.end && r.start < m.byte_end)
        };
        let mut out: Vec<Range<usize>> = Vec::new();
        for sentence in &self.extraction.sentences {
            let ws: Vec<Range<usize>> = words(&text[sentence.clone()])
                .map(|w| w.start + sentence.start..w.end + sentence.start)
                .collect();
            let mut i = 0;
            while i < ws.len() {
                // The longest run starting here.
                let found = (1..=CONTEXTUAL_MAX_WORDS.min(ws.len() - i))
                    .rev()
                    .map(|n| ws[i].start..ws[i + n - 1].end)
                    .enumerate()
                    .find(|(_, r)| !covered(r) && gazetteer.is_contextual_name(&text[r.clone()]));
                match found {
                    Some((k, r)) => {
                        out.push(r);
                        i += CONTEXTUAL_MAX_WORDS.min(ws.len() - i) - k;
                    }
                    None => i += 1,
                }
            }
        }
        out.iter().map(|r| self.span(r)).collect()
    }

    fn candidate(&self, span: Range<usize>, entity: u32, decisions: Vec<Decision>) -> Candidate {
        let mentions = &self.extraction.mentions;
        let here = mentions
            .iter()
            .filter(|m| m.byte_start == span.start && m.byte_end == span.end);
        let discovered = entity == u32::MAX;
        let status = if here
            .clone()
            .any(|m| m.entity.0 == entity || discovered && m.via == crate::doc::Via::Discovered)
        {
            "kept"
        } else if here
            .clone()
            .any(|m| self.extraction.candidates(m).any(|c| c.0 == entity))
        {
            "not_chosen"
        } else {
            "dropped"
        };
        let named = if discovered {
            here.clone()
                .find(|m| m.via == crate::doc::Via::Discovered)
                .map(|m| self.named(m.entity.0))
        } else {
            Some(self.named(entity))
        };
        Candidate {
            span: self.span(&span),
            entity: named,
            status,
            steps: decisions.iter().map(|d| self.step(d)).collect(),
        }
    }

    fn step(&self, d: &Decision) -> Step {
        let step = |stage, code, text: String, fields| Step {
            stage,
            code,
            text,
            fields,
        };
        match d {
            Decision::Kept => step("select", "kept", "a whole word: kept".into(), json!({})),
            Decision::KeptNested { container } => {
                let c = self.span(container);
                step(
                    "select",
                    "nested",
                    format!("inside the longer match {c}: kept as nested"),
                    json!({"container": c.json()}),
                )
            }
            Decision::ShortPending => step(
                "select",
                "short_form",
                "only a short form names it: the resolve stage decides".into(),
                json!({}),
            ),
            Decision::StartsInsideWord => step(
                "select",
                "boundary",
                "dropped: boundary: it starts inside a word".into(),
                json!({}),
            ),
            Decision::Suffix { suffix } => {
                let s = self.span(suffix);
                step(
                    "select",
                    "suffix",
                    format!(
                        "dropped: attached suffix «{}» does not keep a mention (suffixes.tsv)",
                        s.text
                    ),
                    json!({"suffix": s.json()}),
                )
            }
            Decision::DemonymWithoutStateNoun { suffix } => {
                let s = self.span(suffix);
                step(
                    "select",
                    "demonym",
                    format!(
                        "dropped: a demonym (suffix «{}») is the state only after a state noun \
                         (state_nouns.txt)",
                        s.text
                    ),
                    json!({"suffix": s.json()}),
                )
            }
            Decision::DemonymNotCountry => step(
                "resolve",
                "demonym",
                "dropped: a demonym names a country, and this entity is none".to_string(),
                json!({}),
            ),
            Decision::Separator => step(
                "select",
                "separator",
                "dropped: boundary: a space, ZWNJ or line break its alias does not allow".into(),
                json!({}),
            ),
            Decision::Overlap { winner, entity } => {
                let w = self.span(winner);
                let e = self.named(*entity);
                step(
                    "select",
                    "overlap",
                    format!("dropped: overlap: crosses the longer match {w}, {e}"),
                    json!({"winner": w.json(), "winner_entity": e.json()}),
                )
            }
            Decision::SameEntityInside { container } => {
                let c = self.span(container);
                step(
                    "select",
                    "same_entity_inside",
                    format!("dropped: nesting: a shorter name of the same entity inside {c}"),
                    json!({"container": c.json()}),
                )
            }
            Decision::ShortUnderName => step(
                "select",
                "short_under_name",
                "dropped: a short form where a full name of another entity stands".into(),
                json!({}),
            ),
            Decision::NestedInName { outer } => step(
                "resolve",
                "nested_in_name",
                format!(
                    "dropped: nesting: part of a {} name, which is one name",
                    outer.as_str()
                ),
                json!({"outer_type": outer.as_str()}),
            ),
            Decision::ShortWithoutName => step(
                "resolve",
                "short_without_name",
                "dropped: a short form with no full name of its entity before it".into(),
                json!({}),
            ),
            Decision::ShortOverlap => step(
                "resolve",
                "short_overlap",
                "dropped: overlap: crosses a longer short form".into(),
                json!({}),
            ),
            Decision::ShortKept => step(
                "resolve",
                "short_kept",
                "a short form after its full name: kept (via coref)".into(),
                json!({}),
            ),
            Decision::Discovered { pattern } => {
                let id = self.pattern_id(*pattern);
                step(
                    "discover",
                    "discovered",
                    format!("discovery pattern {id} fired"),
                    json!({"pattern": id}),
                )
            }
            Decision::DiscoveredOverlap { pattern } => {
                let id = self.pattern_id(*pattern);
                step(
                    "discover",
                    "discovered_overlap",
                    format!(
                        "dropped: overlap: pattern {id} found this name, or one crossing it, first"
                    ),
                    json!({"winner_pattern": id}),
                )
            }
            Decision::DiscoveredUnderName => step(
                "resolve",
                "discovered_under_name",
                "dropped: a known name already stands there".into(),
                json!({}),
            ),
            Decision::Surname => step(
                "resolve",
                "surname",
                "the last word of a discovered person named earlier: kept (via coref)".into(),
                json!({}),
            ),
            Decision::CapitalAsState { state } => {
                let s = self.named(*state);
                step(
                    "resolve",
                    "capital_as_state",
                    format!("a capital with no place word before it: stands for {s}"),
                    json!({"state": s.json()}),
                )
            }
            Decision::HomeCountry { medium } => {
                let medium = self.span(medium);
                step(
                    "resolve",
                    "home_country",
                    format!(
                        "the writer's own country: the country of the first news medium named, {medium}"
                    ),
                    json!({"medium": medium.json()}),
                )
            }
            Decision::CapitalAsPlace => step(
                "resolve",
                "capital_as_place",
                "a capital after a place word: the city".into(),
                json!({}),
            ),
            Decision::Ambiguous {
                candidates,
                chosen,
                by,
            } => {
                let names: Vec<Named> = candidates.iter().map(|&c| self.named(c)).collect();
                let chosen = self.named(*chosen);
                let by = by.as_ref().map(|b| self.span(b));
                let list = names
                    .iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let why = match &by {
                    Some(b) => format!("by the country {b}"),
                    None => "no country of a candidate in the document: the gazetteer's first"
                        .to_string(),
                };
                step(
                    "resolve",
                    "ambiguous",
                    format!("ambiguous: {list}; chose {} {why}", chosen.id),
                    json!({
                        "candidates": names.iter().map(Named::json).collect::<Vec<_>>(),
                        "chosen": chosen.json(),
                        "by": by.map(|b| b.json()),
                    }),
                )
            }
        }
    }

    fn fired(&self, f: &Fired) -> (String, Value) {
        let subject = self.named(f.subject);
        let object = self.named(f.object);
        let (s, o) = (self.span(&f.subject_span), self.span(&f.object_span));
        let mut text = format!(
            "{} {} {}{} (subject {s}, object {o})",
            subject.id,
            f.predicate,
            object.id,
            f.role
                .as_ref()
                .map_or(String::new(), |r| format!(", role {r}"))
        );
        let fact = !f.negated && f.modality == crate::doc::Modality::Asserted;
        if f.negated {
            text.push_str("; negated: not a graph edge");
        }
        if f.modality != crate::doc::Modality::Asserted {
            text.push_str(&format!("; {}: not a graph edge", f.modality.as_str()));
        }
        let fields = json!({
            "subject": subject.json(),
            "subject_span": s.json(),
            "predicate": &*f.predicate,
            "object": object.json(),
            "object_span": o.json(),
            "role": f.role,
            "negated": f.negated,
            "modality": f.modality.as_str(),
            "fact": fact,
        });
        (text, fields)
    }

    fn reason(&self, r: &Reason) -> (String, Value) {
        let types = |t: &[EntityType]| t.iter().map(|t| t.as_str()).collect::<Vec<_>>();
        match r {
            Reason::RequiredMissing => (
                "a phrase the rule requires is not in its window".into(),
                json!({"reason": "required_missing"}),
            ),
            Reason::Missing { slot } => (
                format!("no {}: no mention in its window", slot.as_str()),
                json!({"reason": "missing", "slot": slot.as_str()}),
            ),
            Reason::WrongType {
                slot,
                span,
                found,
                wanted,
            } => {
                let s = self.span(span);
                (
                    format!(
                        "{} of the wrong type: {s} is {}, the rule wants {}",
                        slot.as_str(),
                        found.as_str(),
                        types(wanted).join("|")
                    ),
                    json!({"reason": "wrong_type", "slot": slot.as_str(), "mention": s.json(),
                           "found": found.as_str(), "wanted": types(wanted)}),
                )
            }
            Reason::OutsideReach {
                slot,
                span,
                words,
                reach,
            } => {
                let s = self.span(span);
                (
                    format!(
                        "{} outside reach: {s} is {words} words from the trigger, at most {reach} allowed",
                        slot.as_str()
                    ),
                    json!({"reason": "outside_reach", "slot": slot.as_str(), "mention": s.json(),
                           "words": words, "reach": reach}),
                )
            }
            Reason::InTopic { slot, span } => {
                let s = self.span(span);
                (
                    format!(
                        "no {0} outside the topic of the talks: {s} stands in a topic phrase",
                        slot.as_str()
                    ),
                    json!({"reason": "in_topic", "slot": slot.as_str(), "mention": s.json()}),
                )
            }
            Reason::NotMarked {
                slot,
                span,
                markers,
            } => {
                let s = self.span(span);
                let text = if markers.is_empty() {
                    format!(
                        "no {0}: {s} stands in another argument's marked phrase",
                        slot.as_str()
                    )
                } else {
                    format!(
                        "no {}: {s} is not in the phrase of its marker ({})",
                        slot.as_str(),
                        markers.join(", ")
                    )
                };
                (
                    text,
                    json!({"reason": "not_marked", "slot": slot.as_str(), "mention": s.json(),
                           "markers": markers}),
                )
            }
            Reason::Unresolved { slot, span } => {
                let s = self.span(span);
                (
                    format!("no {}: {s} refers to nobody found before it", slot.as_str()),
                    json!({"reason": "unresolved", "slot": slot.as_str(), "mention": s.json()}),
                )
            }
            Reason::NoBody => (
                "a title with no body (country, party, organization...) it belongs to nearby"
                    .into(),
                json!({"reason": "no_body"}),
            ),
            Reason::SameEntity => (
                "subject and object are the same entity".into(),
                json!({"reason": "same_entity"}),
            ),
        }
    }

    fn rule(&self, note: &RuleNote) -> RuleView {
        let (status, text, fields) = match &note.outcome {
            Outcome::Fired(f) => {
                let (text, fields) = self.fired(f);
                ("fired", text, fields)
            }
            Outcome::Withdrawn { fired, reason } => {
                let (text, mut fields) = self.fired(fired);
                let why = match reason {
                    Withdrawal::PeopleMetForCountries => {
                        "countries meet only when no person is named for them, and people of both met"
                    }
                };
                fields["withdrawn"] = json!("people_met_for_countries");
                ("withdrawn", format!("fired, then withdrawn: {text}; {why}"), fields)
            }
            Outcome::NotFired(reasons) => {
                let (texts, values): (Vec<String>, Vec<Value>) =
                    reasons.iter().map(|r| self.reason(r)).unzip();
                ("not_fired", texts.join("; "), json!({"reasons": values}))
            }
            Outcome::TitleWithoutName { holder } => match holder {
                Some(h) => {
                    let h = self.named(*h);
                    (
                        "fired",
                        format!("a title without a name: its holder {h} (via coref)"),
                        json!({"holder": h.json()}),
                    )
                }
                None => (
                    "not_fired",
                    "a title without a name: no single holder (named in the document, or in office at its date)".to_string(),
                    json!({"reasons": [{"reason": "no_holder"}]}),
                ),
            },
        };
        RuleView {
            rule: note.rule.to_string(),
            sentence: note.sentence,
            trigger: self.span(&note.trigger),
            status,
            text,
            fields,
        }
    }
}

impl Explanation {
    /// The explanation as one JSON object (pretty-printed, with a final newline).
    pub fn to_json(&self) -> String {
        let candidate = |c: &Candidate| {
            let mut v = c.span.json();
            v["entity"] = c.entity.as_ref().map_or(Value::Null, Named::json);
            v["status"] = json!(c.status);
            v["decisions"] = c.steps.iter().map(step_json).collect();
            v
        };
        let rule = |r: &RuleView| {
            let mut v = json!({
                "rule": r.rule,
                "sentence": r.sentence,
                "trigger": r.trigger.json(),
                "status": r.status,
                "text": r.text,
            });
            if let (Some(o), Some(f)) = (v.as_object_mut(), r.fields.as_object()) {
                o.extend(f.clone());
            }
            v
        };
        let mention = |m: &MentionView| {
            let mut v = m.span.json();
            v["entity"] = m.entity.json();
            v["via"] = json!(m.via);
            v["nested"] = json!(m.nested);
            if let Some(p) = &m.pattern {
                v["pattern"] = json!(p);
            }
            v
        };
        let value = json!({
            "doc": self.doc,
            "normalized": self.normalized,
            "candidates": self.candidates.iter().map(candidate).collect::<Vec<_>>(),
            "lexicon_names_without_context": self.contextual.iter().map(Span::json).collect::<Vec<_>>(),
            "phrases_inside_names": self.phrases_in_names.iter().map(Span::json).collect::<Vec<_>>(),
            "phrases_dropped": self.phrases_dropped.iter().map(|p| {
                let mut v = p.span.json();
                v["meanings"] = json!(p.meanings);
                v["decisions"] = json!([step_json(&p.step)]);
                v
            }).collect::<Vec<_>>(),
            "class_strings": self.classes.iter().map(|words| json!({
                "classes": class_string(words),
                "words": words.iter().map(|(c, s)| {
                    let mut v = s.json();
                    v["class"] = json!(c.to_string());
                    v
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "mentions": self.mentions.iter().map(mention).collect::<Vec<_>>(),
            "rules_fired": self.fired.iter().map(rule).collect::<Vec<_>>(),
            "rules_not_fired": self.not_fired.iter().map(rule).collect::<Vec<_>>(),
        });
        let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// A sentence's class string: the letters of its words and marks.
fn class_string(words: &[(char, Span)]) -> String {
    words.iter().map(|&(c, _)| c).collect()
}

/// A decision as JSON: its stage, code and text, and its own fields.
fn step_json(s: &Step) -> Value {
    let mut d = json!({"stage": s.stage, "decision": s.code, "text": s.text});
    if let (Some(d), Some(f)) = (d.as_object_mut(), s.fields.as_object()) {
        d.extend(f.clone());
    }
    d
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "document {}", self.doc)?;
        writeln!(f, "\nnormalized text (as the matcher sees it):")?;
        for line in self.normalized.lines() {
            writeln!(f, "  {line}")?;
        }
        writeln!(f, "\ncandidate matches ({}):", self.candidates.len())?;
        for c in &self.candidates {
            let entity = c
                .entity
                .as_ref()
                .map_or("(a discovered name)".to_string(), |e| e.to_string());
            writeln!(f, "  {} {entity}: {}", c.span, c.status.replace('_', " "))?;
            for s in &c.steps {
                writeln!(f, "    {}: {}", s.stage, s.text)?;
            }
        }
        if !self.contextual.is_empty() {
            writeln!(
                f,
                "\nlexicon names without supporting context (no discovery pattern fired):"
            )?;
            for s in &self.contextual {
                writeln!(f, "  {s}")?;
            }
        }
        if !self.phrases_in_names.is_empty() {
            writeln!(
                f,
                "\nrule phrases inside a name (not triggers or markers there):"
            )?;
            for s in &self.phrases_in_names {
                writeln!(f, "  {s}")?;
            }
        }
        if !self.phrases_dropped.is_empty() {
            writeln!(
                f,
                "\nrule phrases dropped ({}):",
                self.phrases_dropped.len()
            )?;
            for p in &self.phrases_dropped {
                writeln!(
                    f,
                    "  {} ({}): {}",
                    p.span,
                    p.meanings.join(", "),
                    p.step.text
                )?;
            }
        }
        if !self.classes.is_empty() {
            writeln!(
                f,
                "\nclass strings (what the discovery patterns read; patterns/README.md):"
            )?;
            for words in &self.classes {
                writeln!(f, "  {}", class_string(words))?;
                let words: Vec<String> = words
                    .iter()
                    .map(|(c, s)| format!("{c} {}", s.text))
                    .collect();
                writeln!(f, "    {}", words.join(" · "))?;
            }
        }
        writeln!(f, "\nmentions ({}):", self.mentions.len())?;
        for m in &self.mentions {
            write!(f, "  {} {} via {}", m.span, m.entity, m.via)?;
            if m.nested {
                write!(f, ", nested")?;
            }
            if let Some(p) = &m.pattern {
                write!(f, ", pattern {p}")?;
            }
            writeln!(f)?;
        }
        for (title, list) in [
            ("rules fired", &self.fired),
            (
                "rules whose trigger matched but did not fire",
                &self.not_fired,
            ),
        ] {
            writeln!(f, "\n{title} ({}):", list.len())?;
            for r in list {
                writeln!(
                    f,
                    "  {} at {} (sentence {}): {}",
                    r.rule, r.trigger, r.sentence, r.text
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::trace::Trace;
    use crate::{Document, Pipeline};

    /// Tracing changes nothing of what is found, on every document of the test corpus.
    #[test]
    fn tracing_finds_what_extract_finds() {
        let pipeline = Pipeline::embedded().expect("embedded gazetteers");
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
        let mut files = crate::walk::files_under(std::path::Path::new(root)).expect("tests/corpus");
        files.retain(|f| f.extension().is_some_and(|e| e == "txt"));
        assert!(files.len() > 20);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("text");
            let doc = Document::new("d", text);
            let plain = pipeline.extract(&doc);
            let traced = pipeline.extract_traced(&doc, &mut Trace::default());
            assert_eq!(plain.mentions, traced.mentions, "{}", file.display());
            assert_eq!(plain.relations, traced.relations, "{}", file.display());
        }
    }
}
