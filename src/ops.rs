//! Operation counts, for the tests that hold the stages linear in the length of a sentence
//! and of a document: a count of the characters, hits and mentions the inner loops visit,
//! which, unlike time, does not depend on the machine or its load. Outside tests it is
//! nothing.

#[cfg(test)]
thread_local! {
    static OPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` operations of this thread.
#[inline(always)]
pub(crate) fn tick(n: usize) {
    #[cfg(test)]
    OPS.with(|ops| ops.set(ops.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// The operations counted on this thread since the last call.
#[cfg(test)]
pub(crate) fn take() -> u64 {
    OPS.with(|ops| ops.replace(0))
}
