//! `gapi codegen API:VERSION METHOD... -o FILE.rs`: writes a typed Rust module for the named
//! methods and the schemas they reach (see the `gapi-codegen` crate), to be checked in.

use std::process::ExitCode;

use crate::cli::CodegenArgs;
use crate::exit;

/// Generates and writes the module.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    let file = std::path::Path::new(&args.api);
    let builder = if args.api.ends_with(".json") || file.is_file() {
        gapi_codegen::Builder::document_file(file)
    } else {
        gapi_codegen::Builder::new(&args.api)
    };
    let builder = builder.methods(args.methods.iter().cloned());
    let text = builder.generate().map_err(|e| match e {
        gapi_codegen::Error::Write { .. } => anyhow::Error::new(e),
        other => exit::usage(other.to_string()),
    })?;
    if args.output.as_os_str() == "-" {
        print!("{text}");
    } else {
        std::fs::write(&args.output, &text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.output.display()))?;
        eprintln!(
            "wrote {} ({} lines); use it with `mod {};` and the `gapi` crate",
            args.output.display(),
            text.lines().count(),
            args.output
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "api".into())
        );
    }
    Ok(ExitCode::SUCCESS)
}
