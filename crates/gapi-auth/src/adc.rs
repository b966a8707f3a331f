//! Application Default Credentials lookup, for users who already ran
//! `gcloud auth application-default login`.

use std::path::PathBuf;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};

/// The ADC file name inside the gcloud configuration directory.
pub const ADC_FILE: &str = "application_default_credentials.json";

/// Where ADC would be read from: `$GOOGLE_APPLICATION_CREDENTIALS`, else
/// `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
/// `~/.config/gcloud/application_default_credentials.json` (`%APPDATA%\gcloud` on Windows).
/// Returns the first candidate that is set (existence is not checked for the env variable,
/// so a wrong path is reported rather than silently skipped).
pub fn adc_path() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = non_empty("GOOGLE_APPLICATION_CREDENTIALS") {
        return Some(PathBuf::from(p));
    }
    if let Some(dir) = non_empty("CLOUDSDK_CONFIG") {
        return Some(PathBuf::from(dir).join(ADC_FILE));
    }
    if cfg!(windows)
        && let Some(appdata) = non_empty("APPDATA")
    {
        return Some(PathBuf::from(appdata).join("gcloud").join(ADC_FILE));
    }
    let home = non_empty("HOME")?;
    Some(PathBuf::from(home).join(".config").join("gcloud").join(ADC_FILE))
}

/// Loads user credentials from Application Default Credentials. Only the `authorized_user`
/// type is supported; others give an error naming the type.
pub fn load_adc(http: Option<reqwest::Client>) -> Result<Credentials> {
    let Some(path) = adc_path() else {
        return Err(no_adc());
    };
    if !path.exists() {
        return Err(no_adc().with_hint(format!(
            "{} does not exist; run `gcloud auth application-default login` or `gapi auth login`",
            path.display()
        )));
    }
    Credentials::from_authorized_user_file(&path, http)
}

fn no_adc() -> Error {
    Error::new(
        ErrorKind::LoginRequired,
        "no Application Default Credentials were found",
    )
    .with_hint("run `gcloud auth application-default login` or `gapi auth login`")
}
