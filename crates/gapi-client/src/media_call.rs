//! A method call with media: [`MethodCall::upload`] and [`MethodCall::download`] builders, so
//! a caller names the source or the target and the library picks the rest (the upload
//! protocol and URL, the metadata URL that proves and checks a download).
//!
//! ```no_run
//! # async fn demo(drive: gapi_client::Service) -> gapi_client::Result<()> {
//! use gapi_client::media::MediaSource;
//! let created = drive
//!     .method("files.create")?
//!     .body(serde_json::json!({"name": "report.pdf"}))
//!     .upload(MediaSource::path("report.pdf"))
//!     .content_type("application/pdf")
//!     .send()
//!     .await?;
//! let id = created["id"].as_str().unwrap_or_default();
//! drive
//!     .method("files.get")?
//!     .param("fileId", id)
//!     .download()
//!     .to_file("copy.pdf")
//!     .await?;
//! # Ok(()) }
//! ```

use std::path::Path;

use serde_json::Value;
use url::Url;

use crate::error::Error;
use crate::media::{
    DownloadOptions, DownloadReport, MediaClient, MediaSource, Progress, UploadOptions,
    UploadProtocol,
};
use crate::method_call::{MediaUploadTarget, MethodCall};
use crate::params::ParamValue;

/// Uploads above this size go resumable when no protocol is named (and resumable is
/// offered), as Google's client libraries do: a dropped connection then costs one chunk.
pub const RESUMABLE_THRESHOLD: u64 = 5 * 1024 * 1024;

/// Chooses the upload protocol and its URL: the named one if the method offers it; else
/// resumable for sources above [`RESUMABLE_THRESHOLD`] or of unknown size (or when it is the
/// only one offered), multipart when there is metadata, simple otherwise.
pub fn choose_protocol(
    method_id: &str,
    target: &MediaUploadTarget,
    named: Option<UploadProtocol>,
    size: Option<u64>,
    has_metadata: bool,
) -> Result<(UploadProtocol, Url), Error> {
    let url_of = |p: UploadProtocol| match p {
        UploadProtocol::Resumable => target.resumable_url.clone(),
        UploadProtocol::Multipart if !target.simple_multipart => None,
        _ => target.simple_url.clone(),
    };
    let protocol = match named {
        Some(p) => p,
        None if target.resumable_url.is_some()
            && (size.is_none_or(|s| s > RESUMABLE_THRESHOLD) || target.simple_url.is_none()) =>
        {
            UploadProtocol::Resumable
        }
        None if has_metadata => UploadProtocol::Multipart,
        None => UploadProtocol::Simple,
    };
    let url = url_of(protocol).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{method_id} does not offer uploadType={}",
            protocol.upload_type()
        ))
    })?;
    if let Some(max) = target.max_size
        && size.is_some_and(|s| s > max)
    {
        return Err(Error::invalid_argument(format!(
            "{method_id} accepts media of at most {max} bytes; this source has {}",
            size.unwrap_or_default()
        )));
    }
    Ok((protocol, url))
}

/// An upload being put together: see [`MethodCall::upload`].
#[derive(Debug)]
#[must_use = "an upload does nothing until `.send().await`"]
pub struct UploadCall {
    call: MethodCall,
    source: MediaSource,
    protocol: Option<UploadProtocol>,
    options: UploadOptions,
}

impl UploadCall {
    /// The media's MIME type (default `application/octet-stream`).
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.options.content_type = mime.into();
        self
    }
    /// Forces a protocol (default: chosen by [`choose_protocol`]; a `uploadType`
    /// parameter on the call names one too).
    pub fn protocol(mut self, protocol: UploadProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }
    /// Sets the resumable chunk size (rounded up to a multiple of 256 KiB).
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.options = self.options.chunk_size(bytes);
        self
    }
    /// Reports progress as bytes are sent.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.options.progress = progress;
        self
    }
    /// Saves the resumable session to this file (see [`crate::media::ResumableSession`]).
    pub fn session_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.options = self.options.session_file(path);
        self
    }

    /// The protocol and the URL this upload's (first) request goes to, `uploadType` included,
    /// checked without sending anything.
    pub fn plan(&self) -> Result<(UploadProtocol, Url), Error> {
        let (call, named) = split_upload_type(&self.call)?;
        let prepared = call.prepare()?;
        let target = prepared.media_upload.as_ref().ok_or_else(|| {
            Error::invalid_argument(format!(
                "{} does not accept media uploads",
                prepared.method_id
            ))
        })?;
        let (protocol, url) = choose_protocol(
            &prepared.method_id,
            target,
            self.protocol.or(named),
            self.source.size()?,
            prepared.body.is_some(),
        )?;
        Ok((protocol, crate::media::with_upload_type(url, protocol)))
    }

    /// Sends the upload and returns the method's JSON answer.
    pub async fn send(self) -> Result<Value, Error> {
        let (protocol, url) = self.plan()?;
        let (call, _) = split_upload_type(&self.call)?;
        let prepared = call.prepare()?;
        MediaClient::new(call.service().transport())?
            .upload(
                prepared.method.clone(),
                url,
                protocol,
                prepared.body.as_ref(),
                self.source,
                &self.options,
            )
            .await
    }
}

