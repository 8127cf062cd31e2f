//! Scoring a pipeline against gold documents: entity and relation units, one matching per
//! document, and the `must` and `all` tables (definitions in the [module
//! documentation](super)).

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;

use crate::doc::Modality;
use crate::doc::Via;
use crate::gazetteer::{EntityType, Predicates};
use crate::{Document, Extraction, Pipeline};

use super::gold::{GoldDocument, GoldFormat, Level};
use super::map::{label_rank, Label};

/// The name of the micro-averaged row of every table.
pub const TOTAL: &str = "total";

/// One row of a table: an entity type (or gold label), a predicate, or the total.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The type, label or predicate, or `total`.
    pub name: String,
    /// Predictions that match a gold item.
    pub tp: usize,
    /// Predictions that match none.
    pub fp: usize,
    /// Gold items that no prediction matches.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// `tp / (tp + fp)`, 0 when nothing was predicted.
    pub precision: f64,
    /// `tp / (tp + fn)`, 0 when nothing was expected.
    pub recall: f64,
    /// `2 tp / (2 tp + fp + fn)`: the harmonic mean of precision and recall.
    pub f1: f64,
}

impl Row {
    /// A row of these counts, with its ratios.
    pub fn new(name: impl Into<String>, tp: usize, fp: usize, fn_: usize) -> Row {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Row {
            name: name.into(),
            tp,
            fp,
            fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
        }
    }
}

/// A table: one row per type or predicate that has an item, and the micro-averaged total.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// The rows, contract order first, then by name.
    pub rows: Vec<Row>,
    /// The sums of the rows' counts, with their ratios.
    pub total: Row,
}

impl Table {
    /// The row named `name` (`total` included).
    pub fn row(&self, name: &str) -> Option<&Row> {
        if name == TOTAL {
            return Some(&self.total);
        }
        self.rows.iter().find(|r| r.name == name)
    }
}

/// The precision of the mentions one tier (`via`) found: where a curator should look.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViaRow {
    /// The `via` value (`gazetteer`, `lexicon`, `composed`, ...).
    pub via: String,
    /// Predictions it made that are scored (in scope; not optional unless matched).
    pub predicted: usize,
    /// Of those, the ones that match a gold item.
    pub correct: usize,
    /// `correct / predicted` (0 when it predicted nothing).
    pub precision: f64,
}

/// Predictions and correct ones per `via`, in [`Via::ALL`] order.
#[derive(Clone, Debug, Default)]
pub(crate) struct ViaCounts([(usize, usize); Via::ALL.len()]);

impl ViaCounts {
    pub(crate) fn add(&mut self, via: Via, correct: bool) {
        if let Some(i) = Via::ALL.iter().position(|v| *v == via) {
            self.0[i].0 += 1;
            self.0[i].1 += usize::from(correct);
        }
    }

    /// One row per tier that predicted something.
    pub(crate) fn rows(&self) -> Vec<ViaRow> {
        Via::ALL
            .iter()
            .zip(&self.0)
            .filter(|(_, (predicted, _))| *predicted > 0)
            .map(|(via, &(predicted, correct))| ViaRow {
                via: via.as_str().to_string(),
                predicted,
                correct,
                precision: correct as f64 / predicted as f64,
            })
            .collect()
    }
}

/// The two views of one matching: against `must` items only, and against all.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tables {
    /// Scores against `must` gold items; predictions matched to `should` items are left out.
    pub must: Table,
    /// Scores against `must` and `should` gold items.
    pub all: Table,
}

/// A missed gold entity surface or a spurious predicted one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityItem {
    /// The document id.
    pub doc: String,
    /// The gold label (missed) or the row the prediction counts in (spurious).
    #[serde(rename = "type")]
    pub label: String,
    /// The surface.
    pub text: String,
    /// The gold level (missed items only).
    pub level: Option<Level>,
    /// The gold entity key (missed items only).
    pub key: Option<String>,
    /// The node id our pipeline gave it (spurious items only).
    pub entity: Option<String>,
    /// The sentence it stands in (for a missed item, its first occurrence), trimmed.
    pub sentence: Option<String>,
}

/// A missed gold relation or a spurious predicted one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationItem {
    /// The document id.
    pub doc: String,
    /// The subject: a gold key (missed) or a node id (spurious).
    pub subject: String,
    /// The predicate.
    pub predicate: String,
    /// The object: a gold key (missed) or a node id (spurious).
    pub object: String,
    /// The role: gold (missed) or the roles found, joined by ` | ` (spurious).
    pub role: Option<String>,
    /// The gold level (missed items only).
    pub level: Option<Level>,
    /// The gold evidence line (missed items only).
    pub line: Option<usize>,
    /// The evidence sentence, trimmed.
    pub sentence: Option<String>,
}

