//! What the commands that call APIs share (API calls, `--batch`, `gapi mcp`, `gapi describe`):
//! no command imports another; they meet here.

pub mod document;
pub mod identity;
pub mod prepare;
