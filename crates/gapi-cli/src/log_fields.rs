//! How log lines print their fields: every value through [`crate::output::visible`], the one
//! escaping of the CLI. Log lines carry text from servers and files (error bodies, URLs, account
//! names); tracing-subscriber escapes ESC and C1 codes itself, but not a carriage return or a
//! bidirectional override, which can rewrite or reorder what gapi says on a terminal.

use tracing_subscriber::field::MakeExt;
use tracing_subscriber::fmt::FormatFields;

/// The field formatter for gapi's logs: `message` as its text, other fields as `name=value`,
/// each value made visible, fields separated by a space.
pub fn escaped() -> impl for<'w> FormatFields<'w> + Send + Sync + 'static {
    tracing_subscriber::fmt::format::debug_fn(|w, field, value| {
        let text = format!("{value:?}");
        let text = crate::output::visible(&text);
        if field.name() == "message" {
            write!(w, "{text}")
        } else {
            write!(w, "{}={text}", field.name())
        }
    })
    .delimited(" ")
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn server_text_in_a_log_line_cannot_move_the_cursor_or_reorder_it() {
        let buf = Buffer::default();
        let sink = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .without_time()
            .fmt_fields(super::escaped())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let from_server = "ok\rWARN forged \u{202e}txt.exe\x1b[2K";
            tracing::warn!(account = from_server, "answer: {from_server}");
        });
        let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        assert_eq!(out.lines().count(), 1, "{out:?}");
        for bad in ['\r', '\u{202e}', '\x1b'] {
            assert!(!out.contains(bad), "{bad:?} reached the log: {out:?}");
        }
        assert!(
            out.contains("answer: ok\\rWARN forged \\u202etxt.exe\\x1b[2K"),
            "{out}"
        );
        assert!(out.contains("account="), "{out}");
    }
}
