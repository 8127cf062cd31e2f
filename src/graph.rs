//! The knowledge graph: one node per entity across all documents, one edge per distinct
//! (subject, predicate, object, role).
//!
//! Per-document results become a [`GraphPart`], and parts are combined with
//! [`GraphPart::merge`]. The merge is associative and commutative (sums, set unions, minimum
//! and maximum dates over ordered maps), so any partition of a corpus merged in any order gives
//! the same part, and the same bytes out: this is what lets threads on one machine, or a
//! reduce step elsewhere, build the graph. [`KnowledgeGraph::build`] turns a finished part into
//! a petgraph graph in a fixed order, adding the gazetteer's background `part_of` facts.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::doc::{Document, Extraction, Relation};
use crate::gazetteer::{Entity, Gazetteer, Predicates};

/// What is known of one entity in a part of the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeData {
    /// Display label (the Persian name, else the English one).
    pub label: String,
    /// Entity type, e.g. `PERSON`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// English name.
    pub name_en: String,
    /// Persian name.
    pub name_fa: String,
    /// Wikidata QID, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Mentions counted (nested mentions included).
    pub mentions: u64,
    /// Ids of the documents that mention it.
    pub documents: BTreeSet<String>,
}

/// The identity of an edge. Symmetric predicates have `source <= target`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeKey {
    /// Subject node id.
    pub source: String,
    /// Object node id.
    pub target: String,
    /// Predicate.
    pub relation: String,
    /// The role of a `holds_office` edge; empty otherwise.
    pub role: String,
}

impl EdgeKey {
    /// The key of an edge; `role` is empty except for `holds_office`. The caller orders the
    /// ends of a symmetric edge (smaller id first).
    pub fn new(source: &str, target: &str, relation: &str, role: &str) -> EdgeKey {
        EdgeKey {
            source: source.to_string(),
            target: target.to_string(),
            relation: relation.to_string(),
            role: role.to_string(),
        }
    }
}

/// What is known of one edge in a part of the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeData {
    /// False for symmetric predicates.
    pub directed: bool,
    /// True for facts from the gazetteer rather than from text.
    pub background: bool,
    /// Number of supporting relations.
    pub weight: u64,
    /// Ids of the documents the relations were found in.
    pub documents: BTreeSet<String>,
    /// Earliest and latest publication dates of those documents, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    /// See `first_published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_published: Option<String>,
}

/// The mergeable graph of some documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphPart {
    /// Nodes by id.
    pub nodes: BTreeMap<String, NodeData>,
    /// Edges by identity.
    pub edges: BTreeMap<EdgeKey, EdgeData>,
}

fn node_data(entity: &Entity) -> NodeData {
    NodeData {
        label: entity.label().to_string(),
        entity_type: entity.entity_type.as_str().to_string(),
        name_en: entity.name_en.clone(),
        name_fa: entity.name_fa.clone(),
        wikidata: entity.wikidata.clone(),
        mentions: 0,
        documents: BTreeSet::new(),
    }
}

fn merge_date(
    slot: &mut Option<String>,
    date: &Option<String>,
    keep: fn(&String, &String) -> bool,
) {
    if let Some(date) = date {
        match slot {
            Some(current) if !keep(date, current) => {}
            _ => *slot = Some(date.clone()),
        }
    }
}

impl GraphPart {
    /// Whether a relation belongs in the graph: asserted and not negated. Planned and
    /// hypothetical relations stay in `relations.jsonl` only.
    pub fn admits(relation: &Relation) -> bool {
        relation.is_fact()
    }

