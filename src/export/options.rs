//! Which edges the graph files hold: `--background` and `--min-weight`.

use std::borrow::Cow;

use crate::graph::{Edge, KnowledgeGraph};

/// What to do with background edges (the gazetteer's `part_of` facts, not found in text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Background {
    /// In every graph file, flagged `background`, and drawn in the pictures (`graph.svg`
    /// draws them dashed; `graph.html` shows them from the start).
    Include,
    /// In no graph file (the nodes only they brought in go too).
    Omit,
    /// The default: in the data files (`nodes.csv`, `edges.csv`, `graph.graphml`,
    /// `graph.dot`, `graph.gexf`, `graph.ttl`), flagged `background` so that an analysis can
    /// leave them out, but not in the pictures: `graph.svg` leaves them out and `graph.html`
    /// hides them until they are switched on.
    #[default]
    Separate,
}

impl Background {
    /// The names [`Background::parse`] accepts, in the order of the variants.
    pub const NAMES: [&'static str; 3] = ["include", "omit", "separate"];

    /// The choice called `name`, or `None`.
    pub fn parse(name: &str) -> Option<Background> {
        match name {
            "include" => Some(Background::Include),
            "omit" => Some(Background::Omit),
            "separate" => Some(Background::Separate),
            _ => None,
        }
    }

    /// The name [`Background::parse`] accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            Background::Include => "include",
            Background::Omit => "omit",
            Background::Separate => "separate",
        }
    }
}

/// Which edges go into the graph files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GraphOptions {
    /// Background edges: see [`Background`].
    pub background: Background,
    /// Edges found in text with fewer supporting relations than this are left out of every
    /// graph file (background edges, of weight 0, are governed by `background` alone). The
    /// default, 1, keeps every edge.
    pub min_weight: u64,
}

impl Default for GraphOptions {
    fn default() -> GraphOptions {
        GraphOptions {
            background: Background::default(),
            min_weight: 1,
        }
    }
}

impl GraphOptions {
    fn keeps(&self, edge: &Edge, picture: bool) -> bool {
        if edge.data.background {
            match self.background {
                Background::Include => true,
                Background::Omit => false,
                Background::Separate => !picture,
            }
        } else {
            edge.data.weight >= self.min_weight
        }
    }

    /// The graph of the data files: the whole graph with the default options (the same
    /// value, not a copy), else the edges these options keep.
    pub fn data<'g>(&self, graph: &'g KnowledgeGraph) -> Cow<'g, KnowledgeGraph> {
        if graph.edges().all(|e| self.keeps(e, false)) {
            Cow::Borrowed(graph)
        } else {
            Cow::Owned(graph.filtered(|e| self.keeps(e, false)))
        }
    }

    /// The graph of `graph.svg`: as [`GraphOptions::data`], without background edges unless
    /// they are included.
    pub fn picture(&self, graph: &KnowledgeGraph) -> KnowledgeGraph {
        graph.filtered(|e| self.keeps(e, true))
    }

    /// Whether `graph.html` shows background edges when it opens.
    pub fn show_background(&self) -> bool {
        self.background == Background::Include
    }
}
