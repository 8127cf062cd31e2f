//! Entity ids to entity indexes, without a second copy of each id.

use std::hash::BuildHasher;

use hashbrown::hash_table::{Entry, HashTable};
use rustc_hash::FxBuildHasher;

use super::{Entity, EntityIndex};

/// The index of each entity by its id. The table holds entity indexes only, and hashes and
/// compares the ids where the entities keep them: a million ids are not stored twice. A
/// gazetteer loaded from the compiled cache uses the cache's own id slots instead.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdIndex {
    table: HashTable<EntityIndex>,
}

impl IdIndex {
    /// Room for `additional` more ids: a million rows inserted into a table that doubles
    /// would hash every id again at each doubling.
    pub(crate) fn reserve(&mut self, entities: &[Entity], additional: usize) {
        self.table
            .reserve(additional, |&i| hash(&entities[i.as_usize()].id));
    }

    /// The entity of `entities` with the id `id`.
    pub(crate) fn get(&self, entities: &[Entity], id: &str) -> Option<EntityIndex> {
        self.table
            .find(hash(id), |&i| entities[i.as_usize()].id == id)
            .copied()
    }

    /// Records that the entity about to be pushed at `index` has the id `id`, unless an entity
    /// of `entities` has it already: then that one.
    pub(crate) fn insert(
        &mut self,
        entities: &[Entity],
        id: &str,
        index: EntityIndex,
    ) -> Result<(), EntityIndex> {
        let entry = self.table.entry(
            hash(id),
            |&i| entities[i.as_usize()].id == id,
            |&i| hash(&entities[i.as_usize()].id),
        );
        match entry {
            Entry::Occupied(previous) => Err(*previous.get()),
            Entry::Vacant(slot) => {
                slot.insert(index);
                Ok(())
            }
        }
    }
}

/// The hash of an id, here and in the compiled cache's id slots (`table`).
pub(super) fn hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}
