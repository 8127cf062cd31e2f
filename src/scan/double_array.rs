//! The char-wise double array of the entity aliases, built from sorted patterns in one pass
//! over a compact trie, and handed to daachorse in its own serialization.
//!
//! daachorse's builder holds a node of about 64 bytes (an edge map, an output vector, cells)
//! per trie state, then a vector per sibling group, beside the array it builds: 1,000,000
//! aliases peaked at 640 MB there. Here a state is five `u32`s (its label, first child, next
//! sibling, last child and output), and the sibling groups are placed as the trie is walked,
//! not collected. The placement is daachorse's own (the same groups in the same order, the same
//! first fit over the same window of vacant elements), so the array is the one daachorse
//! builds, byte for byte (a test compares them), and it is searched by daachorse's code.

use daachorse::CharwiseDoubleArrayAhoCorasick;

const NONE: u32 = u32::MAX;
/// daachorse's state numbers: the root and the dead state.
const ROOT: u32 = 0;
const DEAD: u32 = 1;
/// daachorse's window: once placement is windowed (always, without a profile corpus), only the
/// vacant elements of the last blocks are scanned.
const FREE_BLOCKS: u32 = 16;
/// The prefilter: daachorse's 2-gram table and its limits.
const TABLE_LEN: usize = 65536;
const MAX_WINDOW_LEN: usize = 9;
const MIN_WINDOW_LEN: usize = 2;
const MAX_EXPECTED_CANDIDATE_RATE: f64 = 1. / 16.;

