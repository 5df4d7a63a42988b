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

    /// An API name: a letter first, then letters, digits and single underscores, not ending in
    /// one, at most 80 characters; each refusal says which rule the name breaks.
    #[test]
    fn an_api_name_is_refused_with_the_rule_it_breaks() {
        let eighty = format!("A{}", "b".repeat(79));
        assert_eq!(check_api_name(&eighty), Ok(()));
        assert_eq!(check_api_name("A1_b2_C3"), Ok(()));
        let cases = [
            ("", "it is empty"),
            (&*format!("{eighty}c"), "it is longer than 80 characters"),
            ("_Planhat", "it must start with a letter"),
            ("9Planhat", "it must start with a letter"),
            ("Plan-hat", "it may hold only letters, digits and underscores"),
            ("Planhät", "it may hold only letters, digits and underscores"),
            ("Plan__hat", "it may not contain two underscores in a row"),
            ("Planhat_", "it may not end with an underscore"),
        ];
        for (name, why) in cases {
            assert_eq!(check_api_name(name), Err(format!("`{name}` is not a valid API name: {why}")));
        }
    }

    /// A label holds at most 80 characters and a profile name 255, counted in characters, not
    /// bytes; blank ones and control characters are refused, each with its words.
    #[test]
    fn labels_and_profile_names_are_counted_in_characters() {
        assert_eq!(check_label(&"é".repeat(80)), Ok(()));
        assert_eq!(
            check_label(&"é".repeat(81)),
            Err(format!("`{}` is longer than the 80 characters Salesforce allows", "é".repeat(81)))
        );
        assert_eq!(check_profile_name(&"x".repeat(255)), Ok(()));
        assert!(check_profile_name(&"x".repeat(256)).unwrap_err().contains("the 255 characters"));
        assert_eq!(check_label(" "), Err("a label may not be empty".to_string()));
        assert_eq!(
            check_profile_name("a\u{7}b"),
            Err("\"a\\u{7}b\" holds the control character U+0007; a profile name may not".to_string())
        );
    }

    /// Outside ASCII letters, digits, space, `_` and `-`, an ASCII character is percent-encoded in
    /// two upper-case hex digits; other characters are kept. Decoding takes back any valid escape
    /// and leaves an invalid or cut one as it is.
    #[test]
    fn file_names_encode_ascii_punctuation_and_decode_valid_escapes() {
        assert_eq!(encode_file_name("a/b\\c%d.e"), "a%2Fb%5Cc%25d%2Ee");
        assert_eq!(encode_file_name("Ünïcode Ökonom_1-2"), "Ünïcode Ökonom_1-2");
        assert_eq!(encode_file_name("\u{1}"), "%01");
        assert_eq!(decode_file_name("a%2fb%2E"), "a/b.");
        assert_eq!(decode_file_name("%zz%2"), "%zz%2");
        assert_eq!(decode_file_name("%2%2E"), "%2.");
        assert_eq!(decode_file_name("%"), "%");
        // Escapes that make no UTF-8 text leave the name as it was.
        assert_eq!(decode_file_name("a%FFb"), "a%FFb");
        assert_eq!(decode_file_name("%C3%A9"), "é");
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
