//! The document ids of a corpus graph's lists, held compactly while a run goes on.
//!
//! Each node and edge keeps the first [`DOCUMENT_IDS`] ids of its documents (in id order), and
//! the graph the infos of the documents those lists cite. As the corpus grows, the lists
//! fill up to their bound and the cited documents grow with them (86,000 list entries and
//! 14,000 documents for 50 MB of news, 570,000 and 135,000 for 500 MB): held as sets of
//! shared strings and a map of infos, that was most of what a run's memory grew by. Here a
//! cited document is one record in one byte arena (its id, date and language, about 30
//! bytes), a list is a vector of record offsets, and the exports read the lists and infos from
//! here ([`DocumentLists`]) rather than from sets rebuilt in the graph, which at the end of a
//! run would be a second, larger copy. The lists and infos read are those
//! [`GraphPart::merge`] would have built from the same parts: the first ids of the union, and
//! of two infos for one id the smaller.

use rustc_hash::FxHashMap;

use crate::graph::{
    DocId, DocumentInfo, DocumentLists, DocumentRef, EdgeKey, GraphPart, DOCUMENT_IDS,
};

// Samples are the first mentions in document order, so they cite documents among the first
// of a list: pruning by the lists alone keeps every document a sample cites.
const _: () = assert!(
    DOCUMENT_IDS >= crate::graph::MENTION_SAMPLES && DOCUMENT_IDS >= crate::graph::EVIDENCE_SAMPLES
);

/// How many records the arena may hold before the first pruning.
const PRUNE_DOCUMENTS: usize = 4096;

const HAS_INFO: u8 = 1;
const HAS_PUBLISHED: u8 = 2;
const HAS_LANG: u8 = 4;

/// A document record: its offset in [`DocLists::arena`].
type Record = usize;

/// The lists of a graph's nodes and edges, with the documents they cite.
#[derive(Debug, Default)]
pub(crate) struct DocLists {
    /// Records one after the other: a flag byte, then the id, the date and the language,
    /// each as a LEB128 length and its UTF-8 bytes (date and language only when flagged).
    arena: Vec<u8>,
    /// How many records the arena holds.
    records: usize,
    /// The records of each node's documents, in id order.
    nodes: FxHashMap<String, Vec<Record>>,
    /// The same for edges.
    edges: FxHashMap<EdgeKey, Vec<Record>>,
    /// When the arena is pruned next (a number of records).
    prune_at: usize,
    /// Once the run is over ([`DocLists::finish`]): the records of the documents with an
    /// info, one per id (the preferred one), in id order.
    infos: Vec<Record>,
}

/// A record's date and language, each when known, as [`DocumentInfo`] holds them.
type Info<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// A record, read.
struct Read<'a> {
    /// Its info, when it has one.
    info: Option<Info<'a>>,
    /// Where the next record starts.
    end: usize,
}

fn push_bytes(arena: &mut Vec<u8>, bytes: &[u8]) {
    let mut n = bytes.len();
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            arena.push(low);
            break;
        }
        arena.push(low | 0x80);
    }
    arena.extend_from_slice(bytes);
}

/// The bytes at `*at` (a LEB128 length and as many bytes), moving `*at` past them.
fn bytes_at<'a>(arena: &'a [u8], at: &mut usize) -> &'a [u8] {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&b) = arena.get(*at) {
        *at += 1;
        n |= usize::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    let start = (*at).min(arena.len());
    let end = start.saturating_add(n).min(arena.len());
    *at = end;
    &arena[start..end]
}

fn read(arena: &[u8], record: Record) -> Read<'_> {
    let flags = arena.get(record).copied().unwrap_or(0);
    let mut at = record + 1;
    bytes_at(arena, &mut at);
    let mut optional = |flag: u8| (flags & flag != 0).then(|| bytes_at(arena, &mut at));
    let published = optional(HAS_PUBLISHED);
    let lang = optional(HAS_LANG);
    Read {
        info: (flags & HAS_INFO != 0).then_some((published, lang)),
        end: at,
    }
}

