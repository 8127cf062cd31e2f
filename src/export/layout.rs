//! A deterministic force-directed layout for `graph.html`, so the page opens at once on a
//! stable picture (the page can still re-run a layout in the browser).
//!
//! 1. The components of the edges found in text are laid out one by one with
//!    Fruchterman–Reingold (exact repulsion up to [`EXACT_LIMIT`] nodes, a grid of nearby
//!    cells above), from positions on a spiral, and packed in rows, largest first.
//! 2. A node without such edges but with background edges (a region, a country named
//!    only in passing) is put beside the nodes it is linked to, if they have a place.
//! 3. What is left and linked by background edges is laid out and packed the same way, below.
//! 4. Nodes with no edges at all go in a grid at the bottom, in the order given.
//!
//! Nothing here is random: the same graph always gives the same positions.

/// Ideal distance between linked nodes, in pixels.
pub const EDGE_LENGTH: f64 = 90.0;

/// Components up to this size get exact all-pairs repulsion.
pub const EXACT_LIMIT: usize = 1500;

/// An edge for the layout: two node indices and a weight.
#[derive(Clone, Copy, Debug)]
pub struct LayoutEdge {
    /// One end.
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// Supporting relations (attraction grows with it, slowly).
    pub weight: f64,
    /// A background edge (used only for steps 2 and 3).
    pub background: bool,
}

/// Positions `(x, y)` in pixels for `n` nodes.
pub fn layout(n: usize, edges: &[LayoutEdge]) -> Vec<(f64, f64)> {
    let mut pos: Vec<Option<(f64, f64)>> = vec![None; n];
    let text: Vec<LayoutEdge> = edges
        .iter()
        .copied()
        .filter(|e| !e.background && e.a != e.b && e.a < n && e.b < n)
        .collect();
    let background: Vec<LayoutEdge> = edges
        .iter()
        .copied()
        .filter(|e| e.background && e.a != e.b && e.a < n && e.b < n)
        .collect();

    let mut top = 0.0;
    let found = components(n, &text, |_| true);
    top = pack(&found, &text, &mut pos, top);

    // Step 2: beside linked nodes that have a place, a few passes deep. Each node's
    // background neighbours, in edge order, are listed once (not found by reading every
    // edge for every node).
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &background {
        neighbours[e.a].push(e.b);
        neighbours[e.b].push(e.a);
    }
    for _ in 0..3 {
        let mut placed_any = false;
        for i in 0..n {
            if pos[i].is_some() {
                continue;
            }
            let (mut sx, mut sy, mut count) = (0.0, 0.0, 0usize);
            for &other in &neighbours[i] {
                if let Some((x, y)) = pos[other] {
                    sx += x;
                    sy += y;
                    count += 1;
                }
            }
            if count > 0 {
                // A fixed angle per node keeps neighbours of one place apart.
                let angle = (i as f64) * 2.399_963; // the golden angle
                let r = EDGE_LENGTH * 0.8;
                pos[i] = Some((
                    sx / count as f64 + r * angle.cos(),
                    sy / count as f64 + r * angle.sin(),
                ));
                placed_any = true;
            }
        }
        if !placed_any {
            break;
        }
    }

    // Step 3: the rest of the background structure.
    let unplaced: Vec<bool> = pos.iter().map(Option::is_none).collect();
    let rest = components(n, &background, |i| unplaced[i]);
    if !rest.is_empty() {
        top += EDGE_LENGTH;
        top = pack(&rest, &background, &mut pos, top);
    }

    // Step 4: a grid of isolated nodes.
    let isolated: Vec<usize> = (0..n).filter(|&i| pos[i].is_none()).collect();
    if !isolated.is_empty() {
        let width = row_width(&pos).max(EDGE_LENGTH * 8.0);
        let step = EDGE_LENGTH * 0.9;
        let per_row = ((width / step).floor() as usize).max(1);
        let top = top + EDGE_LENGTH * 1.5;
        for (k, &i) in isolated.iter().enumerate() {
            pos[i] = Some((
                (k % per_row) as f64 * step,
                top + (k / per_row) as f64 * step,
            ));
        }
    }
    pos.into_iter()
        .map(|p| {
            let (x, y) = p.unwrap_or((0.0, 0.0));
            ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
        })
        .collect()
}

