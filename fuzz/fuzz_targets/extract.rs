#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(
    // Building the embedded pipeline takes seconds under the sanitizer: once, before the
    // first input, so that it does not count as a timeout.
    init: {
        checks::embedded_pipeline();
    },
    |data: &[u8]| checks::check_extract(data)
);