fn id_of(arena: &[u8], record: Record) -> &[u8] {
    let mut at = record + 1;
    bytes_at(arena, &mut at)
}

/// Text the arena holds: it was written from `&str`, so it is UTF-8.
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Of two records for one id, the one whose info [`GraphPart::merge`] keeps: the smaller,
/// a document without an info losing to one with.
fn preferred(arena: &[u8], a: Record, b: Record) -> Record {
    match (read(arena, a).info, read(arena, b).info) {
        (Some(x), Some(y)) if y < x => b,
        (None, Some(_)) => b,
        _ => a,
    }
}

/// `list` and `new` (both in id order) merged into `list`, the first [`DOCUMENT_IDS`] kept.
fn merge_into(arena: &[u8], list: &mut Vec<Record>, new: &[Record], scratch: &mut Vec<Record>) {
    if list.is_empty() {
        list.extend(new.iter().take(DOCUMENT_IDS));
        return;
    }
    let full = list.len() >= DOCUMENT_IDS;
    if full
        && new
            .first()
            .is_none_or(|&n| id_of(arena, n) >= id_of(arena, list[list.len() - 1]))
    {
        // Nothing new comes before the last kept id.
        return;
    }
    scratch.clear();
    let (mut i, mut j) = (0, 0);
    while scratch.len() < DOCUMENT_IDS && (i < list.len() || j < new.len()) {
        let next = match (list.get(i), new.get(j)) {
            (Some(&a), Some(&b)) => match id_of(arena, a).cmp(id_of(arena, b)) {
                std::cmp::Ordering::Less => {
                    i += 1;
                    a
                }
                std::cmp::Ordering::Greater => {
                    j += 1;
                    b
                }
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    preferred(arena, a, b)
                }
            },
            (Some(&a), None) => {
                i += 1;
                a
            }
            (None, Some(&b)) => {
                j += 1;
                b
            }
            (None, None) => break,
        };
        scratch.push(next);
    }
    // Copied, not swapped: a list keeps a buffer of its own size, not the scratch's; a full
    // one, which changes little from now on, no room to grow.
    list.clear();
    list.extend_from_slice(scratch);
    if list.len() == DOCUMENT_IDS {
        list.shrink_to_fit();
    }
}

impl DocLists {
    /// Takes the document ids and infos out of `part` (the part of some documents, as the
    /// pool merges them) into these lists: what stays of `part` is its counts and samples.
    pub(crate) fn absorb(&mut self, part: &mut GraphPart) {
        // The part's documents, in id order with their records.
        let mut records: Vec<(DocId, Record)> = Vec::with_capacity(part.documents.len());
        for (id, info) in std::mem::take(&mut part.documents) {
            let record = self.push(&id, Some(&info));
            records.push((id, record));
        }
        let mut new = Vec::new();
        let mut scratch = Vec::new();
        let record_of = |arena: &mut Vec<u8>, count: &mut usize, id: &DocId| {
            match records.binary_search_by(|(known, _)| (**known).cmp(&**id)) {
                Ok(i) => records[i].1,
                // A list that cites a document the part has no info for (a part made by hand).
                Err(_) => {
                    *count += 1;
                    push_record(arena, id, None)
                }
            }
        };
        for (key, node) in &mut part.nodes {
            let ids = std::mem::take(&mut node.document_ids);
            if ids.is_empty() {
                continue;
            }
            new.clear();
            for id in &ids {
                new.push(record_of(&mut self.arena, &mut self.records, id));
            }
            let list = match self.nodes.get_mut(key.as_str()) {
                Some(list) => list,
                None => self.nodes.entry(key.clone()).or_default(),
            };
            merge_into(&self.arena, list, &new, &mut scratch);
        }
        for (key, edge) in &mut part.edges {
            let ids = std::mem::take(&mut edge.document_ids);
            if ids.is_empty() {
                continue;
            }
            new.clear();
            for id in &ids {
                new.push(record_of(&mut self.arena, &mut self.records, id));
            }
            let list = match self.edges.get_mut(key) {
                Some(list) => list,
                None => self.edges.entry(key.clone()).or_default(),
            };
            merge_into(&self.arena, list, &new, &mut scratch);
        }
        if self.records >= self.prune_at.max(PRUNE_DOCUMENTS) {
            self.prune();
            self.prune_at = self.records + self.records / 4;
        }
    }