/// The width taken by placed nodes.
fn row_width(pos: &[Option<(f64, f64)>]) -> f64 {
    let xs = pos.iter().flatten().map(|p| p.0);
    let (min, max) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    if min > max {
        0.0
    } else {
        max - min
    }
}

/// Components of at least two nodes among those `include` accepts, largest first (ties by
/// smallest node), each sorted.
fn components(n: usize, edges: &[LayoutEdge], include: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut linked = vec![false; n];
    for e in edges {
        if !include(e.a) || !include(e.b) {
            continue;
        }
        linked[e.a] = true;
        linked[e.b] = true;
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, &l) in linked.iter().enumerate() {
        if l {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// Lays out each component and packs them in rows from `top` down; returns the new bottom.
fn pack(
    components: &[Vec<usize>],
    edges: &[LayoutEdge],
    pos: &mut [Option<(f64, f64)>],
    top: f64,
) -> f64 {
    if components.is_empty() {
        return top;
    }
    // Each component's edges (both ends in it), in edge order, sorted out in one pass
    // rather than by filtering every edge for every component.
    let mut component_of: Vec<Option<usize>> = vec![None; pos.len()];
    for (c, nodes) in components.iter().enumerate() {
        for &i in nodes {
            component_of[i] = Some(c);
        }
    }
    let mut own: Vec<Vec<LayoutEdge>> = vec![Vec::new(); components.len()];
    for e in edges {
        if let (Some(a), Some(b)) = (component_of[e.a], component_of[e.b]) {
            if a == b {
                own[a].push(*e);
            }
        }
    }
    type Laid = (Vec<usize>, Vec<(f64, f64)>);
    let laid: Vec<Laid> = components
        .iter()
        .zip(&own)
        .map(|(c, own)| (c.clone(), force(c, own)))
        .collect();
    let margin = EDGE_LENGTH * 1.5;
    let boxes: Vec<(f64, f64, f64, f64)> = laid
        .iter()
        .map(|(_, p)| {
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for &(x, y) in p {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            (x0, y0, x1, y1)
        })
        .collect();
    let area: f64 = boxes
        .iter()
        .map(|b| (b.2 - b.0 + margin) * (b.3 - b.1 + margin))
        .sum();
    let widest = boxes.iter().map(|b| b.2 - b.0 + margin).fold(0.0, f64::max);
    let row_limit = (area * 1.4).sqrt().max(widest);
    let (mut x, mut y, mut row_height) = (0.0, top, 0.0f64);
    for ((nodes, p), b) in laid.iter().zip(&boxes) {
        let (w, h) = (b.2 - b.0 + margin, b.3 - b.1 + margin);
        if x > 0.0 && x + w > row_limit {
            x = 0.0;
            y += row_height;
            row_height = 0.0;
        }
        for (&i, &(px, py)) in nodes.iter().zip(p) {
            pos[i] = Some((x + px - b.0, y + py - b.1));
        }
        x += w;
        row_height = row_height.max(h);
    }
    y + row_height
}

/// Fruchterman–Reingold on one component; positions in the component's own frame.
fn force(nodes: &[usize], edges: &[LayoutEdge]) -> Vec<(f64, f64)> {
    let n = nodes.len();
    let index: std::collections::HashMap<usize, usize> =
        nodes.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let local: Vec<(usize, usize, f64)> = edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (*index.get(&e.a)?, *index.get(&e.b)?);
            Some((a, b, 1.0 + (e.weight.max(1.0)).ln() * 0.5))
        })
        .collect();
    if n == 2 {
        return vec![(0.0, 0.0), (EDGE_LENGTH * 0.75, 0.0)];
    }
    let k = EDGE_LENGTH;
    // A spiral start: deterministic and well spread.
    let mut p: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = k * 0.6 * (i as f64 + 0.5).sqrt();
            let a = i as f64 * 2.399_963;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    let iterations = if n <= 200 {
        400
    } else if n <= 2000 {
        200
    } else {
        80
    };
    let start_temperature = k * (n as f64).sqrt() * 0.5;
    let mut d = vec![(0.0f64, 0.0f64); n];
    for it in 0..iterations {
        let t = start_temperature * (1.0 - it as f64 / iterations as f64) + k * 0.01;
        d.iter_mut().for_each(|v| *v = (0.0, 0.0));
        repel(&p, k, &mut d);
        for &(a, b, w) in &local {
            let (dx, dy) = (p[a].0 - p[b].0, p[a].1 - p[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = dist * dist / k * w;
            let (fx, fy) = (dx / dist * f, dy / dist * f);
            d[a].0 -= fx;
            d[a].1 -= fy;
            d[b].0 += fx;
            d[b].1 += fy;
        }
        // A light pull to the centre keeps loosely linked parts from drifting away.
        for i in 0..n {
            d[i].0 -= p[i].0 * 0.01;
            d[i].1 -= p[i].1 * 0.01;
            let len = (d[i].0 * d[i].0 + d[i].1 * d[i].1).sqrt();
            if len > 0.0 {
                let step = len.min(t);
                p[i].0 += d[i].0 / len * step;
                p[i].1 += d[i].1 / len * step;
            }
        }
    }
    p
}

fn repel(p: &[(f64, f64)], k: f64, d: &mut [(f64, f64)]) {
    let n = p.len();
    let push = |i: usize, j: usize, d: &mut [(f64, f64)]| {
        let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
        let dist2 = (dx * dx + dy * dy).max(0.01);
        let f = k * k / dist2; // (k²/dist) / dist: the unit vector folded in
        d[i].0 += dx * f;
        d[i].1 += dy * f;
        d[j].0 -= dx * f;
        d[j].1 -= dy * f;
    };
    if n <= EXACT_LIMIT {
        for i in 0..n {
            for j in i + 1..n {
                push(i, j, d);
            }
        }
        return;
    }
    // Above the limit, only nodes in the same or a neighbouring cell repel.
    let cell = 3.0 * k;
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for (i, &(x, y)) in p.iter().enumerate() {
        grid.entry(((x / cell).floor() as i64, (y / cell).floor() as i64))
            .or_default()
            .push(i);
    }
    let mut keys: Vec<(i64, i64)> = grid.keys().copied().collect();
    keys.sort_unstable();
    for (cx, cy) in keys {
        let here = &grid[&(cx, cy)];
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(there) = grid.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &i in here {
                    for &j in there {
                        if i < j {
                            push(i, j, d);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: usize, b: usize) -> LayoutEdge {
        LayoutEdge {
            a,
            b,
            weight: 1.0,
            background: false,
        }
    }

    #[test]
    fn deterministic_and_separated() {
        let edges: Vec<LayoutEdge> = (0..9)
            .map(|i| edge(i, i + 1))
            .chain([edge(11, 12)])
            .collect();
        let a = layout(14, &edges);
        assert_eq!(a, layout(14, &edges));
        for i in 0..14 {
            for j in i + 1..14 {
                let d = ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
                assert!(d > 10.0, "nodes {i} and {j} overlap: {:?} {:?}", a[i], a[j]);
            }
        }
        // Linked nodes are closer than the graph is wide.
        let d01 = ((a[0].0 - a[1].0).powi(2) + (a[0].1 - a[1].1).powi(2)).sqrt();
        assert!(d01 < EDGE_LENGTH * 2.5, "{d01}");
    }

    #[test]
    fn background_neighbours_sit_beside_their_nodes() {
        let mut edges = vec![edge(0, 1)];
        edges.push(LayoutEdge {
            a: 1,
            b: 2,
            weight: 0.0,
            background: true,
        });
        let p = layout(4, &edges);
        let d12 = ((p[1].0 - p[2].0).powi(2) + (p[1].1 - p[2].1).powi(2)).sqrt();
        assert!(d12 < EDGE_LENGTH * 1.5, "{d12}");
        // Node 3 is alone: in the grid below.
        assert!(p[3].1 > p[0].1.max(p[1].1));
    }
}