/// The call without its `uploadType` parameter (it names the protocol; it is not a parameter
/// of the method itself), and the protocol it named.
fn split_upload_type(call: &MethodCall) -> Result<(MethodCall, Option<UploadProtocol>), Error> {
    let named = match call.get_param("uploadType") {
        None => None,
        Some(ParamValue::Str(s)) => Some(UploadProtocol::from_upload_type(s).ok_or_else(|| {
            Error::invalid_argument(format!(
                "uploadType={s} is not one of media, multipart, resumable"
            ))
        })?),
        Some(other) => {
            return Err(Error::invalid_argument(format!(
                "uploadType must be one of media, multipart, resumable, not {other:?}"
            )));
        }
    };
    Ok((call.clone().remove_param("uploadType"), named))
}

/// A media download being put together: see [`MethodCall::download`].
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until executed"]
pub struct DownloadCall {
    call: MethodCall,
    options: DownloadOptions,
}

impl DownloadCall {
    /// Allows replacing an existing target file (default: refuse).
    pub fn overwrite(mut self, yes: bool) -> Self {
        self.options.overwrite = yes;
        self
    }
    /// Enables or disables continuing an earlier partial download of the same object (default: on).
    pub fn resume(mut self, yes: bool) -> Self {
        self.options.resume = yes;
        self
    }
    /// Reports progress as bytes arrive.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.options.progress = progress;
        self
    }

    /// The media URL and the options (with the metadata URL that proves a resume and
    /// checks the bytes), without sending anything.
    pub fn plan(&self) -> Result<(Url, DownloadOptions), Error> {
        let prepared = self.call.prepare()?;
        let url = prepared
            .download_url
            .filter(|_| prepared.supports_media_download)
            .ok_or_else(|| {
                Error::invalid_argument(format!("{} does not return media", prepared.method_id))
            })?;
        let options = self
            .options
            .clone()
            .metadata_url(prepared.download_metadata_url);
        Ok((url, options))
    }

    /// Downloads to `target` (through a partial file `<target>.<random>.part`, given its final
    /// name once complete and checked).
    pub async fn to_file(self, target: impl AsRef<Path>) -> Result<DownloadReport, Error> {
        let (url, options) = self.plan()?;
        MediaClient::new(self.call.service().transport())?
            .download_to_file(url, target.as_ref(), &options)
            .await
    }

    /// Streams into `writer`; checked against the server's checksum at the end (a mismatch
    /// is an error: the caller must not use what was written).
    pub async fn to_writer<W>(self, writer: &mut W) -> Result<DownloadReport, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        let (url, options) = self.plan()?;
        MediaClient::new(self.call.service().transport())?
            .download_to_writer_with(url, writer, &options)
            .await
    }
}

impl MethodCall {
    /// Uploads `source` as this call's media (the call's body, if any, is the metadata).
    pub fn upload(self, source: MediaSource) -> UploadCall {
        UploadCall {
            call: self,
            source,
            protocol: None,
            options: UploadOptions::default(),
        }
    }

    /// Uploads the file at `path` as Python's `MediaFileUpload` does: its content type from
    /// its extension (`application/octet-stream` when unknown), and, where the method takes
    /// the object's name (Drive's body `name`, Cloud Storage's `name` parameter) and none
    /// was given, named after the file.
    pub fn upload_file(self, path: impl AsRef<Path>) -> UploadCall {
        let path = path.as_ref();
        let call = match crate::upload_naming::file_name(path) {
            Some(name) => crate::upload_naming::with_default_name(self, &name),
            None => self,
        };
        call.upload(MediaSource::path(path))
            .content_type(crate::upload_naming::content_type_for(path))
    }

    /// Downloads this call's media (`alt=media`), checked against the server's checksum.
    pub fn download(self) -> DownloadCall {
        DownloadCall {
            call: self,
            options: DownloadOptions::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(simple: bool, resumable: bool) -> MediaUploadTarget {
        let u = Url::parse("http://h/upload/x").unwrap();
        MediaUploadTarget {
            simple_url: simple.then(|| u.clone()),
            simple_multipart: true,
            resumable_url: resumable.then(|| u.clone()),
            accept: vec![],
            max_size: Some(100 << 20),
        }
    }

    #[test]
    fn protocols_are_chosen_by_size_metadata_and_offer() {
        let both = target(true, true);
        let pick = |t: &MediaUploadTarget, named, size, meta| {
            choose_protocol("m", t, named, size, meta).map(|(p, _)| p)
        };
        assert_eq!(
            pick(&both, None, Some(10), false).unwrap(),
            UploadProtocol::Simple
        );
        assert_eq!(
            pick(&both, None, Some(10), true).unwrap(),
            UploadProtocol::Multipart
        );
        assert_eq!(
            pick(&both, None, Some(RESUMABLE_THRESHOLD + 1), true).unwrap(),
            UploadProtocol::Resumable
        );
        assert_eq!(
            pick(&both, None, None, false).unwrap(),
            UploadProtocol::Resumable
        );
        let only_resumable = target(false, true);
        assert_eq!(
            pick(&only_resumable, None, Some(1), true).unwrap(),
            UploadProtocol::Resumable
        );
        let only_simple = target(true, false);
        assert_eq!(
            pick(&only_simple, None, None, false).unwrap(),
            UploadProtocol::Simple
        );
        let err = pick(&only_simple, Some(UploadProtocol::Resumable), None, false).unwrap_err();
        assert!(
            err.to_string()
                .contains("does not offer uploadType=resumable")
        );
        let err = pick(&both, None, Some(200 << 20), false).unwrap_err();
        assert!(err.to_string().contains("at most"), "{err}");
    }
}
