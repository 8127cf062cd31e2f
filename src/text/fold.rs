//! The folding tables: which letters normalization treats as one, and which characters break
//! a line. Normalization, sentence segmentation and gazetteer lint all read these tables, so
//! they can never disagree.

/// One letter that matching folds into another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LetterFold {
    /// The letter as written.
    pub(crate) from: char,
    /// What matching sees instead.
    pub(crate) to: char,
    /// Why a gazetteer should not spell an alias with it (lint's `foldable-spelling`), or
    /// `None` where both spellings are standard Persian («آ», «ئ» in «قضائیه», «ؤ»).
    pub(crate) respell: Option<&'static str>,
}

const fn fold(from: char, to: char, respell: Option<&'static str>) -> LetterFold {
    LetterFold { from, to, respell }
}

const YEH: Option<&str> = Some("Arabic yeh ي");
const KAF: Option<&str> = Some("Arabic kaf ك");
const HEH: Option<&str> = Some("heh with yeh above ۀ");
const ALEF: Option<&str> = Some("alef with hamza or wasla (أ إ ٱ)");

/// Arabic letter forms and their Persian equivalents. Every letter is in the Arabic block
/// (U+0600–U+06FF).
pub(crate) const LETTER_FOLDS: &[LetterFold] = &[
    fold('ي', 'ی', YEH),
    fold('ۍ', 'ی', YEH),
    fold('ې', 'ی', YEH),
    fold('ى', 'ی', Some("alef maksura ى")),
    fold('ئ', 'ی', None),
    fold('ك', 'ک', KAF),
    fold('ڪ', 'ک', KAF),
    fold('ػ', 'ک', KAF),
    fold('ؼ', 'ک', KAF),
    fold('ة', 'ه', Some("teh marbuta ة")),
    fold('ۀ', 'ه', HEH),
    fold('ە', 'ه', HEH),
    fold('ۂ', 'ه', HEH),
    fold('ۃ', 'ه', HEH),
    fold('أ', 'ا', ALEF),
    fold('إ', 'ا', ALEF),
    fold('ٱ', 'ا', ALEF),
    fold('ٲ', 'ا', ALEF),
    fold('ٳ', 'ا', ALEF),
    fold('آ', 'ا', None),
    fold('ؤ', 'و', None),
];

/// For each character of the Arabic block, 1 + its index in [`LETTER_FOLDS`], or 0: one
/// array lookup per Persian character instead of a scan of the table.
const ARABIC_BLOCK: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < LETTER_FOLDS.len() {
        let at = LETTER_FOLDS[i].from as u32 - 0x0600;
        assert!(
            at < 256,
            "LETTER_FOLDS holds letters of the Arabic block only"
        );
        table[at as usize] = (i + 1) as u8;
        i += 1;
    }
    table
};

/// The fold of `c`, if matching folds it.
#[inline]
pub(crate) fn letter_fold(c: char) -> Option<&'static LetterFold> {
    let at = (c as u32).wrapping_sub(0x0600);
    if at >= 256 {
        return None;
    }
    match ARABIC_BLOCK[at as usize] {
        0 => None,
        i => Some(&LETTER_FOLDS[i as usize - 1]),
    }
}

/// Whether `c` breaks a line: no match spans it, and a sentence ends at a blank line.
#[inline]
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fold_is_found_by_lookup() {
        for f in LETTER_FOLDS {
            assert_eq!(letter_fold(f.from), Some(f));
        }
        assert_eq!(letter_fold('ی'), None);
        assert_eq!(letter_fold('a'), None);
        assert_eq!(letter_fold('\u{10FFFF}'), None);
    }
}
