//! cargo-fuzz target: bytes → reader → canonical order → writer, with the properties of
//! `../check.rs` (no abort, well-formed and bounded output, idempotent, meaning kept).
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("../check.rs");

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = check_round_trip(data) {
        panic!("{problem}");
    }
});
