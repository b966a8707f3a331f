//! The directory of APIs (`discovery#directoryList`): which APIs and versions exist and which
//! version is preferred.

use serde::{Deserialize, Serialize};

/// The list of known APIs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Directory {
    /// One entry per (API, version).
    pub items: Vec<DirectoryItem>,
}

/// One (API, version) in the directory.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryItem {
    /// `drive:v3`.
    pub id: String,
    /// `drive`.
    pub name: String,
    /// `v3`.
    pub version: String,
    /// A human title.
    pub title: String,
    /// A human description.
    pub description: String,
    /// Whether this is the version to use when none is given.
    pub preferred: bool,
    /// Where the document is published.
    pub discovery_rest_url: String,
    /// Link to the documentation.
    pub documentation_link: String,
}

impl Directory {
    /// Parses a directory list.
    pub fn from_json(json: &str) -> Result<Directory, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The directory of the bundled documents, parsed once per process.
    pub fn bundled() -> &'static Directory {
        static DIR: std::sync::OnceLock<Directory> = std::sync::OnceLock::new();
        DIR.get_or_init(|| {
            crate::bundle::directory_json()
                .ok()
                .and_then(|j| Directory::from_json(&j).ok())
                .unwrap_or_default()
        })
    }

    /// The preferred version of an API: the one marked preferred, else the only one, else the
    /// highest stable version.
    pub fn preferred_version(&self, name: &str) -> Option<&str> {
        let versions: Vec<&DirectoryItem> = self.items.iter().filter(|i| i.name == name).collect();
        if let Some(p) = versions.iter().find(|i| i.preferred) {
            return Some(&p.version);
        }
        versions
            .iter()
            .max_by_key(|i| version_key(&i.version))
            .map(|i| i.version.as_str())
    }

    /// All versions of an API, in directory order.
    pub fn versions(&self, name: &str) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| i.name == name)
            .map(|i| i.version.as_str())
            .collect()
    }

    /// The entry for an exact (API, version).
    pub fn get(&self, name: &str, version: &str) -> Option<&DirectoryItem> {
        self.items
            .iter()
            .find(|i| i.name == name && i.version == version)
    }
}

/// Orders versions: stable before alpha/beta, then by the numbers they contain.
fn version_key(v: &str) -> (bool, Vec<u64>) {
    let unstable = v.contains("alpha") || v.contains("beta");
    let nums = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (!unstable, nums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
    fn bundled_directory_prefers_drive_v3() {
        assert_eq!(Directory::bundled().preferred_version("drive"), Some("v3"));
        assert!(Directory::bundled().items.len() >= 600);
    }

    #[test]
    fn preferred_flag_wins_then_highest_stable() {
        let d = Directory::from_json(
            r#"{"items":[{"name":"a","version":"v1"},{"name":"a","version":"v2beta1"},{"name":"a","version":"v2"},
               {"name":"b","version":"v1"},{"name":"b","version":"v2","preferred":false},{"name":"b","version":"v1","preferred":true}]}"#,
        )
        .unwrap();
        assert_eq!(d.preferred_version("a"), Some("v2"));
        assert_eq!(d.preferred_version("b"), Some("v1"));
        assert_eq!(d.preferred_version("zzz"), None);
    }
}
