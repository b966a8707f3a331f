//! `client_secret.json` ("installed" and "web" apps) as downloaded from the Cloud Console.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::fsread::{ReadError, read_small_text};
use crate::protocol::TokenClient;
use crate::protocol::endpoints::{Endpoints, GOOGLE_AUTH_URI, GOOGLE_TOKEN_URI};
use crate::protocol::transport::ensure_secure_endpoint;
use crate::secret::ClientSecret;
use crate::warnings;

/// Which section of the client secrets file the client came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `"installed"`: a desktop / CLI client (the normal case).
    Installed,
    /// `"web"`: a web application client.
    Web,
}

/// An OAuth client's identity and endpoints, read from a client secrets file.
#[derive(Debug, Clone)]
pub struct ClientSecrets {
    /// Which kind of client this is.
    pub kind: ClientKind,
    /// The public client id.
    pub client_id: String,
    /// The client secret (optional: public clients may have none).
    pub client_secret: Option<ClientSecret>,
    /// The authorization endpoint the file names.
    pub auth_uri: String,
    /// The token endpoint the file names.
    pub token_uri: String,
    /// Registered redirect URIs, if the file lists them.
    pub redirect_uris: Vec<String>,
    /// The Cloud project id, if present.
    pub project_id: Option<String>,
}

impl ClientSecrets {
    /// A client built in code (for providers without a secrets file), using Google endpoints.
    pub fn new(client_id: impl Into<String>, client_secret: Option<ClientSecret>) -> Self {
        ClientSecrets {
            kind: ClientKind::Installed,
            client_id: client_id.into(),
            client_secret,
            auth_uri: GOOGLE_AUTH_URI.to_string(),
            token_uri: GOOGLE_TOKEN_URI.to_string(),
            redirect_uris: Vec::new(),
            project_id: None,
        }
    }

    /// Reads a client secrets file; errors name the file and the faulty field. Logs a warning
    /// (does not fail) when the file is readable by others or sits inside a git work tree.
    ///
    /// Every failure is [`ErrorKind::Config`] (a wrong file was given) except an I/O error
    /// reading a proper file ([`ErrorKind::Io`]). A FIFO, a device, a directory or a file over
    /// 1 MiB is refused without reading it; a UTF-8 byte order mark is accepted.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let download = "download the OAuth client (type \"Desktop app\") JSON from the Cloud \
                        Console credentials page and pass its path";
        let text = read_small_text(path).map_err(|e| {
            let kind = match e {
                ReadError::Io(_) => ErrorKind::Io,
                _ => ErrorKind::Config,
            };
            Error::new(
                kind,
                format!("cannot read client secrets file {}: {e}", path.display()),
            )
            .with_hint(download)
        })?;
        for warning in warnings::file_warnings(path) {
            tracing::warn!("{warning}");
        }
        Self::from_json(&text).map_err(|e| {
            let kind = match e.kind() {
                ErrorKind::InsecureTransport => ErrorKind::InsecureTransport,
                _ => ErrorKind::Config,
            };
            Error::new(
                kind,
                format!("client secrets file {}: {}", path.display(), e.message()),
            )
            .with_hint(e.hint().unwrap_or_else(|| {
                "check the file is the client JSON from the Cloud Console".to_string()
            }))
        })
    }

    /// Parses the JSON text of a client secrets file.
    pub fn from_json(text: &str) -> Result<Self> {
        let hint = "expected {\"installed\": {\"client_id\": ..., \"client_secret\": ..., \
                    \"auth_uri\": ..., \"token_uri\": ...}} as downloaded from the Cloud Console";
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Config, format!("not valid JSON ({e})")).with_hint(hint)
        })?;
        let (kind, section) = if let Some(s) = value.get("installed") {
            (ClientKind::Installed, s)
        } else if let Some(s) = value.get("web") {
            (ClientKind::Web, s)
        } else {
            let found = value
                .get("type")
                .and_then(Value::as_str)
                .map(|t| format!(" (found a file of type \"{t}\")"))
                .unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Config,
                format!("missing the \"installed\" or \"web\" section{found}"),
            )
            .with_hint(hint));
        };
        let section_name = match kind {
            ClientKind::Installed => "installed",
            ClientKind::Web => "web",
        };
        let string_field = |name: &str, required: bool| -> Result<Option<String>> {
            match section.get(name) {
                None | Some(Value::Null) if !required => Ok(None),
                None | Some(Value::Null) => Err(Error::new(
                    ErrorKind::Config,
                    format!("missing field \"{section_name}.{name}\""),
                )
                .with_hint(hint)),
                Some(Value::String(s)) if s.trim().is_empty() && required => Err(Error::new(
                    ErrorKind::Config,
                    format!("field \"{section_name}.{name}\" is empty"),
                )
                .with_hint(hint)),
                Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
                Some(_) => Err(Error::new(
                    ErrorKind::Config,
                    format!("field \"{section_name}.{name}\" must be a string"),
                )
                .with_hint(hint)),
            }
        };
        let client_id = string_field("client_id", true)?.unwrap_or_default();
        let client_secret = string_field("client_secret", false)?
            .filter(|s| !s.is_empty())
            .map(ClientSecret::new);
        let auth_uri =
            string_field("auth_uri", false)?.unwrap_or_else(|| GOOGLE_AUTH_URI.to_string());
        let token_uri =
            string_field("token_uri", false)?.unwrap_or_else(|| GOOGLE_TOKEN_URI.to_string());
        let project_id = string_field("project_id", false)?;
        let redirect_uris = match section.get("redirect_uris") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("field \"{section_name}.redirect_uris\" must be a list of strings"),
                )
                .with_hint(hint));
            }
        };
        let secrets = ClientSecrets {
            kind,
            client_id,
            client_secret,
            auth_uri,
            token_uri,
            redirect_uris,
            project_id,
        };
        // Validate the URLs now so a typo is reported against the file, not later, and refuse
        // a token endpoint that would receive the code and secret in clear before the user
        // is sent to consent.
        let endpoints = secrets.endpoints()?;
        ensure_secure_endpoint(&endpoints.token)?;
        Ok(secrets)
    }

    /// The endpoints this client uses: the file's `auth_uri`/`token_uri`, the others as
    /// siblings of `token_uri`.
    pub fn endpoints(&self) -> Result<Endpoints> {
        Endpoints::from_auth_and_token(&self.auth_uri, &self.token_uri)
    }
}

