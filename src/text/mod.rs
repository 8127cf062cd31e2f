//! Text handling, the first two stages: normalization for matching (with a map back to the
//! original) and segmentation into sentences and words.

mod fold;
mod normalize;
mod segment;
mod token;

pub(crate) use fold::letter_fold;
pub use normalize::{
    is_invisible, is_vowel_letter, is_word_char, skeleton, skeleton_into, Gap, Normalized,
};
pub use segment::{join_across, sentences};
pub use token::{is_white_space, is_word_part, last_word, words};
