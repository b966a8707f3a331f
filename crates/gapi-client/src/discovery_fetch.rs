//! Fetching Discovery documents that are newer than, or missing from, the bundle, with an
//! on-disk cache revalidated by ETag.
//!
//! URLs tried, in order: `{base}discovery/v1/apis/{api}/{version}/rest` (base defaults to
//! `https://www.googleapis.com/`), then — only for Google's own base — the per-API
//! `https://{api}.googleapis.com/$discovery/rest?version={version}`.

use std::path::{Path, PathBuf};

use gapi_discovery::RestDescription;
use http::StatusCode;
use http::header::{ETAG, IF_NONE_MATCH};

use crate::error::Error;

const GOOGLE_BASE: &str = "https://www.googleapis.com/";

/// Fetches and caches Discovery documents.
#[derive(Debug, Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct DiscoveryFetcher {
    base: String,
    cache_dir: Option<PathBuf>,
    http: Option<crate::HttpClient>,
}

impl Default for DiscoveryFetcher {
    fn default() -> Self {
        DiscoveryFetcher {
            base: GOOGLE_BASE.to_string(),
            cache_dir: default_cache_dir(),
            http: None,
        }
    }
}

/// `$XDG_CACHE_HOME/gapi/discovery`, else `~/.cache/gapi/discovery`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("gapi").join("discovery"));
    }
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".cache")
            .join("gapi")
            .join("discovery")
    })
}

/// Where a fetched document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchOrigin {
    /// Downloaded now (and cached).
    Network,
    /// The server said the cached copy is current (304).
    Revalidated,
    /// The server could not be reached; the cached copy was used.
    StaleCache,
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !s.contains("..")
}

impl DiscoveryFetcher {
    /// A fetcher for Google's discovery service with the default cache directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fetches from another discovery service root (an emulator: `http://127.0.0.1:PORT/`).
    pub fn base_url(mut self, base: impl Into<String>) -> Self {
        let mut b = base.into();
        if !b.ends_with('/') {
            b.push('/');
        }
        self.base = b;
        self
    }

    /// Caches in this directory (`None` disables the cache).
    pub fn cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// Uses this HTTP client.
    pub fn http_client(mut self, http: crate::HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    fn client(&self) -> Result<reqwest::Client, Error> {
        match &self.http {
            Some(c) => Ok(c.reqwest_client().clone()),
            None if self.base.starts_with("http://") => {
                Ok(crate::HttpClient::plain_http()?.reqwest_client().clone())
            }
            None => Ok(crate::HttpClient::new()?.reqwest_client().clone()),
        }
    }

    fn cache_paths(&self, api: &str, version: &str) -> Option<(PathBuf, PathBuf)> {
        let dir = self.cache_dir.as_ref()?;
        // Different bases must not share cache entries.
        let host = url::Url::parse(&self.base)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| format!("{h}_{}", u.port_or_known_default().unwrap_or(0)))
            })
            .unwrap_or_else(|| "default".into());
        let d = dir.join(host);
        Some((
            d.join(format!("{api}.{version}.json")),
            d.join(format!("{api}.{version}.etag")),
        ))
    }

    /// Fetches the JSON of a document (revalidating a cached copy by ETag).
    pub async fn fetch_json(
        &self,
        api: &str,
        version: &str,
    ) -> Result<(String, FetchOrigin), Error> {
        if !valid_name(api) || !valid_name(version) {
            return Err(Error::invalid_argument(format!(
                "invalid API name or version: {api:?} {version:?}"
            )));
        }
        let http = self.client()?;
        let cache = self.cache_paths(api, version);
        let cached = cache.as_ref().and_then(|(doc, tag)| {
            let text = std::fs::read_to_string(doc).ok()?;
            let etag = std::fs::read_to_string(tag).ok();
            Some((text, etag))
        });
        let mut urls = vec![format!(
            "{}discovery/v1/apis/{api}/{version}/rest",
            self.base
        )];
        if self.base == GOOGLE_BASE {
            urls.push(format!(
                "https://{api}.googleapis.com/$discovery/rest?version={version}"
            ));
        }
        let mut last_err: Option<Error> = None;
        for url in &urls {
            let mut rb = http
                .get(url)
                .header(reqwest::header::USER_AGENT, crate::headers::USER_AGENT);
            if let Some((_, Some(etag))) = &cached {
                rb = rb.header(IF_NONE_MATCH, etag.trim());
            }
            let resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => {
                    last_err = Some(Error::from(e));
                    continue;
                }
            };
            match resp.status() {
                StatusCode::NOT_MODIFIED => {
                    if let Some((text, _)) = cached {
                        return Ok((text, FetchOrigin::Revalidated));
                    }
                    last_err = Some(Error::discovery(format!(
                        "{url} answered 304 but nothing is cached"
                    )));
                }
                s if s.is_success() => {
                    let etag = resp
                        .headers()
                        .get(ETAG)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let text = resp.text().await?;
                    // Check it parses before caching it.
                    RestDescription::from_json(&text).map_err(|e| {
                        Error::discovery(format!("{url} did not return a Discovery document: {e}"))
                    })?;
                    if let Some((doc, tag)) = &cache
                        && let Err(e) = write_cache(doc, tag, &text, etag.as_deref())
                    {
                        tracing::warn!(
                            "could not cache the discovery document in {}: {e}",
                            doc.display()
                        );
                    }
                    return Ok((text, FetchOrigin::Network));
                }
                _ => {
                    last_err = Some(Error::from_response(resp).await);
                }
            }
        }
        if let Some((text, _)) = cached {
            tracing::warn!(
                "could not refresh the discovery document {api}:{version}; using the cached copy"
            );
            return Ok((text, FetchOrigin::StaleCache));
        }
        let detail = last_err.map(|e| e.to_string()).unwrap_or_default();
        Err(Error::discovery(format!(
            "could not fetch the discovery document for {api}:{version}: {detail}"
        )))
    }

    /// Fetches and parses a document.
    pub async fn fetch(&self, api: &str, version: &str) -> Result<RestDescription, Error> {
        let (text, _) = self.fetch_json(api, version).await?;
        RestDescription::from_json(&text)
            .map_err(|e| Error::discovery(format!("{api}:{version}: {e}")))
    }
}

fn write_cache(doc: &Path, tag: &Path, text: &str, etag: Option<&str>) -> std::io::Result<()> {
    let dir = doc.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    gapi_retry::atomic_file::write_atomic(doc, ".tmp-", text.as_bytes())?;
    match etag {
        Some(e) => std::fs::write(tag, e)?,
        None => {
            let _ = std::fs::remove_file(tag);
        }
    }
    Ok(())
}