/// A matched relation whose role differs from the gold one (roles are not part of a
/// relation's identity; they are checked on the side).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleMismatch {
    /// The document id.
    pub doc: String,
    /// The gold subject key.
    pub subject: String,
    /// The predicate.
    pub predicate: String,
    /// The gold object key.
    pub object: String,
    /// The gold role.
    pub gold: String,
    /// The roles our relations gave, sorted.
    pub found: Vec<String>,
    /// The gold evidence line.
    pub line: Option<usize>,
    /// The evidence sentence of our relation.
    pub sentence: Option<String>,
}

/// How many matched relations with a gold role got it right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleSummary {
    /// Matched gold relations that have a role.
    pub checked: usize,
    /// Of those, the ones whose role we found (compared case-insensitively).
    pub matched: usize,
}

/// The scores of one gold set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The set name (`seed`, `dev`).
    pub name: String,
    /// The number of documents scored.
    pub documents: usize,
    /// Gold documents with no input text: listed, not scored.
    pub missing_documents: Vec<String>,
    /// Entity scores.
    pub entities: Tables,
    /// Entity precision per `via` (against all gold items, must and should).
    pub entities_by_via: Vec<ViaRow>,
    /// Relation scores; `None` when the set annotates no relations (BRAT without `R` lines).
    pub relations: Option<Tables>,
    /// Role agreement of matched relations.
    pub roles: RoleSummary,
    /// Gold surfaces no prediction matches (must and should), in document order.
    pub missed_entities: Vec<EntityItem>,
    /// Predictions that match no gold surface.
    pub spurious_entities: Vec<EntityItem>,
    /// Gold relations no prediction matches.
    pub missed_relations: Vec<RelationItem>,
    /// Predicted relations that match no gold relation.
    pub spurious_relations: Vec<RelationItem>,
    /// Matched relations whose role differs from the gold one.
    pub role_mismatches: Vec<RoleMismatch>,
}

impl Report {
    /// Every table as `(name, table)`: `entities.must`, `entities.all`, `relations.must`,
    /// `relations.all` (the last two when relations are scored).
    pub fn tables(&self) -> Vec<(&'static str, &Table)> {
        let mut out = vec![
            ("entities.must", &self.entities.must),
            ("entities.all", &self.entities.all),
        ];
        if let Some(r) = &self.relations {
            out.push(("relations.must", &r.must));
            out.push(("relations.all", &r.all));
        }
        out
    }
}

/// Scores `pipeline` against `gold`, taking each document's text from the gold itself (BRAT)
/// or from the document of `docs` with the same id. Gold documents with neither are listed
/// in [`Report::missing_documents`]; documents of `docs` without gold are ignored. The
/// report's `name` is empty (see [`super::evaluate_set`]).
pub fn evaluate(pipeline: &Pipeline, gold: &[GoldDocument], docs: &[Document]) -> Report {
    let scope = scope_of(gold);
    let relations_annotated = gold
        .iter()
        .any(|g| g.format == GoldFormat::Json || !g.relations.is_empty());
    let mut by_id: HashMap<&str, &Document> = HashMap::new();
    for d in docs {
        by_id.entry(d.id.as_str()).or_insert(d);
    }
    let mut acc = Accumulator::default();
    let mut missing_documents = Vec::new();
    let mut documents = 0;
    for g in gold {
        let owned;
        let doc = match (&g.text, by_id.get(g.doc.as_str())) {
            (Some(text), _) => {
                owned = Document::new(g.doc.clone(), text.clone());
                &owned
            }
            (None, Some(doc)) => *doc,
            (None, None) => {
                missing_documents.push(g.doc.clone());
                continue;
            }
        };
        documents += 1;
        let extraction = pipeline.extract(doc);
        let ctx = DocContext {
            pipeline,
            gold: g,
            doc,
            extraction: &extraction,
        };
        ctx.score_entities(&scope, &mut acc);
        if relations_annotated {
            ctx.score_relations(&mut acc);
        }
    }
    Report {
        name: String::new(),
        documents,
        missing_documents,
        entities: acc.entities.finish(label_rank),
        entities_by_via: acc.by_via.rows(),
        relations: relations_annotated.then(|| {
            let predicates = pipeline.rules().predicates();
            acc.relations
                .finish(|name| predicate_rank(predicates, name))
        }),
        roles: acc.roles,
        missed_entities: acc.missed_entities,
        spurious_entities: acc.spurious_entities,
        missed_relations: acc.missed_relations,
        spurious_relations: acc.spurious_relations,
        role_mismatches: acc.role_mismatches,
    }
}

