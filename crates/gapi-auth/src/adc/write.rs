//! Writing Application Default Credentials where gcloud writes them
//! (`gcloud auth application-default login`) and every Google library reads them (the one rule
//! of `path.rs`; `GOOGLE_APPLICATION_CREDENTIALS` is not consulted: it names a file to read,
//! and gcloud does not write there either), in gcloud's
//! `authorized_user` shape (no access token), atomically and with mode 0600. Every Google
//! library on the machine (Python's `google.auth.default()`, Node, Go, Java) then finds it.

use std::path::PathBuf;

use super::path::well_known_adc_path;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};

/// The keys gcloud writes to an `authorized_user` ADC file.
const ADC_KEYS: &[&str] = &[
    "account",
    "client_id",
    "client_secret",
    "quota_project_id",
    "refresh_token",
    "type",
    "universe_domain",
];

/// The ADC JSON for `creds`: gcloud's keys only, `quota_project_id` when set.
pub(crate) fn adc_json(creds: &Credentials) -> Result<String> {
    if !creds.has_refresh_token() {
        return Err(Error::new(
            ErrorKind::LoginRequired,
            "the login issued no refresh token, so it cannot serve as Application Default \
             Credentials",
        )
        .with_hint("log in again; the consent page must be shown (prompt=consent)"));
    }
    let json = creds.to_authorized_user_json().ok_or_else(|| {
        Error::new(
            ErrorKind::LoginRequired,
            "only a user's login can be written as Application Default Credentials",
        )
    })?;
    let full: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| Error::new(ErrorKind::Store, format!("cannot encode credentials: {e}")))?;
    let mut out = serde_json::Map::new();
    for key in ADC_KEYS {
        match full.get(*key) {
            Some(serde_json::Value::String(s)) if s.is_empty() && *key == "account" => {}
            Some(v) if !v.is_null() => {
                out.insert((*key).to_string(), v.clone());
            }
            _ => {}
        }
    }
    serde_json::to_string_pretty(&out)
        .map_err(|e| Error::new(ErrorKind::Store, format!("cannot encode credentials: {e}")))
}

/// Writes `creds` as the ADC file at [`super::gcloud_adc_path`] (folder created 0700, file 0600,
/// atomically). Returns the path written.
pub fn save_adc(creds: &Credentials) -> Result<PathBuf> {
    let path = well_known_adc_path()?;
    let json = adc_json(creds)?;
    let dir = path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    crate::store::write_atomic(&path, ".adc.json.tmp-", json.as_bytes())?;
    Ok(path)
}
