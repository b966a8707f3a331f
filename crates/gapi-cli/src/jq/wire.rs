//! The pipe protocol between gapi and its `__jq-worker` child: length-prefixed frames.
//!
//! gapi sends the program, then one JSON text per input; the worker answers each with a
//! [`Reply`]: a tag (ok, error, halt with its code), the messages the program said, and
//! the body (its results, or the error text).

use std::io::{self, Read, Write};

/// A frame longer than this is refused (the worker's own output cap is well below it).
const MAX_FRAME: u64 = 1 << 32;

/// Writes one frame: its length (u64, little-endian), then its bytes.
pub fn write_frame(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)
}

/// Reads one frame; `None` at a clean end of the stream (before a frame starts).
pub fn read_frame(r: &mut dyn Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes"),
        ));
    }
    let mut buf = Vec::new();
    r.take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(buf))
}

/// How a program run (or its compilation) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Finished: the body holds every result.
    Ok,
    /// Failed: the body is the error text.
    Error,
    /// `halt` or `halt_error` with this exit code: the body holds the results before it.
    Halt(i32),
}

/// The worker's answer to one frame.
#[derive(Debug)]
pub struct Reply {
    /// How it ended.
    pub kind: Kind,
    /// What `debug`, `stderr` and `halt_error` said, for stderr.
    pub messages: Vec<u8>,
    /// The results, or the error text.
    pub body: Vec<u8>,
}

impl Reply {
    /// A reply with no messages.
    pub fn new(kind: Kind, body: Vec<u8>) -> Reply {
        Reply {
            kind,
            messages: Vec::new(),
            body,
        }
    }

    /// Writes the reply as a tag byte (0 ok, 1 error, 2 halt and its code), then the
    /// messages and the body as frames.
    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        match self.kind {
            Kind::Ok => w.write_all(&[0])?,
            Kind::Error => w.write_all(&[1])?,
            Kind::Halt(code) => {
                w.write_all(&[2])?;
                w.write_all(&code.to_le_bytes())?;
            }
        }
        write_frame(w, &self.messages)?;
        write_frame(w, &self.body)
    }

    /// Reads a reply; `None` if the stream ended before one started.
    pub fn read_from(r: &mut dyn Read) -> io::Result<Option<Reply>> {
        let mut tag = [0u8; 1];
        match r.read_exact(&mut tag) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let kind = match tag[0] {
            0 => Kind::Ok,
            1 => Kind::Error,
            2 => {
                let mut code = [0u8; 4];
                r.read_exact(&mut code)?;
                Kind::Halt(i32::from_le_bytes(code))
            }
            t => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("unknown reply tag {t}"),
                ));
            }
        };
        let truncated = || io::Error::from(io::ErrorKind::UnexpectedEof);
        let messages = read_frame(r)?.ok_or_else(truncated)?;
        let body = read_frame(r)?.ok_or_else(truncated)?;
        Ok(Some(Reply {
            kind,
            messages,
            body,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_round_trip_and_a_cut_reply_is_an_error() {
        for kind in [Kind::Ok, Kind::Error, Kind::Halt(-3)] {
            let reply = Reply {
                kind,
                messages: b"said".to_vec(),
                body: b"\x00\xffbody".to_vec(),
            };
            let mut bytes = Vec::new();
            reply.write_to(&mut bytes).unwrap();
            let back = Reply::read_from(&mut bytes.as_slice()).unwrap().unwrap();
            assert_eq!(back.kind, kind);
            assert_eq!(back.messages, b"said");
            assert_eq!(back.body, b"\x00\xffbody");
            let cut = &bytes[..bytes.len() - 1];
            assert!(Reply::read_from(&mut &cut[..]).is_err());
        }
        assert!(Reply::read_from(&mut &b""[..]).unwrap().is_none());
    }
}
