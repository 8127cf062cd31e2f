//! The graph is the merge of per-document parts, and that merge is associative and
//! commutative: any partition of the corpus, merged in any order, gives the same graph.

use std::path::Path;
use std::sync::OnceLock;

use newsgraph::input::{expand, Reader, DEFAULT_MAX_DOCUMENT_BYTES};
use newsgraph::Pipeline;
use newsgraph::{GraphPart, KnowledgeGraph};
use proptest::prelude::*;

fn parts() -> &'static (Pipeline, Vec<GraphPart>) {
    static PARTS: OnceLock<(Pipeline, Vec<GraphPart>)> = OnceLock::new();
    PARTS.get_or_init(|| {
        let pipeline = Pipeline::embedded().expect("bundled data");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let sources = expand(&[corpus]).expect("corpus");
        let parts = Reader::new(sources, DEFAULT_MAX_DOCUMENT_BYTES)
            .map(|loaded| {
                let doc = loaded.result.expect("bundled documents are valid");
                let extraction = pipeline.extract(&doc);
                GraphPart::from_document(pipeline.gazetteer(), &doc, &extraction)
            })
            .collect();
        (pipeline, parts)
    })
}

fn merge_all(parts: impl IntoIterator<Item = GraphPart>) -> GraphPart {
    let mut total = GraphPart::default();
    for part in parts {
        total.merge(part);
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_partition_in_any_order_gives_the_same_graph(
        // More indexes than the corpus has documents: those past its end are dropped below.
        order in Just((0..128usize).collect::<Vec<_>>()).prop_shuffle(),
        cuts in prop::collection::vec(0..128usize, 0..6),
        group_order_seed in any::<u64>(),
    ) {
        let (pipeline, parts) = parts();
        assert!(parts.len() <= 128, "the corpus outgrew the generator");
        let sequential = merge_all(parts.iter().cloned());
        // Split the shuffled documents into groups at the cut points, merge each group, then
        // merge the groups in a shuffled order.
        let order: Vec<usize> = order.into_iter().filter(|&i| i < parts.len()).collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (order.len() + 1)).collect();
        cuts.push(0);
        cuts.push(order.len());
        cuts.sort_unstable();
        cuts.dedup();
        let mut groups: Vec<GraphPart> = cuts
            .windows(2)
            .map(|w| merge_all(order[w[0]..w[1]].iter().map(|&i| parts[i].clone())))
            .collect();
        let n = groups.len();
        for i in 0..n {
            let j = (group_order_seed as usize).wrapping_add(i * 7) % n;
            groups.swap(i, j);
        }
        let regrouped = merge_all(groups);
        prop_assert!(regrouped == sequential);
        // And the finished graph is the same node for node, edge for edge.
        let a = KnowledgeGraph::build(regrouped, pipeline.gazetteer(), pipeline.rules().predicates());
        let b = KnowledgeGraph::build(sequential, pipeline.gazetteer(), pipeline.rules().predicates());
        prop_assert!(a.nodes().eq(b.nodes()));
        prop_assert!(a.edges().eq(b.edges()));
    }
}

#[test]
fn seed_graph_has_the_meeting_once_and_background_facts() {
    let (pipeline, parts) = parts();
    let graph = KnowledgeGraph::build(
        merge_all(parts.iter().cloned()),
        pipeline.gazetteer(),
        pipeline.rules().predicates(),
    );
    let met: Vec<_> = graph
        .edges()
        .filter(|e| e.key.relation == "met_with" && e.key.source == "person:miguel-diaz-canel")
        .collect();
    assert_eq!(
        met.len(),
        1,
        "symmetric edges are stored once, smaller id first"
    );
    assert_eq!(met[0].key.target, "person:xi-jinping");
    assert!(!met[0].data.directed);
    assert!(
        met[0].data.weight >= 2,
        "the seed and the English article both report it"
    );
    let part_of = graph
        .edges()
        .find(|e| e.key.source == "country:CU" && e.key.relation == "part_of")
        .expect("Cuba is part of a region, from the gazetteer");
    assert!(part_of.data.background && part_of.data.directed);
}

#[test]
fn negated_and_planned_relations_are_not_edges() {
    let (pipeline, _) = parts();
    for text in [
        "پوتین با اردوغان دیدار نکرد.",
        "پوتین هفته آینده با اردوغان دیدار خواهد کرد.",
        "قرار است پوتین با اردوغان دیدار کند.",
    ] {
        let doc = newsgraph::Document::new("d", text);
        let extraction = pipeline.extract(&doc);
        assert_eq!(
            extraction.relations.len(),
            1,
            "{text}: the relation is found"
        );
        let part = GraphPart::from_document(pipeline.gazetteer(), &doc, &extraction);
        assert!(part.edges.is_empty(), "{text}: but it is no edge");
    }
}
