//! Gmail: compose RFC 5322 messages ([`Compose`]), read them ([`MailMessage`]), reply and
//! forward ([`reply`], [`forward`]), and send, draft and read through a Gmail service
//! ([`Gmail`]) with size routing ([`route_for`]).
//!
//! ```
//! use gapi_workspace::mail::{Attachment, Compose, MailMessage};
//! # fn main() -> gapi_workspace::Result<()> {
//! let raw = Compose::new()
//!     .to("Zoë <zoe@example.com>")?
//!     .subject("Grüße")
//!     .text("Hello")
//!     .attach(Attachment::from_bytes("notes.txt", b"a\nb".to_vec())?)
//!     .to_rfc5322()?;
//! let read = MailMessage::from_raw(&raw)?;
//! assert_eq!(read.subject, "Grüße");
//! assert_eq!(read.attachments[0].data.as_deref(), Some(&b"a\nb"[..]));
//! # Ok(()) }
//! ```

mod address;
mod compose;
mod gmail;
pub mod html_text;
mod message;
mod reply;

pub use address::Mailbox;
pub use compose::{Attachment, Compose, guess_mime};
pub use gmail::{
    DraftInfo, Gmail, GmailCall, MAX_MESSAGE_BYTES, RAW_JSON_MAX_BYTES, SendRoute, SentMessage,
    encode_raw, route_for,
};
pub use html_text::html_to_text;
pub use message::{MailAttachment, MailMessage, decode_base64url, safe_filename};
pub use reply::{
    ForwardOptions, Outgoing, ReplyOptions, forward, forward_subject, reply, reply_subject,
};
