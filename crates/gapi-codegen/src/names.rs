//! Rust names for Discovery names: types in `PascalCase`, fields and methods in `snake_case`,
//! keywords and names starting with a digit made legal, and a per-scope allocator so two
//! wire names never become one Rust name.

use std::collections::BTreeSet;

/// Rust keywords (strict, reserved, and the 2024 edition's `gen`): such a field or method
/// name gets a trailing `_` (`type_`, `ref_`, `self_`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Type names a generated module must not define: the prelude's (which its code uses
/// unqualified), `Self`, and a few the derives name. A schema of such a name gets the suffix
/// `Schema`.
pub const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Debug",
    "Hash",
];

/// Splits a Discovery name into words: at non-alphanumerics and at case changes
/// (`getIamPolicy` → get, Iam, Policy; `HTTPServer` → HTTP, Server; `ALL_DRIVES`).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                        || (c.is_ascii_uppercase()
                            && p.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `snake_case` for a field, parameter or method (`mimeType` → `mime_type`, `type` → `type_`,
/// `4k` → `_4k`); an empty name becomes `value`.
pub fn snake(name: &str) -> String {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `PascalCase` for a type (`FileList` stays, `drive#file` → `DriveFile`, `URL` → `Url`),
/// `prefix` put before a leading digit.
pub fn pascal(name: &str, prefix: &str) -> String {
    let whole_upper = name.chars().any(|c| c.is_ascii_alphabetic())
        && !name.chars().any(|c| c.is_ascii_lowercase());
    let mut s = String::new();
    for w in words(name) {
        let mut chars = w.chars();
        let Some(first) = chars.next() else { continue };
        s.push(first.to_ascii_uppercase());
        // An all-caps value (`ALL_DRIVES`) or name (`URL`) is written in words; mixed case
        // (`FileList`, `GoogleCloudV1Foo`) keeps its own capitals.
        let rest: String = chars.collect();
        if whole_upper || (!rest.chars().any(|c| c.is_ascii_lowercase()) && rest.len() > 1) {
            s.push_str(&rest.to_ascii_lowercase());
        } else {
            s.push_str(&rest);
        }
    }
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    s
}

/// `UPPER_SNAKE` for a constant.
pub fn upper_snake(name: &str) -> String {
    let s = snake(name).trim_end_matches('_').to_ascii_uppercase();
    if s.starts_with('_') {
        format!("SCOPE{s}")
    } else {
        s
    }
}

/// Hands out unique names in one scope: a taken name gets `2`, `3`, ... (for snake names
/// `_2`).
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A scope where `reserved` are already taken.
    pub fn with(reserved: &[&str]) -> Names {
        Names {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `want` if free, else the first free `want2`, `want3` (`want_2` when `want` is snake).
    pub fn take(&mut self, want: &str) -> String {
        let snake = want.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let mut name = want.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = if snake {
                format!("{}_{n}", want.trim_end_matches('_'))
            } else {
                format!("{want}{n}")
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("mimeType"), "mime_type");
        assert_eq!(snake("getIamPolicy"), "get_iam_policy");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("ref"), "ref_");
        assert_eq!(snake("4k"), "_4k");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(
            snake("options.requestedPolicyVersion"),
            "options_requested_policy_version"
        );
        assert_eq!(snake("md5Checksum"), "md5_checksum");
        assert_eq!(snake("$.xgafv"), "xgafv");
        assert_eq!(snake(""), "value");
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("FileList", "T"), "FileList");
        assert_eq!(pascal("ALL_DRIVES", "V"), "AllDrives");
        assert_eq!(pascal("user", "V"), "User");
        assert_eq!(pascal("1080p", "V"), "V1080p");
        assert_eq!(pascal("URL", "T"), "Url");
        assert_eq!(
            pascal("GoogleCloudAiplatformV1Model", "T"),
            "GoogleCloudAiplatformV1Model"
        );
        assert_eq!(
            pascal("application/vnd.google-apps.folder", "V"),
            "ApplicationVndGoogleAppsFolder"
        );
        assert_eq!(pascal("", "V"), "Empty");
        assert_eq!(
            upper_snake("drive.metadata.readonly"),
            "DRIVE_METADATA_READONLY"
        );
    }

    #[test]
    fn allocation() {
        let mut n = Names::with(&["Drive"]);
        assert_eq!(n.take("Drive"), "Drive2");
        assert_eq!(n.take("File"), "File");
        assert_eq!(n.take("File"), "File2");
        let mut s = Names::default();
        assert_eq!(s.take("type_"), "type_");
        assert_eq!(s.take("type_"), "type_2");
    }
}
