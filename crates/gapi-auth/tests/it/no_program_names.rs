//! gapi-auth is a library other programs use: its error and hint texts name no command of the
//! `gapi` CLI (what to do is `Error::remedy()`, data the application words). This guards the
//! source: no string literal outside test modules spells a `gapi ...` command.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_library_message_spells_a_gapi_command() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "found the sources: {files:?}");
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Test modules may name the CLI (as a caller-supplied command, for example).
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        // The headless flow's printed instructions still name the CLI's flags (not errors).
        let prompts = file.ends_with("flow/headless.rs");
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") || !line.contains('"') && !line.ends_with('\\') {
                continue;
            }
            // A CLI command, or a flag of `gapi auth login` said as if the library had it.
            let flags = [
                "--port",
                "--device",
                "--no-browser",
                "--console",
                "--scope ",
            ];
            if line.contains("gapi auth")
                || line.contains("`gapi ")
                || !prompts && flags.iter().any(|f| line.contains(f))
            {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "CLI command text in library strings:\n{}",
        offenders.join("\n")
    );
}