    fn push(&mut self, id: &str, info: Option<&DocumentInfo>) -> Record {
        self.records += 1;
        push_record(&mut self.arena, id, info)
    }

    /// The records the lists cite, in arena order.
    fn cited(&self) -> Vec<Record> {
        let mut marks = vec![0u64; self.arena.len().div_ceil(64)];
        for &record in self.nodes.values().chain(self.edges.values()).flatten() {
            marks[record / 64] |= 1 << (record % 64);
        }
        let mut cited = Vec::new();
        let mut at = 0;
        while at < self.arena.len() {
            if marks[at / 64] & (1 << (at % 64)) != 0 {
                cited.push(at);
            }
            at = read(&self.arena, at).end;
        }
        cited
    }

    /// Drops the records no list cites: a document that fell out of every list cannot come
    /// back (lists keep the first ids of a union, and later documents only add ids). Linear in
    /// the arena and the lists; called when the arena has grown by a quarter since the last
    /// time, so that memory follows the lists, not the corpus.
    fn prune(&mut self) {
        let cited = self.cited();
        let ends: Vec<usize> = cited.iter().map(|&r| read(&self.arena, r).end).collect();
        let bytes: usize = cited.iter().zip(&ends).map(|(&r, &end)| end - r).sum();
        // Room for the quarter more records the next pruning waits for: a doubled buffer
        // would be most of the arena's memory.
        let mut arena = Vec::with_capacity(bytes + bytes / 4 + 4096);
        // The new offset of each cited record, in the order of `cited`.
        let mut moved = Vec::with_capacity(cited.len());
        for (&record, &end) in cited.iter().zip(&ends) {
            moved.push(arena.len());
            arena.extend_from_slice(&self.arena[record..end]);
        }
        drop(ends);
        for list in self.nodes.values_mut().chain(self.edges.values_mut()) {
            for record in list.iter_mut() {
                if let Ok(i) = cited.binary_search(record) {
                    *record = moved[i];
                }
            }
        }
        self.arena = arena;
        self.records = cited.len();
    }

    /// The lists as the exports read them ([`DocumentLists`]), for the graph whose own lists
    /// were absorbed: what the merge would have left in it, the infos those of the documents
    /// the lists cite.
    pub(crate) fn finish(mut self) -> DocLists {
        let arena = &self.arena;
        let mut infos: Vec<Record> = self
            .cited()
            .into_iter()
            .filter(|&r| read(arena, r).info.is_some())
            .collect();
        // Of two infos for one id, the smaller, as the merge keeps it.
        infos.sort_unstable_by(|&a, &b| {
            id_of(arena, a)
                .cmp(id_of(arena, b))
                .then_with(|| read(arena, a).info.cmp(&read(arena, b).info))
        });
        infos.dedup_by(|later, first| id_of(arena, *later) == id_of(arena, *first));
        infos.shrink_to_fit();
        self.infos = infos;
        self
    }
}

impl DocumentLists for DocLists {
    fn node_ids<'a>(&'a self, id: &str) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        let list = self.nodes.get(id).map_or(&[][..], Vec::as_slice);
        Box::new(list.iter().map(|&r| text(id_of(&self.arena, r))))
    }

    fn edge_ids<'a>(&'a self, key: &EdgeKey) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        let list = self.edges.get(key).map_or(&[][..], Vec::as_slice);
        Box::new(list.iter().map(|&r| text(id_of(&self.arena, r))))
    }

    fn infos(&self) -> Box<dyn Iterator<Item = DocumentRef<'_>> + '_> {
        Box::new(self.infos.iter().map(|&r| {
            let (published, lang) = read(&self.arena, r).info.unwrap_or_default();
            (
                text(id_of(&self.arena, r)),
                published.map(text),
                lang.map(text),
            )
        }))
    }
}