/// The labels a set annotates: every contract type when any document is in the JSON format
/// (its guidelines cover them all); otherwise the labels its documents use.
fn scope_of(gold: &[GoldDocument]) -> Vec<Label> {
    let mut scope: Vec<Label> = Vec::new();
    if gold.iter().any(|g| g.format == GoldFormat::Json) {
        scope.extend(EntityType::ALL.map(Label::of_type));
    }
    for e in gold.iter().flat_map(|g| &g.entities) {
        if !scope.iter().any(|l| l.name == e.label.name) {
            scope.push(e.label.clone());
        }
    }
    scope.sort_by(|a, b| label_rank(&a.name).cmp(&label_rank(&b.name)));
    scope
}

/// Predicates sort in the order of the predicate table, unknown ones after them by name.
fn predicate_rank<'a>(predicates: &Predicates, name: &'a str) -> (usize, &'a str) {
    match predicates.order(name) {
        i if i < predicates.iter().count() => (i, ""),
        i => (i, name),
    }
}

/// tp, fp, fn per row name, for the must and the all view.
#[derive(Default)]
struct Counts {
    must: HashMap<String, [usize; 3]>,
    all: HashMap<String, [usize; 3]>,
}

const TP: usize = 0;
const FP: usize = 1;
const FN: usize = 2;

impl Counts {
    fn add(&mut self, row: &str, what: usize, must: bool) {
        self.all.entry(row.to_string()).or_default()[what] += 1;
        if must {
            self.must.entry(row.to_string()).or_default()[what] += 1;
        }
    }

    fn finish<'a>(&'a self, rank: impl Fn(&'a str) -> (usize, &'a str)) -> Tables {
        let table = |counts: &'a HashMap<String, [usize; 3]>| {
            let mut names: Vec<&str> = counts.keys().map(String::as_str).collect();
            names.sort_by(|a, b| rank(a).cmp(&rank(b)));
            let rows: Vec<Row> = names
                .iter()
                .map(|n| {
                    let c = counts[*n];
                    Row::new(*n, c[TP], c[FP], c[FN])
                })
                .collect();
            let sum = |k: usize| counts.values().map(|c| c[k]).sum::<usize>();
            Table {
                rows,
                total: Row::new(TOTAL, sum(TP), sum(FP), sum(FN)),
            }
        };
        Tables {
            must: table(&self.must),
            all: table(&self.all),
        }
    }
}

#[derive(Default)]
struct Accumulator {
    entities: Counts,
    by_via: ViaCounts,
    relations: Counts,
    roles: RoleSummary,
    missed_entities: Vec<EntityItem>,
    spurious_entities: Vec<EntityItem>,
    missed_relations: Vec<RelationItem>,
    spurious_relations: Vec<RelationItem>,
    role_mismatches: Vec<RoleMismatch>,
}

struct DocContext<'a> {
    pipeline: &'a Pipeline,
    gold: &'a GoldDocument,
    doc: &'a Document,
    extraction: &'a Extraction,
}

/// A gold entity unit: one surface of one gold entity.
struct GoldSurface<'a> {
    text: &'a str,
    label: &'a Label,
    level: Level,
    key: &'a str,
}

/// A predicted entity unit: a distinct (text, type) of the document's mentions.
struct PredictedSurface<'a> {
    text: &'a str,
    entity_type: EntityType,
    /// The row it counts in when spurious.
    row: &'a str,
    entity: &'a str,
    /// Every mention of it is nested or coref: it counts when it matches, never as spurious.
    optional: bool,
    byte: usize,
    /// How its first mention that counts was found.
    via: Via,
}

/// A gold relation unit.
struct GoldLink<'a> {
    subject: &'a str,
    predicate: &'a str,
    object: &'a str,
    symmetric: bool,
    role: Option<&'a str>,
    level: Level,
    line: Option<usize>,
}

/// A predicted relation unit: a distinct (subject, predicate, object) of asserted, not
/// negated relations, symmetric ones with the smaller id first.
struct PredictedLink<'a> {
    subject: &'a str,
    predicate: &'a str,
    object: &'a str,
    symmetric: bool,
    roles: BTreeSet<&'a str>,
    sentence: usize,
}