    /// The part of one document.
    pub fn from_document(
        gazetteer: &Gazetteer,
        doc: &Document,
        extraction: &Extraction,
    ) -> GraphPart {
        let mut part = GraphPart::default();
        for m in &extraction.mentions {
            let entity = gazetteer.entity(m.entity);
            let node = part
                .nodes
                .entry(entity.id.clone())
                .or_insert_with(|| node_data(entity));
            node.mentions += 1;
            node.documents.insert(doc.id.clone());
        }
        for relation in extraction.relations.iter().filter(|r| GraphPart::admits(r)) {
            let subject = gazetteer.entity(relation.subject);
            let object = gazetteer.entity(relation.object);
            for entity in [subject, object] {
                let node = part
                    .nodes
                    .entry(entity.id.clone())
                    .or_insert_with(|| node_data(entity));
                node.documents.insert(doc.id.clone());
            }
            let (source, target) = if relation.symmetric && object.id < subject.id {
                (&object.id, &subject.id)
            } else {
                (&subject.id, &object.id)
            };
            let key = EdgeKey::new(
                source,
                target,
                &relation.predicate,
                relation.role.as_deref().unwrap_or_default(),
            );
            let edge = part.edges.entry(key).or_insert_with(|| EdgeData {
                directed: !relation.symmetric,
                ..EdgeData::default()
            });
            edge.weight += 1;
            edge.documents.insert(doc.id.clone());
            merge_date(&mut edge.first_published, &doc.published, |a, b| a < b);
            merge_date(&mut edge.last_published, &doc.published, |a, b| a > b);
        }
        part
    }

    /// Adds `other` into `self`. Associative and commutative.
    pub fn merge(&mut self, other: GraphPart) {
        for (id, data) in other.nodes {
            match self.nodes.get_mut(&id) {
                Some(node) => {
                    node.mentions += data.mentions;
                    node.documents.extend(data.documents);
                }
                None => {
                    self.nodes.insert(id, data);
                }
            }
        }
        for (key, data) in other.edges {
            match self.edges.get_mut(&key) {
                Some(edge) => {
                    edge.weight += data.weight;
                    edge.documents.extend(data.documents);
                    merge_date(&mut edge.first_published, &data.first_published, |a, b| {
                        a < b
                    });
                    merge_date(&mut edge.last_published, &data.last_published, |a, b| a > b);
                }
                None => {
                    self.edges.insert(key, data);
                }
            }
        }
    }
}

/// A node of the finished graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Node id (`country:CN`, `person:xi-jinping`).
    pub id: String,
    /// Everything known of it.
    pub data: NodeData,
}

/// An edge of the finished graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Its identity.
    pub key: EdgeKey,
    /// Everything known of it.
    pub data: EdgeData,
}

/// The finished knowledge graph: nodes sorted by id, edges sorted by (source, target,
/// relation, role); symmetric edges stored once, with `directed` false.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
}

impl KnowledgeGraph {
    /// Builds the graph of `part`, adding a background edge (the background predicate of
    /// `predicates`, `part_of`) and its target node for every node whose gazetteer entity is
    /// part of another entity.
    pub fn build(
        mut part: GraphPart,
        gazetteer: &Gazetteer,
        predicates: &Predicates,
    ) -> KnowledgeGraph {
        let background = predicates.background().map(|p| p.name.as_str());
        let mentioned: Vec<String> = part.nodes.keys().cloned().collect();
        for id in mentioned {
            let (Some(entity), Some(background)) = (gazetteer.get(&id), background) else {
                continue;
            };
            for parent_id in &entity.part_of {
                let Some(parent) = gazetteer.get(parent_id) else {
                    continue;
                };
                part.nodes
                    .entry(parent.id.clone())
                    .or_insert_with(|| node_data(parent));
                part.edges
                    .entry(EdgeKey::new(&entity.id, &parent.id, background, ""))
                    .or_insert_with(|| EdgeData {
                        directed: true,
                        background: true,
                        ..EdgeData::default()
                    });
            }
        }
        let mut graph = DiGraph::with_capacity(part.nodes.len(), part.edges.len());
        let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for (id, data) in part.nodes {
            let i = graph.add_node(Node {
                id: id.clone(),
                data,
            });
            index.insert(id, i);
        }
        for (key, data) in part.edges {
            let (Some(&s), Some(&t)) = (index.get(&key.source), index.get(&key.target)) else {
                continue;
            };
            graph.add_edge(s, t, Edge { key, data });
        }
        KnowledgeGraph { graph }
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Edges in key order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.graph.edge_weights()
    }
}
