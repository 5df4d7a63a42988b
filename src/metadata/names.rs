//! Metadata names: what a PermissionSet API name may be, and how a component name becomes a file
//! name (Salesforce URL-encodes some characters: `Work%2Ecom Only User.profile-meta.xml`,
//! `Custom%3A Sales Profile.profile`, `… %28Provider%29.profile-meta.xml` in real retrieves).

/// Checks a PermissionSet API name: a letter first, then letters, digits and single underscores,
/// not ending in `_`, at most 80 characters (the rules Setup enforces on "API Name").
pub fn check_api_name(name: &str) -> Result<(), String> {
    let problem = if name.is_empty() {
        Some("it is empty")
    } else if name.len() > 80 {
        Some("it is longer than 80 characters")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Some("it may hold only letters, digits and underscores")
    } else if name.contains("__") {
        Some("it may not contain two underscores in a row")
    } else if name.ends_with('_') {
        Some("it may not end with an underscore")
    } else {
        None
    };
    match problem {
        Some(why) => Err(format!("`{name}` is not a valid API name: {why}")),
        None => Ok(()),
    }
}

/// Checks a name or label people give: not blank, no control characters (a newline would split a
/// file name or a package.xml member), at most `limit` characters. `what`: "a label", "a profile name".
fn check_text(text: &str, what: &str, limit: usize) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{what} may not be empty"));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!("{text:?} holds the control character U+{:04X}; {what} may not", c as u32));
    }
    if text.chars().count() > limit {
        return Err(format!("`{text}` is longer than the {limit} characters Salesforce allows"));
    }
    Ok(())
}

/// Checks a profile name. The 255 is UNVERIFIED: the Metadata API reference gives no limit for a
/// profile name; 255 is the Profile object's `Name` field length.
pub(crate) fn check_profile_name(name: &str) -> Result<(), String> {
    check_text(name, "a profile name", 255)
}

/// Checks a permission set label: at most 80 characters (the limit Setup enforces on "Label").
pub(crate) fn check_label(label: &str) -> Result<(), String> {
    check_text(label, "a label", 80)
}

/// The file-name form of a component name: ASCII outside letters, digits, space, `_` and `-` is
/// percent-encoded. Seen in retrieves for `.`, `:`, `(` and `)`; the rest of the set is UNVERIFIED
/// (chosen so every name maps to a portable file name and back).
pub fn encode_file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-') || !c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("%{:02X}", c as u32));
        }
    }
    out
}

/// The component name of a file name (reverses `encode_file_name`; invalid escapes stay as they are).
pub(crate) fn decode_file_name(file: &str) -> String {
    let bytes = file.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(value) = u8::from_str_radix(hex, 16) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| file.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names() {
        assert!(check_api_name("Planhat_Integration").is_ok());
        assert!(check_api_name("1Planhat").is_err());
        assert!(check_api_name("Plan__hat").is_err());
        assert!(check_api_name("Planhat_").is_err());
        assert!(check_api_name("Plan hat").is_err());
    }

    #[test]
    fn labels_and_profile_names() {
        assert!(check_label("Planhat").is_ok());
        for bad in ["", "  ", "a\u{7}b", "a\nb", &"x".repeat(81)] {
            assert!(check_label(bad).is_err(), "{bad:?}");
        }
        assert!(check_profile_name("E&F Management").is_ok());
        for bad in ["", "a\nb", "a\tb", "a\u{0}"] {
            assert!(check_profile_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn file_names_round_trip() {
        assert_eq!(encode_file_name("Work.com Only User"), "Work%2Ecom Only User");
        assert_eq!(encode_file_name("Custom: Sales Profile"), "Custom%3A Sales Profile");
        assert_eq!(encode_file_name("Minimum Access - Salesforce"), "Minimum Access - Salesforce");
        for name in ["Physician Referral Management (Provider)", "Work.com Only User", "A%B"] {
            assert_eq!(decode_file_name(&encode_file_name(name)), name);
        }
        assert_eq!(decode_file_name("100%"), "100%");
    }
}
