//! Composed bodies: a head of `composed/heads.tsv` written right before a country's name
//! («وزارت خارجه» + «روسیه») becomes one mention of that country's body, in the skeleton
//! coordinates of the selection, before the mentions get their offsets.

use std::ops::Range;

use crate::doc::Via;
use crate::gazetteer::{Entity, EntityIndex, EntityType, Gazetteer};
use crate::text::{Gap, Normalized};

/// A mention before it has offsets: (skeleton span, nested, candidates in the pool, via).
pub(super) type Kept = (Range<usize>, bool, Range<u32>, Via);

/// One body found: its span, the head, and the positions in `kept` of its country and host.
struct Body {
    span: Range<usize>,
    head_start: usize,
    head: u16,
    country: usize,
    host: Option<usize>,
}

/// Composes the bodies of `kept` (sorted by start, a longer span before those nested in it):
/// each one replaces the mentions inside its head («وزارت خارجه» alone names Iran's
/// ministry) and nests its country (and host). A curated entity that is the body wins over a
/// document entity, which goes to `local` (the document's entities after the gazetteer's).
pub(super) fn compose(
    gazetteer: &Gazetteer,
    norm: &Normalized,
    kept: &mut Vec<Kept>,
    pool: &mut Vec<u32>,
    local: &mut Vec<Entity>,
) {
    let composition = gazetteer.composition();
    if composition.is_empty() {
        return;
    }
    let skeleton = norm.skeleton();
    let type_of = |k: &Kept| {
        gazetteer
            .entity(EntityIndex(pool[k.2.start as usize]))
            .entity_type
    };
    // A short form or a reference names its country too («وزارت خارجه کشورمان»), but no other
    // short form heads or ends a body.
    let top_level = |k: &Kept| !k.1 && (k.3 != Via::Coref || type_of(k) == EntityType::Country);
    let no_line_inside = |range: Range<usize>| {
        skeleton.get(range.clone()).is_some_and(|s| {
            s.char_indices()
                .skip(1)
                .all(|(i, _)| norm.gap_before(range.start + i) != Gap::Line)
        })
    };
    let separated = |at: usize| matches!(norm.gap_before(at), Gap::Space | Gap::Zwnj);
    let mut bodies: Vec<Body> = Vec::new();
    for (i, k) in kept.iter().enumerate() {
        if !top_level(k) || type_of(k) != EntityType::Country {
            continue;
        }
        let start = k.0.start;
        if !separated(start) {
            continue;
        }
        let Some((head, head_start)) =
            composition
                .forms_ending_at(skeleton, start)
                .find(|&(_, h)| {
                    (h == 0 || norm.gap_before(h).is_boundary()) && no_line_inside(h..start)
                })
        else {
            continue;
        };
        // A name that begins before the head and ends inside it: the head is not one.
        // Top-level names do not overlap, so only the last one before the head can.
        let cut = kept[..i]
            .iter()
            .rev()
            .filter(|o| !o.1)
            .find(|o| o.0.start < head_start)
            .is_some_and(|o| o.0.end > head_start);
        if cut || bodies.last().is_some_and(|b| b.span.end > head_start) {
            continue;
        }
        let mut end = k.0.end;
        let mut host = None;
        // A host follows after spaces on the same line: «سفارت ایران در کویت».
        if norm.gap_before(end) == Gap::Space {
            if let Some(len) = composition.host_linker_at(head, skeleton, end) {
                let place_start = end + len;
                let place = kept[i + 1..]
                    .iter()
                    .position(|o| o.0.start >= place_start)
                    .map(|j| i + 1 + j)
                    .filter(|&j| {
                        let o = &kept[j];
                        o.0.start == place_start
                            && top_level(o)
                            && matches!(
                                type_of(o),
                                EntityType::Country | EntityType::City | EntityType::Organization
                            )
                    });
                let spaced = norm.gap_before(place_start) == Gap::Space;
                if let (true, Some(j)) = (spaced, place) {
                    host = Some(j);
                    end = kept[j].0.end;
                }
            }
        }
        bodies.push(Body {
            span: head_start..end,
            head_start,
            head,
            country: i,
            host,
        });
    }
    if bodies.is_empty() {
        return;
    }
    let mut remove = vec![false; kept.len()];
    let mut added: Vec<Kept> = Vec::with_capacity(bodies.len());
    for body in &bodies {
        let country = kept[body.country].clone();
        for j in (0..body.country).rev() {
            if kept[j].0.start < body.head_start {
                break;
            }
            remove[j] = kept[j].0.end <= country.0.start;
        }
        let country_index = EntityIndex(pool[country.2.start as usize]);
        let host_index = body
            .host
            .map(|j| EntityIndex(pool[kept[j].2.start as usize]));
        let entity = body_entity(gazetteer, body.head, country_index, host_index, local);
        let at = pool.len() as u32;
        pool.push(entity);
        added.push((body.span.clone(), false, at..at + 1, Via::Composed));
    }
    for body in &bodies {
        kept[body.country].1 = true;
        if let Some(host) = body.host {
            kept[host].1 = true;
        }
    }
    let mut flags = remove.into_iter();
    kept.retain(|_| !flags.next().unwrap_or(false));
    kept.extend(added);
}

/// The entity of the body of `head` for `country` (in `host`): the curated one, else the
/// document entity of that id (added to `local` the first time).
fn body_entity(
    gazetteer: &Gazetteer,
    head: u16,
    country: EntityIndex,
    host: Option<EntityIndex>,
    local: &mut Vec<Entity>,
) -> u32 {
    let composition = gazetteer.composition();
    if host.is_none() {
        if let Some(curated) = composition.curated(head, country) {
            return curated.0;
        }
    }
    let head = composition.head(head);
    let country = gazetteer.entity(country);
    let host = host.map(|h| gazetteer.entity(h));
    let id = head.body_id(country, host);
    if let Some(curated) = gazetteer.index_of(&id) {
        return curated.0;
    }
    let first_local = gazetteer.len() as u32;
    if let Some(i) = local.iter().position(|e| e.id == id) {
        return first_local + i as u32;
    }
    local.push(head.body(id, country, host));
    first_local + (local.len() - 1) as u32
}
