//! Entry points for the fuzz targets in `fuzz/` and the tests that replay their inputs; not
//! part of the supported API.

use std::io::BufReader;

use crate::input::Reader;

/// A [`Reader`] of one JSONL stream held in memory, named `fuzz.jsonl` (lines without an id
/// get `fuzz:N`), read through a buffer of `capacity` bytes.
pub fn jsonl_reader(bytes: Vec<u8>, capacity: usize, max_bytes: usize) -> Reader {
    let stream = BufReader::with_capacity(capacity.max(1), std::io::Cursor::new(bytes));
    Reader::from_jsonl_stream("fuzz.jsonl", "fuzz", Box::new(stream), max_bytes)
}

/// The compiled cache's entity table read from `data`, and from `data` as edits to a valid
/// table: panics when an invariant breaks (see `fuzz/fuzz_targets/entity_table.rs`).
pub fn entity_table(data: &[u8]) {
    crate::gazetteer::fuzz_entity_table(data);
}
