//! Progress bars on stderr, shown only when stderr is a terminal.

use std::io::IsTerminal;

use gapi_client::media::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `total` bytes (a spinner when unknown); hidden when stderr is not a terminal.
pub fn bar(total: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(t) => ProgressBar::new(t).with_style(
            ProgressStyle::with_template(
                "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner(),
    };
    bar.set_message(what.to_string());
    bar
}

/// A spinner counting pages.
pub fn spinner(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_message(what.to_string());
    bar
}

/// Shows `n` on a spinner.
pub fn tick(bar: &ProgressBar, n: usize) {
    bar.set_position(n as u64);
    bar.tick();
}

/// A media progress callback that moves the bar.
pub fn callback(bar: &ProgressBar) -> Progress {
    let bar = bar.clone();
    Progress::new(move |done, total| {
        if let Some(t) = total {
            bar.set_length(t);
        }
        bar.set_position(done);
    })
}

/// Clears the bar.
pub fn finish(bar: ProgressBar) {
    bar.finish_and_clear();
}
