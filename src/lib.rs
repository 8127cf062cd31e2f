/*!
newsgraph reads news text (Persian first, English too), finds the people, parties, countries,
cities, organizations and initiatives named in it with gazetteers, infers the relations
between them with a rule layer ("X met with Y", "X and Y signed", "X supports the Belt and
Road Initiative"), and builds a knowledge graph of the whole corpus. Every mention and every
piece of evidence has exact offsets into the original text.

# Overview

A document flows through named stages, each a private module with a typed hand-off:

1. **normalize** and **segment** (`text`): a skeleton of the text for matching, with a map
   back to the original, and its sentences;
2. **scan**: one Aho-Corasick pass finds every occurrence of every entity alias and rule
   phrase, reported in two groups;
3. **select**: boundaries, attached suffixes, separators, overlap and nesting;
4. **resolve**: the only writer of [`Mention`]s: the nesting policy, short forms, ambiguous
   aliases, pronouns, «دو طرف» and titles without a name;
5. **relate**: the rules of [`RuleSet`] turn the mentions of each sentence into
   [`Relation`]s;
6. **graph**: per-document [`GraphPart`]s merge into one [`KnowledgeGraph`];
7. **export**: JSONL, CSV, GraphML and DOT files ([`export`]).

The primary types are:

- [`Pipeline`]: the compiled gazetteers and rules. Build it once, share it across threads;
  it is `Send + Sync`.
- [`Document`]: one input text with its id and optional publication date and language.
- [`Extraction`]: what a pipeline found in one document: sentences, [`Mention`]s and
  [`Relation`]s.
- [`Gazetteer`] and [`RuleSet`]: the entities and the rules, loaded and validated from the
  files under `gazetteers/` (embedded in the binary by default); [`DataError`] names the
  `file:line` of every bad row.

Matching never changes the text it reports: it runs on a normalized copy (see [`text`]) that
folds Arabic and Persian letter forms, diacritics, tatweel, digits, case, and the ZWNJ, space
or nothing that Persian writers put between the parts of a word; every mention maps back to
the original text in code points and bytes.

# Example

```
use newsgraph::{Document, Pipeline};

let pipeline = Pipeline::embedded()?;
// Arabic yeh and kaf, a missing ZWNJ, and a final copula: still China and Cuba.
let doc = Document::new("d1", "روابط بينالمللي چين و كوباست.");
let extraction = pipeline.extract(&doc);

let found: Vec<(&str, &str)> = extraction
    .mentions
    .iter()
    .map(|m| (m.text(&doc), pipeline.entity(&extraction, m).id.as_str()))
    .collect();
assert_eq!(found, [("چين", "country:CN"), ("كوبا", "country:CU")]);
assert!(extraction.relations.is_empty());

// Offsets point into the original text, in code points and in bytes.
let cuba = &extraction.mentions[1];
assert_eq!(doc.text.chars().skip(cuba.start).take(cuba.end - cuba.start).collect::<String>(), "كوبا");
assert_eq!(&doc.text[cuba.byte_start..cuba.byte_end], "كوبا");
# Ok::<(), newsgraph::Error>(())
```

Relations come with their rule and evidence, and the graph merges them across documents:

```
use newsgraph::{Document, GraphPart, KnowledgeGraph, Pipeline};

let pipeline = Pipeline::embedded()?;
let doc = Document::new("d3", "شی جین پینگ با میگل دیاز-کانل دیدار و گفتگو کرد.");
let extraction = pipeline.extract(&doc);
let relations: Vec<(&str, &str, &str)> = extraction
    .relations
    .iter()
    .map(|r| {
        let g = pipeline.gazetteer();
        (g.entity(r.subject).id.as_str(), &*r.predicate, g.entity(r.object).id.as_str())
    })
    .collect();
assert_eq!(relations, [("person:xi-jinping", "met_with", "person:miguel-diaz-canel")]);
assert_eq!(extraction.relations[0].rule.as_ref(), "fa.met_with");

let part = GraphPart::from_document(pipeline.gazetteer(), &doc, &extraction);
let graph = KnowledgeGraph::build(part, pipeline.gazetteer(), pipeline.rules().predicates());
let met = graph.edges().find(|e| e.key.relation == "met_with");
assert!(met.is_some_and(|e| !e.data.directed && e.data.weight == 1));
# Ok::<(), newsgraph::Error>(())
```

Words that merely contain an alias are not mentions, and demonyms are adjectives, not the
country:

```
use newsgraph::{Document, Pipeline};

let pipeline = Pipeline::embedded()?;
let doc = Document::new("d2", "پیشبرد مدرنیزاسیون به سبک چینی");
assert!(pipeline.extract(&doc).mentions.is_empty());
# Ok::<(), newsgraph::Error>(())
```
*/

#![deny(missing_docs)]

mod cache;
mod check;
mod discover;
mod doc;
mod doclists;
mod gazetteer;
mod graph;
mod ops;
mod pipeline;
mod relate;
mod resolve;
mod scan;
mod select;
mod trace;
mod walk;

pub mod corpus;
pub mod eval;
pub mod explain;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod partial;
pub mod text;

#[cfg(test)]
mod tests;

pub use cache::{CacheError, CacheUse, CompiledCache};
pub use check::{lint, run_cases, Case, CaseFailure, CaseReport, Expect, Finding};
pub use doc::{Document, Entities, Extraction, Mention, Modality, Relation, Via};
pub use gazetteer::{
    import_wikidata, is_alpha2, skipped_patterns, Alias, AliasKind, Argument, Composition,
    DataError, DataFiles, Discovery, DiscoveryPattern, DumpSource, Entity, EntityIndex, EntityType,
    Gazetteer, GazetteerBuilder, Head, ImportError, ImportEvent, ImportOptions, ImportSummary,
    Office, Origin, Predicate, Predicates, RowError, Rule, RuleSet, RuleSpecs, SuffixMention,
    Title, DEFAULT_MAX_LINE_BYTES, TYPES_FILE,
};
pub use graph::{
    DocId, DocumentInfo, Edge, EdgeData, EdgeKey, GraphPart, KnowledgeGraph, Node, NodeData,
    Snippet,
};
pub use pipeline::{thread_cpu_seconds, Error, Pipeline, Scratch, Stage, StageTimes};
pub use scan::AutomatonError;
