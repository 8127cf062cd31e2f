//! Checks a gazetteer maintainer runs: `gazetteer lint` ([`lint`]) and the test cases beside
//! the gazetteers (`gazetteer test`, [`run_cases`]). They read the data as the loader does
//! and run the real pipeline, so they sit after every stage.

mod cases;
mod lint;

pub use cases::{run_cases, Case, CaseFailure, CaseReport, Expect};
pub use lint::{lint, Finding};
