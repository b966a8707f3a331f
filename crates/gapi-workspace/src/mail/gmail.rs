//! Sending, drafting, reading, replying and forwarding through a Gmail [`Service`]: every
//! call is a method call of the service (so its policy, credentials and retries apply), the
//! message in `raw` JSON under [`RAW_JSON_MAX_BYTES`], else through the upload endpoint as
//! `message/rfc822`, never over [`MAX_MESSAGE_BYTES`].

use base64::Engine;
use gapi_client::media::MediaSource;
use gapi_client::{MethodCall, Service, UploadCall};
use serde_json::{Value, json};

use super::compose::Compose;
use super::message::{MailMessage, decode_base64url};
use super::reply::{ForwardOptions, Outgoing, ReplyOptions, forward, reply};
use crate::error::{Error, Result};

/// Gmail's limit for a message sent or drafted through the upload endpoint: 36,700,160
/// bytes (35 MiB) of encoded message.
pub const MAX_MESSAGE_BYTES: u64 = 36_700_160;

/// Messages up to this size (5 MiB) go as base64url `raw` in a JSON body; larger ones through
/// the upload endpoint (a JSON body would grow them by a third).
pub const RAW_JSON_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// How a message of some size is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRoute {
    /// `{"raw": base64url}` in the method's JSON body.
    Json,
    /// `message/rfc822` through `/upload/gmail/v1/...` (resumable above 5 MiB).
    Upload,
}

/// The route for a message of `size` bytes; over 35 MiB a clear [`Error::TooLarge`].
pub fn route_for(size: u64) -> Result<SendRoute> {
    if size > MAX_MESSAGE_BYTES {
        Err(Error::TooLarge {
            size,
            limit: MAX_MESSAGE_BYTES,
        })
    } else if size > RAW_JSON_MAX_BYTES {
        Ok(SendRoute::Upload)
    } else {
        Ok(SendRoute::Json)
    }
}

/// `raw` as Gmail's JSON wants it: base64url without padding.
pub fn encode_raw(raw: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// A prepared send or draft: a plain method call or an upload (both print with `--dry-run`
/// through their `prepare`/`plan`).
#[derive(Debug)]
pub enum GmailCall {
    /// The message in the JSON body.
    Json(MethodCall),
    /// The message as uploaded media.
    Upload(UploadCall),
}

impl GmailCall {
    /// Sends it and returns the method's JSON answer.
    pub async fn execute(self) -> Result<Value> {
        Ok(match self {
            GmailCall::Json(c) => c.execute().await?,
            GmailCall::Upload(u) => u.send().await?,
        })
    }
}

/// What `messages.send` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// The new message's id.
    pub id: String,
    /// Its thread.
    pub thread_id: String,
    /// Its labels (`SENT`...).
    pub label_ids: Vec<String>,
}

