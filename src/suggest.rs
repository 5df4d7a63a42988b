//! "Did you mean" hints for misspelt names (of options, features, licences, files), shared by
//! every layer that reports one.

/// Suggestions for a misspelt `wrong` among `candidates`, for "did you mean" hints.
pub(crate) fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "; did you mean `x`?" or "" — to append to a message.
pub fn hint<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(wrong, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}