/// The automaton of `patterns`, which must be sorted (byte order) and distinct, none of them
/// empty; the value of each is given with it. The same automaton as
/// `CharwiseDoubleArrayAhoCorasickBuilder::new().build_with_values(patterns)` with the
/// standard match kind.
pub(crate) fn build(
    patterns: &[(&str, u32)],
) -> Result<CharwiseDoubleArrayAhoCorasick<u32>, String> {
    debug_assert!(patterns.windows(2).all(|w| w[0].0 < w[1].0));
    let too_large = || "too many states for 32-bit indexes".to_string();

    // The prefilter and the code of each character (by frequency), as daachorse makes them.
    let mut grams = vec![u8::MAX; TABLE_LEN];
    let mut min_len = usize::MAX;
    let mut freqs: Vec<u32> = Vec::new();
    let mut total_chars = 0usize;
    for &(pattern, _) in patterns {
        if pattern.is_empty() {
            return Err("an empty pattern".to_string());
        }
        let bytes = pattern.as_bytes();
        min_len = min_len.min(bytes.len());
        let window = &bytes[..bytes.len().min(MAX_WINDOW_LEN)];
        for (i, gram) in window.windows(2).enumerate() {
            grams[usize::from(gram[0]) << 8 | usize::from(gram[1])] &= !(1 << i);
        }
        for c in pattern.chars() {
            let c = c as usize;
            if freqs.len() <= c {
                freqs.resize(c + 1, 0);
            }
            freqs[c] += 1;
            total_chars += 1;
        }
    }
    let prefilter = prefilter(grams, min_len);
    let (codes, alphabet) = code_table(&freqs);
    drop(freqs);
    let code = |c: char| codes[c as usize];
    let block_len = alphabet.next_power_of_two().max(2);

    // The trie, states numbered as daachorse numbers them (in insertion order, after the root
    // and the dead state). Patterns are sorted, so a new state is always the last child of
    // its parent, and the path of the previous pattern says where the new one branches off.
    let mut trie = Trie::with_capacity(total_chars.min(u32::MAX as usize) + 2);
    let mut outputs: Vec<(u32, u32)> = Vec::with_capacity(patterns.len());
    let mut path: Vec<u32> = vec![ROOT];
    let mut previous = "";
    for &(pattern, value) in patterns {
        let common = previous
            .chars()
            .zip(pattern.chars())
            .take_while(|(a, b)| a == b)
            .count();
        path.truncate(common + 1);
        for c in pattern.chars().skip(common) {
            let parent = *path.last().expect("the root");
            let state = trie.push(code(c))?;
            trie.link_child(parent, state);
            path.push(state);
        }
        let state = *path.last().expect("a pattern is not empty");
        let len = u32::try_from(pattern.len()).map_err(|_| too_large())?;
        trie.output[state as usize] = outputs.len() as u32;
        outputs.push((value, len));
        previous = pattern;
    }
    drop(path);

    // Placement: daachorse's depth-first walk of the sibling groups (a stack, so children are
    // visited last first), each group at the first base whose elements are vacant.
    let states = trie.len();
    let mut helper = Helper::new(block_len)?;
    let mut index = vec![DEAD; states];
    index[ROOT as usize] = ROOT;
    index[DEAD as usize] = DEAD;
    let mut bases = vec![0u32; states];
    let mut stack = vec![ROOT];
    let mut labels: Vec<u32> = Vec::new();
    while let Some(state) = stack.pop() {
        let mut child = trie.first_child[state as usize];
        if child == NONE {
            continue;
        }
        labels.clear();
        while child != NONE {
            labels.push(trie.label[child as usize]);
            stack.push(child);
            child = trie.next_sibling[child as usize];
        }
        let base = helper.find_base(&labels)?;
        let mut child = trie.first_child[state as usize];
        while child != NONE {
            let at = base ^ trie.label[child as usize];
            helper.use_index(at);
            index[child as usize] = at;
            child = trie.next_sibling[child as usize];
        }
        bases[state as usize] = base;
    }
    drop(stack);
    let elements = helper.len();
    drop(helper);

    // The array: base, check, fail and output position of each element, as daachorse lays
    // them out (an element no state took keeps its defaults).
    let mut array: Vec<[u32; 4]> = vec![[0, DEAD, DEAD, 0]; elements as usize];
    for state in 0..states as u32 {
        if state == DEAD {
            continue;
        }
        let at = index[state as usize] as usize;
        if bases[state as usize] != 0 {
            array[at][0] = bases[state as usize];
        }
        let mut child = trie.first_child[state as usize];
        while child != NONE {
            array[index[child as usize] as usize][1] = at as u32;
            child = trie.next_sibling[child as usize];
        }
    }
    drop(bases);
    // The root's fail is itself.
    array[ROOT as usize][2] = ROOT;

    // Failure links and output chains, breadth first in edge order, as daachorse computes
    // them, with transitions looked up in the array itself.
    let child_at = |array: &[[u32; 4]], at: u32, label: u32| -> Option<u32> {
        let base = array[at as usize][0];
        if base == 0 {
            return None;
        }
        let child = base ^ label;
        (array.get(child as usize)?[1] == at).then_some(child)
    };
    let mut queue: Vec<u32> = Vec::with_capacity(states);
    let mut child = trie.first_child[ROOT as usize];
    while child != NONE {
        queue.push(child);
        array[index[child as usize] as usize][2] = ROOT;
        child = trie.next_sibling[child as usize];
    }
    let mut out: Vec<[u32; 3]> = Vec::with_capacity(outputs.len());
    let mut next = 0;
    while next < queue.len() {
        let state = queue[next];
        next += 1;
        let at = index[state as usize];
        let mut child = trie.first_child[state as usize];
        while child != NONE {
            let label = trie.label[child as usize];
            let mut fail = array[at as usize][2];
            let new_fail = loop {
                if let Some(found) = child_at(&array, fail, label) {
                    break found;
                }
                let next_fail = array[fail as usize][2];
                if fail == ROOT && next_fail == ROOT {
                    break ROOT;
                }
                fail = next_fail;
            };
            array[index[child as usize] as usize][2] = new_fail;
            queue.push(child);
            child = trie.next_sibling[child as usize];
        }
        // Output positions follow the same order: a state's own output, whose parent is its
        // failure state's, or else that of its failure state.
        let fail = array[at as usize][2];
        let mut position = array[fail as usize][3];
        let own = trie.output[state as usize];
        if own != NONE {
            let (value, len) = outputs[own as usize];
            out.push([value, len, position]);
            position = u32::try_from(out.len()).map_err(|_| too_large())?;
        }
        array[at as usize][3] = position;
    }
    drop((queue, index, outputs, trie));

    // daachorse's serialization, read back by its own checked `deserialize`.
    let mut bytes: Vec<u8> = Vec::with_capacity(
        4 + array.len() * 16 + 4 + codes.len() * 4 + 4 + 4 + out.len() * 12 + 1 + 4 + 2 + TABLE_LEN,
    );
    let word = |bytes: &mut Vec<u8>, w: u32| bytes.extend_from_slice(&w.to_le_bytes());
    word(
        &mut bytes,
        u32::try_from(array.len()).map_err(|_| too_large())?,
    );
    for element in &array {
        for &w in element {
            word(&mut bytes, w);
        }
    }
    drop(array);
    word(
        &mut bytes,
        u32::try_from(codes.len()).map_err(|_| too_large())?,
    );
    for &c in &codes {
        word(&mut bytes, c);
    }
    word(&mut bytes, alphabet);
    word(
        &mut bytes,
        u32::try_from(out.len()).map_err(|_| too_large())?,
    );
    for output in &out {
        for &w in output {
            word(&mut bytes, w);
        }
    }
    drop(out);
    // The standard match kind.
    bytes.push(0);
    word(
        &mut bytes,
        u32::try_from(states - 1).map_err(|_| too_large())?,
    );
    match prefilter {
        Some((window, table)) => {
            bytes.push(1);
            bytes.push(window);
            bytes.extend_from_slice(&table);
        }
        None => bytes.push(0),
    }
    match CharwiseDoubleArrayAhoCorasick::deserialize(&bytes) {
        Ok((automaton, [])) => Ok(automaton),
        Ok(_) => Err("bytes after the double array".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// daachorse's prefilter of the 2-gram table: its window and table, or `None` when it would
/// not pay off.
fn prefilter(table: Vec<u8>, min_len: usize) -> Option<(u8, Vec<u8>)> {
    if min_len < MIN_WINDOW_LEN || min_len == usize::MAX {
        return None;
    }
    let window = min_len.min(MAX_WINDOW_LEN);
    let mut zeros = [0u32; 8];
    for &bits in &table {
        for (i, n) in zeros.iter_mut().enumerate() {
            *n += u32::from((bits >> i) & 1 == 0);
        }
    }
    let mut rate = 1.;
    for &n in &zeros[..window - 1] {
        rate *= f64::from(n) / TABLE_LEN as f64;
    }
    (rate <= MAX_EXPECTED_CANDIDATE_RATE).then_some((window as u8, table))
}

/// daachorse's code mapper: characters by falling frequency, then by code point; the table
/// by code point (`u32::MAX` for a character no pattern has) and the alphabet size.
fn code_table(freqs: &[u32]) -> (Vec<u32>, u32) {
    let mut sorted: Vec<(usize, u32)> = freqs
        .iter()
        .enumerate()
        .filter(|(_, &f)| f != 0)
        .map(|(c, &f)| (c, f))
        .collect();
    sorted.sort_unstable_by(|(c1, f1), (c2, f2)| f2.cmp(f1).then_with(|| c1.cmp(c2)));
    let mut table = vec![u32::MAX; freqs.len()];
    for (i, &(c, _)) in sorted.iter().enumerate() {
        table[c] = i as u32;
    }
    (table, sorted.len() as u32)
}

/// The trie by state: the code of the edge into it, its first child, next sibling and last
/// child, and its output (an index of the outputs, or `NONE`).
struct Trie {
    label: Vec<u32>,
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    last_child: Vec<u32>,
    output: Vec<u32>,
}

impl Trie {
    fn with_capacity(n: usize) -> Trie {
        let mut trie = Trie {
            label: Vec::with_capacity(n),
            first_child: Vec::with_capacity(n),
            next_sibling: Vec::with_capacity(n),
            last_child: Vec::with_capacity(n),
            output: Vec::with_capacity(n),
        };
        for _ in [ROOT, DEAD] {
            trie.push_raw(0);
        }
        trie
    }

    fn len(&self) -> usize {
        self.label.len()
    }

    fn push_raw(&mut self, label: u32) {
        self.label.push(label);
        self.first_child.push(NONE);
        self.next_sibling.push(NONE);
        self.last_child.push(NONE);
        self.output.push(NONE);
    }

    fn push(&mut self, label: u32) -> Result<u32, String> {
        let state = u32::try_from(self.len())
            .ok()
            .filter(|&s| s != NONE)
            .ok_or("too many states for 32-bit indexes")?;
        self.push_raw(label);
        Ok(state)
    }

    /// Makes `child` the last child of `parent`.
    fn link_child(&mut self, parent: u32, child: u32) {
        let last = self.last_child[parent as usize];
        if last == NONE {
            self.first_child[parent as usize] = child;
        } else {
            self.next_sibling[last as usize] = child;
        }
        self.last_child[parent as usize] = child;
    }
}

/// daachorse's placement helper: the elements in blocks of `block_len`, the vacant ones in a
/// circular list in index order, of which only the last [`FREE_BLOCKS`] blocks are kept.
struct Helper {
    next: Vec<u32>,
    prev: Vec<u32>,
    used: Vec<bool>,
    block_len: u32,
    blocks: u32,
    head: Option<u32>,
}

impl Helper {
    fn new(block_len: u32) -> Result<Helper, String> {
        let mut helper = Helper {
            next: Vec::new(),
            prev: Vec::new(),
            used: Vec::new(),
            block_len,
            blocks: 0,
            head: None,
        };
        helper.push_block()?;
        helper.use_index(ROOT);
        helper.use_index(DEAD);
        // daachorse turns the window on before the first group when no corpus is profiled.
        helper.prune();
        Ok(helper)
    }

    fn len(&self) -> u32 {
        self.blocks * self.block_len
    }

    fn use_index(&mut self, at: u32) {
        self.used[at as usize] = true;
        self.unlink(at);
    }

    fn unlink(&mut self, at: u32) {
        let (next, prev) = (self.next[at as usize], self.prev[at as usize]);
        self.next[prev as usize] = next;
        self.prev[next as usize] = prev;
        if self.head == Some(at) {
            self.head = Some(next).filter(|&n| n != at);
        }
    }

    fn push_block(&mut self) -> Result<(), String> {
        if self.len() > u32::MAX - self.block_len {
            return Err("the double array does not fit 32-bit indexes".to_string());
        }
        let old = self.len();
        let new = old + self.block_len;
        self.blocks += 1;
        self.next.extend(old + 1..=new);
        self.prev.extend((old..new).map(|i| i.wrapping_sub(1)));
        self.used.resize(new as usize, false);
        match self.head {
            Some(head) => {
                let tail = self.prev[head as usize];
                self.prev[old as usize] = tail;
                self.next[tail as usize] = old;
                self.next[new as usize - 1] = head;
                self.prev[head as usize] = new - 1;
            }
            None => {
                self.prev[old as usize] = new - 1;
                self.next[new as usize - 1] = old;
                self.head = Some(old);
            }
        }
        self.prune();
        Ok(())
    }

    /// Drops the vacant elements before the window from the list.
    fn prune(&mut self) {
        let boundary = self.blocks.saturating_sub(FREE_BLOCKS) * self.block_len;
        while let Some(head) = self.head {
            if head >= boundary {
                break;
            }
            self.unlink(head);
        }
    }

    /// The first base, over the vacant elements in index order, at which every label's
    /// element is vacant, growing the array by a block until there is one.
    fn find_base(&mut self, labels: &[u32]) -> Result<u32, String> {
        loop {
            if let Some(head) = self.head {
                let mut at = head;
                loop {
                    let base = at ^ labels[0];
                    if base != 0 && labels.iter().all(|&c| !self.used[(base ^ c) as usize]) {
                        return Ok(base);
                    }
                    at = self.next[at as usize];
                    if at == head {
                        break;
                    }
                }
            }
            self.push_block()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

    /// The array is daachorse's, byte for byte, whatever the patterns: shared prefixes,
    /// patterns inside patterns, one-character ones (no prefilter) or none (a prefilter).
    #[test]
    fn the_array_is_the_one_daachorse_builds() {
        let words = [
            "وزیر",
            "وزیران",
            "خارجه",
            "و",
            "ایران",
            "ایرانی",
            "تهران",
            "پکن",
            "چین",
            "a",
            "ab",
            "abc",
            "b",
            "bc",
            "zz",
            "ÿ",
            "世界",
            "全世界",
        ];
        let mut state = 0x2545_f491_u32;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let mut sets: Vec<Vec<String>> = vec![
            Vec::new(),
            vec!["و".to_string()],
            words.iter().map(|w| w.to_string()).collect(),
        ];
        let mut big = Vec::new();
        for _ in 0..5000 {
            let n = 1 + random() as usize % 3;
            let phrase: Vec<&str> = (0..n)
                .map(|_| words[random() as usize % words.len()])
                .collect();
            big.push(phrase.join(if random() % 2 == 0 { "" } else { " " }));
        }
        sets.push(big.clone());
        sets.push(big.into_iter().filter(|p| p.len() >= 4).collect());
        for mut set in sets {
            set.sort();
            set.dedup();
            let patterns: Vec<(&str, u32)> = set
                .iter()
                .enumerate()
                .map(|(i, p)| (p.as_str(), i as u32 * 7 + 1))
                .collect();
            let ours = build(&patterns).expect("builds");
            let theirs = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(patterns.iter().copied())
                .expect("builds");
            assert!(
                ours.serialize() == theirs.serialize(),
                "{} patterns",
                set.len()
            );
        }
    }
}