impl<'a> DocContext<'a> {
    fn score_entities(&self, scope: &'a [Label], acc: &mut Accumulator) {
        let mut golds: Vec<GoldSurface<'a>> = Vec::new();
        for e in &self.gold.entities {
            for s in &e.surfaces {
                // Two entities sharing a surface and label are one unit, at the firmer level.
                match golds
                    .iter_mut()
                    .find(|g| g.text == s && g.label.name == e.label.name)
                {
                    Some(g) => g.level = g.level.min(e.level),
                    None => golds.push(GoldSurface {
                        text: s,
                        label: &e.label,
                        level: e.level,
                        key: &e.key,
                    }),
                }
            }
        }
        let mut preds: Vec<PredictedSurface<'a>> = Vec::new();
        for m in &self.extraction.mentions {
            let entity = self.pipeline.entity(self.extraction, m);
            let text = m.text(self.doc);
            let optional = m.nested || m.via == Via::Coref;
            if let Some(p) = preds
                .iter_mut()
                .find(|p| p.text == text && p.entity_type == entity.entity_type)
            {
                if p.optional && !optional {
                    p.via = m.via;
                }
                p.optional &= optional;
                continue;
            }
            // A type the gold does not annotate is neither right nor wrong.
            let Some(label) = scope.iter().find(|l| l.accepts(entity.entity_type)) else {
                continue;
            };
            preds.push(PredictedSurface {
                text,
                entity_type: entity.entity_type,
                row: &label.name,
                entity: &entity.id,
                optional,
                byte: m.byte_start,
                via: m.via,
            });
        }
        let adjacency: Vec<Vec<usize>> = golds
            .iter()
            .map(|g| {
                (0..preds.len())
                    .filter(|&p| preds[p].text == g.text && g.label.accepts(preds[p].entity_type))
                    .collect()
            })
            .collect();
        let levels: Vec<Level> = golds.iter().map(|g| g.level).collect();
        let matched = max_matching(&levels, &adjacency, preds.len());
        for (gi, g) in golds.iter().enumerate() {
            let must = g.level == Level::Must;
            if matched.contains(&Some(gi)) {
                acc.entities.add(&g.label.name, TP, must);
                continue;
            }
            acc.entities.add(&g.label.name, FN, must);
            acc.missed_entities.push(EntityItem {
                doc: self.doc.id.clone(),
                label: g.label.name.clone(),
                text: g.text.to_string(),
                level: Some(g.level),
                key: Some(g.key.to_string()),
                entity: None,
                sentence: self
                    .doc
                    .text
                    .find(g.text)
                    .and_then(|byte| self.sentence_at(byte)),
            });
        }
        for (pi, p) in preds.iter().enumerate() {
            if matched[pi].is_some() || !p.optional {
                acc.by_via.add(p.via, matched[pi].is_some());
            }
            if matched[pi].is_some() || p.optional {
                continue;
            }
            acc.entities.add(p.row, FP, true);
            acc.spurious_entities.push(EntityItem {
                doc: self.doc.id.clone(),
                label: p.row.to_string(),
                text: p.text.to_string(),
                level: None,
                key: None,
                entity: Some(p.entity.to_string()),
                sentence: self.sentence_at(p.byte),
            });
        }
    }

