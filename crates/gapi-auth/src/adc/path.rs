//! Where gcloud keeps Application Default Credentials: the one rule, google-auth's
//! (`google.auth._cloud_sdk.get_application_default_credentials_path`), used both to find the
//! file and to write it.
//!
//! `$CLOUDSDK_CONFIG` when it is set, even to an empty string (google-auth then reads
//! `application_default_credentials.json` in the current directory; gcloud itself would
//! ignore an empty value, but what every Google library reads wins), else
//! `%APPDATA%\gcloud` on Windows, else `~/.config/gcloud` (an empty `HOME` is `/`, as Python's
//! `expanduser` makes it).

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};

/// The ADC file name inside the gcloud configuration directory.
pub const ADC_FILE: &str = "application_default_credentials.json";

/// An environment lookup (the process environment, or a test's).
pub type Env<'a> = &'a (dyn Fn(&str) -> Option<OsString> + Sync);

/// The process environment.
pub(crate) fn process_env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// gcloud's well-known ADC file in the environment `env` (the file may not exist); `None` when
/// no home folder is known.
pub fn gcloud_adc_path(env: Env<'_>) -> Option<PathBuf> {
    let dir = match env("CLOUDSDK_CONFIG") {
        Some(dir) => PathBuf::from(dir),
        None if cfg!(windows) => PathBuf::from(env("APPDATA")?).join("gcloud"),
        None => {
            let home = env("HOME")?;
            let home = if home.is_empty() {
                PathBuf::from("/")
            } else {
                PathBuf::from(home)
            };
            home.join(".config").join("gcloud")
        }
    };
    Some(dir.join(ADC_FILE))
}

/// [`gcloud_adc_path`] in the process environment, or an error saying what to set.
pub(crate) fn well_known_adc_path() -> Result<PathBuf> {
    gcloud_adc_path(&process_env).ok_or_else(|| {
        Error::new(
            ErrorKind::Config,
            "cannot find gcloud's configuration folder: neither CLOUDSDK_CONFIG nor HOME is set",
        )
        .with_hint("set CLOUDSDK_CONFIG to the folder that should hold the ADC file")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + Sync + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn cloudsdk_config_then_home() {
        let all = [("CLOUDSDK_CONFIG", "/gc"), ("HOME", "/home/u")];
        assert_eq!(
            gcloud_adc_path(&env(&all)),
            Some(PathBuf::from("/gc/application_default_credentials.json"))
        );
        if !cfg!(windows) {
            assert_eq!(
                gcloud_adc_path(&env(&all[1..])),
                Some(PathBuf::from(
                    "/home/u/.config/gcloud/application_default_credentials.json"
                ))
            );
            assert_eq!(
                gcloud_adc_path(&env(&[("HOME", "")])),
                Some(PathBuf::from(
                    "/.config/gcloud/application_default_credentials.json"
                ))
            );
            assert_eq!(gcloud_adc_path(&env(&[])), None);
        }
    }

    /// google-auth's `get_config_path` returns `os.environ["CLOUDSDK_CONFIG"]` as it is: an
    /// empty value names the current directory. Reading and writing agree on it (before, the
    /// writer and one reader skipped to `~/.config/gcloud`, the other did not).
    #[test]
    fn an_empty_cloudsdk_config_is_the_current_directory() {
        let e = [("CLOUDSDK_CONFIG", ""), ("HOME", "/home/u")];
        assert_eq!(
            gcloud_adc_path(&env(&e)),
            Some(PathBuf::from("application_default_credentials.json"))
        );
    }
}
