//! Everyday Workspace work in a few calls, on top of [`gapi_client`]: the logic behind gapi's
//! `+helper` commands, usable by any Rust program.
//!
//! - [`docs`]: Markdown to Docs requests (UTF-16 indices), documents to Markdown and text.
//! - [`drive`]: folder paths, tree uploads and downloads, Docs exports (big ones too).
//! - [`mail`]: RFC 5322 messages with attachments and non-ASCII headers, reading, replies
//!   and forwards, sending through Gmail with size routing.
//! - [`calendar`]: windows in the calendar's own zone, the agenda, new events with Meet.
//! - [`sheets`]: CSV <-> cell rows, reading and appending values.
//!
//! Every network call goes through a [`gapi_client::Service`] method call, so credentials,
//! retries and policies apply as for any other call.
//!
//! ```
//! use gapi_workspace::mail::{Compose, MailMessage, reply, ReplyOptions};
//! # fn main() -> gapi_workspace::Result<()> {
//! let raw = Compose::new().to("bob@example.com")?.subject("Lunch?").text("Friday?").to_rfc5322()?;
//! let original = MailMessage::from_raw(&raw)?;
//! let answer = reply(&original, &["me@example.com".into()], &ReplyOptions::default());
//! // The original has no From: nobody to answer.
//! assert!(answer.is_err());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod calendar;
pub mod docs;
pub mod drive;
mod error;
mod ids;
pub mod mail;
pub mod sheets;

pub use error::{Error, Result};