    /// The node ids each gold key stands for: the ids of the mentions whose text is one of
    /// its surfaces with an accepted type (every candidate of an ambiguous alias), plus
    /// `country:KEY` or `type:KEY` for gold keys that follow the gazetteer's ids.
    fn node_ids(&self) -> HashMap<&'a str, BTreeSet<String>> {
        let mut ids: HashMap<&str, BTreeSet<String>> = HashMap::new();
        let mut by_surface: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in self.gold.entities.iter().enumerate() {
            let set = ids.entry(e.key.as_str()).or_default();
            for t in &e.label.types {
                set.insert(format!("{}:{}", t.id_prefix(), e.key));
            }
            for s in &e.surfaces {
                by_surface.entry(s.as_str()).or_default().push(i);
            }
        }
        let gazetteer = self.pipeline.gazetteer();
        for m in &self.extraction.mentions {
            let Some(entities) = by_surface.get(m.text(self.doc)) else {
                continue;
            };
            let candidates = std::iter::once(m.entity).chain(self.extraction.candidates(m));
            for candidate in candidates {
                let found = self.extraction.entity(gazetteer, candidate);
                for &i in entities {
                    let e = &self.gold.entities[i];
                    if e.label.accepts(found.entity_type) {
                        ids.entry(e.key.as_str())
                            .or_default()
                            .insert(found.id.clone());
                    }
                }
            }
        }
        ids
    }

    fn score_relations(&self, acc: &mut Accumulator) {
        let ids = self.node_ids();
        let mut golds: Vec<GoldLink<'a>> = Vec::new();
        let predicates = self.pipeline.rules().predicates();
        for r in &self.gold.relations {
            let symmetric = r.symmetric || predicates.is_symmetric(&r.predicate);
            let same = |g: &GoldLink<'_>| {
                g.predicate == r.predicate
                    && ((g.subject == r.subject && g.object == r.object)
                        || (symmetric && g.subject == r.object && g.object == r.subject))
            };
            match golds.iter_mut().find(|g| same(g)) {
                Some(g) => g.level = g.level.min(r.level),
                None => golds.push(GoldLink {
                    subject: &r.subject,
                    predicate: &r.predicate,
                    object: &r.object,
                    symmetric,
                    role: r.role.as_deref(),
                    level: r.level,
                    line: r.line,
                }),
            }
        }
        let gazetteer = self.pipeline.gazetteer();
        let mut preds: Vec<PredictedLink<'a>> = Vec::new();
        for r in &self.extraction.relations {
            // Planned, hypothetical and negated events are not relations (guidelines), and
            // background facts (`part_of`) come from the gazetteer, not the text: the gold
            // leaves them out.
            let background = predicates.is_background(&r.predicate);
            if r.negated || r.modality != Modality::Asserted || background {
                continue;
            }
            let mut subject = self.extraction.entity(gazetteer, r.subject).id.as_str();
            let mut object = self.extraction.entity(gazetteer, r.object).id.as_str();
            if r.symmetric && object < subject {
                std::mem::swap(&mut subject, &mut object);
            }
            let predicate: &str = &r.predicate;
            let role = r.role.as_deref();
            match preds
                .iter_mut()
                .find(|p| p.subject == subject && p.predicate == predicate && p.object == object)
            {
                Some(p) => p.roles.extend(role),
                None => preds.push(PredictedLink {
                    subject,
                    predicate,
                    object,
                    symmetric: r.symmetric,
                    roles: role.into_iter().collect(),
                    sentence: r.sentence,
                }),
            }
        }
        let empty = BTreeSet::new();
        // A city stands for its country too: a visit to Tehran is a visit to Iran (the
        // guidelines' "a country (or a city of it)"); the relation keeps the city.
        let stands_for = |key: &str, id: &str| {
            let set = ids.get(key).unwrap_or(&empty);
            set.contains(id)
                || gazetteer.index_of(id).is_some_and(|i| {
                    let e = gazetteer.entity(i);
                    e.entity_type == EntityType::City && e.part_of.iter().any(|p| set.contains(p))
                })
        };
        let adjacency: Vec<Vec<usize>> = golds
            .iter()
            .map(|g| {
                (0..preds.len())
                    .filter(|&pi| {
                        let p = &preds[pi];
                        p.predicate == g.predicate
                            && ((stands_for(g.subject, p.subject)
                                && stands_for(g.object, p.object))
                                || ((g.symmetric || p.symmetric)
                                    && stands_for(g.subject, p.object)
                                    && stands_for(g.object, p.subject)))
                    })
                    .collect()
            })
            .collect();
        let levels: Vec<Level> = golds.iter().map(|g| g.level).collect();
        let matched = max_matching(&levels, &adjacency, preds.len());
        for (gi, g) in golds.iter().enumerate() {
            let must = g.level == Level::Must;
            if let Some(pi) = matched.iter().position(|m| *m == Some(gi)) {
                acc.relations.add(g.predicate, TP, must);
                let p = &preds[pi];
                if let Some(role) = g.role {
                    acc.roles.checked += 1;
                    if p.roles.iter().any(|r| r.eq_ignore_ascii_case(role.trim())) {
                        acc.roles.matched += 1;
                    } else {
                        acc.role_mismatches.push(RoleMismatch {
                            doc: self.doc.id.clone(),
                            subject: g.subject.to_string(),
                            predicate: g.predicate.to_string(),
                            object: g.object.to_string(),
                            gold: role.to_string(),
                            found: p.roles.iter().map(|r| r.to_string()).collect(),
                            line: g.line,
                            sentence: self.sentence(p.sentence),
                        });
                    }
                }
                continue;
            }
            acc.relations.add(g.predicate, FN, must);
            acc.missed_relations.push(RelationItem {
                doc: self.doc.id.clone(),
                subject: g.subject.to_string(),
                predicate: g.predicate.to_string(),
                object: g.object.to_string(),
                role: g.role.map(str::to_string),
                level: Some(g.level),
                line: g.line,
                sentence: g
                    .line
                    .and_then(|line| self.evidence(line, g.subject, g.object)),
            });
        }
        for (pi, p) in preds.iter().enumerate() {
            if matched[pi].is_some() {
                continue;
            }
            acc.relations.add(p.predicate, FP, true);
            acc.spurious_relations.push(RelationItem {
                doc: self.doc.id.clone(),
                subject: p.subject.to_string(),
                predicate: p.predicate.to_string(),
                object: p.object.to_string(),
                role: (!p.roles.is_empty())
                    .then(|| p.roles.iter().copied().collect::<Vec<_>>().join(" | ")),
                level: None,
                line: None,
                sentence: self.sentence(p.sentence),
            });
        }
    }

    fn sentence(&self, index: usize) -> Option<String> {
        let range = self.extraction.sentences.get(index)?;
        Some(self.doc.text[range.clone()].trim().to_string())
    }

    fn sentence_at(&self, byte: usize) -> Option<String> {
        let i = self.extraction.sentences.partition_point(|s| s.end <= byte);
        self.sentence(i)
    }

    /// The sentence of gold `line` (1-based) that holds the evidence: the first one with a
    /// surface of both arguments, else of either, else the whole line.
    fn evidence(&self, line: usize, subject: &str, object: &str) -> Option<String> {
        let range = line_range(&self.doc.text, line)?;
        let surfaces = |key: &str| -> Vec<&str> {
            self.gold
                .entity(key)
                .map(|e| e.surfaces.iter().map(String::as_str).collect())
                .unwrap_or_default()
        };
        let (subject, object) = (surfaces(subject), surfaces(object));
        let sentences: Vec<&str> = self
            .extraction
            .sentences
            .iter()
            .filter(|s| s.start < range.end && range.start < s.end)
            .map(|s| self.doc.text[s.clone()].trim())
            .collect();
        let has = |s: &str, surfaces: &[&str]| surfaces.iter().any(|x| s.contains(x));
        sentences
            .iter()
            .find(|s| has(s, &subject) && has(s, &object))
            .or_else(|| {
                sentences
                    .iter()
                    .find(|s| has(s, &subject) || has(s, &object))
            })
            .map(|s| s.to_string())
            .or_else(|| Some(self.doc.text[range].trim().to_string()))
    }
}

