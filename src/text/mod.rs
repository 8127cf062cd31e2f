//! Text handling: normalization for matching (with a map back to the original), sentence
//! segmentation and word segmentation.

mod normalize;
mod sentence;
mod token;

pub use normalize::{is_invisible, is_vowel_letter, is_word_char, Gap, Normalized};
pub use sentence::sentences;
pub use token::{is_word_part, words};
