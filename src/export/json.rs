//! JSON objects written by hand, byte for byte as `serde_json` writes them: the per-document
//! files have a row per mention, and serde's generic machinery was most of their cost.

/// What a byte of a JSON string becomes: itself (0), a two-character escape (its letter), or
/// `\u00XX` (`u`). The table of `serde_json`.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[b'\t' as usize] = b't';
    table[b'\n' as usize] = b'n';
    table[0x0C] = b'f';
    table[b'\r' as usize] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Whether any of the eight bytes of `word` is a control character, `"` or `\\` (the
/// classic zero-byte test on `word` minus a constant, and on `word` xor each quote).
#[inline]
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    // A byte below 0x20: subtracting 0x20 from it borrows into its high bit, which the
    // byte did not have (bytes of 0x80 and above are excluded by `!word`).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
    control
        || has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
}

/// Appends `s` as a JSON string (quoted and escaped).
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Runs that need no escape are copied whole, and skipped eight bytes at a time: a
    // document's text is the longest string, and has nothing to escape but its line breaks.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let (at, b) = (i, bytes[i]);
        i += 1;
        let escape = ESCAPE[b as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run..at]);
        run = i;
        if escape == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// One JSON object being written: fields in the order they are added.
pub(crate) struct Object<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    number: itoa::Buffer,
}

impl<'a> Object<'a> {
    /// Opens an object.
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Object<'a> {
        out.push(b'{');
        Object {
            out,
            first: true,
            number: itoa::Buffer::new(),
        }
    }

    /// Writes the key of the next field; its value follows.
    pub(crate) fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        // Keys are this crate's plain ASCII names: nothing to escape.
        debug_assert!(key.bytes().all(|b| ESCAPE[usize::from(b)] == 0));
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    pub(crate) fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        string(self.out, value);
    }

    pub(crate) fn uint(&mut self, key: &str, value: usize) {
        self.key(key);
        let number = self.number.format(value);
        self.out.extend_from_slice(number.as_bytes());
    }

    pub(crate) fn bool(&mut self, key: &str, value: bool) {
        self.key(key)
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// A float as `serde_json` formats it (rare fields only: through serde itself).
    pub(crate) fn float(&mut self, key: &str, value: f64) {
        let out = self.key(key);
        // Serializing a float into memory cannot fail.
        serde_json::to_writer(out, &value).expect("in-memory JSON serialization");
    }

    /// Closes the object.
    pub(crate) fn end(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_as_serde_json_writes_them() {
        let mut every: String = (0u32..0x80).filter_map(char::from_u32).collect();
        every.push_str("چین «کوبا»\u{200C}\u{7F}\u{2028}\u{FEFF}é😀\\\"");
        let long = "چین و «کوبا»\n\t\"روابط\" \\ ".repeat(9);
        for s in [
            every.as_str(),
            &long,
            "",
            "a",
            "\"",
            "\n\n",
            "x\u{1}y",
            "abcdefgh\u{1f}",
        ] {
            let mut ours = Vec::new();
            string(&mut ours, s);
            assert_eq!(ours, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn the_word_test_finds_every_byte_to_escape() {
        for filler in [b'a', 0xD8, 0x80, 0xFF, b' '] {
            for b in 0..=255u8 {
                for at in 0..8 {
                    let mut word = [filler; 8];
                    word[at] = b;
                    let expected = ESCAPE[usize::from(b)] != 0;
                    assert_eq!(
                        needs_escape(u64::from_le_bytes(word)),
                        expected,
                        "{b} at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn objects_as_serde_json_writes_them() {
        #[derive(serde::Serialize)]
        struct Row {
            doc: &'static str,
            start: usize,
            end: usize,
            nested: bool,
            yes: bool,
            confidence: f64,
            one: f64,
        }
        let mut ours = Vec::new();
        let mut o = Object::new(&mut ours);
        o.str("doc", "d\"1");
        o.uint("start", 0);
        o.uint("end", usize::MAX);
        o.bool("nested", false);
        o.bool("yes", true);
        o.float("confidence", 0.7);
        o.float("one", 1.0);
        o.end();
        let expected = Row {
            doc: "d\"1",
            start: 0,
            end: usize::MAX,
            nested: false,
            yes: true,
            confidence: 0.7,
            one: 1.0,
        };
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }
}
