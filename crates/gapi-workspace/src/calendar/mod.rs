//! Calendar: time windows in the calendar's own zone ([`Window`], [`bounds`]), the agenda of
//! a window ([`agenda`]), and creating events with attendees and Meet links ([`insert`]).
//!
//! ```
//! use gapi_workspace::calendar::{Window, bounds};
//! # fn main() -> gapi_workspace::Result<()> {
//! let now = "2026-03-28T23:30:00Z".parse().unwrap();
//! let b = bounds(&Window::Today, "Europe/Berlin", now)?;
//! assert_eq!(b.time_min(), "2026-03-29T00:00:00+01:00"); // already the 29th in Berlin
//! assert_eq!(b.time_max(), "2026-03-30T00:00:00+02:00"); // a 23-hour day
//! # Ok(()) }
//! ```

mod agenda;
mod insert;
mod window;

pub use agenda::{Agenda, AgendaEvent, EventTime, agenda, agenda_at, calendar_time_zone, event_of};
pub use insert::{NewEvent, event_body, insert};
pub use window::{Bounds, TimeInput, Window, bounds, rfc3339, time_zone};
