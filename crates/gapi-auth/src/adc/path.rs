//! Application Default Credentials lookup, for users who already ran
//! `gcloud auth application-default login`.

use std::path::PathBuf;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};

/// The ADC file name inside the gcloud configuration directory.
pub const ADC_FILE: &str = "application_default_credentials.json";

/// Which rule gave the ADC path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdcOrigin {
    /// `$GOOGLE_APPLICATION_CREDENTIALS` (the file must then exist and be usable).
    EnvVar,
    /// gcloud's well-known file (used only if it exists).
    WellKnown,
}

/// Where ADC would be read from: `$GOOGLE_APPLICATION_CREDENTIALS`, else
/// `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
/// `~/.config/gcloud/application_default_credentials.json` (`%APPDATA%\gcloud` on Windows).
/// Returns the first candidate that is set (existence is not checked for the env variable,
/// so a wrong path is reported rather than silently skipped).
pub fn adc_path() -> Option<PathBuf> {
    adc_candidate().map(|(_, p)| p)
}

/// [`adc_path`] together with the rule that produced it.
pub fn adc_candidate() -> Option<(AdcOrigin, PathBuf)> {
    adc_path_from(|name| std::env::var_os(name))
}

/// [`adc_candidate`] with an injectable environment (for tests).
fn adc_path_from(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<(AdcOrigin, PathBuf)> {
    let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(p) = non_empty("GOOGLE_APPLICATION_CREDENTIALS") {
        return Some((AdcOrigin::EnvVar, PathBuf::from(p)));
    }
    let well_known = |p: PathBuf| Some((AdcOrigin::WellKnown, p));
    if let Some(dir) = non_empty("CLOUDSDK_CONFIG") {
        return well_known(PathBuf::from(dir).join(ADC_FILE));
    }
    if cfg!(windows)
        && let Some(appdata) = non_empty("APPDATA")
    {
        return well_known(PathBuf::from(appdata).join("gcloud").join(ADC_FILE));
    }
    let home = non_empty("HOME")?;
    well_known(
        PathBuf::from(home)
            .join(".config")
            .join("gcloud")
            .join(ADC_FILE),
    )
}

/// Loads user credentials from Application Default Credentials. Only the `authorized_user`
/// type is supported; others give an error naming the type.
pub fn load_adc(http: Option<reqwest::Client>) -> Result<Credentials> {
    let Some(path) = adc_path() else {
        return Err(no_adc());
    };
    if !crate::fsread::something_exists(&path) {
        return Err(no_adc().with_hint(format!("{} does not exist", path.display())));
    }
    // Bounded read (no hang on a FIFO), errors naming the file.
    crate::select::read_adc_file(
        &path,
        http,
        std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS").is_some_and(|v| !v.is_empty()),
    )
}

fn no_adc() -> Error {
    Error::new(
        ErrorKind::LoginRequired,
        "no Application Default Credentials were found",
    )
    .with_remedy(crate::Remedy::LogInOrCreateAdc {
        client_secrets_needed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn lookup_order() {
        let all = [
            ("GOOGLE_APPLICATION_CREDENTIALS", "/a/creds.json"),
            ("CLOUDSDK_CONFIG", "/gc"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(
            adc_path_from(env(&all)),
            Some((AdcOrigin::EnvVar, PathBuf::from("/a/creds.json")))
        );
        assert_eq!(
            adc_path_from(env(&all[1..])),
            Some((
                AdcOrigin::WellKnown,
                PathBuf::from("/gc/application_default_credentials.json")
            ))
        );
        if !cfg!(windows) {
            assert_eq!(
                adc_path_from(env(&all[2..])).map(|(_, p)| p),
                Some(PathBuf::from(
                    "/home/u/.config/gcloud/application_default_credentials.json"
                ))
            );
        }
        assert_eq!(
            adc_path_from(env(&[("GOOGLE_APPLICATION_CREDENTIALS", "")])),
            None
        );
    }
}
