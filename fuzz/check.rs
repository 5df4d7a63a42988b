// The properties the fuzz target checks on every input, shared word for word with the stable
// replay test (`tests/integration/fuzz_replay.rs` includes this file), so CI keeps them without a
// nightly toolchain. Uses only sfperms' public API.

/// How much longer than its input a written file may be: indentation (4 spaces a level, at most
/// `MAX_DEPTH` levels), `'` → `&apos;` (6 bytes for 1) and the declaration and namespace added.
pub const GROWTH_FACTOR: usize = 16;
pub const GROWTH_SLACK: usize = 512;

/// Reads `data`; when the reader accepts it, writes it canonically and checks: both writers write
/// the same bytes, the output is at most `GROWTH_FACTOR` × the input (+ `GROWTH_SLACK`), reads back
/// (so it is well-formed), reads back as the same document (meaning kept), and writing that again
/// gives the same bytes (idempotent). A refusal is fine; a panic is a failure.
pub fn check_round_trip(data: &[u8]) -> Result<(), String> {
    use sfperms::emit::{render_as_is, render_as_is_fast};
    use sfperms::metadata::canonical::canonicalize;
    use sfperms::metadata::read::parse_bytes;

    let Ok(mut doc) = parse_bytes(data) else { return Ok(()) };
    canonicalize(&mut doc);
    let first = render_as_is_fast(&doc);
    let templated = render_as_is(&doc);
    if first != templated {
        return Err(format!("the two writers differ:\nfast: {first:?}\ntemplates: {templated:?}"));
    }
    if first.len() > GROWTH_FACTOR * data.len() + GROWTH_SLACK {
        return Err(format!("{} bytes written for {} read", first.len(), data.len()));
    }
    let mut again =
        parse_bytes(first.as_bytes()).map_err(|e| format!("the output does not read back: {e}\n{first:?}"))?;
    canonicalize(&mut again);
    if again != doc {
        return Err(format!("meaning changed:\nbefore: {doc:?}\nafter: {again:?}"));
    }
    let second = render_as_is_fast(&again);
    if second != first {
        return Err(format!("not idempotent:\nfirst: {first:?}\nsecond: {second:?}"));
    }
    Ok(())
}