/// The byte range of 1-based line `line` of `text`, without its line break.
fn line_range(text: &str, line: usize) -> Option<Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            return Some(start..start + l.trim_end_matches('\r').len());
        }
        start += l.len() + 1;
    }
    None
}

/// A maximum matching of gold items to compatible predictions (`adjacency[g]` lists the
/// predictions gold item `g` accepts), `must` items first so that no `should` item takes a
/// prediction a `must` item could have had. Returns the gold item of each prediction.
///
/// Kuhn's augmenting paths: an augmentation never unmatches a gold item, so the `must`
/// items matched in the first pass stay matched.
fn max_matching(
    levels: &[Level],
    adjacency: &[Vec<usize>],
    predictions: usize,
) -> Vec<Option<usize>> {
    fn augment(
        g: usize,
        adjacency: &[Vec<usize>],
        visited: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &p in &adjacency[g] {
            if visited[p] {
                continue;
            }
            visited[p] = true;
            let free = match owner[p] {
                None => true,
                Some(other) => augment(other, adjacency, visited, owner),
            };
            if free {
                owner[p] = Some(g);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; predictions];
    for level in [Level::Must, Level::Should] {
        for g in (0..adjacency.len()).filter(|&g| levels[g] == level) {
            let mut visited = vec![false; predictions];
            augment(g, adjacency, &mut visited, &mut owner);
        }
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::gold::{GoldEntity, GoldRelation};

    fn entity(key: &str, t: EntityType, surfaces: &[&str], level: Level) -> GoldEntity {
        GoldEntity {
            key: key.into(),
            label: Label::of_type(t),
            name_en: None,
            surfaces: surfaces.iter().map(|s| s.to_string()).collect(),
            level,
            why: None,
        }
    }

    fn relation(s: &str, p: &str, o: &str, role: Option<&str>, level: Level) -> GoldRelation {
        GoldRelation {
            subject: s.into(),
            predicate: p.into(),
            object: o.into(),
            role: role.map(str::to_string),
            symmetric: false,
            level,
            line: Some(1),
            why: None,
        }
    }

    fn gold(entities: Vec<GoldEntity>, relations: Vec<GoldRelation>) -> GoldDocument {
        GoldDocument {
            doc: "d".into(),
            text_file: None,
            lang: None,
            published: None,
            text: None,
            entities,
            relations,
            format: GoldFormat::Json,
            source: "d.json".into(),
        }
    }

    fn counts(t: &Table) -> Vec<(&str, usize, usize, usize)> {
        t.rows
            .iter()
            .chain([&t.total])
            .map(|r| (r.name.as_str(), r.tp, r.fp, r.fn_))
            .collect()
    }

    const TEXT: &str = "شی جین پینگ، رئیس جمهور چین و دبیرکل حزب کمونیست چین با میگل دیاز-کانل رئیس جمهور کوبا در پکن دیدار و گفتگو کرد.";

    fn pipeline() -> Pipeline {
        Pipeline::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn symmetric_relations_match_in_either_order() {
        use EntityType::{Country, Person};
        let entities = || {
            vec![
                entity("xi-jinping", Person, &["شی جین پینگ"], Level::Must),
                entity(
                    "miguel-diaz-canel",
                    Person,
                    &["میگل دیاز-کانل"],
                    Level::Must,
                ),
                entity("CN", Country, &["چین"], Level::Must),
            ]
        };
        // (gold relation, expected relations.all counts for its predicate)
        let cases = [
            (
                relation(
                    "xi-jinping",
                    "met_with",
                    "miguel-diaz-canel",
                    None,
                    Level::Must,
                ),
                (1, 0),
            ),
            (
                relation(
                    "miguel-diaz-canel",
                    "met_with",
                    "xi-jinping",
                    None,
                    Level::Must,
                ),
                (1, 0),
            ),
            // Directed: the reverse is a different relation.
            (
                relation(
                    "CN",
                    "holds_office",
                    "xi-jinping",
                    Some("President"),
                    Level::Must,
                ),
                (0, 1),
            ),
        ];
        let p = pipeline();
        let doc = Document::new("d", TEXT);
        for (rel, (tp, fn_)) in cases {
            let predicate = rel.predicate.clone();
            let report = evaluate(
                &p,
                &[gold(entities(), vec![rel])],
                std::slice::from_ref(&doc),
            );
            let all = &report
                .relations
                .as_ref()
                .unwrap_or_else(|| panic!("relations"))
                .all;
            let row = all
                .row(&predicate)
                .unwrap_or_else(|| panic!("{predicate} row"));
            assert_eq!((row.tp, row.fn_), (tp, fn_), "{predicate}");
        }
    }

    #[test]
    fn should_items_count_only_in_the_all_table() {
        use EntityType::{Country, Party, Person};
        let g = gold(
            vec![
                entity("xi-jinping", Person, &["شی جین پینگ"], Level::Must),
                entity(
                    "miguel-diaz-canel",
                    Person,
                    &["میگل دیاز-کانل"],
                    Level::Should,
                ),
                entity("CU", Country, &["کوبا"], Level::Should),
                entity("CN", Country, &["چین"], Level::Must),
                entity("beijing", EntityType::City, &["پکن"], Level::Must),
                entity("cpc", Party, &["حزب کمونیست چین"], Level::Must),
            ],
            vec![
                relation(
                    "xi-jinping",
                    "met_with",
                    "miguel-diaz-canel",
                    None,
                    Level::Should,
                ),
                relation(
                    "xi-jinping",
                    "holds_office",
                    "CN",
                    Some("President"),
                    Level::Must,
                ),
            ],
        );
        let report = evaluate(&pipeline(), &[g], &[Document::new("d", TEXT)]);
        // Díaz-Canel and Cuba match `should` units: left out of `must`, true positives in
        // `all`.
        assert_eq!(
            counts(&report.entities.must),
            [
                ("PERSON", 1, 0, 0),
                ("PARTY", 1, 0, 0),
                ("COUNTRY", 1, 0, 0),
                ("CITY", 1, 0, 0),
                ("total", 4, 0, 0)
            ]
        );
        assert_eq!(
            counts(&report.entities.all),
            [
                ("PERSON", 2, 0, 0),
                ("PARTY", 1, 0, 0),
                ("COUNTRY", 2, 0, 0),
                ("CITY", 1, 0, 0),
                ("total", 6, 0, 0)
            ]
        );
        let relations = report.relations.unwrap_or_else(|| panic!("relations"));
        let must = counts(&relations.must);
        assert!(!must.iter().any(|r| r.0 == "met_with"), "{must:?}");
        assert_eq!(relations.all.row("met_with").map(|r| r.tp), Some(1));
        assert_eq!(report.missed_entities.len(), 0);
    }

    #[test]
    fn precision_is_given_per_via() {
        use EntityType::{Country, Organization};
        // «ارتش سوریه» is composed (annotated), «دولت ژاپن» composed (not annotated), «چین»
        // from the gazetteer (annotated), the nested countries optional.
        let text = "ارتش سوریه و دولت ژاپن و چین";
        let report = evaluate(
            &pipeline(),
            &[gold(
                vec![
                    entity("army-sy", Organization, &["ارتش سوریه"], Level::Must),
                    entity("CN", Country, &["چین"], Level::Must),
                    entity("SY", Country, &["سوریه"], Level::Should),
                ],
                Vec::new(),
            )],
            &[Document::new("d", text)],
        );
        let rows: Vec<(&str, usize, usize)> = report
            .entities_by_via
            .iter()
            .map(|r| (r.via.as_str(), r.predicted, r.correct))
            .collect();
        assert_eq!(rows, [("gazetteer", 2, 2), ("composed", 2, 1)]);
    }

    #[test]
    fn nested_mentions_are_not_spurious_but_count_when_annotated() {
        use EntityType::{Country, Person};
        let base = [
            entity("xi-jinping", Person, &["شی جین پینگ"], Level::Must),
            entity(
                "miguel-diaz-canel",
                Person,
                &["میگل دیاز-کانل"],
                Level::Must,
            ),
            entity("CN", Country, &["چین"], Level::Must),
            entity("CU", Country, &["کوبا"], Level::Must),
        ];
        let text = "حزب کمونیست چین و کوبا";
        // Without the party in the gold, the party is spurious, and «چین», nested in it,
        // matches its gold unit.
        let report = evaluate(
            &pipeline(),
            &[gold(base[2..].to_vec(), Vec::new())],
            &[Document::new("d", text)],
        );
        assert_eq!(
            counts(&report.entities.all),
            [("PARTY", 0, 1, 0), ("COUNTRY", 2, 0, 0), ("total", 2, 1, 0)]
        );
        // With only Cuba annotated, the nested «چین» is neither right nor wrong.
        let report = evaluate(
            &pipeline(),
            &[gold(vec![base[3].clone()], Vec::new())],
            &[Document::new("d", text)],
        );
        assert_eq!(
            counts(&report.entities.all),
            [("PARTY", 0, 1, 0), ("COUNTRY", 1, 0, 0), ("total", 1, 1, 0)]
        );
        let spurious: Vec<&str> = report
            .spurious_entities
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(spurious, ["حزب کمونیست چین"]);
    }

    #[test]
    fn roles_are_checked_beside_identity() {
        use EntityType::{Country, Person};
        let g = |role: &str| {
            gold(
                vec![
                    entity("xi-jinping", Person, &["شی جین پینگ"], Level::Must),
                    entity("CN", Country, &["چین"], Level::Must),
                ],
                vec![relation(
                    "xi-jinping",
                    "holds_office",
                    "CN",
                    Some(role),
                    Level::Must,
                )],
            )
        };
        let doc = Document::new("d", TEXT);
        for (role, mismatches) in [("President", 0), ("president", 0), ("Premier", 1)] {
            let report = evaluate(&pipeline(), &[g(role)], std::slice::from_ref(&doc));
            let rel = report
                .relations
                .as_ref()
                .unwrap_or_else(|| panic!("relations"));
            assert_eq!(rel.all.row("holds_office").map(|r| r.tp), Some(1), "{role}");
            assert_eq!(report.roles.checked, 1);
            assert_eq!(report.role_mismatches.len(), mismatches, "{role}");
            if let Some(m) = report.role_mismatches.first() {
                assert_eq!(m.gold, "Premier");
                assert!(m.found.contains(&"President".to_string()), "{m:?}");
            }
        }
    }

    #[test]
    fn missing_documents_are_listed_not_scored() {
        let g = gold(
            vec![entity("CN", EntityType::Country, &["چین"], Level::Must)],
            Vec::new(),
        );
        let report = evaluate(&pipeline(), &[g], &[Document::new("other", "چین")]);
        assert_eq!(report.missing_documents, ["d"]);
        assert_eq!(report.documents, 0);
        assert_eq!(
            report.entities.all.total.tp + report.entities.all.total.fn_,
            0
        );
    }

    #[test]
    fn brat_sets_score_only_their_labels() {
        let map = crate::eval::TypeMap::parse("PER=PERSON").unwrap_or_default();
        let text = "شی جین پینگ در چین";
        let g = crate::eval::brat::parse(
            std::path::Path::new("d.ann"),
            "T1\tPER 0 11\tشی جین پینگ\n",
            "d",
            text,
            &map,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let report = evaluate(&pipeline(), &[g], &[]);
        // China is a COUNTRY, which this file does not annotate; no R lines, no relations.
        assert_eq!(
            counts(&report.entities.all),
            [("PER", 1, 0, 0), ("total", 1, 0, 0)]
        );
        assert!(report.relations.is_none());
    }

    #[test]
    fn matching_keeps_must_items_matched() {
        // Prediction 0 fits both; prediction 1 only the must item. A greedy pass would give
        // prediction 0 to whichever comes first; the matching gives each its own.
        let levels = [Level::Should, Level::Must];
        let adjacency = vec![vec![0], vec![0, 1]];
        assert_eq!(max_matching(&levels, &adjacency, 2), [Some(0), Some(1)]);
        let adjacency = vec![vec![0], vec![0]];
        assert_eq!(max_matching(&levels, &adjacency, 1), [Some(1)]);
    }

    #[test]
    fn rows_give_ratios() {
        let cases = [
            ((2, 1, 1), (2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0)),
            ((0, 0, 3), (0.0, 0.0, 0.0)),
            ((0, 2, 0), (0.0, 0.0, 0.0)),
            ((4, 0, 0), (1.0, 1.0, 1.0)),
        ];
        for ((tp, fp, fn_), (p, r, f)) in cases {
            let row = Row::new("x", tp, fp, fn_);
            assert_eq!(
                (row.precision, row.recall, row.f1),
                (p, r, f),
                "{tp} {fp} {fn_}"
            );
        }
    }

    #[test]
    fn line_ranges() {
        let text = "a\r\nbc\n\nd";
        let got: Vec<Option<&str>> = (1..=5)
            .map(|l| line_range(text, l).map(|r| &text[r]))
            .collect();
        assert_eq!(got, [Some("a"), Some("bc"), Some(""), Some("d"), None]);
    }
}