impl TokenClient {
    /// A client for the client and endpoints of a client secrets file.
    pub fn from_secrets(secrets: &ClientSecrets) -> Result<Self> {
        Self::new(
            secrets.client_id.clone(),
            secrets.client_secret.clone(),
            secrets.endpoints()?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_installed() {
        let s = ClientSecrets::from_json(
            r#"{"installed":{"client_id":"id.apps","client_secret":"sh","project_id":"p",
            "auth_uri":"https://accounts.google.com/o/oauth2/auth",
            "token_uri":"https://oauth2.googleapis.com/token",
            "redirect_uris":["http://localhost"]}}"#,
        )
        .unwrap();
        assert_eq!(s.kind, ClientKind::Installed);
        assert_eq!(s.client_id, "id.apps");
        assert_eq!(s.client_secret.as_ref().unwrap().secret(), "sh");
        assert_eq!(s.redirect_uris, vec!["http://localhost"]);
        assert!(!format!("{s:?}").contains("\"sh\""));
    }

    #[test]
    fn reads_web_with_defaults() {
        let s = ClientSecrets::from_json(r#"{"web":{"client_id":"w"}}"#).unwrap();
        assert_eq!(s.kind, ClientKind::Web);
        assert!(s.client_secret.is_none());
        assert_eq!(s.token_uri, GOOGLE_TOKEN_URI);
    }

    #[test]
    fn errors_name_the_field() {
        let e = ClientSecrets::from_json(r#"{"installed":{"client_secret":"x"}}"#).unwrap_err();
        assert!(e.to_string().contains("\"installed.client_id\""), "{e}");
        let e = ClientSecrets::from_json(r#"{"type":"service_account"}"#).unwrap_err();
        assert!(e.to_string().contains("service_account"), "{e}");
        let e = ClientSecrets::from_json("{").unwrap_err();
        assert!(e.to_string().contains("not valid JSON"));
        let e = ClientSecrets::from_json(r#"{"installed":{"client_id":"a","token_uri":5}}"#)
            .unwrap_err();
        assert!(e.to_string().contains("installed.token_uri"));
    }

    #[test]
    fn from_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cs.json");
        std::fs::write(&p, r#"{"installed":{}}"#).unwrap();
        let e = ClientSecrets::from_file(&p).unwrap_err();
        assert!(e.to_string().contains("cs.json"), "{e}");
        let e = ClientSecrets::from_file(dir.path().join("missing.json")).unwrap_err();
        assert!(e.to_string().contains("missing.json"), "{e}");
        assert!(e.hint().is_some());
        assert_eq!(e.kind(), ErrorKind::Config, "a wrong path is a usage error");
        let e = ClientSecrets::from_file(dir.path()).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        assert_eq!(e.kind(), ErrorKind::Config);
    }

    #[test]
    fn bom_is_accepted_and_plain_http_token_uri_refused() {
        let s = ClientSecrets::from_json("\u{feff}{\"installed\":{\"client_id\":\"b\"}}").unwrap();
        assert_eq!(s.client_id, "b");
        let e = ClientSecrets::from_json(
            r#"{"installed":{"client_id":"a","token_uri":"http://evil.example.com/token"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InsecureTransport, "{e}");
        ClientSecrets::from_json(
            r#"{"installed":{"client_id":"a","token_uri":"http://127.0.0.1:9/token"}}"#,
        )
        .unwrap();
    }
}