impl SentMessage {
    fn from_json(method: &str, v: &Value) -> Result<SentMessage> {
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::response(method, format!("no `{k}` in {v}")))
        };
        Ok(SentMessage {
            id: s("id")?,
            thread_id: s("threadId")?,
            label_ids: v
                .get("labelIds")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// What `drafts.create` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftInfo {
    /// The draft's id (`r...`).
    pub id: String,
    /// The draft message.
    pub message: SentMessage,
}

/// Gmail helpers for one mailbox of a Gmail [`Service`] (`gapi_client::build("gmail", "v1", auth)`).
#[derive(Debug, Clone)]
pub struct Gmail {
    service: Service,
    user_id: String,
}

impl Gmail {
    /// Helpers on `service`, for the signed-in user (`me`). Errors when the service is not Gmail.
    pub fn new(service: Service) -> Result<Gmail> {
        if service.document().name != "gmail" {
            return Err(Error::invalid(format!(
                "the mail helpers need the Gmail API, not {}",
                service.document().name
            )));
        }
        Ok(Gmail {
            service,
            user_id: "me".into(),
        })
    }

    /// Acts on another mailbox (an address the credentials may act for).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Gmail {
        self.user_id = user_id.into();
        self
    }

    /// The underlying service.
    pub fn service(&self) -> &Service {
        &self.service
    }

    fn call(&self, method: &str) -> Result<MethodCall> {
        Ok(self
            .service
            .method(method)?
            .param("userId", self.user_id.as_str()))
    }

    /// The call that sends `raw` (in `thread_id`), routed by size; nothing is sent yet.
    pub fn send_call(&self, raw: Vec<u8>, thread_id: Option<&str>) -> Result<GmailCall> {
        let call = self.call("users.messages.send")?;
        Ok(match route_for(raw.len() as u64)? {
            SendRoute::Json => {
                let mut body = json!({"raw": encode_raw(&raw)});
                if let Some(t) = thread_id {
                    body["threadId"] = json!(t);
                }
                GmailCall::Json(call.body(body))
            }
            SendRoute::Upload => {
                let call = match thread_id {
                    Some(t) => call.body(json!({"threadId": t})),
                    None => call,
                };
                GmailCall::Upload(
                    call.upload(MediaSource::bytes(raw))
                        .content_type("message/rfc822"),
                )
            }
        })
    }

    /// The call that saves `raw` as a draft (in `thread_id`), routed by size.
    pub fn draft_call(&self, raw: Vec<u8>, thread_id: Option<&str>) -> Result<GmailCall> {
        let call = self.call("users.drafts.create")?;
        let mut message = json!({});
        if let Some(t) = thread_id {
            message["threadId"] = json!(t);
        }
        Ok(match route_for(raw.len() as u64)? {
            SendRoute::Json => {
                message["raw"] = json!(encode_raw(&raw));
                GmailCall::Json(call.body(json!({"message": message})))
            }
            SendRoute::Upload => {
                let call = if thread_id.is_some() {
                    call.body(json!({"message": message}))
                } else {
                    call
                };
                GmailCall::Upload(
                    call.upload(MediaSource::bytes(raw))
                        .content_type("message/rfc822"),
                )
            }
        })
    }

    /// Sends raw RFC 5322 bytes.
    pub async fn send_raw(&self, raw: Vec<u8>, thread_id: Option<&str>) -> Result<SentMessage> {
        let answer = self.send_call(raw, thread_id)?.execute().await?;
        SentMessage::from_json("gmail.users.messages.send", &answer)
    }

    /// Builds and sends a message; refuses one without recipients before sending.
    pub async fn send(&self, compose: &Compose, thread_id: Option<&str>) -> Result<SentMessage> {
        if !compose.has_recipients() {
            return Err(Error::invalid(
                "the message has no recipient: give at least one To, Cc or Bcc address",
            ));
        }
        self.send_raw(compose.to_rfc5322()?, thread_id).await
    }

    /// Builds a message and saves it as a draft (recipients may be missing).
    pub async fn draft(&self, compose: &Compose, thread_id: Option<&str>) -> Result<DraftInfo> {
        let answer = self
            .draft_call(compose.to_rfc5322()?, thread_id)?
            .execute()
            .await?;
        let method = "gmail.users.drafts.create";
        Ok(DraftInfo {
            id: answer
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::response(method, format!("no `id` in {answer}")))?
                .to_string(),
            message: SentMessage::from_json(method, &answer["message"])?,
        })
    }

    /// Sends a reply or forward in its thread.
    pub async fn send_outgoing(&self, out: &Outgoing) -> Result<SentMessage> {
        self.send(&out.compose, out.thread_id.as_deref()).await
    }

    /// Saves a reply or forward as a draft in its thread.
    pub async fn draft_outgoing(&self, out: &Outgoing) -> Result<DraftInfo> {
        self.draft(&out.compose, out.thread_id.as_deref()).await
    }

    /// Reads a message (in `raw` format, so the attachments come with their bytes).
    pub async fn read(&self, message_id: &str) -> Result<MailMessage> {
        let answer = self
            .call("users.messages.get")?
            .param("id", message_id)
            .param("format", "raw")
            .execute()
            .await?;
        MailMessage::from_gmail(&answer)
    }

    /// Reads a message's raw RFC 5322 bytes.
    pub async fn read_raw(&self, message_id: &str) -> Result<Vec<u8>> {
        let answer = self
            .call("users.messages.get")?
            .param("id", message_id)
            .param("format", "raw")
            .execute()
            .await?;
        let raw = answer
            .get("raw")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::response("gmail.users.messages.get", "no `raw` in the answer"))?;
        decode_base64url(raw)
    }

    /// The mailbox's own address (`users.getProfile`), left out of reply recipients.
    pub async fn my_address(&self) -> Result<String> {
        let p = self.call("users.getProfile")?.execute().await?;
        p.get("emailAddress")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::response("gmail.users.getProfile", "no `emailAddress`"))
    }

    /// Prepares the reply to message `message_id` (read, recipients chosen, threaded); send
    /// it with [`Gmail::send_outgoing`] or keep it with [`Gmail::draft_outgoing`].
    pub async fn reply(&self, message_id: &str, opts: &ReplyOptions) -> Result<Outgoing> {
        let original = self.read(message_id).await?;
        let me = self.my_address().await?;
        reply(&original, &[me], opts)
    }

    /// Prepares the forward of message `message_id` with its attachments.
    pub async fn forward(&self, message_id: &str, opts: &ForwardOptions) -> Result<Outgoing> {
        let original = self.read(message_id).await?;
        forward(&original, opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_size() {
        assert_eq!(route_for(0).unwrap(), SendRoute::Json);
        assert_eq!(route_for(RAW_JSON_MAX_BYTES).unwrap(), SendRoute::Json);
        assert_eq!(
            route_for(RAW_JSON_MAX_BYTES + 1).unwrap(),
            SendRoute::Upload
        );
        assert_eq!(route_for(36_700_160).unwrap(), SendRoute::Upload);
        let err = route_for(36_700_161).unwrap_err();
        assert!(matches!(
            err,
            Error::TooLarge {
                size: 36_700_161,
                limit: 36_700_160
            }
        ));
        assert!(err.to_string().contains("36700160"), "{err}");
    }

    #[test]
    fn calls_are_shaped_for_gmail() {
        let svc = gapi_client::build("gmail", "v1", gapi_client::NoAuth).unwrap();
        let g = Gmail::new(svc).unwrap();
        let GmailCall::Json(c) = g
            .send_call(b"To: a@b.c\r\n\r\nhi".to_vec(), Some("t1"))
            .unwrap()
        else {
            panic!("small messages go as JSON")
        };
        let p = c.prepare().unwrap();
        assert_eq!(p.url.path(), "/gmail/v1/users/me/messages/send");
        assert_eq!(p.body.as_ref().unwrap()["threadId"], "t1");
        assert_eq!(p.body.as_ref().unwrap()["raw"], "VG86IGFAYi5jDQoNCmhp");
        let GmailCall::Upload(u) = g.send_call(vec![b'x'; 6 << 20], None).unwrap() else {
            panic!("large messages are uploaded")
        };
        let (_, url) = u.plan().unwrap();
        assert_eq!(url.path(), "/upload/gmail/v1/users/me/messages/send");
        assert!(g.send_call(vec![0; 36_700_161], None).is_err());
        let drive = gapi_client::build("drive", "v3", gapi_client::NoAuth).unwrap();
        assert!(Gmail::new(drive).is_err());
    }
}