fn push_record(arena: &mut Vec<u8>, id: &str, info: Option<&DocumentInfo>) -> Record {
    let at = arena.len();
    let published = info.and_then(|i| i.published.as_deref());
    let lang = info.and_then(|i| i.lang.as_deref());
    let flags = if info.is_some() { HAS_INFO } else { 0 }
        | if published.is_some() {
            HAS_PUBLISHED
        } else {
            0
        }
        | if lang.is_some() { HAS_LANG } else { 0 };
    arena.push(flags);
    push_bytes(arena, id.as_bytes());
    for s in [published, lang].into_iter().flatten() {
        push_bytes(arena, s.as_bytes());
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::NodeData;

    fn part(docs: &[(&str, Option<&str>)]) -> GraphPart {
        let mut p = GraphPart::default();
        for &(id, published) in docs {
            let mut one = GraphPart::default();
            let doc = DocId::from(id);
            let mut node = NodeData {
                documents: 1,
                ..NodeData::default()
            };
            node.document_ids.insert(doc.clone());
            one.nodes.insert("country:CN".into(), node.clone());
            if id.ends_with('0') {
                one.nodes.insert("country:CU".into(), node);
            }
            one.documents.insert(
                doc,
                DocumentInfo {
                    published: published.map(Into::into),
                    lang: Some("fa".into()),
                },
            );
            p.merge(one);
        }
        p
    }

    #[test]
    fn absorbed_lists_read_as_those_of_the_merge() {
        let ids: Vec<String> = (0..3 * DOCUMENT_IDS + 7)
            .map(|i| format!("d{:04}", (i * 7919) % 10_000))
            .collect();
        let docs: Vec<(&str, Option<&str>)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), (i % 3 != 0).then_some("2022-11-25")))
            .collect();
        // The same id twice, with two infos: the smaller stands, as in a merge.
        let mut twice = docs.clone();
        twice.push((docs[5].0, None));
        let mut merged = GraphPart::default();
        let mut lists = DocLists::default();
        let mut absorbed = GraphPart::default();
        for chunk in twice.chunks(13) {
            let p = part(chunk);
            merged.merge(p.clone());
            let mut p = p;
            lists.absorb(&mut p);
            assert!(p.documents.is_empty());
            absorbed.merge(p);
            // Prune often: nothing a list cites may go.
            lists.prune();
        }
        let lists = lists.finish();
        merged.retain_cited_documents();
        for (key, node) in &mut merged.nodes {
            let ids: Vec<&str> = lists.node_ids(key).collect();
            let want: Vec<&str> = node.document_ids.iter().map(|id| &**id).collect();
            assert_eq!(ids, want, "{key}");
            node.document_ids.clear();
        }
        let infos: Vec<DocumentRef> = lists.infos().collect();
        let want: Vec<DocumentRef> = merged
            .documents
            .iter()
            .map(|(id, i)| (&**id, i.published.as_deref(), i.lang.as_deref()))
            .collect();
        assert_eq!(infos, want);
        // What stays of the parts is what the merge has without its lists.
        merged.documents.clear();
        absorbed.retain_cited_documents();
        assert_eq!(absorbed, merged);
        assert_eq!(lists.node_ids("country:CN").count(), DOCUMENT_IDS);
    }

    #[test]
    fn records_read_back() {
        let mut arena = Vec::new();
        let long = "x".repeat(300);
        let info = DocumentInfo {
            published: Some("".into()),
            lang: None,
        };
        let a = push_record(&mut arena, &long, Some(&info));
        let b = push_record(&mut arena, "b", None);
        let r = read(&arena, a);
        assert_eq!(id_of(&arena, a), long.as_bytes());
        assert_eq!((r.info, r.end), (Some((Some(&b""[..]), None)), b));
        assert_eq!(read(&arena, b).info, None);
        assert_eq!(read(&arena, b).end, arena.len());
    }
}
